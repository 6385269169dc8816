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

__all__ = ["LEAN_SAMPLES", "LeanRows", "build_rows"]

#: Samples whose frontiers are held before their rows are built.
LEAN_SAMPLES = 4096

#: Frontier rows held before the rows are built (bounds the memory: the picks hold about ten
#: float vectors of this length; the Ukraine analysis has about 120 frontier rows a sample).
LEAN_ROWS = 1_000_000


class LeanRows:
    """Collects the lean samples of the steps of one group (:meth:`add`), then builds all their
    rows at once (:meth:`fill`): one batched pick over every collected frontier.

    Examples
    --------
    >>> import negotiation as ng
    >>> from negotiation.studies.candidates import make_plan
    >>> plan = make_plan(ng.load_scenario("textbook_two_party"), ("nash",), None, "auto", None)
    >>> LeanRows(plan, None).wanted
    True
    """

    def __init__(self, plan: Plan, cand: Candidates | None) -> None:
        self.plan, self.cand = plan, cand
        #: Whether the lean rows apply (every solution picks by its index).
        self.wanted = all(uses_index(name) for name in plan.solutions)
        self.inputs: list[Mapping[str, float]] = []
        self.members: list[int] = []
        self.parts: list[tuple[np.ndarray, ...]] = []
        self.held = 0  # frontier rows in parts

    def add(
        self,
        inputs: Sequence[Mapping[str, float]],
        members: Sequence[int],
        lean: np.ndarray,
        seg: np.ndarray,
        rows: np.ndarray,
        u: np.ndarray,
        front: np.ndarray,
        reservations: np.ndarray,
        powers: np.ndarray,
    ) -> None:
        """Keep the samples ``lean`` selects of one step.

        Parameters
        ----------
        inputs, members
            The step's ``S`` samples and their positions in the output.
        lean
            ``S`` booleans: the samples to build here (certainly valid, tie-free).
        seg, rows, u, front
            The step's feasible pairs, sorted by sample: each pair's sample, candidate row,
            exact utilities (``P`` columns), and whether it is on its sample's exact frontier.
        reservations, powers
            ``S x P``: each sample's reservations and bargaining powers.
        """
        pick = np.flatnonzero(lean)
        renum = np.full(len(inputs), -1)
        renum[pick] = np.arange(pick.size)
        n_feasible = np.bincount(renum[seg[lean[seg]]], minlength=pick.size)
        at = np.flatnonzero(front & lean[seg])
        fseg = renum[seg[at]] + len(self.inputs)
        self.parts.append((fseg, rows[at], u[at], n_feasible, reservations[pick], powers[pick]))
        self.held += at.size
        self.inputs += [inputs[k] for k in pick.tolist()]
        self.members += [members[k] for k in pick.tolist()]

    @property
    def full(self) -> bool:
        """Enough samples or frontier rows held: time to :meth:`fill`."""
        return len(self.inputs) >= LEAN_SAMPLES or self.held >= LEAN_ROWS

    def fill(self, out: list) -> None:
        """Build the collected rows into ``out`` (at their members' positions)."""
        if self.inputs and self.cand is not None:
            seg, rows, u, n_f, R, A = (np.concatenate(x) for x in zip(*self.parts, strict=True))
            built = build_rows(self.plan, self.cand, self.inputs, n_f, seg, rows, u, R, A)
            for k, row in zip(self.members, built, strict=True):
                out[k] = row
        self.inputs, self.members, self.parts, self.held = [], [], [], 0


