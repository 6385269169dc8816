"""Robust conclusions: what holds over every parameter value consistent with the evidence.

:func:`robust_conclusions` takes a :class:`~negotiation.engine.calibrate.Calibration`, draws
uniform samples of its consistent set, runs the analysis on each through the sweep machinery
(:func:`negotiation.studies.sweep.run_sweep`, samples as explicit ``{input path: value}``
dicts, any executor, resumable through ``out``) and summarises:

* the probability that the zone of agreement is non-empty;
* for each solution, the probability of each level of each issue in its deal (over the samples
  with a zone of agreement);
* each proposal's acceptance probability per party (the calibration's reading: the party's
  best completion of an open proposal, ``u >= r``, never across its red line);
* the range (min, median, max) of each party's utility at the Nash deal.

Every probability ``q`` is put in words by :func:`holds`: ``every`` (``q = 1``), ``most``
(``q >= 0.9``), ``some``, ``few`` (``0 < q <= 0.1``), ``none`` (``q = 0``).

>>> holds(1.0), holds(0.95), holds(0.5), holds(0.05), holds(0.0)
('every', 'most', 'some', 'few', 'none')
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from negotiation.engine.calibrate import Calibration, acceptance
from negotiation.studies.sweep import level_probabilities, run_sweep

__all__ = ["holds", "robust_conclusions", "CALIBRATION_SOLUTIONS"]

#: Solutions recorded per sample: a choice (the rules that need no bargaining powers and differ
#: most in the Ukraine case), not the whole registry; pass ``solutions=`` for others.
CALIBRATION_SOLUTIONS = ("nash", "kalai_smorodinsky", "egalitarian")


def holds(q: float) -> str:
    """Words for how often something holds over the samples."""
    if q >= 1.0:
        return "every"
    if q >= 0.9:
        return "most"
    if q <= 0.0:
        return "none"
    if q <= 0.1:
        return "few"
    return "some"


def robust_conclusions(
    calibration: Calibration,
    n: int,
    *,
    seed: int = 0,
    workers: int | None = None,
    executor: Any = None,
    out: str | Path | None = None,
    progress: bool = True,
    solutions: Sequence[str] = CALIBRATION_SOLUTIONS,
) -> tuple[dict[str, Any], pd.DataFrame]:
    """Sample the consistent set and summarise the analysis over the samples.

    Returns
    -------
    summary, results
        ``summary`` is JSON-ready (keys ``samples``, ``rhat``, ``agreement``,
        ``levels``, ``acceptance``, ``nash_utility``); ``results`` the sweep's rows.
    """
    scenario = calibration.scenario
    samples, rhat = calibration.sample(n, seed=seed)
    x = np.array([[s[k] for k in calibration.names] for s in samples])
    results = run_sweep(
        scenario,
        samples,
        workers=workers,
        executor=executor,
        out=out,
        progress=progress,
        solutions=solutions,
        baseline=None,
    )
    valid = results[results["valid"].astype(bool)]
    q = float(valid["agreement"].astype(bool).mean()) if len(valid) else 0.0
    levels: dict[str, Any] = {}
    if len(valid) and valid["agreement"].astype(bool).any():
        for sol in solutions:
            probs = level_probabilities(results, sol)
            levels[sol] = {
                issue: {
                    str(r.level): {
                        "probability": float(r.probability),
                        "holds": holds(r.probability),
                    }
                    for r in g.sort_values("probability", ascending=False).itertuples()
                }
                for issue, g in probs.groupby("issue", sort=False)
            }
    accept: dict[str, dict[str, Any]] = {}
    for prop in scenario.proposals:
        accept[prop.name] = {}
        for party in scenario.party_names:
            if scenario.party(party).scored_in_points:
                continue
            a = float(acceptance(scenario, x, calibration.names, prop.name, party).mean())
            accept[prop.name][party] = {"probability": a, "holds": holds(a)}
    nash: dict[str, Any] = {}
    ok = valid[valid["agreement"].astype(bool)]
    for party in scenario.party_names:
        col = f"nash.u.{party}"
        if col in ok and len(ok):
            u = ok[col].astype(float)
            nash[party] = {
                "min": float(u.min()),
                "median": float(u.median()),
                "max": float(u.max()),
            }
    summary = {
        "samples": len(samples),
        "valid": len(valid),
        "rhat": rhat if np.isfinite(rhat) else None,
        "agreement": {"probability": q, "holds": holds(q)},
        "levels": levels,
        "acceptance": accept,
        "nash_utility": nash,
    }
    return summary, results
