"""The rows of a group of tie-free sweep samples, built together: picks, deal terms, columns.

Used by :mod:`negotiation.studies.batch` for the samples whose exact Pareto filter was computed
for the whole group (tie-free, certainly valid) when every solution picks by its ``index``
(:func:`~negotiation.studies.pick.uses_index`): the frontiers of all those samples are
concatenated, the solutions pick on all of them at once
(:func:`~negotiation.studies.pick_batch.pick_segments`; a sample it cannot prove goes through
:func:`~negotiation.studies.pick.pick_deals`, the exact per-sample pick), and the rows are built
from prepared key lists and level-label arrays. The rows are those of
:func:`~negotiation.studies.sample.evaluate_sample`: the same keys in the same order, the same
values of the same types.

Examples
--------
>>> import negotiation as ng
>>> from negotiation.studies.batch import evaluate_samples
>>> from negotiation.studies.sweep import evaluate_sample, monte_carlo_samples
>>> s = ng.load_scenario("ukraine_2025")
>>> samples = monte_carlo_samples(s, 3, seed=4)
>>> evaluate_samples(s, samples) == [evaluate_sample(s, x) for x in samples]
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from negotiation.studies.candidates import Candidates, Plan
from negotiation.studies.pick import pick_deals, uses_index
from negotiation.studies.pick_batch import pick_segments

__all__ = ["lean_rows"]


def lean_rows(
    plan: Plan,
    cand: Candidates,
    inputs: Sequence[Mapping[str, float]],
    lean: np.ndarray,
    seg: np.ndarray,
    rows: np.ndarray,
    u: np.ndarray,
    front: np.ndarray,
    reservations: np.ndarray,
    powers: np.ndarray,
) -> list[dict[str, Any] | None]:
    """The rows of the samples ``lean`` selects (``None`` for the others).

    Parameters
    ----------
    plan, cand
        The batch's plan and candidate set.
    inputs
        The ``S`` samples (``{path: value}``).
    lean
        ``S`` booleans: the samples to build here (certainly valid, tie-free).
    seg, rows, u, front
        The group's feasible pairs, sorted by sample: each pair's sample, candidate row,
        exact utilities (``P`` columns), and whether it is on its sample's exact frontier.
    reservations, powers
        ``S x P``: each sample's reservations and bargaining powers.
    """
    S = len(inputs)
    out: list[dict[str, Any] | None] = [None] * S
    names = plan.solutions
    if not lean.any() or not all(uses_index(name) for name in names):
        return out
    d = plan.discrete
    n_feasible = np.bincount(seg[lean[seg]], minlength=S)
    at = np.flatnonzero(front & lean[seg])
    fseg, fu = seg[at], u[at]
    flev = cand.levels[rows[at]]
    bounds = np.searchsorted(fseg, np.arange(S + 1))
    picks = pick_segments(d, names, fu, bounds, reservations, powers)
    n_pareto = np.diff(bounds)
    for k in np.flatnonzero(lean & (n_pareto > 0) & (picks < 0).any(axis=1)).tolist():
        lo, hi = bounds[k], bounds[k + 1]
        todo = [name for j, name in enumerate(names) if picks[k, j] < 0]
        exact = pick_deals(
            d, todo, flev[lo:hi], fu[lo:hi], reservations=reservations[k], powers=powers[k]
        )
        for j, name in enumerate(names):
            if name in exact:
                picks[k, j] = lo + exact[name]
    picks = np.where(n_pareto[:, None] > 0, picks, 0)  # rows without a deal read row 0, unused
    columns = _deal_columns(plan, flev, fu, picks) if fu.shape[0] else None
    hit = None
    if plan.target is not None:
        hit = np.bincount(fseg[np.all(flev == plan.target, axis=1)], minlength=S) > 0
    keys = _keys(plan)
    empty = [None] * len(plan.issues) + [np.nan] * len(plan.parties)
    n_f, n_p = n_feasible.tolist(), n_pareto.tolist()
    for s in np.flatnonzero(lean).tolist():
        x = inputs[s]
        row: dict[str, Any] = dict(zip(x.keys(), map(float, x.values()), strict=True))
        values: list[Any] = [True, "", n_f[s], n_p[s], n_p[s] > 0]
        for j in range(len(names)):
            values += columns[s][j] if n_p[s] else empty  # type: ignore[index]  # rows exist
        if hit is not None:
            values.append(bool(hit[s]))
        row.update(zip(keys, values, strict=True))
        out[s] = row
    return out


def _deal_columns(
    plan: Plan, flev: np.ndarray, fu: np.ndarray, picks: np.ndarray
) -> list[list[list[Any]]]:
    """``[sample][solution]``: the picked deal's level labels (in the plan's issue order) then
    its utilities (Python floats, the same values ``float(u)`` gives)."""
    d = plan.discrete
    order = [d.issue_names.index(name) for name in plan.issues]
    labels = [np.array(d.issues[i].levels, dtype=object) for i in order]
    lev = flev[picks][..., order]  # S x solutions x issues
    terms = np.empty(lev.shape, dtype=object)
    for k, lab in enumerate(labels):
        terms[..., k] = lab[lev[..., k]]
    both = np.concatenate([terms, fu[picks].astype(object)], axis=2)
    return both.tolist()


def _keys(plan: Plan) -> list[str]:
    """The row's keys after the inputs, in evaluate_sample's order."""
    keys = ["valid", "error", "n_feasible", "n_pareto", "agreement"]
    for name in plan.solutions:
        keys += [f"{name}.deal.{issue}" for issue in plan.issues]
        keys += [f"{name}.u.{party}" for party in plan.parties]
    if plan.target is not None:
        keys.append("baseline_pareto")
    return keys
