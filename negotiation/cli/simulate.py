"""``negotiation simulate``: run one negotiation round by round and print the trace and agreement.

Examples::

    negotiation simulate                                   # ukraine_2025, Russia vs Ukraine
    negotiation simulate ukraine_2025 --protocol alternating --agents boulware,conceder \\
        --parties Russia,Ukraine --seed 1
    negotiation simulate ukraine_2025 --protocol mediated --agents linear --json
    negotiation simulate --list                            # strategies and protocols
"""

from __future__ import annotations

import argparse
import json
import sys

from negotiation.cli.common import bounded_int, scenario_from_args, seed_int
from negotiation.cli.model_args import (
    add_json_argument,
    add_parties_argument,
    add_resolution_argument,
    discretized,
    print_summary,
    with_note,
)
from negotiation.dynamics.protocols.registry import PROTOCOLS, simulate
from negotiation.dynamics.strategies.registry import STRATEGIES

__all__ = ["add_parser", "run", "MAX_ROUNDS"]

#: The trace's JSON: indented, UTF-8 (NaN allowed, as it always was for this command).
_JSON: dict = {"indent": 2, "ensure_ascii": False}

#: Largest --rounds: every round asks each agent for a move and records it in the trace.
MAX_ROUNDS = 100_000


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Add the ``simulate`` sub-command to the top-level parser."""
    parser = subparsers.add_parser(
        "simulate",
        help="simulate a negotiation round by round (protocols and agent strategies)",
        description=(
            "Simulate a negotiation between agents following strategies under a protocol, and "
            "print the trace summary and the agreement (or why there is none). Runs are seeded "
            "and reproducible. A model for analysis, not a forecast."
        ),
        epilog=(
            f"Protocols: {', '.join(PROTOCOLS)}. Strategies: {', '.join(STRATEGIES)}. "
            "The bilateral protocol seats the first two parties unless --parties says otherwise; "
            "an agreement must be acceptable to the parties at the table, and the others' "
            "utilities are reported too."
        ),
    )
    parser.add_argument(
        "scenario",
        nargs="?",
        default="ukraine_2025",
        help="bundled scenario name or TOML file (default: ukraine_2025)",
    )
    parser.add_argument(
        "--protocol",
        default="alternating",
        metavar="NAME",
        help=f"{' | '.join(PROTOCOLS)} (default: alternating)",
    )
    parser.add_argument(
        "--agents",
        default=None,
        metavar="S1,S2,...",
        help="one strategy per party at the table, in turn order, or one for everybody "
        "(default: boulware and conceder dealt round the table, for any number of parties)",
    )
    add_parties_argument(
        parser,
        "the parties at the table, in turn order (default: all for the multilateral "
        "protocols, the first two for alternating)",
    )
    parser.add_argument("--seed", type=seed_int, default=0, help="random seed (default: 0)")
    parser.add_argument(
        "--rounds",
        type=bounded_int(1, MAX_ROUNDS),
        default=100,
        help=f"deadline in offers or texts, 1 to {MAX_ROUNDS:,} (default: 100)",
    )
    add_resolution_argument(
        parser,
        "grid points per continuous issue: the agents bargain over this grid, as "
        "'analyze' does (default 21)",
    )
    add_json_argument(parser, "print the full result as JSON")
    parser.add_argument(
        "--all-rounds", action="store_true", help="print every round of the trace, not a summary"
    )
    parser.add_argument(
        "--list", action="store_true", help="list the strategies and protocols, then exit"
    )
    parser.set_defaults(run=run)
    return parser


def _listing() -> str:
    lines = ["protocols:"]
    for name, spec in PROTOCOLS.items():
        lines.append(f"  {name:<16} {spec.description}")
    lines.append("strategies:")
    for name, cls in STRATEGIES.items():
        doc = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""
        lines.append(f"  {name:<16} {doc}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Run the sub-command; returns the exit code (errors are raised as NegotiationError)."""
    if args.list:
        print(_listing())
        return 0
    scenario, note = discretized(
        scenario_from_args(args), args.resolution, detail="; the agents bargain over that grid"
    )
    result = simulate(
        scenario,
        protocol=args.protocol,
        agents=args.agents,
        seed=args.seed,
        rounds=args.rounds,
        parties=args.parties,
    )
    if args.json:
        json.dump(with_note(result.to_json(), args.resolution, note), sys.stdout, **_JSON)
        sys.stdout.write("\n")
    else:
        max_rows = 10**9 if args.all_rounds else 12
        print_summary(
            result.summary(max_rows=max_rows),
            note,
            "(a simulation of modelled agents: a model for analysis, not a forecast)",
        )
    return 0
