"""The utilitarian solution: the largest sum of utilities (Harsanyi 1955 [Harsanyi1955]_).

*Utilitarian.* Maximise the plain sum of utilities ``sum_i u_i``, ties by the leximin order of
the gains. Utilities are summed as given, in each party's own units: in a scorable game (every
party scored in points) that is the joint score; with normalised weights-and-values parties it is
the sum of normalised utilities. The rule is not invariant to rescaling a party (by design, it
compares utilities across parties); if a scenario mixes points parties and normalised parties the
sum mixes units, so read it with care (or rescale the parties).

*Over lotteries* (:func:`utilitarian_lottery_weights`): the utilitarian deal (a linear
objective is maximised at a vertex), unless the cut adds a mixture that does better (``max sum g``
s.t. ``g >= 0``). *On continuous issues* (:func:`utilitarian_continuous`): a linear programme
per sub-problem (``max sum_p u_p``), ties by the leximin order of the gains.

References
----------
.. [Harsanyi1955] Harsanyi, "Cardinal welfare, individualistic ethics, and interpersonal comparisons
   of utility" (1955). Full entry: docs/references.md.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from negotiation.engine.deal import Deal, Lottery
from negotiation.engine.frontier import Frontier
from negotiation.engine.solutions.base import Levels, Power, Solution, Vector, Weights
from negotiation.engine.solutions.choice import as_problem, choose, leximin_keys
from negotiation.engine.solutions.lottery import (
    cut_floor,
    cut_gains,
    finish_weights,
    ir_index,
)
from negotiation.engine.solutions.subproblems import (
    ContinuousSolution,
    Subproblems,
    best_leximin,
    tie,
)
from negotiation.engine.solvers.leximin import leximin
from negotiation.engine.solvers.simplex import SimplexLP

__all__ = [
    "UTILITARIAN",
    "Utilitarian",
    "utilitarian",
    "utilitarian_continuous",
    "utilitarian_index",
    "utilitarian_lottery",
    "utilitarian_lottery_weights",
]


def utilitarian_index(
    U: np.ndarray, d: np.ndarray | Sequence[float], *, levels: np.ndarray | None = None
) -> int:
    """Row of ``U`` with the largest sum of utilities (utilitarian; Harsanyi 1955).

    Ties: the leximin order of the gains ``u - d``, then the smallest ``levels`` row (or the
    first row). ``d`` only matters for the tie-break.

    Examples
    --------
    >>> utilitarian_index(np.array([[0.9, 0.1], [0.5, 0.5], [0.6, 0.3]]), [0.0, 0.0])
    1
    """
    U, d = as_problem(U, d)
    return choose([U.sum(axis=1), *leximin_keys(U - d)], U.shape[0], levels)


def utilitarian_lottery_weights(
    U: np.ndarray,
    d: np.ndarray | Sequence[float],
    *,
    levels: np.ndarray | None = None,
    cut: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """The utilitarian solution over lotteries.

    A linear objective over the hull is maximised at a vertex, so where every row is
    individually rational no lottery beats the best deal and the degenerate lottery keeps the
    deterministic tie-breaks. Where some rows lie below ``d`` (the allowed support), the cut
    hull's vertices include mixtures: the linear programme ``max sum_i g_i`` s.t. ``g >= 0``
    over the simplex, kept only when it beats the best individually rational deal (by more than
    the LP tolerance).

    Examples
    --------
    >>> U = np.array([[3.0, -1.0], [0.5, 0.5]])  # (3, -1) alone is refused; mixed it is not
    >>> rows, p = utilitarian_lottery_weights(U, [0.0, 0.0])
    >>> rows.tolist(), (np.round(p @ U[rows], 6) + 0.0).tolist()  # a third of (3, -1)
    ([0, 1], [1.333333, 0.0])
    """
    U, d = as_problem(U, d)
    M, P = U.shape
    G, tol, ir = cut_gains(U, d, cut)
    k0 = ir_index(U, d, ir, utilitarian_index, levels=levels)
    if ir.all() or not ir.any():
        return np.array([k0]), np.ones(1)
    lp = SimplexLP(G)
    res = lp.solve(np.ones(P), lower=cut_floor(G, ir), seed=[k0])
    if res is None or res[2] <= float(G[k0].sum()) + 1e-8 * lp.scale * P:
        return np.array([k0]), np.ones(1)
    return finish_weights(U, res[0], P, d=d)


def utilitarian(frontier: Frontier) -> Deal:
    """The utilitarian solution: maximise the sum of utilities ``sum_i u_i`` (Harsanyi 1955).

    Ties by the leximin order of the gains, then the smallest outcome index. Utilities are summed
    in the parties' own units (see the module docstring on points-scored parties).

    Raises
    ------
    InfeasibleError
        When the feasible set is empty.
    """
    return UTILITARIAN.pure(frontier)


def utilitarian_lottery(frontier: Frontier, *, support: str = "allowed") -> Lottery:
    """The utilitarian solution over lotteries: the utilitarian deal with probability 1, unless
    a mixture with a deal some party refuses alone does better (``support="allowed"``).

    Raises
    ------
    InfeasibleError
        When the feasible set is empty.
    """
    return UTILITARIAN.lottery(frontier, support=support)


def utilitarian_continuous(problem: Subproblems) -> ContinuousSolution:
    """The utilitarian solution of a scenario with continuous issues, exactly: the largest sum
    of utilities over every sub-problem (branch and bound on the box maxima), ties by the
    leximin order of the gains, then the first sub-problem."""
    P = len(problem.scenario.parties)
    ones = np.ones(P)
    slope = problem.A.sum(1)  # of the utility sum, per sub-problem
    ub = np.maximum(slope * problem.lo, slope * problem.hi).sum(-1) + problem.b.sum(1)
    best, cands, values = -np.inf, [], {}
    for k in np.argsort(-ub, kind="stable"):
        if ub[k] < best - tie(best):
            break
        res = problem.polytope(int(k)).lp(ones)
        if res is None:
            continue
        values[int(k)] = res[2]
        if res[2] > best + tie(best):
            best, cands = res[2], [int(k)]
        elif res[2] >= best - tie(best):
            cands.append(int(k))
    if not cands:
        raise problem.empty_error()
    picks = []
    for k in sorted(cands):
        poly = problem.polytope(k)
        # Among the sum-maximisers of this sub-problem, the leximin one (the sum constraint
        # exact first, then relaxed by rounding-sized steps).
        for slack in (0.0, 1e-12, 1e-10, 10 * tie(best)):
            lex = leximin(poly, ones, extra=[(ones, values[k] - slack * max(1.0, abs(best)))])
            if lex is not None:
                break
        if lex is None:  # pragma: no cover - the sub-problem was feasible
            continue
        z = lex[0]
        picks.append((k, z, np.sort(poly.gains(z))))
    k, z = best_leximin(picks)
    return problem.solution(
        "utilitarian", k, z, float((problem.A[k] @ z + problem.b[k] + problem.d).sum())
    )


class Utilitarian(Solution):
    """The utilitarian solution (Harsanyi 1955)."""

    name = "utilitarian"
    label = "Utilitarian"
    short = "utilitarian"
    marker = "^"
    linestyle = (0, (3, 1.5))
    reference = "Harsanyi1955"

    def index(
        self, U: np.ndarray, d: Vector, *, power: Vector | None = None, levels: Levels = None
    ) -> int:
        return utilitarian_index(U, d, levels=levels)

    def lottery_weights(
        self,
        U: np.ndarray,
        d: Vector,
        *,
        power: Vector | None = None,
        levels: Levels = None,
        cut: bool = True,
    ) -> Weights:
        return utilitarian_lottery_weights(U, d, levels=levels, cut=cut)

    def continuous(self, problem: Subproblems, *, power: Power = None) -> ContinuousSolution:
        return utilitarian_continuous(problem)


UTILITARIAN = Utilitarian()
