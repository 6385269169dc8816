"""The full analysis and report of the default scenario (ukraine_2025).

    python experiments/ukraine_baseline.py [--quick] [--out DIR]

Writes the report (Markdown + HTML), figures, tables and the analysis JSON to
``results/ukraine_baseline/``. The scenario is a model for analysis, not a forecast.
``--quick`` leaves out the sensitivity and simulation sections of the report.
"""

from __future__ import annotations

from collections.abc import Sequence

from _common import parse_args

import negotiation as ng
from negotiation.report import build_report

NAME = "ukraine_baseline"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(NAME, __doc__.splitlines()[0], argv)
    scenario = ng.load_scenario("ukraine_2025")
    analysis = ng.analyze(scenario)
    print(analysis.summary())
    report = build_report(
        analysis, args.out, seed=args.seed, sensitivity=not args.quick, simulation=not args.quick
    )
    print(f"\nwrote {report} (and figures, tables and JSON in {args.out})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
