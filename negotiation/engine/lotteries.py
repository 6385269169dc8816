"""Bargaining solutions over lotteries (randomised agreements).

A *lottery* draws deal ``k`` with probability ``p_k``; with von Neumann-Morgenstern utilities its
value to party ``i`` is the expected utility ``sum_k p_k u_ki``. Following Nash (1950), the set of
randomised agreements is the convex hull of every *allowed* deal (no red line or joint
constraint crossed), cut at the disagreement point ``d``: ``{sum_k p_k u_k >= d}``. A lottery may
mix in a deal one party would refuse alone, as long as its *expected* utility stays at or above
its reservation; the ideal point of this set (:func:`lottery_ideal`) can exceed the best single
deal. This is the convex bargaining set on which the classic solutions are unique. Every point
of it is weakly dominated by a mixture of Pareto-optimal allowed deals that stays in the cut, so
the candidates (:func:`lottery_candidates`) are those deals; ``support="feasible"`` mixes only
the Pareto-feasible ones (the narrower set used before), and a quota rule keeps the frontier's
deals without a cut.

No convex hull is built: every programme below runs over the mixture weights by column
generation (:class:`_SimplexLP`), pricing every deal with one matrix-vector product, so any
number of parties works (9 parties and 1,300 deals in a fraction of a second).

Each solution returns a :class:`~negotiation.engine.deal.Lottery` over frontier deals with at
most ``P`` deals of positive probability (``P`` = number of parties): the solution's utility
vector is Pareto-optimal on the hull, so it lies on a face of dimension at most ``P - 1``, and
Carathéodory's theorem (affine form) writes it as a mixture of at most ``P`` of that face's
vertices. The support is reduced to that size by moving along null vectors of ``[U_S^T; 1]``.

==================  ============================================================================
``nash``            maximise ``sum_i log(g_i(p))``, ``g(p) = sum_k p_k (u_k - d)``: a concave
                    programme on the simplex, solved by column generation (fully corrective
                    Frank-Wolfe): a small master problem (SLSQP) over the active deals, and the
                    deal with the largest ``lambda . g_k``, ``lambda_i = alpha_i / g_i(p)``, joins
                    until no deal improves (the KKT condition ``max_k lambda . g_k <= sum alpha``)
``asymmetric_nash`` the same with exponents ``alpha`` = the parties' powers
``kalai_smorodinsky`` the linear programme ``max t`` s.t. ``g_i(p) >= t (I_i - d_i)`` (``I``: the
                    ideal of the cut hull), then the largest sum of normalised gains at that ``t``
``egalitarian``     the leximin optimum of the gains, by a sequence of linear programmes
``utilitarian``     the utilitarian deal (a linear objective is maximised at a vertex), unless the
                    cut adds a mixture that does better (``max sum g`` s.t. ``g >= 0``)
==================  ============================================================================

If some party cannot gain over disagreement anywhere (``I_i = d_i``) it is left out of the Nash
product and the KS ratio, as in :mod:`negotiation.engine.solutions`. Under a quota rule, if no
lottery gives every party with a positive ideal gain a positive expected gain, the lottery Nash
solution is the deterministic Nash deal.

The linear-programming and column-generation machinery here is shared with
:mod:`negotiation.engine.continuous` (a continuous scenario is a union of polytopes).

References
----------
.. [N50] J. Nash, "The bargaining problem", Econometrica 18(2):155-162, 1950.
.. [DW60] G. B. Dantzig, P. Wolfe, "Decomposition principle for linear programs", Operations
   Research 8(1):101-111, 1960 (column generation).
.. [KS75] E. Kalai, M. Smorodinsky, "Other solutions to Nash's bargaining problem",
   Econometrica 43(3):513-518, 1975.
.. [FW56] M. Frank, P. Wolfe, "An algorithm for quadratic programming", Naval Research Logistics
   Quarterly 3:95-110, 1956 (fully corrective variant: von Hohenbalken 1977).
.. [C07] C. Carathéodory, "Über den Variabilitätsbereich der Koeffizienten von Potenzreihen",
   Mathematische Annalen 64:95-115, 1907.
.. [I81] Imai, H., "Individual monotonicity and lexicographic maxmin solution", Econometrica
   51(2):389-401, 1983 (the leximin solution on convex sets).
"""

from __future__ import annotations

import warnings
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np
from scipy.optimize import linprog, minimize
from scipy.spatial import ConvexHull, QhullError

from negotiation.engine.deal import Deal, Lottery
from negotiation.engine.solutions import (
    _as_problem,
    check_power,
    nash_index,
    utilitarian_index,
)
from negotiation.errors import InfeasibleError, NegotiationError, NotApplicableError
from negotiation.model.scenario import Scenario, reservation_tolerance

if TYPE_CHECKING:  # pragma: no cover
    from negotiation.engine.frontier import Frontier

__all__ = [
    "LOTTERY_SOLUTIONS",
    "LOTTERY_SUPPORTS",
    "asymmetric_nash_lottery",
    "egalitarian_lottery",
    "egalitarian_lottery_weights",
    "hull_rows",
    "kalai_smorodinsky_lottery",
    "kalai_smorodinsky_lottery_weights",
    "lottery_candidates",
    "lottery_ideal",
    "lottery_weights",
    "nash_lottery",
    "nash_lottery_weights",
    "reduce_support",
    "solve_lottery",
    "utilitarian_lottery",
    "utilitarian_lottery_weights",
]

#: Relative tolerance of the linear programmes' comparisons.
LP_TOL = 1e-8

#: HiGHS tolerances (tighter than its 1e-7 defaults, so that levels are kept to ~1e-10).
_HIGHS_OPTIONS = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}


