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
    "forecast",
    "calibrate",
)


def _modules(names: Sequence[str] = SUBCOMMANDS):
    for name in names:
        try:
            yield importlib.import_module(f"negotiation.cli.{name}")
        except ModuleNotFoundError as err:
            if err.name != f"negotiation.cli.{name}":
                raise


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (exit 2), pointing at ``--help``."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The top-level parser with every available sub-command (or with ``command`` alone: a run
    imports only its own sub-command's module, so that it starts fast)."""
    parser = _Parser(
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
    for module in _modules((command,) if command in SUBCOMMANDS else SUBCOMMANDS):
        sub_parser = module.add_parser(sub)
        if sub_parser is not None:  # a bad flag is reported with the sub-command's own usage
            sub_parser.set_defaults(_parser=sub_parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    command = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(command)
    args, extra = parser.parse_known_args(argv)
    if extra:
        getattr(args, "_parser", parser).error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return int(args.run(args) or 0)
    except NegotiationError as err:
        print(f"negotiation {args.command}: error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `negotiation analyze --json | head`: the reader left
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as err:  # a file the run cannot read or write: one line, no traceback
        where = f"{err.filename}: " if err.filename else ""
        print(f"negotiation {args.command}: error: {where}{err.strerror or err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # pragma: no cover
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
