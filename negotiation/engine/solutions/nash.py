"""The Nash bargaining solution and the asymmetric (generalised) Nash solution.

Maximise ``prod_i g_i ** alpha_i`` over the deals, ``g_i = u_i - d_i`` the gains over
disagreement: ``alpha = 1`` for the Nash (1950) [Nash1950]_ solution, the parties' ``power`` for the
asymmetric one (Kalai 1977 [Kalai1977a]_; Binmore, Rubinstein & Wolinsky 1986 [BRW1986]_). Nash
characterises his rule by Pareto optimality, symmetry, invariance to positive affine rescaling of
any party's utility and independence of irrelevant alternatives.

*Nash and asymmetric Nash.* Work in logs: ``sum_i alpha_i log g_i``. Ties: the leximin order of
the normalised gains ``g_i / (I_i - d_i)`` (scale-free, so the rule stays invariant to positive
affine rescaling of any party's utilities, tie-breaks included). Negative gains (possible
only under a quota rule, for an outvoted party) count as zero. When no deal gives every party a
positive gain the product is zero everywhere; the rule is then *lexicographic*: first maximise
the number of parties with a positive gain, then ``sum alpha_i log(g_i / (I_i - d_i))`` over
those parties (normalised gains, so that deals where different parties gain are compared
without regard to the parties' utility scales). When some deal gives every party a positive gain
this is the plain Nash product (normalising only subtracts a constant from the log product); a
party whose ideal equals its reservation (it can gain nothing anywhere) simply drops out.

*Over lotteries* (:func:`nash_lottery_weights`): maximise ``sum_i alpha_i log(g_i(p))``,
``g(p) = sum_k p_k (u_k - d)``, a concave programme on the simplex, solved by column generation
(fully corrective Frank-Wolfe): a small master problem (SLSQP) over the active deals, and the
deal with the largest ``lambda . g_k``, ``lambda_i = alpha_i / g_i(p)``, joins until no deal
improves (the KKT condition ``max_k lambda . g_k <= sum alpha``).

*On continuous issues* (:func:`nash_continuous`): the same programme on each sub-problem's
polytope, by column generation over its vertices (the linear programme is the oracle), with
branch and bound on the count of gaining parties and the log product.

References
----------
.. [Nash1950] Nash, "The bargaining problem" (1950). Full entry: docs/references.md.
.. [Kalai1977a] Kalai, "Nonsymmetric Nash solutions and replications of 2-person bargaining" (1977).
   Full entry: docs/references.md.
.. [BRW1986] Binmore, Rubinstein, Wolinsky, "The Nash bargaining solution in economic modelling"
   (1986). Full entry: docs/references.md.
.. [FrankWolfe1956] Frank, Wolfe, "An algorithm for quadratic programming" (1956); fully corrective
   variant: [vonHohenbalken1977]_. Full entry: docs/references.md.
.. [vonHohenbalken1977] von Hohenbalken, "Simplicial decomposition in nonlinear programming
   algorithms" (1977). Full entry: docs/references.md.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from typing import ClassVar

import numpy as np

from negotiation.engine.deal import Deal, Lottery
from negotiation.engine.frontier import Frontier
from negotiation.engine.solutions.base import Levels, Power, Solution, Vector, Weights
from negotiation.engine.solutions.choice import (
    as_problem,
    can_gain,
    check_power,
    choose,
    leximin_keys,
)
from negotiation.engine.solutions.lottery import cut_gains, finish_weights, ir_index, lottery_ideal
from negotiation.engine.solutions.subproblems import (
    ContinuousSolution,
    Subproblems,
    best_leximin,
    tie,
)
from negotiation.engine.solvers.leximin import maxmin
from negotiation.engine.solvers.nash_convex import nash_colgen, nash_master
from negotiation.engine.solvers.nash_newton import nash_active_set
from negotiation.engine.solvers.polytope import simplex_polytope
from negotiation.errors import NegotiationError
from negotiation.model.scenario import reservation_tolerance

__all__ = [
    "ASYMMETRIC_NASH",
    "NASH",
    "AsymmetricNash",
    "Nash",
    "asymmetric_nash",
    "asymmetric_nash_lottery",
    "nash",
    "nash_continuous",
    "nash_index",
    "nash_lottery",
    "nash_lottery_weights",
]


def nash_index(
    U: np.ndarray,
    d: np.ndarray | Sequence[float],
    power: np.ndarray | Sequence[float] | None = None,
    *,
    levels: np.ndarray | None = None,
) -> int:
    """Row of ``U`` that maximises the (asymmetric) Nash product of gains over ``d``.

    Maximises ``sum_i alpha_i log(u_i - d_i)`` (``alpha = power``, all 1 by default: the Nash
    1950 solution; otherwise the asymmetric Nash solution of Kalai 1977). If no row gives every
    party a positive gain, rows are compared first by how many parties gain, then by the log
    product of the normalised gains ``(u_i - d_i) / max_k (u_ki - d_i)`` over those parties (see
    the module docstring). Ties: the leximin order of the
    normalised gains ``(u_i - d_i) / max_k (u_ki - d_i)`` (so the whole rule, tie-breaks
    included, is invariant to positive affine rescaling), then the smallest ``levels`` row (or
    the first row).

    Parameters
    ----------
    U
        ``N x P`` utilities of the candidate deals (the feasible set, or its frontier).
    d
        Disagreement point (reservation values), length ``P``.
    power
        Exponents ``alpha_i > 0``; ``None`` for the symmetric solution.
    levels
        ``N x issues`` level rows, for the last tie-break (smallest outcome index).

    Examples
    --------
    >>> U = np.array([[1.0, 0.0], [0.6, 0.6], [0.2, 0.9], [0.0, 1.0]])
    >>> nash_index(U, [0.0, 0.0])
    1
    >>> nash_index(U, [0.0, 0.0], power=[1.0, 4.0])
    2
    """
    U, d = as_problem(U, d)
    alpha = check_power(power, U.shape[1])
    alpha = alpha / alpha.max()  # only the ratios matter; huge powers (1e308) do not overflow
    G = U - d
    pos = can_gain(G, d)
    count = pos.sum(axis=1)
    span = np.where(pos.any(axis=0), G.max(axis=0), 1.0)
    R = G / span  # normalised gains: scale-free
    value = np.where(pos, np.log(np.where(pos, R, 1.0)), 0.0) @ alpha
    use = pos.any(axis=0)
    ties = leximin_keys(R[:, use]) if use.any() else []
    return choose([count, value, *ties], U.shape[0], levels)


def nash_lottery_weights(
    U: np.ndarray,
    d: np.ndarray | Sequence[float],
    power: np.ndarray | Sequence[float] | None = None,
    *,
    levels: np.ndarray | None = None,
    cut: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """The (asymmetric) Nash solution over lotteries on the rows of ``U``.

    Maximises ``sum_i alpha_i log(sum_k p_k u_ki - d_i)`` over the probability simplex, over the
    parties with a positive ideal gain (ideal of the cut hull, :func:`lottery_ideal`). Rows may
    lie below ``d`` for some party (Nash 1950: the bargaining set is the hull of every allowed
    deal, cut at ``d``); the logarithm keeps the expected gains positive. The powers are
    normalised to ``alpha / max(alpha)`` first: the solution depends only on their ratios, and
    huge powers (``1e308``) then neither overflow nor stall the solver. Returns
    ``(rows, probabilities)`` with at most ``P`` rows (sorted), probabilities summing to 1.

    Examples
    --------
    >>> rows, p = nash_lottery_weights(np.array([[1.0, 0.0], [0.0, 1.0]]), [0.0, 0.0])
    >>> rows.tolist(), np.round(p, 6).tolist()
    ([0, 1], [0.5, 0.5])
    """
    U, d = as_problem(U, d)
    M, P = U.shape
    alpha = check_power(power, P)
    alpha = alpha / alpha.max()
    G, tol, ir = cut_gains(U, d, cut)

    def pure() -> int:  # the deterministic Nash deal (with its tie-breaks)
        return ir_index(U, d, ir, nash_index, power=alpha, levels=levels)

    ideal = lottery_ideal(U, d) if ir.any() and not ir.all() else U.max(axis=0)
    S = ideal - d > reservation_tolerance(d)
    if not S.any() or M == 1:
        return np.array([pure()]), np.ones(1)
    cand = np.arange(M)
    if not S.all() and not ir.all() and ir.any():
        # A party that cannot gain keeps exactly its reservation: mix only rows that give it
        # at least that (a sufficient restriction; exact unless it needs compensating mixtures).
        cand = np.flatnonzero(np.all(G[:, ~S] >= -tol[~S], axis=1))
    Gs = G[np.ix_(cand, np.flatnonzero(S))]
    a = alpha[S]
    best = _clear_best(Gs, a, ir[cand])
    if best is None:  # ties (or nobody gains everywhere): the tie-broken deal
        k0 = pure()
        best = int(np.flatnonzero(cand == k0)[0]) if k0 in cand else 0
    pos0 = best
    start = sorted({int(np.argmax(Gs[:, j])) for j in range(Gs.shape[1])} | {pos0})
    # Is there a lottery with every party of S gaining? (always, under unanimity)
    p0 = np.zeros(Gs.shape[0])
    if np.all(Gs[pos0] > 0):
        p0[pos0] = 1.0  # the deterministic Nash deal: the usual start
    else:
        p0[start] = 1.0 / len(start)
    if (Gs[start].mean(axis=0) <= 0).any():
        mm = maxmin(simplex_polytope(Gs), np.ones(Gs.shape[1]))
        if mm is None or mm[1] <= float(reservation_tolerance(d[S]).max()):
            return np.array([pure()]), np.ones(1)
        start = sorted(set(start) | set(np.flatnonzero(mm[0] > 1e-12).tolist()))
        if not np.all(Gs[pos0] > 0):
            p0 = np.clip(mm[0], 0.0, None)
    # Fast path: the active-set Newton method on the gains scaled to [.., 1] per party (the
    # solution is invariant to that scaling), certified by the KKT test over every candidate.
    top = Gs.max(axis=0)
    w = nash_active_set(Gs / np.where(top > 0, top, 1.0), a, p0)
    if w is not None:
        p = np.zeros(M)
        p[cand] = w
        return finish_weights(U, p, P)

    def oracle(lam: np.ndarray) -> tuple[np.ndarray, int]:
        k = int(np.argmax(Gs @ lam))
        return Gs[k], k

    # Fallback: column generation with SLSQP masters (slower, but robust where the Newton
    # method could not certify its answer).
    w, cols = nash_colgen(oracle, [(Gs[k], k) for k in start], a)
    p = np.zeros(M)
    for wk, (_, k) in zip(w, cols, strict=True):
        p[int(cand[int(k)])] += wk
    pos = {int(c): j for j, c in enumerate(cand)}

    def polish(rows: np.ndarray, w0: np.ndarray) -> np.ndarray:
        return nash_master(Gs[[pos[int(r)] for r in rows]], a, w0)

    return finish_weights(U, p, P, polish)


def _clear_best(Gs: np.ndarray, a: np.ndarray, ir: np.ndarray) -> int | None:
    """The individually rational row where every party gains with the largest
    ``sum a log g``, when it beats every other such row by a clear margin (1e-9): then it is
    the deterministic Nash deal without the tie-breaks of :func:`nash_index` (whose sorts cost
    more than the whole Newton method); ``None`` otherwise."""
    ok = ir & np.all(Gs > 0, axis=1)
    if not ok.any():
        return None
    value = np.full(Gs.shape[0], -np.inf)
    value[ok] = np.log(Gs[ok]) @ a
    j = int(np.argmax(value))
    if ok.sum() > 1 and np.partition(value, -2)[-2] >= value[j] - 1e-9 * max(1.0, abs(value[j])):
        return None
    return j


def nash(frontier: Frontier) -> Deal:
    """The Nash bargaining solution: the frontier deal maximising ``prod_i (u_i - d_i)``.

    ``d`` is the reservation vector; observers (``observer = true``) are left out of the
    product (they are scored, not bargaining). Nash (1950) characterises this rule by Pareto optimality,
    symmetry, invariance to positive affine rescaling of any party's utility, and independence
    of irrelevant alternatives. Degenerate cases and ties: see the module docstring.

    Raises
    ------
    InfeasibleError
        When the feasible set is empty (with the frontier's diagnosis).

    Examples
    --------
    >>> from negotiation import load_scenario
    >>> from negotiation.engine.frontier import enumerate_frontier
    >>> nash(enumerate_frontier(load_scenario("textbook_two_party"))).terms
    {'salary': '60k', 'remote_days': 'two_days', 'start_date': 'one_month'}
    """
    return NASH.pure(frontier)


def asymmetric_nash(
    frontier: Frontier, power: Sequence[float] | Mapping[str, float] | None = None
) -> Deal:
    """The asymmetric (generalised) Nash solution: maximise ``prod_i (u_i - d_i) ** alpha_i``.

    ``alpha`` is ``power`` (a sequence, or ``{party: power}``), by default each party's
    ``power`` from the scenario (Kalai 1977; Binmore, Rubinstein & Wolinsky 1986, where the
    exponents come from the parties' discount rates and breakdown risks). With equal powers it
    is the Nash solution.

    Raises
    ------
    InfeasibleError
        When the feasible set is empty.
    """
    return ASYMMETRIC_NASH.pure(frontier, power)


def nash_lottery(frontier: Frontier, *, support: str = "allowed") -> Lottery:
    """The Nash solution over lotteries (at most ``P`` deals).

    Maximises the product of expected gains over disagreement on the convex bargaining set of
    Nash (1950): the mixtures of the deals of :func:`~negotiation.engine.solutions.lottery.lottery_candidates` (``support``) whose
    expected utility is at least every party's reservation.

    Raises
    ------
    InfeasibleError
        When the feasible set is empty.

    Examples
    --------
    >>> from negotiation import load_scenario
    >>> from negotiation.engine.frontier import enumerate_frontier
    >>> lot = nash_lottery(enumerate_frontier(load_scenario("textbook_two_party")))
    >>> len(lot.deals) <= 2, round(float(lot.probabilities.sum()), 12)
    (True, 1.0)
    """
    return NASH.lottery(frontier, support=support)


def asymmetric_nash_lottery(
    frontier: Frontier,
    power: Sequence[float] | Mapping[str, float] | None = None,
    *,
    support: str = "allowed",
) -> Lottery:
    """The asymmetric Nash solution over lotteries (exponents: ``power`` or the parties' powers;
    only their ratios matter).

    Raises
    ------
    InfeasibleError
        When the feasible set is empty.
    """
    return ASYMMETRIC_NASH.lottery(frontier, power, support=support)


def nash_continuous(
    problem: Subproblems, alpha: np.ndarray, name: str = "nash"
) -> ContinuousSolution:
    """The (asymmetric) Nash solution of a scenario with continuous issues, exactly.

    Branch and bound over the sub-problems on cheap bounds (the count of parties that can gain,
    then the log product of the box maxima of the normalised gains); on each sub-problem the
    concave programme by column generation (:func:`_nash_in`). Ties across sub-problems: the
    leximin order of the normalised gains, then the first sub-problem.
    """
    span = problem.ideal - problem.d
    S = span > problem.tol
    span = np.where(S, span, 1.0)
    pos = (problem.gmax > problem.tol) & S
    count_ub = pos.sum(axis=1)
    # log products of normalised gains g_p / (I_p - d_p), as in solutions.nash_index
    ratio = np.where(pos, np.maximum(problem.gmax, problem.tol) / span, 1.0)
    log_ub = np.log(ratio) @ alpha
    order = np.lexsort((-log_ub, -count_ub))
    best: tuple[int, float] = (-1, -np.inf)
    found: list[tuple[int, np.ndarray, np.ndarray, tuple[int, float]]] = []
    for k in order:
        k = int(k)
        if count_ub[k] < best[0] or (count_ub[k] == best[0] and log_ub[k] < best[1] - tie(best[1])):
            break  # no later sub-problem can reach the best found
        out = _nash_in(problem, k, np.flatnonzero(pos[k]), alpha, best[0], span)
        if out is None:
            continue
        z, key = out
        if key[0] > best[0] or (key[0] == best[0] and key[1] > best[1]):
            best = key
        found.append((k, z, np.sort((problem.A[k] @ z + problem.b[k]) / span), key))
    if not found:
        raise problem.empty_error()
    tied = sorted(
        (f for f in found if f[3][0] == best[0] and f[3][1] >= best[1] - tie(best[1])),
        key=lambda f: f[0],
    )
    k, z = best_leximin([(f[0], f[1], f[2]) for f in tied])
    g = problem.A[k] @ z + problem.b[k]
    gain = (g > problem.tol) & S
    return problem.solution(name, k, z, float(np.prod(g[gain] ** alpha[gain])))


def _nash_in(
    problem: Subproblems,
    k: int,
    candidates: np.ndarray,
    alpha: np.ndarray,
    min_count: int,
    span: np.ndarray,
) -> tuple[np.ndarray, tuple[int, float]] | None:
    """Nash on sub-problem ``k``: ``(z, (count, log product))``, or ``None`` when the
    sub-problem is infeasible or fewer than ``min_count`` parties can gain in it."""
    Sk, cols = [], []
    for p in candidates:
        res = problem.max_gain(k, int(p))
        if res is None:
            return None  # the sub-problem is infeasible
        if res[1] > problem.tol[p]:
            Sk.append(int(p))
            cols.append(res[0])
    if len(Sk) < min_count:
        return None
    if not Sk:
        res = problem.max_gain(k, 0)
        return None if res is None else (res[0], (0, 0.0))
    poly = problem.polytope(k)
    a = alpha[Sk]

    def oracle(lam: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        full = np.zeros(poly.k)
        full[Sk] = lam
        res = poly.lp(full)
        if res is None:  # pragma: no cover - the sub-problem was feasible
            raise NegotiationError("internal error: sub-problem became infeasible")
        return poly.gains(res[0])[Sk], res[0]

    w, used = nash_colgen(oracle, [(poly.gains(z0)[Sk], z0) for z0 in cols], a)
    z = np.sum([wi * zi for wi, (_, zi) in zip(w, used, strict=True)], axis=0)
    g = poly.gains(z)[Sk]
    return z, (len(Sk), float(a @ np.log(np.maximum(g, 1e-300) / span[Sk])))


#: The Nash lotteries' mixtures per frontier, support and (unequal) powers.
_MIXTURES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class Nash(Solution):
    """The Nash bargaining solution (Nash 1950)."""

    name = "nash"
    label = "Nash"
    short = "Nash"
    marker = "*"
    linestyle: ClassVar[object] = "-"
    reference = "Nash1950"
    scale_invariant = True
    deciders_only = True  # observers are not in the Nash product (issue 18)

    def index(
        self, U: np.ndarray, d: Vector, *, power: Vector | None = None, levels: Levels = None
    ) -> int:
        return nash_index(U, d, power if self.uses_power else None, levels=levels)

    def lottery_weights(
        self,
        U: np.ndarray,
        d: Vector,
        *,
        power: Vector | None = None,
        levels: Levels = None,
        cut: bool = True,
    ) -> Weights:
        return nash_lottery_weights(
            U, d, power if self.uses_power else None, levels=levels, cut=cut
        )

    def lottery_mixture(
        self, frontier: Frontier, power: Power = None, *, support: str = "allowed"
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        # The Nash product depends on the powers' ratios only: with equal powers the asymmetric
        # solution is the symmetric one, computed once per frontier and support.
        alpha = self.powers(frontier.scenario, power)
        cols = self.columns(frontier.scenario)
        if alpha is not None and np.all(alpha[cols] == alpha[cols][0]):
            alpha = None
        key = (support, None if alpha is None else alpha[cols].tobytes())
        memo = _MIXTURES.setdefault(frontier, {})
        if key not in memo:
            memo[key] = super().lottery_mixture(frontier, power, support=support)
        return memo[key]

    def continuous(self, problem: Subproblems, *, power: Power = None) -> ContinuousSolution:
        alpha = self.powers(problem.scenario, power)
        if alpha is None:
            alpha = np.ones(len(problem.scenario.parties))
        return nash_continuous(problem, alpha, self.name)


class AsymmetricNash(Nash):
    """The asymmetric Nash solution: exponents are the parties' bargaining powers (Kalai 1977;
    Binmore, Rubinstein & Wolinsky 1986)."""

    name = "asymmetric_nash"
    label = "Asymmetric Nash"
    short = "asym. Nash"
    marker = "P"
    linestyle = (0, (6, 2))
    reference = "Kalai1977a"
    uses_power = True


NASH = Nash()
ASYMMETRIC_NASH = AsymmetricNash()
