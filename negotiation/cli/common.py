"""Argument helpers shared by the sub-commands."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from negotiation.errors import ScenarioError
from negotiation.model import AgreementRule, Scenario, load_scenario

__all__ = [
    "add_analysis_arguments",
    "add_samples_argument",
    "add_scenario_argument",
    "print_json",
    "rule_from_args",
    "scenario_from_args",
    "split_names",
]

DEFAULT_SCENARIO = "ukraine_2025"


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
        "--quota", type=int, metavar="Q", help="agreement rule: at least Q parties must accept"
    )
    parser.add_argument(
        "--veto", metavar="A,B", help="agreement rule: these parties must always accept"
    )
    parser.add_argument(
        "--resolution",
        type=int,
        default=21,
        metavar="N",
        help="grid points per continuous issue for the frontier (default 21)",
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
    from negotiation.studies.sweep import DEFAULT_SAMPLES

    parser.add_argument(
        "--samples",
        type=int,
        default=DEFAULT_SAMPLES,
        metavar="N",
        help=f"Monte Carlo variants in the report's uncertainty section (default "
        f"{DEFAULT_SAMPLES}, as in `negotiation sweep`: same seed and N, same results)",
    )
