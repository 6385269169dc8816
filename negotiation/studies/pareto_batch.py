"""Exact Pareto filters of many samples at once, for the batched sweep.

Part of :mod:`negotiation.studies.batch`. Each sample of a batch has its own feasible rows and
utilities (``n_s x P``); the rows of all samples are concatenated (``M x P``, sample by
sample). :func:`segment_pareto_mask` finds, for every sample, the rows no other row *of the same
sample* Pareto-dominates.

By default each segment goes to moocore's compiled filter (``is_nondominated`` with
``keep_weakly=True``: every copy of a non-dominated row is kept; the dimension sweep of
[KLP1975]_, ``O(n log n)`` for ``P <= 3`` and ``O(n log^{P-2} n)`` beyond), after a vectorised
screen over all segments drops the rows that ``P + 1`` per-segment maximisers of positively
weighted sums dominate. On the Ukraine sweep (about 1,200 feasible rows and 10 % Pareto rows
per sample) this takes about 0.26 ms per sample (0.32 ms without the screen), against 0.46 ms
for the vectorised champion rounds below. Its comparisons are exact float comparisons: it is
given the negated utilities (minimisation, negation is exact), so no rounding enters.

Champion rounds (``champions=B``, numpy, one vectorised pass over all samples per round)
---------------------------------------------------------------------------------------
Within each sample, order the rows by utility sum descending (by a float key that never
increases with the sum). If ``y`` dominates ``x`` (``y >= x`` everywhere, ``>`` once), then
``fl(sum y) >= fl(sum x)`` (rounding is monotone): a dominator comes first unless the keys are
equal. Each round takes the first ``B``
undecided rows of every sample as *champions*; every undecided row of the sample is compared
with them and dropped if one dominates it; the champions themselves are then decided (kept
unless dropped). A dominated row ``x`` has a non-dominated dominator ``y`` (finitely many rows),
which is never dropped and comes before ``x``, so ``y`` is a champion in ``x``'s round or
earlier and drops ``x``. Where ``y`` has the same key as ``x`` and comes after it, ``x`` may
survive: a last pass compares the kept rows of equal key (``y`` is kept) with one another. The result is exactly the set of non-dominated rows (Kung, Luccio & Preparata 1975,
"On finding the maxima of a set of vectors", JACM 22(4); the sum order is the usual presort).
Both ways give the same masks (tests/studies/test_pareto_batch.py checks both against brute
force).
Copies of a row never dominate one another, so ties are all kept.

Comparisons are exact float comparisons: the same answer as
:func:`negotiation.engine.pareto.pareto_mask` without a tolerance. :func:`tie_free` tells the
samples for which the tolerant filter (``tol`` from :mod:`negotiation.engine.tolerance`) gives
that same answer: when, in every column, distinct values of the sample are more than
``2 tol`` apart, no two of them tie (:func:`negotiation.engine.pareto.tie_ranks` merges gaps
``<= tol``) and no dominated row has a frontier row within ``[x, x + 2 tol]``
(:func:`negotiation.engine.pareto.near_ties`), on the whole sample and on every subset of it
(so also block by block).

Examples
--------
>>> U = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0], [0.5, 0.5], [0.4, 0.4], [0.5, 0.5]])
>>> segment_pareto_mask(U, np.array([0, 3, 6])).tolist()
[True, True, False, True, False, True]
>>> segment_pareto_mask(U, np.array([0, 3, 6]), champions=2).tolist()
[True, True, False, True, False, True]

References
----------
.. [KLP1975] Kung, Luccio & Preparata, "On finding the maxima of a set of vectors", JACM 22(4),
   1975. Full entry: docs/references.md.
"""

from __future__ import annotations

import numpy as np

__all__ = ["segment_pareto_mask", "tie_free", "CHAMPIONS"]

#: Champions per sample and round (with ``champions=CHAMPIONS``: the numpy path).
CHAMPIONS = 16


def _segments(bounds: np.ndarray) -> np.ndarray:
    """Sample number of every row, from the ``S + 1`` segment bounds."""
    return np.repeat(np.arange(bounds.size - 1), np.diff(bounds))


