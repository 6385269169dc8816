"""The exact Pareto filter's kernels: the ``k = 1`` and ``k = 2`` filters, the screens (grid,
champions), the sort by weighted sum and the block filter, and the hand-over of large frontiers
to moocore or to the divide and conquer (:mod:`negotiation.engine.pareto_dc`).

The algorithms and their costs are described in :mod:`negotiation.engine.pareto`.
"""

from __future__ import annotations

import numpy as np

from negotiation.engine import pareto_dc as _dc

#: Below this many rows the grid screen is skipped (it would not pay for itself).
_GRID_MIN_ROWS = 4096
#: Cells of the grid screen: at most this many (the suffix-OR touches each cell ``k`` times).
_GRID_MAX_CELLS = 1 << 18
#: Candidate rows per block of the block filter.
_BLOCK = 512
#: Frontier rows per chunk compared against a block.
_CHUNK = 1024
#: Hand large frontiers (k >= 3) to moocore (tests switch it off to exercise the numpy divide
#: and conquer).
USE_MOOCORE = True


def _pareto_mask_exact(X: np.ndarray, far: list | None = None) -> np.ndarray:
    """Exact mask. With ``far`` (a list), appends the mask of rows the grid screen did not find
    dominated by a margin of a whole cell in every column (``None`` when no screen ran), and the
    cell widths."""
    n, k = X.shape
    if k == 1:
        return X[:, 0] == X[:, 0].max()
    cand = None
    grid = True
    if far is None and n >= _GRID_MIN_ROWS:
        share = _sample_front_share(X) if k >= 3 and USE_MOOCORE else 0.0
        if share > 0.5:  # mostly non-dominated: straight to the large-frontier filter
            return _large_front_mask(X, screen=share < _ALL_FRONT)
        # A chain of champions (largest sums among the survivors) first: drops most of a
        # random cloud before the grid (not with ``far``, which needs the grid on every row).
        cand = _chain_screen(X)
        if cand is not None:
            X = X.take(cand, axis=0)
        else:  # nothing below the top-sum row in every column: a grid would not drop much
            grid = False
    if grid and X.shape[0] >= _GRID_MIN_ROWS:
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
    order = np.argsort(-a)  # not stable: equal u0 form one group, whatever their order
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


def _sample_front_share(X: np.ndarray, sample: int = 512) -> float:
    """Share of a seeded sample of rows that is mutually non-dominated. Over 1/2: the chain
    screen and the block filter cannot pay for themselves (points on a simplex, many parties,
    opposed interests) and the rows go to the large-frontier filter (moocore)."""
    n = X.shape[0]
    idx = np.random.default_rng(1975).choice(n, size=min(sample, n), replace=False)
    return float(_mask_kd(X[idx], champions=False).mean())


#: Sample share above which the rows are taken as all non-dominated (no grid screen first).
_ALL_FRONT = 0.9


def _large_front_mask(X: np.ndarray, screen: bool) -> np.ndarray:
    """Mask of the non-dominated rows of ``X`` by the large-frontier filter, after the grid
    screen when ``screen`` (some of a sample was dominated: the grid drops 90 % of an opposed
    negotiation of ``2^17 x 3`` in one ``O(N k)`` pass; on a simplex it would drop nothing)."""
    if screen:
        keep = _grid_screen(X)
        if not keep.all():
            cand = np.flatnonzero(keep)
            mask = np.zeros(X.shape[0], dtype=bool)
            mask[cand[~_large_front_dominated(X.take(cand, axis=0))]] = True
            return mask
    return ~_large_front_dominated(X)  # moocore keeps every copy of a tie


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
            widths[j] = half / g * 2.0 * (1.0 - 1e-9)  # a hair under the bin width
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