# -- convex machinery (shared with continuous.py) ---------------------------------------------
@dataclass(frozen=True)
class _Polytope:
    """A polytope ``Z = {z : A_ub z <= b_ub, A_eq z = b_eq, lo <= z <= hi}`` with an affine gain
    map ``g(z) = A z + b`` (``k`` parties, ``n`` variables)."""

    A: np.ndarray
    b: np.ndarray
    bounds: tuple[tuple[float | None, float | None], ...]
    A_ub: np.ndarray | None = None
    b_ub: np.ndarray | None = None
    A_eq: np.ndarray | None = None
    b_eq: np.ndarray | None = None
    scale: np.ndarray = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.scale is None:
            span = np.abs(self.A).sum(axis=1) + np.abs(self.b)
            object.__setattr__(self, "scale", np.maximum(span, 1.0))

    @property
    def n(self) -> int:
        return self.A.shape[1]

    @property
    def k(self) -> int:
        return self.A.shape[0]

    def gains(self, z: np.ndarray) -> np.ndarray:
        return self.A @ z + self.b

    def lp(
        self,
        c_g: np.ndarray,
        *,
        lower: np.ndarray | None = None,
        t_scale: np.ndarray | None = None,
        c_t: float = 0.0,
        extra: Sequence[tuple[np.ndarray, float]] = (),
    ) -> tuple[np.ndarray, float, float] | None:
        """Maximise ``c_g . g(z) + c_t t`` over ``Z`` with ``g_i(z) >= lower_i + t t_scale_i``
        (rows with ``lower_i = -inf`` and ``t_scale_i = 0`` are not constrained) and the extra
        constraints ``coef . g(z) >= rhs``. Returns ``(z, t, value)`` or ``None`` if infeasible.
        """
        n, k = self.n, self.k
        use_t = t_scale is not None or c_t != 0.0
        nv = n + (1 if use_t else 0)
        c = np.zeros(nv)
        c[:n] = -(c_g @ self.A)
        if use_t:
            c[n] = -c_t
        rows, rhs = [], []
        if self.A_ub is not None and self.A_ub.shape[0]:
            rows.append(np.hstack([self.A_ub, np.zeros((self.A_ub.shape[0], nv - n))]))
            rhs.append(self.b_ub)
        lo = np.full(k, -np.inf) if lower is None else np.asarray(lower, dtype=float)
        ts = np.zeros(k) if t_scale is None else np.asarray(t_scale, dtype=float)
        sel = np.isfinite(lo) | (ts != 0)
        if sel.any():
            # -(A z + b) + ts t <= -lo  (with lo = 0 where only t binds)
            lo0 = np.where(np.isfinite(lo), lo, 0.0)
            block = np.hstack([-self.A[sel], ts[sel, None] if use_t else np.zeros((sel.sum(), 0))])
            rows.append(block)
            rhs.append(self.b[sel] - lo0[sel])
        for coef, r in extra:
            coef = np.asarray(coef, dtype=float)
            rows.append(np.hstack([-(coef @ self.A)[None, :], np.zeros((1, nv - n))]))
            rhs.append(np.array([coef @ self.b - r]))
        A_ub = np.vstack(rows) if rows else None
        b_ub = np.concatenate(rhs) if rhs else None
        A_eq = b_eq = None
        if self.A_eq is not None and self.A_eq.shape[0]:
            A_eq = np.hstack([self.A_eq, np.zeros((self.A_eq.shape[0], nv - n))])
            b_eq = self.b_eq
        bounds = list(self.bounds) + ([(None, None)] if use_t else [])
        res = linprog(
            c,
            A_ub=A_ub,
            b_ub=b_ub,
            A_eq=A_eq,
            b_eq=b_eq,
            bounds=bounds,
            method="highs-ds",
            options=_HIGHS_OPTIONS,
        )
        if res.status != 0:
            if res.status == 2:  # infeasible
                return None
            if res.status == 3:  # unbounded: cannot happen on a bounded polytope
                raise NegotiationError("internal error: unbounded linear programme")
            res = linprog(  # numerical trouble: retry with the interior-point solver
                c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=bounds, method="highs"
            )
            if res.status != 0:
                return None
        z = res.x[:n]
        t = float(res.x[n]) if use_t else 0.0
        return z, t, float(-res.fun + c_g @ self.b)

    def lp_at_least(
        self,
        c_g: np.ndarray,
        lower: np.ndarray,
        *,
        t_scale: np.ndarray | None = None,
        c_t: float = 0.0,
        extra: Sequence[tuple[np.ndarray, float]] = (),
    ) -> tuple[np.ndarray, float, float] | None:
        """:meth:`lp` with ``g >= lower`` tried exactly first, then relaxed by growing fractions
        of the LP tolerance (levels found by an earlier programme may be off by rounding)."""
        for relax in (0.0, 1e-4, 1e-2, 1.0, 100.0):
            res = self.lp(
                c_g, lower=lower - relax * _tol(self), t_scale=t_scale, c_t=c_t, extra=extra
            )
            if res is not None:
                return res
        return None


def _tol(poly: _Polytope) -> np.ndarray:
    """Per-party absolute tolerance of LP comparisons."""
    return LP_TOL * poly.scale


def _maxmin(
    poly: _Polytope, scale: np.ndarray, *, extra: Sequence[tuple[np.ndarray, float]] = ()
) -> tuple[np.ndarray, float] | None:
    """``max t`` s.t. ``g_i(z) >= t scale_i`` for the parties with ``scale_i > 0``."""
    res = poly.lp(np.zeros(poly.k), t_scale=scale, c_t=1.0, extra=extra)
    if res is None:
        return None
    return res[0], res[1]


def _secondary_sum(
    poly: _Polytope,
    scale: np.ndarray,
    t: float,
    *,
    extra: Sequence[tuple[np.ndarray, float]] = (),
) -> np.ndarray:
    """With ``g_i >= t scale_i`` kept, maximise ``sum_i g_i / scale_i`` (parties in use)."""
    use = scale > 0
    lower = np.full(poly.k, -np.inf)
    lower[use] = t * scale[use]
    w = np.zeros(poly.k)
    w[use] = 1.0 / scale[use]
    res = poly.lp_at_least(w, lower, extra=extra)
    if res is None:  # pragma: no cover - t was feasible a moment ago
        raise NegotiationError("internal error: secondary programme infeasible")
    return res[0]


