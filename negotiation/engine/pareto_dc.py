"""Exact dominated-row filter for large frontiers: divide and conquer on strict ranks.

Kung, Luccio & Preparata's recursion on column 0 [KLP1975]_ whose red/blue cross queries and
small subproblems run Bentley's multidimensional divide and conquer [Bentley1980]_ vectorised
level by level (see :mod:`negotiation.engine.pareto` for where it sits in the filter).
``O(N log^(k-2) N)`` work in the worst case (every row non-dominated).

References
----------
See :mod:`negotiation.engine.pareto` ([KLP1975]_, [Bentley1980]_).
"""

from __future__ import annotations

import numpy as np

#: Smallest leaf of the divide and conquer (blocks compared by brute force).
_LEAF = 32
#: Elements per temporary boolean array (bounds memory of the broadcast comparisons).
_TMP = 1 << 22


def _cdq_cost(m: int, k: int) -> float:
    """Measured cost of :func:`_cdq_dominated` on ``m`` rows in block-filter pair comparisons
    (about ``36 / 2^(k-3) * m * log2(m / leaf)^(k-2)``)."""
    levels = max(1.0, float(np.log2(max(m, 2) / _LEAF)))
    return 36.0 / 2.0 ** (k - 3) * m * levels ** (k - 2)


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
    maximum answers ([Bentley1980]_). All blocks of a level are processed at once with array
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
