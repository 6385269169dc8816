"""How far apart two computed utilities must be to count as different: the tie tolerance.

Why
---
A party's utility is an exact number of the model (decimal weights and values from a scenario
file or a GENIUS XML, normalised by a division), but the engine computes it in float64: each
weight, value, quotient and partial sum is rounded. Two outcomes whose exact utilities are equal
may come out a few ulps apart. In the GENIUS domain ``other/Jobs`` outcome 82 computes to
``(0.43, 0.9500000000000002)`` and outcome 189 to ``(0.47, 0.9500000000000001)``; both second
utilities are exactly ``0.95``, so 82 is dominated, but an exact float comparison keeps it.

The rule
--------
Per party ``p`` the engine bounds the rounding error of any utility it computes:

.. math::

    M_p = \\sum_i \\max_\\ell |s_{ip}(\\ell)| + \\sum_b |\\beta_{pb}|, \\qquad
    \\tau_p = 16\\,(n_{\\text{issues}} + n_{\\text{bonuses}} + 4)\\,\\operatorname{ulp}(M_p)

where ``s_ip(l)`` is the score of level ``l`` of issue ``i`` (``w_i v_i(l)`` or points) and
``beta_pb`` the party's bonuses. ``M_p`` bounds every partial sum, so each rounding (the decimal
input, the weight normalisation, the product, each addition) moves a utility by at most
``ulp(M_p) / 2``; ``tau_p`` is eight times that worst case, so two computed utilities of equal
exact value are never more than ``tau_p`` apart.

Dominance then compares each party's utilities through :func:`negotiation.engine.pareto.tie_ranks`:
the computed values of a column are sorted and cut wherever two neighbours are more than
``tau_p`` apart; values in one run count as equal, runs are ordered. This is exactly the order
of the exact utilities whenever distinct exact utilities differ by more than ``2 tau_p`` (the
*gap assumption*: about ``1e-13`` relative for a ten-issue model of utilities in ``[0, 1]``; data
typed as decimals with a dozen significant digits or fewer, or as integer points, satisfy it by
a wide margin). Both engines use the same ``tau``, so their frontiers stay identical, and the
reported utilities are the computed floats, unchanged.

Why not snap to a grid? Rounding ``u`` to multiples of some ``q`` separates two equal exact
values whenever a grid line falls between their computed values, however fine ``q`` is; runs
cut at gaps larger than ``tau`` have no such boundary.

References
----------
.. [Goldberg1991] Goldberg, "What every computer scientist should know about floating-point
   arithmetic" (1991); error bound of a recursive sum. Full entry: docs/references.md.
"""

from __future__ import annotations

import numpy as np

from negotiation.model.scenario import Scenario

__all__ = ["utility_tolerance", "TIE_ULPS"]

#: Ulps of the largest reachable magnitude allowed per rounding step (8x the worst case of 1/2).
TIE_ULPS = 16


def utility_tolerance(scenario: Scenario) -> np.ndarray:
    """Per party, the largest gap between two computed utilities that counts as a tie.

    ``tau_p = 16 (issues + bonuses + 4) ulp(M_p)`` with ``M_p`` the largest magnitude a partial
    sum of party ``p``'s utility can reach (module docstring; [Goldberg1991]_).

    Parameters
    ----------
    scenario
        A discrete scenario (a continuous issue contributes nothing until discretised).

    Returns
    -------
    numpy.ndarray
        One non-negative float per party.

    Examples
    --------
    >>> from negotiation.model.issues import Issue
    >>> from negotiation.model.party import Party
    >>> s = Scenario("t", (Issue("x", ("a", "b")),), (Party("A", {"x": 1}),))
    >>> tol = utility_tolerance(s)
    >>> bool(0 < tol[0] < 1e-13)
    True
    >>> float(tol[0]) == 16 * (1 + 0 + 4) * float(np.spacing(1.0))
    True
    """
    P = len(scenario.parties)
    M = np.zeros(P)
    for t in scenario.tables:
        if t.shape[0]:
            M += np.abs(t).max(axis=0)
    n_bonus = 0
    for p, bonuses in enumerate(scenario.bonuses):
        for b in bonuses:
            M[p] += abs(float(b.value))
        n_bonus = max(n_bonus, len(bonuses))
    steps = len(scenario.issues) + n_bonus + 4
    M = np.maximum(M, np.finfo(float).tiny)
    return TIE_ULPS * steps * np.spacing(M)
