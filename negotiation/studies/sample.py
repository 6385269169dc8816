"""One sample of a sweep, evaluated on its own: the reference row.

:func:`evaluate_sample` applies a sample (``{input path: value}``, see
:mod:`negotiation.studies.inputs`) to a scenario, runs the analysis and returns one tidy row.
:func:`negotiation.studies.batch.evaluate_samples` returns exactly these rows for many samples at
once, and :mod:`negotiation.studies.sweep` runs either over a whole sweep.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from negotiation.engine.solutions.registry import SOLUTIONS
from negotiation.errors import ScenarioError
from negotiation.model.scenario import Scenario
from negotiation.studies.inputs import apply_inputs

__all__ = ["DEFAULT_SOLUTIONS", "Sample", "evaluate_sample"]

#: Solutions recorded per sample by default: every registered rule, those that read the
#: bargaining powers last (the CSV columns keep this order: ``nash``, ``kalai_smorodinsky``,
#: ``egalitarian``, ``utilitarian``, ``asymmetric_nash`` with the built-in rules).
DEFAULT_SOLUTIONS = tuple(sorted(SOLUTIONS, key=lambda name: SOLUTIONS[name].uses_power))


Sample = Mapping[str, float]


# -- evaluating one sample -------------------------------------------------------------------
def evaluate_sample(
    scenario: Scenario,
    inputs: Sample,
    *,
    solutions: Sequence[str] = DEFAULT_SOLUTIONS,
    baseline: Mapping[str, str] | None = None,
    engine: str = "auto",
    extra: Callable[[Any], Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """Apply one sample and analyse it: one tidy row.

    Columns: the inputs (by path), ``valid`` and ``error`` (a sample that makes the scenario
    invalid, for example a reservation no outcome can reach, is recorded, not raised),
    ``n_feasible``, ``n_pareto``, ``agreement`` (the zone of agreement is non-empty), for each
    solution ``SOL.deal.ISSUE`` (the chosen level) and ``SOL.u.PARTY`` (utilities), and
    ``baseline_pareto`` (the baseline deal is Pareto-feasible in this variant) when a baseline
    is given. ``extra(analysis)`` may add columns (equilibria, simulations).

    This is the reference path. :func:`run_sweep` evaluates whole batches at once with
    :func:`negotiation.studies.batch.evaluate_samples`, which returns exactly these rows (same
    keys and order, bit-identical utilities) many times faster.
    """
    from negotiation.engine.analysis import analyze

    row: dict[str, Any] = {path: float(v) for path, v in inputs.items()}
    try:
        variant = apply_inputs(scenario, inputs)
    except ScenarioError as err:
        row.update(valid=False, error=err.reason, agreement=False)
        return row
    analysis = analyze(variant, engine=engine, solutions=list(solutions), lotteries=False)
    frontier = analysis.frontier
    row.update(
        valid=True,
        error="",
        n_feasible=frontier.n_feasible,
        n_pareto=frontier.size,
        agreement=not frontier.is_empty,
    )
    for name in solutions:
        deal = analysis.solutions.get(name)
        for issue in variant.issue_names:
            row[f"{name}.deal.{issue}"] = deal.terms[issue] if deal is not None else None
        for p, party in enumerate(variant.party_names):
            row[f"{name}.u.{party}"] = float(deal.utilities[p]) if deal is not None else np.nan
    if baseline is not None:
        target = variant.space.encode(baseline)
        row["baseline_pareto"] = bool(
            frontier.size and np.any(np.all(frontier.levels == target, axis=1))
        )
    if extra is not None:
        row.update(extra(analysis))
    return row