def build_rows(
    plan: Plan,
    cand: Candidates,
    inputs: Sequence[Mapping[str, float]],
    n_feasible: np.ndarray,
    seg: np.ndarray,
    rows: np.ndarray,
    u: np.ndarray,
    reservations: np.ndarray,
    powers: np.ndarray,
) -> list[dict[str, Any]]:
    """The rows of ``S`` tie-free, certainly valid samples from their exact frontiers.

    Parameters
    ----------
    plan, cand
        The batch's plan and candidate set (every solution picks by its index).
    inputs
        The ``S`` samples (``{path: value}``).
    n_feasible
        ``S``: each sample's count of feasible outcomes.
    seg, rows, u
        The frontier rows of all samples, sorted by sample: each row's sample, candidate row
        and exact utilities (``P`` columns).
    reservations, powers
        ``S x P``: each sample's reservations and bargaining powers.
    """
    S = len(inputs)
    names = plan.solutions
    d = plan.discrete
    bounds = np.searchsorted(seg, np.arange(S + 1))
    picks = pick_segments(d, names, u, bounds, reservations, powers)
    n_pareto = np.diff(bounds)
    for k in np.flatnonzero((n_pareto > 0) & (picks < 0).any(axis=1)).tolist():
        lo, hi = bounds[k], bounds[k + 1]
        todo = [name for j, name in enumerate(names) if picks[k, j] < 0]
        exact = pick_deals(
            d,
            todo,
            cand.levels[rows[lo:hi]],
            u[lo:hi],
            reservations=reservations[k],
            powers=powers[k],
        )
        for j, name in enumerate(names):
            if name in exact:
                picks[k, j] = lo + exact[name]
    picks = np.where(n_pareto[:, None] > 0, picks, 0)  # rows without a deal read row 0, unused
    table = np.empty((S, len(_keys(plan))), dtype=object)  # the columns after the inputs
    table[:, 0], table[:, 1] = True, ""  # valid, error
    table[:, 2] = n_feasible.tolist()  # Python ints, as len() gives
    table[:, 3] = n_pareto.tolist()
    table[:, 4] = (n_pareto > 0).tolist()  # agreement
    if u.shape[0]:
        table[:, 5 : 5 + len(names) * (len(plan.issues) + len(plan.parties))] = _deal_columns(
            plan, cand.levels[rows[picks]], u[picks]
        )
    empty = ([None] * len(plan.issues) + [np.nan] * len(plan.parties)) * len(names)
    for k in np.flatnonzero(n_pareto == 0).tolist():  # no agreement: no deals
        table[k, 5 : 5 + len(empty)] = np.array(empty, dtype=object)
    if plan.target is not None:
        # the baseline's candidate row (if any): one integer comparison per frontier row
        target = np.flatnonzero(np.all(cand.levels == plan.target, axis=1))
        table[:, -1] = (np.bincount(seg[np.isin(rows, target)], minlength=S) > 0).tolist()
    keys = _keys(plan)
    out: list[dict[str, Any]] = []
    for x, values in zip(inputs, table.tolist(), strict=True):
        row: dict[str, Any] = dict(zip(x.keys(), map(float, x.values()), strict=True))
        row.update(zip(keys, values, strict=True))
        out.append(row)
    return out


def _deal_columns(plan: Plan, lev: np.ndarray, fu: np.ndarray) -> np.ndarray:
    """``S x (solutions * (issues + parties))`` objects: for each solution, the picked deal's
    level labels (in the plan's issue order) then its utilities (Python floats, the same values
    ``float(u)`` gives); ``lev`` and ``fu`` are the picked rows' levels and utilities
    (``S x solutions x ...``)."""
    d = plan.discrete
    order = [d.issue_names.index(name) for name in plan.issues]
    lev = lev[..., order]
    terms = np.empty(lev.shape, dtype=object)
    for k, i in enumerate(order):
        terms[..., k] = np.array(d.issues[i].levels, dtype=object)[lev[..., k]]
    both = np.concatenate([terms, fu.astype(object)], axis=2)
    return both.reshape(both.shape[0], -1)


def _keys(plan: Plan) -> list[str]:
    """The row's keys after the inputs, in evaluate_sample's order."""
    keys = ["valid", "error", "n_feasible", "n_pareto", "agreement"]
    for name in plan.solutions:
        keys += [f"{name}.deal.{issue}" for issue in plan.issues]
        keys += [f"{name}.u.{party}" for party in plan.parties]
    if plan.target is not None:
        keys.append("baseline_pareto")
    return keys
