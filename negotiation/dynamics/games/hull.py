"""The two players' lottery frontier: the concave hull of their Pareto points, and the exact
Nash solution on it.

* :class:`ConcaveFrontier` -- for two players, the upper-right boundary of the convex hull of
  their Pareto points, in gains over the disagreement point: the piecewise-linear frontier of
  the *lotteries* over the deals (von Neumann & Morgenstern 1944 [vonNeumannMorgenstern1944]_; any
  point on a hull edge is a lottery of the two adjacent deals).
* :func:`hull_nash` -- the (asymmetric) Nash solution on that piecewise-linear frontier, exact.

References
----------
.. [vonNeumannMorgenstern1944] von Neumann, Morgenstern, *Theory of Games and Economic Behavior*
   (1944). Full entry: docs/references.md.
.. [Nash1950] Nash, "The bargaining problem" (1950). Full entry: docs/references.md.
.. [Kalai1977a] Kalai, "Nonsymmetric Nash solutions and replications of 2-person bargaining" (1977).
   Full entry: docs/references.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["ConcaveFrontier", "hull_nash"]


@dataclass(frozen=True, eq=False)
class ConcaveFrontier:
    """The upper-right boundary of the convex hull of two players' Pareto points.

    In gains over the disagreement point: ``a`` (player 1) ascending, ``b`` (player 2)
    strictly descending, at the hull's vertices ``vertex`` (rows of the point set; collinear
    points are kept). Between two vertices the frontier is the segment of lotteries of the two
    deals. :meth:`phi` maps player 1's gain to player 2's largest gain on it, :meth:`psi` is
    its inverse; both are exact (linear interpolation).

    Examples
    --------
    >>> f = ConcaveFrontier.from_points(np.array([[0.0, 1.0], [0.4, 0.4], [1.0, 0.0]]))
    >>> f.vertex.tolist()  # (0.4, 0.4) lies under the segment from (0, 1) to (1, 0)
    [0, 2]
    >>> float(f.phi(0.25))
    0.75
    """

    a: np.ndarray
    b: np.ndarray
    vertex: np.ndarray

    @classmethod
    def from_points(cls, gains: np.ndarray) -> ConcaveFrontier:
        """Hull frontier of an ``K x 2`` array of mutually non-dominated points (any order)."""
        P = np.asarray(gains, dtype=float)
        if P.ndim != 2 or P.shape[1] != 2 or P.shape[0] == 0:
            raise ValueError("need a non-empty K x 2 array of points")
        order = np.lexsort((-P[:, 1], P[:, 0]))
        hull: list[int] = []
        scale = max(1.0, float(np.abs(P).max()))
        for k in order:
            while len(hull) >= 2:
                o, m = P[hull[-2]], P[hull[-1]]
                cross = (m[0] - o[0]) * (P[k][1] - o[1]) - (m[1] - o[1]) * (P[k][0] - o[0])
                if cross > 1e-12 * scale * scale:  # a left turn: m lies below the chord
                    hull.pop()
                else:
                    break
            hull.append(int(k))
        v = np.array(hull, dtype=np.int64)
        # Pareto points: a ascending means b descending; drop any equal-a repeat defensively.
        a, b = P[v, 0], P[v, 1]
        keep = np.ones(len(v), dtype=bool)
        keep[1:] = (np.diff(a) > 0) & (np.diff(b) < 0)
        return cls(a=a[keep].copy(), b=b[keep].copy(), vertex=v[keep].copy())

    @property
    def a_min(self) -> float:
        return float(self.a[0])

    @property
    def a_max(self) -> float:
        return float(self.a[-1])

    @property
    def b_min(self) -> float:
        return float(self.b[-1])

    @property
    def b_max(self) -> float:
        return float(self.b[0])

    def phi(self, x: float | np.ndarray) -> np.ndarray:
        """Player 2's largest gain when player 1 gets ``x`` (``x`` clipped to the frontier)."""
        return np.interp(x, self.a, self.b)

    def psi(self, y: float | np.ndarray) -> np.ndarray:
        """Player 1's largest gain when player 2 gets ``y`` (``y`` clipped to the frontier)."""
        return np.interp(y, self.b[::-1], self.a[::-1])

    def locate(self, x: float) -> np.ndarray:
        """Lottery weights over the *point rows* giving player 1 the gain ``x`` on the frontier.

        The point lies on the edge between two adjacent vertices ``k`` and ``k + 1`` with weight
        ``t = (x - a_k) / (a_(k+1) - a_k)`` on the second; returns a weight vector indexed by the
        rows of the points the frontier was built from.
        """
        n = int(self.vertex.max()) + 1
        w = np.zeros(n)
        if len(self.a) == 1 or x <= self.a[0]:
            w[self.vertex[0]] = 1.0
            return w
        if x >= self.a[-1]:
            w[self.vertex[-1]] = 1.0
            return w
        k = int(np.searchsorted(self.a, x, side="right")) - 1
        t = (x - self.a[k]) / (self.a[k + 1] - self.a[k])
        w[self.vertex[k]] += 1.0 - t
        w[self.vertex[k + 1]] += t
        return w


def hull_nash(frontier: ConcaveFrontier, powers: Sequence[float] = (1.0, 1.0)) -> float:
    """Player 1's gain at the (asymmetric) Nash solution on a concave frontier.

    Maximises ``alpha log a + beta log b`` over the piecewise-linear frontier (gains over the
    disagreement point), exactly: on the edge from ``(a0, b0)`` to ``(a1, b1)`` with
    ``a = a0 + t da``, ``b = b0 + t db``, the stationary point is
    ``t = -(alpha da b0 + beta db a0) / ((alpha + beta) da db)``, clipped to ``[0, 1]``; the best
    edge wins (Nash 1950; Kalai 1977 for the powers). When every point gives some player a zero
    gain, the point best for the other player is returned.

    Examples
    --------
    >>> f = ConcaveFrontier.from_points(np.array([[0.0, 1.0], [1.0, 0.0]]))
    >>> round(hull_nash(f), 12), round(hull_nash(f, (2.0, 1.0)), 12)
    (0.5, 0.666666666667)
    """
    alpha, beta = (float(x) for x in powers)
    a, b = frontier.a, frontier.b
    cands = list(a)
    for k in range(len(a) - 1):
        a0, b0, da, db = a[k], b[k], a[k + 1] - a[k], b[k + 1] - b[k]
        t = -(alpha * da * b0 + beta * db * a0) / ((alpha + beta) * da * db)
        if 0.0 < t < 1.0:
            cands.append(a0 + t * da)
    x = np.array(cands)
    y = frontier.phi(x)
    with np.errstate(divide="ignore"):
        obj = np.where(
            (x > 0) & (y > 0),
            alpha * np.log(np.maximum(x, 1e-300)) + beta * np.log(np.maximum(y, 1e-300)),
            -np.inf,
        )
    if np.all(np.isneginf(obj)):
        # No point gives both a positive gain: the best point for one player without hurting
        # the other (lexicographic by the sum of gains).
        return float(x[np.argmax(x + y)])
    return float(x[np.argmax(obj)])
