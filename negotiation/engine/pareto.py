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
    Sort-and-sweep of Kung, Luccio & Preparata (1975): order by ``u0`` descending; a row is
    non-dominated iff its ``u1`` is the largest among the rows with the same ``u0`` and strictly
    larger than every ``u1`` seen at a strictly larger ``u0`` (a running maximum,
    ``np.maximum.accumulate``). ``O(N log N)``.
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

Speed (``benchmarks/bench_pareto.py``): on a realistic additive negotiation of ``4^10``
outcomes and 4 parties, about 6x faster than moocore; within about 2-3x of moocore (compiled
C) when the frontier holds 10^5 to 10^6 rows.

Epsilon-Pareto
--------------
With ``eps > 0``, :func:`pareto_mask` returns an epsilon-Pareto subset: the box archive of
Laumanns, Thiele, Deb & Zitzler (2002) applied to the exact frontier.

References
----------
.. [KLP75] H. T. Kung, F. Luccio, F. P. Preparata, "On finding the maxima of a set of vectors",
   Journal of the ACM 22(4):469-476, 1975.
.. [Ben80] J. L. Bentley, "Multidimensional divide-and-conquer", Communications of the ACM
   23(4):214-229, 1980.
.. [LTDZ02] M. Laumanns, L. Thiele, K. Deb, E. Zitzler, "Combining convergence and diversity in
   evolutionary multiobjective optimization", Evolutionary Computation 10(3):263-282, 2002.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = [
    "pareto_mask",
    "pareto_indices",
    "dominates",
    "brute_force_pareto_mask",
    "tie_ranks",
    "near_ties",
]

#: Below this many rows the grid screen is skipped (it would not pay for itself).
_GRID_MIN_ROWS = 4096
#: Cells of the grid screen: at most this many (the suffix-OR touches each cell ``k`` times).
_GRID_MAX_CELLS = 1 << 18
#: Candidate rows per block of the block filter.
_BLOCK = 512
#: Frontier rows per chunk compared against a block.
_CHUNK = 1024
#: Smallest leaf of the divide and conquer (blocks compared by brute force).
_LEAF = 32
#: Elements per temporary boolean array (bounds memory of the broadcast comparisons).
_TMP = 1 << 22
#: Up to this many boxes per column, epsilon boxes are computed in float64 (the 1e-6 hair of
#: the box width absorbs the rounding); beyond it, exactly in rational arithmetic.
_MAX_EPS_BOXES = 1 << 30
#: Hand large frontiers (k >= 3) to moocore when it is importable (tests switch it off to
#: exercise the numpy divide and conquer).
USE_MOOCORE = True
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
    non-dominated. See the module docstring for the algorithms ([KLP75]_, [Ben80]_).

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
        column, for an *additive epsilon-Pareto subset* ``S`` of the frontier ([LTDZ02]_):

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
    if tolerant:
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
# Exact filter
# --------------------------------------------------------------------------------------------


def _pareto_mask_exact(X: np.ndarray, far: list | None = None) -> np.ndarray:
    """Exact mask. With ``far`` (a list), appends the mask of rows the grid screen did not find
    dominated by a margin of a whole cell in every column (``None`` when no screen ran), and the
    cell widths."""
    n, k = X.shape
    if k == 1:
        return X[:, 0] == X[:, 0].max()
    cand = None
    if far is None and k >= 3 and n >= _GRID_MIN_ROWS:
        if _mostly_nondominated(X):
            return ~_large_front_dominated_rows(X)
        # One champion (the largest plain sum) first: 2k vectorised passes drop most of a
        # random cloud before the grid (not with ``far``, which needs the grid on every row).
        keep = _champion_screen(X, n_weights=1)
        if not keep.all():
            cand = np.flatnonzero(keep)
            X = X[cand]
    if X.shape[0] >= _GRID_MIN_ROWS:
        keep = _grid_screen(X, far)
        if not keep.all():
            idx = np.flatnonzero(keep)
            cand = idx if cand is None else cand[idx]
            X = X[idx]
    if k == 2:
        sub = _mask_2d(X[:, 0], X[:, 1])
    else:
        sub = _mask_kd(X)
    if cand is None:
        return sub
    mask = np.zeros(n, dtype=bool)
    mask[cand[sub]] = True
    return mask


