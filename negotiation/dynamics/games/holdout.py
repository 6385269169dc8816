"""Accept or hold out: is a proposed deal self-enforcing against the status quo?

The 2 x 2 game of :func:`accept_holdout`, solved with
:func:`~negotiation.dynamics.games.bimatrix.solve_normal_form`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from negotiation.dynamics.games.base import describe
from negotiation.dynamics.games.bimatrix import METHODS, NormalFormSolution, solve_normal_form
from negotiation.dynamics.games.players import resolve_players
from negotiation.engine.deal import Deal
from negotiation.errors import ScenarioError
from negotiation.model.scenario import Scenario

__all__ = ["AcceptHoldoutResult", "accept_holdout"]


@dataclass(frozen=True, eq=False)
class AcceptHoldoutResult:
    """Is a proposed deal self-enforcing? The 2 x 2 accept/hold-out game.

    Attributes
    ----------
    deal
        The proposed deal.
    premium
        Each player's hold-out premium.
    solution
        All equilibria (:class:`NormalFormSolution`).
    self_enforcing
        "Both accept" is a Nash equilibrium.
    strict
        ... a strict one (each player loses by holding out alone).
    accept_dominant
        ``{player: accepting is weakly dominant}``.
    unique
        "Both accept" is the only equilibrium (never, when a lone acceptor gets no more than
        its reservation: "both hold out" is then a weak equilibrium too).
    undominated
        "Both accept" is the only equilibrium in weakly undominated strategies (the refinement
        that discards the coordination failure).
    """

    players: tuple[str, str]
    deal: Deal
    premium: dict[str, float]
    solution: NormalFormSolution
    self_enforcing: bool
    strict: bool
    accept_dominant: dict[str, bool]
    unique: bool
    undominated: bool
    model: str = "accept-holdout"

    @property
    def utilities(self) -> dict[str, float]:
        """Every party's utility of the deal when both accepting is an equilibrium, else
        ``{}`` (no equilibrium reaches the deal)."""
        if not self.self_enforcing:
            return {}
        return dict(zip(self.deal.parties, map(float, self.deal.utilities), strict=False))

    def to_dict(self) -> dict:
        return {
            "model": self.model,
            "parties": list(self.players),
            "deal": self.deal.to_dict(),
            "premium": dict(self.premium),
            "self_enforcing": self.self_enforcing,
            "strict": self.strict,
            "accept_dominant": dict(self.accept_dominant),
            "unique": self.unique,
            "undominated": self.undominated,
            "equilibria": [e.to_dict() for e in self.solution.equilibria],
        }

    def summary(self) -> str:
        p1, p2 = self.players
        verdict = "self-enforcing" if self.self_enforcing else "NOT self-enforcing"
        lines = [
            f"Accept or hold out: {p1} vs {p2} on {describe(self.deal)}",
            f"  both accepting is {verdict}"
            + (" (strict)" if self.strict else "")
            + ("; the only equilibrium in undominated strategies" if self.undominated else ""),
            "  accepting weakly dominant: "
            + ", ".join(f"{k} {'yes' if v else 'no'}" for k, v in self.accept_dominant.items()),
            f"  {len(self.solution.equilibria)} equilibria in all",
        ]
        return "\n".join(lines)


def accept_holdout(
    scenario: Scenario,
    deal: Deal | Mapping[str, str],
    parties: Sequence[str] | str | None = None,
    *,
    premium: float | Mapping[str, float] = 0.0,
    methods: Sequence[str] = METHODS,
) -> AcceptHoldoutResult:
    """The accept/hold-out game of a proposed deal against the status quo.

    Each player accepts or holds out; the deal happens only if both accept. Payoffs (utility):
    both accept -- the deal's utilities ``u_i(x)``; otherwise the reservation values ``d_i``,
    except that a player holding out while the other accepts gets ``d_i + pi_i``, its hold-out
    premium (what it expects to extract by holding out, e.g. a sweetener or a domestic
    audience benefit). "Both accept" is an equilibrium iff ``u_i(x) >= d_i + pi_i`` for both;
    it is strict iff both inequalities are strict; accepting is weakly dominant for ``i`` iff
    ``u_i(x) >= d_i + pi_i`` (against a hold-out, accepting and holding out both give ``d_i``).
    So "both hold out" is always a (weak) equilibrium too, and "both accept" is at best the
    only equilibrium in weakly undominated strategies.

    Parameters
    ----------
    deal
        A :class:`Deal` or ``{issue: level}``.
    parties
        The two players (may be omitted for a two-party scenario).
    premium
        Hold-out premium, one number for both or a mapping by player (default 0).

    Examples
    --------
    >>> import negotiation as ng
    >>> s = ng.load_scenario("textbook_two_party")
    >>> deal = {"salary": "60k", "remote_days": "two_days", "start_date": "one_month"}
    >>> accept_holdout(s, deal).self_enforcing
    True
    """
    players = resolve_players(scenario, parties, exactly=2)
    idx = [scenario.party_names.index(p) for p in players]
    if isinstance(deal, Deal):
        row = np.asarray(deal.levels, dtype=np.int64)
    else:
        row = np.asarray(scenario.space.encode(deal), dtype=np.int64)
    u_all = scenario.utilities(row.reshape(1, -1))[0]
    the_deal = Deal(row.copy(), u_all, scenario.space.deal(row), scenario.party_names)
    u = u_all[idx]
    d = scenario.reservations[idx]
    if isinstance(premium, Mapping):
        for name in premium:
            if name not in players:
                raise ScenarioError(f"premium for a non-player {list(players)}", party=str(name))
        pi = np.array([float(premium.get(p, 0.0)) for p in players])
    else:
        pi = np.full(2, float(premium))
    if not np.all(np.isfinite(pi)):
        raise ScenarioError("the hold-out premium must be finite")
    A = np.array([[u[0], d[0]], [d[0] + pi[0], d[0]]])
    B = np.array([[u[1], d[1] + pi[1]], [d[1], d[1]]])
    labels = ("accept", "hold out")
    sol = solve_normal_form(
        A, B, row_labels=labels, column_labels=labels, players=players, methods=methods
    )
    both = any(e.pure and e.index == (0, 0) for e in sol.equilibria)
    strict = bool(u[0] > d[0] + pi[0] and u[1] > d[1] + pi[1])
    dominant = {
        players[0]: bool(np.all(A[0] >= A[1])),
        players[1]: bool(np.all(B[:, 0] >= B[:, 1])),
    }
    unique = both and len(sol.equilibria) == 1
    strictly_better = {
        players[0]: bool(np.all(A[0] >= A[1]) and np.any(A[0] > A[1])),
        players[1]: bool(np.all(B[:, 0] >= B[:, 1]) and np.any(B[:, 0] > B[:, 1])),
    }
    undominated = both and all(strictly_better.values())
    return AcceptHoldoutResult(
        players=players,  # type: ignore[arg-type]
        deal=the_deal,
        premium={p: float(x) for p, x in zip(players, pi, strict=False)},
        solution=sol,
        self_enforcing=both,
        strict=strict,
        accept_dominant=dominant,
        unique=unique,
        undominated=undominated,
    )
