"""``negotiation report``: write the report of a scenario (figures, tables, JSON, Markdown, HTML).

>>> from negotiation.cli import main
>>> import tempfile, os
>>> with tempfile.TemporaryDirectory() as d:
...     main(["report", "textbook_two_party", "--out", d, "--formats", "png", "--no-sensitivity",
...           "--no-simulation", "--quiet"])
...     os.path.exists(os.path.join(d, "report.html"))
0
True
"""

from __future__ import annotations

import argparse
import sys

from negotiation.cli.common import (
    add_analysis_arguments,
    add_samples_argument,
    add_scenario_argument,
    bounded_int,
    rule_from_args,
    scenario_from_args,
    seed_int,
    split_names,
)
from negotiation.cli.output import add_json_argument, print_json_text, report_index, show_progress
from negotiation.errors import NegotiationError

__all__ = ["add_parser", "run", "MIN_DPI", "MAX_DPI", "MAX_OUTCOMES"]

#: PNG resolution bounds: below 30 text is unreadable; 1200 dpi is print quality (a 10-inch
#: figure is then 12,000 pixels wide, about 0.5 GB of pixels per figure).
MIN_DPI, MAX_DPI = 30, 1200
#: Largest --max-outcomes: the utility-space figures draw each point (10^7 points is ~1 GB).
MAX_OUTCOMES = 10_000_000


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "report",
        help="write a report: figures (PNG + SVG), tables (CSV), JSON, Markdown and HTML",
        description=(
            "Analyse a scenario and write, into --out DIR: every figure (utility space, pairwise "
            "views and parallel coordinates for 3+ parties, the solutions' deal table, who gains "
            "what, sensitivity of the Nash deal, a simulated negotiation), the tables (CSV), "
            "analysis.json, and report.md + report.html (self-contained, figures embedded). "
            "A scenario is a model for analysis, not a forecast."
        ),
    )
    add_scenario_argument(parser)
    parser.add_argument(
        "--out", metavar="DIR", default="report", help="output folder (default: ./report)"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="overwrite files in --out that this tool did not write (refused otherwise)",
    )
    parser.add_argument(
        "--formats",
        metavar="F,G",
        default="png,svg",
        help="figure formats: png, svg, pdf (default png,svg; PNG is always written)",
    )
    parser.add_argument(
        "--seed", type=seed_int, default=0, help="seed for samples and simulation (default 0)"
    )
    parser.add_argument(
        "--dpi",
        type=bounded_int(MIN_DPI, MAX_DPI),
        default=150,
        help=f"PNG resolution, {MIN_DPI} to {MAX_DPI} (default 150)",
    )
    add_samples_argument(parser)
    parser.add_argument(
        "--max-outcomes",
        type=bounded_int(1, MAX_OUTCOMES),
        default=1_000_000,
        metavar="N",
        help="outcomes drawn in the utility-space figures; larger spaces are sampled "
        f"(default 1e6, at most {MAX_OUTCOMES:.0e})",
    )
    parser.add_argument(
        "--no-sensitivity", action="store_true", help="skip the sensitivity section"
    )
    parser.add_argument(
        "--no-simulation", action="store_true", help="skip the simulated negotiation"
    )
    parser.add_argument("--no-equilibria", action="store_true", help="skip the equilibria section")
    add_analysis_arguments(parser)
    parser.add_argument(
        "--quiet", action="store_true", help="no progress output (none either when not a terminal)"
    )
    add_json_argument(parser, "the index of the files written (report, tables, figures)")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from negotiation.engine.analysis import analyze
    from negotiation.report import build_report

    formats = split_names(args.formats)
    bad = [f for f in formats if f.lower() not in ("png", "svg", "pdf")]
    if bad or not formats:
        raise NegotiationError(f"--formats must list png, svg or pdf, got {args.formats!r}")
    from negotiation.cli.outdir import (
        check_overwrite,
        is_report_file,
        prepare_out_dir,
        record_written,
    )
    from negotiation.report.files import snapshot, written_since

    out = prepare_out_dir(args.out)  # before any work: refuse early, write nothing
    check_overwrite(out, is_report_file, force=args.force)
    scenario = scenario_from_args(args)
    analysis = analyze(
        scenario,
        engine=args.engine,
        rule=rule_from_args(args, scenario),
        resolution=args.resolution,
        lotteries=not args.no_lotteries,
        progress=show_progress(args),
    )
    before = snapshot(out)
    try:
        path = build_report(
            analysis,
            out,
            formats=formats,
            seed=args.seed,
            dpi=args.dpi,
            max_outcomes=args.max_outcomes,
            sensitivity=not args.no_sensitivity,
            simulation=not args.no_simulation,
            equilibria=not args.no_equilibria,
            samples=args.samples,
            progress=False if (args.quiet or args.json) else None,
        )
    finally:
        record_written(out, written_since(out, before))
    if args.json:
        print_json_text(report_index(path))
    elif not args.quiet:
        print(f"wrote {path} (and report.md, figures/, tables, analysis.json)", file=sys.stdout)
    return 0
