"""Argument helpers shared by the sub-commands."""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from typing import Any

from negotiation.errors import ScenarioError
from negotiation.io import load_scenario
from negotiation.model import AgreementRule, Scenario

__all__ = [
    "bounded_int",
    "bounded_float",
    "seed_int",
    "MAX_RESOLUTION",
    "add_analysis_arguments",
    "add_samples_argument",
    "add_scenario_argument",
    "print_json",
    "rule_from_args",
    "scenario_from_args",
    "split_names",
]

DEFAULT_SCENARIO = "ukraine_2025"

#: Largest ``--resolution`` (grid points per continuous issue): the grid is the product over the
#: continuous issues, so even one issue at this resolution is a large outcome space.
MAX_RESOLUTION = 10_000
#: Largest seed: numpy's generators take any non-negative integer; 2**63 - 1 keeps it portable.
MAX_SEED = 2**63 - 1
#: The reminder under every summary; each command says after the colon which assumptions.
MODEL_NOT_FORECAST = "a scenario is a model for analysis, not a forecast"


def _parse_int(text: str) -> int:
    """``"12"`` -> 12; ``"3e8"`` -> 300000000 (an integral number in scientific notation)."""
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if not math.isfinite(value) or value != int(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer")
    return int(value)


def bounded_int(low: int | None = None, high: int | None = None) -> Callable[[str], int]:
    """An argparse ``type`` for an integer in ``[low, high]`` (either bound optional).

    Out of range, argparse exits with status 2 and one message naming the option and the bound.

    Examples
    --------
    >>> bounded_int(1, 10)("3")
    3
    >>> bounded_int(1, 10)("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be from 1 to 10, got 0
    """

    def parse(text: str) -> int:
        value = _parse_int(text)
        if (low is not None and value < low) or (high is not None and value > high):
            if high is None:
                raise argparse.ArgumentTypeError(f"must be at least {low}, got {value}")
            if low is None:
                raise argparse.ArgumentTypeError(f"must be at most {high}, got {value}")
            raise argparse.ArgumentTypeError(f"must be from {low} to {high}, got {value}")
        return value

    parse.__name__ = "integer"  # argparse names the type in its own messages
    return parse


def bounded_float(
    low: float | None = None,
    high: float | None = None,
    *,
    low_open: bool = False,
    high_open: bool = False,
) -> Callable[[str], float]:
    """An argparse ``type`` for a finite number in a range (bounds optional, open or closed).

    NaN and infinities are always refused.

    Examples
    --------
    >>> bounded_float(0, 1, high_open=True)("0.5")
    0.5
    >>> bounded_float(0)("nan")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a finite number, got 'nan'
    """

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"must be a finite number, got {text!r}")
        bad_low = low is not None and (value <= low if low_open else value < low)
        bad_high = high is not None and (value >= high if high_open else value > high)
        if bad_low or bad_high:
            lo = "" if low is None else ("(" if low_open else "[") + f"{low:g}"
            hi = "" if high is None else f"{high:g}" + (")" if high_open else "]")
            if low is None:
                where = f"must be {'<' if high_open else '<='} {high:g}"
            elif high is None:
                where = f"must be {'>' if low_open else '>='} {low:g}"
            else:
                where = f"must be in {lo}, {hi}"
            raise argparse.ArgumentTypeError(f"{where}, got {value:g}")
        return value

    parse.__name__ = "number"
    return parse


#: ``--seed``: a non-negative integer (numpy's generators refuse negative seeds).
seed_int = bounded_int(0, MAX_SEED)


def add_scenario_argument(parser: argparse.ArgumentParser) -> None:
    """The positional SCENARIO (a TOML file, a GENIUS domain, or a bundled name)."""
    parser.add_argument(
        "scenario",
        nargs="?",
        default=DEFAULT_SCENARIO,
        metavar="SCENARIO",
        help=(
            "a scenario TOML file, a GENIUS domain (XML file or folder), or the name of a "
            f"bundled scenario (default: {DEFAULT_SCENARIO}; a model for analysis, not a forecast)"
        ),
    )


def add_scenario_command(
    subparsers: argparse._SubParsersAction, name: str, *, help: str, description: str
) -> argparse.ArgumentParser:
    """The parser of a subcommand that reads one scenario: its help, its description and the
    scenario argument (:func:`add_scenario_argument`); the command adds its own options."""
    parser = subparsers.add_parser(name, help=help, description=description)
    add_scenario_argument(parser)
    return parser


def add_analysis_arguments(parser: argparse.ArgumentParser) -> None:
    """The options that shape an analysis: engine, agreement rule, continuous grid."""
    parser.add_argument(
        "--engine",
        choices=("auto", "enumerate", "search"),
        default="auto",
        help="frontier engine: enumerate the space, search issue by issue, or choose by size "
        "(default)",
    )
    parser.add_argument(
        "--quota",
        type=bounded_int(1),
        metavar="Q",
        help="agreement rule: at least Q parties must accept",
    )
    parser.add_argument(
        "--veto", metavar="A,B", help="agreement rule: these parties must always accept"
    )
    parser.add_argument(
        "--resolution",
        type=bounded_int(2, MAX_RESOLUTION),
        default=21,
        metavar="N",
        help="grid points per continuous issue for the frontier (default 21, at most "
        f"{MAX_RESOLUTION:,})",
    )
    parser.add_argument(
        "--no-lotteries",
        action="store_true",
        help="skip the bargaining solutions over lotteries (randomised agreements)",
    )


def scenario_from_args(args: argparse.Namespace) -> Scenario:
    """Load the scenario named on the command line."""
    return load_scenario(args.scenario)


def split_names(text: str | None) -> tuple[str, ...]:
    """``"A,B"`` -> ``("A", "B")`` (empty names dropped, spaces around names stripped)."""
    if not text:
        return ()
    return tuple(part.strip() for part in text.split(",") if part.strip())


def rule_from_args(args: argparse.Namespace, scenario: Scenario) -> AgreementRule | None:
    """An agreement rule from ``--quota``/``--veto``, or ``None`` for the scenario's own."""
    quota = getattr(args, "quota", None)
    veto = split_names(getattr(args, "veto", None))
    if quota is None and not veto:
        return None
    for v in veto:
        if v not in scenario.party_names:
            raise ScenarioError(
                f"--veto names unknown party (parties: {list(scenario.party_names)})", party=v
            )
    if quota is not None and not 1 <= quota <= len(scenario.parties):
        raise ScenarioError(f"--quota must be from 1 to {len(scenario.parties)}, got {quota}")
    return AgreementRule(quota=quota, veto=veto)


def print_json(data: Any) -> None:
    """Print JSON to stdout (indented, UTF-8, finite numbers only)."""
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, allow_nan=False)
    sys.stdout.write("\n")


# -- the report's Monte Carlo sample size (negotiation report, analyze --out) ------------------
def add_samples_argument(parser: argparse.ArgumentParser) -> None:
    """``--samples N``: Monte Carlo variants in the report's uncertainty section."""
    from negotiation.studies.defaults import DEFAULT_SAMPLES

    parser.add_argument(
        "--samples",
        type=bounded_int(1, 100_000),
        default=DEFAULT_SAMPLES,
        metavar="N",
        help=f"Monte Carlo variants in the report's uncertainty section (default "
        f"{DEFAULT_SAMPLES}, as in `negotiation sweep`: same seed and N, same results)",
    )
