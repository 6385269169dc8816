"""Max-min and leximin (lexicographic max-min) optima by sequential linear programmes.

On a polytope (:func:`leximin`, :func:`maxmin`) and on the lotteries over the rows of a gains
matrix (:func:`simplex_leximin`, by column generation). The egalitarian and Kalai-Smorodinsky
solutions are leximin optima of (normalised) gains.

References
----------
.. [OgryczakSliwinski2006] Ogryczak, Śliwiński, "On direct methods for lexicographic min-max
   optimization" (2006). Full entry: docs/references.md.
.. [Imai1983] Imai, "Individual monotonicity and lexicographic maxmin solution" (1983); the leximin
   solution on convex sets. Full entry: docs/references.md.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from negotiation.engine.solvers.polytope import Polytope, lp_tol
from negotiation.engine.solvers.simplex import SimplexLP
from negotiation.errors import NegotiationError

__all__ = ["leximin", "maxmin", "simplex_leximin"]


def maxmin(
    poly: Polytope, scale: np.ndarray, *, extra: Sequence[tuple[np.ndarray, float]] = ()
) -> tuple[np.ndarray, float] | None:
    """``max t`` s.t. ``g_i(z) >= t scale_i`` for the parties with ``scale_i > 0``."""
    res = poly.lp(np.zeros(poly.k), t_scale=scale, c_t=1.0, extra=extra)
    if res is None:
        return None
    return res[0], res[1]


def leximin(
    poly: Polytope,
    scale: np.ndarray,
    *,
    extra: Sequence[tuple[np.ndarray, float]] = (),
) -> tuple[np.ndarray, np.ndarray] | None:
    """The leximin optimum of the normalised gains ``r_i = g_i / scale_i`` over ``Z``.

    Sequential linear programmes: maximise the smallest free ``r``; every free party that cannot
    get more than that level while the others keep it is fixed at it; repeat (the standard
    algorithm for lexicographic max-min, e.g. Ogryczak & Śliwiński 2006). Returns
    ``(z, levels)`` (the fixed level of each party in use) or ``None`` if ``Z`` is empty.
    """
    use = scale > 0
    tol = lp_tol(poly)
    free = set(np.flatnonzero(use).tolist())
    fixed = np.full(poly.k, -np.inf)
    z = None
    while free:
        free_scale = np.zeros(poly.k)
        free_scale[list(free)] = scale[list(free)]
        lower = np.where(np.isfinite(fixed), fixed * scale, -np.inf)
        res = poly.lp_at_least(np.zeros(poly.k), lower, t_scale=free_scale, c_t=1.0, extra=extra)
        if res is None:
            if z is None:
                return None
            raise NegotiationError("internal error: leximin programme became infeasible")
        z, t, _ = res
        lower_t = lower.copy()
        for j in free:
            lower_t[j] = t * scale[j]
        blocked = []
        for i in sorted(free):
            e = np.zeros(poly.k)
            e[i] = 1.0
            r = poly.lp_at_least(e, lower_t, extra=extra)
            if r is None or r[2] <= t * scale[i] + 10 * tol[i]:
                blocked.append(i)
        if not blocked:  # numerical safety: fix the worst-off party at the current solution
            g = poly.gains(z)
            blocked = [min(free, key=lambda j: g[j] / scale[j])]
        for i in blocked:
            fixed[i] = t
            free.discard(i)
    if z is None:  # no party in use: any point of Z
        res = poly.lp(np.zeros(poly.k), extra=extra)
        if res is None:
            return None
        return res[0], fixed
    # A final programme that keeps every level and maximises the normalised sum (a vertex).
    lower = np.where(np.isfinite(fixed), fixed * scale, -np.inf)
    w = np.where(use, 1.0 / np.where(use, scale, 1.0), 0.0)
    res = poly.lp_at_least(w, lower, extra=extra)
    if res is not None:
        z = res[0]
    return z, fixed


def simplex_leximin(G: np.ndarray, seed: Sequence[int] | np.ndarray = ()) -> np.ndarray:
    """Weights ``p`` on the simplex at the leximin optimum of the gains ``G^T p`` (``G``: M x k).

    Sequential linear programmes as :func:`_leximin`, solved by column generation
    (:class:`SimplexLP`), with the usual shortcut (Ogryczak & Śliwiński 2006): a party whose
    level constraint has a positive dual price in the max-min programme is tight in *every*
    optimal solution (complementary slackness), so it is fixed at once; only when no price is
    positive (degeneracy) is each free party tested by its own programme. Finally, among the
    leximin lotteries, one with the largest sum of gains (a vertex).
    """
    M, k = G.shape
    lp = SimplexLP(G)
    relax = 1e-9 * lp.scale
    free = np.ones(k, dtype=bool)
    level = np.full(k, -np.inf)
    supp = list(seed)
    p = None
    rounds = 0
    while free.any():
        rounds += 1
        lower = np.where(free, 0.0, level - relax)
        res = lp.solve(np.zeros(k), lower=lower, t_scale=free.astype(float), c_t=1.0, seed=supp)
        if res is None:
            if p is None:  # pragma: no cover - the simplex is never empty
                raise NegotiationError("internal error: leximin programme infeasible")
            break
        p, t, _ = res
        supp = np.flatnonzero(p > 0).tolist()
        blocked = free & (lp.prices > 1e-9)
        if not blocked.any():
            lower_t = np.where(free, t - relax, level - relax)
            for i in np.flatnonzero(free):
                e = np.zeros(k)
                e[i] = 1.0
                r = lp.solve(e, lower=lower_t, seed=supp)
                if r is None or r[2] <= t + 10 * relax:
                    blocked[i] = True
            if not blocked.any():  # numerical safety: the worst-off free party
                g = p @ G
                blocked[np.flatnonzero(free)[np.argmin(g[free])]] = True
        level[blocked] = t
        free &= ~blocked
    assert p is not None  # the first programme over the simplex is always feasible
    if rounds == 1 and (lp.prices > 1e-9).all():
        # Every party's level is priced in the first max-min programme: its solution maximises
        # ``y . g`` with ``y > 0`` over the hull, so it is Pareto-optimal and the programme below
        # could only move the gains within its ``relax`` (1e-9 of the scale): skip it.
        return p
    res = lp.solve(np.ones(k), lower=level - relax, seed=supp)
    return p if res is None else res[0]
