"""``negotiation evaluate``: score proposals, and repair them with the smallest change.

Examples::

    negotiation evaluate                                   # every proposal of ukraine_2025
    negotiation evaluate ukraine_2025 --proposal alaska_putin --repair
    negotiation evaluate ukraine_2025 --deal donbas=freeze_current_line,nato_path=frozen --json
    negotiation evaluate my.toml --proposal plan.toml --repair --repair-for Russia,Ukraine
"""

from __future__ import annotations

import argparse
from pathlib import Path

from negotiation.cli.common import (
    MODEL_NOT_FORECAST,
    add_analysis_arguments,
    add_scenario_command,
    print_json,
    rule_from_args,
    scenario_from_args,
    split_names,
)

__all__ = ["add_parser", "run"]

NOTE = (
    f"{MODEL_NOT_FORECAST}: a proposal's scores follow from the scenario's assumed weights, "
    "values, red lines and reservations."
)


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = add_scenario_command(
        subparsers,
        "evaluate",
        help="score proposals: who accepts, red lines crossed, ranks, efficiency, repair",
        description=(
            "Score proposals against a scenario: every party's utility against its reservation, "
            "who accepts and who rejects, the red lines and joint constraints crossed, the rank "
            "in each party's order over the allowed outcomes (exact), efficiency and the Pareto "
            "improvements everybody prefers, and for a proposal that leaves issues open, its "
            "feasible completions. --repair adds the feasible deals that need the fewest issue "
            "changes. Without --proposal or --deal, every [[proposal]] of the scenario."
        ),
    )
    parser.add_argument(
        "--proposal",
        action="append",
        default=[],
        metavar="NAME|FILE",
        help="a [[proposal]] of the scenario by name, or a proposal TOML file (repeatable)",
    )
    parser.add_argument(
        "--deal",
        action="append",
        default=[],
        metavar="ISSUE=LEVEL,...",
        help="a proposal on the command line; issues left out stay open (repeatable)",
    )
    parser.add_argument(
        "--repair", action="store_true", help="also find the smallest change that makes a deal"
    )
    parser.add_argument(
        "--repair-for",
        metavar="A,B",
        help="repair: only these parties must accept (default: the agreement rule)",
    )
    parser.add_argument("--json", action="store_true", help="print the scorecards as JSON")
    add_analysis_arguments(parser)
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    parser.set_defaults(run=run)
    return parser


def _proposals(args: argparse.Namespace, scenario):
    from negotiation.model.proposals import load_proposal, parse_deal

    out = []
    for item in args.proposal:
        path = Path(item)
        if item.endswith(".toml") or path.is_file():
            out.append(load_proposal(path))
        else:
            out.append(item)
    for k, text in enumerate(args.deal):
        out.append(parse_deal(text, name="deal" if len(args.deal) == 1 else f"deal{k + 1}"))
    return out or None


def run(args: argparse.Namespace) -> int:
    from negotiation.engine.evaluate import evaluate

    scenario = scenario_from_args(args)
    repair_for = split_names(args.repair_for) or None
    ev = evaluate(
        scenario,
        _proposals(args, scenario),
        rule=rule_from_args(args, scenario),
        repair=args.repair or bool(repair_for),
        repair_parties=repair_for,
        resolution=args.resolution,
        engine=args.engine,
        progress=not (args.quiet or args.json),
    )
    if args.json:
        print_json(ev.to_json())
    else:
        print(ev.summary())
        print(f"\nNote: {NOTE}")
    return 0
