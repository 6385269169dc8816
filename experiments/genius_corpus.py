"""Load and analyse every GENIUS domain of the public corpus: one table row per domain.

    python experiments/genius_corpus.py [FOLDER] [--quick] [--out DIR] [--negmas]

FOLDER defaults to ``../shared/genius-domains`` next to the repository (about 170 ANAC and
textbook domains; see its README). For each domain: parties, issues, outcome-space size, feasible
and Pareto-feasible counts, each bargaining solution's utilities, the engine, the time taken and
the reason for any domain not analysed; written to ``results/genius_corpus/genius_corpus.csv``.
``--quick`` analyses a handful of small domains in seconds (it falls back to the project's own
test fixtures when the corpus is not there). ``--negmas`` cross-checks the readings, frontiers and
Nash points against negmas where it is installed (optional, AGPL; never a dependency).

The same runs as ``negotiation corpus FOLDER``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from _common import ROOT, parse_args

from negotiation.cli.corpus import add_arguments, run

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
    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
