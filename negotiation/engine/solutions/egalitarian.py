"""The egalitarian solution: the leximin order of the gains over disagreement.

*Egalitarian.* The leximin order on the raw gains: maximise the smallest gain, then the second
smallest, and so on.

Kalai (1977) [Kalai1977b]_; the leximin refinement makes the choice Pareto-optimal and unique up to
ties (Rawls 1971 [Rawls1971]_; on convex sets Imai 1983 [Imai1983]_). Gains are compared in the
parties' own units, so the rule is not invariant to rescaling.

*Over lotteries* (:func:`egalitarian_lottery_weights`) and *on continuous issues*
(:func:`egalitarian_continuous`): the leximin optimum of the gains by a sequence of linear
programmes (:mod:`negotiation.engine.solvers.leximin`).

References
----------
.. [Kalai1977b] Kalai, "Proportional solutions to bargaining situations" (1977).
   Full entry: docs/references.md.
.. [Rawls1971] Rawls, *A Theory of Justice* (1971). Full entry: docs/references.md.
.. [Imai1983] Imai, "Individual monotonicity and lexicographic maxmin solution" (1983); the leximin
   solution on convex sets. Full entry: docs/references.md.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from negotiation.engine.deal import Deal, Lottery
from negotiation.engine.frontier import Frontier
from negotiation.engine.solutions.base import Levels, Power, Solution, Vector, Weights
from negotiation.engine.solutions.choice import as_problem, choose, leximin_keys
from negotiation.engine.solutions.lottery import (
    cut_gains,
    finish_weights,
)
from negotiation.engine.solutions.subproblems import (
    ContinuousSolution,
    Subproblems,
)
from negotiation.engine.solvers.leximin import simplex_leximin
from negotiation.engine.solvers.simplex import SEED_COLUMNS, top_rows

__all__ = [
    "EGALITARIAN",
    "Egalitarian",
    "egalitarian",
    "egalitarian_continuous",
    "egalitarian_index",
    "egalitarian_lottery",
    "egalitarian_lottery_weights",
    "leximin_index",
]


def egalitarian_index(
    U: np.ndarray, d: np.ndarray | Sequence[float], *, levels: np.ndarray | None = None
) -> int:
    """Row of ``U`` that is best in the leximin order of the gains ``u - d`` (egalitarian).

    Maximises the smallest gain ``min_i (u_i - d_i)``, then the second smallest, and so on
    (Kalai 1977's egalitarian solution with the leximin refinement; Rawls 1971). Ties: the
    smallest ``levels`` row (or the first row).

    Examples
    --------
    >>> egalitarian_index(np.array([[0.9, 0.1], [0.45, 0.5], [0.5, 0.45]]), [0.0, 0.0])
    1
    """
    U, d = as_problem(U, d)
    return choose(leximin_keys(U - d), U.shape[0], levels)


leximin_index = egalitarian_index


def egalitarian_lottery_weights(
    U: np.ndarray, d: np.ndarray | Sequence[float]
) -> tuple[np.ndarray, np.ndarray]:
    """The egalitarian (leximin) solution over lotteries on the rows of ``U``.

    The leximin optimum of the expected gains ``sum_k p_k (u_k - d)`` over the simplex, by
    sequential linear programmes over all rows (the egalitarian solution of Kalai 1977 on the
    convex hull; with the leximin refinement it is Pareto-optimal). Its first level is
    ``max min_i g_i >= 0`` whenever some row is individually rational, so the cut at ``d`` holds
    by itself. Returns ``(rows, probabilities)``.

    Examples
    --------
    >>> rows, p = egalitarian_lottery_weights(np.array([[1.0, 0.0], [0.0, 0.5]]), [0.0, 0.0])
    >>> np.round(p @ np.array([[1.0, 0.0], [0.0, 0.5]])[rows], 6).tolist()
    [0.333333, 0.333333]
    """
    U, d = as_problem(U, d)
    M, P = U.shape
    if M == 1:
        return np.array([0]), np.ones(1)
    G, tol, ir = cut_gains(U, d)
    # seeds: an individually rational deal and the deals with the largest smallest gain
    top = top_rows(G.min(axis=1), SEED_COLUMNS)
    p = simplex_leximin(G, seed=np.union1d(np.flatnonzero(ir)[:1], top))
    return finish_weights(U, p, P, d=d if ir.any() and not ir.all() else None)


def egalitarian(frontier: Frontier) -> Deal:
    """The egalitarian solution: maximise the smallest gain ``min_i (u_i - d_i)`` (leximin).

    Kalai (1977); the leximin refinement (then the second smallest gain, ...) makes the choice
    Pareto-optimal and unique up to ties (Rawls 1971). Gains are compared in the parties' own
    units, so the rule is not invariant to rescaling.

    Raises
    ------
    InfeasibleError
        When the feasible set is empty.
    """
    return EGALITARIAN.pure(frontier)


def egalitarian_lottery(frontier: Frontier, *, support: str = "allowed") -> Lottery:
    """The egalitarian (leximin) solution over lotteries.

    Raises
    ------
    InfeasibleError
        When the feasible set is empty.
    """
    return EGALITARIAN.lottery(frontier, support=support)


def egalitarian_continuous(problem: Subproblems) -> ContinuousSolution:
    """The egalitarian solution of a scenario with continuous issues, exactly: the leximin
    optimum of the gains over every sub-problem."""
    return problem.leximin_solution("egalitarian", np.ones(len(problem.scenario.parties)))


class Egalitarian(Solution):
    """The egalitarian solution (Kalai 1977), refined by the leximin order (Rawls 1971)."""

    name = "egalitarian"
    label = "Egalitarian"
    short = "egalitarian"
    marker = "s"
    linestyle = (0, (6, 2, 1, 2))
    reference = "Kalai1977b"

    def index(
        self, U: np.ndarray, d: Vector, *, power: Vector | None = None, levels: Levels = None
    ) -> int:
        return egalitarian_index(U, d, levels=levels)

    def lottery_weights(
        self,
        U: np.ndarray,
        d: Vector,
        *,
        power: Vector | None = None,
        levels: Levels = None,
        cut: bool = True,
    ) -> Weights:
        return egalitarian_lottery_weights(U, d)  # the first leximin level keeps the cut by itself

    def continuous(self, problem: Subproblems, *, power: Power = None) -> ContinuousSolution:
        return egalitarian_continuous(problem)


EGALITARIAN = Egalitarian()
