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

The equilibrium on arrays and divide the dollar live in
:mod:`~negotiation.dynamics.games.stationary`; this module applies them to a scenario's deals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from negotiation.dynamics.games.base import (
    agreement_dict,
    describe,
    frontier_view,
    lottery,
    utilities_line,
)
from negotiation.dynamics.games.patterns import quota_deals
from negotiation.dynamics.games.players import resolve_discounts, resolve_players
from negotiation.dynamics.games.projection import project

# Moved to stationary.py (the equilibrium on arrays); re-exported so that documented imports
# (``from negotiation.dynamics.games.baron_ferejohn import divide_the_dollar``) keep working.
from negotiation.dynamics.games.stationary import (
    MAX_COALITIONS,
    StationaryEquilibrium,
    divide_the_dollar,
    divide_the_dollar_closed_form,
    stationary_equilibrium,
)
from negotiation.engine.deal import Deal, Lottery
from negotiation.engine.frontier import Frontier
from negotiation.errors import (
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
    "MAX_COALITIONS",
    "MAX_DEALS",
]

#: Largest deal set of Baron-Ferejohn on a scenario (the players' Pareto set).
MAX_DEALS = 5_000


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


# size: the numpy docstring (parameters, references, example) is most of it; the body is 58 lines
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
    .. [BaronFerejohn1989] Baron, Ferejohn, "Bargaining in legislatures" (1989).
       Full entry: docs/references.md.
    .. [BanksDuggan2000] Banks, Duggan, "A bargaining model of collective choice" (2000).
       Full entry: docs/references.md.

    Examples
    --------
    >>> import negotiation as ng
    >>> r = baron_ferejohn(ng.load_scenario("textbook_two_party"))
    >>> r.quota, r.equilibrium.converged
    (2, True)
    """
    players = _deciding_players(scenario, parties)
    k = len(players)
    index = [scenario.party_names.index(n) for n in players]
    p = _recognition(scenario, players, recognition)
    delta = resolve_discounts(scenario, players, discounts, breakdown)
    q = _quota(scenario, players, quota)
    veto = [players.index(v) for v in scenario.agreement.veto if v in players]
    d = scenario.reservations
    notes = []
    if q >= k:
        proj = project(scenario, players, feasible_for=feasible_for, frontier=frontier)
        levels, U, acceptable = proj.levels, proj.utilities, None
    else:
        levels, U, acceptable = quota_deals(scenario, players, q)
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
    _check_range(eq, G, players, d[index])
    rows = frontier_view(scenario, levels, U)
    proposals = {
        name: lottery(rows, eq.proposals[i]) if p[i] > 0 else None for i, name in enumerate(players)
    }
    proposer_utilities = {
        name: {
            pname: float(eq.proposals[i] @ U[:, j]) for j, pname in enumerate(scenario.party_names)
        }
        for i, name in enumerate(players)
    }
    agreement = lottery(rows, p @ eq.proposals)
    notes += _notes(eq, players, p, delta, proposals, agreement)
    ideal = G.max(axis=0)
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


def _deciding_players(scenario: Scenario, parties: Sequence[str] | str | None) -> tuple[str, ...]:
    """The players, observers left out (issue 18: they neither propose nor vote); naming an
    observer as a player is an error."""
    players = resolve_players(scenario, parties)
    deciders = [n for n in scenario.party_names if not scenario.party(n).observer]
    observers = [n for n in players if n not in deciders]
    if observers and parties is not None:
        raise ScenarioError(
            f"observers {observers} cannot be Baron-Ferejohn players (they neither propose "
            "nor vote)"
        )
    return tuple(n for n in players if n in deciders)


def _quota(scenario: Scenario, players: tuple[str, ...], quota: int | None) -> int:
    """The quota: the given one, else the scenario's when the players are all its deciding
    parties, else unanimity."""
    k = len(players)
    rule = scenario.agreement
    deciders = [n for n in scenario.party_names if not scenario.party(n).observer]
    if quota is None:
        q = rule.quota if (rule.quota is not None and set(players) == set(deciders)) else k
    else:
        q = int(quota)
    if not 1 <= q <= k:
        raise ScenarioError(f"quota must be between 1 and {k}, got {quota}")
    return min(q, k)


def _check_range(
    eq: StationaryEquilibrium, G: np.ndarray, players: tuple[str, ...], d: np.ndarray
) -> None:
    """A value outside the players' feasible gains is a defect: raise, never report it."""
    ideal = G.max(axis=0)
    low = G.min(axis=0)
    slack = 1e-7 * np.maximum(1.0, np.abs(G).max(axis=0))
    bad = (eq.values > ideal + slack) | (eq.values < low - slack)
    if bad.any():  # pragma: no cover - a defect, never a silent number out of range
        j = int(np.flatnonzero(bad)[0])
        raise NegotiationError(
            f"internal error: Baron-Ferejohn value of {players[j]} "
            f"({d[j] + eq.values[j]:.6g}) lies outside its feasible range "
            f"[{d[j] + low[j]:.6g}, {d[j] + ideal[j]:.6g}]"
        )


def _notes(
    eq: StationaryEquilibrium,
    players: tuple[str, ...],
    p: np.ndarray,
    delta: np.ndarray,
    proposals: Mapping[str, Deal | Lottery | None],
    agreement: Deal | Lottery | None,
) -> list[str]:
    """Readable notes: no convergence, no agreement, proposers who wait, patient players."""
    notes = []
    if not eq.converged:
        notes.append(
            f"the fixed-point iteration did not converge (residual {eq.residual:.2g}); "
            "the values are approximate"
        )
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
    return notes