def _chain_screen(X: np.ndarray) -> np.ndarray | None:
    """Indices of the rows that survive a chain of champions (a superset of the non-dominated
    rows), or ``None`` when the screen removed nothing.

    The first champion ``c`` is the row of largest plain sum; every row with ``x_j < c_j`` in
    every column is strictly dominated by ``c`` and dropped (``k`` strided comparisons, one
    pass over ``X``). Then, on the (contiguous, column-major) survivors, the next champion is
    the survivor of largest sum not yet used, and so on: the presorting idea of SFS
    (Chomicki et al. 2003) with one vectorised pass per champion, while the last ``k``
    champions together dropped at least 1/256 of the survivors (at most :data:`_CHAIN_MAX`):
    a champion costs one pass over the survivors, the block filter about one pass per frontier
    row, so a champion pays while it drops more than that share. Only strict dominance is
    used, so every copy of a tie survives unless strictly dominated.

    References: J. Chomicki, P. Godfrey, J. Gryz, D. Liang, "Skyline with presorting", ICDE
    2003 (SFS).
    """
    n, k = X.shape
    if n == 0:
        return None
    s, alive = _first_champion_pass(X)
    idx = np.flatnonzero(alive)
    if idx.shape[0] == n:
        return None
    cols = np.ascontiguousarray(X.take(idx, axis=0).T)
    score = s[idx]
    score[np.isnan(score)] = -np.inf
    recent = [idx.shape[0]] * k  # survivors before each of the last k champions
    for r in range(_CHAIN_MAX):
        m = idx.shape[0]
        if m < _CHAIN_MIN_ROWS or (r >= 2 * k and (recent[r % k] - m) * 256 < m):
            break  # the last k champions together dropped under 1/256 of the survivors
        recent[r % k] = m
        best = int(np.argmax(score))
        if score[best] == -np.inf:
            break
        c = cols[:, best].copy()
        dom = np.less(cols[0], c[0])
        tmp = np.empty(m, dtype=bool)
        for j in range(1, k):
            np.less(cols[j], c[j], out=tmp)
            dom &= tmp
        score[best] = -np.inf  # used; it stays in (never strictly below itself)
        n_dom = int(np.count_nonzero(dom))
        if n_dom:
            keep = ~dom
            idx, cols, score = idx[keep], cols[:, keep], score[keep]
    return idx


def _first_champion_pass(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row sums of ``X`` and the mask of rows not strictly below the running champion (the row
    of largest sum so far) in every column, computed chunk by chunk while the chunk is in
    cache (one read of ``X`` from memory instead of ``k + 1`` strided ones)."""
    n, k = X.shape
    ones = np.ones(k)
    s = np.empty(n)
    alive = np.empty(n, dtype=bool)
    tmp = np.empty(min(n, _PASS_ROWS), dtype=bool)
    best, c = -np.inf, X[0]
    with np.errstate(all="ignore"):  # the choice of champions is a heuristic; checks are exact
        for a in range(0, n, _PASS_ROWS):
            b = min(a + _PASS_ROWS, n)
            Xc, sc, al, t = X[a:b], s[a:b], alive[a:b], tmp[: b - a]
            np.matmul(Xc, ones, out=sc)
            i = int(np.argmax(sc))
            if sc[i] > best:
                best, c = sc[i], Xc[i]
            np.less(Xc[:, 0], c[0], out=al)
            for j in range(1, k):
                np.less(Xc[:, j], c[j], out=t)
                al &= t
            np.logical_not(al, out=al)
    return s, alive


#: Rows per chunk of the first champion pass (a few hundred KB: stays in cache).
_PASS_ROWS = 1 << 14
#: The chain screen stops below this many survivors (the block filter is cheaper there).
_CHAIN_MIN_ROWS = 64
#: Most champions the chain screen tries after the first.
_CHAIN_MAX = 64


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
    """The ``moocore`` module (a dependency; imported on first use: it is slow to import)."""
    import moocore

    return moocore


def _handover_cost(m: int, k: int) -> float:
    """Cost (in block-filter pair comparisons) of finishing ``m`` distinct rows with the
    large-frontier filter: moocore's compiled filter (measured: about ``m log2 m`` pair
    comparisons' worth per column), or :func:`~negotiation.engine.pareto_dc._cdq_cost` when
    :data:`USE_MOOCORE` is off."""
    if USE_MOOCORE:
        return 0.5 * m * max(1.0, float(np.log2(max(m, 2)))) * k
    return _dc._cdq_cost(m, k)


def _large_front_dominated(V: np.ndarray) -> np.ndarray:
    """Dominated-row mask of distinct rows ``V`` with a large frontier: moocore's
    ``is_nondominated`` (C; [KLP1975]_ for ``k = 3``, the skyline of Kung et al. beyond) when
    :data:`USE_MOOCORE`, else :func:`~negotiation.engine.pareto_dc._cdq_dominated` (numpy).
    With moocore the rows need not be distinct (every copy of a tie is kept)."""
    if USE_MOOCORE:
        nd = _moocore().is_nondominated(np.ascontiguousarray(V), maximise=True, keep_weakly=True)
        return ~np.asarray(nd, dtype=bool)
    return _dc._cdq_dominated(V)
