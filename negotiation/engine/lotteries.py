"""Bargaining solutions over lotteries (randomised agreements).

A *lottery* draws deal ``k`` with probability ``p_k``; with von Neumann-Morgenstern utilities its
value to party ``i`` is the expected utility ``sum_k p_k u_ki``. The set of expected-utility
vectors of lotteries over the feasible outcomes is the *convex hull* of their utility vectors;
this is the convex bargaining set of Nash (1950), on which the classic solutions are unique.
Every feasible point is weakly dominated by a frontier point, so every hull point is weakly
dominated by a mixture of frontier points: working on the hull of the frontier is exact.

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
``kalai_smorodinsky`` the linear programme ``max t`` s.t. ``g_i(p) >= t (I_i - d_i)``, then the
                    largest sum of normalised gains at that ``t`` (the KS point of the hull)
``egalitarian``     the leximin optimum of the gains, by a sequence of linear programmes
``utilitarian``     the deterministic utilitarian deal (a linear objective is maximised at a vertex;
                    the degenerate lottery is returned)
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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from scipy.optimize import linprog, minimize
from scipy.spatial import ConvexHull, QhullError

from negotiation.engine.deal import Lottery
from negotiation.engine.solutions import (
    _as_problem,
    check_power,
    nash_index,
    utilitarian_index,
)
from negotiation.errors import NegotiationError
from negotiation.model.scenario import reservation_tolerance

if TYPE_CHECKING:  # pragma: no cover
    from negotiation.engine.frontier import Frontier

__all__ = [
    "LOTTERY_SOLUTIONS",
    "asymmetric_nash_lottery",
    "egalitarian_lottery",
    "egalitarian_lottery_weights",
    "hull_rows",
    "kalai_smorodinsky_lottery",
    "kalai_smorodinsky_lottery_weights",
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


def _finish(U: np.ndarray, p: np.ndarray, P: int, polish=None) -> tuple[np.ndarray, np.ndarray]:
    p = np.where(p > 1e-12, p, 0.0)
    p = p / p.sum()
    p = reduce_support(U, p, P)
    rows = np.flatnonzero(p > 0)
    w = p[rows]
    if polish is not None and rows.size > 1:
        w = polish(rows, w)
    keep = w > 1e-12
    rows, w = rows[keep], w[keep]
    return rows, w / w.sum()


# -- array versions ---------------------------------------------------------------------------
def nash_lottery_weights(
    U: np.ndarray,
    d: np.ndarray | Sequence[float],
    power: np.ndarray | Sequence[float] | None = None,
    *,
    levels: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The (asymmetric) Nash solution over lotteries on the rows of ``U``.

    Maximises ``sum_i alpha_i log(sum_k p_k u_ki - d_i)`` over the probability simplex, over the
    parties with a positive ideal gain. Returns ``(rows, probabilities)`` with at most ``P``
    rows (sorted), probabilities summing to 1.

    Examples
    --------
    >>> rows, p = nash_lottery_weights(np.array([[1.0, 0.0], [0.0, 1.0]]), [0.0, 0.0])
    >>> rows.tolist(), np.round(p, 6).tolist()
    ([0, 1], [0.5, 0.5])
    """
    U, d = _as_problem(U, d)
    M, P = U.shape
    alpha = check_power(power, P)
    G = U - d
    S = G.max(axis=0) > reservation_tolerance(d)
    k0 = nash_index(U, d, alpha, levels=levels)
    if not S.any() or M == 1:
        return np.array([k0]), np.ones(1)
    Gs = G[:, S]
    a = alpha[S]
    start = sorted({int(np.argmax(Gs[:, j])) for j in range(Gs.shape[1])} | {k0})
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
        p[int(k)] += wk

    def polish(rows: np.ndarray, w0: np.ndarray) -> np.ndarray:
        return _nash_master(Gs[rows], a, w0)

    return _finish(U, p, P, polish)


