"""The Pareto-feasible frontier of a scenario, and its enumeration engine.

Definitions (see DESIGN.md): an outcome is *feasible* when no constraint forbids it and it passes
the agreement rule (under unanimity: it crosses no party's red line and gives every party at least
its reservation value). It is *Pareto-feasible* when it is feasible and no other feasible outcome
weakly dominates it (``>=`` for every party and ``>`` for one). Outcomes with identical utility
vectors (ties) are all kept. Utilities are compared on the model's numbers: two computed
utilities closer than the scenario's tie tolerance
(:func:`negotiation.engine.tolerance.utility_tolerance`, a bound on float rounding) count as
equal, so an outcome tied within rounding with a better one is dominated, as in exact
arithmetic.

This module holds the :class:`Frontier` result shared by the engines and
:func:`enumerate_frontier`, the engine for spaces that fit in memory: utilities are computed
chunk by chunk, masked, reduced to each chunk's non-dominated rows (the frontier of a union is the
frontier of the union of the parts' frontiers), and merged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from negotiation.engine.deal import Deal
from negotiation.engine.distinct import distinct_rows
from negotiation.engine.pareto import pareto_mask, tie_ranks
from negotiation.engine.tolerance import utility_tolerance
from negotiation.errors import InfeasibleError
from negotiation.model.blocks import Block, evaluate_blocks
from negotiation.model.scenario import AgreementRule, Scenario, reservation_tolerance
from negotiation.model.space import DEFAULT_CHUNK

__all__ = ["Frontier", "enumerate_frontier", "explain_empty", "tie_groups"]


def tie_groups(utilities: np.ndarray, tol: np.ndarray | None = None) -> np.ndarray:
    """Group id of each row; rows with identical utility vectors share an id (ids from 0).

    With ``tol`` (per column), utilities in one run of :func:`~negotiation.engine.pareto.tie_ranks`
    count as identical (equal exact values computed a few ulps apart).
    """
    if utilities.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    distinct, inverse = distinct_rows(utilities)
    if tol is None:
        return inverse
    # The runs of tie_ranks depend only on each column's set of values: rank the distinct rows.
    return distinct_rows(tie_ranks(distinct, tol))[1][inverse]


@dataclass(frozen=True, eq=False)
class Frontier:
    """The Pareto-feasible outcomes of a scenario, with the counts around them.

    Attributes
    ----------
    scenario
        The (discrete) scenario.
    levels
        ``M x issues`` level matrix of the Pareto-feasible outcomes (sorted by outcome index
        where the space is indexable).
    utilities
        ``M x parties`` utilities of those outcomes.
    n_outcomes
        Size of the full product space.
    n_allowed, n_feasible
        Outcomes no constraint forbids, and outcomes that are feasible; exact counts from
        enumeration, estimates (``n_feasible_exact`` False) or ``None`` from the search engine.
    engine
        ``"enumerate"`` or ``"search"``.
    rule
        The agreement rule used.
    diagnostics
        When the feasible set is empty: which parties' red lines or reservations empty it.
    epsilon
        ``None`` for the exact frontier; else the additive epsilon of an epsilon-Pareto subset.
    tolerance
        Per party, the tie tolerance the dominance test used (``None``: exact comparison).
    """

    scenario: Scenario
    levels: np.ndarray
    utilities: np.ndarray
    n_outcomes: int
    n_allowed: int | None
    n_feasible: int | None
    engine: str
    rule: AgreementRule
    n_feasible_exact: bool = True
    diagnostics: dict = field(default_factory=dict)
    epsilon: float | None = None
    tolerance: np.ndarray | None = None

    @property
    def disagreement(self) -> np.ndarray:
        """The disagreement point: every party's reservation value."""
        return self.scenario.reservations

    @property
    def size(self) -> int:
        """Number of Pareto-feasible outcomes (ties counted one by one)."""
        return int(self.levels.shape[0])

    @property
    def is_empty(self) -> bool:
        """True when no outcome is feasible."""
        return self.size == 0

    @property
    def ideal(self) -> np.ndarray:
        """Each party's best feasible utility (attained on the frontier)."""
        self.require_nonempty()
        return self.utilities.max(axis=0)

    @property
    def n_tied(self) -> int:
        """How many frontier outcomes share their utility vector with another frontier outcome."""
        groups = tie_groups(self.utilities, self.tolerance)
        counts = np.bincount(groups) if groups.size else groups
        return int((counts[groups] > 1).sum()) if groups.size else 0

    def require_nonempty(self) -> None:
        """Raise :class:`InfeasibleError` (with the diagnosis) when nothing is feasible."""
        if self.is_empty:
            raise InfeasibleError(
                f"scenario {self.scenario.name!r}: no feasible outcome. "
                + self.diagnostics.get("message", "")
            )

    def deal(self, k: int) -> Deal:
        """The ``k``-th frontier outcome as a labelled :class:`Deal` (:meth:`Deal.from_row`)."""
        return Deal.from_row(self.scenario, self.levels[k], self.utilities[k])

    def deals(self) -> list[Deal]:
        """Every frontier outcome as a :class:`Deal`."""
        return [self.deal(k) for k in range(self.size)]

    def to_frame(self, labels: bool = False) -> pd.DataFrame:
        """The frontier as a table: one column per issue (level names), one per party utility.

        With ``labels``, columns use the issues' labels instead of their names.
        """
        s = self.scenario
        data: dict[str, object] = {}
        for i, issue in enumerate(s.issues):
            names = np.asarray(issue.levels, dtype=object)
            data[issue.display if labels else issue.name] = names[self.levels[:, i]]
        for p, name in enumerate(s.party_names):
            data[name] = self.utilities[:, p]
        return pd.DataFrame(data)


