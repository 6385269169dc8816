"""Regenerate the figures of ``docs/`` from the current code: ``python docs/img/regenerate.py``.

Builds the reports of the bundled scenarios into a temporary folder and copies the figures the
documentation shows into ``docs/img/`` (PNG, 110 dpi to keep the repository small). Only the
files listed in :data:`FIGURES` are written; nothing else in the folder is touched.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: ``{file in docs/img: (bundled scenario, figure of its report)}``.
FIGURES = {
    "report-utility-space.png": ("textbook_two_party", "utility_space"),
    "report-pairs.png": ("ukraine_2025", "utility_pairs_zoom"),
    "report-deal-table.png": ("ukraine_2025", "deal_table"),
    "report-gains.png": ("ukraine_2025", "gains"),
}


def main() -> int:
    import matplotlib

    matplotlib.use("Agg")
    from negotiation.report import build_report

    with tempfile.TemporaryDirectory(prefix="negotiation-docs-img-") as tmp:
        built = {}
        for scenario in sorted({s for s, _ in FIGURES.values()}):
            out = Path(tmp) / scenario
            build_report(
                scenario,
                out,
                formats=("png",),
                dpi=110,
                sensitivity=False,
                simulation=scenario == "textbook_two_party",
                progress=None,
            )
            built[scenario] = out / "figures"
        for name, (scenario, figure) in FIGURES.items():
            shutil.copyfile(built[scenario] / f"{figure}.png", HERE / name)
            print(f"wrote {HERE / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