def segment_pareto_mask(
    U: np.ndarray, bounds: np.ndarray, champions: int | None = None
) -> np.ndarray:
    """Mask of the rows of ``U`` that no row of the same segment Pareto-dominates.

    Parameters
    ----------
    U
        ``M x P`` finite float utilities (maximisation), the rows of sample ``s`` being
        ``U[bounds[s]:bounds[s + 1]]``.
    bounds
        Non-decreasing segment bounds, ``bounds[0] == 0`` and ``bounds[-1] == M``.
    champions
        ``None`` (default): moocore's filter per segment. A number ``B``: the numpy champion
        rounds with ``B`` rows per sample and round (the module docstring).

    Returns
    -------
    numpy.ndarray
        Boolean mask of length ``M``: exactly the non-dominated rows of each segment.
    """
    U = np.asarray(U, dtype=np.float64)
    M, P = U.shape
    keep = np.zeros(M, dtype=bool)
    if M == 0:
        return keep
    if champions is None:
        return _moocore_mask(U, np.asarray(bounds))
    seg = _segments(np.asarray(bounds))
    key, order = _sum_order(U.sum(axis=1), seg)
    cols = [np.ascontiguousarray(U[order, j]) for j in range(P)]
    live = np.arange(M)  # sorted positions of the undecided rows, by sample then order
    while live.size:
        s = seg[order[live]]
        first = np.flatnonzero(np.r_[True, s[1:] != s[:-1]])
        counts = np.diff(np.r_[first, live.size])
        rank = np.arange(live.size) - np.repeat(first, counts)
        group = np.repeat(np.arange(first.size), counts)
        B = int(min(champions, counts.max()))
        is_champ = rank < B
        X = [c[live] for c in cols]
        # champion table per column: group x B, padded with -inf (never dominates)
        C = []
        for x in X:
            t = np.full((B, first.size), -np.inf)
            t[rank[is_champ], group[is_champ]] = x[is_champ]
            C.append(t)
        dominated = np.zeros(live.size, dtype=bool)
        ge, gt = np.empty(live.size, dtype=bool), np.empty(live.size, dtype=bool)
        for b in range(B):
            c = np.repeat(C[0][b], counts)
            np.greater_equal(c, X[0], out=ge)
            np.greater(c, X[0], out=gt)
            for j in range(1, P):
                c = np.repeat(C[j][b], counts)
                ge &= c >= X[j]
                gt |= c > X[j]
            ge &= gt
            dominated |= ge
        keep[order[live[is_champ & ~dominated]]] = True
        live = live[~is_champ & ~dominated]
    _equal_keys(U, seg, key, order, keep)
    return keep


