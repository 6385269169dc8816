"""Benchmark of issue 17's engine targets: ours against the best peer, in one process, ratios.

    python benchmarks/bench_exact_scale.py [--quick] [--repeat R] [--corpus FOLDER]

Rows (median wall-clock and CPU seconds of ``--repeat`` runs, default 3; ratio = ours / peer):

1. Pareto filter on a ready ``10^6 x 4`` matrix, three data classes: uniform random, all
   mutually non-dominated (points on a simplex), an additive negotiation of ``4^10`` outcomes.
   Peers: moocore (``is_nondominated``), paretoset (skipped on the simplex: quadratic there).
2. ``analyze`` of a 4-party scenario with ``4^10`` outcomes, default options (engine chosen by
   :func:`negotiation.engine.select.choose_engine`, lotteries on), against the peer pipeline
   "utilities of every outcome + moocore's filter"; and the lotteries' share on top.
3. The exact frontier of 12 parties x 8 issues x 4 levels (``analyze``, no lotteries).
4. With ``--corpus FOLDER``: ``negotiation corpus`` end to end (default budgets, ``--jobs``
   workers, default 2): wall and CPU (the parent's and its workers'), the slowest five
   domains, against NegMAS's published 118 s for the same corpus (not rerun here) and the
   run recorded before the corpus work (:data:`CORPUS_BEFORE`). ``--corpus-only`` runs just
   this row.

``--quick`` shrinks every case for a smoke test. The machine is shared: read the ratios, and
the load average printed at the start.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_pareto import additive  # noqa: E402
from bench_search import random_scenario  # noqa: E402

import negotiation as ng  # noqa: E402
from negotiation.engine.pareto import pareto_mask  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, float, object]:
    """Median wall and CPU seconds of ``repeat`` runs, and the last result."""
    walls, cpus, out = [], [], None
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus), out


def timed_pair(fns, repeat: int) -> list[tuple[float, float, object]]:
    """Like :func:`timed` for several functions run in turn (``a, b, a, b, ...``), so that a
    slow drift of the machine (load, frequency) falls on all of them alike: for a small
    difference between two close times (the lotteries' share of ``analyze``)."""
    walls = [[] for _ in fns]
    cpus = [[] for _ in fns]
    outs: list[object] = [None] * len(fns)
    for _ in range(repeat):
        for k, fn in enumerate(fns):
            w, c = time.perf_counter(), time.process_time()
            outs[k] = fn()
            walls[k].append(time.perf_counter() - w)
            cpus[k].append(time.process_time() - c)
    return [
        (statistics.median(w), statistics.median(c), o)
        for w, c, o in zip(walls, cpus, outs, strict=True)
    ]


def row(case: str, who: str, wall: float, cpu: float, ref: tuple[float, float] | None, note=""):
    ratio = "" if ref is None else f"{wall / ref[0]:6.2f} {cpu / ref[1]:6.2f}"
    print(f"{case:34s} {who:26s} {wall:8.3f} {cpu:8.3f}  {ratio:13s} {note}", flush=True)


def peers():
    out = {}
    try:
        import moocore

        out["moocore"] = lambda U: np.asarray(
            moocore.is_nondominated(U, maximise=True, keep_weakly=True)
        )
    except ImportError:
        pass
    try:
        from paretoset import paretoset

        paretoset(np.random.default_rng(0).random((50, 3)), sense=["max"] * 3)  # numba warm-up
        out["paretoset"] = lambda U: np.asarray(
            paretoset(U, sense=["max"] * U.shape[1], distinct=False)
        )
    except ImportError:
        pass
    return out


#: The corpus before issue 17's target 6 work (commit dfc4022, one forked worker per domain,
#: one at a time), ``negotiation corpus`` measured on this machine on 2026-12-01 at a load
#: average of ~4 (44.2 s wall, 15.4 s CPU at ~6): wall, CPU (parent and workers), and the
#: slowest domain. Printed beside today's run for the before/after table.
CORPUS_BEFORE = (16.6, 13.3, "load 4; slowest AgentHp2 5.8 s")


def _children_cpu() -> float:
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def corpus_rows(folder: Path, jobs: int) -> None:
    """``run_corpus`` end to end (default budgets): wall, CPU of the parent *and* its workers,
    the slowest five domains, against NegMAS's published 118 s and the recorded before."""
    from negotiation.studies.corpus import run_corpus

    w0, c0, k0 = time.perf_counter(), time.process_time(), _children_cpu()
    rows = run_corpus(folder, progress=False, jobs=jobs)
    w = time.perf_counter() - w0
    c = time.process_time() - c0 + _children_cpu() - k0
    analysed = [r for r in rows if r["status"] == "analysed"]

    def secs(r):
        return float(r["load_seconds"] or 0) + float(r["analysis_seconds"] or 0)

    busy = sum(secs(r) for r in rows)
    row(
        f"corpus end to end ({jobs} workers)",
        "ours",
        w,
        c,
        (118.0, 118.0),
        f"{len(rows)} domains, {len(analysed)} analysed ({busy:.1f} s inside the workers); "
        "vs NegMAS's published 118 s",
    )
    bw, bc, slow = CORPUS_BEFORE
    row("", "before (dfc4022, recorded)", bw, bc, None, slow)
    for r in sorted(rows, key=secs, reverse=True)[:5]:
        print(f"{'':34s}   slowest: {secs(r):7.3f} s  {r['path']} ({r['outcomes']} outcomes)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--corpus", type=Path, default=None)
    ap.add_argument("--jobs", type=int, default=2, help="corpus workers (default 2)")
    ap.add_argument("--corpus-only", action="store_true", help="only the corpus rows")
    args = ap.parse_args(argv)
    rep = 1 if args.quick else args.repeat
    n = 10**5 if args.quick else 10**6
    print(
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; numpy {np.__version__}; "
        f"medians of {rep}; ratio = ours / peer (wall, CPU)"
    )
    print(f"{'case':34s} {'method':26s} {'wall s':>8s} {'cpu s':>8s}  {'ratio':13s}")
    if args.corpus_only:
        if args.corpus is None:
            ap.error("--corpus-only needs --corpus FOLDER")
        corpus_rows(args.corpus, args.jobs)
        return 0
    P = peers()
    rng = np.random.default_rng
    data = {
        f"filter uniform {n:,} x 4": rng(2).random((n, 4)),
        f"filter simplex {n:,} x 4": rng(5).dirichlet(np.ones(4), n),
        "filter additive 4^10 x 4" if not args.quick else "filter additive 4^8 x 4": additive(
            8 if args.quick else 10, 4, 4, seed=0
        ),
    }
    for case, U in data.items():
        results = {}
        for name, fn in P.items():
            if name == "paretoset" and "simplex" in case:
                continue  # N x frontier: minutes
            results[name] = timed(lambda fn=fn, U=U: fn(U), rep)
        wall, cpu, mask = timed(lambda U=U: pareto_mask(U), rep)
        best = min(results.items(), key=lambda kv: kv[1][1], default=None)
        ref = None if best is None else best[1][:2]
        row(case, "ours", wall, cpu, ref, f"vs {best[0]}" if best else "no peer installed")
        for name, (w, c, m) in results.items():
            same = "same" if np.array_equal(np.asarray(m, dtype=bool), mask) else "DIFFERENT"
            row(case, name, w, c, None, same)

    # 2. analyze, default, against utilities + moocore's filter.
    s = random_scenario(4, 8 if args.quick else 10, 4, seed=0)
    # alternated, at least 9 times each: the lotteries' share is a few ms on ~40 ms
    (w, c, a), (w0, c0, _) = timed_pair(
        [lambda: ng.analyze(s), lambda: ng.analyze(s, lotteries=False)], max(rep, 9)
    )
    if "moocore" in P:

        def peer():
            U = s.utilities(s.space.enumerate())
            return P["moocore"](U)

        pw, pc, _ = timed(peer, rep)
        row(
            f"analyze {s.space.cardinality:,} x 4 parties",
            "ours (" + a.engine + ")",
            w,
            c,
            (pw, pc),
        )
        row("", "utilities + moocore", pw, pc, None)
        row("", "ours, no lotteries", w0, c0, (pw, pc))
    else:
        row("analyze 4^10 x 4 parties, default", "ours", w, c, None)
    print(
        f"{'':34s} lotteries on top: {100 * (w / w0 - 1):.0f}% wall, {100 * (c / c0 - 1):.0f}% CPU"
    )

    # 3. many parties.
    s12 = random_scenario(12, 6 if args.quick else 8, 4, seed=0)
    w, c, a = timed(lambda: ng.analyze(s12, lotteries=False), 1 if args.quick else rep)
    row(
        "12 parties x 8 x 4, exact",
        f"ours ({a.engine})",
        w,
        c,
        None,
        f"frontier {a.frontier.size:,} of {s12.space.cardinality:,}",
    )

    # 4. the corpus.
    if args.corpus is not None:
        corpus_rows(args.corpus, args.jobs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
