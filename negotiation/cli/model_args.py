"""Options and output shared by the commands that run a model on a scenario
(``negotiation equilibrium``, ``negotiation simulate``): the players, the continuous grid, JSON.

One helper per option, so that each command keeps its own order of options in ``--help``.
"""

from __future__ import annotations

import argparse

from negotiation.cli.common import MAX_RESOLUTION, bounded_int
from negotiation.cli.output import fit_text
from negotiation.model.scenario import Scenario

__all__ = [
    "add_parties_argument",
    "add_resolution_argument",
    "add_json_argument",
    "discretized",
    "with_note",
    "print_summary",
]


def add_parties_argument(parser: argparse.ArgumentParser, help: str) -> None:
    """``--parties A,B,...``: the players (default ``None``: the command decides)."""
    parser.add_argument("--parties", metavar="A,B,...", default=None, help=help)


def add_resolution_argument(parser: argparse.ArgumentParser, help: str) -> None:
    """``--resolution N``: grid points per continuous issue (2 to ``MAX_RESOLUTION``,
    default 21, as ``analyze`` uses)."""
    parser.add_argument(
        "--resolution",
        type=bounded_int(2, MAX_RESOLUTION),
        default=21,
        metavar="N",
        help=help,
    )


def add_json_argument(parser: argparse.ArgumentParser, help: str) -> None:
    """``--json``: print the result as JSON."""
    parser.add_argument("--json", action="store_true", help=help)


def discretized(
    scenario: Scenario, resolution: int, *, detail: str = ""
) -> tuple[Scenario, str | None]:
    """The scenario on a grid of ``resolution`` points per continuous issue (one rule for
    every command, as in ``analyze``), and the note saying so (``None`` when nothing was
    discretised); ``detail`` is appended to the note.

    Examples
    --------
    >>> import negotiation as ng
    >>> s = ng.load_scenario("textbook_two_party")
    >>> discretized(s, 21)[1] is None
    True
    """
    if not scenario.is_continuous:
        return scenario, None
    note = f"continuous issues discretised on {resolution} grid points (--resolution){detail}"
    return scenario.discretize(resolution), note


def with_note(data: dict, resolution: int, note: str | None) -> dict:
    """A result's JSON with the discretisation ``note`` (and the ``resolution``) added."""
    if note:
        data["resolution"] = resolution
        data.setdefault("notes", []).append(note)
    return data


def print_summary(text: str, note: str | None, disclaimer: str) -> None:
    """Print a result's summary fitted to the terminal, the note, then the disclaimer."""
    print(fit_text(text))
    if note:
        print(f"Note: {note}.")
    print(disclaimer)
