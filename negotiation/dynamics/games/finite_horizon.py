"""Finite-horizon bargaining with a deadline, any number of players, by backward induction.

Rounds ``t = 0, 1, ..., T - 1``; in round ``t`` the player ``order[t mod len(order)]`` proposes a
deal (or, with ``lotteries``, a lottery over deals); the others answer simultaneously and the
proposal passes when every responder accepts (unanimity) or, under a quota ``q``, when at least
``q - 1`` responders (including every veto player) accept. A passed proposal ends the game. If no
proposal passes by round ``T - 1``, the *deadline outcome* applies at ``T``: disagreement (every
player gets its reservation) or a given default deal. Payoffs discount gains over reservation:
an outcome with utility ``u`` at round ``t`` is worth ``d_i + delta_i^t (u_i - d_i)`` (with a
per-round breakdown probability ``p``, ``delta_i`` becomes ``(1 - p) delta_i``).

Subgame-perfect equilibrium by backward induction (Stahl 1972; Osborne & Rubinstein 1990,
ch. 3): let ``V_T`` be the deadline outcome's discounted gains; for ``t = T - 1, ..., 0`` a
responder ``i`` accepts a proposal ``x`` iff ``delta_i^t g_i(x) >= V_(t+1),i`` (ties accepted) and
finds ``x`` acceptable (red lines, reservation); the proposer ``k`` picks the passing proposal
maximising ``delta_k^t g_k(x)`` -- ties broken by the largest sum of the others' gains, then the
lowest deal index -- if it is worth at least ``V_(t+1),k``; else it makes no serious offer and
``V_t = V_(t+1)``. With lotteries the proposer's problem is a linear programme
(:func:`~negotiation.dynamics.games.lp.best_lottery`); under a quota the proposer also picks the
cheapest coalition of responders.

The deal set: under unanimity the players' Pareto-feasible deals (lossless: a dominated deal is
never needed); under a quota the allowed outcomes grouped by who accepts them (see
:func:`~negotiation.dynamics.games.projection.pattern_deals`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from negotiation.dynamics.games.base import (
    agreement_dict,
    describe,
    frontier_view,
    lottery,
    utilities_line,
)
from negotiation.dynamics.games.lp import best_lottery
from negotiation.dynamics.games.patterns import quota_deals
from negotiation.dynamics.games.players import resolve_discounts, resolve_players
from negotiation.dynamics.games.projection import project
from negotiation.dynamics.games.stationary import responder_coalitions
from negotiation.engine.deal import Deal, Lottery
from negotiation.engine.frontier import Frontier
from negotiation.errors import InfeasibleError, ScenarioError
from negotiation.model.scenario import Scenario

__all__ = ["BackwardInduction", "FiniteHorizonResult", "backward_induction", "finite_horizon"]

_TOL = 1e-12


@dataclass(frozen=True, eq=False)
class BackwardInduction:
    """The backward-induction solution on arrays.

    Attributes
    ----------
    values
        ``(T + 1) x k``: each player's equilibrium payoff (gain over reservation, discounted to
        round 0) in the subgame starting at round ``t``; row ``T`` is the deadline.
    proposals
        For each round, the weights over the deals of the proposal that passes there (a one-hot
        vector for a pure deal), or ``None`` when the proposer prefers to wait.
    proposers
        The proposer's position (among the players) in each round.
    """

    values: np.ndarray
    proposals: tuple[np.ndarray | None, ...]
    proposers: tuple[int, ...]

    @property
    def agreement_round(self) -> int | None:
        """The round at which the equilibrium path agrees (``None``: the deadline is reached)."""
        for t, w in enumerate(self.proposals):
            if w is not None:
                return t
        return None


def backward_induction(
    gains: np.ndarray,
    discounts: Sequence[float] | np.ndarray,
    horizon: int,
    order: Sequence[int],
    *,
    deadline_gains: Sequence[float] | np.ndarray | None = None,
    quota: int | None = None,
    veto: Sequence[int] = (),
    acceptable: np.ndarray | None = None,
    lotteries: bool = False,
) -> BackwardInduction:
    """Subgame-perfect equilibrium of the finite-horizon game on a gains matrix.

    Parameters
    ----------
    gains
        ``K x k`` gains over reservation of the ``K`` deals for the ``k`` players.
    discounts
        ``k`` per-round discount factors in ``(0, 1]``.
    horizon
        Number of rounds ``T >= 1``.
    order
        Proposer positions, cycled: round ``t``'s proposer is ``order[t % len(order)]``.
    deadline_gains
        Undiscounted gains of the deadline outcome (default zeros: disagreement).
    quota, veto
        At least ``quota`` players including the proposer must accept (default: all), and every
        veto player.
    acceptable
        ``K x k`` boolean: who may accept each deal (default: everybody).
    lotteries
        Allow lotteries over the deals.

    Examples
    --------
    Ultimatum (one round) over two deals: the proposer takes its best deal.

    >>> bi = backward_induction(np.array([[0.9, 0.1], [0.2, 0.8]]), [0.9, 0.9], 1, [0])
    >>> bi.proposals[0].tolist(), bi.values[0].tolist()
    ([1.0, 0.0], [0.9, 0.1])
    """
    G = np.asarray(gains, dtype=float)
    K, k = G.shape
    delta = np.asarray(discounts, dtype=float)
    T = int(horizon)
    if T < 1:
        raise ScenarioError(f"the horizon must be at least one round, got {horizon}")
    if K == 0:
        raise InfeasibleError("no deal to bargain over")
    order = [int(i) for i in order]
    if not order or any(not 0 <= i < k for i in order):
        raise ScenarioError(f"proposer order must list player positions 0..{k - 1}, got {order}")
    q = k if quota is None else int(quota)
    if not 1 <= q <= k:
        raise ScenarioError(f"quota must be between 1 and {k}, got {quota}")
    acc = np.ones((K, k), dtype=bool) if acceptable is None else np.asarray(acceptable, bool)
    z = np.zeros(k) if deadline_gains is None else np.asarray(deadline_gains, dtype=float)
    values = np.zeros((T + 1, k))
    values[T] = delta**T * z
    proposals: list[np.ndarray | None] = [None] * T
    proposers = tuple(order[t % len(order)] for t in range(T))
    for t in range(T - 1, -1, -1):
        prop = proposers[t]
        P = G * delta**t
        cont = values[t + 1]
        best = _best_proposal(P, cont, prop, acc, q, veto, lotteries)
        if best is not None and best[1] >= cont[prop] - _TOL:
            proposals[t] = best[0]
            values[t] = best[0] @ P
        else:
            values[t] = cont
    return BackwardInduction(values=values, proposals=tuple(proposals), proposers=proposers)


def _best_proposal(
    P: np.ndarray,
    cont: np.ndarray,
    prop: int,
    acc: np.ndarray,
    q: int,
    veto: Sequence[int],
    lotteries: bool,
) -> tuple[np.ndarray, float] | None:
    """The proposer's best passing proposal in one round: ``(weights, own gain)`` or ``None``.

    ``P`` are this round's discounted gains and ``cont`` the continuation values; a responder
    accepts what gives it at least its continuation value. A pure deal: the proposer's best
    passing deal (ties to the deal best for the others, then the lowest index). With lotteries:
    the best lottery for each coalition of responders (:func:`best_lottery`).
    """
    K, k = P.shape
    others = [i for i in range(k) if i != prop]
    tie = P[:, others].sum(axis=1)
    best: tuple[np.ndarray, float] | None = None
    if not lotteries:
        ok_resp = acc[:, others] & (P[:, others] >= cont[others] - _TOL)
        passes = acc[:, prop] & (ok_resp.sum(axis=1) >= q - 1)
        for v in veto:
            if v != prop:
                passes &= ok_resp[:, others.index(v)]
        if passes.any():
            cand = np.flatnonzero(passes)
            own = P[cand, prop]
            top = cand[own >= own.max() - _TOL]
            x = int(top[np.argmax(tie[top])])  # first index among the best ties
            w = np.zeros(K)
            w[x] = 1.0
            best = (w, float(P[x, prop]))
        return best
    for coal in responder_coalitions(k, prop, q, veto):
        support = acc[:, prop] & acc[:, list(coal)].all(axis=1)
        sol = best_lottery(
            P[:, prop], P[:, list(coal)], cont[list(coal)], others=tie, support=support
        )
        if sol is not None and (best is None or sol[1] > best[1] + _TOL):
            best = sol
    return best


@dataclass(frozen=True, eq=False)
class FiniteHorizonResult:
    """Subgame-perfect equilibrium of the finite-horizon game on a scenario.

    Attributes
    ----------
    players, order
        The players, and the proposers' cycle (names).
    horizon
        Number of rounds.
    agreement
        The equilibrium agreement: the first passing proposal (a :class:`Deal` or, with
        lotteries, possibly a :class:`Lottery`), the default deal if the deadline is reached,
        or ``None`` (disagreement at the deadline).
    round
        The round of agreement (``horizon`` when the deadline's default deal applies, ``None``
        for disagreement).
    plan
        Round by round: who proposes what in the subgame starting there, and the players'
        equilibrium utilities from there on (discounted to round 0).
    """

    players: tuple[str, ...]
    order: tuple[str, ...]
    horizon: int
    discounts: dict[str, float]
    deadline: str
    agreement: Deal | Lottery | None
    round: int | None
    plan: pd.DataFrame = field(repr=False)
    lotteries: bool = False
    quota: int | None = None
    notes: tuple[str, ...] = ()
    model: str = "finite"

    @property
    def utilities(self) -> dict[str, float]:
        """Every party's (expected, undiscounted) utility of the agreement."""
        if self.agreement is None:
            return {}
        return dict(zip(self.agreement.parties, map(float, self.agreement.utilities), strict=False))

    def to_dict(self) -> dict:
        """JSON-ready result."""
        return {
            "model": self.model,
            "parties": list(self.players),
            "order": list(self.order),
            "horizon": self.horizon,
            "discounts": dict(self.discounts),
            "deadline": self.deadline,
            "quota": self.quota,
            "lotteries": self.lotteries,
            "agreement": agreement_dict(self.agreement),
            "round": self.round,
            "plan": [
                {
                    "round": int(r["round"]),
                    "proposer": r["proposer"],
                    "proposal": r["proposal_dict"],
                    "values": {p: float(r[p]) for p in self.players},
                }
                for _, r in self.plan.iterrows()
            ],
            "notes": list(self.notes),
        }

    def summary(self) -> str:
        """A few readable lines."""
        when = (
            "no agreement by the deadline"
            if self.round is None
            else f"agreement in round {self.round}"
            if self.round < self.horizon
            else "the deadline's default deal applies"
        )
        lines = [
            f"Finite-horizon bargaining: {', '.join(self.players)}; {self.horizon} rounds, "
            f"proposers in turn {', '.join(self.order)}; deadline: {self.deadline}",
            f"  {when}: {describe(self.agreement)}",
        ]
        if self.agreement is not None:
            lines.append(f"  utilities: {utilities_line(self.utilities)}")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


