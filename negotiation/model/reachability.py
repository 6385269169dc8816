"""Reachability: can the constraints allow some outcome, and can every reservation be met?

Building a :class:`~negotiation.model.scenario.Scenario` checks that the constraints leave some
outcome, and that each party's reservation value is at most the best utility any outcome it may
accept gives it -- otherwise the party could never agree, and every analysis would end empty.

The best utility is exact: issues tied by the clauses or the party's bonuses are grouped into
compound issues (:func:`~negotiation.model.compound.issue_components`), each group's sub-space is
enumerated (up to :data:`EXACT_CHECK_LIMIT` outcomes, else an upper bound is used), and, the
utility being additive over the groups, the maxima of the groups add up.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from negotiation.errors import ScenarioError
from negotiation.model.agreement import reservation_tolerance
from negotiation.model.clauses import Clause
from negotiation.model.compound import issue_components
from negotiation.model.party import Party
from negotiation.model.utility import add_bonuses, table_sum, value_points

if TYPE_CHECKING:  # scenario.py imports this module
    from negotiation.model.scenario import Scenario

__all__ = ["EXACT_CHECK_LIMIT", "check_reachable", "check_reachable_bound", "component_maxima"]

#: Largest (sub)space that validation enumerates to check reachability exactly.
EXACT_CHECK_LIMIT = 2_000_000


@lru_cache(maxsize=1024)
def _component_space(
    sizes: tuple[int, ...],
    comp: tuple[int, ...],
    clauses: tuple[Clause, ...],
    bonus_clauses: tuple[Clause, ...],
) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, ...]]:
    """Enumerate a compound issue: its level rows, which no clause forbids, and each bonus mask.

    Cached, because sweeps rebuild scenarios that differ only in numbers, not in structure.
    """
    count = math.prod(sizes[i] for i in comp)
    sub = np.stack(np.unravel_index(np.arange(count), [sizes[i] for i in comp]), axis=1)
    full = np.zeros((count, len(sizes)), dtype=np.int64)
    full[:, list(comp)] = sub
    ok = np.ones(count, dtype=bool)
    for c in clauses:
        ok &= ~c.match(full, sizes)
    masks = tuple(c.match(full, sizes) for c in bonus_clauses)
    for a in (sub, ok, *masks):
        a.setflags(write=False)
    return sub, ok, masks


def check_reachable(scenario: Scenario) -> None:
    """Constraints must allow some outcome, and every reservation must be reachable."""
    allowed = component_maxima(scenario, scenario.constraint_clauses, None)
    if allowed is None:
        raise ScenarioError("the constraints forbid every outcome")
    for p, party in enumerate(scenario.parties):
        clauses = scenario.constraint_clauses + scenario.red_line_clauses[p]
        best = component_maxima(scenario, clauses, p)
        if best is None:
            raise ScenarioError(
                "the red lines and constraints forbid every outcome for this party",
                party=party.name,
            )
        _check_reservation(party, best, "allowed outcome gives")


def _check_reservation(party: Party, best: float, what: str) -> None:
    """A reservation above ``best`` (up to the reservation test's tolerance) is unreachable."""
    tol = float(reservation_tolerance(party.reservation))
    if best < party.reservation - tol:
        unit = " points" if party.scored_in_points else ""
        raise ScenarioError(
            f"reservation {party.reservation:g}{unit} is above the best utility any "
            f"{what} ({best:.6g}{unit}): no outcome can reach it",
            party=party.name,
        )


def check_reachable_bound(scenario: Scenario) -> None:
    """With continuous issues: a reservation above an upper bound of the party's utility
    (each issue at its best level or breakpoint, every positive bonus) can never be met.

    The exact test (:func:`check_reachable`) runs on the discretised scenario.
    """
    for p, party in enumerate(scenario.parties):
        best = sum(max(float(v), 0.0) for _, v in party.bonuses)
        for i, issue in enumerate(scenario.issues):
            if not issue.is_continuous:
                best += float(scenario.tables[i][:, p].max())
            elif not party.scored_in_points and scenario.weights[p, i] > 0:
                best += scenario.weights[p, i] * float(value_points(scenario, p, i)[:, 1].max())
        _check_reservation(party, best, "outcome can give")


def component_maxima(
    scenario: Scenario, clauses: Sequence[Clause], party: int | None
) -> float | None:
    """Exact max utility of ``party`` over outcomes matching none of ``clauses``.

    Issues tied by the clauses or the party's bonuses are grouped into compound issues and
    each group's sub-space is enumerated; ``None`` when some group has no allowed outcome.
    With ``party=None`` only allowedness is checked (returns 0.0). A group too large to
    enumerate falls back to an upper bound (so only a certainly-unreachable value fails).
    """
    bonuses = scenario.bonuses[party] if party is not None else []
    groups = [c.issues for c in clauses] + [b.clause.issues for b in bonuses]
    total = 0.0
    sizes = scenario.space.sizes
    for comp in issue_components(len(scenario.issues), groups):
        inside = tuple(c for c in clauses if set(c.issues) <= set(comp))
        sub_bonus = [b for b in bonuses if set(b.clause.issues) <= set(comp)]
        if not inside and not sub_bonus:
            if party is not None:
                total += sum(float(scenario.tables[i][:, party].max()) for i in comp)
            continue
        count = math.prod(sizes[i] for i in comp)
        if count > EXACT_CHECK_LIMIT:
            if party is not None:
                total += sum(float(scenario.tables[i][:, party].max()) for i in comp)
                total += sum(max(b.value, 0.0) for b in sub_bonus)
            continue
        sub, ok, masks = _component_space(sizes, comp, inside, tuple(b.clause for b in sub_bonus))
        if not ok.any():
            return None
        if party is not None:
            tables = [scenario.tables[i][:, [party]] for i in comp]
            mask_of = dict(zip((b.clause for b in sub_bonus), masks, strict=True))
            u = add_bonuses(table_sum(sub, tables), (sub_bonus,), mask_of.__getitem__)
            total += float(u[ok, 0].max())
    return total
