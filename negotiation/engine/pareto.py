"""Pareto filter on a ready-made utility matrix.

Given the utility matrix ``U`` (``N x k`` floats, one row per outcome, one column per party,
larger is better), find the rows no other row Pareto-dominates.

Definition
----------
Row ``y`` *dominates* row ``x`` when ``y >= x`` in every column and ``y > x`` in at least one.
A row is *non-dominated* (Pareto-optimal within ``U``) when no row dominates it. Rows with
identical vectors (ties) never dominate one another, so all copies of a non-dominated vector are
kept.

Algorithms (numpy only, no compiled code)
-----------------------------------------
``k = 1``
    The rows equal to the column maximum.
``k = 2``
    Sort-and-sweep of Kung, Luccio & Preparata (1975) [KLP1975]_: order by ``u0`` descending; a row
    is non-dominated iff its ``u1`` is the largest among the rows with the same ``u0`` and strictly
    larger than every ``u1`` seen at a strictly larger ``u0`` (a running maximum,
    ``np.maximum.accumulate``). ``O(N log N)``.
``k >= 2``, ``N >= 4096``: before the sweep above and the steps below
    A seeded sample of 512 rows is filtered; if over half of it is mutually non-dominated
    (points on a simplex, opposed interests; ``k >= 3``), the rows go to moocore's compiled
    filter (Kung et al.; ``O(N log N)`` for ``k = 3``), after the grid screen below when under
    90 % of the sample was non-dominated. Otherwise a *chain of champions* ([CGGL2003]_'s
    presorting, one vectorised pass per champion): the row of largest sum drops every
    row strictly below it in every column (one chunked, cache-resident pass over ``U``), then
    the survivor of largest sum not yet used does the same on the survivors, while the last
    ``k`` champions dropped at least 1/256 of them. Strict dominance only, so ties survive.
    On a uniform ``10^6 x 4`` cloud under 1 % of the rows are left for the steps below.
``k >= 3``
    1. *Screens* (``O(N k)``, also used for ``k = 2``): bin every column into equal-width cells
       (a monotone map); a row whose cell has an occupied cell strictly above it in every column
       is dominated by any row of that cell (a suffix-OR over the occupancy grid finds these in
       one pass). Then drop the rows dominated by a few "champions", the maximisers of a few
       positively weighted sums.
    2. *Sort and dedupe* the survivors by a positively weighted sum, descending (ties broken
       lexicographically), so that a dominating row always comes before the rows it dominates;
       equal rows become one (and are all restored at the end).
    3. *Block filter*: take candidates in that order, block by block; compare each block with the
       frontier found so far (chunk by chunk, discarding dominated candidates as soon as a chunk
       dominates them), then within the block. Frontier rows are final as soon as they are found.
       Cheap while the frontier stays small (the usual case: a few thousand rows).
    4. When a cost model says the block filter is turning quadratic (a large frontier), the
       rest (frontier so far plus unseen rows) goes to an exact divide and conquer on strict
       ranks: Kung, Luccio & Preparata's recursion on column 0 (solve the top half, drop the
       bottom rows that the top half's frontier dominates, recurse on the rest), whose red/blue
       cross queries and small subproblems run Bentley's multidimensional divide and conquer
       vectorised level by level (all blocks of a level in one reshape), with small blocks
       compared by brute force. ``O(N log^(k-2) N)`` work in the worst case (every row
       non-dominated, e.g. points on a simplex): seconds for ``10^6 x 4``, not hours.

    Memory is linear, ``O(k^2 N)``: every broadcast comparison is chunked to a few MB. Measured
    peak for ``10^6 x 4`` float64 (a 32 MB input): about 40 MB when the frontier is small, about
    190 MB when it is huge (10^5 to 10^6 rows).

Speed (``benchmarks/bench_pareto.py``, CPU time, 2026-12-01): on uniform clouds of ``10^6``
rows 0.1x to 0.5x the best peer (paretoset, numba) for ``k = 2, 3, 4, 6``; on a realistic
additive negotiation of ``4^10`` outcomes and 4 parties about 0.5x (moocore, paretoset); when
(nearly) every row is non-dominated the work is moocore's own (ratio 1.00 to 1.05 with the
sample and the input check).

Epsilon-Pareto
--------------
With ``eps > 0``, :func:`pareto_mask` returns an epsilon-Pareto subset: the box archive of
Laumanns, Thiele, Deb & Zitzler (2002) [LTDZ2002]_ applied to the exact frontier.

References
----------
.. [KLP1975] Kung, Luccio, Preparata, "On finding the maxima of a set of vectors" (1975).
   Full entry: docs/references.md.
.. [Bentley1980] Bentley, "Multidimensional divide-and-conquer" (1980).
   Full entry: docs/references.md.
.. [CGGL2003] Chomicki, Godfrey, Gryz, Liang, "Skyline with presorting" (2003).
   Full entry: docs/references.md.
.. [LTDZ2002] Laumanns et al., "Combining convergence and diversity in evolutionary multiobjective
   optimization" (2002). Full entry: docs/references.md.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from negotiation.engine.pareto_dc import _TMP
from negotiation.engine.pareto_kernels import _pareto_mask_exact

__all__ = [
    "pareto_mask",
    "pareto_indices",
    "dominates",
    "brute_force_pareto_mask",
    "tie_ranks",
    "near_ties",
]

#: Up to this many boxes per column, epsilon boxes are computed in float64 (the 1e-6 hair of
#: the box width absorbs the rounding); beyond it, exactly in rational arithmetic.
_MAX_EPS_BOXES = 1 << 30
#: Frontier rows in a column-0 window that :func:`near_ties` checks one by one.
_NEAR_WINDOW = 256


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def dominates(a: Sequence[float] | np.ndarray, b: Sequence[float] | np.ndarray) -> bool:
    """Whether utility vector ``a`` Pareto-dominates ``b`` (maximisation).

    ``a`` dominates ``b`` iff ``a_i >= b_i`` for every party ``i`` and ``a_j > b_j`` for at
    least one ``j``. A vector never dominates itself or an equal vector.

    Parameters
    ----------
    a, b
        One-dimensional utility vectors of the same length, without NaN.

    Returns
    -------
    bool

    Raises
    ------
    ValueError
        If the shapes differ, are not one-dimensional, or a value is NaN.

    Examples
    --------
    >>> dominates([1.0, 2.0], [1.0, 1.0])
    True
    >>> dominates([1.0, 2.0], [1.0, 2.0])
    False
    >>> dominates([2.0, 0.0], [1.0, 1.0])
    False
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.ndim != 1 or a.shape != b.shape:
        raise ValueError(
            f"dominates() needs two 1-D utility vectors of equal length; got shapes "
            f"{a.shape} and {b.shape}"
        )
    if np.isnan(a).any() or np.isnan(b).any():
        raise ValueError("dominates() got a NaN utility (NaN utilities are a bug upstream)")
    return bool(np.all(a >= b) and np.any(a > b))


