"""The ``negotiation`` command line (the faces layer: argument parsing and files only).

Each sub-command lives in its own module of this package with two functions,
``add_parser(subparsers)`` and ``run(args) -> int``; :data:`SUBCOMMANDS` lists them in the order
``--help`` shows them. Exit codes: 0 success, 2 usage or input error (message on stderr, no
traceback), 1 an unexpected failure.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from negotiation import __version__
from negotiation.errors import NegotiationError

__all__ = ["main", "build_parser", "SUBCOMMANDS"]

#: The sub-command modules, in help order.
SUBCOMMANDS = (
    "analyze",
    "equilibrium",
    "simulate",
    "report",
    "sweep",
    "corpus",
    "evaluate",
    "levers",
    "calibrate",
)


def _modules():
    for name in SUBCOMMANDS:
        try:
            yield importlib.import_module(f"negotiation.cli.{name}")
        except ModuleNotFoundError as err:
            if err.name != f"negotiation.cli.{name}":
                raise


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every available sub-command."""
    parser = argparse.ArgumentParser(
        prog="negotiation",
        description=(
            "A game-theoretic negotiation simulator: find the deals every party can live with, "
            "the classic bargaining solutions and equilibria, and simulate the talks. "
            "Run 'negotiation analyze' for the bundled Ukraine 2025 scenario "
            "(a model for analysis, not a forecast)."
        ),
        epilog="Exit codes: 0 success, 2 usage or input error, 1 unexpected failure.",
    )
    parser.add_argument("--version", action="version", version=f"negotiation {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in _modules():
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except NegotiationError as err:
        print(f"negotiation {args.command}: error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `negotiation analyze --json | head`: the reader left
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:  # pragma: no cover
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
