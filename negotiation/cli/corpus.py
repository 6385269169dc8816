"""``negotiation corpus FOLDER``: load and analyse every GENIUS domain in a folder.

The command's face: its options, the CSV file and the printed summary. The computation (one row
per domain, the per-domain budgets, the negmas cross-check, the summary text) is the study
:mod:`negotiation.studies.corpus`; its names are re-exported here so that earlier imports from
``negotiation.cli.corpus`` keep working.

The script ``experiments/genius_corpus.py`` runs the same with the public corpus as default.
"""

from __future__ import annotations

import argparse
import csv
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from negotiation.errors import NegotiationError
from negotiation.studies.defaults import (
    DEFAULT_MAX_MEMORY,
    DEFAULT_TIMEOUT,
    QUICK_DOMAINS,
    QUICK_MAX_OUTCOMES,
)

__all__ = ["add_parser", "add_arguments", "corpus_options", "run", "write_rows"]

#: The study's names that earlier code imported from here, forwarded on first use (PEP 562) so
#: that ``negotiation --help`` does not import the engine.
_STUDY = ("run_corpus", "analyse_domain", "summarize", "COLUMNS", "SOLUTION_NAMES")


def __getattr__(name: str) -> Any:
    if name in _STUDY:
        from negotiation.studies import corpus

        return getattr(corpus, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def write_rows(rows: Sequence[dict], path: Path) -> Path:
    """Write the rows as CSV (columns :data:`negotiation.studies.corpus.COLUMNS`)."""
    from negotiation.studies.corpus import COLUMNS

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(COLUMNS))
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in COLUMNS})
    return path


# -- the command line ------------------------------------------------------------------------
def add_arguments(parser: argparse.ArgumentParser, *, folder_default: Path | None = None) -> None:
    """The corpus options (shared with ``experiments/genius_corpus.py``)."""
    parser.add_argument(
        "folder",
        nargs="?" if folder_default is not None else None,
        default=folder_default,
        type=Path,
        metavar="FOLDER",
        help="folder searched (recursively) for GENIUS domain files"
        + (f" (default: {folder_default})" if folder_default is not None else ""),
    )
    parser.add_argument(
        "--negmas",
        action="store_true",
        help="cross-check readings, frontiers and Nash points against negmas (if installed)",
    )
    parser.add_argument(
        "--max-enumerate",
        type=_positive_int,
        default=None,
        metavar="N",
        help="enumerate outcome spaces up to N outcomes (default: the analysis default)",
    )
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar over the domains on stderr (default: only on a terminal)",
    )
    parser.add_argument(
        "--timeout",
        type=_positive_float,
        default=DEFAULT_TIMEOUT,
        metavar="S",
        help=f"time budget per domain in seconds (default {DEFAULT_TIMEOUT:g}); a domain over "
        "it is skipped with the reason",
    )
    parser.add_argument(
        "--max-memory",
        type=_positive_int,
        default=DEFAULT_MAX_MEMORY,
        metavar="MB",
        help=f"memory budget per domain in MB (default {DEFAULT_MAX_MEMORY:,}); a domain over "
        "it is skipped with the reason",
    )
    parser.add_argument(
        "--jobs",
        type=_positive_int,
        default=2,
        metavar="N",
        help="domains analysed at once, each in its own worker process within the budgets "
        "(default 2; the rows are the same for any N)",
    )


def _positive_float(text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not (math.isfinite(x) and x > 0):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text!r}")
    return x


def _positive_int(text: str) -> int:
    try:
        x = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if x < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text!r}")
    return x


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "corpus",
        help="load and analyse every GENIUS domain in a folder (one table row per domain)",
        description=(
            "Find every GENIUS domain file under FOLDER, load it with its profiles, analyse it "
            "(feasible set, Pareto-feasible frontier, bargaining solutions) and write one CSV row "
            "per domain, with the reason for any domain not analysed. --negmas cross-checks "
            "against the negmas library where it is installed."
        ),
    )
    add_arguments(parser)
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"only the first {QUICK_DOMAINS} domains of at most {QUICK_MAX_OUTCOMES:,} outcomes",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("results") / "genius_corpus",
        metavar="DIR",
        help="output folder (default results/genius_corpus/)",
    )
    parser.add_argument(
        "--json", action="store_true", help="print the table (one object per domain) as JSON"
    )
    parser.set_defaults(run=run)
    return parser


def corpus_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of :func:`negotiation.studies.corpus.run_corpus` from the options."""
    return dict(
        quick=bool(getattr(args, "quick", False)),
        negmas=bool(getattr(args, "negmas", False)),
        max_enumerate=getattr(args, "max_enumerate", None),
        progress=getattr(args, "progress", None),
        timeout=getattr(args, "timeout", DEFAULT_TIMEOUT),
        max_memory=getattr(args, "max_memory", DEFAULT_MAX_MEMORY),
        jobs=getattr(args, "jobs", 2),
    )


def run(args: argparse.Namespace) -> int:
    """Run the corpus over ``args.folder``; write ``args.out/genius_corpus.csv``; print a summary."""
    from negotiation.studies.corpus import run_corpus, summarize

    folder = Path(args.folder)
    if not folder.is_dir():
        raise NegotiationError(f"{folder}: no such folder")
    rows = run_corpus(folder, **corpus_options(args))
    path = write_rows(rows, Path(args.out) / "genius_corpus.csv")
    if getattr(args, "json", False):
        from negotiation.cli.output import corpus_summary, print_json_text

        print_json_text(corpus_summary(rows, path))
    else:
        print(summarize(rows))
        print(f"wrote {path}")
    return 1 if any(r["status"] == "error" for r in rows) else 0
