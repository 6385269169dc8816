"""Baron–Ferejohn (1989) multilateral bargaining with random recognition.

Each round one player is recognised as proposer, player ``i`` with probability ``p_i``; it
proposes an agreement, which passes when at least ``q`` players (the proposer included, and
every veto player) accept; otherwise the next round starts (discounted by ``delta_i``, and with a
breakdown probability ``p`` by ``(1 - p) delta_i``). Payoffs are gains over reservation.

Stationary subgame-perfect equilibrium: with ``v_j`` the continuation value of player ``j`` (its
expected gain at the start of a round), a responder accepts iff its gain is at least
``delta_j v_j``; the recognised proposer ``i`` offers the lottery ``lambda_i`` over deals that
maximises its own expected gain subject to ``G_j . lambda_i >= delta_j v_j`` for a coalition
``C`` of ``q - 1`` other players, choosing the cheapest coalition (ties between coalitions are
mixed uniformly, which keeps symmetric games symmetric); among its optimal lotteries it takes
the one best for the others. The values solve the fixed point
``v = F(v) = sum_i p_i G^T lambda_i(v)``, computed by iterating ``F`` with Anderson acceleration (Walker & Ni 2011) on the
piecewise-affine map (finite-difference Jacobian, accepted only when they reduce the residual).

Lotteries make the proposer's choice set convex; existence of a stationary equilibrium in
mixed/lottery proposals is then guaranteed (Banks & Duggan 2000). With ``lotteries=False``
(pure deals only) the iteration may cycle; the result says whether it converged.

Divide the dollar (transferable utility) is the special case of ``n`` deals "player ``i`` gets
everything" (an identity gains matrix): lotteries over them are the divisions of the dollar.
With symmetric recognition, quota ``q`` and a common discount ``delta`` the proposer keeps
``1 - delta (q - 1) / n`` and offers ``delta / n`` to each of ``q - 1`` others (Baron & Ferejohn
1989, Proposition 2 for majority rule; Eraslan 2002 for uniqueness of the payoffs).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from negotiation.dynamics.games.base import agreement_dict, describe, utilities_line
from negotiation.dynamics.games.lp import best_lottery
from negotiation.dynamics.games.projection import (
    pattern_deals,
    project,
    resolve_discounts,
    resolve_players,
)
from negotiation.engine.deal import Deal, Lottery
from negotiation.engine.frontier import Frontier
from negotiation.errors import (
    InfeasibleError,
    NegotiationError,
    NotApplicableError,
    ScenarioError,
)
from negotiation.model.scenario import Scenario

__all__ = [
    "StationaryEquilibrium",
    "BaronFerejohnResult",
    "stationary_equilibrium",
    "baron_ferejohn",
    "divide_the_dollar",
    "divide_the_dollar_closed_form",
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

#: Largest deal set of Baron-Ferejohn on a scenario (the players' Pareto set).
MAX_DEALS = 5_000


def _n_coalitions(k: int, proposer: int, quota: int, veto: Sequence[int]) -> int:
    must = len({v for v in veto if v != proposer})
    free = k - 1 - must
    need = quota - 1 - must
    return 1 if need <= 0 else math.comb(free, need)


def _coalitions(k: int, proposer: int, quota: int, veto: Sequence[int]) -> list[tuple[int, ...]]:
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
        for coal in _coalitions(k, i, q, veto):
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


def _anderson(F, v, tol, budget, memory=6):
    """Solve ``v = F(v)[0]`` by Anderson-accelerated iteration (Walker & Ni 2011).

    A step that does not reduce the residual (or leaves the feasible region) is replaced by a
    plain step and the history is cleared. Returns ``(v, F(v), residual, evaluations)``.
    """
    Fv = F(v)
    evals = 1
    resid = float(np.abs(Fv[0] - v).max())
    best = (v, Fv, resid)
    hist_x: list[np.ndarray] = []
    hist_f: list[np.ndarray] = []
    while resid > tol and evals < budget:
        f = Fv[0] - v
        hist_x.append(v.copy())
        hist_f.append(f.copy())
        if len(hist_x) > memory + 1:
            hist_x.pop(0)
            hist_f.pop(0)
        accepted = tried = False
        if len(hist_x) >= 2:
            tried = True
            dX = np.diff(np.array(hist_x), axis=0).T
            dF = np.diff(np.array(hist_f), axis=0).T
            gamma = np.linalg.lstsq(dF, f, rcond=None)[0]
            cand = v + f - (dX + dF) @ gamma
            if np.all(np.isfinite(cand)):
                try:
                    Fc = F(cand)
                    evals += 1
                    rc = float(np.abs(Fc[0] - cand).max())
                    if rc < resid:
                        v, Fv, resid, accepted = cand, Fc, rc, True
                except InfeasibleError:
                    pass
        if not accepted:
            if tried:
                hist_x.clear()
                hist_f.clear()
            v = Fv[0]
            try:
                Fv = F(v)
            except InfeasibleError:
                break
            evals += 1
            resid = float(np.abs(Fv[0] - v).max())
        if resid < best[2]:
            best = (v, Fv, resid)
    return (*best, evals)


def _newton(F, v, Fv, tol, budget, h):
    """Newton's method on ``v - F(v) = 0`` with a finite-difference Jacobian and backtracking.

    Used when accelerated iteration stalls (a steep smoothed map). Returns
    ``(v, F(v), residual, evaluations)``.
    """
    k = v.shape[0]
    evals = 0
    resid = float(np.abs(Fv[0] - v).max())
    while resid > tol and evals + k + 1 <= budget:
        J = np.empty((k, k))
        for j in range(k):
            e = v.copy()
            e[j] += h
            try:
                J[:, j] = (F(e)[0] - Fv[0]) / h
            except InfeasibleError:
                e[j] = v[j] - h
                J[:, j] = (Fv[0] - F(e)[0]) / h
            evals += 1
        try:
            step = np.linalg.solve(np.eye(k) - J, Fv[0] - v)
        except np.linalg.LinAlgError:
            return v, Fv, resid, evals
        t, accepted = 1.0, False
        while t > 1e-6 and evals < budget:
            cand = v + t * step
            try:
                Fc = F(cand)
                evals += 1
                rc = float(np.abs(Fc[0] - cand).max())
                if rc < (1.0 - 1e-4 * t) * resid:
                    v, Fv, resid, accepted = cand, Fc, rc, True
                    break
            except InfeasibleError:
                evals += 1
            t *= 0.5
        if not accepted:
            break
    return v, Fv, resid, evals


def stationary_equilibrium(
    gains: np.ndarray,
    recognition: Sequence[float],
    discounts: Sequence[float],
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

    def F_at(tau):
        if transferable:
            return lambda x: _dollar_stage(p, q, delta, veto, x, tau)
        return lambda x: _stage(G, acc, p, q, delta, veto, lotteries, x, False, tau)

    evals = 0
    for taus in plans:
        v = np.zeros(k)
        found = None
        for tau in taus:
            F = F_at(tau)
            budget = max(max_iter - evals, 2 * (k + 1))
            v1, Fv, resid, used = _anderson(F, v, tol, min(budget, 40))
            evals += used
            if resid > tol:
                h = 1e-7 * scale if tau == 0 else min(1e-7 * scale, 1e-3 * tau)
                newton_budget = min(max(budget - used, 2 * (k + 1)), 25 * (k + 2))
                v1, Fv, resid, used = _newton(F, v1, Fv, tol, newton_budget, h)
                evals += used
            if found is None or resid <= tol:
                found = (v1, Fv, resid, tau)
            if resid > tol:
                break  # keep the last temperature that converged
            v = v1
        if found[2] <= tol and found[3] == taus[-1]:
            break
    v, Fv, resid, tau = found
    converged = resid <= tol and tau == taus[-1]
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


@dataclass(frozen=True, eq=False)
class BaronFerejohnResult:
    """Stationary equilibrium of Baron–Ferejohn bargaining on a scenario (or the dollar).

    Attributes
    ----------
    players
        The players.
    recognition, discounts
        Recognition probabilities and effective discounts.
    quota
        Players who must accept (``len(players)`` for unanimity).
    values
        Each player's ex-ante expected *utility* (reservation plus continuation gain).
    shares
        Each player's ex-ante expected gain as a fraction of its largest feasible gain.
    proposals
        What each player proposes when recognised (a deal or a lottery).
    proposer_utilities
        ``{proposer: {player: expected utility}}`` when that proposer is recognised.
    agreement
        The ex-ante agreement: the lottery over the proposals by recognition probability.
    equilibrium
        The array-level :class:`StationaryEquilibrium`.
    """

    players: tuple[str, ...]
    recognition: dict[str, float]
    discounts: dict[str, float]
    quota: int
    values: dict[str, float]
    shares: dict[str, float]
    proposals: dict[str, Deal | Lottery | None]
    proposer_utilities: dict[str, dict[str, float]]
    agreement: Deal | Lottery | None
    equilibrium: StationaryEquilibrium = field(repr=False)
    lotteries: bool = True
    notes: tuple[str, ...] = ()
    model: str = "baron-ferejohn"

    @property
    def utilities(self) -> dict[str, float]:
        """Every party's expected utility of the ex-ante agreement."""
        if self.agreement is None:
            return dict(self.values)
        return dict(zip(self.agreement.parties, map(float, self.agreement.utilities), strict=False))

    def to_dict(self) -> dict:
        """JSON-ready result."""
        eq = self.equilibrium
        return {
            "model": self.model,
            "parties": list(self.players),
            "recognition": dict(self.recognition),
            "discounts": dict(self.discounts),
            "quota": self.quota,
            "lotteries": self.lotteries,
            "agreement": agreement_dict(self.agreement),
            "values": dict(self.values),
            "shares": dict(self.shares),
            "proposals": {
                name: {
                    "proposal": agreement_dict(self.proposals[name]),
                    "utilities": self.proposer_utilities[name],
                    "coalitions": [
                        {"partners": [self.players[j] for j in c], "probability": pr}
                        for c, pr in eq.coalitions[i]
                    ],
                }
                for i, name in enumerate(self.players)
            },
            "converged": bool(eq.converged),
            "residual": float(eq.residual),
            "notes": list(self.notes),
        }

    def summary(self) -> str:
        """A few readable lines."""
        lines = [
            f"Baron-Ferejohn bargaining: {', '.join(self.players)}; quota {self.quota} of "
            f"{len(self.players)}; recognition "
            + ", ".join(f"{k} {v:.3g}" for k, v in self.recognition.items()),
            "  discounts: " + ", ".join(f"{k} {v:.4g}" for k, v in self.discounts.items()),
            "  ex-ante expected utilities: " + utilities_line(self.values),
            "  shares of the largest feasible gain: "
            + ", ".join(f"{k} {v:.1%}" for k, v in self.shares.items()),
        ]
        for name in self.players:
            lines.append(f"  when {name} proposes: {describe(self.proposals[name])}")
            lines.append(f"    utilities: {utilities_line(self.proposer_utilities[name])}")
        if not self.equilibrium.converged:
            lines.append(f"  warning: not converged (residual {self.equilibrium.residual:.2g})")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


