"""Convex-hull vertices (:func:`hull_rows`) and Carathéodory support reduction
(:func:`reduce_support`).

References
----------
.. [Caratheodory1907] Carathéodory, "Über den Variabilitätsbereich der Koeffizienten von
   Potenzreihen" (1907). Full entry: docs/references.md.
.. [BDH1996] Barber, Dobkin, Huhdanpaa, "The Quickhull algorithm for convex hulls" (1996).
   Full entry: docs/references.md.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import ConvexHull, QhullError

__all__ = ["hull_rows", "reduce_support"]


def reduce_support(points: np.ndarray, p: np.ndarray, max_support: int) -> np.ndarray:
    """Carathéodory reduction: new weights with at most ``max_support`` positive entries and the
    same mixture ``p @ points`` (up to rounding), when the points span a low enough affine space.

    Moves along a null vector ``z`` of ``[points^T; 1]`` (so ``z @ points = 0`` and
    ``sum z = 0``) until a weight reaches zero; repeats. Where no exact null vector exists
    (``s <= k + 1`` points in general position) it uses the smallest singular direction if it is
    numerically null, else stops.

    Examples
    --------
    >>> pts = np.array([[0.0, 1.0], [0.5, 0.5], [1.0, 0.0]])
    >>> w = reduce_support(pts, np.array([0.25, 0.5, 0.25]), 2)
    >>> int((w > 0).sum()), np.allclose(w @ pts, [0.5, 0.5])
    (2, True)
    """
    p = np.asarray(p, dtype=float).copy()
    points = np.asarray(points, dtype=float)
    span = max(1.0, float(np.abs(points).max(initial=0.0)))
    while True:
        act = np.flatnonzero(p > 0)
        if act.size <= max_support:
            return p
        M = np.vstack([points[act].T / span, np.ones(act.size)])
        _, sv, vt = np.linalg.svd(M)
        if act.size <= M.shape[0] and sv[-1] > 1e-7 * sv[0]:
            return p  # full rank: cannot reduce further
        z = vt[-1]
        if z.max() <= 0:
            z = -z
        pos = z > 1e-12 * np.abs(z).max()
        ratios = p[act][pos] / z[pos]
        j = int(np.argmin(ratios))
        new = p[act] - ratios[j] * z
        new[np.flatnonzero(pos)[j]] = 0.0
        new = np.clip(new, 0.0, None)
        new[new < 1e-15] = 0.0
        p[act] = new / new.sum()


def hull_rows(X: np.ndarray) -> np.ndarray:
    """Sorted indices of rows of ``X`` that are vertices of the convex hull of its rows.

    Every point of the hull is a mixture of these rows, so the lottery programmes lose nothing
    by using them only. Identical rows count once (the first is kept). The points are first
    projected on their affine hull (SVD), so that degenerate sets (for example utilities that
    always sum to a constant) work; Qhull (``scipy.spatial.ConvexHull``, Barber, Dobkin &
    Huhdanpaa 1996) then finds the vertices. Where Qhull cannot run (too many dimensions, or
    numerical trouble) every distinct row is returned.

    Examples
    --------
    >>> hull_rows(np.array([[0.0, 0.0], [1.0, 0.0], [0.2, 0.2], [0.0, 1.0], [1.0, 0.0]])).tolist()
    [0, 1, 3]
    """
    X = np.ascontiguousarray(X, dtype=float)
    key = (X.shape, X.tobytes())
    if key in _HULL_CACHE:
        return _HULL_CACHE[key].copy()
    rows = _hull_rows(X)
    if len(_HULL_CACHE) >= 8:
        _HULL_CACHE.pop(next(iter(_HULL_CACHE)))
    _HULL_CACHE[key] = rows
    return rows.copy()


#: The last few hulls (the lottery solutions of one frontier share one hull).
_HULL_CACHE: dict[tuple, np.ndarray] = {}


def _hull_rows(X: np.ndarray) -> np.ndarray:
    _, first = np.unique(X, axis=0, return_index=True)
    first = np.sort(first)
    M, k = X[first].shape
    if M <= 2:
        return first
    Y = X[first] - X[first].mean(axis=0)
    _, sv, vt = np.linalg.svd(Y, full_matrices=False)
    r = int((sv > 1e-10 * max(float(sv[0]), 1e-300)).sum())
    if r == 0:
        return first[:1]
    Z = Y @ vt[:r].T
    if r == 1:
        return np.unique(first[[int(np.argmin(Z[:, 0])), int(np.argmax(Z[:, 0]))]])
    if r > 8 or M <= r + 1:
        return first
    try:
        hull = ConvexHull(Z)
    except QhullError:  # pragma: no cover - numerical trouble: keep everything
        return first
    return np.sort(first[hull.vertices])
