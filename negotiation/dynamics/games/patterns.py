"""Allowed outcomes grouped by who accepts them (the deal set of quota and coalition models).

Enumerates the space, so it is bounded by :data:`negotiation.engine.select.MAX_ENUMERATE`, the
one enumerate-or-search policy of the package.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from negotiation.dynamics.games.base import frontier_view
from negotiation.engine.deal import Deal
from negotiation.engine.pareto import pareto_mask
from negotiation.engine.select import MAX_ENUMERATE
from negotiation.errors import InfeasibleError, NotApplicableError
from negotiation.model.scenario import Scenario

__all__ = ["PatternDeals", "pattern_deals", "quota_deals"]


@dataclass(frozen=True, eq=False)
class PatternDeals:
    """Allowed outcomes grouped by who accepts them, each group reduced to its Pareto set.

    Attributes
    ----------
    levels, utilities
        ``K x issues`` levels and ``K x parties`` utilities of the kept outcomes.
    acceptable
        ``K x parties`` boolean: the party finds the outcome acceptable (no red line crossed,
        at least its reservation).
    codes
        Acceptance pattern of each kept outcome as a bit mask (bit ``p`` for party ``p``).
    counts
        ``{pattern: number of allowed outcomes with that pattern}`` over the whole space.

    Within a group every outcome has the same acceptors, so an outcome Pareto-dominated (for all
    parties) by another of its group is never needed by a model that only asks *who accepts* and
    *how much each party gets*: the dominating outcome is accepted by the same parties and is at
    least as good for everybody.
    """

    scenario: Scenario
    levels: np.ndarray
    utilities: np.ndarray
    acceptable: np.ndarray
    codes: np.ndarray
    counts: dict[int, int]

    @property
    def size(self) -> int:
        return int(self.levels.shape[0])

    def deal(self, k: int) -> Deal:
        """Outcome ``k`` as a :class:`Deal`."""
        return frontier_view(self.scenario, self.levels, self.utilities).deal(k)


def pattern_deals(scenario: Scenario, *, chunk_size: int = 1 << 18) -> PatternDeals:
    """Enumerate the allowed outcomes by acceptance pattern (see :class:`PatternDeals`).

    Chunked and vectorised: per chunk, the acceptance bit mask of every allowed outcome, then
    :func:`~negotiation.engine.pareto.pareto_mask` within each pattern present; the kept rows are
    merged and filtered again per pattern at the end.

    Raises
    ------
    NotApplicableError
        More than :data:`~negotiation.engine.select.MAX_ENUMERATE` outcomes, or more than 20 parties.
    """
    if scenario.is_continuous:
        raise NotApplicableError(
            f"scenario {scenario.name!r} has continuous issues: call scenario.discretize() first"
        )
    space = scenario.space
    P = len(scenario.parties)
    if space.cardinality > MAX_ENUMERATE:
        raise NotApplicableError(
            f"scenario {scenario.name!r} has {space.cardinality:,} outcomes; coalition and "
            f"quota models enumerate the space and stop at {MAX_ENUMERATE:,}"
        )
    if P > 20:
        raise NotApplicableError(f"coalition patterns need at most 20 parties, got {P}")
    bits = (1 << np.arange(P)).astype(np.int64)
    kept_idx, kept_code = [], []
    counts: dict[int, int] = {}

    def reduce(idx: np.ndarray, U: np.ndarray, code: np.ndarray) -> np.ndarray:
        keep = np.zeros(len(idx), dtype=bool)
        order = np.argsort(code, kind="stable")
        uniq, start = np.unique(code[order], return_index=True)
        bounds = np.append(start, len(order))
        for g in range(len(uniq)):
            rows = order[bounds[g] : bounds[g + 1]]
            keep[rows[pareto_mask(U[rows])]] = True
        return keep

    for start in range(0, space.cardinality, chunk_size):
        idx = np.arange(start, min(start + chunk_size, space.cardinality), dtype=np.int64)
        levels = space.levels_of(idx)
        ok = space.allowed_mask(levels)
        if not ok.any():
            continue
        idx, levels = idx[ok], levels[ok]
        U = scenario.utilities(levels)
        code = scenario.acceptable(levels, U).astype(np.int64) @ bits
        for c, n in zip(*np.unique(code, return_counts=True), strict=False):
            counts[int(c)] = counts.get(int(c), 0) + int(n)
        keep = reduce(idx, U, code)
        kept_idx.append(idx[keep])
        kept_code.append(code[keep])
    if kept_idx:
        idx = np.concatenate(kept_idx)
        code = np.concatenate(kept_code)
        levels = space.levels_of(idx)
        U = scenario.utilities(levels)
        keep = reduce(idx, U, code)
        idx, code, levels, U = idx[keep], code[keep], levels[keep], U[keep]
    else:
        idx = np.zeros(0, dtype=np.int64)
        code = np.zeros(0, dtype=np.int64)
        levels = np.zeros((0, len(scenario.issues)), dtype=np.int64)
        U = np.zeros((0, P))
    acceptable = (code[:, None] & bits[None, :]) > 0
    return PatternDeals(scenario, levels, U, acceptable, code, counts)


def quota_deals(
    scenario: Scenario, players: tuple[str, ...], quota: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The deals of a quota model: ``(levels, utilities, acceptable)`` of the outcomes of
    :func:`pattern_deals` that at least ``quota`` of the players accept, with ``acceptable``
    restricted to the players' columns.

    Raises
    ------
    InfeasibleError
        No allowed outcome is acceptable to ``quota`` of the players.
    """
    index = [scenario.party_names.index(n) for n in players]
    pdl = pattern_deals(scenario)
    acceptable = pdl.acceptable[:, index]
    keep = acceptable.sum(axis=1) >= int(quota)
    if not keep.any():
        raise InfeasibleError(
            f"no allowed outcome is acceptable to {quota} of the players {list(players)}"
        )
    return pdl.levels[keep], pdl.utilities[keep], acceptable[keep]
