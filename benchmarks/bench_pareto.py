"""Benchmark: the Pareto filter on a ready-made utility matrix, side by side with peers.

Usage::

    python benchmarks/bench_pareto.py [--quick] [--repeat R] [--peers all|none|a,b]
                                      [--cases a,b] [--memory] [--stat median|best]

Runs, in one process, :func:`negotiation.engine.pareto.pareto_mask` and whichever peers are
importable (``pip install paretoset pymoo moocore negmas``; missing ones are skipped, saying so):

* ``moocore``: ``moocore.is_nondominated(U, maximise=True, keep_weakly=True)`` (C; Kung et al.
  for k >= 4). ``keep_weakly=True`` keeps every copy of a tied vector, as we do.
* ``pymoo``: ``pymoo.util.nds.non_dominated_sorting.find_non_dominated(-U)``, pymoo's fastest
  first-front-only call (in pymoo 0.6.2 it delegates to moocore, so it tracks moocore);
* ``paretoset``: ``paretoset(U, sense=["max"] * k, distinct=False)`` (numba; compiled on a tiny
  warm-up call that is not timed);
* ``negmas``: ``negmas.preferences.ops.pareto_frontier_numpy(U)``, the function negmas
  recommends for a ready utility array. It keeps one row per tied vector.

Each case is a seeded matrix: realistic additive negotiations (product spaces of issues with a
value per level, summed with random weights, 4 parties: ``4**10 = 1,048,576`` outcomes), the
same with small integer points (many tied vectors), uniform random matrices, an "opposed"
negotiation whose frontier is large, and points on a simplex (every row non-dominated: the worst
case). The table gives the median (``--stat best``: the best) wall-clock and CPU time over
``--repeat`` runs (CPU time is the
fairer measure on a shared machine; every contender runs single-threaded), each with its ratio
to the fastest peer, the frontier size, and whether the peer's frontier is the same set of row
indices as ours (or the same vectors with duplicates dropped). Peers whose running time grows
with ``N x frontier`` are skipped on the large-frontier cases, saying so. ``--quick`` uses small
matrices, for a smoke test in seconds.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from negotiation.engine.pareto import pareto_mask  # noqa: E402

# ---------------------------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------------------------


def additive(n_issues: int, n_levels: int, n_parties: int, seed: int, points: bool = False):
    """Utilities of every outcome of ``n_levels**n_issues``: a weighted sum over issues of a
    per-level value (``points``: small integer points instead, so vectors tie often)."""
    rng = np.random.default_rng(seed)
    if points:
        values = rng.integers(0, 10, (n_parties, n_issues, n_levels)).astype(float)
        weights = np.ones((n_parties, n_issues))
    else:
        values = rng.random((n_parties, n_issues, n_levels))
        weights = rng.dirichlet(np.ones(n_issues), size=n_parties)
    U = np.zeros((n_levels**n_issues, n_parties))
    idx = np.arange(n_levels**n_issues)
    for i in range(n_issues):
        level = (idx // n_levels ** (n_issues - 1 - i)) % n_levels
        U += (weights[:, i, None] * values[:, i, :])[:, level].T
    return U


def opposed(n_issues: int, n_parties: int, seed: int):
    """Binary issues whose gains mostly come at another party's expense: a thin cloud around a
    hyperplane, so a large share of the outcomes is Pareto-optimal."""
    rng = np.random.default_rng(seed)
    d = rng.standard_normal((n_issues, n_parties))
    d -= 0.9 * d.mean(axis=1, keepdims=True)
    bits = (np.arange(2**n_issues)[:, None] >> np.arange(n_issues)) & 1
    return bits.astype(float) @ d


def cases(quick: bool) -> dict[str, Callable[[], np.ndarray]]:
    rng = np.random.default_rng
    if quick:
        return {
            "additive 4^6 x 4": lambda: additive(6, 4, 4, seed=0),
            "additive-points 4^6 x 4": lambda: additive(6, 4, 4, seed=1, points=True),
            "uniform 5000 x 4": lambda: rng(2).random((5000, 4)),
            "uniform 5000 x 3": lambda: rng(3).random((5000, 3)),
            "opposed 2^12 x 4": lambda: opposed(12, 4, seed=4),
            "simplex 2000 x 4": lambda: rng(5).dirichlet(np.ones(4), 2000),
        }
    out = {
        "additive 4^10 x 4": lambda: additive(10, 4, 4, seed=0),
        "additive-points 4^10 x 4": lambda: additive(10, 4, 4, seed=1, points=True),
        "additive 4^10 x 2": lambda: additive(10, 4, 2, seed=6),
        "opposed 2^20 x 4": lambda: opposed(20, 4, seed=4),
        "opposed 2^17 x 3": lambda: opposed(17, 3, seed=8),
    }
    for n, tag in ((10**5, "1e5"), (10**6, "1e6")):
        for k in (2, 3, 4, 6):
            out[f"uniform {tag} x {k}"] = lambda n=n, k=k: rng(10 * k + n % 7).random((n, k))
    out["simplex 1e6 x 2"] = lambda: rng(6).dirichlet(np.ones(2), 10**6)
    out["simplex 1e5 x 3"] = lambda: rng(9).dirichlet(np.ones(3), 10**5)
    out["simplex 1e5 x 4"] = lambda: rng(7).dirichlet(np.ones(4), 10**5)
    out["simplex 1e6 x 3"] = lambda: rng(8).dirichlet(np.ones(3), 10**6)
    out["simplex 1e6 x 4"] = lambda: rng(5).dirichlet(np.ones(4), 10**6)
    return out


#: Peers whose time grows like N x frontier: skipped above this frontier size (with a note).
QUADRATIC = {"paretoset": 20_000, "negmas": 5_000}

# ---------------------------------------------------------------------------------------------
# peers (imports are tolerant: a missing or broken peer is reported and skipped)
# ---------------------------------------------------------------------------------------------


def load_peers(wanted: set[str] | None) -> tuple[dict[str, Callable], dict[str, str]]:
    peers: dict[str, Callable] = {}
    missing: dict[str, str] = {}

    def want(name: str) -> bool:
        return wanted is None or name in wanted

    if want("moocore"):
        try:
            import moocore

            def run_moocore(U):
                return np.asarray(moocore.is_nondominated(U, maximise=True, keep_weakly=True))

            peers["moocore"] = run_moocore
        except Exception as exc:  # any import failure: not available
            missing["moocore"] = f"{type(exc).__name__}: {exc}"
    if want("pymoo"):
        try:
            from pymoo.util.nds.non_dominated_sorting import find_non_dominated

            def run_pymoo(U):
                mask = np.zeros(U.shape[0], dtype=bool)
                mask[find_non_dominated(-U)] = True  # pymoo minimises
                return mask

            peers["pymoo"] = run_pymoo
        except Exception as exc:
            missing["pymoo"] = f"{type(exc).__name__}: {exc}"
    if want("paretoset"):
        try:
            from paretoset import paretoset

            def run_paretoset(U):
                return np.asarray(paretoset(U, sense=["max"] * U.shape[1], distinct=False))

            run_paretoset(np.random.default_rng(0).random((50, 3)))  # numba compile, untimed
            peers["paretoset"] = run_paretoset
        except Exception as exc:
            missing["paretoset"] = f"{type(exc).__name__}: {exc}"
    if want("negmas"):
        try:
            import warnings

            from negmas.preferences.ops import pareto_frontier_numpy

            def run_negmas(U):
                mask = np.zeros(U.shape[0], dtype=bool)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    idx = pareto_frontier_numpy(U, sort_by_welfare=False)
                mask[np.asarray(idx, dtype=np.int64)] = True
                return mask

            peers["negmas"] = run_negmas
        except Exception as exc:
            missing["negmas"] = f"{type(exc).__name__}: {exc}"
    return peers, missing


# ---------------------------------------------------------------------------------------------
# running
# ---------------------------------------------------------------------------------------------


#: How repeated timings are summarised: "median" (default) or "best" (set by ``--stat``).
STAT = {"name": "median"}


def best_time(fn: Callable, U: np.ndarray, repeat: int) -> tuple[float, float, np.ndarray]:
    """Median (or, with ``--stat best``, best) wall-clock and CPU (process) time over
    ``repeat`` runs, and the last result."""
    walls, cpus, out = [], [], None
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        out = fn(U)
        cpus.append(time.process_time() - c0)
        walls.append(time.perf_counter() - w0)
    pick = min if STAT["name"] == "best" else (lambda v: float(np.median(v)))
    return pick(walls), pick(cpus), out


def compare(U: np.ndarray, ours: np.ndarray, theirs: np.ndarray) -> str:
    """'same', 'drops N ties' (same vectors, duplicates dropped) or 'DIFFERENT (...)'."""
    theirs = np.asarray(theirs, dtype=bool)
    if np.array_equal(ours, theirs):
        return "same"
    extra = np.flatnonzero(theirs & ~ours)
    lost = np.flatnonzero(ours & ~theirs)
    if extra.size == 0 and lost.size:
        kept = {tuple(r) for r in U[theirs]}
        if all(tuple(r) in kept for r in U[lost]):
            return f"drops {lost.size} ties"
    return f"DIFFERENT (+{extra.size} / -{lost.size} rows)"


def peak_memory_mb(U: np.ndarray) -> float:
    tracemalloc.start()
    pareto_mask(U)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="small matrices (seconds)")
    ap.add_argument("--repeat", type=int, default=3, help="R runs per contender (default 3)")
    ap.add_argument(
        "--stat", choices=("median", "best"), default="median", help="summary of the R runs"
    )
    ap.add_argument(
        "--peers",
        default="all",
        help="all, none, or a comma list of moocore,pymoo,paretoset,negmas",
    )
    ap.add_argument("--cases", default="", help="comma list of substrings of case names")
    ap.add_argument("--memory", action="store_true", help="also report our peak traced memory (MB)")
    args = ap.parse_args(argv)
    STAT["name"] = args.stat

    wanted = None if args.peers == "all" else set(filter(None, args.peers.split(",")))
    if wanted is not None:
        wanted.discard("none")
    peers, missing = load_peers(wanted)
    for name, why in missing.items():
        print(f"# skipped peer {name}: not importable ({why})")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"# numpy {np.__version__}; peers: {', '.join(peers) or 'none'}; {args.stat} of "
        f"{args.repeat}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
        f"load average {load:.2f} on {os.cpu_count()} cores"
    )

    selected = [s.strip() for s in args.cases.split(",") if s.strip()]
    header = (
        f"{'case':26s} {'method':10s} {'wall s':>8s} {'ratio':>6s} {'cpu s':>8s} {'ratio':>6s}"
        f" {'frontier':>9s}  agreement"
    )
    if args.memory:
        header += "  (ours: peak MB)"
    print(header)
    print("-" * len(header))
    status = 0
    for case, make in cases(args.quick).items():
        if selected and not any(s in case for s in selected):
            continue
        U = make()
        rows: list[tuple[str, tuple[float, float] | None, int | None, str]] = []
        w_ours, c_ours, ours = best_time(pareto_mask, U, args.repeat)
        n_front = int(ours.sum())
        peer_wall, peer_cpu = [], []
        for name, fn in peers.items():
            limit = QUADRATIC.get(name)
            if limit is not None and n_front > limit:
                rows.append((name, None, None, f"skipped: N x frontier too slow ({n_front:,})"))
                continue
            reps = args.repeat if name in ("moocore", "pymoo") else 1
            try:
                w, c, mask = best_time(fn, U, reps)
            except Exception as exc:  # a failing peer is reported, not fatal
                rows.append((name, None, None, f"failed: {type(exc).__name__}: {exc}"))
                continue
            verdict = compare(U, ours, mask)
            if verdict.startswith("DIFFERENT"):
                status = 1
            peer_wall.append(w)
            peer_cpu.append(c)
            rows.append((name, (w, c), int(np.asarray(mask).sum()), verdict))
        fw = min(peer_wall) if peer_wall else None
        fc = min(peer_cpu) if peer_cpu else None
        note = f"  {peak_memory_mb(U):.0f}" if args.memory else ""
        title = f"{case} ({U.shape[0]:,} x {U.shape[1]})"
        print(f"{title:26s}")
        for name, t, nf, verdict in [("ours", (w_ours, c_ours), n_front, "-" + note)] + rows:
            if t is None:
                dash = f"{'-':>8s} {'-':>6s} {'-':>8s} {'-':>6s} {'-':>9s}"
                print(f"{'':26s} {name:10s} {dash}  {verdict}")
                continue
            rw = f"{t[0] / fw:6.2f}" if fw else f"{'-':>6s}"
            rc = f"{t[1] / fc:6.2f}" if fc else f"{'-':>6s}"
            print(f"{'':26s} {name:10s} {t[0]:8.3f} {rw} {t[1]:8.3f} {rc} {nf:9,d}  {verdict}")
        sys.stdout.flush()
    return status


if __name__ == "__main__":
    raise SystemExit(main())
