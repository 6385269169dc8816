"""Exact utilities of many (sample, outcome) pairs, bit-identical to the enumeration engine.

Part of the batched sweep (:mod:`negotiation.studies.batch`). The enumeration engine
(:meth:`Scenario.utilities <negotiation.model.scenario.Scenario.utilities>`) adds a party's
per-issue table entries in issue order, starting from zero, then its bonuses:

.. math::

    u = \\mathrm{fl}(\\cdots\\mathrm{fl}(\\mathrm{fl}(0 + t_0) + t_1) \\cdots + t_{I-1})
        \\; [+ \\beta_1 + \\cdots].

Float addition is not associative, so the pairs' utilities must be summed in exactly this
order. But the partial sum after the first ``k`` issues depends only on those issues' levels:
for every sample it is a table over the ``prod(sizes[:k])`` level combinations (built in the
same order, entry by entry the same float operations), and each pair needs one look-up in that
table instead of ``k`` (:func:`prefix_issues` picks ``k`` so the tables hold no more entries
than there are pairs). The remaining issues are added one by one, as before.

Examples
--------
>>> import numpy as np
>>> T = np.arange(2 * 3 * 2 * 1, dtype=float).reshape(2, 3, 2, 1) / 7  # S x I x Lmax x P
>>> levels = np.array([[0, 1, 1], [1, 0, 1]])
>>> u = pair_utilities(T, [2, 2, 2], levels, (), np.array([0, 1]), np.array([1, 0]), k=2)
>>> bool(u[0, 0] == ((0 + T[0, 0, 1, 0]) + T[0, 1, 0, 0]) + T[0, 2, 1, 0])
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = ["pair_utilities", "prefix_issues", "pair_indices", "all_at_least"]


def prefix_issues(sizes: Sequence[int], n_samples: int, n_pairs: int) -> int:
    """How many leading issues to merge into one table: the most whose level combinations,
    times the samples, do not outnumber the pairs (at least 1)."""
    k, combos = 1, max(1, int(sizes[0])) if sizes else 1
    while k < len(sizes) and n_samples * combos * max(1, int(sizes[k])) <= n_pairs:
        combos *= max(1, int(sizes[k]))
        k += 1
    return k


def pair_utilities(
    T: np.ndarray,
    sizes: Sequence[int],
    levels: np.ndarray,
    bonus_terms: Sequence[tuple[int, float, np.ndarray]],
    s_idx: np.ndarray,
    n_idx: np.ndarray,
    k: int | None = None,
    cache: dict | None = None,
) -> np.ndarray:
    """``M x P`` utilities of the pairs ``(s_idx[m], n_idx[m])``, summed as the engine sums.

    Parameters
    ----------
    T
        ``S x I x Lmax x P`` per-sample score tables (:class:`~negotiation.studies.numbers.Numbers`).
    sizes
        Levels per issue (``I``).
    levels
        ``N x I`` level rows of the outcomes ``n_idx`` points into.
    bonus_terms
        ``(party, value, N mask)`` in the order the engine adds them.
    s_idx, n_idx
        Sample and outcome of each pair.
    k
        Leading issues merged into one table (default :func:`prefix_issues`).
    cache
        A dict kept with ``levels`` (the same ``levels``, ``sizes`` and ``bonus_terms`` at
        every call) for the per-outcome look-up columns and bonus products, or ``None``.
    """
    S, n_issues, Lmax, P = T.shape
    M = n_idx.size
    if n_issues == 0:
        u = np.zeros((M, P))
    else:
        if k is None:
            k = prefix_issues(sizes, S, M)
        k = max(1, min(k, n_issues))
        look = _look_ups(levels, sizes, k, Lmax, {} if cache is None else cache)
        # prefix table: S x combos x P, combos of the first k issues in mixed radix (issue 0 first)
        Q = np.zeros((S, 1, P)) + T[:, 0, : sizes[0], :]
        for j in range(1, k):
            Q = (Q[:, :, None, :] + T[:, j, None, : sizes[j], :]).reshape(S, -1, P)
        # every pair's table rows at once: its prefix code, then issue i's row (s, i, l) of T
        # at (s * I + i) * Lmax + l, for each issue after the prefix
        rows = np.take(look, n_idx, axis=0)  # M x (1 + I - k), one gather
        ix = np.empty((look.shape[1], M), dtype=np.int64)
        np.multiply(s_idx, Q.shape[1], out=ix[0])
        ix[0] += rows[:, 0]
        np.add(rows[:, 1:].T, s_idx * (n_issues * Lmax), out=ix[1:])
        u = np.take(Q.reshape(-1, P), ix[0], axis=0)
        flat = T.reshape(-1, P)
        for j in range(1, look.shape[1]):
            u += np.take(flat, ix[j], axis=0)
    if bonus_terms:
        store = {} if cache is None else cache
        if "bonus" not in store:  # value * mask per outcome: the same products, made once
            store["bonus"] = [value * mask for _, value, mask in bonus_terms]
        for (p, _, _), column in zip(bonus_terms, store["bonus"], strict=True):
            u[:, p] += np.take(column, n_idx)
    return u


def _look_ups(
    levels: np.ndarray, sizes: Sequence[int], k: int, Lmax: int, cache: dict
) -> np.ndarray:
    """Per outcome (``N x (1 + I - k)``, int32, cached in ``cache``): the mixed-radix code of
    its first ``k`` levels, then for each later issue ``i`` the offset ``i * Lmax + level`` of
    its table row."""
    key = ("look-ups", k, Lmax)
    if key not in cache:
        code = levels[:, 0].astype(np.int64)
        for j in range(1, k):
            code = code * sizes[j] + levels[:, j]
        columns = [code] + [
            np.asarray(levels[:, i], dtype=np.int64) + i * Lmax for i in range(k, levels.shape[1])
        ]
        small = math.prod(sizes[:k]) < 2**31 and levels.shape[1] * Lmax < 2**31
        cache[key] = np.ascontiguousarray(
            np.stack(columns, axis=1).astype(np.int32 if small else np.int64)
        )
    return cache[key]


def pair_indices(maybe: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs a screen leaves: sample and candidate row of every ``True`` of ``maybe``
    (``S x len(rows)``), by sample then column (as ``np.nonzero``), and each sample's count.
    One flat scan instead of a two-dimensional one (three times faster).

    >>> maybe = np.array([[True, False, True], [False, True, False]])
    >>> s, n, c = pair_indices(maybe, np.array([4, 7, 9]))
    >>> s.tolist(), n.tolist(), c.tolist()
    ([0, 0, 1], [4, 9, 7], [2, 1])
    """
    S, width = maybe.shape
    flat = np.flatnonzero(maybe)
    s_idx = flat // max(1, width)
    counts = np.bincount(s_idx, minlength=S)
    return s_idx, rows[flat - s_idx * width], counts


def all_at_least(u: np.ndarray, low: np.ndarray) -> np.ndarray:
    """Per row, ``(u >= low).all(axis=1)`` (``NaN`` compares false), for ``M x P`` arrays;
    with ``P`` of 1, 2, 4 or 8 the row's ``P`` booleans are read as one integer.

    >>> u, low = np.array([[1.0, 2.0], [1.0, 0.0]]), np.array([[0.5, 2.0], [0.5, 0.5]])
    >>> all_at_least(u, low).tolist()
    [True, False]
    """
    g = u >= low
    width = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}.get(g.shape[1])
    if width is None or not g.flags.c_contiguous:
        return np.logical_and.reduce(g, axis=1)
    ones = int.from_bytes(b"\x01" * g.shape[1], "little")  # every byte 1, either byte order
    return np.equal(g.view(width).reshape(g.shape[0]), ones)