# size: the numpy docstring (parameters, references, example) is most of it; the body is 54 lines
def finite_horizon(
    scenario: Scenario,
    parties: Sequence[str] | str | None = None,
    *,
    horizon: int,
    order: Sequence[str] | None = None,
    proposer: str | None = None,
    discounts: Mapping[str, float] | Sequence[float] | None = None,
    breakdown: float = 0.0,
    deadline: str | Deal | Mapping[str, str] = "disagreement",
    quota: int | None = None,
    lotteries: bool = False,
    feasible_for: str = "all",
    frontier: Frontier | None = None,
) -> FiniteHorizonResult:
    """Backward-induction equilibrium of bargaining with a deadline on a scenario.

    Parameters
    ----------
    scenario
        A discrete scenario.
    parties
        The players (default: every party); the others' utilities are reported.
    horizon
        Number of rounds ``T >= 1``.
    order
        The proposers' cycle (player names; default the players in order, starting with
        ``proposer`` when given).
    proposer
        Who proposes first (rotates the default order).
    discounts, breakdown
        Discount overrides (each in ``(0, 1]``) and per-round breakdown probability.
    deadline
        ``"disagreement"`` (default) or a default deal (a :class:`Deal` or ``{issue: level}``)
        imposed at the deadline.
    quota
        Number of players (proposer included) who must accept; ``None`` for unanimity.
    lotteries
        Let proposers offer lotteries over deals.
    feasible_for, frontier
        See :func:`~negotiation.dynamics.games.projection.project` (unanimity only).

    References
    ----------
    .. [Stahl1972] Stahl, *Bargaining Theory* (1972). Full entry: docs/references.md.
    .. [OsborneRubinstein1990] Osborne, Rubinstein, *Bargaining and Markets* (1990); ch. 3.
       Full entry: docs/references.md.

    Examples
    --------
    >>> import negotiation as ng
    >>> r = finite_horizon(ng.load_scenario("textbook_two_party"), horizon=1)
    >>> r.round, r.agreement.terms["salary"]
    (0, '60k')
    """
    players = resolve_players(scenario, parties)
    k = len(players)
    order = _proposer_order(scenario, players, order, proposer)
    if not isinstance(horizon, (int, np.integer)) or horizon < 1:
        raise ScenarioError(f"the horizon must be a whole number of rounds >= 1, got {horizon!r}")
    delta = resolve_discounts(scenario, players, discounts, breakdown)
    index = [scenario.party_names.index(n) for n in players]
    d = scenario.reservations
    unanimity = quota is None or int(quota) >= k
    if unanimity:
        proj = project(scenario, players, feasible_for=feasible_for, frontier=frontier)
        levels, U, acceptable = proj.levels, proj.utilities, None
    else:
        levels, U, acceptable = quota_deals(scenario, players, int(quota))  # type: ignore[arg-type]
    G = U[:, index] - d[index]
    default = _deadline_deal(scenario, deadline)
    z = np.zeros(k) if default is None else default.utilities[index] - d[index]
    bi = backward_induction(
        G,
        delta,
        int(horizon),
        [players.index(n) for n in order],
        deadline_gains=z,
        quota=None if unanimity else int(quota),  # type: ignore[arg-type]
        acceptable=acceptable,
        lotteries=lotteries,
    )
    rows = frontier_view(scenario, levels, U)
    plan = _plan(bi, rows, players, d[index])
    t0 = bi.agreement_round
    agreement: Deal | Lottery | None
    if t0 is not None:
        agreement = lottery(rows, bi.proposals[t0])  # type: ignore[arg-type]
        rnd: int | None = t0
    elif default is not None:
        agreement, rnd = default, int(horizon)
    else:
        agreement, rnd = None, None
    notes = (
        [] if unanimity else [f"quota {quota}: deals need not be acceptable to players left out"]
    )
    return FiniteHorizonResult(
        players=players,
        order=tuple(order),
        horizon=int(horizon),
        discounts={p: float(v) for p, v in zip(players, delta, strict=False)},
        deadline="disagreement" if default is None else f"default deal ({describe(default)})",
        agreement=agreement,
        round=rnd,
        plan=plan,
        lotteries=bool(lotteries),
        quota=None if unanimity else int(quota),  # type: ignore[arg-type]
        notes=tuple(notes),
    )


