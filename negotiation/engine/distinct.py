"""Distinct utility vectors: collapse identical rows before a Pareto filter, then expand.

Dominance is a relation between utility *vectors*: two outcomes with bit-identical vectors are
dominated by the same rows and dominate the same rows. So the Pareto mask of an ``N x k``
matrix ``U`` is the mask of its ``D`` distinct rows read back through the inverse map,

    ``pareto_mask(U) == pareto_mask(unique(U))[inverse]``,

and the filter's cost falls from ``N`` rows to ``D`` (GENIUS's ``AgentHp2`` has 924,385
Pareto-feasible outcomes on 589 distinct vectors). The outcome set itself is unchanged.

:func:`distinct_rows` finds the distinct rows in linear expected time, without sorting the
``N`` rows (``numpy.unique(axis=0)`` sorts them as byte strings): each column is hashed into
codes (:func:`pandas.factorize`; ``0.0`` and ``-0.0`` are one value), the codes are combined into
one integer key in mixed radix (``key = sum_j code_j prod_{i>j} n_i``, exact while
``prod_j n_j < 2**62``; wider rows are keyed again column by column), the keys are hashed into
row codes, and only the ``D`` distinct rows are sorted.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

__all__ = ["distinct_rows", "collapsed_mask"]

_KEY_LIMIT = 1 << 62


def _row_codes(U: np.ndarray) -> tuple[np.ndarray, int]:
    """Per row a code in ``0..D-1``, equal exactly for equal rows, and ``D``."""
    n, k = U.shape
    key = np.zeros(n, dtype=np.int64)
    radix = 1
    for j in range(k):
        codes, uniques = pd.factorize(U[:, j])
        size = max(len(uniques), 1)
        if radix * size >= _KEY_LIMIT:  # re-key the columns so far: at most n codes
            key, kept = pd.factorize(key)
            radix = max(len(kept), 1)
        key = key * size + codes.astype(np.int64)
        radix *= size
    codes, uniques = pd.factorize(key)
    return codes.astype(np.int64), len(uniques)


def distinct_rows(U: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of ``U`` and, per row of ``U``, the index of its distinct row.

    Rows are equal when every entry compares equal (``0.0 == -0.0``; NaN is not expected).

    Parameters
    ----------
    U
        ``N x k`` real matrix (not modified).

    Returns
    -------
    tuple of numpy.ndarray
        ``(D, inverse)`` with ``D[inverse] == U`` row for row; the rows of ``D`` sorted
        lexicographically (first column most significant), as ``numpy.unique(U, axis=0)``.

    Examples
    --------
    >>> U = np.array([[0.5, 1.0], [0.2, 0.3], [0.5, 1.0]])
    >>> D, inv = distinct_rows(U)
    >>> D.tolist(), inv.tolist()
    ([[0.2, 0.3], [0.5, 1.0]], [1, 0, 1])
    >>> bool((D[inv] == U).all())
    True
    """
    U = np.asarray(U)
    if U.ndim != 2:
        raise ValueError(f"distinct_rows() needs a 2-D matrix, got shape {U.shape}")
    if U.shape[0] == 0:
        return U.copy(), np.zeros(0, dtype=np.int64)
    codes, d = _row_codes(U)
    # Codes number rows in order of first appearance: a row is a first one where the running
    # maximum of the codes grows.
    top = np.maximum.accumulate(codes)
    first = np.flatnonzero(np.concatenate(([True], top[1:] > top[:-1])))
    D = U[first]
    order = np.lexsort(D.T[::-1]) if D.shape[1] else np.arange(d)
    rank = np.empty(d, dtype=np.int64)
    rank[order] = np.arange(d)
    return D[order], rank[codes]


def collapsed_mask(
    U: np.ndarray, mask: Callable[[np.ndarray], np.ndarray], *, min_ratio: float = 2.0
) -> np.ndarray:
    """``mask(U)`` computed on the distinct rows of ``U`` when that saves work.

    ``mask`` must be a function of each row's *vector* (as a Pareto mask is: see the module
    docstring). The collapse is used when ``U`` has at least ``min_ratio`` times more rows than
    distinct rows; otherwise ``mask(U)`` is returned directly.

    Examples
    --------
    >>> from negotiation.engine.pareto import pareto_mask
    >>> U = np.array([[1.0, 0.0], [0.2, 0.2], [0.5, 0.5], [1.0, 0.0], [0.2, 0.2]] * 20)
    >>> collapsed_mask(U, pareto_mask)[:5].tolist()
    [True, False, True, True, False]
    """
    U = np.asarray(U)
    if U.shape[0] < 64:
        return np.asarray(mask(U), dtype=bool)
    D, inverse = distinct_rows(U)
    if D.shape[0] * min_ratio > U.shape[0]:
        return np.asarray(mask(U), dtype=bool)
    return np.asarray(mask(D), dtype=bool)[inverse]
