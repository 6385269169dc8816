"""Sweep throughput: Monte Carlo samples of the Ukraine scenario's analysis per second.

Target (issue "Experiments at scale"): 10,000 samples of the full analysis (frontier + the five
bargaining solutions) in under 60 s on a 2-core machine, with near-linear speed-up from 1 to 2
workers. Usage: ``python benchmarks/bench_sweep.py [--samples N] [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import time

import pandas as pd

import negotiation as ng
from negotiation.studies import monte_carlo_samples, run_sweep


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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="200 samples")
    args = parser.parse_args(argv)
    n = 200 if args.quick else args.samples
    scenario = ng.load_scenario("ukraine_2025")
    samples = monte_carlo_samples(scenario, n, seed=0)
    print(f"ukraine_2025: {n} Monte Carlo samples, machine with {os.cpu_count()} cores")
    results = {}
    for workers in (1, 2):
        t = time.perf_counter()
        rows = run_sweep(scenario, samples, workers=workers, batch_size=50, progress=False)
        results[workers] = (time.perf_counter() - t, rows)
        secs = results[workers][0]
        print(
            f"  workers={workers}: {secs:7.2f} s  ({n / secs:7.1f} samples/s, "
            f"{secs / n * 1000:.2f} ms/sample; 10,000 samples ~ {10_000 * secs / n:.0f} s)"
        )
    pd.testing.assert_frame_equal(results[1][1], results[2][1])
    print(f"  speed-up 1 -> 2 workers: {results[1][0] / results[2][0]:.2f}x; rows identical")
    print(
        f"  control: this machine's own 1 -> 2 process speed-up on a pure CPU loop: "
        f"{machine_speedup(2_000_000 if args.quick else 10_000_000):.2f}x"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
