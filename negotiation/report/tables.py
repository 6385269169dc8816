"""The report's data files: ``frontier.csv``, ``solutions.csv``, ``lotteries.csv`` and JSON
written without NaN (JSON has none: they become ``null``).

Examples
--------
>>> import numpy as np
>>> clean_json({"u": np.float64(0.5), "gap": float("nan"), "levels": np.array([1, 2])})
{'u': 0.5, 'gap': None, 'levels': [1, 2]}
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from negotiation.engine.analysis import json_text

__all__ = ["clean_json", "lottery_frame", "write_json", "write_tables"]


def clean_json(x: Any) -> Any:
    """Replace NaN/inf (not JSON) by None, numpy scalars by Python ones."""
    if isinstance(x, dict):
        return {str(k): clean_json(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [clean_json(v) for v in x]
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, np.ndarray):
        return clean_json(x.tolist())
    return x


def write_json(path: Path, data: Any) -> None:
    """Write ``data`` as the command line prints JSON
    (:func:`negotiation.engine.analysis.json_text`), NaN and infinities as ``null``."""
    path.write_text(json_text(clean_json(data)), encoding="utf-8")


def lottery_frame(analysis: Any) -> pd.DataFrame:
    """One row per deal of each solution over lotteries: its probability, terms and utilities."""
    rows = []
    for name, lot in analysis.lotteries.items():
        for d, p in zip(lot.deals, lot.probabilities, strict=True):
            row = {"solution": name, "probability": float(p)}
            row.update(d.terms)
            row.update(
                {f"{q} utility": float(u) for q, u in zip(d.parties, d.utilities, strict=True)}
            )
            rows.append(row)
    return pd.DataFrame(rows)


def write_tables(analysis: Any, out: Path) -> None:
    """``frontier.csv`` (one row per Pareto-feasible deal), ``solutions.csv`` (one per solution)
    and, when the analysis has them, ``lotteries.csv``."""
    analysis.to_frame().to_csv(out / "frontier.csv", index=False)
    analysis.solutions_frame().to_csv(out / "solutions.csv")
    if analysis.lotteries:
        lottery_frame(analysis).to_csv(out / "lotteries.csv", index=False)
