"""``negotiation levers``: what pressure changes, lever by lever and in pairs.

Examples::

    negotiation levers                      # the levers of ukraine_2025, ranked by effect
    negotiation levers ukraine_2025 --json
    negotiation levers my.toml --no-pairs
"""

from __future__ import annotations

import argparse

from negotiation.cli.common import add_scenario_command, print_json, scenario_from_args

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = add_scenario_command(
        subparsers,
        "levers",
        help="apply each [[lever]] (and each pair) and rank them by their effect on the deal",
        description=(
            "Apply each of the scenario's [[lever]] what-ifs, and each pair of them, and rank "
            "the variants by effect: does the zone of agreement open or close, how the feasible "
            "count changes, which terms of each solution change and every party's utility "
            "change. A scenario is a model for analysis, not a forecast."
        ),
    )
    parser.add_argument("--json", action="store_true", help="print the ranking as JSON")
    parser.add_argument("--no-pairs", action="store_true", help="single levers only")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from negotiation.studies.levers import lever_effects

    scenario = scenario_from_args(args)
    study = lever_effects(scenario, pairs=not args.no_pairs, progress=not (args.quiet or args.json))
    if args.json:
        print_json(study.to_json())
    else:
        print(study.summary())
        print("\nNote: a model for analysis, not a forecast: lever sizes are assumptions.")
    return 0