def explain_empty(blockers: list[str], red: list[str], low: list[str]) -> dict:
    """Words for an empty feasible set (shared by both engines).

    Parameters
    ----------
    blockers
        Parties whose demands (red lines and reservation) alone empty the zone of agreement:
        without them, the others would have one.
    red
        Parties whose red lines alone leave nothing allowed.
    low
        Parties whose reservation no allowed outcome reaches.
    """
    parts = []
    if blockers:
        parts.append(
            "dropping the demands (red lines and reservation) of any one of "
            f"{blockers} alone would open a zone of agreement"
        )
    if red:
        parts.append(f"the red lines of {red} leave nothing allowed")
    if low:
        parts.append(f"no allowed outcome reaches the reservation of {low}")
    if not parts:
        parts.append(
            "the parties' red lines and reservations conflict jointly (no single party "
            "relaxing its demands opens a zone of agreement)"
        )
    return {"message": "; ".join(parts) + ".", "blocking_parties": blockers}


def _diagnose(counts: dict, scenario: Scenario) -> dict:
    """Words for an empty feasible set, from counts gathered during enumeration."""
    names = scenario.party_names
    if counts["allowed"] == 0:
        return {"message": "the constraints forbid every outcome.", "blocking_parties": []}
    out = explain_empty(
        [n for n, c in zip(names, counts["without"], strict=True) if c > 0],
        [n for n, c in zip(names, counts["red_ok"], strict=True) if c == 0],
        [n for n, c in zip(names, counts["reservation_ok"], strict=True) if c == 0],
    )
    out["acceptable_counts"] = dict(zip(names, map(int, counts["alone"]), strict=True))
    return out


def enumerate_frontier(
    scenario: Scenario,
    *,
    rule: AgreementRule | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    progress: bool = False,
) -> Frontier:
    """Exact Pareto-feasible frontier by enumerating the whole outcome space in chunks.

    Steps: evaluate the space in contiguous blocks (:func:`negotiation.model.blocks.evaluate_blocks`:
    utilities by broadcasting, bit-identical to :meth:`Scenario.utilities`), mask the feasible
    rows, keep each block's non-dominated rows; finally filter the union of the kept rows with
    :func:`negotiation.engine.pareto.pareto_mask` (the frontier of a union is the frontier of the
    union of the parts' frontiers). Memory is bounded by the block size plus the partial
    frontiers.

    Parameters
    ----------
    scenario
        A discrete scenario (``scenario.discretize()`` a continuous one first).
    rule
        Agreement rule; defaults to the scenario's own (unanimity unless it says otherwise).
    chunk_size
        Outcomes per chunk.
    progress
        Show a progress bar (tqdm) over the chunks.
    """
    rule = rule or scenario.agreement
    space = scenario.space
    P = len(scenario.parties)
    kept_idx: list[np.ndarray] = []
    kept_u: list[np.ndarray] = []
    counts: dict[str, Any] = {
        "allowed": 0,
        "feasible": 0,
        "without": np.zeros(P, dtype=np.int64),
        "red_ok": np.zeros(P, dtype=np.int64),
        "reservation_ok": np.zeros(P, dtype=np.int64),
        "alone": np.zeros(P, dtype=np.int64),
    }
    blocks: Iterable[Block] = evaluate_blocks(scenario, chunk_size)
    total = -(-space.cardinality // chunk_size)
    if progress and total > 4:
        blocks = tqdm(blocks, desc="enumerating", unit="block", total=total)
    r = scenario.reservations
    r_low = r - reservation_tolerance(r)
    tol = utility_tolerance(scenario)
    for block in blocks:
        allowed = block.allowed
        reach = block.utilities >= r_low
        acc = reach & ~block.red
        ok = scenario.passes(acc, rule) & allowed
        n_ok = int(np.count_nonzero(ok))
        counts["allowed"] += int(np.count_nonzero(allowed))
        counts["feasible"] += n_ok
        if counts["feasible"] == 0:
            # Only needed to explain an empty feasible set.
            acc, reach, red = acc[allowed], reach[allowed], block.red[allowed]
            for p in range(P):
                others = np.delete(acc, p, axis=1)
                counts["without"][p] += int(others.all(axis=1).sum())
            counts["red_ok"] += (~red).sum(axis=0)
            counts["reservation_ok"] += reach.sum(axis=0)
            counts["alone"] += acc.sum(axis=0)
        if n_ok == 0:
            continue
        rows = np.flatnonzero(ok)
        idx = rows + block.start
        u = block.utilities[rows]
        mask = pareto_mask(u, tol=tol)
        kept_idx.append(idx[mask])
        kept_u.append(u[mask])
    if kept_idx:
        idx = np.concatenate(kept_idx)
        u = np.concatenate(kept_u)
        if len(kept_idx) > 1:  # one block: its frontier is already the answer
            mask = pareto_mask(u, tol=tol)
            idx, u = idx[mask], u[mask]
        order = np.argsort(idx, kind="stable")
        idx, u = idx[order], u[order]
    else:
        idx, u = np.zeros(0, dtype=np.int64), np.zeros((0, P))
    diagnostics = _diagnose(counts, scenario) if counts["feasible"] == 0 else {}
    return Frontier(
        scenario=scenario,
        levels=space.levels_of(idx),
        utilities=u,
        n_outcomes=space.cardinality,
        n_allowed=counts["allowed"],
        n_feasible=counts["feasible"],
        engine="enumerate",
        rule=rule,
        diagnostics=diagnostics,
        tolerance=tol,
    )
