"""``negotiation forecast``: political forecasting models on a scenario or spatial data.

Examples::

    negotiation forecast                                   # ukraine_2025, compromise model
    negotiation forecast ukraine_2025 --model eum --rounds 20 --json
    negotiation forecast eu_car_emissions.csv --model median     # a BDM CSV file
    negotiation forecast decide_input.txt --model exchange       # a Decide input file
"""

from __future__ import annotations

import argparse
from pathlib import Path

from negotiation.cli.common import DEFAULT_SCENARIO, print_json
from negotiation.errors import NegotiationError

__all__ = ["add_parser", "run"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Add the ``forecast`` sub-command to the top-level parser."""
    from negotiation.forecast import FORECASTS
    from negotiation.forecast.scenario import AXES

    parser = subparsers.add_parser(
        "forecast",
        help="political forecasting models: compromise, median voter, EUM, exchange, PCE",
        description=(
            "Forecast the outcome of each issue with a spatial forecasting model of the kind "
            "used for EU Council and peace-process studies (positions x capability x salience, "
            "run round by round), and score the forecast deal (the level nearest each "
            "forecast) against the frontier and the bargaining solutions. SCENARIO may also be "
            "spatial data: a BDM CSV (Actor,Capability,Position,Salience), a KTAB SMP CSV "
            "(Actor,Description,Power,Pstn1,Sal1,...) or a Decide input file (#A/#P/#M/#D "
            "rows)."
        ),
        epilog=(
            "Positions are on each issue's 0-100 axis (see docs/forecasting.md for how a "
            "scenario's levels are placed on it). Exit codes: 0 success, 2 bad input."
        ),
    )
    parser.add_argument(
        "scenario",
        nargs="?",
        default=DEFAULT_SCENARIO,
        metavar="SCENARIO",
        help=(
            "a scenario TOML file, a GENIUS domain, the name of a bundled scenario (default: "
            f"{DEFAULT_SCENARIO}), or a spatial data file (.csv/.txt: BDM, KTAB SMP, Decide)"
        ),
    )
    parser.add_argument(
        "--model",
        default="compromise",
        choices=list(FORECASTS),
        help="the forecasting model (default: compromise)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        metavar="N",
        default=None,
        help="rounds of the dynamic models (eum: 10, exchange: 10, pce: 100 by default)",
    )
    parser.add_argument(
        "--axis",
        choices=AXES,
        default="auto",
        help="how a scenario's levels are placed on 0-100: by number labels or order "
        "(auto, default), by order, by labels, or by a reference party's values",
    )
    parser.add_argument(
        "--reference", metavar="PARTY", default=None, help="the party of --axis values"
    )
    parser.add_argument(
        "--salience",
        choices=("relative", "weights"),
        default="relative",
        help="salience from a party's weights: relative to its top issue (default) or the "
        "normalised weights",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(run=run)
    return parser


def load_forecast_source(source: str):
    """A spatial data file as a SpatialProblem (its exact data), anything else as a scenario."""
    from negotiation.io import load_scenario
    from negotiation.io.spatial import SPATIAL_SUFFIXES, load_spatial

    path = Path(source)
    if path.suffix.lower() in SPATIAL_SUFFIXES and path.is_file():
        return load_spatial(path)
    return load_scenario(source)


def run(args: argparse.Namespace) -> int:
    """Run the sub-command; returns the exit code."""
    from negotiation.forecast.scenario import forecast_scenario

    if args.rounds is not None and args.rounds < 1:
        raise NegotiationError(f"--rounds must be a positive integer, got {args.rounds}")
    source = load_forecast_source(args.scenario)
    result = forecast_scenario(
        source,
        args.model,
        rounds=args.rounds,
        axis=args.axis,
        reference=args.reference,
        salience=args.salience,
        progress=None if not args.json else False,
    )
    if args.json:
        data = result.to_dict()
        data.setdefault("scenario", result.scenario.name)
        print_json(data)
    else:
        print(result.summary())
        print("\nNote: a forecast under the model's assumptions, from the scenario's numbers.")
    return 0
