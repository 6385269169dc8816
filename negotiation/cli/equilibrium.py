"""``negotiation equilibrium``: game-theoretic equilibria of a scenario.

Examples::

    negotiation equilibrium                                    # ukraine_2025, Rubinstein
    negotiation equilibrium ukraine_2025 --model rubinstein --parties Russia,Ukraine \\
        --proposer Ukraine --breakdown 0.1 --json
    negotiation equilibrium --model finite --horizon 4
    negotiation equilibrium --model baron-ferejohn --quota 3 --veto Ukraine
    negotiation equilibrium --model demand-game --parties Russia,Ukraine
    negotiation equilibrium --model demand-game --demands 101 --method pure
    negotiation equilibrium --model coalitions
"""

from __future__ import annotations

import argparse
import dataclasses

from negotiation.cli.common import (
    add_scenario_argument,
    bounded_int,
    print_json,
    scenario_from_args,
    split_names,
)
from negotiation.cli.model_args import (
    add_json_argument,
    add_parties_argument,
    add_resolution_argument,
    discretized,
    print_summary,
    with_note,
)
from negotiation.dynamics.games.registry import DEFAULT_HORIZON, MODELS, solve_equilibrium
from negotiation.errors import ScenarioError
from negotiation.model.scenario import AgreementRule

__all__ = ["add_parser", "run", "MAX_HORIZON", "MAX_DEMANDS"]

