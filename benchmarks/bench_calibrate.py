"""Calibration speed: ``negotiation calibrate ukraine_2025`` with 2,000 samples.

Target (issue "Calibrate a scenario to evidence"): under a minute on this machine. Times the
three stages separately: the linear programmes (feasibility, Chebyshev centre, two bounds per
parameter), the hit-and-run sampling, and the analysis of every sample through the sweep
machinery (which dominates: one frontier enumeration per sample). Usage:
``python benchmarks/bench_calibrate.py [--samples N] [--workers W]``. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import time

import negotiation as ng
from negotiation.engine.calibrate import calibrate
from negotiation.model.evidence import load_evidence
from negotiation.studies.calibration import robust_conclusions


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args(argv)
    scenario = ng.load_scenario("ukraine_2025")
    items = load_evidence("ukraine_2025_evidence")
    t0 = time.perf_counter()
    cal = calibrate(scenario, items)
    t1 = time.perf_counter()
    samples, rhat = cal.sample(args.samples, seed=0)
    t2 = time.perf_counter()
    summary, _ = robust_conclusions(cal, args.samples, seed=0, workers=args.workers, progress=False)
    t3 = time.perf_counter()
    sweep = (t3 - t2) - (t2 - t1)  # robust_conclusions samples again, then sweeps
    print(f"evidence items: {len(items)}; parameters: {len(cal.names)}")
    print(f"linear programmes (feasibility, centre, {2 * len(cal.names)} bounds): {t1 - t0:.2f} s")
    print(f"hit-and-run, {args.samples} samples: {t2 - t1:.2f} s (split-R-hat {rhat:.3f})")
    print(
        f"analysis of every sample (sweep): {sweep:.1f} s ({sweep / args.samples * 1e3:.0f} ms/sample)"
    )
    print(
        f"total: {t1 - t0 + t3 - t2:.1f} s; zone non-empty in {summary['agreement']['probability']:.1%}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
