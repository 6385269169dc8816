"""The Kalai-Smorodinsky solution: gains proportional to the best feasible gains.

*Kalai-Smorodinsky.* Parties with ``I_i - d_i <= tol_i`` (nothing to gain) are left out of the
ratio. The discrete choice maximises the smallest normalised gain ``min_i g_i / (I_i - d_i)``:
the frontier point whose normalised gains come closest, from below, to the point where the ray
from ``d`` towards ``I`` leaves the feasible set. Ties: the largest sum of normalised gains.

*Over lotteries* (:func:`kalai_smorodinsky_lottery_weights`): the linear programme
``max t`` s.t. ``g_i(p) >= t (I_i - d_i)`` (``I``: the ideal of the cut hull), then the largest
sum of normalised gains at that ``t``. *On continuous issues*
(:func:`kalai_smorodinsky_continuous`): ``max t`` s.t. ``u_p - d_p >= t (I_p - d_p)`` on every
sub-problem, then the largest sum of normalised gains; the ideal point ``I`` by one linear
programme per party.

References
----------
.. [KalaiSmorodinsky1975] Kalai, Smorodinsky, "Other solutions to Nash's bargaining problem" (1975).
   Full entry: docs/references.md.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from negotiation.engine.deal import Deal, Lottery
from negotiation.engine.frontier import Frontier
from negotiation.engine.solutions.base import Levels, Power, Solution, Vector, Weights
from negotiation.engine.solutions.choice import as_problem, choose
from negotiation.engine.solutions.lottery import (
    cut_floor,
    cut_gains,
    finish_weights,
    lottery_ideal,
)
from negotiation.engine.solutions.subproblems import (
    ContinuousSolution,
    Subproblems,
    tie,
)
from negotiation.engine.solvers.simplex import SEED_COLUMNS, SimplexLP, top_rows
from negotiation.errors import InfeasibleError
from negotiation.model.scenario import reservation_tolerance

__all__ = [
    "KALAI_SMORODINSKY",
    "KalaiSmorodinsky",
    "kalai_smorodinsky",
    "kalai_smorodinsky_continuous",
    "kalai_smorodinsky_index",
    "kalai_smorodinsky_lottery",
    "kalai_smorodinsky_lottery_weights",
]


def kalai_smorodinsky_index(
    U: np.ndarray,
    d: np.ndarray | Sequence[float],
    ideal: np.ndarray | Sequence[float] | None = None,
    *,
    levels: np.ndarray | None = None,
) -> int:
    """Row of ``U`` with the largest smallest normalised gain (discrete Kalai-Smorodinsky).

    With ideal point ``I`` (default: the column maxima of ``U``, which over a frontier are the
    best feasible utilities), party ``i``'s normalised gain is ``r_i = (u_i - d_i) / (I_i - d_i)``
    for the parties with ``I_i - d_i > tol_i`` (the others are left out). The chosen row
    maximises ``min_i r_i``; ties by the largest ``sum_i r_i``, then the smallest ``levels`` row
    (or the first row). On a continuous set the maximiser is where the ray from ``d`` towards
    ``I`` leaves the set (Kalai & Smorodinsky 1975).

    Examples
    --------
    >>> U = np.array([[1.0, 0.0], [0.7, 0.5], [0.5, 0.55], [0.0, 0.6]])
    >>> kalai_smorodinsky_index(U, [0.0, 0.0])  # ratios min(0.7, 0.83) beats min(0.5, 0.92)
    1
    """
    U, d = as_problem(U, d)
    I_ = U.max(axis=0) if ideal is None else np.asarray(ideal, dtype=float)
    span = I_ - d
    use = span > reservation_tolerance(d)
    if not use.any():
        return choose([], U.shape[0], levels)
    R = (U[:, use] - d[use]) / span[use]
    return choose([R.min(axis=1), R.sum(axis=1)], U.shape[0], levels)


def kalai_smorodinsky_lottery_weights(
    U: np.ndarray,
    d: np.ndarray | Sequence[float],
    ideal: np.ndarray | Sequence[float] | None = None,
    *,
    cut: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """The Kalai-Smorodinsky solution over lotteries on the rows of ``U``.

    The linear programme ``max t`` s.t. ``sum_k p_k (u_ki - d_i) >= t (I_i - d_i)`` for the
    parties with ``I_i > d_i`` (and ``>= 0`` for the others), ``p`` on the simplex: the point
    where the segment from ``d`` to the ideal point ``I`` (default :func:`lottery_ideal`, the
    ideal of the cut hull) leaves the hull (Kalai & Smorodinsky 1975). At that ``t``, the
    largest sum of normalised gains (a Pareto-optimal point when the KS point is only weakly
    Pareto-optimal, possible with 3+ parties). One LP over all rows: no convex hull is built, so
    it runs in any number of dimensions. Returns ``(rows, probabilities)``.

    Examples
    --------
    >>> U = np.array([[1.0, 0.0], [0.0, 0.5]])
    >>> rows, p = kalai_smorodinsky_lottery_weights(U, [0.0, 0.0])
    >>> np.round(p @ U[rows], 6).tolist()  # on the ray towards the ideal (1, 0.5)
    [0.5, 0.25]
    """
    U, d = as_problem(U, d)
    M, P = U.shape
    G, tol, ir = cut_gains(U, d, cut)
    I_ = (
        (lottery_ideal(U, d) if cut else U.max(axis=0))
        if ideal is None
        else np.asarray(ideal, dtype=float)
    )
    span = I_ - d
    use = span > reservation_tolerance(d)
    if not use.any() or M == 1:
        return np.array([int(np.flatnonzero(ir)[0]) if ir.any() else 0]), np.ones(1)
    scale = np.where(use, span, 0.0)
    lp = SimplexLP(G)
    # Seed the column generation with the deals best by the discrete criterion (the smallest
    # normalised gain): the optimal mixture is usually among them, so fewer rounds are needed.
    ratio = (G[:, use] / scale[use]).min(axis=1)
    seed = np.union1d(np.flatnonzero(ir)[:1], top_rows(ratio, SEED_COLUMNS))
    floor = np.where(use, 0.0, cut_floor(G, ir)) if not ir.all() else None
    res = lp.solve(np.zeros(P), lower=floor, t_scale=scale, c_t=1.0, seed=seed)
    if res is None:
        raise InfeasibleError("no lottery gives every party at least its reservation value")
    p, t, _ = res
    lower = np.full(P, -np.inf) if floor is None else floor.copy()
    w = np.zeros(P)
    w[use] = 1.0 / scale[use]
    supp = np.flatnonzero(p > 0)
    if floor is None and use.all() and (lp.prices > 1e-9).all():
        # Every ratio constraint has a positive price: the point maximises ``y . g`` with
        # ``y > 0`` over the hull, so it is Pareto-optimal and every feasible point of the
        # second programme has the same gains: skip it.
        return finish_weights(U, p, P)
    for relax in (0.0, 1e-10, 1e-9, 1e-7):
        lower[use] = t * scale[use] - relax * lp.scale
        sec = lp.solve(w, lower=lower, seed=supp)
        if sec is not None:
            p = sec[0]
            break
    return finish_weights(U, p, P, d=None if ir.all() else d)


def kalai_smorodinsky(frontier: Frontier) -> Deal:
    """The (discrete) Kalai-Smorodinsky solution: gains proportional to the best feasible gains.

    Maximises ``min_i (u_i - d_i) / (I_i - d_i)`` over the frontier, ``I`` the ideal point (each
    party's best feasible utility); parties with ``I_i = d_i`` are left out; ties by the largest
    sum of normalised gains, then the smallest outcome index. Kalai & Smorodinsky (1975) replace
    Nash's independence axiom by individual monotonicity.

    Raises
    ------
    InfeasibleError
        When the feasible set is empty.
    """
    return KALAI_SMORODINSKY.pure(frontier)


def kalai_smorodinsky_lottery(frontier: Frontier, *, support: str = "allowed") -> Lottery:
    """The Kalai-Smorodinsky solution over lotteries (see
    :func:`kalai_smorodinsky_lottery_weights`); the ideal point is that of the lotteries
    (:func:`lottery_ideal`), which with ``support="allowed"`` can exceed the best single deal.

    Raises
    ------
    InfeasibleError
        When the feasible set is empty.
    """
    return KALAI_SMORODINSKY.lottery(frontier, support=support)


def kalai_smorodinsky_continuous(problem: Subproblems) -> ContinuousSolution:
    """The Kalai-Smorodinsky solution of a scenario with continuous issues, exactly: the max-min
    of the normalised gains over every sub-problem, then the largest sum of normalised gains
    (the leximin solution when no party can gain)."""
    span = problem.ideal - problem.d
    use = span > problem.tol
    if not use.any():
        return problem.leximin_solution("kalai_smorodinsky", np.ones(len(span)))
    scale = np.where(use, span, 0.0)
    best, cands = problem.maxmin_candidates(scale)
    picks = []
    for k in cands:
        poly = problem.polytope(k)
        lower = np.where(use, best * scale, -np.inf)
        w = np.where(use, 1.0 / np.where(use, scale, 1.0), 0.0)
        res = poly.lp_at_least(w, lower)
        if res is None:
            continue
        picks.append((k, res[0], res[2]))
    top = max(v for _, _, v in picks)
    k, z, _ = next(p for p in picks if p[2] >= top - tie(top))
    g = problem.A[k] @ z + problem.b[k]
    return problem.solution("kalai_smorodinsky", k, z, float((g[use] / span[use]).min()))


class KalaiSmorodinsky(Solution):
    """The Kalai-Smorodinsky solution (Kalai & Smorodinsky 1975)."""

    name = "kalai_smorodinsky"
    label = "Kalai–Smorodinsky"
    short = "Kalai-Smor."
    marker = "D"
    linestyle = (0, (1, 1.5))
    reference = "KalaiSmorodinsky1975"
    scale_invariant = True

    def index(
        self, U: np.ndarray, d: Vector, *, power: Vector | None = None, levels: Levels = None
    ) -> int:
        return kalai_smorodinsky_index(U, d, levels=levels)

    def lottery_weights(
        self,
        U: np.ndarray,
        d: Vector,
        *,
        power: Vector | None = None,
        levels: Levels = None,
        cut: bool = True,
    ) -> Weights:
        return kalai_smorodinsky_lottery_weights(U, d, cut=cut)

    def continuous(self, problem: Subproblems, *, power: Power = None) -> ContinuousSolution:
        return kalai_smorodinsky_continuous(problem)


KALAI_SMORODINSKY = KalaiSmorodinsky()