#: Largest --horizon (finite model): backward induction does one step per round.
MAX_HORIZON = 10_000
#: Most frontier deals in the demand game (a square normal-form game of this size). The default
#: method above 7 x 7 finds the exact pure equilibria in O(n^2); 101 demands take well under 5 s.
MAX_DEMANDS = 1_000


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Add the ``equilibrium`` sub-command to the top-level parser."""
    parser = subparsers.add_parser(
        "equilibrium",
        help="game-theoretic equilibria: Rubinstein, finite horizon, Baron-Ferejohn, demand game",
        description=(
            "Compute what strategic parties would agree in a game-theoretic model of the "
            "bargaining: Rubinstein alternating offers (two parties, infinite horizon), a "
            "finite horizon with a deadline (backward induction), Baron-Ferejohn random "
            "recognition (stationary equilibrium), Nash's demand game (nashpy), or the "
            "coalition analysis (who can agree without whom). A model for analysis, not a "
            "forecast."
        ),
        epilog=(
            "Two-party models use the first two parties unless --parties says otherwise; the "
            "other parties' utilities are reported with every deal. An agreement may be a "
            "lottery of two adjacent frontier deals (printed as a mixture). "
            "Exit codes: 0 success, 2 bad input."
        ),
    )
    add_scenario_argument(parser)
    parser.add_argument(
        "--model",
        default="rubinstein",
        choices=sorted(MODELS),
        help="the game (default: rubinstein)",
    )
    add_parties_argument(parser, "the players (two for rubinstein and demand-game)")
    parser.add_argument(
        "--proposer", metavar="NAME", default=None, help="who proposes first (rubinstein, finite)"
    )
    parser.add_argument(
        "--horizon",
        type=int,
        metavar="T",
        default=None,
        help=f"rounds before the deadline (finite; default {DEFAULT_HORIZON}, at most "
        f"{MAX_HORIZON:,})",
    )
    parser.add_argument(
        "--breakdown",
        type=float,
        metavar="P",
        default=None,
        help="per-round probability that talks collapse (0 <= P < 1)",
    )
    parser.add_argument(
        "--discount",
        action="append",
        metavar="NAME=D",
        default=None,
        help="override a party's discount factor, in (0, 1] (repeatable)",
    )
    parser.add_argument(
        "--quota",
        type=bounded_int(1),
        metavar="Q",
        default=None,
        help="players who must accept (finite, baron-ferejohn, coalitions)",
    )
    parser.add_argument(
        "--veto",
        metavar="A,B",
        default=None,
        help="agreement rule: these parties must always accept (finite, baron-ferejohn, "
        "coalitions; as in 'analyze')",
    )
    parser.add_argument(
        "--lotteries", action="store_true", help="let proposers offer lotteries over deals (finite)"
    )
    parser.add_argument(
        "--demands",
        type=bounded_int(1, MAX_DEMANDS),
        metavar="N",
        default=None,
        help=f"frontier deals in the demand game (default 6, at most {MAX_DEMANDS})",
    )
    add_resolution_argument(
        parser,
        "grid points per continuous issue, as 'analyze' uses (default 21); Rubinstein on "
        "one continuous issue is solved exactly",
    )
    parser.add_argument(
        "--method",
        metavar="M",
        default=None,
        help=(
            "demand game: nashpy algorithms, 'auto' (default: support, vertex and Lemke-Howson "
            "up to 7 x 7 demands, else the exact pure equilibria only), 'pure', 'all', or a "
            "comma-separated list of support, vertex, lemke-howson"
        ),
    )
    add_json_argument(parser, "print the result as JSON")
    parser.set_defaults(run=run)
    return parser


def _discounts(items: list[str] | None) -> dict[str, float] | None:
    if not items:
        return None
    out: dict[str, float] = {}
    for item in items:
        name, sep, value = item.rpartition("=")
        if not sep or not name.strip():
            raise ScenarioError(f"--discount needs NAME=VALUE, got {item!r}")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise ScenarioError(f"--discount {item!r}: {value!r} is not a number") from None
    return out


def _exact(scenario) -> bool:
    """Rubinstein on one continuous issue is solved exactly (no grid), see rubinstein.py."""
    from negotiation.dynamics.games.rubinstein import exact_discretization

    return scenario.is_continuous and exact_discretization(scenario) is not None


#: Models whose agreement rule a veto changes.
_RULED = ("finite", "baron-ferejohn", "coalitions")


def _with_veto(scenario, model: str, veto: tuple[str, ...]):
    """The scenario with ``veto`` as its veto players (names checked; the quota kept)."""
    if model not in _RULED:
        raise ScenarioError(
            f"--veto does not apply to the {model} model (it applies to {', '.join(_RULED)})"
        )
    for v in veto:
        if v not in scenario.party_names:
            raise ScenarioError(
                f"--veto names unknown party (parties: {list(scenario.party_names)})", party=v
            )
    rule = AgreementRule(quota=scenario.agreement.quota, veto=veto)
    return dataclasses.replace(scenario, agreement=rule)


def run(args: argparse.Namespace) -> int:
    """Run the sub-command; returns the exit code."""
    if args.horizon is not None and args.horizon > MAX_HORIZON:
        raise ScenarioError(f"--horizon must be at most {MAX_HORIZON:,}, got {args.horizon:,}")
    scenario = scenario_from_args(args)
    note = None
    if not (args.model == "rubinstein" and _exact(scenario)):
        scenario, note = discretized(scenario, args.resolution)
    parties = split_names(args.parties) if args.parties is not None else None
    if parties is not None and len(parties) < 2:
        raise ScenarioError(
            f"--parties needs at least two parties, got {list(parties)} "
            f"(the scenario's parties are {list(scenario.party_names)})"
        )
    if args.veto is not None:
        scenario = _with_veto(scenario, args.model, split_names(args.veto))
    result = solve_equilibrium(
        args.model,
        scenario,
        parties=parties,
        proposer=args.proposer,
        horizon=args.horizon,
        breakdown=args.breakdown,
        discounts=_discounts(args.discount),
        quota=args.quota,
        lotteries=args.lotteries,
        n_demands=args.demands,
        methods=args.method,
    )
    if args.json:
        data = result.to_dict()
        data.setdefault("scenario", scenario.name)
        print_json(with_note(data, args.resolution, note))
    else:
        print_summary(result.summary(), note, "\nNote: a model for analysis, not a forecast.")
    return 0
