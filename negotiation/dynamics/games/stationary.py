"""Stationary equilibrium of Baron–Ferejohn bargaining on arrays (a gains matrix), and divide
the dollar.

The model, the equilibrium and the fixed point are described in
:mod:`~negotiation.dynamics.games.baron_ferejohn` (which applies this to a scenario's deals):
proposer ``i`` offers the lottery that maximises its own expected gain subject to
``G_j . lambda_i >= delta_j v_j`` for the cheapest coalition, and the values solve
``v = F(v) = sum_i p_i G^T lambda_i(v)`` (:mod:`~negotiation.dynamics.games.fixed_point`).

References
----------
.. [BaronFerejohn1989] Baron, Ferejohn, "Bargaining in legislatures" (1989).
   Full entry: docs/references.md.
.. [Eraslan2002] Eraslan, "Uniqueness of stationary equilibrium payoffs in the Baron-Ferejohn model"
   (2002). Full entry: docs/references.md.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from negotiation.dynamics.games.fixed_point import anderson, newton
from negotiation.dynamics.games.lp import best_lottery
from negotiation.errors import InfeasibleError, NotApplicableError, ScenarioError

__all__ = [
    "StationaryEquilibrium",
    "stationary_equilibrium",
    "divide_the_dollar",
    "divide_the_dollar_closed_form",
    "MAX_COALITIONS",
    "responder_coalitions",
]

_TIE = 1e-8


@dataclass(frozen=True, eq=False)
class StationaryEquilibrium:
    """A stationary equilibrium on arrays.

    Attributes
    ----------
    values
        ``k`` continuation values ``v`` (expected gains at the start of a round; in equilibrium
        the first proposal passes, so these are the ex-ante expected gains of the agreement).
    proposals
        ``k x K``: proposer ``i``'s lottery over the deals (averaged over tied coalitions).
    proposer_gains
        ``k x k``: row ``i`` the players' expected gains when ``i`` proposes.
    coalitions
        For each proposer, the coalitions of responders it buys, with probabilities.
    converged, iterations, residual
        Whether ``max |F(v) - v|`` fell below the tolerance (at the final temperature), after
        how many evaluations of ``F``.
    smoothing
        The logit temperature ``tau`` of the coalition choice at the solution (0 when each
        proposer has one coalition, e.g. under unanimity): coalitions whose values are within
        a few ``tau`` of the best are mixed, so the solution is an ``epsilon``-equilibrium with
        ``epsilon`` of the order of ``tau`` (``1e-7`` of the gains' scale when converged).
    """

    values: np.ndarray
    proposals: np.ndarray
    proposer_gains: np.ndarray
    coalitions: tuple[tuple[tuple[tuple[int, ...], float], ...], ...]
    converged: bool
    iterations: int
    residual: float
    smoothing: float = 0.0


#: Largest number of coalitions a proposer may choose among in Baron-Ferejohn over deals (each
#: is a linear programme at every step of the fixed-point iteration); divide the dollar sorts
#: partners by price instead and has no limit.
MAX_COALITIONS = 2_000


def _n_coalitions(k: int, proposer: int, quota: int, veto: Sequence[int]) -> int:
    must = len({v for v in veto if v != proposer})
    free = k - 1 - must
    need = quota - 1 - must
    return 1 if need <= 0 else math.comb(free, need)


def responder_coalitions(
    k: int, proposer: int, quota: int, veto: Sequence[int]
) -> list[tuple[int, ...]]:
    """The coalitions of responders ``proposer`` may buy: every veto player plus enough others
    to reach ``quota`` with the proposer (sorted tuples of positions).

    Examples
    --------
    >>> responder_coalitions(4, 0, 3, veto=[2])
    [(1, 2), (2, 3)]
    """
    must = sorted(v for v in set(veto) if v != proposer)
    free = [i for i in range(k) if i != proposer and i not in must]
    need = quota - 1 - len(must)
    if need <= 0:
        return [tuple(must)]
    return [tuple(sorted((*must, *c))) for c in itertools.combinations(free, need)]


def _dollar_inclusion(costs, proposer, need, must, tau):
    """Divide the dollar: each player's probability of being bought by ``proposer``.

    A coalition of ``need`` free partners (besides the veto players ``must``) costs the sum of
    their prices, so the proposer's best coalitions are the ``need`` cheapest partners (sort by
    price; Baron & Ferejohn 1989): no enumeration of coalitions. With ``tau = 0`` players tied
    at the threshold price share the remaining places equally (the uniform mixture over the
    cheapest coalitions). With ``tau > 0`` coalition ``C`` has the logit weight
    ``prod_{j in C} x_j``, ``x_j = exp(-c_j / tau)``, and the inclusion probability
    ``x_j e_{need-1}(x_{-j}) / e_need(x)`` comes from the elementary symmetric polynomials
    ``e_r`` by a prefix/suffix dynamic programme in log space (O(k need)); up to 256
    coalitions the logit is summed over them directly (more accurate to the last digits).
    """
    k = costs.shape[0]
    pi = np.zeros(k)
    pi[list(must)] = 1.0
    free = np.array([j for j in range(k) if j != proposer and j not in must], dtype=int)
    if need <= 0 or free.size == 0:
        return pi
    c = costs[free]
    if tau <= 0:
        order = np.argsort(c, kind="stable")
        thr = c[order[need - 1]]
        tie = _TIE * max(1.0, abs(thr))
        sure = c < thr - tie
        tied = np.abs(c - thr) <= tie
        pi[free[sure]] = 1.0
        pi[free[tied]] = (need - int(sure.sum())) / int(tied.sum())
        return pi
    if math.comb(free.size, need) <= 256:  # few coalitions: the logit over them directly
        combos = np.array(list(itertools.combinations(range(free.size), need)))
        vals = -c[combos].sum(axis=1)
        mix = np.exp((vals - vals.max()) / tau)
        mix[mix < 1e-12] = 0.0
        mix /= mix.sum()
        np.add.at(pi, free[combos].ravel(), np.repeat(mix, need))
        return pi
    lx = -(c - np.sort(c)[need - 1]) / tau
    m = free.size
    neg = -np.inf
    pre = np.full((m + 1, need + 1), neg)
    pre[0, 0] = 0.0
    for j in range(m):
        pre[j + 1] = pre[j]
        pre[j + 1, 1:] = np.logaddexp(pre[j, 1:], pre[j, :-1] + lx[j])
    suf = np.full((m + 1, need + 1), neg)
    suf[m, 0] = 0.0
    for j in range(m - 1, -1, -1):
        suf[j] = suf[j + 1]
        suf[j, 1:] = np.logaddexp(suf[j + 1, 1:], suf[j + 1, :-1] + lx[j])
    # e_{need-1}(x without j) = sum_r pre[j, r] * suf[j+1, need-1-r]
    terms = pre[:m, :need] + suf[1:, need - 1 :: -1]
    top = terms.max(axis=1, keepdims=True)
    safe = np.where(np.isfinite(top), top, 0.0)
    without = safe[:, 0] + np.log(np.exp(terms - safe).sum(axis=1))
    pi[free] = np.clip(np.exp(lx + without - pre[m, need]), 0.0, 1.0)
    return pi


def _dollar_coalitions(pi, need, must, proposer):
    """A mixture of coalitions with the inclusion probabilities ``pi``: the sure partners plus,
    for places shared by tied players, every way of filling them (uniformly) when there are at
    most 64, else ``L = m / gcd(m, s)`` consecutive cyclic windows of the ``m`` tied players
    (``s`` places each), which cover every tied player ``s / gcd`` times: the same inclusion
    probability ``s / m``, so the same expected proposal."""
    k = pi.shape[0]
    sure = [j for j in range(k) if j != proposer and pi[j] > 1 - 1e-6]
    tied = [j for j in range(k) if j != proposer and 1e-6 <= pi[j] <= 1 - 1e-6]
    slots = max(0, need + len([m for m in must if m != proposer]) - len(sure))
    if not tied or slots == 0:
        return ((tuple(sure), 1.0),)
    slots = min(slots, len(tied))
    if math.comb(len(tied), slots) <= 64:
        combos = list(itertools.combinations(tied, slots))
    else:
        m = len(tied)
        combos = [
            tuple(tied[(j * slots + r) % m] for r in range(slots))
            for j in range(m // math.gcd(m, slots))
        ]
    pr = 1.0 / len(combos)
    return tuple((tuple(sorted((*sure, *c))), pr) for c in combos)


def _dollar_stage(p, q, delta, veto, v, tau, coalitions=False):
    """``F(v)`` for divide the dollar (identity gains) without enumerating coalitions (the
    coalitions are listed only with ``coalitions=True``, for the final report)."""
    k = p.shape[0]
    costs = np.maximum(delta * v, 0.0)
    proposals = np.zeros((k, k))
    waits = np.zeros(k)
    coal_out = []
    for i in range(k):
        if p[i] == 0:
            coal_out.append(())
            continue
        must = sorted(j for j in set(veto) if j != i)
        need = q - 1 - len(must)
        pi = _dollar_inclusion(costs, i, need, must, tau)
        w = pi * costs
        w[i] = 1.0 - w.sum()
        if w[i] < delta[i] * v[i] - 1e-12:  # no passing division is worth waiting for
            waits[i] = 1.0
            coal_out.append(())
            continue
        proposals[i] = w
        coal_out.append(_dollar_coalitions(pi, need, must, i) if coalitions else ())
    return _values(p, proposals, np.eye(k), waits, delta, v, tuple(coal_out))


def _values(p, proposals, G, waits, delta, v, coal_out):
    """The values implied by the proposers' choices (policy evaluation): with ``A`` the expected
    gains of the proposals that pass and ``w`` the probability that the recognised proposer
    waits, a stationary profile gives ``v = A + w delta v``, so ``v = A / (1 - w delta)``. When
    ``w delta_j = 1`` (every proposer waits and ``j`` is perfectly patient) nothing is ever
    agreed and ``j`` gets its reservation: ``v_j = 0``. (Iterating ``v <- A + w delta v``
    instead would keep any ``v_j`` of a perfectly patient player as a spurious fixed point,
    even one above the player's best feasible gain.)"""
    A = p @ (proposals @ G)
    w = float(p @ waits)
    den = 1.0 - w * delta
    vn = np.where(den > 1e-12, A / np.where(den > 1e-12, den, 1.0), 0.0)
    gains = proposals @ G + waits[:, None] * (delta * vn)[None, :]
    return vn, proposals, gains, coal_out


def _stage(G, acc, p, q, delta, veto, lotteries, v, transferable=False, tau=0.0):
    """``F(v)`` and the proposers' choices (coalitions mixed by a logit of temperature ``tau``,
    or uniformly over exact ties when ``tau`` is 0)."""
    K, k = G.shape
    proposals = np.zeros((k, K))
    waits = np.zeros(k)
    coal_out = []
    for i in range(k):
        if p[i] == 0:
            coal_out.append(())
            continue
        others = [j for j in range(k) if j != i]
        tie = G[:, others].sum(axis=1)
        results = []
        for coal in responder_coalitions(k, i, q, veto):
            cl = list(coal)
            bound = delta[cl] * v[cl]
            if transferable:
                # Divide the dollar: pay each partner its price, keep the rest.
                w = np.zeros(K)
                w[cl] = np.maximum(bound, 0.0)
                if w.sum() > 1.0 + 1e-12:
                    continue
                w[i] = 1.0 - w.sum()
                results.append((coal, w, float(w[i])))
                continue
            support = acc[:, i] & acc[:, cl].all(axis=1)
            if lotteries:
                sol = best_lottery(G[:, i], G[:, cl], bound, others=tie, support=support)
            else:
                ok = support & np.all(G[:, cl] >= bound - 1e-12, axis=1)
                sol = None
                if ok.any():
                    cand = np.flatnonzero(ok)
                    own = G[cand, i]
                    top = cand[own >= own.max() - 1e-12]
                    x = int(top[np.argmax(tie[top])])
                    w = np.zeros(K)
                    w[x] = 1.0
                    sol = (w, float(G[x, i]))
            if sol is not None:
                results.append((coal, sol[0], sol[1]))
        # Waiting (no serious proposal) is always possible and gives everybody delta_j v_j;
        # the proposer waits only when no passing proposal is worth as much to it.
        wait = float(delta[i] * v[i])
        vals = np.array([r[2] for r in results])
        if vals.size == 0 or vals.max() < wait - 1e-12:
            waits[i] = 1.0
            coal_out.append(())
            continue
        best = float(vals.max())
        if tau > 0 and len(results) > 1:
            mix = np.exp((vals - best) / tau)
            mix[mix < 1e-12] = 0.0
        else:
            mix = (vals >= best - _TIE * max(1.0, abs(best))).astype(float)
        mix /= mix.sum()
        used = np.flatnonzero(mix)
        proposals[i] = mix[used] @ np.array([results[u][1] for u in used])
        coal_out.append(tuple((results[u][0], float(mix[u])) for u in used))
    # Row i: the players' gains when i is recognised (waiting gives everybody delta_j v_j).
    return _values(p, proposals, G, waits, delta, v, tuple(coal_out))


def stationary_equilibrium(
    gains: np.ndarray,
    recognition: Sequence[float] | np.ndarray,
    discounts: Sequence[float] | np.ndarray,
    *,
    quota: int | None = None,
    veto: Sequence[int] = (),
    acceptable: np.ndarray | None = None,
    lotteries: bool = True,
    tol: float = 1e-10,
    max_iter: int = 3000,
) -> StationaryEquilibrium:
    """Stationary subgame-perfect equilibrium of Baron–Ferejohn bargaining on a gains matrix.

    Parameters
    ----------
    gains
        ``K x k`` gains over reservation of ``K`` deals for ``k`` players.
    recognition
        ``k`` recognition probabilities (non-negative, summing to 1).
    discounts
        ``k`` discount factors in ``(0, 1]``.
    quota
        Players (proposer included) who must accept; default unanimity.
    veto
        Player positions that must always accept.
    acceptable
        ``K x k`` boolean: who may accept each deal (default everybody).
    lotteries
        Allow lotteries over deals (default; see the module docstring).
    tol
        Convergence tolerance on ``max |F(v) - v|``.

    Examples
    --------
    Divide the dollar among three, unanimity, ``delta = 0.9``: the proposer keeps
    ``1 - 0.9 * 2 / 3 = 0.4``.

    >>> eq = stationary_equilibrium(np.eye(3), [1/3] * 3, [0.9] * 3)
    >>> np.round(eq.values, 9).tolist(), round(float(eq.proposer_gains[0, 0]), 9)
    ([0.333333333, 0.333333333, 0.333333333], 0.4)
    """
    G = np.asarray(gains, dtype=float)
    K, k = G.shape
    if K == 0:
        raise InfeasibleError("no deal to bargain over")
    p = np.asarray(recognition, dtype=float)
    delta = np.asarray(discounts, dtype=float)
    if p.shape != (k,) or np.any(p < 0) or not np.isclose(p.sum(), 1.0):
        raise ScenarioError(f"recognition probabilities must be {k} numbers >= 0 summing to 1")
    p = p / p.sum()
    q = k if quota is None else int(quota)
    if not 1 <= q <= k:
        raise ScenarioError(f"quota must be between 1 and {k}, got {quota}")
    acc = np.ones((K, k), dtype=bool) if acceptable is None else np.asarray(acceptable, bool)

    transferable = K == k and np.array_equal(G, np.eye(k)) and acceptable is None
    n_coalitions = max(_n_coalitions(k, i, q, veto) for i in range(k))
    if not transferable and n_coalitions > MAX_COALITIONS:
        raise NotApplicableError(
            f"Baron-Ferejohn over deals: a proposer chooses among {n_coalitions:,} coalitions "
            f"({k} players, quota {q}), more than MAX_COALITIONS={MAX_COALITIONS:,}; use "
            "fewer players or a quota nearer unanimity (divide the dollar has no such limit)"
        )
    scale = max(float(np.abs(G).max()), 1e-12)
    # Several coalitions to choose from: follow the logit-smoothed map down to tau -> 0 (a
    # homotopy in the spirit of McKelvey & Palfrey's quantal response); the last stage mixes
    # coalitions whose values differ by less than ~1e-9 of the gains' scale. Divide the dollar
    # first tries the unsmoothed map (symmetric games converge at once).
    smooth = list(scale * np.geomspace(1e-1, 1e-7, 13))
    if n_coalitions == 1:
        plans = [[0.0]]
    elif transferable:
        plans = [[0.0], smooth]
    else:
        plans = [smooth]

    def F_at(tau: float) -> Callable:
        if transferable:
            return lambda x: _dollar_stage(p, q, delta, veto, x, tau)
        return lambda x: _stage(G, acc, p, q, delta, veto, lotteries, x, False, tau)

    v, Fv, resid, tau, evals, converged = _homotopy(F_at, plans, k, scale, tol, max_iter)
    if transferable:  # the coalitions, from the final (nearly sharp) inclusion probabilities
        Fv = (*Fv[:3], _dollar_stage(p, q, delta, veto, v, tau, coalitions=True)[3])
    # Report the values consistent with the proposals: v = F(v) up to the residual.
    return StationaryEquilibrium(
        values=Fv[0],
        proposals=Fv[1],
        proposer_gains=Fv[2],
        coalitions=Fv[3],
        converged=bool(converged),
        iterations=evals,
        residual=resid,
        smoothing=float(tau),
    )


def _homotopy(
    F_at: Callable[[float], Callable],
    plans: list[list[float]],
    k: int,
    scale: float,
    tol: float,
    max_iter: int,
) -> tuple[np.ndarray, tuple, float, float, int, bool]:
    """Solve ``v = F_tau(v)`` along each plan of decreasing temperatures ``tau``.

    Each temperature starts from the previous solution: Anderson acceleration, then Newton
    when it stalls. A plan stops at the first temperature that does not converge (keeping the
    last that did); the first plan that converges at its final temperature wins. Returns
    ``(v, F(v), residual, tau, evaluations, converged)``.
    """
    evals = 0
    found: tuple | None = None
    taus = plans[0]
    for taus in plans:
        v = np.zeros(k)
        found = None
        for tau in taus:
            F = F_at(tau)
            budget = max(max_iter - evals, 2 * (k + 1))
            v1, Fv, resid, used = anderson(F, v, tol, min(budget, 40))
            evals += used
            if resid > tol:
                h = 1e-7 * scale if tau == 0 else min(1e-7 * scale, 1e-3 * tau)
                newton_budget = min(max(budget - used, 2 * (k + 1)), 25 * (k + 2))
                v1, Fv, resid, used = newton(F, v1, Fv, tol, newton_budget, h)
                evals += used
            if found is None or resid <= tol:
                found = (v1, Fv, resid, tau)
            if resid > tol:
                break  # keep the last temperature that converged
            v = v1
        if found[2] <= tol and found[3] == taus[-1]:  # type: ignore[index]
            break
    v, Fv, resid, tau = found  # type: ignore[misc]
    converged = resid <= tol and tau == taus[-1]
    return v, Fv, resid, tau, evals, converged


def divide_the_dollar_closed_form(n: int, quota: int | None, delta: float) -> dict[str, float]:
    """Stationary shares of symmetric divide-the-dollar (Baron & Ferejohn 1989).

    ``n`` players, quota ``q`` (default unanimity), common discount ``delta``, equal recognition:
    the proposer keeps ``1 - delta (q - 1) / n``, each of ``q - 1`` partners gets ``delta / n``,
    the rest nothing, and every player's ex-ante value is ``1 / n``.

    Examples
    --------
    >>> divide_the_dollar_closed_form(5, 3, 0.8)["proposer"]
    0.68
    """
    q = n if quota is None else int(quota)
    return {
        "proposer": 1.0 - delta * (q - 1) / n,
        "partner": delta / n,
        "excluded": 0.0,
        "value": 1.0 / n,
        "partners": float(q - 1),
    }


def divide_the_dollar(
    n: int,
    quota: int | None = None,
    delta: float | Sequence[float] = 0.9,
    recognition: Sequence[float] | None = None,
) -> StationaryEquilibrium:
    """Stationary equilibrium of Baron–Ferejohn divide-the-dollar (transferable utility).

    The deals are "player ``i`` gets the dollar" (an identity gains matrix); lotteries over them
    are the divisions of the dollar, so this is the classic model. Compare with
    :func:`divide_the_dollar_closed_form` in the symmetric case.

    Examples
    --------
    >>> eq = divide_the_dollar(5, quota=3, delta=0.8)
    >>> round(float(eq.proposer_gains[0, 0]), 9), round(float(eq.values[0]), 9)
    (0.68, 0.2)
    """
    if int(n) < 2:
        raise ScenarioError(f"divide the dollar needs at least two players, got {n}")
    n = int(n)
    d = np.broadcast_to(np.asarray(delta, dtype=float), (n,)).copy()
    if np.any(~np.isfinite(d)) or np.any(d <= 0) or np.any(d > 1):
        raise ScenarioError(f"discounts must be in (0, 1], got {d.tolist()}")
    p = np.full(n, 1.0 / n) if recognition is None else np.asarray(recognition, dtype=float)
    return stationary_equilibrium(np.eye(n), p, d, quota=quota)
