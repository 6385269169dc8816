"""Benchmark: the solutions over lotteries, per rule, before and after (issue 17, targets 3-4).

Usage::

    python benchmarks/bench_lotteries.py [--before REV] [--timeout S] [--repeat R] [--domain DIR]

Cases: the workload of ``bench_exact_scale.py`` (4 parties x ``4^10`` outcomes, 1,633 frontier
rows), the 9-party ANAC 2015 domain ``group12-symposium`` (2,304 outcomes, 1,300 Pareto; its
lottery Kalai-Smorodinsky once sat in scipy's ``ConvexHull`` in 8-D and never finished), read
from ``shared/genius-domains`` beside the repository when present, and seeded random scenarios
with 4-12 parties. For each: the frontier alone (``analyze(lotteries=False)``), then each
lottery solution in the order ``analyze`` runs them on one fresh frontier (so work the rules
share, such as the candidates and the asymmetric Nash solution with equal powers, counts
once), as CPU time (``time.process_time``, median of ``--repeat`` fresh frontiers); the share
of all five on top of the frontier; and the same five with the ``negotiation`` package as at
``--before`` (default ``2f3015f``, the tree before the Newton/warm-start work; ``be9fad9`` is
the single-module version), run in a child process killed after ``--timeout`` seconds. There
is no peer: no other library computes bargaining solutions over lotteries.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _before import in_child, old_package, use_package  # noqa: E402

from negotiation.engine.analysis import analyze  # noqa: E402
from negotiation.engine.lotteries import LOTTERY_SOLUTIONS  # noqa: E402
from negotiation.model.issues import Issue  # noqa: E402
from negotiation.model.party import Party  # noqa: E402
from negotiation.model.scenario import Scenario  # noqa: E402

DOMAIN = Path("genius-domains/anac/y2015/group12-symposium")


def find_domain(relative: Path) -> Path:
    """``shared/<relative>`` in the nearest folder above this file that has it."""
    for up in Path(__file__).resolve().parents:
        if (up / "shared" / relative).exists():
            return up / "shared" / relative
    return Path("shared") / relative


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


def run_rules(solutions, frontiers) -> list[float]:
    """Median CPU seconds of each rule (in the registry's order) over fresh frontiers, each
    frontier solved by all the rules in turn (as ``analyze`` does)."""
    times: list[list[float]] = [[] for _ in solutions]
    for f in frontiers:
        for j, fn in enumerate(solutions):
            t = time.process_time()
            fn(f)
            times[j].append(time.process_time() - t)
    return [statistics.median(t) for t in times]


def old_rules(folder: Path, frontiers) -> list[float]:
    """:func:`run_rules` with the old package (in a child process)."""
    use_package(folder)
    import negotiation.engine.lotteries as old

    return run_rules(list(old.LOTTERY_SOLUTIONS.values()), frontiers)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", default="2f3015f", help="git revision of the old package")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--domain", type=Path, default=find_domain(DOMAIN))
    args = ap.parse_args()
    print(
        f"# bench_lotteries  {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC  "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.1f}; CPU ms, median of {args.repeat}"
    )
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_search import random_scenario as scale_scenario

    cases = [("4 parties x 4^10 (bench_exact_scale)", scale_scenario(4, 10, 4, seed=0))]
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
    folder = old_package(args.before)
    names = [n[:9] for n in LOTTERY_SOLUTIONS]
    print(
        f"{'case':38} {'Pareto':>6} {'frontier':>8} "
        + " ".join(f"{n:>9}" for n in names)
        + f" {'all now':>8} {'share':>6} | {'before: ' + ' '.join(names):>50} {'all':>8}"
    )
    for name, s in cases:
        analyze(s, lotteries=False)  # warm-up (first calls, caches), not timed
        fronts = []
        t_front = []
        for _ in range(args.repeat):
            t = time.process_time()
            fronts.append(analyze(s, lotteries=False).frontier)
            t_front.append(time.process_time() - t)
        front = statistics.median(t_front)
        now = run_rules(list(LOTTERY_SOLUTIONS.values()), fronts)
        before = "n/a" if folder is None else "?"
        if folder is not None:
            fresh = [analyze(s, lotteries=False).frontier for _ in range(args.repeat)]
            before = in_child(old_rules, folder, fresh, timeout=args.timeout)
        old = (
            " ".join(f"{1e3 * x:9.2f}" for x in before) + f" {1e3 * sum(before):8.2f}"
            if isinstance(before, list)
            else f"{before:>59}"
        )
        print(
            f"{name:38} {fronts[0].size:6d} {1e3 * front:8.1f} "
            + " ".join(f"{1e3 * x:9.2f}" for x in now)
            + f" {1e3 * sum(now):8.2f} {100 * sum(now) / front:5.0f}% | {old}",
            flush=True,
        )
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
    print(
        "(each rule's time includes what it computes first for the rules after it: the "
        f"candidates, the asymmetric Nash = Nash with equal powers; before = {args.before})"
    )


if __name__ == "__main__":
    main()
