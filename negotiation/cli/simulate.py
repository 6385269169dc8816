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

from negotiation.cli.common import MAX_RESOLUTION, bounded_int, seed_int
from negotiation.dynamics.protocols.registry import PROTOCOLS, simulate
from negotiation.dynamics.strategies.registry import STRATEGIES

__all__ = ["add_parser", "run", "MAX_ROUNDS"]

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
    parser.add_argument(
        "--parties",
        default=None,
        metavar="A,B,...",
        help="the parties at the table, in turn order (default: all for the multilateral "
        "protocols, the first two for alternating)",
    )
    parser.add_argument("--seed", type=seed_int, default=0, help="random seed (default: 0)")
    parser.add_argument(
        "--rounds",
        type=bounded_int(1, MAX_ROUNDS),
        default=100,
        help=f"deadline in offers or texts, 1 to {MAX_ROUNDS:,} (default: 100)",
    )
    parser.add_argument(
        "--resolution",
        type=bounded_int(2, MAX_RESOLUTION),
        default=21,
        metavar="N",
        help="grid points per continuous issue: the agents bargain over this grid, as "
        "'analyze' does (default 21)",
    )
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
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
    from negotiation.model import load_scenario

    scenario = load_scenario(args.scenario)
    note = None
    if scenario.is_continuous:  # one rule for every command: discretise as 'analyze' does
        scenario = scenario.discretize(args.resolution)
        note = (
            f"continuous issues discretised on {args.resolution} grid points (--resolution); "
            "the agents bargain over that grid"
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
        data = result.to_json()
        if note:
            data["resolution"] = args.resolution
            data.setdefault("notes", []).append(note)
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        max_rows = 10**9 if args.all_rounds else 12
        from negotiation.cli.output import fit_text

        print(fit_text(result.summary(max_rows=max_rows)))
        if note:
            print(f"Note: {note}.")
        print("(a simulation of modelled agents: a model for analysis, not a forecast)")
    return 0
