"""Benchmark: the solutions over lotteries in many dimensions (issue 17, target 4).

Usage::

    python benchmarks/bench_lotteries.py [--before REV] [--timeout S] [--domain DIR]

Cases: the 9-party ANAC 2015 domain ``group12-symposium`` (2,304 outcomes, 1,300 Pareto; its
lottery Kalai-Smorodinsky sat in scipy's ``ConvexHull`` in 8-D and never finished), read from
``../shared/genius-domains`` when present, and seeded random scenarios with 4-12 parties. For
each: the frontier alone, then every lottery solution (Nash, asymmetric Nash, KS, egalitarian,
utilitarian) today, and the same with the module as at ``--before`` (default: the commit this
work started from), each old call in a child process killed after ``--timeout`` seconds. There
is no peer: no other library computes bargaining solutions over lotteries.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _before import load_old, timed  # noqa: E402

from negotiation.engine.analysis import analyze  # noqa: E402
from negotiation.engine.lotteries import LOTTERY_SOLUTIONS, lottery_candidates  # noqa: E402
from negotiation.model.issues import Issue  # noqa: E402
from negotiation.model.party import Party  # noqa: E402
from negotiation.model.scenario import Scenario  # noqa: E402

DOMAIN = Path(__file__).resolve().parents[3] / "shared/genius-domains/anac/y2015/group12-symposium"


def random_scenario(parties: int, issues: int, levels: int, seed: int) -> Scenario:
    rng = np.random.default_rng(seed)
    iss = tuple(Issue(f"i{k}", tuple(f"l{j}" for j in range(levels))) for k in range(issues))
    ps = tuple(
        Party(
            f"P{p}",
            {i.name: float(w) for i, w in zip(iss, rng.dirichlet(np.ones(issues)), strict=True)},
            {
                i.name: dict(zip(i.levels, rng.random(levels).round(3).tolist(), strict=True))
                for i in iss
            },
            reservation=0.3,
        )
        for p in range(parties)
    )
    return Scenario(f"random_{parties}p", iss, ps)


def old_all(old, frontier):
    for fn in old.LOTTERY_SOLUTIONS.values():
        fn(frontier)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", default="be9fad9", help="git revision of the old module")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--domain", type=Path, default=DOMAIN)
    args = ap.parse_args()
    print(
        f"# bench_lotteries  {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC  "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores"
    )
    cases = []
    if args.domain.exists():
        from negotiation import load_scenario

        cases.append(("group12-symposium (9 parties)", load_scenario(args.domain)))
    else:
        print(f"(domain {args.domain} not found: skipped)")
    for parties, issues, levels in ((4, 6, 4), (6, 6, 4), (9, 5, 4), (12, 5, 4)):
        cases.append(
            (
                f"random {parties} parties x {issues} issues x {levels}",
                random_scenario(parties, issues, levels, seed=parties),
            )
        )
    old = load_old("negotiation/engine/lotteries.py", args.before, "lotteries_before")
    print(
        f"{'case':40} {'Pareto':>7} {'cand.':>6} {'frontier':>9} "
        + " ".join(f"{n[:10]:>10}" for n in LOTTERY_SOLUTIONS)
        + f" {'all now':>9} {'before':>16}"
    )
    for name, s in cases:
        t = time.perf_counter()
        f = analyze(s, lotteries=False).frontier
        t_front = time.perf_counter() - t
        t = time.perf_counter()
        cand = lottery_candidates(f)[1].shape[0]
        times = []
        for fn in LOTTERY_SOLUTIONS.values():
            t1 = time.perf_counter()
            fn(f)
            times.append(time.perf_counter() - t1)
        total = time.perf_counter() - t
        before = timed(old_all, old, f, timeout=args.timeout) if old else "n/a"
        print(
            f"{name:40} {f.size:7d} {cand:6d} {t_front:8.3f}s "
            + " ".join(f"{x:9.3f}s" for x in times)
            + f" {total:8.3f}s {before:>16}"
        )
    print(
        "(times include the allowed-deal candidates, computed once per frontier; "
        "'before' runs the old module's five solutions on the same frontier)"
    )


if __name__ == "__main__":
    main()