def _moocore_mask(U: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """moocore's exact filter on each segment (of the negated, C-contiguous rows), after
    :func:`_screen_by_maximisers` has dropped the rows a few maximisers dominate."""
    import moocore  # slow to import: on first use

    M, P = U.shape
    keep = np.zeros(M, dtype=bool)
    idx = np.flatnonzero(_screen_by_maximisers(U, bounds)) if P > 1 else np.arange(M)
    neg = np.negative(U[idx], order="C")
    cut = np.searchsorted(idx, bounds).tolist()
    nondominated = moocore.is_nondominated
    for lo, hi in zip(cut[:-1], cut[1:], strict=True):
        if hi - lo > 1:
            keep[idx[lo:hi]] = nondominated(neg[lo:hi], keep_weakly=True)
        elif hi > lo:
            keep[idx[lo]] = True
    return keep


def _screen_by_maximisers(U: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Rows of each segment not strictly dominated by the segment's maximiser of ``sum(u)`` or
    of ``sum(u) + 2 u_j`` (one per column): a superset of the non-dominated rows (a row is
    dropped only where a row of its segment dominates it). On the Ukraine sweep these ``P + 1``
    champions drop 64 % of the feasible rows, in one vectorised pass over all segments each,
    and moocore's time falls with its input.

    A row ``x`` is dropped when ``c >= x`` in every column and ``key(x) != key(c)`` for its
    segment's champion ``c``: then ``x != c`` (equal rows have equal keys, computed by the same
    operations), so ``c`` dominates ``x``. Rows with the champion's key are kept (copies of the
    champion among them): the screen stays a superset, one comparison per column cheaper
    than testing ``c > x`` somewhere (0.156 -> 0.114 s per 1,000 Ukraine samples with the
    column-by-column sum below).
    """
    M, P = U.shape
    if M == 0:
        return np.zeros(0, dtype=bool)
    cols = [np.ascontiguousarray(U[:, j]) for j in range(P)]
    counts = np.diff(bounds)
    sizes, starts = counts[counts > 0], bounds[:-1][counts > 0]
    seg = np.repeat(np.arange(sizes.size), sizes)
    alive = np.ones(M, dtype=bool)
    ge, tmp = np.empty(M, dtype=bool), np.empty(M, dtype=bool)
    with np.errstate(over="ignore", invalid="ignore"):  # a heuristic key; the checks are exact
        total = cols[0].copy()  # column by column: 3x faster than a sum over 4-wide rows
        for x in cols[1:]:
            total += x
        for w in range(-1, P):
            key = total if w < 0 else total + 2.0 * cols[w]
            same = key == np.repeat(np.maximum.reduceat(key, starts), sizes)
            hits = np.flatnonzero(same)
            champ = hits[np.r_[True, seg[hits][1:] != seg[hits][:-1]]]
            if champ.size != sizes.size:  # a non-finite key: no champion for some segment
                break
            for j, x in enumerate(cols):
                c = np.repeat(x[champ], sizes)
                np.greater_equal(c, x, out=ge if j == 0 else tmp)
                if j:
                    ge &= tmp
            # c >= x everywhere and x != c: dominated. A row with the champion's key is kept
            # (it may be a copy of it); any other differs from it (equal rows: equal keys).
            ge &= ~same
            alive &= ~ge
    return alive


def _sum_order(total: np.ndarray, seg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A sort key non-increasing in the sum within each sample, samples apart, and the order.

    ``key = seg * C + fl(max - total)`` with ``C`` a power of two above twice the spread of the
    sums: ``seg * C`` is exact and rounding is monotone, so the key never decreases as the sum
    decreases, and the samples' key ranges do not overlap. One quicksort of one float key
    instead of a two-key stable sort; rows of equal key (equal or nearly equal sums) may come
    in any order, which :func:`_equal_keys` settles.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        t = total.max() - total
        spread = float(t.max())
        if np.isfinite(spread) and seg[-1] < 2**40:
            C = 2.0 ** (np.frexp(2.0 * spread + 1.0)[1] + 1)
            key = seg * C + t
            if np.isfinite(key).all():
                return key, np.argsort(key)
    order = np.argsort(-total, kind="stable")  # overflowing sums: two stable sorts
    return -total, order[np.argsort(seg[order], kind="stable")]


def _equal_keys(
    U: np.ndarray, seg: np.ndarray, key: np.ndarray, order: np.ndarray, keep: np.ndarray
) -> None:
    """Drop the kept rows dominated by a kept row of equal sort key in their sample (such a
    dominator may come after them in the order; module docstring). In place."""
    k = order[keep[order]]  # kept rows, by sample then sum descending
    if k.size < 2:
        return
    same = (seg[k][1:] == seg[k][:-1]) & (key[k][1:] == key[k][:-1])
    if not same.any():
        return
    run = np.concatenate(([0], np.cumsum(~same)))  # run number of each kept row
    starts = np.flatnonzero(np.r_[True, ~same])
    sizes = np.diff(np.r_[starts, k.size])
    in_run = np.repeat(sizes, sizes) > 1
    k, run = k[in_run], run[in_run]
    V = U[k]
    dominated = np.zeros(k.size, dtype=bool)
    for d in range(1, int(sizes.max())):
        a, b = np.arange(k.size - d), np.arange(d, k.size)
        pair = run[a] == run[b]
        a, b = a[pair], b[pair]
        ge_ab, gt_ab = np.all(V[a] >= V[b], axis=1), np.any(V[a] > V[b], axis=1)
        ge_ba, gt_ba = np.all(V[b] >= V[a], axis=1), np.any(V[b] > V[a], axis=1)
        dominated[b[ge_ab & gt_ab]] = True
        dominated[a[ge_ba & gt_ba]] = True
    keep[k[dominated]] = False


def tie_free(U: np.ndarray, bounds: np.ndarray, tol: np.ndarray) -> np.ndarray:
    """Per segment: whether, in every column ``j``, distinct values lie more than
    ``2 tol[s, j]`` apart (then the tolerant Pareto filter equals the exact one; module
    docstring).

    Parameters
    ----------
    U
        ``M x P`` utilities, segments as in :func:`segment_pareto_mask`.
    bounds
        ``S + 1`` segment bounds.
    tol
        ``S x P`` non-negative tie tolerances.

    Examples
    --------
    >>> U = np.array([[0.5, 0.0], [0.5 + 1e-15, 1.0], [0.5, 0.0], [0.7, 1.0]])
    >>> tie_free(U, np.array([0, 2, 4]), np.full((2, 2), 1e-14)).tolist()
    [False, True]
    """
    U = np.asarray(U, dtype=np.float64)
    S = bounds.size - 1
    ok = np.ones(S, dtype=bool)
    if U.shape[0] < 2:
        return ok
    # Screen: sort each column over all samples at once. If no two distinct values of the
    # whole batch are within the largest tolerance, no two of one sample are.
    # Column by column; the few gaps within reach are then tested for being gaps at all.
    reach = 2.0 * tol.max(axis=0)
    close = []
    with np.errstate(invalid="ignore"):
        for col in range(U.shape[1]):
            v = np.sort(U[:, col])
            g = v[1:] - v[:-1]
            near = g <= reach[col]
            close.append(bool(near.any() and np.any(g[near] > 0)))
    if not any(close):
        return ok
    seg = _segments(np.asarray(bounds))
    for j in np.flatnonzero(close):
        order = np.lexsort((U[:, j], seg))
        v, s = U[order, j], seg[order]
        gap = np.diff(v)
        same = s[1:] == s[:-1]
        bad = same & (gap > 0) & (gap <= 2.0 * tol[s[1:], j])
        ok[s[1:][bad]] = False
    return ok
