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

from collections.abc import Callable, Sequence

import numpy as np

__all__ = ["dense_simplex", "dense_simplex_warm"]

#: Relative tolerance of the pivoting and of the certificate checks.
_TOL = 1e-11


def _pivot(T: np.ndarray, r: int, j: int) -> None:
    T[r] /= T[r, j]
    col = T[:, j].copy()
    col[r] = 0.0
    T -= np.outer(col, T[r])


def _run(T: np.ndarray, basis: np.ndarray, ncols: int, tol: float) -> bool:
    """Simplex pivots on tableau ``T`` (last row: reduced costs, last column: values) over the
    first ``ncols`` columns; False if unbounded or out of iterations.

    Dantzig's rule (the most negative reduced cost enters: few pivots) while the objective
    moves; after ``m + 2`` degenerate pivots in a row, Bland's rule (the first negative reduced
    cost enters, the smallest basic index leaves among ratio ties), which cannot cycle
    (Bland 1977)."""
    m = basis.size
    stalled = 0
    for _ in range(50 * (ncols + m)):
        red = T[-1, :ncols]
        if stalled > m + 2:
            enter = np.flatnonzero(red < -tol)
            if enter.size == 0:
                return True
            j = int(enter[0])
        else:
            j = int(np.argmin(red))
            if red[j] >= -tol:
                return True
        col = T[:m, j]
        ok = col > tol
        if not ok.any():
            return False
        ratio = np.where(ok, T[:m, -1] / np.where(ok, col, 1.0), np.inf)
        best = ratio.min()
        ties = np.flatnonzero(ratio <= best + tol)
        r = int(ties[np.argmin(basis[ties])])
        stalled = stalled + 1 if best <= tol else 0
        _pivot(T, r, j)
        basis[r] = j
    return False


def _start(A: np.ndarray, b: np.ndarray, basis: np.ndarray, tol: float) -> np.ndarray | None:
    """The tableau rows ``B^-1 [A | b]`` of a given starting basis, or ``None`` when that basis
    is singular or not primal feasible (phase I then finds one)."""
    B = A[:, basis]
    try:  # (an ill-conditioned start is caught by the certificate, then phase I runs)
        rows = np.linalg.solve(B, np.column_stack([A, b]))
    except np.linalg.LinAlgError:
        return None
    if not np.isfinite(rows).all() or rows[:, -1].min() < -tol:
        return None
    rows[:, -1] = np.maximum(rows[:, -1], 0.0)
    return rows


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
    out = dense_simplex_warm(c, A, b)
    return None if out is None else out[:2]


def dense_simplex_warm(
    c: np.ndarray,
    A: np.ndarray,
    b: np.ndarray,
    basis: np.ndarray | Sequence[np.ndarray | Callable[[], np.ndarray | None]] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """:func:`dense_simplex` from a starting ``basis`` (one column index per row; or a list
    of such bases, or of functions that make one or ``None``, tried in turn), returning ``(x, lam, optimal basis)``. With the first
    starting basis that is nonsingular and primal feasible, phase I is skipped (a warm start
    from the previous master, or a crash basis of slacks); where none is (or with
    ``basis=None``) phase I finds one.

    Examples
    --------
    >>> A = np.array([[1.0, 1.0, 0.0], [1.0, 0.0, 1.0]])  # x + y = 1, x + s = 0.5
    >>> x, lam, B = dense_simplex_warm(np.array([-2.0, -1.0, 0.0]), A, np.array([1.0, 0.5]),
    ...                                basis=np.array([1, 2]))  # start: y = 1, s = 0.5
    >>> x.tolist(), sorted(B.tolist())
    ([0.5, 0.5, 0.0], [0, 1])
    """
    out = _solve(c, A, b, basis)
    if out is None and basis is not None:
        # a start can lead to another (ill-conditioned) optimal basis of a degenerate
        # programme, which the certificate refuses: phase I's path before giving up
        out = _solve(c, A, b, None)
    return out


def _solve(
    c: np.ndarray,
    A: np.ndarray,
    b: np.ndarray,
    basis: np.ndarray | Sequence[np.ndarray | Callable[[], np.ndarray | None]] | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    m, n = A.shape
    scale = max(float(np.abs(A).max(initial=0.0)), float(np.abs(b).max(initial=0.0)), 1.0)
    cscale = max(float(np.abs(c).max(initial=0.0)), 1.0)
    tol = _TOL * scale
    start = None
    tries = [] if basis is None else [basis] if isinstance(basis, np.ndarray) else list(basis)
    for given in tries:
        # a function: a start computed only when those before it did not fit
        made = given() if callable(given) else given
        if made is None:
            continue
        cand = np.asarray(made, dtype=int)
        if cand.shape == (m,) and len(set(cand.tolist())) == m:
            start = _start(A, b, cand, tol)
            if start is not None:
                basis = cand.copy()
                break
    if start is not None:
        basis = np.asarray(basis, dtype=int)
        T = np.zeros((m + 1, n + 1))
        T[:m] = start
    else:
        first = _phase_one(A, b, tol)
        if first is None:
            return None
        basis, T = first
    # Phase II on the original columns.
    T[-1, :n] = c
    T[-1, -1] = 0.0
    T[-1] -= c[basis] @ T[:m]  # reduced costs: c - c_B B^-1 A (and -c_B B^-1 b)
    if not _run(T, basis, n, _TOL * cscale):
        return None
    x = np.zeros(n)
    x[basis] = T[:m, -1]
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
    return np.maximum(x, 0.0), lam, basis


def _phase_one(A: np.ndarray, b: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray] | None:
    """Phase I (artificials on every row, minimise their sum): a feasible basis and its tableau
    (``m + 1`` rows, ``n + 1`` columns, last row free for the costs), or ``None``."""
    m, n = A.shape
    sign = np.where(b < 0, -1.0, 1.0)
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
    out = np.zeros((m + 1, n + 1))
    out[:m, :n] = T[:m, :n]
    out[:m, -1] = T[:m, -1]
    return basis, out