def pareto_mask(
    U: np.ndarray,
    *,
    eps: float | Sequence[float] | None = None,
    tol: float | Sequence[float] | np.ndarray | None = None,
) -> np.ndarray:
    """Boolean mask of the non-dominated rows of a utility matrix (maximisation).

    Row ``x`` is dominated if some row ``y`` has ``y >= x`` in every column and ``y > x`` in at
    least one. Rows with identical vectors (ties) are all kept when their common vector is
    non-dominated. See the module docstring for the algorithms ([KLP1975]_, [Bentley1980]_).

    Parameters
    ----------
    U
        ``N x k`` utility matrix, one row per outcome, one column per party (``k >= 1``,
        ``N >= 0``). Any real dtype: integers and lower-precision floats are converted to
        float64 (exactly: integers beyond ``2**53`` and wider floats are replaced by their
        per-column ranks, which preserves dominance). ``+-inf`` is allowed; NaN is not.
        ``U`` is never modified.
    eps
        ``None`` (default) for the exact frontier. A positive number, or one positive number per
        column, for an *additive epsilon-Pareto subset* ``S`` of the frontier ([LTDZ2002]_):

        * every row of ``S`` is non-dominated (``S`` is a subset of the exact frontier);
        * every frontier row ``p`` has some ``s`` in ``S`` with ``s >= p - eps`` in every column;
        * ``|S| <= prod_j n_j / max_j n_j`` where ``n_j = floor(range_j / (eps_j (1 - 1e-6))) + 1``
          and ``range_j`` is the spread of column ``j`` over the frontier (the number of
          mutually non-dominated boxes of that grid); for ``k = 2`` that is ``min(n_0, n_1)``.

        Steps: exact frontier; box index ``floor((p - min) / eps')`` per column, with the box
        width ``eps'`` a hair under ``eps`` so that float rounding cannot break the guarantee;
        keep the non-dominated boxes; one representative per kept box (the row with the largest
        utility sum, lowest index among equals). Ties of the representative are not repeated. If
        some column would need more than ``2**30`` boxes the exact frontier is returned (it
        satisfies the guarantee trivially); so is it when ``U`` holds infinities or integers
        float64 cannot represent exactly.
    tol
        ``None`` (default): values are compared exactly. A non-negative number, or one per
        column: the *tie tolerance* of computed utilities. Within each column, values whose
        sorted neighbours are at most ``tol`` apart count as equal (:func:`tie_ranks`), and
        dominance is decided on those runs: the exact answer on the model's numbers whenever
        rounding moves a utility by less than ``tol / 2`` and distinct exact utilities differ
        by more than ``2 tol`` (:mod:`negotiation.engine.tolerance` derives such a ``tol`` from
        a scenario). Cost: the exact filter, plus :func:`tie_ranks` on the frontier and its
        near-ties only.

    Returns
    -------
    numpy.ndarray
        Boolean array of length ``N``.

    Raises
    ------
    ValueError
        If ``U`` is not 2-D, has no column, is not real-valued, holds NaN, or ``eps`` is not
        positive (or has the wrong length).

    Examples
    --------
    >>> U = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5], [0.2, 0.2], [1.0, 0.0]])
    >>> pareto_mask(U)
    array([ True,  True,  True, False,  True])
    >>> pareto_mask(U, eps=0.6)  # boxes (1, 0) and (0, 1); the (0, 0) box is dominated
    array([ True,  True, False, False, False])
    >>> pareto_mask(U, eps=1.5)  # one box: (1, 0) is within 1.5 of every frontier row
    array([ True, False, False, False, False])
    """
    X, ranked = _convert(U)
    n, k = X.shape
    eps_arr = None if eps is None else _check_eps(eps, k)
    tol_arr = None if tol is None or ranked else _check_tol(tol, k)
    if n == 0:
        return np.zeros(0, dtype=bool)
    far: list = []
    tolerant = tol_arr is not None and bool(tol_arr.any())
    mask = _pareto_mask_exact(X, far if tolerant else None)
    if tolerant and tol_arr is not None:
        mask = _tolerant_from(X, mask, tol_arr, far)
    if eps_arr is None or ranked:
        return mask
    return _epsilon_mask(X, mask, eps_arr)


