"""Pairwise votes between positions on one issue: the building block of the EUM and the PCE.

Actor ``k`` with weight ``w_k = c_k s_k`` (capability times salience) and position ``x_k``
prefers the option closer to its position; its vote for option ``i`` over option ``j`` is

.. math::

    v^k_{ij} = w_k \\left(|x_k - x_j| - |x_k - x_i|\\right),

and the probability that ``i`` prevails over ``j`` is the share of the votes cast for it,

.. math::

    P_{ij} = \\frac{\\sum_k \\max(v^k_{ij}, 0)}{\\sum_k |v^k_{ij}|}

(Bueno de Mesquita 1994, eq. 1 of Scholz, Calbert & Smith 2011; KTAB's proportional
"Condorcet" contest). ``P_{ij} + P_{ji} = 1``; where no actor votes (``x_i = x_j``), ``P_{ij} =
1/2``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["victory_probabilities"]


def victory_probabilities(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``n x n`` matrix ``P[i, j]``: probability that position ``x_i`` prevails over ``x_j``.

    Parameters
    ----------
    x, w
        Positions and weights (``c * s``) of the ``n`` actors on one issue.

    Examples
    --------
    >>> victory_probabilities(np.array([0.0, 10.0, 100.0]), np.ones(3)).round(3)
    array([[0.5  , 0.333, 0.643],
           [0.667, 0.5  , 0.667],
           [0.357, 0.333, 0.5  ]])
    """
    d = np.abs(x[:, None] - x[None, :])  # d[k, i] = |x_k - x_i|
    v = w[:, None, None] * (d[:, None, :] - d[:, :, None])  # v[k, i, j]
    pos = np.clip(v, 0.0, None).sum(axis=0)
    tot = np.abs(v).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(tot > 0, pos / np.where(tot > 0, tot, 1.0), 0.5)
    return p
