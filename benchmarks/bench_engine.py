"""End-to-end engine benchmark: scenario in, frontier and every bargaining solution out.

    python benchmarks/bench_engine.py [--quick]

Cases (issue "Bargaining engine" speed targets):

1. A 4-party scenario with 4^10 = 1,048,576 outcomes: ``analyze`` (frontier + all five
   solutions, no lotteries) end to end, against the fastest peer's Pareto *filter alone* on the
   same, ready-made utility matrix (moocore, pymoo, paretoset where installed). Target: faster than
   that filter (aim 5x).
2. 10^7 enumerated outcomes, 3 parties, with constraints that tie every issue together (so the
   search engine cannot split the space): chunked enumeration, under 10 s and 2 GB peak memory
   (peak resident memory measured in a fresh subprocess).

Peers are optional (``pip install -e '.[bench]'``); a missing one is reported, not fatal.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_search import random_scenario  # noqa: E402

import negotiation as ng  # noqa: E402
from negotiation.model import Issue, Party, Scenario  # noqa: E402


def best_of(fn, repeat: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def peer_filters() -> dict:
    peers = {}
    try:
        import moocore

        peers["moocore"] = lambda U: moocore.is_nondominated(U, maximise=True, keep_weakly=True)
    except ImportError:
        pass
    try:
        from pymoo.util.nds.find_non_dominated import find_non_dominated

        peers["pymoo"] = lambda U: find_non_dominated(-U)
    except ImportError:
        pass
    try:
        import paretoset

        peers["paretoset"] = lambda U: paretoset.paretoset(
            U, sense=["max"] * U.shape[1], distinct=False
        )
    except ImportError:
        pass
    return peers


def tied_scenario(n_issues: int, n_levels: int, seed: int) -> Scenario:
    """3 parties; a chain of constraints links every issue to the next (one compound issue)."""
    rng = np.random.default_rng(seed)
    issues = tuple(Issue(f"i{k}", tuple(f"l{j}" for j in range(n_levels))) for k in range(n_issues))
    cons = tuple(
        {
            issues[k].name: (issues[k].levels[int(rng.integers(n_levels))],),
            issues[k + 1].name: (issues[k + 1].levels[int(rng.integers(n_levels))],),
        }
        for k in range(n_issues - 1)
    )
    parties = []
    for p in range(3):
        w = rng.dirichlet(np.ones(n_issues))
        values = {
            i.name: {lv: float(v) for lv, v in zip(i.levels, rng.random(n_levels), strict=True)}
            for i in issues
        }
        parties.append(Party(f"P{p}", {i.name: float(w[k]) for k, i in enumerate(issues)}, values))
    return Scenario(f"3p {n_issues}x{n_levels} chained", issues, tuple(parties), constraints=cons)


def _child_enumerate(n_issues: int, n_levels: int) -> None:
    import resource

    s = tied_scenario(n_issues, n_levels, 0)
    t = time.perf_counter()
    a = ng.analyze(s, engine="enumerate", lotteries=False)
    secs = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": secs,
                "peak_mb": peak,
                "outcomes": a.frontier.n_outcomes,
                "pareto": a.frontier.size,
            }
        )
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small cases (seconds)")
    ap.add_argument("--no-peers", action="store_true", help="skip the peer libraries")
    ap.add_argument("--child", nargs=2, type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        _child_enumerate(*args.child)
        return 0
    repeat = 1 if args.quick else 3
    n_issues, n_levels = (6, 4) if args.quick else (10, 4)
    print(f"machine: {os.cpu_count()} cores; numpy {np.__version__}")
    s = random_scenario(4, n_issues, n_levels, seed=0)
    ours, analysis = best_of(lambda: ng.analyze(s, engine="enumerate", lotteries=False), repeat)
    print(f"\n1. {s.name}: {s.space.cardinality:,} outcomes, 4 parties")
    print(
        f"   ours, analyze end to end (frontier {analysis.frontier.size:,} + 5 solutions): "
        f"{ours:.3f} s"
    )
    U = s.utilities(s.space.enumerate())
    fastest = None
    for name, fn in (peer_filters() if not args.no_peers else {}).items():
        fn(U[:1000])  # warm up (paretoset compiles with numba on first call)
        secs, mask = best_of(lambda fn=fn: fn(U), repeat)
        mask = np.asarray(mask)
        n = int(mask.sum()) if mask.dtype == bool else len(mask)
        print(
            f"   {name:10s} Pareto filter alone on the ready matrix: {secs:.3f} s "
            f"(frontier {n:,}); peer / ours = {secs / ours:.2f}"
        )
        fastest = secs if fastest is None else min(fastest, secs)
    if fastest is None:
        print("   peers skipped or not installed (pip install -e '.[bench]')")
    else:
        print(f"   fastest peer's filter alone / our whole analysis = {fastest / ours:.2f}")
    ni, nl = (8, 5) if args.quick else (10, 5)
    print(
        f"\n2. 3 parties, {nl}^{ni} = {nl**ni:,} outcomes, constraints chaining every issue "
        "(the search cannot split it): chunked enumeration in a fresh process"
    )
    proc = subprocess.run(
        [sys.executable, __file__, "--child", str(ni), str(nl)],
        capture_output=True,
        text=True,
        check=True,
    )
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    print(
        f"   {r['seconds']:.2f} s, peak resident memory {r['peak_mb']:.0f} MB, "
        f"frontier {r['pareto']:,} (targets: < 10 s, < 2 GB)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