def _proposer_order(
    scenario: Scenario,
    players: tuple[str, ...],
    order: Sequence[str] | None,
    proposer: str | None,
) -> list[str]:
    """The proposers' cycle: ``order`` checked, or the players starting with ``proposer``."""
    if order is None:
        names = list(players)
        if proposer is not None:
            if proposer not in players:
                scenario.party(proposer)
                raise ScenarioError(
                    f"the proposer must be a player {list(players)}", party=proposer
                )
            start = players.index(proposer)
            names = names[start:] + names[:start]
        return names
    names = list(order)
    for name in names:
        if name not in players:
            scenario.party(name)
            raise ScenarioError(
                f"the proposer order names a non-player {list(players)}", party=name
            )
    if proposer is not None and names[0] != proposer:
        raise ScenarioError("give either an order or a first proposer, not both differing")
    return names


def _deadline_deal(scenario: Scenario, deadline: str | Deal | Mapping[str, str]) -> Deal | None:
    """The deal imposed at the deadline (``None``: disagreement)."""
    if isinstance(deadline, str):
        if deadline != "disagreement":
            raise ScenarioError(
                f"deadline must be 'disagreement', a Deal or {{issue: level}}, got {deadline!r}"
            )
        return None
    row = deadline.levels if isinstance(deadline, Deal) else scenario.space.encode(deadline)
    row = np.asarray(row, dtype=np.int64).reshape(1, -1)
    u = scenario.utilities(row)[0]
    return Deal(row[0].copy(), u, scenario.space.deal(row[0]), scenario.party_names)


def _plan(
    bi: BackwardInduction, rows: Frontier, players: tuple[str, ...], d: np.ndarray
) -> pd.DataFrame:
    """One row per round: the proposer, its proposal, and each player's equilibrium utility
    from that round on."""
    out = []
    for t in range(len(bi.proposers)):
        w = bi.proposals[t]
        prop = lottery(rows, w) if w is not None else None
        out.append(
            {
                "round": t,
                "proposer": players[bi.proposers[t]],
                "proposal": describe(prop) if prop is not None else "(waits)",
                "proposal_dict": agreement_dict(prop),
                **{p: float(d[j] + bi.values[t, j]) for j, p in enumerate(players)},
            }
        )
    return pd.DataFrame(out)
