"""A polytope with an affine gain map, and its linear programmes.

A continuous scenario is a union of such polytopes (one per sub-problem of
:mod:`negotiation.engine.solutions.continuous`), and the lotteries over a set of deals are one
(the probability simplex, :func:`simplex_polytope`). The bargaining solutions on them are linear
programmes (:meth:`Polytope.lp`) or sequences of them (:mod:`negotiation.engine.solvers.leximin`).

References
----------
.. [BoydVandenberghe2004] Boyd, Vandenberghe, *Convex Optimization* (2004); epigraph formulations,
   section 4.1.3. Full entry: docs/references.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from negotiation.engine.solvers.lp import HIGHS_OPTIONS, linprog_highs
from negotiation.errors import NegotiationError

__all__ = ["LP_TOL", "Polytope", "lp_tol", "simplex_polytope"]

#: Relative tolerance of the linear programmes' comparisons.
LP_TOL = 1e-8


@dataclass(frozen=True)
class Polytope:
    """A polytope ``Z = {z : A_ub z <= b_ub, A_eq z = b_eq, lo <= z <= hi}`` with an affine gain
    map ``g(z) = A z + b`` (``k`` parties, ``n`` variables)."""

    A: np.ndarray
    b: np.ndarray
    bounds: tuple[tuple[float | None, float | None], ...]
    A_ub: np.ndarray | None = None
    b_ub: np.ndarray | None = None
    A_eq: np.ndarray | None = None
    b_eq: np.ndarray | None = None
    scale: np.ndarray = field(default=None)  # type: ignore[arg-type]  # set in __post_init__

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
        rows: list[np.ndarray] = []
        rhs: list[np.ndarray] = []
        if self.A_ub is not None and self.A_ub.shape[0]:
            rows.append(np.hstack([self.A_ub, np.zeros((self.A_ub.shape[0], nv - n))]))
            rhs.append(np.asarray(self.b_ub, dtype=float))
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
        res = linprog_highs(
            c,
            A_ub=A_ub,
            b_ub=b_ub,
            A_eq=A_eq,
            b_eq=b_eq,
            bounds=bounds,
            # numerical trouble in the simplex solver: retry with HiGHS's default choice
            attempts=(("highs-ds", HIGHS_OPTIONS), ("highs", None)),
        )
        if res.status == 3:  # unbounded: cannot happen on a bounded polytope
            raise NegotiationError("internal error: unbounded linear programme")
        if res.status != 0:  # infeasible (or numerical trouble in every solver)
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
                c_g, lower=lower - relax * lp_tol(self), t_scale=t_scale, c_t=c_t, extra=extra
            )
            if res is not None:
                return res
        return None


def lp_tol(poly: Polytope) -> np.ndarray:
    """Per-party absolute tolerance of LP comparisons."""
    return LP_TOL * poly.scale


def simplex_polytope(G: np.ndarray) -> Polytope:
    """The lotteries over the rows of ``G`` (gains): ``z = p`` on the simplex, ``g = G^T p``."""
    M, k = G.shape
    top = np.abs(G).max(axis=0)
    return Polytope(
        A=G.T.copy(),
        b=np.zeros(k),
        bounds=((0.0, None),) * M,
        A_eq=np.ones((1, M)),
        b_eq=np.ones(1),
        scale=np.maximum(top, 1.0),
    )
