"""Load and analyse every GENIUS domain of the public corpus: one table row per domain.

    python experiments/genius_corpus.py [FOLDER] [--quick] [--out DIR] [--negmas]

FOLDER defaults to ``../shared/genius-domains`` next to the repository (about 170 ANAC and
textbook domains; see its README). For each domain: parties, issues, outcome-space size, feasible
and Pareto-feasible counts, each bargaining solution's utilities, the engine, the time taken and
the reason for any domain not analysed; written to ``results/genius_corpus/genius_corpus.csv``.
``--quick`` analyses a handful of small domains in seconds (it falls back to the project's own
test fixtures when the corpus is not there). ``--negmas`` cross-checks the readings, frontiers and
Nash points against negmas where it is installed (optional, AGPL; never a dependency).

The same runs as ``negotiation corpus FOLDER``: the study is :mod:`negotiation.studies.corpus`;
the options and the CSV file are the command's (:mod:`negotiation.cli.corpus`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from _common import ROOT, parse_args

from negotiation.cli.corpus import add_arguments, corpus_options, write_rows
from negotiation.studies.corpus import run_corpus, summarize

NAME = "genius_corpus"
DEFAULT_FOLDER = ROOT.parent / "shared" / "genius-domains"
FIXTURES = ROOT / "tests" / "formats" / "fixtures"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(
        NAME,
        __doc__.splitlines()[0],
        argv,
        extra=lambda parser: add_arguments(parser, folder_default=DEFAULT_FOLDER),
    )
    folder = Path(args.folder)
    if not folder.is_dir():
        if not args.quick:
            print(f"{folder}: no such folder (pass the corpus folder as FOLDER)")
            return 2
        print(f"{folder} is not there; running on the test fixtures {FIXTURES} instead")
        args.folder = FIXTURES
    rows = run_corpus(args.folder, **corpus_options(args))
    path = write_rows(rows, Path(args.out) / "genius_corpus.csv")
    print(summarize(rows))
    print(f"wrote {path}")
    return 1 if any(r["status"] == "error" for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
