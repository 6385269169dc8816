"""Sweep throughput: Monte Carlo samples of the Ukraine scenario's analysis per second.

Target (issue 17, target 5): 10,000 Monte Carlo samples of the full analysis (frontier + the five
bargaining solutions per sample) in at most 5 s on this 2-core machine, rows identical to the
per-sample path. Prints, in one run:

* **before**: the per-sample path (:func:`negotiation.studies.sweep.evaluate_sample` in a loop:
  apply, validate, analyse each sample), on the first ``--before-samples`` samples (default
  1,000; it is the slow path) and extrapolated to 10,000;
* **after**: :func:`run_sweep` with the batched evaluation
  (:mod:`negotiation.studies.batch`) on all samples, with 1 and 2 worker processes, and the
  1 -> 2 worker speed-up next to the machine's own speed-up on a pure CPU loop (the control: a
  shared or throttled machine shows less than 2x there, and no sweep can beat it);
* :func:`run_sweep` with its defaults (a process pool over the machine's cores, the batch size
  of :func:`negotiation.studies.sweep.default_batch_size`), as ``negotiation sweep`` runs it;
* each stage's share of the batched path's CPU (cProfile on 1,000 samples: screen, exact
  utilities, tie check, Pareto filter, solutions, rows);
* that the batched rows equal the per-sample rows, and the machine's load (``uptime``).

Times are medians of ``--repeats`` runs (default 3), wall clock and, for the runs in this
process, CPU time (on a machine shared with other work the CPU time is the steadier measure).
Usage:
``python benchmarks/bench_sweep.py [--samples N] [--before-samples N] [--repeats R] [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import pandas as pd

import negotiation as ng
from negotiation.studies import monte_carlo_samples, run_sweep
from negotiation.studies.batch import evaluate_samples
from negotiation.studies.sweep import default_batch_size, evaluate_sample

#: The stages of the batched path whose CPU share is printed: (label, function name, module).
STAGES = (
    ("screen", "_screen_unanimous", "batch.py"),
    ("exact utilities", "pair_utilities", "exact.py"),
    ("tie check", "tie_free", "pareto_batch.py"),
    ("Pareto", "segment_pareto_mask", "pareto_batch.py"),
    ("solutions", "pick_segments", "pick_batch.py"),
    ("rows", "fill", "batch_rows.py"),
)


def _busy(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def machine_speedup(n: int = 10_000_000) -> float:
    """The machine's own 1 -> 2 process speed-up on a pure CPU loop (a control: shared or
    throttled cores show less than 2x here, and no sweep can beat it)."""
    from concurrent.futures import ProcessPoolExecutor

    t = time.perf_counter()
    _busy(n)
    _busy(n)
    serial = time.perf_counter() - t
    with ProcessPoolExecutor(2) as pool:
        t = time.perf_counter()
        list(pool.map(_busy, [n, n]))
        parallel = time.perf_counter() - t
    return serial / parallel


def stage_shares(scenario, n: int = 1000) -> str:
    """Cumulative CPU share of each stage of :func:`evaluate_samples` on ``n`` samples
    (cProfile; its overhead inflates the many-call stages a little)."""
    import cProfile
    import pstats

    samples = monte_carlo_samples(scenario, n, seed=1)
    evaluate_samples(scenario, samples[:20])  # warm the candidate set's caches
    profile = cProfile.Profile()
    profile.runcall(evaluate_samples, scenario, samples)
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    total = sum(v[2] for v in stats.values())  # every function's own time
    parts = []
    for label, name, module in STAGES:
        cum = sum(v[3] for k, v in stats.items() if k[2] == name and k[0].endswith(module))
        parts.append(f"{label} {cum / total:.0%}")
    return f"{', '.join(parts)} of {total:.2f} s"


def _median_time(fn, repeats: int):
    """Median wall time, median CPU time of this process, and the last result."""
    times, cpus, result = [], [], None
    for _ in range(repeats):
        t, c = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return statistics.median(times), statistics.median(cpus), result


def _load() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:  # pragma: no cover
        return "load unknown"
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} (uptime) on {os.cpu_count()} cores"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument(
        "--before-samples",
        type=int,
        default=1_000,
        help="samples timed on the slow per-sample path (extrapolated; default 1000)",
    )
    parser.add_argument("--repeats", type=int, default=3, help="median of this many runs")
    parser.add_argument("--quick", action="store_true", help="200 samples, 1 run")
    args = parser.parse_args(argv)
    n = 200 if args.quick else args.samples
    n_before = min(n, 100 if args.quick else args.before_samples)
    repeats = 1 if args.quick else args.repeats
    scenario = ng.load_scenario("ukraine_2025")
    samples = monte_carlo_samples(scenario, n, seed=0)
    baseline = dict(ng.analyze(scenario, lotteries=False).solutions["nash"].terms)
    print(f"ukraine_2025: {n:,} Monte Carlo samples (seed 0), medians of {repeats}")
    print(f"  machine: {_load()} at the start")

    def before():
        return [
            {"sample": k, **evaluate_sample(scenario, x, baseline=baseline)}
            for k, x in enumerate(samples[:n_before])
        ]

    secs, cpu, ref_rows = _median_time(before, repeats)
    per, per_cpu = secs / n_before, cpu / n_before
    print(
        f"  before (per-sample path, 1 process, {n_before:,} samples): {secs:7.2f} s wall, "
        f"{cpu:7.2f} s CPU ({per * 1000:.2f} ms/sample wall, {per_cpu * 1000:.2f} CPU; "
        f"{n:,} samples ~ {n * per:.1f} s wall, {n * per_cpu:.1f} s CPU)"
    )
    results: dict[int | str, tuple] = {}
    for workers in (1, 2):
        secs, cpu, rows = _median_time(
            lambda w=workers: run_sweep(
                scenario, samples, workers=w, batch_size=250, progress=False, baseline=baseline
            ),
            repeats,
        )
        results[workers] = (secs, rows)
        cpu_text = (
            f", {cpu:6.2f} s CPU ({n * per_cpu / cpu:4.1f}x less CPU than before)"
            if workers == 1
            else ""
        )
        print(
            f"  after  (batched, workers={workers}, {n:,} samples): {secs:7.2f} s wall "
            f"({secs / n * 1000:.3f} ms/sample; {n * per / secs:4.1f}x faster){cpu_text}"
        )
    default_size = default_batch_size(n, 2)
    secs, _, rows = _median_time(
        lambda: run_sweep(scenario, samples, progress=False, baseline=baseline), repeats
    )
    results["default"] = (secs, rows)
    print(
        f"  after  (batched, default workers and batch size = {default_size} for 2 cores, "
        f"{n:,} samples): {secs:7.2f} s wall ({secs / n * 1000:.3f} ms/sample)"
    )
    pd.testing.assert_frame_equal(results[1][1], results[2][1])
    pd.testing.assert_frame_equal(results[1][1], results["default"][1])
    pd.testing.assert_frame_equal(
        results[1][1].iloc[:n_before].reset_index(drop=True), pd.DataFrame(ref_rows)
    )
    print("  rows: batched == per-sample (first samples), workers=1 == workers=2 == default")
    print(f"  CPU shares of the batched path (cProfile, 1,000 samples): {stage_shares(scenario)}")
    print(f"  speed-up 1 -> 2 workers: {results[1][0] / results[2][0]:.2f}x")
    best = min(r[0] for r in results.values())
    print(
        f"  target (issue 17, target 5): {n:,} samples <= 5 s wall -> best {best:.2f} s "
        f"({'met' if best <= 5.0 else 'NOT met'}); peer: none (no other tool evaluates "
        "negotiation Monte Carlo samples, so the per-sample path is the comparison)"
    )
    print(
        f"  control: this machine's own 1 -> 2 process speed-up on a pure CPU loop: "
        f"{machine_speedup(2_000_000 if args.quick else 10_000_000):.2f}x"
    )
    print(f"  machine: {_load()} at the end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
