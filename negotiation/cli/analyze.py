"""``negotiation analyze``: the main job.

Loads and validates a scenario, finds the Pareto-feasible frontier and the bargaining solutions,
prints a readable summary (or JSON), and with ``--out DIR`` writes the report, figures, tables
and JSON.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from negotiation.cli.common import (
    MODEL_NOT_FORECAST,
    add_analysis_arguments,
    add_samples_argument,
    add_scenario_command,
    bounded_float,
    bounded_int,
    rule_from_args,
    scenario_from_args,
    seed_int,
)
from negotiation.cli.output import fit_text, print_json_text, show_progress, terminal_width

__all__ = ["add_parser", "run", "FORECAST_NOTE"]

#: Printed under every summary: users meet the scenario here.
FORECAST_NOTE = (
    f"{MODEL_NOT_FORECAST}: its weights, values, red lines and reservations are assumptions "
    "(see the scenario's sources and comments)."
)


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = add_scenario_command(
        subparsers,
        "analyze",
        help="find the zone of agreement, the Pareto-feasible frontier and the bargaining solutions",
        description=(
            "Load and validate a scenario, search its outcome space for Pareto-feasible deals "
            "(feasible for every party and not dominated), and compute the bargaining solutions "
            "(Nash, asymmetric Nash, Kalai-Smorodinsky, egalitarian, utilitarian; also over "
            "lotteries). Prints a summary; --json prints machine-readable output; --out DIR "
            "writes the report (Markdown + HTML), figures (PNG + SVG), tables (CSV) and JSON."
        ),
    )
    parser.add_argument("--json", action="store_true", help="print the analysis as JSON")
    parser.add_argument("--out", metavar="DIR", help="write report, figures, tables and JSON here")
    parser.add_argument(
        "--force",
        action="store_true",
        help="with --out: overwrite files in DIR that this tool did not write (refused otherwise)",
    )
    add_analysis_arguments(parser)
    parser.add_argument(
        "--max-deals",
        type=bounded_int(0),
        metavar="N",
        help="list at most N frontier deals in the JSON",
    )
    parser.add_argument(
        "--epsilon",
        type=bounded_float(0),
        metavar="EPS",
        help="return an epsilon-Pareto frontier (every frontier deal within EPS of a returned one)",
    )
    parser.add_argument(
        "--seed", type=seed_int, default=0, help="seed for sampled figures (default 0)"
    )
    add_samples_argument(parser)  # the report's uncertainty section (with --out)
    parser.add_argument(
        "--quiet", action="store_true", help="no progress bars (none either when not a terminal)"
    )
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    out = None
    if args.out:  # check the folder before any work: refuse early, write nothing
        from negotiation.cli.outdir import check_overwrite, is_report_file, prepare_out_dir

        out = prepare_out_dir(args.out)
        check_overwrite(out, is_report_file, force=args.force)
    scenario = scenario_from_args(args)  # before the engine's imports: a bad file fails fast
    from negotiation.engine.analysis import analyze

    analysis = analyze(
        scenario,
        engine=args.engine,
        rule=rule_from_args(args, scenario),
        epsilon=args.epsilon,
        resolution=args.resolution,
        lotteries=not args.no_lotteries,
        progress=show_progress(args),
    )
    data = analysis.to_dict(max_deals=args.max_deals)
    extra = _equilibria(analysis)
    if extra:
        data["equilibria"] = extra
    if args.json:
        print_json_text(data)  # the text of Analysis.to_json(), plus the equilibria
    else:
        width = terminal_width()
        print(fit_text(analysis.summary(width=width), width))
        if extra:
            print()
            print(fit_text(_equilibria_text(extra), width))
        print(fit_text(f"\nNote: {FORECAST_NOTE}", width))
    if out is not None:
        written = _write_outputs(
            analysis,
            out,
            seed=args.seed,
            samples=args.samples,
            progress=None if not args.quiet else False,
        )
        print(f"\nwrote {written}", file=sys.stderr if args.json else sys.stdout)
    return 0


def _equilibria(analysis) -> dict:
    """Game-theoretic equilibria for the summary, where the games module applies."""
    from negotiation.dynamics.games import equilibria_summary

    if analysis.frontier.is_empty or len(analysis.scenario.parties) < 2:
        return {}
    return equilibria_summary(analysis.scenario)


def _equilibria_text(eq: dict) -> str:
    """The games module's own words where it gives them, else one line per model."""
    if isinstance(eq.get("text"), str):
        return eq["text"]
    lines = ["Equilibria (game-theoretic models):"]
    for name, result in eq.items():
        if not isinstance(result, dict) or "agreement" not in result:
            continue
        agreement = result["agreement"]
        who = ", ".join(result.get("parties", []))
        if agreement is None:
            lines.append(f"  {name} ({who}): no agreement")
            continue
        utils = ", ".join(f"{p} {u:.3f}" for p, u in agreement.get("utilities", {}).items())
        lines.append(f"  {name} ({who}): {utils}")
    return "\n".join(lines)


def _write_outputs(
    analysis, out: Path, *, seed: int, samples: int | None = None, progress: bool | None = None
) -> Path:
    """The report: figures, tables, ``analysis.json``, ``report.md`` and ``report.html``
    (a progress bar on a terminal unless ``--quiet``)."""
    from negotiation.cli.outdir import record_written, snapshot, written_since
    from negotiation.report import build_report

    before = snapshot(out)
    try:
        return build_report(analysis, out, seed=seed, samples=samples, progress=progress)
    finally:
        record_written(out, written_since(out, before))