def _recognition(scenario, players, recognition) -> np.ndarray:
    if recognition is None:
        return np.full(len(players), 1.0 / len(players))
    if isinstance(recognition, str):
        if recognition != "power":
            raise ScenarioError(
                f"recognition must be None, 'power' or probabilities, got {recognition!r}"
            )
        pw = np.array([scenario.party(n).power for n in players], dtype=float)
        return pw / pw.sum()
    if isinstance(recognition, Mapping):
        for name in recognition:
            if name not in players:
                raise ScenarioError(
                    f"recognition probability for a non-player {list(players)}", party=str(name)
                )
        r = np.array([float(recognition.get(n, 0.0)) for n in players])
    else:
        r = np.array([float(x) for x in recognition])
        if r.shape != (len(players),):
            raise ScenarioError(f"need {len(players)} recognition probabilities, got {len(r)}")
    if np.any(~np.isfinite(r)) or np.any(r < 0) or not np.isclose(r.sum(), 1.0, atol=1e-9):
        raise ScenarioError(
            f"recognition probabilities must be >= 0 and sum to 1, got {r.tolist()}"
        )
    return r / r.sum()


def baron_ferejohn(
    scenario: Scenario,
    parties: Sequence[str] | str | None = None,
    *,
    recognition: Mapping[str, float] | Sequence[float] | str | None = None,
    quota: int | None = None,
    discounts: Mapping[str, float] | Sequence[float] | None = None,
    breakdown: float = 0.0,
    lotteries: bool = True,
    feasible_for: str = "all",
    frontier: Frontier | None = None,
    tol: float = 1e-10,
) -> BaronFerejohnResult:
    """Stationary equilibrium of Baron–Ferejohn bargaining over a scenario's deals.

    Parameters
    ----------
    scenario
        A discrete scenario.
    parties
        The players (default: every party).
    recognition
        Recognition probabilities (a mapping by name, one number per player, ``"power"`` for
        proportional to the parties' bargaining power, or ``None`` for equal).
    quota
        Players who must accept, the proposer included. Default: the scenario's quota when the
        players are all the parties, else unanimity. The scenario's veto players among the
        players must always accept.
    discounts, breakdown
        Discount overrides (each in ``(0, 1]``) and per-round breakdown probability.
    lotteries
        Allow lottery proposals (needed in general for existence; see the module).
    feasible_for, frontier
        Deal set under unanimity, see :func:`~negotiation.dynamics.games.projection.project`.

    References
    ----------
    D. P. Baron and J. A. Ferejohn, "Bargaining in legislatures", American Political Science
    Review 83(4), 1989. J. S. Banks and J. Duggan, "A bargaining model of collective choice",
    American Political Science Review 94(1), 2000.

    Examples
    --------
    >>> import negotiation as ng
    >>> r = baron_ferejohn(ng.load_scenario("textbook_two_party"))
    >>> r.quota, r.equilibrium.converged
    (2, True)
    """
    players = resolve_players(scenario, parties)
    # -- observers (issue 18): never proposers nor voters -------------------------------------
    deciders = [n for n in scenario.party_names if not scenario.party(n).observer]
    observers = [n for n in players if n not in deciders]
    if observers and parties is not None:
        raise ScenarioError(
            f"observers {observers} cannot be Baron-Ferejohn players (they neither propose "
            "nor vote)"
        )
    players = tuple(n for n in players if n in deciders)
    # -----------------------------------------------------------------------------------------
    k = len(players)
    index = [scenario.party_names.index(n) for n in players]
    p = _recognition(scenario, players, recognition)
    delta = resolve_discounts(scenario, players, discounts, breakdown)
    rule = scenario.agreement
    if quota is None:
        q = rule.quota if (rule.quota is not None and set(players) == set(deciders)) else k
    else:
        q = int(quota)
    if not 1 <= q <= k:
        raise ScenarioError(f"quota must be between 1 and {k}, got {quota}")
    q = min(q, k)
    veto = [players.index(v) for v in rule.veto if v in players]
    d = scenario.reservations
    notes = []
    if q >= k:
        proj = project(scenario, players, feasible_for=feasible_for, frontier=frontier)
        levels, U, acceptable = proj.levels, proj.utilities, None
    else:
        pdl = pattern_deals(scenario)
        acceptable = pdl.acceptable[:, index]
        keep = acceptable.sum(axis=1) >= q
        if not keep.any():
            raise InfeasibleError(
                f"no allowed outcome is acceptable to {q} of the players {list(players)}"
            )
        levels, U, acceptable = pdl.levels[keep], pdl.utilities[keep], acceptable[keep]
        notes.append(f"quota {q}: deals need not be acceptable to players left out")
    if U.shape[0] > MAX_DEALS:
        raise NotApplicableError(
            f"scenario {scenario.name!r}: Baron-Ferejohn over {U.shape[0]:,} deals (the players' "
            f"Pareto set) is more than MAX_DEALS={MAX_DEALS:,} (every proposer solves a linear "
            "programme over them at every step); use fewer issues or players"
        )
    G = U[:, index] - d[index]
    eq = stationary_equilibrium(
        G, p, delta, quota=q, veto=veto, acceptable=acceptable, lotteries=lotteries, tol=tol
    )
    if not eq.converged:
        notes.append(
            f"the fixed-point iteration did not converge (residual {eq.residual:.2g}); "
            "the values are approximate"
        )

    def lottery(w: np.ndarray) -> Deal | Lottery | None:
        w = np.where(w < 1e-10, 0.0, w)
        support = np.flatnonzero(w)
        if support.size == 0:  # the proposer waits: no proposal passes
            return None
        support = support[np.argsort(-w[support], kind="stable")]
        deals = tuple(
            Deal(
                levels[s].copy(), U[s].copy(), scenario.space.deal(levels[s]), scenario.party_names
            )
            for s in support
        )
        if len(deals) == 1:
            return deals[0]
        pr = w[support] / w[support].sum()
        return Lottery(deals, pr, pr @ U[support], scenario.party_names)

    proposals = {
        name: lottery(eq.proposals[i]) if p[i] > 0 else None for i, name in enumerate(players)
    }
    proposer_utilities = {
        name: {
            pname: float(eq.proposals[i] @ U[:, j]) for j, pname in enumerate(scenario.party_names)
        }
        for i, name in enumerate(players)
    }
    ex_ante = p @ eq.proposals
    agreement = lottery(ex_ante)
    waiting = [name for i, name in enumerate(players) if p[i] > 0 and proposals[name] is None]
    if agreement is None:
        notes.append(
            "no agreement: in this equilibrium no proposal passes, so every player keeps its "
            "reservation value"
        )
    elif waiting:
        notes.append(
            f"{' and '.join(waiting)} {'makes' if len(waiting) == 1 else 'make'} no proposal "
            "that passes when recognised (the round "
            "is lost; the values count the delay)"
        )
    patient = [name for j, name in enumerate(players) if delta[j] >= 1.0]
    if patient:
        notes.append(
            f"{' and '.join(patient)} never {'discounts' if len(patient) == 1 else 'discount'} "
            "the future (discount 1, no breakdown): a "
            "perfectly patient player can hold out, so the others must meet its full "
            "continuation value (as in Rubinstein's model with one patient player)"
        )
    ideal = G.max(axis=0)
    low = G.min(axis=0)
    slack = 1e-7 * np.maximum(1.0, np.abs(G).max(axis=0))
    bad = (eq.values > ideal + slack) | (eq.values < low - slack)
    if bad.any():  # pragma: no cover - a defect, never a silent number out of range
        j = int(np.flatnonzero(bad)[0])
        raise NegotiationError(
            f"internal error: Baron-Ferejohn value of {players[j]} "
            f"({d[index[j]] + eq.values[j]:.6g}) lies outside its feasible range "
            f"[{d[index[j]] + low[j]:.6g}, {d[index[j]] + ideal[j]:.6g}]",
            party=players[j],
        )
    values = {name: float(d[index[j]] + eq.values[j]) for j, name in enumerate(players)}
    shares = {
        name: float(eq.values[j] / ideal[j]) if ideal[j] > 0 else 1.0
        for j, name in enumerate(players)
    }
    return BaronFerejohnResult(
        players=players,
        recognition={n: float(x) for n, x in zip(players, p, strict=False)},
        discounts={n: float(x) for n, x in zip(players, delta, strict=False)},
        quota=q,
        values=values,
        shares=shares,
        proposals=proposals,
        proposer_utilities=proposer_utilities,
        agreement=agreement,
        equilibrium=eq,
        lotteries=lotteries,
        notes=tuple(notes),
    )


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