def kalai_smorodinsky_lottery_weights(
    U: np.ndarray,
    d: np.ndarray | Sequence[float],
    ideal: np.ndarray | Sequence[float] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The Kalai-Smorodinsky solution over lotteries on the rows of ``U``.

    The linear programme ``max t`` s.t. ``sum_k p_k (u_ki - d_i) >= t (I_i - d_i)`` for the
    parties with ``I_i > d_i``, ``p`` on the simplex: the point where the segment from ``d`` to
    the ideal point ``I`` leaves the hull (Kalai & Smorodinsky 1975). At that ``t``, the
    largest sum of normalised gains (a Pareto-optimal point when the KS point is only weakly
    Pareto-optimal, possible with 3+ parties). Returns ``(rows, probabilities)``.

    Examples
    --------
    >>> U = np.array([[1.0, 0.0], [0.0, 0.5]])
    >>> rows, p = kalai_smorodinsky_lottery_weights(U, [0.0, 0.0])
    >>> np.round(p @ U[rows], 6).tolist()  # on the ray towards the ideal (1, 0.5)
    [0.5, 0.25]
    """
    U, d = _as_problem(U, d)
    M, P = U.shape
    G = U - d
    I_ = U.max(axis=0) if ideal is None else np.asarray(ideal, dtype=float)
    span = I_ - d
    use = span > reservation_tolerance(d)
    if not use.any() or M == 1:
        return np.array([0]), np.ones(1)
    scale = np.where(use, span, 0.0)
    rows = hull_rows(G)
    poly = _simplex_polytope(G[rows])
    res = _maxmin(poly, scale)
    if res is None:  # pragma: no cover - the simplex is never empty
        raise NegotiationError("internal error: empty simplex")
    p = np.zeros(M)
    p[rows] = _secondary_sum(poly, scale, res[1])
    return _finish(U, p, P)


def egalitarian_lottery_weights(
    U: np.ndarray, d: np.ndarray | Sequence[float]
) -> tuple[np.ndarray, np.ndarray]:
    """The egalitarian (leximin) solution over lotteries on the rows of ``U``.

    The leximin optimum of the expected gains ``sum_k p_k (u_k - d)`` over the simplex, by
    sequential linear programmes (the egalitarian solution of Kalai 1977 on the convex hull;
    with the leximin refinement it is Pareto-optimal). Returns ``(rows, probabilities)``.

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
    rows = hull_rows(U)
    poly = _simplex_polytope(U[rows] - d)
    res = _leximin(poly, np.ones(P))
    if res is None:  # pragma: no cover
        raise NegotiationError("internal error: empty simplex")
    p = np.zeros(M)
    p[rows] = res[0]
    return _finish(U, p, P)


def utilitarian_lottery_weights(
    U: np.ndarray, d: np.ndarray | Sequence[float], *, levels: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The utilitarian solution over lotteries: the utilitarian deal with probability 1.

    A linear objective over the hull is maximised at a vertex, so no lottery does better than
    the best deal; the degenerate lottery keeps the deterministic tie-breaks.
    """
    return np.array([utilitarian_index(U, d, levels=levels)]), np.ones(1)


def lottery_weights(
    name: str,
    U: np.ndarray,
    d: np.ndarray | Sequence[float],
    *,
    power: np.ndarray | Sequence[float] | None = None,
    levels: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``(rows, probabilities)`` of the named lottery solution on the rows of ``U``."""
    _check_name(name)
    if name == "nash":
        return nash_lottery_weights(U, d, levels=levels)
    if name == "asymmetric_nash":
        return nash_lottery_weights(U, d, power, levels=levels)
    if name == "kalai_smorodinsky":
        return kalai_smorodinsky_lottery_weights(U, d)
    if name == "egalitarian":
        return egalitarian_lottery_weights(U, d)
    return utilitarian_lottery_weights(U, d, levels=levels)


# -- frontier versions ------------------------------------------------------------------------
def _lottery(frontier: Frontier, rows: np.ndarray, p: np.ndarray) -> Lottery:
    deals = tuple(frontier.deal(int(k)) for k in rows)
    return Lottery(
        deals=deals,
        probabilities=np.asarray(p, dtype=float),
        utilities=np.asarray(p, dtype=float) @ frontier.utilities[rows],
        parties=frontier.scenario.party_names,
    )


def nash_lottery(frontier: Frontier) -> Lottery:
    """The Nash solution over lotteries on the frontier (at most ``P`` deals).

    Maximises the product of expected gains over disagreement (Nash 1950 on the convex hull).

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
    frontier.require_nonempty()
    cols = list(getattr(frontier.scenario, "deciders", range(frontier.utilities.shape[1])))
    rows, p = nash_lottery_weights(  # observers are not in the Nash product (issue 18)
        frontier.utilities[:, cols], frontier.disagreement[cols], levels=frontier.levels
    )
    return _lottery(frontier, rows, p)


def asymmetric_nash_lottery(
    frontier: Frontier, power: Sequence[float] | Mapping[str, float] | None = None
) -> Lottery:
    """The asymmetric Nash solution over lotteries (exponents: ``power`` or the parties' powers).

    Raises
    ------
    InfeasibleError
        When the feasible set is empty.
    """
    frontier.require_nonempty()
    s = frontier.scenario
    alpha = s.powers if power is None else check_power(power, len(s.parties), s.party_names)
    cols = list(getattr(s, "deciders", range(len(s.parties))))  # observers left out (issue 18)
    rows, p = nash_lottery_weights(
        frontier.utilities[:, cols],
        frontier.disagreement[cols],
        np.asarray(alpha, dtype=float)[cols],
        levels=frontier.levels,
    )
    return _lottery(frontier, rows, p)


def kalai_smorodinsky_lottery(frontier: Frontier) -> Lottery:
    """The Kalai-Smorodinsky solution over lotteries (see
    :func:`kalai_smorodinsky_lottery_weights`).

    Raises
    ------
    InfeasibleError
        When the feasible set is empty.
    """
    frontier.require_nonempty()
    rows, p = kalai_smorodinsky_lottery_weights(
        frontier.utilities, frontier.disagreement, frontier.ideal
    )
    return _lottery(frontier, rows, p)


def egalitarian_lottery(frontier: Frontier) -> Lottery:
    """The egalitarian (leximin) solution over lotteries.

    Raises
    ------
    InfeasibleError
        When the feasible set is empty.
    """
    frontier.require_nonempty()
    rows, p = egalitarian_lottery_weights(frontier.utilities, frontier.disagreement)
    return _lottery(frontier, rows, p)


def utilitarian_lottery(frontier: Frontier) -> Lottery:
    """The utilitarian solution over lotteries: the utilitarian deal with probability 1.

    Raises
    ------
    InfeasibleError
        When the feasible set is empty.
    """
    frontier.require_nonempty()
    rows, p = utilitarian_lottery_weights(
        frontier.utilities, frontier.disagreement, levels=frontier.levels
    )
    return _lottery(frontier, rows, p)


#: The lottery solutions by name (the same names as :data:`negotiation.engine.solutions.SOLUTIONS`).
LOTTERY_SOLUTIONS: dict[str, Callable[[Frontier], Lottery]] = {
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


def solve_lottery(name: str, frontier: Frontier) -> Lottery:
    """The lottery the named solution picks on ``frontier``'s convex hull.

    Raises
    ------
    NegotiationError
        For an unknown name (the message lists the known ones).
    InfeasibleError
        When the feasible set is empty.
    """
    _check_name(name)
    return LOTTERY_SOLUTIONS[name](frontier)