def _mask_2d(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Kung-Luccio-Preparata sweep for two columns (ties kept)."""
    n = a.shape[0]
    order = np.argsort(-a, kind="stable")
    sa, sb = a[order], b[order]
    start = np.empty(n, dtype=bool)
    start[0] = True
    np.not_equal(sa[1:], sa[:-1], out=start[1:])
    starts = np.flatnonzero(start)
    gmax = np.maximum.reduceat(sb, starts)  # best u1 within each group of equal u0
    prev = np.empty_like(gmax)
    prev[0] = -np.inf
    if gmax.shape[0] > 1:
        np.maximum.accumulate(gmax[:-1], out=prev[1:])  # best u1 at a strictly larger u0
    gid = np.cumsum(start) - 1
    keep_sorted = (sb == gmax[gid]) & (gmax > prev)[gid]
    mask = np.empty(n, dtype=bool)
    mask[order] = keep_sorted
    return mask


def _mostly_nondominated(X: np.ndarray, sample: int = 512) -> bool:
    """Whether a seeded sample of rows is mostly (over 1/2) mutually non-dominated: then the
    screens and the block filter cannot pay for themselves (points on a simplex, many parties)
    and the rows go straight to the large-frontier filter (moocore)."""
    if _moocore() is None or not USE_MOOCORE:
        return False
    n = X.shape[0]
    idx = np.random.default_rng(1975).choice(n, size=min(sample, n), replace=False)
    return bool(brute_force_pareto_mask(X[idx]).mean() > 0.5)


def _large_front_dominated_rows(X: np.ndarray) -> np.ndarray:
    """Dominated mask of any rows (ties allowed) with moocore, keeping every copy of a tie."""
    nd = _moocore().is_nondominated(np.ascontiguousarray(X), maximise=True, keep_weakly=True)
    return ~np.asarray(nd, dtype=bool)


def _mask_kd(X: np.ndarray, champions: bool = True) -> np.ndarray:
    n, k = X.shape
    keep = _champion_screen(X) if (champions and n >= _GRID_MIN_ROWS) else None
    if keep is None or keep.all():
        cand, V = np.arange(n), X
    else:
        cand = np.flatnonzero(keep)
        V = X[cand]
    order, first = _sort_by_sum(V)
    Vs = V[order if first.all() else order[first]]  # distinct rows, dominators first
    del V
    keep_unique = _nondominated_distinct(Vs)
    del Vs
    run = np.cumsum(first) - 1  # distinct-vector id of every sorted row
    mask = np.zeros(n, dtype=bool)
    mask[cand[order]] = keep_unique[run]
    return mask


def _grid_screen(X: np.ndarray, far: list | None = None) -> np.ndarray:
    """Rows that survive the grid screen (a superset of the non-dominated rows).

    Each column is mapped to ``g`` equal-width bins by a monotone map, so if every bin index of
    ``y`` is larger than that of ``x`` then ``y > x`` in every column. A row is discarded when
    some occupied cell lies strictly above its own in every column. With ``far`` (a list), also
    appends the rows *not* below an occupied cell two or more bins higher in every column (the
    others are dominated by more than a bin width in every column) and the bin widths.
    """
    n, k = X.shape
    g = int(min(_GRID_MAX_CELLS, 4 * n) ** (1.0 / k))
    if g < 3:
        return np.ones(n, dtype=bool)
    cell = np.zeros(n, dtype=np.int64)
    widths = np.zeros(k)
    for j in range(k):
        c = X[:, j]
        lo, hi = c.min(), c.max()
        half = 0.5 * hi - 0.5 * lo  # halves: no overflow for huge finite values
        if not half > 0:
            b = np.zeros(n, dtype=np.int64)
        else:
            scaled = (0.5 * c - 0.5 * lo) / half * g  # in [0, g], monotone in c
            b = np.minimum(scaled.astype(np.int64), g - 1)
            widths[j] = 2.0 * half / g * (1.0 - 1e-9)  # a hair under the bin width
        cell *= g
        cell += b
    occ = np.zeros(g**k, dtype=bool)
    occ[cell] = True
    S = occ.reshape((g,) * k)
    for ax in range(k):  # S[c] = some occupied cell >= c in every column
        S = np.flip(np.logical_or.accumulate(np.flip(S, ax), axis=ax), ax)
    above = np.zeros_like(S)  # some occupied cell > c in every column
    above[(slice(0, -1),) * k] = S[(slice(1, None),) * k]
    if far is not None:
        above2 = np.zeros_like(S)  # some occupied cell >= c + 2 in every column
        above2[(slice(0, -2),) * k] = S[(slice(2, None),) * k]
        far.append(~above2.reshape(-1)[cell])
        far.append(widths)
    return ~above.reshape(-1)[cell]


def _champion_screen(X: np.ndarray, n_weights: int = 8) -> np.ndarray:
    """Rows not dominated by a few "champions" (a superset of the non-dominated rows).

    The champions are the maximisers of a few positively weighted sums (all-ones and fixed
    pseudo-random weights); each is Pareto-optimal and together they dominate most of a typical
    cloud. One vectorised pass per champion.
    """
    n, k = X.shape
    W = np.ones((k, n_weights))
    W[:, 1:] = np.random.default_rng(20020101).random((k, n_weights - 1)) + 0.05
    with np.errstate(all="ignore"):  # the choice of champions is a heuristic; checks are exact
        champions = np.unique(np.argmax(X @ W, axis=0))
    cols = np.ascontiguousarray(X.T)
    alive = np.ones(n, dtype=bool)
    le = np.empty(n, dtype=bool)
    lt = np.empty(n, dtype=bool)
    tmp = np.empty(n, dtype=bool)
    for c in X[champions]:
        np.less_equal(cols[0], c[0], out=le)
        np.less(cols[0], c[0], out=lt)
        for j in range(1, k):
            np.less_equal(cols[j], c[j], out=tmp)
            le &= tmp
            np.less(cols[j], c[j], out=tmp)
            lt |= tmp
        le &= lt  # <= everywhere and < somewhere: dominated by the champion
        alive &= ~le
    return alive


def _sort_by_sum(V: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Order rows so that a dominating row always comes first; flag the first of equal rows.

    The key is a weighted sum ``s = sum_j w_j v_j`` with positive, unequal weights in
    ``(1/2, 1]`` (so that points on a simplex do not all tie), descending; rows with equal keys are ordered
    lexicographically, descending. If ``y`` dominates ``x`` then ``s(y) >= s(x)`` in floating
    point too (each operation rounds monotonically), and on equal keys ``y`` is
    lexicographically larger, so ``y`` comes first. Equal rows end up adjacent.
    """
    m, k = V.shape
    s = V[:, 0].copy()
    with np.errstate(over="ignore"):  # weights <= 1: terms stay finite, sums may reach +-inf
        for j in range(1, k):
            s += V[:, j] * (1.0 - j / (2.0 * k))
    order = np.argsort(-s, kind="stable")
    first = np.ones(m, dtype=bool)
    if m < 2:
        return order, first
    ss = s[order]
    tie = ss[1:] == ss[:-1]
    if tie.any():
        # Re-sort only the rows inside runs of equal keys, lexicographically within each run.
        in_run = np.zeros(m, dtype=bool)
        in_run[1:] |= tie
        in_run[:-1] |= tie
        pos = np.flatnonzero(in_run)
        run = np.cumsum(~np.concatenate(([False], tie)))[pos]  # run id, increasing along pos
        sub = order[pos]
        W = V[sub]
        keys = tuple(-W[:, j] for j in range(k - 1, -1, -1)) + (run,)
        order[pos] = sub[np.lexsort(keys)]
        Vs = V[order[pos]]
        same = np.all(Vs[1:] == Vs[:-1], axis=1) & (run[1:] == run[:-1])
        first[pos[1:][same]] = False
    return order, first


def _nondominated_distinct(V: np.ndarray) -> np.ndarray:
    """Mask of non-dominated rows of ``V``: distinct rows sorted as by :func:`_sort_by_sum`."""
    m, k = V.shape
    cols = np.ascontiguousarray(V.T)
    front = np.empty(min(m, 4096), dtype=np.int64)  # frontier rows, in order found (grows)
    fcols = np.empty((k, front.shape[0]), dtype=np.float64)  # their columns
    nf = 0
    rate = 1.0  # share of the last block's candidates that joined the frontier
    for start in range(0, m, _BLOCK):
        stop = min(start + _BLOCK, m)
        rest = m - start
        if (
            start
            and m - start > _BLOCK
            and _block_cost(nf, rest, rate) > 2.0 * _handover_cost(nf + rest, k)
        ):
            # The block filter is turning quadratic: finish with moocore (compiled) or our
            # divide and conquer on the frontier so far plus the rows not yet seen.
            rows = np.concatenate([front[:nf], np.arange(start, m)])
            del cols, fcols
            dom = _large_front_dominated(V[rows])
            out = np.zeros(m, dtype=bool)
            out[rows[~dom]] = True
            return out
        idx = np.arange(start, stop)
        X = cols[:, start:stop]
        for cs in range(0, nf, _CHUNK):
            F = fcols[:, cs : min(cs + _CHUNK, nf)]
            ge = X[0][:, None] <= F[0][None, :]
            for j in range(1, k):
                ge &= X[j][:, None] <= F[j][None, :]
            dom = ge.any(axis=1)
            if dom.any():
                keep = ~dom
                idx, X = idx[keep], X[:, keep]
                if idx.shape[0] == 0:
                    break
        if idx.shape[0] == 0:
            rate = 0.0
            continue
        if idx.shape[0] > 1:
            ge = X[0][:, None] <= X[0][None, :]
            for j in range(1, k):
                ge &= X[j][:, None] <= X[j][None, :]
            np.fill_diagonal(ge, False)  # distinct rows: y >= x everywhere means y dominates x
            keep = ~ge.any(axis=1)
            idx, X = idx[keep], X[:, keep]
        c = idx.shape[0]
        rate = c / (stop - start)
        if nf + c > front.shape[0]:
            size = min(m, 2 * (nf + c))
            front = np.concatenate([front[:nf], np.empty(size - nf, dtype=np.int64)])
            fcols = np.concatenate([fcols[:, :nf], np.empty((k, size - nf))], axis=1)
        front[nf : nf + c] = idx
        fcols[:, nf : nf + c] = X
        nf += c
    out = np.zeros(m, dtype=bool)
    out[front[:nf]] = True
    return out


def _block_cost(nf: int, rest: int, rate: float) -> float:
    """Projected pair comparisons left for the block filter: ``rest`` candidates, ``nf``
    frontier rows so far, a share ``rate`` of candidates joining the frontier (the others are
    mostly discarded by the first chunk)."""
    joining = rate * rest
    return joining * (nf + joining / 2.0) + (rest - joining) * min(nf, _CHUNK)


def _moocore():
    """The ``moocore`` module, or ``None`` when it cannot be imported."""
    global _MOOCORE
    if _MOOCORE is False:
        try:
            import moocore

            _MOOCORE = moocore
        except Exception:  # pragma: no cover - moocore is a dependency; numpy fall-back
            _MOOCORE = None
    return _MOOCORE


_MOOCORE: object = False


def _handover_cost(m: int, k: int) -> float:
    """Cost (in block-filter pair comparisons) of finishing ``m`` distinct rows with the
    large-frontier filter: moocore's compiled filter (measured: about ``m log2 m`` pair
    comparisons' worth per column), or :func:`_cdq_cost` without it."""
    if _moocore() is not None and USE_MOOCORE:
        return 0.5 * m * max(1.0, float(np.log2(max(m, 2)))) * k
    return _cdq_cost(m, k)


def _large_front_dominated(V: np.ndarray) -> np.ndarray:
    """Dominated-row mask of distinct rows ``V`` with a large frontier: moocore's
    ``is_nondominated`` (C; [KLP75]_ for ``k = 3``, the skyline of Kung et al. beyond) when
    importable, else :func:`_cdq_dominated` (numpy)."""
    mc = _moocore()
    if mc is not None and USE_MOOCORE:
        nd = mc.is_nondominated(np.ascontiguousarray(V), maximise=True, keep_weakly=True)
        return ~np.asarray(nd, dtype=bool)
    return _cdq_dominated(V)


def _cdq_cost(m: int, k: int) -> float:
    """Measured cost of :func:`_cdq_dominated` on ``m`` rows in block-filter pair comparisons
    (about ``36 / 2^(k-3) * m * log2(m / leaf)^(k-2)``)."""
    levels = max(1.0, float(np.log2(max(m, 2) / _LEAF)))
    return 36.0 / 2.0 ** (k - 3) * m * levels ** (k - 2)


# --------------------------------------------------------------------------------------------
# Divide and conquer on strict ranks
# --------------------------------------------------------------------------------------------


def _strict_ranks(V: np.ndarray) -> np.ndarray:
    """Per-column ranks (permutations of ``0..m-1``) with strict dominance == Pareto dominance.

    Column ``j`` is ranked by the key ``(v_j, v_{j+1}, ..., v_{j-1})`` (cyclic, lexicographic).
    For distinct rows, ``y`` dominates ``x`` iff ``R_j(y) > R_j(x)`` for every ``j``: if ``y``
    dominates ``x``, the first column where they differ in each cyclic key has ``y`` larger;
    conversely a larger key means a larger-or-equal value, and distinct rows are not all equal.
    """
    m, k = V.shape
    dtype = np.int32 if m < 2**31 - 1 else np.int64
    R = np.empty((k, m), dtype=dtype)
    ar = np.arange(m, dtype=dtype)
    for j in range(k):
        c = V[:, j]
        o = np.argsort(c, kind="stable")
        cs = c[o]
        if m > 1 and np.any(cs[1:] == cs[:-1]):
            o = np.lexsort(tuple(V[:, (j + i) % k] for i in range(k - 1, -1, -1)))
        R[j, o] = ar
    return R


def _cdq_dominated(V: np.ndarray) -> np.ndarray:
    """Dominated-row mask of distinct rows ``V`` (``k >= 3``): Kung's recursion with pruning.

    With strict ranks ``R`` (:func:`_strict_ranks`), dominance is ``R(y) > R(x)`` in every
    column. Following Kung, Luccio & Preparata (1975): split the rows by column 0 into a top
    half ``T`` and a bottom half ``B`` (nothing in ``B`` can dominate ``T``); solve ``T``; drop
    the rows of ``B`` dominated by the frontier of ``T`` (a red/blue query on the remaining
    columns, :func:`_cross_dominated`); solve what is left of ``B``. Rows dominated early never
    cost anything again. Below ``_KUNG_MIN`` rows, :func:`_flat_dominated` does the whole
    recursion level by level in vectorised form.
    """
    R = _strict_ranks(V)
    rows = np.argsort(-R[0].astype(np.int64), kind="stable")  # column 0 descending
    dom = np.zeros(V.shape[0], dtype=bool)
    _kung(R, rows, dom)
    return dom


#: Row count below which the pruning recursion hands over to the flat divide and conquer.
_KUNG_MIN = 1 << 15


def _kung(R: np.ndarray, rows: np.ndarray, dom: np.ndarray) -> None:
    """Mark in ``dom`` the rows of ``rows`` (sorted by column 0, descending) that another row of
    ``rows`` dominates."""
    m = rows.shape[0]
    if m <= _KUNG_MIN:
        dom[rows] = _flat_dominated(_rerank(R, rows))
        return
    top, bottom = rows[: m // 2], rows[m // 2 :]
    _kung(R, top, dom)
    front = top[~dom[top]]
    hit = _cross_dominated(_rerank(R[1:], np.concatenate([front, bottom])), front.shape[0])
    dom[bottom[hit]] = True
    _kung(R, bottom[~hit], dom)


def _rerank(R: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Ranks of the subset ``rows`` (``0..len-1`` per column, same order), in ``O(m)``."""
    m = R.shape[1]
    out = np.empty((R.shape[0], rows.shape[0]), dtype=R.dtype)
    for j in range(R.shape[0]):
        sub = R[j, rows]
        seen = np.zeros(m, dtype=R.dtype)
        seen[sub] = 1
        np.cumsum(seen, out=seen)
        out[j] = seen[sub] - 1
    return out


def _layout(m: int) -> tuple[int, int]:
    """Leaf size and padded size ``n = leaf * 2**L >= m`` for ``m`` rows."""
    L = int(np.floor(np.log2(m / _LEAF))) if m > _LEAF else 0
    leaf = -(-m // (1 << L))
    return leaf, leaf << L


def _padded(R: np.ndarray, pos: np.ndarray, n: int) -> np.ndarray:
    """Ranks ``R`` (permutations of ``0..m-1``) placed at ids ``pos``, plus dummy ids
    ``m..n-1`` ranked below every real row in every column."""
    k, m = R.shape
    pad = n - m
    Rid = np.empty((k, n), dtype=R.dtype)
    dummy = np.arange(pad - 1, -1, -1, dtype=R.dtype)
    for j in range(k):
        Rid[j, pos] = R[j] + pad
        Rid[j, m:] = dummy
    return Rid


def _desc_orders(Rid: np.ndarray, cols: range) -> list[np.ndarray]:
    """For each column in ``cols``: all ids sorted by that column, descending (no sort needed:
    ranks are a permutation)."""
    n = Rid.shape[1]
    ar = np.arange(n, dtype=Rid.dtype)
    out = []
    for j in cols:
        o = np.empty(n, dtype=Rid.dtype)
        o[n - 1 - Rid[j]] = ar
        out.append(o)
    return out


def _flat_dominated(R: np.ndarray) -> np.ndarray:
    """Dominated mask for rows with strict ranks ``R`` (``k x m`` permutations), ``k >= 3``.

    Rows are relabelled by their rank in column 0 (descending), so only earlier rows can
    dominate later ones. A top-down recursion halves the label range (earlier half "red",
    later half "blue"); each red/blue cross query drops column 0 and recurses the same way on
    column 1 within each block, and so on, until two columns remain, which a segmented running
    maximum answers ([Ben80]_). All blocks of a level are processed at once with array
    reshapes (every block holds a power-of-two multiple of the leaf size, padded with dummy
    rows that dominate nothing). Blocks of leaf size are compared pairwise.
    """
    k, m = R.shape
    leaf, n = _layout(m)
    pos = (m - 1 - R[0]).astype(np.int64)  # id = position in column 0, descending
    Rid = _padded(R, pos, n)
    orders = [np.arange(n, dtype=R.dtype)] + _desc_orders(Rid, range(1, k - 1))
    dom = np.zeros(n, dtype=bool)
    _cdq_level(0, orders, n, None, Rid, dom, leaf)
    return dom[pos]


def _cross_dominated(R: np.ndarray, n_red: int) -> np.ndarray:
    """Which of the last ``m - n_red`` rows (blue) some of the first ``n_red`` rows (red)
    dominates, with strict ranks ``R`` (``k x m``, ``k >= 2``); the vectorised divide and
    conquer of :func:`_flat_dominated` without its first column."""
    k, m = R.shape
    if n_red == 0 or n_red == m:
        return np.zeros(m - n_red, dtype=bool)
    if k == 1:
        return R[0, n_red:] < R[0, :n_red].max()
    leaf, n = _layout(m)
    pos = np.arange(m)
    Rid = np.concatenate([np.zeros((1, n), dtype=R.dtype), _padded(R, pos, n)])
    role = np.zeros(n, dtype=np.int8)
    role[:n_red] = 1
    role[n_red:m] = 2
    orders = _desc_orders(Rid, range(1, k))
    dom = np.zeros(n, dtype=bool)
    _cdq_level(1, orders, n, role, Rid, dom, leaf)
    return dom[n_red:m]


def _cdq_level(d, orders, g, role, R, dom, leaf):
    """Mark blue ids dominated by a red id of the same block in columns ``d..k-1``.

    ``orders[i]`` lists all ids sorted by (block of ``g`` positions, column ``d+i`` descending);
    ``role`` is an int8 array over ids (1 red, 2 blue, 0 neither), or ``None`` when every id is
    both (the top level).
    """
    k, n = R.shape
    if d == k - 2:
        _sweep_2d(orders[0], g, role, R[k - 1], dom)
        return
    q = np.empty(n, dtype=R.dtype)
    q[orders[0]] = np.arange(n, dtype=R.dtype) % g  # rank in column d within the block
    cur = orders[1:]
    t = g
    while t > leaf:
        h = t // 2
        lower = (q % t) >= h
        if role is None:
            role2 = lower.view(np.int8) + np.int8(1)  # upper half red, lower half blue
        else:  # a red stays red in the upper half, a blue stays blue in the lower half
            role2 = np.where((role == 2) == lower, role, np.int8(0))
        _cdq_level(d + 1, cur, t, role2, R, dom, leaf)
        cur = [_partition(o, t, lower) for o in cur]
        t = h
    _leaf_pairs(orders[0], leaf, role, R[d + 1 :], dom)


def _partition(o: np.ndarray, t: int, lower: np.ndarray) -> np.ndarray:
    """Stable split of every block of ``t`` positions: upper-half ids first, then lower-half."""
    blocks = o.reshape(-1, t)
    lo = lower[blocks]
    h = t // 2
    out = np.empty_like(blocks)
    out[:, :h] = blocks[~lo].reshape(-1, h)
    out[:, h:] = blocks[lo].reshape(-1, h)
    return out.reshape(-1)


def _sweep_2d(o, g, role, last, dom):
    """Blocks of ``g`` positions of ``o`` (sorted by the penultimate column, descending):
    a blue is dominated iff some earlier red in its block has a larger last column."""
    v = last[o]
    if role is None:
        cm = np.maximum.accumulate(v.reshape(-1, g), axis=1).reshape(-1)
        hit = cm > v
    else:
        r = role[o]
        vals = np.where(r == 1, v, -1).reshape(-1, g)
        cm = np.maximum.accumulate(vals, axis=1).reshape(-1)
        hit = (cm > v) & (r == 2)
    dom[o[hit]] = True


def _leaf_pairs(o, leaf, role, Rrest, dom):
    """Brute force within blocks of ``leaf`` positions of ``o`` (earlier = larger current
    column): a blue is dominated by an earlier red that is larger in all remaining columns."""
    if leaf < 2:
        return
    blocks = o.reshape(-1, leaf)
    tri = np.triu(np.ones((leaf, leaf), dtype=bool), 1)  # tri[a, b]: a before b
    rows = max(1, _TMP // (leaf * leaf))
    for s in range(0, blocks.shape[0], rows):
        ids = blocks[s : s + rows]
        if role is None:
            M = tri[None, :, :]
        else:
            r = role[ids]
            M = (r == 1)[:, :, None] & (r == 2)[:, None, :] & tri
        for Rj in Rrest:
            v = Rj[ids]
            M = M & (v[:, :, None] > v[:, None, :])
        hit = M.any(axis=1)
        dom[ids[hit]] = True


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
