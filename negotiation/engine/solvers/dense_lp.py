"""A small dense simplex method for the tiny master programmes of column generation, certified.

The masters of :class:`negotiation.engine.solvers.simplex.SimplexLP` have ``k + 1`` rows (``k``
parties) and a few dozen columns: HiGHS solves them in well under a millisecond, but scipy's
``linprog`` wrapper spends two to three milliseconds per call on validation around it, which
made the lottery solutions of ``analyze`` cost more than the frontier itself (issue 17). This
module solves ``min c . x`` s.t. ``A x = b``, ``x >= 0`` by the textbook two-phase tableau
simplex (Dantzig 1963) with Bland's anti-cycling rule, and returns the result only together
with its optimality certificate: primal feasibility, dual feasibility (every reduced cost
``c_j - lam . A_j >= -tol``) and complementary slackness, each checked to ``1e-11`` of the
data's scale. When any check fails (or the programme is infeasible, unbounded or degenerate in a
way the tableau does not resolve) it returns ``None`` and the caller falls back to HiGHS, so a
returned answer is optimal to the same tolerance as HiGHS's (``1e-10``, :data:`HIGHS_OPTIONS`).

References
----------
.. [Dantzig1963] Dantzig, *Linear Programming and Extensions* (1963). Full entry:
   docs/references.md.
.. [Bland1977] Bland, "New finite pivoting rules for the simplex method" (1977). Full entry:
   docs/references.md.
"""

from __future__ import annotations

import numpy as np

__all__ = ["dense_simplex"]

#: Relative tolerance of the pivoting and of the certificate checks.
_TOL = 1e-11


def _pivot(T: np.ndarray, r: int, j: int) -> None:
    T[r] /= T[r, j]
    col = T[:, j].copy()
    col[r] = 0.0
    T -= np.outer(col, T[r])


def _run(T: np.ndarray, basis: np.ndarray, ncols: int, tol: float) -> bool:
    """Bland's rule on tableau ``T`` (last row: reduced costs, last column: values) over the
    first ``ncols`` columns; False if unbounded or out of iterations."""
    m = basis.size
    for _ in range(50 * (ncols + m)):
        enter = np.flatnonzero(T[-1, :ncols] < -tol)
        if enter.size == 0:
            return True
        j = int(enter[0])
        col = T[:m, j]
        ok = col > tol
        if not ok.any():
            return False
        ratio = np.where(ok, T[:m, -1] / np.where(ok, col, 1.0), np.inf)
        best = ratio.min()
        ties = np.flatnonzero(ratio <= best + tol)
        r = int(ties[np.argmin(basis[ties])])
        _pivot(T, r, j)
        basis[r] = j
    return False


def dense_simplex(
    c: np.ndarray, A: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """``(x, lam)`` minimising ``c . x`` s.t. ``A x = b``, ``x >= 0``, with ``lam`` the dual
    prices (``d fun / d b``), certified optimal; ``None`` when not solved and certified.

    Examples
    --------
    >>> x, lam = dense_simplex(np.array([-1.0, -2.0]), np.ones((1, 2)), np.ones(1))
    >>> x.tolist(), lam.tolist()
    ([0.0, 1.0], [-2.0])
    """
    m, n = A.shape
    scale = max(float(np.abs(A).max(initial=0.0)), float(np.abs(b).max(initial=0.0)), 1.0)
    cscale = max(float(np.abs(c).max(initial=0.0)), 1.0)
    tol = _TOL * scale
    sign = np.where(b < 0, -1.0, 1.0)
    # Phase I: artificials on every row, minimise their sum.
    T = np.zeros((m + 1, n + m + 1))
    T[:m, :n] = A * sign[:, None]
    T[:m, n : n + m] = np.eye(m)
    T[:m, -1] = b * sign
    T[-1, :n] = -T[:m, :n].sum(axis=0)
    T[-1, -1] = -T[:m, -1].sum()
    basis = np.arange(n, n + m)
    if not _run(T, basis, n, tol) or -T[-1, -1] > tol:
        return None  # infeasible (or not resolved): HiGHS decides
    for r in np.flatnonzero(basis >= n):  # drive the artificials (at zero) out of the basis
        cand = np.flatnonzero(np.abs(T[r, :n]) > tol)
        if cand.size == 0:
            return None  # a redundant row: leave it to HiGHS
        _pivot(T, int(r), int(cand[0]))
        basis[r] = cand[0]
    # Phase II on the original columns.
    T2 = np.zeros((m + 1, n + 1))
    T2[:m, :n] = T[:m, :n]
    T2[:m, -1] = T[:m, -1]
    T2[-1, :n] = c
    for row, j in enumerate(basis):
        T2[-1] -= c[j] * T2[row]
    if not _run(T2, basis, n, _TOL * cscale):
        return None
    x = np.zeros(n)
    x[basis] = T2[:m, -1]
    try:
        lam = np.linalg.solve(A[:, basis].T, c[basis])
    except np.linalg.LinAlgError:
        return None
    # The certificate: primal feasibility, dual feasibility (the basic reduced costs vanish by
    # construction, so complementary slackness holds with them).
    if x.min() < -tol or np.abs(A @ x - b).max() > tol:
        return None
    # An ill-conditioned basis gives meaningless prices (the callers read them): refuse it.
    if not np.isfinite(lam).all() or np.linalg.cond(A[:, basis]) > 1e8:
        return None
    dual_tol = _TOL * max(cscale, float(np.abs(lam).max()) * scale)
    if (c - lam @ A).min() < -dual_tol or abs(float(lam @ b) - float(c @ x)) > dual_tol:
        return None  # not dual feasible, or no strong duality: not certified
    return np.maximum(x, 0.0), lam