def _leximin(
    poly: _Polytope,
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
    tol = _tol(poly)
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


class _SimplexLP:
    """Linear programmes over the lotteries on the rows of a gains matrix ``G`` (``M x k``), by
    column generation (Dantzig & Wolfe 1960; Gilmore & Gomory 1961).

    ``solve`` maximises ``c_g . g + c_t t`` with ``g = G^T p``, ``p`` on the simplex, subject to
    ``g_i >= lower_i + t t_scale_i`` (rows with ``lower_i = -inf`` and ``t_scale_i = 0`` free).
    Only a few columns (deals) enter the restricted master programme; a deal joins when its
    reduced cost ``-c_g . G_j + y . G_j[rows] - pi`` (``y``, ``pi``: the master's dual prices)
    is negative, the most negative first; at the end no deal prices out, which is the
    optimality certificate of the full programme. With ``k`` parties a basis has at most
    ``k + 1`` deals, so the masters stay small whatever ``M`` is (one matrix-vector product per
    round prices every deal). The caller seeds columns that make the master feasible (an
    individually rational deal, or the previous solution); if a master is infeasible anyway the
    full programme is solved.
    """

    def __init__(self, G: np.ndarray) -> None:
        self.scale = max(float(np.abs(G).max(initial=0.0)), 1.0)
        self.G = G / self.scale  # one common scale: the gains stay comparable
        self.M, self.k = G.shape

    def solve(
        self,
        c_g: np.ndarray,
        *,
        lower: np.ndarray | None = None,
        t_scale: np.ndarray | None = None,
        c_t: float = 0.0,
        seed: Sequence[int] | np.ndarray = (),
    ) -> tuple[np.ndarray, float, float] | None:
        """``(p, t, value)`` (``t`` and ``value`` in the caller's units) or ``None`` if
        infeasible."""
        G, M, k = self.G, self.M, self.k
        lo = np.full(k, -np.inf) if lower is None else np.asarray(lower, float) / self.scale
        ts = np.zeros(k) if t_scale is None else np.asarray(t_scale, float) / self.scale
        use_t = t_scale is not None or c_t != 0.0
        sel = np.flatnonzero(np.isfinite(lo) | (ts != 0))
        lo0 = np.where(np.isfinite(lo), lo, 0.0)[sel]
        obj = G @ c_g  # value of each column
        cols = set(int(j) for j in seed)
        cols |= {int(np.argmax(G[:, i])) for i in range(k)}
        cols.add(int(np.argmax(obj)))
        if M <= 4 * (k + 1) + 64:
            cols = set(range(M))
        batch = max(16, 2 * k)
        for _ in range(M + 1):
            S = np.array(sorted(cols))
            res = self._master(S, obj, sel, lo0, ts, use_t, c_t)
            if res is None:
                if S.size == M:
                    return None
                cols = set(range(M))
                continue
            x, y, pi = res
            rc = -obj + G[:, sel] @ y - pi
            rc[S] = 0.0
            cand = np.flatnonzero(rc < -1e-11)
            if cand.size == 0:
                p = np.zeros(M)
                p[S] = x[: S.size]
                t = float(x[S.size]) if use_t else 0.0
                value = float(obj @ p) + c_t * t
                return p, t * self.scale, value * self.scale
            if cand.size > batch:
                cand = cand[np.argpartition(rc[cand], batch)[:batch]]
            cols |= set(cand.tolist())
        return None  # pragma: no cover - every round adds a column

    def _master(self, S, obj, sel, lo0, ts, use_t, c_t):
        G = self.G[S]
        n = S.size
        nv = n + (1 if use_t else 0)
        c = np.zeros(nv)
        c[:n] = -obj[S]
        if use_t:
            c[n] = -c_t
        A = np.hstack([-G[:, sel].T, ts[sel, None] if use_t else np.zeros((sel.size, 0))])
        A_eq = np.zeros((1, nv))
        A_eq[0, :n] = 1.0
        res = linprog(
            c,
            A_ub=A if sel.size else None,
            b_ub=-lo0 if sel.size else None,
            A_eq=A_eq,
            b_eq=[1.0],
            bounds=[(0.0, None)] * n + ([(None, None)] if use_t else []),
            method="highs-ds",
            options=_HIGHS_OPTIONS,
        )
        if res.status != 0:
            return None
        y = res.ineqlin.marginals if sel.size else np.zeros(0)
        self.prices = np.zeros(self.k)
        self.prices[sel] = -y
        return res.x, y, float(res.eqlin.marginals[0])


def _simplex_leximin(G: np.ndarray, seed: Sequence[int] = ()) -> np.ndarray:
    """Weights ``p`` on the simplex at the leximin optimum of the gains ``G^T p`` (``G``: M x k).

    Sequential linear programmes as :func:`_leximin`, solved by column generation
    (:class:`_SimplexLP`), with the usual shortcut (Ogryczak & Śliwiński 2006): a party whose
    level constraint has a positive dual price in the max-min programme is tight in *every*
    optimal solution (complementary slackness), so it is fixed at once; only when no price is
    positive (degeneracy) is each free party tested by its own programme. Finally, among the
    leximin lotteries, one with the largest sum of gains (a vertex).
    """
    M, k = G.shape
    lp = _SimplexLP(G)
    relax = 1e-9 * lp.scale
    free = np.ones(k, dtype=bool)
    level = np.full(k, -np.inf)
    supp = list(seed)
    p = None
    while free.any():
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
    res = lp.solve(np.ones(k), lower=level - relax, seed=supp)
    return p if res is None else res[0]


def _log_ext(q: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray]:
    """``log q`` for ``q >= c``, continued below ``c`` by its second-order Taylor polynomial
    (concave, smooth): values and derivatives."""
    safe = np.maximum(q, c)
    val = np.log(safe)
    der = 1.0 / safe
    low = q < c
    if low.any():
        x = q[low] - c
        val[low] = np.log(c) + x / c - x * x / (2 * c * c)
        der[low] = 1.0 / c - x / (c * c)
    return val, der


def _positive_mixture(G: np.ndarray) -> np.ndarray | None:
    """A point of the simplex with every ``(G^T p)_i > 0`` (the max-min mixture, blended towards
    the centre while that stays positive), or ``None`` if there is none."""
    s, k = G.shape
    res = linprog(
        np.r_[np.zeros(s), -1.0],
        A_ub=np.hstack([-G.T, np.ones((k, 1))]),
        b_ub=np.zeros(k),
        A_eq=np.r_[np.ones(s), 0.0][None, :],
        b_eq=[1.0],
        bounds=[(0, None)] * s + [(None, 1.0)],
        method="highs",
    )
    if res.status != 0 or res.x[-1] <= 0:
        return None
    p = np.clip(res.x[:s], 0.0, None)
    p /= p.sum()
    for w in (0.5, 0.1, 0.01):
        blend = (1 - w) * p + w / s
        if np.all(blend @ G > 0):
            return blend
    return p


def _nash_master(G: np.ndarray, alpha: np.ndarray, p0: np.ndarray | None = None) -> np.ndarray:
    """Weights ``p`` on the simplex maximising ``sum_i alpha_i log((G^T p)_i)`` (``G``: s x k).

    SLSQP from one or two starts; a result is accepted once it meets the optimality (KKT)
    condition ``max_k G_k . lam <= sum alpha`` with ``lam = alpha / (G^T p)`` to 1e-10.
    """
    s = G.shape[0]
    if s == 1:
        return np.ones(1)
    top = G.max(axis=0)
    Gn = G / np.where(top > 0, top, 1.0)  # each party on a [.., 1] scale: better conditioning
    c = 1e-9
    total = float(alpha.sum())

    def f(p: np.ndarray) -> tuple[float, np.ndarray]:
        val, der = _log_ext(p @ Gn, c)
        return -float(alpha @ val), -(Gn @ (alpha * der))

    def gap(p: np.ndarray) -> float:
        q = p @ Gn
        if np.any(q <= 0):
            return np.inf
        return float((Gn @ (alpha / q)).max() - total) / total

    x0 = np.full(s, 1.0 / s) if p0 is None else np.clip(p0, 0, None)
    x0 = 0.9 * x0 / x0.sum() + 0.1 / s  # start strictly inside
    starts = [x0, np.full(s, 1.0 / s)]
    if np.any(x0 @ Gn <= 0):  # possible under a quota rule: start where every gain is positive
        inner = _positive_mixture(Gn)
        if inner is not None:
            starts = [inner, *starts]
    best = None
    for start in starts:
        res = minimize(
            f,
            start,
            jac=True,
            method="SLSQP",
            bounds=[(0.0, 1.0)] * s,
            constraints=[
                {"type": "eq", "fun": lambda p: p.sum() - 1.0, "jac": lambda p: np.ones(s)}
            ],
            options={"ftol": 1e-14, "maxiter": 500},
        )
        p = _newton_polish(Gn, alpha, np.clip(res.x, 0.0, None))
        val = f(p)[0]
        if best is None or val < best[0]:
            best = (val, p)
        if gap(p) <= 1e-10:
            break
    return best[1]


def _newton_polish(Gn: np.ndarray, alpha: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Newton steps on the face of the simplex spanned by the support of ``p`` (the KKT system
    of ``max sum alpha log(Gn^T p)`` with ``sum p = 1``), so that the weights are exact to
    rounding rather than to the square root of SLSQP's tolerance. A step that would leave the
    face or not improve is cut back or dropped."""
    p = p / p.sum()
    act = np.flatnonzero(p > 1e-12)
    if act.size < 2:
        return p
    G = Gn[act]

    def value(w: np.ndarray) -> float:
        q = w @ G
        return float(alpha @ np.log(q)) if np.all(q > 0) else -np.inf

    w = p[act]
    cur = value(w)
    for _ in range(30):
        q = w @ G
        if not np.all(q > 0):
            break
        grad = G @ (alpha / q)
        H = -(G * (alpha / q**2)) @ G.T
        n = act.size
        K = np.block([[H, np.ones((n, 1))], [np.ones((1, n)), np.zeros((1, 1))]])
        rhs = np.r_[-grad, 0.0]
        step = np.linalg.lstsq(K, rhs, rcond=None)[0][:n]
        t = 1.0
        neg = step < 0
        if neg.any():
            t = min(1.0, 0.99 * float(np.min(w[neg] / -step[neg])))
        moved = False
        while t > 1e-6:
            cand = w + t * step
            v = value(cand)
            if v >= cur:
                moved = v > cur or np.abs(t * step).max() > 0
                w, cur = cand, v
                break
            t /= 2
        if not moved or np.abs(t * step).max() < 1e-16:
            break
    out = np.zeros_like(p)
    out[act] = np.clip(w, 0.0, None)
    return out / out.sum()


def _nash_colgen(
    oracle: Callable[[np.ndarray], tuple[np.ndarray, object]],
    columns: list[tuple[np.ndarray, object]],
    alpha: np.ndarray,
    *,
    max_iter: int = 500,
) -> tuple[np.ndarray, list[tuple[np.ndarray, object]]]:
    """Maximise ``sum_i alpha_i log g_i`` over the convex hull of a set given by a linear oracle.

    ``oracle(lam)`` returns a point ``(g, payload)`` of the set maximising ``lam . g``;
    ``columns`` are starting points whose hull contains a point with all ``g_i > 0``. Fully
    corrective Frank-Wolfe: solve the master problem on the current columns, ask the oracle for
    the best column for the gradient ``lam = alpha / g``, stop when it does not improve
    (``lam . g_new <= sum alpha``, the optimality condition). Returns the weights and columns.
    """
    cols = list(columns)
    p = np.full(len(cols), 1.0 / len(cols))
    total = float(alpha.sum())
    for _ in range(max_iter):
        G = np.array([c[0] for c in cols])
        p = _nash_master(G, alpha, p)
        q = p @ G
        lam = alpha / np.maximum(q, 1e-300)
        g_new, payload = oracle(lam)
        if lam @ g_new <= total * (1.0 + 1e-10):
            break
        if any(np.array_equal(g_new, c[0]) for c in cols):
            break  # the master problem cannot do better on these columns (rounding)
        keep = p > 1e-13
        cols = [c for c, k in zip(cols, keep, strict=True) if k] + [(g_new, payload)]
        p = np.append(p[keep], 0.0)
    return p, cols


def reduce_support(points: np.ndarray, p: np.ndarray, max_support: int) -> np.ndarray:
    """Carathéodory reduction: new weights with at most ``max_support`` positive entries and the
    same mixture ``p @ points`` (up to rounding), when the points span a low enough affine space.

    Moves along a null vector ``z`` of ``[points^T; 1]`` (so ``z @ points = 0`` and
    ``sum z = 0``) until a weight reaches zero; repeats. Where no exact null vector exists
    (``s <= k + 1`` points in general position) it uses the smallest singular direction if it is
    numerically null, else stops.

    Examples
    --------
    >>> pts = np.array([[0.0, 1.0], [0.5, 0.5], [1.0, 0.0]])
    >>> w = reduce_support(pts, np.array([0.25, 0.5, 0.25]), 2)
    >>> int((w > 0).sum()), np.allclose(w @ pts, [0.5, 0.5])
    (2, True)
    """
    p = np.asarray(p, dtype=float).copy()
    points = np.asarray(points, dtype=float)
    span = max(1.0, float(np.abs(points).max(initial=0.0)))
    while True:
        act = np.flatnonzero(p > 0)
        if act.size <= max_support:
            return p
        M = np.vstack([points[act].T / span, np.ones(act.size)])
        _, sv, vt = np.linalg.svd(M)
        if act.size <= M.shape[0] and sv[-1] > 1e-7 * sv[0]:
            return p  # full rank: cannot reduce further
        z = vt[-1]
        if z.max() <= 0:
            z = -z
        pos = z > 1e-12 * np.abs(z).max()
        ratios = p[act][pos] / z[pos]
        j = int(np.argmin(ratios))
        new = p[act] - ratios[j] * z
        new[np.flatnonzero(pos)[j]] = 0.0
        new = np.clip(new, 0.0, None)
        new[new < 1e-15] = 0.0
        p[act] = new / new.sum()


def hull_rows(X: np.ndarray) -> np.ndarray:
    """Sorted indices of rows of ``X`` that are vertices of the convex hull of its rows.

    Every point of the hull is a mixture of these rows, so the lottery programmes lose nothing
    by using them only. Identical rows count once (the first is kept). The points are first
    projected on their affine hull (SVD), so that degenerate sets (for example utilities that
    always sum to a constant) work; Qhull (``scipy.spatial.ConvexHull``, Barber, Dobkin &
    Huhdanpaa 1996) then finds the vertices. Where Qhull cannot run (too many dimensions, or
    numerical trouble) every distinct row is returned.

    Examples
    --------
    >>> hull_rows(np.array([[0.0, 0.0], [1.0, 0.0], [0.2, 0.2], [0.0, 1.0], [1.0, 0.0]])).tolist()
    [0, 1, 3]
    """
    X = np.ascontiguousarray(X, dtype=float)
    key = (X.shape, X.tobytes())
    if key in _HULL_CACHE:
        return _HULL_CACHE[key].copy()
    rows = _hull_rows(X)
    if len(_HULL_CACHE) >= 8:
        _HULL_CACHE.pop(next(iter(_HULL_CACHE)))
    _HULL_CACHE[key] = rows
    return rows.copy()


#: The last few hulls (the lottery solutions of one frontier share one hull).
_HULL_CACHE: dict[tuple, np.ndarray] = {}


def _hull_rows(X: np.ndarray) -> np.ndarray:
    _, first = np.unique(X, axis=0, return_index=True)
    first = np.sort(first)
    M, k = X[first].shape
    if M <= 2:
        return first
    Y = X[first] - X[first].mean(axis=0)
    _, sv, vt = np.linalg.svd(Y, full_matrices=False)
    r = int((sv > 1e-10 * max(float(sv[0]), 1e-300)).sum())
    if r == 0:
        return first[:1]
    Z = Y @ vt[:r].T
    if r == 1:
        return np.unique(first[[int(np.argmin(Z[:, 0])), int(np.argmax(Z[:, 0]))]])
    if r > 8 or M <= r + 1:
        return first
    try:
        hull = ConvexHull(Z)
    except QhullError:  # pragma: no cover - numerical trouble: keep everything
        return first
    return np.sort(first[hull.vertices])


def _simplex_polytope(G: np.ndarray) -> _Polytope:
    """The lotteries over the rows of ``G`` (gains): ``z = p`` on the simplex, ``g = G^T p``."""
    M, k = G.shape
    top = np.abs(G).max(axis=0)
    return _Polytope(
        A=G.T.copy(),
        b=np.zeros(k),
        bounds=((0.0, None),) * M,
        A_eq=np.ones((1, M)),
        b_eq=np.ones(1),
        scale=np.maximum(top, 1.0),
    )


def _repair_cut(U: np.ndarray, d: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Weights whose mixture stays in the cut ``sum_k p_k u_k >= d`` (reservation tolerance).

    A linear programme meets its constraints only to the solver's tolerance, so a mixture may
    dip below a reservation by ~1e-9 through a tiny weight on a deal that party refuses. Weights
    below 1e-8 are dropped first; if the cut still fails (by half the reservation tolerance),
    the mixture is blended with the individually rational row best for the parties below, by
    the smallest share that restores it (a move of the order of the LP tolerance)."""
    tol = reservation_tolerance(d)
    q = np.where(p >= 1e-8, p, 0.0)
    if q.sum() <= 0:
        q = p
    q = q / q.sum()
    g = q @ U - d
    low = g < -0.5 * tol
    if not low.any():
        return q
    G = U - d
    ir = np.all(G >= -tol, axis=1)
    if not ir.any():
        return p
    k = int(np.flatnonzero(ir)[np.argmax(G[ir][:, low].min(axis=1))])
    gap = G[k, low] - g[low]
    theta = float(np.max(np.where(gap > 0, -g[low] / np.where(gap > 0, gap, 1.0), 1.0)))
    q = (1.0 - min(1.0, theta)) * q
    q[k] += min(1.0, theta)
    return q / q.sum()


def _finish(
    U: np.ndarray, p: np.ndarray, P: int, polish=None, d: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    p = np.where(p > 1e-12, p, 0.0)
    p = p / p.sum()
    if d is not None:
        p = _repair_cut(U, d, p)
    p = reduce_support(U, p, P)
    rows = np.flatnonzero(p > 0)
    w = p[rows]
    if polish is not None and rows.size > 1:
        w = polish(rows, w)
    keep = w > 1e-12
    rows, w = rows[keep], w[keep]
    return rows, w / w.sum()


# -- array versions ---------------------------------------------------------------------------
def _cut(
    U: np.ndarray, d: np.ndarray, cut: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gains ``G = U - d``, the per-party cut tolerance, and which rows are individually rational
    (``G >= -tol`` for every party). With ``cut=False`` (a quota rule: no cut at ``d``) every
    row counts as individually rational, which gives the plain hull of the rows."""
    G = U - d
    tol = reservation_tolerance(d)
    if not cut:
        return G, tol, np.ones(U.shape[0], dtype=bool)
    return G, tol, np.all(G >= -tol, axis=1)


def _floor(G: np.ndarray, ir: np.ndarray) -> np.ndarray:
    """The cut ``g >= floor`` of the linear programmes: 0 (exactly the reservation), lowered
    only as far as an individually rational deal lies below it within the reservation tolerance
    (so that every deal the frontier accepts stays a lottery)."""
    return np.minimum(0.0, G[ir].min(axis=0)) if ir.any() else np.zeros(G.shape[1])


def lottery_ideal(U: np.ndarray, d: np.ndarray | Sequence[float]) -> np.ndarray:
    """Each party's best expected utility over the lotteries on the rows of ``U`` that give every
    party at least ``d`` in expectation: the ideal point of the cut hull
    ``conv(U) ∩ {u >= d}`` (Nash 1950's bargaining set).

    Where every row is individually rational this is the column maximum; otherwise one linear
    programme per party, ``max g_i`` s.t. ``sum_k p_k (u_k - d) >= 0``, ``p`` on the simplex.

    Raises
    ------
    InfeasibleError
        When no lottery gives every party its reservation value.

    Examples
    --------
    >>> U = np.array([[-2.0, 9.0], [2.0, 8.0], [12.0, 5.0]])  # from Nash's (1950) barter
    >>> lottery_ideal(U, [0.0, 0.0]).tolist()  # (-2, 9) and (2, 8) mixed half-half: (0, 8.5)
    [12.0, 8.5]
    """
    U, d = _as_problem(U, d)
    G, tol, ir = _cut(U, d)
    if ir.all():
        return U.max(axis=0)
    lp = _SimplexLP(G)
    seed = np.flatnonzero(ir)[:1]
    out = np.empty(U.shape[1])
    for i in range(U.shape[1]):
        e = np.zeros(U.shape[1])
        e[i] = 1.0
        res = lp.solve(e, lower=_floor(G, ir), seed=seed)
        if res is None:
            raise InfeasibleError(
                "no lottery gives every party at least its reservation value (empty cut hull)"
            )
        out[i] = d[i] + res[2]
    if ir.any():  # never below the best individually rational deal (LP rounding)
        out = np.maximum(out, U[ir].max(axis=0))
    return out


def _ir_index(U: np.ndarray, d: np.ndarray, ir: np.ndarray, chooser, **kw) -> int:
    """Index (into ``U``) of the deterministic solution chosen among the individually rational
    rows (all rows when none is: possible only under a quota rule)."""
    rows = np.flatnonzero(ir) if ir.any() else np.arange(U.shape[0])
    levels = kw.pop("levels", None)
    sub = None if levels is None else levels[rows]
    return int(rows[chooser(U[rows], d, levels=sub, **kw)])


def nash_lottery_weights(
    U: np.ndarray,
    d: np.ndarray | Sequence[float],
    power: np.ndarray | Sequence[float] | None = None,
    *,
    levels: np.ndarray | None = None,
    cut: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """The (asymmetric) Nash solution over lotteries on the rows of ``U``.

    Maximises ``sum_i alpha_i log(sum_k p_k u_ki - d_i)`` over the probability simplex, over the
    parties with a positive ideal gain (ideal of the cut hull, :func:`lottery_ideal`). Rows may
    lie below ``d`` for some party (Nash 1950: the bargaining set is the hull of every allowed
    deal, cut at ``d``); the logarithm keeps the expected gains positive. The powers are
    normalised to ``alpha / max(alpha)`` first: the solution depends only on their ratios, and
    huge powers (``1e308``) then neither overflow nor stall the solver. Returns
    ``(rows, probabilities)`` with at most ``P`` rows (sorted), probabilities summing to 1.

    Examples
    --------
    >>> rows, p = nash_lottery_weights(np.array([[1.0, 0.0], [0.0, 1.0]]), [0.0, 0.0])
    >>> rows.tolist(), np.round(p, 6).tolist()
    ([0, 1], [0.5, 0.5])
    """
    U, d = _as_problem(U, d)
    M, P = U.shape
    alpha = check_power(power, P)
    alpha = alpha / alpha.max()
    G, tol, ir = _cut(U, d, cut)
    k0 = _ir_index(U, d, ir, nash_index, power=alpha, levels=levels)
    ideal = lottery_ideal(U, d) if ir.any() and not ir.all() else U.max(axis=0)
    S = ideal - d > reservation_tolerance(d)
    if not S.any() or M == 1:
        return np.array([k0]), np.ones(1)
    cand = np.arange(M)
    if not S.all() and not ir.all() and ir.any():
        # A party that cannot gain keeps exactly its reservation: mix only rows that give it
        # at least that (a sufficient restriction; exact unless it needs compensating mixtures).
        cand = np.flatnonzero(np.all(G[:, ~S] >= -tol[~S], axis=1))
    Gs = G[np.ix_(cand, np.flatnonzero(S))]
    a = alpha[S]
    pos0 = int(np.flatnonzero(cand == k0)[0]) if k0 in cand else 0
    start = sorted({int(np.argmax(Gs[:, j])) for j in range(Gs.shape[1])} | {pos0})
    # Is there a lottery with every party of S gaining? (always, under unanimity)
    if (Gs[start].mean(axis=0) <= 0).any():
        mm = _maxmin(_simplex_polytope(Gs), np.ones(Gs.shape[1]))
        if mm is None or mm[1] <= float(reservation_tolerance(d[S]).max()):
            return np.array([k0]), np.ones(1)
        start = sorted(set(start) | set(np.flatnonzero(mm[0] > 1e-12).tolist()))

    def oracle(lam: np.ndarray) -> tuple[np.ndarray, int]:
        k = int(np.argmax(Gs @ lam))
        return Gs[k], k

    w, cols = _nash_colgen(oracle, [(Gs[k], k) for k in start], a)
    p = np.zeros(M)
    for wk, (_, k) in zip(w, cols, strict=True):
        p[int(cand[int(k)])] += wk
    pos = {int(c): j for j, c in enumerate(cand)}

    def polish(rows: np.ndarray, w0: np.ndarray) -> np.ndarray:
        return _nash_master(Gs[[pos[int(r)] for r in rows]], a, w0)

    return _finish(U, p, P, polish)


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
    U, d = _as_problem(U, d)
    M, P = U.shape
    G, tol, ir = _cut(U, d, cut)
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
    lp = _SimplexLP(G)
    seed = np.flatnonzero(ir)[:1]
    floor = np.where(use, 0.0, _floor(G, ir)) if not ir.all() else None
    res = lp.solve(np.zeros(P), lower=floor, t_scale=scale, c_t=1.0, seed=seed)
    if res is None:
        raise InfeasibleError("no lottery gives every party at least its reservation value")
    p, t, _ = res
    lower = np.full(P, -np.inf) if floor is None else floor.copy()
    w = np.zeros(P)
    w[use] = 1.0 / scale[use]
    supp = np.flatnonzero(p > 0)
    for relax in (0.0, 1e-10, 1e-9, 1e-7):
        lower[use] = t * scale[use] - relax * lp.scale
        sec = lp.solve(w, lower=lower, seed=supp)
        if sec is not None:
            p = sec[0]
            break
    return _finish(U, p, P, d=None if ir.all() else d)


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
    U, d = _as_problem(U, d)
    M, P = U.shape
    if M == 1:
        return np.array([0]), np.ones(1)
    G, tol, ir = _cut(U, d)
    p = _simplex_leximin(G, seed=np.flatnonzero(ir)[:1])
    return _finish(U, p, P, d=d if ir.any() and not ir.all() else None)


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
    U, d = _as_problem(U, d)
    M, P = U.shape
    G, tol, ir = _cut(U, d, cut)
    k0 = _ir_index(U, d, ir, utilitarian_index, levels=levels)
    if ir.all() or not ir.any():
        return np.array([k0]), np.ones(1)
    lp = _SimplexLP(G)
    res = lp.solve(np.ones(P), lower=_floor(G, ir), seed=[k0])
    if res is None or res[2] <= float(G[k0].sum()) + 1e-8 * lp.scale * P:
        return np.array([k0]), np.ones(1)
    return _finish(U, res[0], P, d=d)


def lottery_weights(
    name: str,
    U: np.ndarray,
    d: np.ndarray | Sequence[float],
    *,
    power: np.ndarray | Sequence[float] | None = None,
    levels: np.ndarray | None = None,
    cut: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """``(rows, probabilities)`` of the named lottery solution on the rows of ``U``.

    The rows are the candidate deals; the lotteries are the mixtures of them whose expected
    utility is at least ``d`` for every party (rows below ``d`` may be mixed in). With
    ``cut=False`` (a quota rule) the lotteries are all mixtures of the rows.
    """
    _check_name(name)
    if name == "nash":
        return nash_lottery_weights(U, d, levels=levels, cut=cut)
    if name == "asymmetric_nash":
        return nash_lottery_weights(U, d, power, levels=levels, cut=cut)
    if name == "kalai_smorodinsky":
        return kalai_smorodinsky_lottery_weights(U, d, cut=cut)
    if name == "egalitarian":
        return egalitarian_lottery_weights(U, d)
    return utilitarian_lottery_weights(U, d, levels=levels, cut=cut)


# -- frontier versions ------------------------------------------------------------------------
#: The candidate deals of the lottery solutions: ``"allowed"`` (default, Nash 1950) mixes every
#: Pareto-optimal deal that crosses no red line or joint constraint, cut at the disagreement
#: point (a deal one party would refuse alone may be mixed in, as long as that party's expected
#: utility stays at or above its reservation); ``"feasible"`` mixes only the Pareto-feasible
#: (individually rational) deals, the behaviour before.
LOTTERY_SUPPORTS = ("allowed", "feasible")

#: Candidate deals per frontier and support (the five solutions of one analysis share them).
_CANDIDATES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _relaxed(scenario: Scenario) -> Scenario:
    """The scenario with every reservation lowered below the party's worst possible utility:
    its feasible outcomes are the allowed ones that cross no red line."""
    parties = []
    for p, party in enumerate(scenario.parties):
        low = sum(float(t[:, p].min()) for t in scenario.tables if t.shape[0])
        low += sum(min(0.0, float(b.value)) for b in scenario.bonuses[p])
        parties.append(replace(party, reservation=low - 1.0 - abs(low)))
    return replace(scenario, parties=tuple(parties))


def lottery_candidates(
    frontier: Frontier, support: str = "allowed"
) -> tuple[np.ndarray, np.ndarray, bool]:
    """The deals the lottery solutions mix: ``(levels, utilities, cut)``.

    ``support="allowed"`` (under unanimity): the Pareto-optimal deals among those that cross no
    red line or joint constraint, whatever the reservations, found by the search engine on the
    scenario with the reservations removed (the enumeration engine where the search does not
    apply; both are exact and agree bit for bit); ``cut`` is True (the lotteries are the
    mixtures whose expected utility is at least the reservation for every party: the convex
    bargaining set of Nash 1950). Every point of that cut hull is weakly dominated by a mixture
    of these deals that stays in the cut, so nothing is lost by dropping dominated deals. The
    result contains the Pareto-feasible frontier.

    ``support="feasible"``, or any quota rule: the frontier's own (Pareto-feasible) deals, and
    ``cut`` is False under a quota rule (no cut at the disagreement point, as before).

    Raises
    ------
    NegotiationError
        For an unknown support.
    """
    if support not in LOTTERY_SUPPORTS:
        raise NegotiationError(
            f"unknown lottery support {support!r} (choose from {', '.join(LOTTERY_SUPPORTS)})"
        )
    s = frontier.scenario
    unanimity = frontier.rule.is_unanimity(len(s.parties))
    if support == "feasible" or not unanimity:
        return frontier.levels, frontier.utilities, unanimity
    cache = _CANDIDATES.setdefault(frontier, {})
    if support not in cache:
        relaxed = _relaxed(s)
        wide = None
        try:  # the search engine: exact, and far faster than a second enumeration
            from negotiation.engine.search import search_frontier

            wide = search_frontier(
                relaxed, rule=frontier.rule, epsilon=frontier.epsilon, count_feasible=False
            )
        except ImportError:  # pragma: no cover - the search engine is another module's
            pass
        except NotApplicableError:
            if frontier.engine != "enumerate":
                raise
        except NegotiationError as err:  # e.g. more Pareto vectors than the search's cap
            if frontier.engine != "enumerate":
                warnings.warn(
                    f"lotteries over the Pareto-feasible deals only (support='feasible'): the "
                    f"deals allowed without the reservations are too many ({err})",
                    stacklevel=3,
                )
                cache[support] = (frontier.levels, frontier.utilities, True)
                return cache[support]
        if wide is None:
            from negotiation.engine.frontier import enumerate_frontier

            wide = enumerate_frontier(relaxed, rule=frontier.rule)
        cache[support] = (wide.levels, wide.utilities, True)
    return cache[support]


def _weights(
    name: str, frontier: Frontier, support: str, power=None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    frontier.require_nonempty()
    levels, U, cut = lottery_candidates(frontier, support)
    d = frontier.disagreement
    if name in ("nash", "asymmetric_nash"):
        # observers are not in the Nash product (issue 18)
        cols = list(getattr(frontier.scenario, "deciders", range(U.shape[1])))
        alpha = None if power is None else np.asarray(power, dtype=float)[cols]
        rows, p = nash_lottery_weights(U[:, cols], d[cols], alpha, levels=levels, cut=cut)
    elif name == "kalai_smorodinsky":
        rows, p = kalai_smorodinsky_lottery_weights(U, d, cut=cut)
    elif name == "egalitarian":
        rows, p = egalitarian_lottery_weights(U, d)
    else:
        rows, p = utilitarian_lottery_weights(U, d, levels=levels, cut=cut)
    return levels[rows], U[rows], p


def _lottery(frontier: Frontier, levels: np.ndarray, U: np.ndarray, p: np.ndarray) -> Lottery:
    s = frontier.scenario
    deals = tuple(
        Deal(
            levels=row.copy(),
            utilities=u.copy(),
            terms=s.space.deal(row),
            parties=s.party_names,
        )
        for row, u in zip(levels, U, strict=True)
    )
    p = np.asarray(p, dtype=float)
    return Lottery(deals=deals, probabilities=p, utilities=p @ U, parties=s.party_names)


def nash_lottery(frontier: Frontier, *, support: str = "allowed") -> Lottery:
    """The Nash solution over lotteries (at most ``P`` deals).

    Maximises the product of expected gains over disagreement on the convex bargaining set of
    Nash (1950): the mixtures of the deals of :func:`lottery_candidates` (``support``) whose
    expected utility is at least every party's reservation.

    Raises
    ------
    InfeasibleError
        When the feasible set is empty.

    Examples
    --------
    >>> from negotiation import load_scenario
    >>> from negotiation.engine.frontier import enumerate_frontier
    >>> lot = nash_lottery(enumerate_frontier(load_scenario("textbook_two_party")))
    >>> len(lot.deals) <= 2, round(float(lot.probabilities.sum()), 12)
    (True, 1.0)
    """
    return _lottery(frontier, *_weights("nash", frontier, support))


def asymmetric_nash_lottery(
    frontier: Frontier,
    power: Sequence[float] | Mapping[str, float] | None = None,
    *,
    support: str = "allowed",
) -> Lottery:
    """The asymmetric Nash solution over lotteries (exponents: ``power`` or the parties' powers;
    only their ratios matter).

    Raises
    ------
    InfeasibleError
        When the feasible set is empty.
    """
    s = frontier.scenario
    alpha = s.powers if power is None else check_power(power, len(s.parties), s.party_names)
    return _lottery(frontier, *_weights("asymmetric_nash", frontier, support, alpha))


def kalai_smorodinsky_lottery(frontier: Frontier, *, support: str = "allowed") -> Lottery:
    """The Kalai-Smorodinsky solution over lotteries (see
    :func:`kalai_smorodinsky_lottery_weights`); the ideal point is that of the lotteries
    (:func:`lottery_ideal`), which with ``support="allowed"`` can exceed the best single deal.

    Raises
    ------
    InfeasibleError
        When the feasible set is empty.
    """
    return _lottery(frontier, *_weights("kalai_smorodinsky", frontier, support))


def egalitarian_lottery(frontier: Frontier, *, support: str = "allowed") -> Lottery:
    """The egalitarian (leximin) solution over lotteries.

    Raises
    ------
    InfeasibleError
        When the feasible set is empty.
    """
    return _lottery(frontier, *_weights("egalitarian", frontier, support))


def utilitarian_lottery(frontier: Frontier, *, support: str = "allowed") -> Lottery:
    """The utilitarian solution over lotteries: the utilitarian deal with probability 1, unless
    a mixture with a deal some party refuses alone does better (``support="allowed"``).

    Raises
    ------
    InfeasibleError
        When the feasible set is empty.
    """
    return _lottery(frontier, *_weights("utilitarian", frontier, support))


#: The lottery solutions by name (the same names as :data:`negotiation.engine.solutions.SOLUTIONS`).
LOTTERY_SOLUTIONS: dict[str, Callable[..., Lottery]] = {
    "nash": nash_lottery,
    "asymmetric_nash": asymmetric_nash_lottery,
    "kalai_smorodinsky": kalai_smorodinsky_lottery,
    "egalitarian": egalitarian_lottery,
    "utilitarian": utilitarian_lottery,
}


def _check_name(name: str) -> None:
    if name not in LOTTERY_SOLUTIONS:
        raise NegotiationError(
            f"unknown lottery solution {name!r} (known: {', '.join(LOTTERY_SOLUTIONS)})"
        )


def solve_lottery(name: str, frontier: Frontier, *, support: str = "allowed") -> Lottery:
    """The lottery the named solution picks on the bargaining set of ``frontier``'s scenario
    (``support``: see :func:`lottery_candidates`).

    Raises
    ------
    NegotiationError
        For an unknown name (the message lists the known ones) or support.
    InfeasibleError
        When the feasible set is empty.
    """
    _check_name(name)
    return LOTTERY_SOLUTIONS[name](frontier, support=support)
