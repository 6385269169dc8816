"""EUM (Scholz, Calbert & Smith 2011 reconstruction) of Bueno de Mesquita's expected utility model.

Bueno de Mesquita's model (BDM 1994) was published without code and is underspecified; we follow
the open reconstruction of Scholz, Calbert & Smith (2011) [SCS2011]_, and state each choice below.

Each issue is modelled on its own (positions ``x`` on a continuum of width ``R``, default 100;
weights ``w_i = c_i s_i``). In every round:

1. **The median** ``mu`` is the weighted median of the current positions
   (:func:`negotiation.forecast.base.weighted_median`); it is the round's forecast.
2. **Probability of winning** a challenge of ``i`` against ``j``, as judged by ``i``:
   :func:`negotiation.forecast.votes.victory_probabilities`,
   ``P_ij = sum_k max(v^k_ij, 0) / sum_k |v^k_ij|``, ``v^k_ij = w_k (|x_k - x_j| - |x_k - x_i|)``.
3. **Utilities** of ``i`` with risk exponent ``r_i`` (``dx = |x_i - x_j| / R``,
   ``dm = |x_i - mu| / R``)::

       U_s  = 2 - 4 (0.5 - 0.5 dx) ** r_i          success
       U_f  = 2 - 4 (0.5 + 0.5 dx) ** r_i          failure
       U_b  = 2 - 4 (0.5 - 0.25 (dm + dx)) ** r_i  status quo improves for i
       U_w  = 2 - 4 (0.5 + 0.25 (dm + dx)) ** r_i  status quo worsens for i
       U_sq = 2 - 4 (0.5) ** r_i                   status quo

4. **Expected utility** of ``i`` challenging ``j``::

       EU_ij = s_j (P_ij U_s + (1 - P_ij) U_f) + (1 - s_j) U_s
               - Q U_sq - (1 - Q) (T U_b + (1 - T) U_w)

   (``s_j`` is the target's salience in [0, 1]: a target that does not care yields without a
   contest). ``Q`` is the probability that the status quo persists if ``i`` does not challenge
   and ``T`` the probability that it then moves in ``i``'s favour; we take **Q = 1, T = 1** (the
   values of the published replications' default runs), both parameters.
   ``EU_ij = 0`` when ``x_i = x_j`` (no contest).
5. **Risk exponents** (the *risk range* is ``r`` in ``[1/2, 2]``): with ``S_k = sum_{j != k}
   EU_jk`` the expected utility others see in challenging ``k`` (computed with ``r = 1``),
   ``R_i = (2 S_i - max S - min S) / (max S - min S)`` in ``[-1, 1]`` (0 when all ``S`` are
   equal) and ``r_i = (1 - R_i / 3) / (1 + R_i / 3)``. The ``EU`` of step 4 is then recomputed
   with these ``r_i``. (Choice: risk is re-estimated at the start of every round.)
6. **Offers.** ``i`` challenges ``j`` when ``EU_ij > 0``. From ``j``'s side the dyad is
   classified (BDM's octants): *confrontation* if also ``EU_ji > 0`` (the larger ``EU`` wins;
   the loser moves to the winner's position); *compromise* if ``EU_ji < 0`` and
   ``|EU_ji| < EU_ij`` (``j`` moves to ``x_j + (x_i - x_j) |EU_ji / EU_ij|``); *capitulation*
   if ``EU_ji <= 0`` and ``|EU_ji| >= EU_ij`` (``j`` moves to ``x_i``).
7. **Choice among offers** (choice): each actor accepts, of the offers that move it, the one
   that moves it least (its most preferred: its utility falls with the distance from its own
   position); ties go to the sender with the larger ``EU_ij``, then to the lower actor index.
   All actors move simultaneously at the end of the round.

**Rounds**: a fixed number (default 10, BDM's runs settle within a handful); the forecast is
the weighted median of the final positions, the history holds the median before and after
every round, ``details["mean"]`` the weighted means, ``details["risk"]`` the ``r_i`` per round
and ``details["moves"]`` the counts of confrontations, compromises and capitulations accepted.
The model is deterministic.

References
----------
.. [BuenoDeMesquita1994] Bueno de Mesquita, "Political forecasting: an expected utility method"
   (1994). Full entry: docs/references.md.
.. [SCS2011] Scholz, Calbert, Smith, "Unravelling Bueno De Mesquita's group decision model" (2011).
   Full entry: docs/references.md.
"""

from __future__ import annotations

import numpy as np

from negotiation.forecast.base import (
    ForecastResult,
    check_inputs,
    check_rounds,
    weighted_mean,
    weighted_median,
)
from negotiation.forecast.votes import victory_probabilities

__all__ = ["eum", "expected_utilities", "risk_exponents"]

#: Default number of rounds.
DEFAULT_ROUNDS = 10


def expected_utilities(
    x: np.ndarray,
    s: np.ndarray,
    P: np.ndarray,
    mu: float,
    r: np.ndarray,
    *,
    Q: float = 1.0,
    T: float = 1.0,
    scale: float = 100.0,
) -> np.ndarray:
    """``n x n`` matrix ``EU[i, j]``: ``i``'s expected utility of challenging ``j`` (step 4).

    Examples
    --------
    >>> x = np.array([0.0, 100.0]); s = np.array([1.0, 1.0])
    >>> P = victory_probabilities(x, np.array([3.0, 1.0]))
    >>> expected_utilities(x, s, P, 0.0, np.ones(2)).round(3)
    array([[ 0.,  1.],
           [-1.,  0.]])
    """
    dx = np.abs(x[:, None] - x[None, :]) / scale
    dm = (np.abs(x - mu) / scale)[:, None]
    rr = r[:, None]
    us = 2 - 4 * (0.5 - 0.5 * dx) ** rr
    uf = 2 - 4 * (0.5 + 0.5 * dx) ** rr
    ub = 2 - 4 * np.clip(0.5 - 0.25 * (dm + dx), 0.0, None) ** rr
    uw = 2 - 4 * (0.5 + 0.25 * (dm + dx)) ** rr
    usq = 2 - 4 * 0.5**rr
    sj = s[None, :]
    eu = sj * (P * us + (1 - P) * uf) + (1 - sj) * us - Q * usq - (1 - Q) * (T * ub + (1 - T) * uw)
    eu[dx == 0] = 0.0
    return eu


