"""KTAB's probabilistic Condorcet election (PCE): the probability each position wins.

Each actor's current position ``x_i`` on an issue is a candidate outcome. Pairwise contests are
decided with the probabilities of :func:`negotiation.forecast.votes.victory_probabilities`
(``P_{ij}`` = the share of the capability-and-salience weighted votes for ``x_i`` over
``x_j``). The probabilities ``p`` that each candidate becomes the group's choice are the
stationary distribution of a Markov chain of challenges (the "Markov" PCE of KTAB): from the
incumbent ``j`` the chain moves to ``i`` with probability proportional to ``P_{ij}``,

.. math::

    M_{ij} = \\frac{P_{ij}}{\\sum_k P_{kj}}, \\qquad p^{(t+1)} = M p^{(t)}, \\qquad
    p^{(0)}_i = 1/n,

(``P_{jj} = 1/2``: the incumbent may hold). Each round is one step of the chain (at most
``rounds`` steps, default 100; the run stops when every issue has converged,
``||p^{(t+1)} - p^{(t)}||_1 < 10^{-12}``, so the history may be shorter). The forecast of
the issue is the expected outcome ``sum_i p_i x_i``; the probabilities are in
``details["probabilities"]`` (``n x m``; actors sharing a position share its probability).
Positions do not move in this model.

References
----------
.. [WLE2015] Wise, Lumley, Efird et al., "KTAB: the KAPSARC Toolkit for Behavioral Analysis" (2015);
   PCE: "probabilistic Condorcet election". Full entry: docs/references.md.
"""

from __future__ import annotations

import numpy as np

from negotiation.forecast.base import ForecastResult, check_inputs, check_rounds
from negotiation.forecast.votes import victory_probabilities

__all__ = ["pce"]

#: Default number of Markov steps.
DEFAULT_ROUNDS = 100


def pce(positions, capability, salience, *, rounds: int = DEFAULT_ROUNDS, **_: object):
    """The PCE forecast: expected outcome under the probabilistic Condorcet election.

    Examples
    --------
    >>> r = pce([[0.0], [100.0]], [1.0, 1.0], [[1.0], [1.0]])
    >>> r.forecast.round(6).tolist(), r.details["probabilities"]
    ([50.0], [[0.5], [0.5]])
    """
    x, c, s = check_inputs(positions, capability, salience)
    n, m = x.shape
    rounds = check_rounds(rounds)
    probs = np.zeros((n, m))
    rows: list[list[float]] = []
    for d in range(m):
        P = victory_probabilities(x[:, d], c[:, d] * s[:, d])
        M = P / P.sum(axis=0, keepdims=True)
        p = np.full(n, 1.0 / n)
        row = [float(p @ x[:, d])]
        for _round in range(rounds):
            q = M @ p
            done = np.abs(q - p).sum() < 1e-12
            p = q
            row.append(float(p @ x[:, d]))
            if done:
                break
        rows.append(row)
        # actors on the same position share the candidate: report the candidate's total
        same = x[:, d][:, None] == x[:, d][None, :]
        probs[:, d] = same @ p
    steps_run = max(len(r) for r in rows)
    # an issue that converged earlier keeps its value for the remaining rows
    steps = np.array([r + [r[-1]] * (steps_run - len(r)) for r in rows]).T
    pos = np.repeat(x[None], steps_run, axis=0)
    details = {"probabilities": probs.round(12).tolist()}
    return ForecastResult("pce", steps[-1].copy(), steps, pos, details)
