"""Benchmark: games at scale (issue 17, target 7).

Usage::

    python benchmarks/bench_games.py [--before REV] [--timeout S]

* Baron-Ferejohn divide the dollar under majority rule, ``n`` = 15, 51, 101 players
  (``delta = 0.9``): the proposer buys the ``q - 1`` cheapest partners instead of enumerating
  ``C(n - 1, q - 1)`` coalitions (``C(100, 50) ~ 1e29`` at ``n = 101``). Each run is checked
  against the closed form (proposer ``1 - delta (n - 1) / (2 n)``, every value ``1 / n``).
* An asymmetric 7-player game (recognition, discounts), where the logit homotopy runs.
* The Nash demand game with 11, 21 and 101 demands on a two-party scenario with 111 Pareto
  deals, with the default methods (``"auto"``) and, before, nashpy's support and vertex
  enumeration and Lemke-Howson on every game (``--demands 11`` took 503 s from the CLI).

"before" runs the modules as at ``--before`` (default: the commit this work started from) in a
child process killed after ``--timeout`` seconds. There is no peer: no other library solves
these models on scenarios.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import time
from functools import partial
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _before import load_old, timed  # noqa: E402

from negotiation.dynamics.games.baron_ferejohn import (  # noqa: E402
    divide_the_dollar,
    divide_the_dollar_closed_form,
)
from negotiation.dynamics.games.normal_form import solve_demand_game  # noqa: E402
from negotiation.model.issues import Issue  # noqa: E402
from negotiation.model.party import Party  # noqa: E402
from negotiation.model.scenario import Scenario  # noqa: E402


def two_party() -> Scenario:
    """Seven issues of six levels on concave curves: 111 Pareto deals."""
    names = [f"x{k}" for k in range(7)]
    issues = tuple(Issue(n, tuple(f"l{j}" for j in range(6))) for n in names)
    up = {n: {f"l{j}": float(np.sqrt(j / 5)) for j in range(6)} for n in names}
    down = {n: {f"l{j}": float(np.sqrt(1 - j / 5)) for j in range(6)} for n in names}
    a = Party("A", dict(zip(names, (17, 13, 11, 7, 5, 3, 2), strict=True)), up)
    b = Party("B", dict(zip(names, (2, 3, 5, 7, 11, 13, 19), strict=True)), down)
    return Scenario("two_party_111", issues, (a, b))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", default="be9fad9", help="git revision of the old modules")
    ap.add_argument("--timeout", type=float, default=60.0)
    args = ap.parse_args()
    print(
        f"# bench_games  {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC  "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores"
    )
    bf_old = load_old("negotiation/dynamics/games/baron_ferejohn.py", args.before, "bf_before")
    nf_old = load_old("negotiation/dynamics/games/normal_form.py", args.before, "nf_before")
    print(f"{'case':46} {'now':>9} {'check':>28} {'before':>18}")
    for n in (15, 51, 101):
        q = (n + 1) // 2
        t = time.perf_counter()
        eq = divide_the_dollar(n, q, 0.9)
        dt = time.perf_counter() - t
        cf = divide_the_dollar_closed_form(n, q, 0.9)
        err = max(
            abs(float(eq.proposer_gains[0, 0]) - cf["proposer"]),
            float(np.abs(eq.values - 1 / n).max()),
        )
        before = (
            timed(bf_old.divide_the_dollar, n, q, 0.9, timeout=args.timeout) if bf_old else "n/a"
        )
        print(
            f"{f'BF divide the dollar n={n}, q={q}':46} {dt:8.3f}s "
            f"{f'closed form err {err:.1e}':>28} {before:>18}"
        )
    rec = [0.1, 0.2, 0.1, 0.2, 0.1, 0.2, 0.1]
    dl = [0.9, 0.8, 0.7, 0.95, 0.9, 0.6, 0.85]
    t = time.perf_counter()
    eq = divide_the_dollar(7, 4, dl, recognition=rec)
    dt = time.perf_counter() - t
    before = (
        timed(bf_old.divide_the_dollar, 7, 4, dl, rec, timeout=args.timeout) if bf_old else "n/a"
    )
    print(
        f"{'BF asymmetric n=7, q=4':46} {dt:8.3f}s {f'converged {eq.converged}':>28} {before:>18}"
    )
    s = two_party()
    for k in (11, 21, 101):
        t = time.perf_counter()
        r = solve_demand_game(s, n_demands=k)
        dt = time.perf_counter() - t
        before = (
            timed(partial(nf_old.solve_demand_game, n_demands=k), s, timeout=args.timeout)
            if nf_old
            else "n/a"
        )
        check = f"refined is Nash {r.to_dict()['refined_is_nash']}"
        print(f"{f'demand game {k} demands (auto)':46} {dt:8.3f}s {check:>28} {before:>18}")
    print("(before: the demand game ran support, vertex and Lemke-Howson on every game)")


if __name__ == "__main__":
    main()