def risk_exponents(eu: np.ndarray) -> np.ndarray:
    """Risk exponents ``r_i = (1 - R_i/3) / (1 + R_i/3)`` from an ``EU`` matrix (step 5).

    Examples
    --------
    >>> risk_exponents(np.array([[0.0, 1.0], [0.0, 0.0]])).tolist()
    [2.0, 0.5]
    """
    S = eu.sum(axis=0) - np.diag(eu)
    lo, hi = S.min(), S.max()
    if hi - lo <= 1e-12 * max(1.0, abs(hi)):
        R = np.zeros_like(S)
    else:
        R = (2 * S - hi - lo) / (hi - lo)
    return (1 - R / 3) / (1 + R / 3)


def _round(x, c, s, *, Q, T, scale):
    """One round on one issue: new positions, the risk exponents and the move counts."""
    w = c * s
    n = x.shape[0]
    mu = float(weighted_median(x[:, None], w[:, None])[0])
    P = victory_probabilities(x, w)
    r = risk_exponents(expected_utilities(x, s, P, mu, np.ones(n), Q=Q, T=T, scale=scale))
    eu = expected_utilities(x, s, P, mu, r, Q=Q, T=T, scale=scale)
    # offers i -> j (rows i, columns j): what j would do on each, vectorised over the dyads
    e_ij, e_ji = eu, eu.T
    offer = e_ij > 0
    np.fill_diagonal(offer, False)
    conflict = offer & (e_ji > 0)
    wins = conflict & (e_ij > e_ji)  # j loses the confrontation: it moves
    compromise = offer & ~(e_ji > 0) & (np.abs(e_ji) < e_ij)
    capitulation = offer & ~(e_ji > 0) & ~(np.abs(e_ji) < e_ij)
    moves = wins | compromise | capitulation
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(compromise, np.abs(e_ji) / np.where(offer, e_ij, 1.0), 1.0)
    target = x[None, :] + (x[:, None] - x[None, :]) * frac  # j moves towards x_i
    dist = np.where(moves, np.abs(target - x[None, :]), np.inf)
    # j takes the least move, then the largest EU_ij, then the lowest i
    least = moves & (dist == dist.min(axis=0, keepdims=True))
    e_best = np.where(least, e_ij, -np.inf)
    pick = least & (e_best == e_best.max(axis=0, keepdims=True))
    chosen = np.argmax(pick, axis=0)
    movers = pick.any(axis=0)
    new = x.copy()
    cols = np.flatnonzero(movers)
    new[cols] = target[chosen[cols], cols]
    counts = {
        "confrontation": int(wins[chosen[cols], cols].sum()),
        "compromise": int(compromise[chosen[cols], cols].sum()),
        "capitulation": int(capitulation[chosen[cols], cols].sum()),
    }
    return new, r, counts


def eum(
    positions,
    capability,
    salience,
    *,
    rounds: int = DEFAULT_ROUNDS,
    Q: float = 1.0,
    T: float = 1.0,
    scale: float = 100.0,
    progress: bool | None = False,
    **_: object,
) -> ForecastResult:
    """Run the expected utility model for ``rounds`` rounds on every issue (see the module).

    Parameters
    ----------
    positions, capability, salience
        The spatial problem (:func:`negotiation.forecast.base.check_inputs`).
    rounds
        Number of rounds (default 10).
    Q, T
        Status-quo parameters of step 4 (default 1, 1).
    scale
        Width ``R`` of the position continuum (default 100).
    progress
        Show a progress bar over the rounds (``None``: only on a terminal).

    Examples
    --------
    >>> r = eum([[0.0], [60.0], [100.0]], [1.0, 1.0, 1.0], [[1.0], [1.0], [1.0]], rounds=3)
    >>> r.history.shape, r.positions.shape
    ((4, 1), (4, 3, 1))
    """
    from tqdm.auto import tqdm

    x, c, s = check_inputs(positions, capability, salience)
    rounds = check_rounds(rounds)
    if not (0.0 <= Q <= 1.0 and 0.0 <= T <= 1.0):
        from negotiation.errors import NegotiationError

        raise NegotiationError(f"Q and T must be in [0, 1], got Q={Q}, T={T}")
    n, m = x.shape
    pos = np.empty((rounds + 1, n, m))
    pos[0] = x
    risk = np.empty((rounds, n, m))
    moves = []
    for t in tqdm(
        range(rounds), desc="EUM rounds", disable=None if progress is None else not progress
    ):
        counts = {"confrontation": 0, "compromise": 0, "capitulation": 0}
        for d in range(m):
            pos[t + 1, :, d], risk[t, :, d], cd = _round(
                pos[t, :, d], c[:, d], s[:, d], Q=Q, T=T, scale=scale
            )
            for k, v in cd.items():
                counts[k] += v
        moves.append(counts)
    w = c * s
    hist = np.stack([weighted_median(p, w) for p in pos])
    means = np.stack([weighted_mean(p, w) for p in pos])
    details = {
        "mean": means.tolist(),
        "risk": risk.tolist(),
        "moves": moves,
        "Q": Q,
        "T": T,
    }
    return ForecastResult("eum", hist[-1].copy(), hist, pos, details)
