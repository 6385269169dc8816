"""Shared command-line handling of the experiment scripts (not an experiment itself).

Every experiment is runnable as ``python experiments/NAME.py [--quick] [--out DIR] [--seed S]``,
writes to ``results/NAME/`` (git-ignored) by default and prints where it wrote.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def parse_args(
    name: str, description: str, argv: Sequence[str] | None = None, extra: callable = None
) -> argparse.Namespace:
    """Parse the common options (and any added by ``extra(parser)``); create the output folder."""
    parser = argparse.ArgumentParser(prog=f"python experiments/{name}.py", description=description)
    parser.add_argument("--quick", action="store_true", help="a seconds-long version (for tests)")
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "results" / name,
        help=f"output folder (default results/{name}/)",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    if extra is not None:
        extra(parser)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    return args


def save_figure(fig, path: Path) -> list[Path]:
    """Save a figure as PNG (dpi 150) and SVG next to each other; returns the paths."""
    import matplotlib.pyplot as plt

    paths = []
    for ext, kwargs in (("png", {"dpi": 150}), ("svg", {})):
        target = path.with_suffix(f".{ext}")
        fig.savefig(target, bbox_inches="tight", **kwargs)
        paths.append(target)
    plt.close(fig)
    return paths