def pareto_indices(U: np.ndarray, *, eps: float | Sequence[float] | None = None) -> np.ndarray:
    """Sorted row indices of the non-dominated rows of ``U``.

    The same as ``np.flatnonzero(pareto_mask(U, eps=eps))``; see :func:`pareto_mask`.

    Examples
    --------
    >>> pareto_indices(np.array([[1, 0], [0, 1], [0, 0]]))
    array([0, 1])
    """
    return np.flatnonzero(pareto_mask(U, eps=eps))


def brute_force_pareto_mask(U: np.ndarray) -> np.ndarray:
    """Reference ``O(N^2 k)`` Pareto mask, straight from the definition (for tests).

    For every row ``x``, ``x`` is dominated iff some row ``y`` has ``y >= x`` in all columns and
    ``y > x`` in one. Vectorised over blocks of rows (bounded memory), no cleverness.

    Examples
    --------
    >>> brute_force_pareto_mask(np.array([[1.0, 1.0], [1.0, 1.0], [0.0, 1.0]]))
    array([ True,  True, False])
    """
    X = _as_utility_matrix(U)
    n, k = X.shape
    dominated = np.zeros(n, dtype=bool)
    if n == 0:
        return dominated
    cols = X.T
    rows = max(1, _TMP // max(n, 1))
    for start in range(0, n, rows):
        stop = min(start + rows, n)
        ge = np.ones((stop - start, n), dtype=bool)  # ge[x, y]: y >= x in every column
        gt = np.zeros((stop - start, n), dtype=bool)  # gt[x, y]: y > x in some column
        for j in range(k):
            xj = cols[j, start:stop, None]
            ge &= cols[j][None, :] >= xj
            gt |= cols[j][None, :] > xj
        dominated[start:stop] = (ge & gt).any(axis=1)
    return ~dominated


# --------------------------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------------------------


def _as_utility_matrix(U: np.ndarray) -> np.ndarray:
    """``U`` as a finite, C-contiguous float64 ``N x k`` array with the same dominance relation
    (see :func:`_convert`)."""
    return _convert(U)[0]


def _convert(U: np.ndarray) -> tuple[np.ndarray, bool]:
    """``U`` as a finite, C-contiguous float64 ``N x k`` array with the same dominance relation,
    and whether it had to be replaced by per-column ranks.

    Never modifies ``U``. Exact conversions only: values float64 cannot hold exactly (integers
    beyond 2**53, extended-precision floats) and infinities are replaced by per-column ranks.
    """
    A = np.asarray(U)
    if A.ndim != 2:
        raise ValueError(
            f"utility matrix must be 2-D (outcomes x parties); got an array of shape {A.shape}"
        )
    if A.shape[1] < 1:
        raise ValueError(f"utility matrix needs at least one column (party); got shape {A.shape}")
    kind = A.dtype.kind
    if kind not in "biuf":
        raise ValueError(f"utility matrix must be real-valued; got dtype {A.dtype}")
    exact = True
    if kind == "f":
        if A.dtype.itemsize > 8:
            exact = False
        elif A.size:
            with np.errstate(all="ignore"):  # overflow or inf - inf: checked below instead
                total = np.add.reduce(A, axis=None)
            if np.isfinite(total):  # no NaN and no infinity (one pass, no temporary)
                return np.ascontiguousarray(A, dtype=np.float64), False
        if np.isnan(A).any():
            r, c = np.argwhere(np.isnan(A))[0]
            raise ValueError(
                f"utility matrix holds NaN (first at row {r}, column {c}); "
                "NaN utilities are a bug upstream"
            )
    elif kind in "iu" and A.size and A.dtype.itemsize > 4:
        big = 2**53  # compared as Python ints: float() would round 2**53 + 1 down
        if int(A.max()) > big or int(A.min()) < -big:
            exact = False
    if exact:
        X = np.ascontiguousarray(A, dtype=np.float64)
        if kind != "f" or np.isfinite(X).all():
            return X, False
    # Rank-transform column by column: dominance depends only on the order within each column.
    X = np.empty(A.shape, dtype=np.float64)
    for j in range(A.shape[1]):
        X[:, j] = np.unique(A[:, j], return_inverse=True)[1].reshape(-1)
    return X, True


def _check_tol(tol, k: int) -> np.ndarray:
    arr = np.asarray(tol, dtype=np.float64)
    if arr.ndim == 0:
        arr = np.full(k, float(arr))
    if arr.shape != (k,):
        raise ValueError(f"tol must be a number or one number per column ({k}); got {tol!r}")
    if not (np.all(np.isfinite(arr)) and np.all(arr >= 0)):
        raise ValueError(f"tol must be non-negative and finite; got {tol!r}")
    return arr


def _check_eps(eps: float | Sequence[float], k: int) -> np.ndarray:
    arr = np.asarray(eps, dtype=np.float64)
    if arr.ndim == 0:
        arr = np.full(k, float(arr))
    if arr.shape != (k,):
        raise ValueError(f"eps must be a number or one number per column ({k}); got {eps!r}")
    if not (np.all(np.isfinite(arr)) and np.all(arr > 0)):
        raise ValueError(f"eps must be positive and finite; got {eps!r}")
    return arr


# --------------------------------------------------------------------------------------------
# Ties within a tolerance
# --------------------------------------------------------------------------------------------


def tie_ranks(U: np.ndarray, tol: float | Sequence[float] | np.ndarray) -> np.ndarray:
    """Per column, the rank of each value's *run*: sorted values cut where neighbours differ by
    more than ``tol``.

    In column ``j`` let ``v_(1) <= ... <= v_(m)`` be the distinct values; a new run starts at
    ``v_(i)`` when ``v_(i) - v_(i-1) > tol_j``. Each value is replaced by the index of its run
    (0 for the lowest). The map is monotone (``a <= b`` implies ``rank(a) <= rank(b)``), values
    at most ``tol_j`` apart share a rank, and values in different runs keep their order. When
    distinct exact values differ by more than ``2 tol_j`` and rounding moved each by less than
    ``tol_j / 2``, the ranks are exactly the order of the exact values (see
    :mod:`negotiation.engine.tolerance`).

    Parameters
    ----------
    U
        ``N x k`` finite float matrix.
    tol
        A non-negative number or one per column.

    Returns
    -------
    numpy.ndarray
        ``N x k`` float64 matrix of run ranks (exact small integers).

    Examples
    --------
    >>> tie_ranks(np.array([[0.95], [0.9500000000000001], [0.9500000000000002], [0.5]]), 1e-12)
    array([[1.],
           [1.],
           [1.],
           [0.]])
    """
    X = np.asarray(U, dtype=np.float64)
    n, k = X.shape
    t = _check_tol(tol, k)
    R = np.empty((n, k), dtype=np.float64)
    for j in range(k):
        vals, inv = np.unique(X[:, j], return_inverse=True)
        with np.errstate(over="ignore", invalid="ignore"):
            gap = np.diff(vals) > t[j]
        run = np.concatenate(([0], np.cumsum(gap)))
        R[:, j] = run[inv.reshape(-1)]
    return R


def near_ties(X: np.ndarray, nd: np.ndarray, h: float | np.ndarray) -> np.ndarray:
    """Indices of the rows of ``X`` outside ``nd`` that may have a row of ``nd`` in the box
    ``[x, x + h]`` (a superset: a screen on column 0 then on every column by sorted blocks).

    ``nd`` is a boolean mask (typically the non-dominated rows). A dominated row without such
    a neighbour is dominated by some ``nd`` row ahead by more than ``h_j`` in a column ``j``.
    """
    X = np.asarray(X, dtype=np.float64)
    n, k = X.shape
    hv = np.broadcast_to(np.asarray(h, dtype=np.float64), (k,))
    dom = np.flatnonzero(~nd)
    if dom.size == 0 or not nd.any():
        return dom[:0]
    N = X[nd]
    order = np.argsort(N[:, 0], kind="stable")
    N = N[order]
    x = X[dom]
    with np.errstate(over="ignore", invalid="ignore"):
        lo = np.searchsorted(N[:, 0], x[:, 0], "left")
        hi = np.searchsorted(N[:, 0], x[:, 0] + hv[0], "right")
    width = hi - lo
    cand = np.flatnonzero(width > 0)
    if cand.size == 0:
        return dom[:0]
    # Check each candidate against the (usually very few) nd rows in its column-0 window; a
    # window wider than _NEAR_WINDOW rows keeps its candidate unchecked (a superset is allowed).
    w = width[cand]
    hit = w > _NEAR_WINDOW
    start = lo[cand]
    xc = x[cand]
    step = 0
    live = np.flatnonzero(~hit)
    while live.size:
        rows = N[start[live] + step]
        with np.errstate(over="ignore", invalid="ignore"):
            inside = np.all((rows >= xc[live]) & (rows <= xc[live] + hv), axis=1)
        hit[live[inside]] = True
        step += 1
        live = live[~inside & (w[live] > step)]
    return dom[cand[hit]]


def _tolerant_mask(X: np.ndarray, exact: np.ndarray, tol: np.ndarray) -> np.ndarray:
    """Non-dominated rows when values within ``tol`` tie (:func:`tie_ranks`), from the exact
    mask: only the exact frontier and its near-ties (a dominated row with a frontier row within
    ``2 tol``) can be on the tolerant frontier, so :func:`tie_ranks` runs on those alone."""
    cand = np.flatnonzero(exact)
    extra = near_ties(X, exact, 2.0 * tol)
    if extra.size:
        cand = np.union1d(cand, extra)
    Y = X[cand]
    if extra.size == 0 and not _merges(Y, tol):
        return exact  # no value merges with another: the runs order the rows as the values do
    R = tie_ranks(Y, tol)
    out = np.zeros(X.shape[0], dtype=bool)
    out[cand[_pareto_mask_exact(R)]] = True
    return out


def _merges(X: np.ndarray, tol: np.ndarray) -> bool:
    """Whether :func:`tie_ranks` would put two distinct values of a column in one run."""
    for j in range(X.shape[1]):
        d = np.diff(np.sort(X[:, j]))
        with np.errstate(invalid="ignore"):
            if np.any((d > 0) & (d <= tol[j])):
                return True
    return False


def _tolerant_from(X: np.ndarray, exact: np.ndarray, tol: np.ndarray, far: list) -> np.ndarray:
    """:func:`_tolerant_mask`, looking for near-ties only among the rows the grid screen did not
    find dominated by more than a bin width (``> 2 tol``) in every column."""
    if not far or not np.all(far[1] > 2.0 * tol):
        return _tolerant_mask(X, exact, tol)
    sub = np.flatnonzero(far[0] | exact)
    out = np.zeros(X.shape[0], dtype=bool)
    out[sub] = _tolerant_mask(X[sub], exact[sub], tol)
    return out


# --------------------------------------------------------------------------------------------
# Epsilon-Pareto subset
# --------------------------------------------------------------------------------------------


def _epsilon_mask(X: np.ndarray, exact: np.ndarray, eps: np.ndarray) -> np.ndarray:
    """Laumanns et al. (2002) box archive over the exact frontier ``exact`` of ``X``.

    Box index ``floor((p - lo) / w)`` per column with ``w = eps (1 - 1e-6)``. In float64 the
    quotient is off by at most a relative ``2^-52``, which the hair ``1e-6`` absorbs while a
    column needs at most ``2^30`` boxes. Beyond that (a huge range against a small ``eps``) the
    boxes are computed exactly in rational arithmetic and replaced by their per-column ranks:
    the guarantee and the size bound hold at any scale, never by falling back to the whole
    frontier (which would break the size bound and repeat tied rows).
    """
    idx = np.flatnonzero(exact)
    F = X[idx]
    lo = F.min(axis=0)
    width = eps * (1.0 - 1e-6)
    with np.errstate(over="ignore", invalid="ignore"):
        span = F.max(axis=0) - lo
        fast = np.all(span / width <= _MAX_EPS_BOXES)
        score = F.sum(axis=1)
    score = np.where(np.isnan(score), -np.inf, score)
    if fast:
        boxes = np.floor((F - lo) / width)
    else:
        boxes = _exact_boxes(F, lo, width)
    keep_box = _pareto_mask_exact(boxes)  # non-dominated boxes (all members of a kept box)
    idx, F, boxes = idx[keep_box], F[keep_box], boxes[keep_box]
    # One representative per box: largest sum, then lowest index (idx is increasing).
    score = score[keep_box]
    order = np.lexsort((idx, -score) + tuple(boxes[:, j] for j in range(boxes.shape[1])))
    b = boxes[order]
    first = np.ones(b.shape[0], dtype=bool)
    first[1:] = np.any(b[1:] != b[:-1], axis=1)
    out = np.zeros(X.shape[0], dtype=bool)
    out[idx[order[first]]] = True
    return out


def _exact_boxes(F: np.ndarray, lo: np.ndarray, width: np.ndarray) -> np.ndarray:
    """Per column, ranks of the exact box indices ``floor((p - lo) / width)`` (rationals of the
    float values; only the order of boxes matters for dominance and grouping)."""
    from fractions import Fraction

    out = np.empty(F.shape, dtype=np.float64)
    for j in range(F.shape[1]):
        base, w = Fraction(float(lo[j])), Fraction(float(width[j]))
        vals, inv = np.unique(F[:, j], return_inverse=True)
        box = [int((Fraction(float(v)) - base) // w) for v in vals]
        _, rank = np.unique(np.array(box, dtype=object), return_inverse=True)
        out[:, j] = np.asarray(rank).reshape(-1)[inv.reshape(-1)]
    return out
