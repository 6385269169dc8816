"""The search problem: a scenario compiled into per-issue tables, clauses and floors.

The fold (:mod:`negotiation.engine.search.fold`) runs over a :class:`_Problem`: one
``levels x k`` utility table per issue (``k`` objective columns, one per party), the levels no
single-issue clause forbids, the multi-issue clauses (constraints, red lines, bonuses) it tracks as
state classes, and the reservation floors. See :mod:`negotiation.engine.search` for the method.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from negotiation.engine.tolerance import utility_tolerance
from negotiation.errors import NotApplicableError
from negotiation.model.scenario import Scenario, reservation_tolerance

__all__ = ["MAX_OPEN_CLAUSES", "open_clauses"]

#: Largest number of multi-issue clauses the search keeps open between two issues (up to
#: ``2**MAX_OPEN_CLAUSES`` state classes); beyond it the search refuses before any work.
MAX_OPEN_CLAUSES = 16


@dataclass
class _Clause:
    """A clause over several issues (or a bonus), as the fold uses it."""

    kind: str  # "forbid" or "bonus"
    member: dict[int, np.ndarray]  # issue -> bool per level: the level is listed
    col: int = -1  # objective column of a bonus
    value: float = 0.0
    first: int = field(init=False)  # its first and last issue
    last: int = field(init=False)

    def __post_init__(self) -> None:
        self.first, self.last = min(self.member), max(self.member)


@dataclass
class _Problem:
    """Tables (one ``levels x k`` array per issue), clauses and reservation floors."""

    tables: list[np.ndarray]
    level_ok: list[np.ndarray]
    clauses: list[_Clause]
    rlow: np.ndarray  # per objective column: u >= rlow is acceptable (-inf: no floor)
    tol: np.ndarray  # per objective column: the tie tolerance of the final comparison

    @property
    def k(self) -> int:
        return self.tables[0].shape[1]


def _member(clause, sizes) -> dict[int, np.ndarray]:
    out = {}
    for i, levels in clause.terms:
        m = np.zeros(sizes[i], dtype=bool)
        m[list(levels)] = True
        out[i] = m
    return out


def _problem(
    scenario: Scenario,
    objectives: list[int],
    red_lines_of: list[int],
    reservations: bool = True,
) -> _Problem:
    """Compile a scenario into a fold problem.

    ``objectives`` are the parties whose utilities are the objective columns (with their
    bonuses, in the order :meth:`Scenario.utilities` adds them); ``red_lines_of`` the parties
    whose red lines forbid outcomes; with ``reservations`` the objective parties' reservation
    values are floors. Without objectives a single zero column is used.
    """
    sizes = scenario.space.sizes
    if objectives:
        tables = [np.ascontiguousarray(t[:, objectives]) for t in scenario.tables]
    else:
        tables = [np.zeros((n, 1)) for n in sizes]
    level_ok = [np.ones(n, dtype=bool) for n in sizes]
    clauses: list[_Clause] = []
    forbid = list(scenario.constraint_clauses)
    for p in red_lines_of:
        forbid.extend(scenario.red_line_clauses[p])
    for c in forbid:
        member = _member(c, sizes)
        if len(member) == 1:
            ((i, m),) = member.items()
            level_ok[i] &= ~m
        else:
            clauses.append(_Clause("forbid", member))
    for col, p in enumerate(objectives):
        for b in scenario.bonuses[p]:
            clauses.append(_Clause("bonus", _member(b.clause, sizes), col, float(b.value)))
    if objectives and reservations:
        r = scenario.reservations[objectives]
        rlow = r - reservation_tolerance(r)
    else:
        rlow = np.full(tables[0].shape[1], -np.inf)
    tol = utility_tolerance(scenario)[objectives] if objectives else np.zeros(1)
    return _Problem(tables, level_ok, clauses, rlow, tol)


# --------------------------------------------------------------------------------------------
# The fold
# --------------------------------------------------------------------------------------------


def _margin(prob: _Problem) -> float:
    """The margin ``tau``: a strict difference of at least ``tau`` survives every later rounding.

    Every addition rounds by at most half an ulp of the largest magnitude a sum can reach
    (``M``), so a difference shrinks by at most ``ulp(M)`` per addition; there are at most
    ``issues + bonuses`` additions. Four times that, for good measure (and for the computed
    reservation bounds).
    """
    M = np.zeros(prob.k)
    for t in prob.tables:
        M += np.abs(t).max(axis=0)
    for c in prob.clauses:
        if c.kind == "bonus":
            M[c.col] += abs(c.value)
    m = max(float(M.max()), np.finfo(float).tiny)
    steps = len(prob.tables) + sum(c.kind == "bonus" for c in prob.clauses) + 4
    return 4.0 * steps * float(np.spacing(m))


def open_clauses(prob: _Problem) -> int:
    """Largest number of multi-issue clauses (constraints, red lines, bonuses) still open between
    two issues of the fold: a state's class is a subset of them, so up to ``2**open`` classes."""
    n = len(prob.tables)
    return max((sum(1 for c in prob.clauses if c.first <= i < c.last) for i in range(n)), default=0)


def _check_open_clauses(scenario: Scenario, prob: _Problem) -> None:
    """Refuse, before any work, a fold whose state classes could number over
    ``2**MAX_OPEN_CLAUSES`` (the constraint-based ANAC 2014 domains keep 19 to 67 open)."""
    k = open_clauses(prob)
    if k > MAX_OPEN_CLAUSES:
        raise NotApplicableError(
            f"scenario {scenario.name!r}: its multi-issue clauses (constraints, red lines, "
            f"bonuses) keep up to {k} open across issues, so the search could track up to "
            f"2^{k} state classes; the bound is 2^{MAX_OPEN_CLAUSES} "
            "(negotiation.engine.search.MAX_OPEN_CLAUSES)"
        )
