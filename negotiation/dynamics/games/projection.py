"""The players' view of a scenario: their Pareto set, its convex hull, and lotteries on it.

Strategic models are played by some of a scenario's parties (the *players*): two for the
Rubinstein and normal-form games, any number for the finite-horizon and Baron–Ferejohn games.
This module turns a scenario into what those models need:

* :func:`project` -- the players' Pareto set: the outcomes that are feasible (for every party
  under the scenario's agreement rule, or for the players alone) and that no other such outcome
  Pareto-dominates *in the players' utilities* (utilities equal to 12 decimals count as ties).
  Each distinct utility vector of the players is kept once; among outcomes tied for the players, the one best for the other parties (largest
  sum of their gains over reservation, then lowest frontier index) represents it, and the other
  parties' utilities are reported with it.
* :class:`ConcaveFrontier` -- for two players, the upper-right boundary of the convex hull of
  their Pareto points, in gains over the disagreement point: the piecewise-linear frontier of
  the *lotteries* over the deals (von Neumann & Morgenstern 1944 [vonNeumannMorgenstern1944]_; any
  point on a hull edge is a lottery of the two adjacent deals).
* :func:`hull_nash` -- the (asymmetric) Nash solution on that piecewise-linear frontier, exact.

Why the full frontier suffices: if ``x`` is Pareto-optimal for the players among the feasible
outcomes, some outcome ``y`` on the full frontier weakly dominates ``x`` for every party, and
then ``y`` ties with ``x`` for the players. So the players' Pareto set is read off the full
(all-party) frontier of the same feasible set.

References
----------
.. [vonNeumannMorgenstern1944] von Neumann, Morgenstern, *Theory of Games and Economic Behavior*
   (1944). Full entry: docs/references.md.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from negotiation.dynamics.games.base import frontier_view, lottery

# Moved to players.py, hull.py and patterns.py; re-exported so that documented imports
# (``from negotiation.dynamics.games.projection import ...``) keep working.
from negotiation.dynamics.games.hull import ConcaveFrontier, hull_nash
from negotiation.dynamics.games.patterns import PatternDeals, pattern_deals
from negotiation.dynamics.games.players import resolve_discounts, resolve_players
from negotiation.engine.deal import Deal, Lottery
from negotiation.engine.frontier import Frontier, enumerate_frontier
from negotiation.engine.pareto import pareto_mask
from negotiation.engine.search import search_frontier
from negotiation.engine.select import MAX_ENUMERATE, choose_engine
from negotiation.errors import InfeasibleError, NotApplicableError, ScenarioError
from negotiation.model.scenario import AgreementRule, Scenario

__all__ = [
    "Projection",
    "ConcaveFrontier",
    "PatternDeals",
    "pattern_deals",
    "project",
    "resolve_players",
    "resolve_discounts",
    "hull_nash",
    "scenario_frontier",
    "ENUMERATE_LIMIT",
]

#: Largest outcome space enumerated outright: the package's one policy,
#: :data:`negotiation.engine.select.MAX_ENUMERATE` (kept under its old name).
ENUMERATE_LIMIT = MAX_ENUMERATE

#: Probabilities below this are dropped from a lottery (and a lottery with one deal left is pure).
PURE_TOL = 1e-10

FEASIBLE_FOR = ("all", "players")


def scenario_frontier(scenario: Scenario, rule: AgreementRule | None = None) -> Frontier:
    """The scenario's frontier, by the package's one enumerate-or-search policy
    (:func:`negotiation.engine.select.choose_engine`).

    Raises
    ------
    NotApplicableError
        The scenario has continuous issues.
    """
    if scenario.is_continuous:
        raise NotApplicableError(
            f"scenario {scenario.name!r} has continuous issues: call scenario.discretize() first"
        )
    if choose_engine(scenario, rule) == "enumerate":
        return enumerate_frontier(scenario, rule=rule)
    return search_frontier(scenario, rule=rule)


@dataclass(frozen=True, eq=False)
class Projection:
    """The players' Pareto set of a scenario (see the module docstring).

    Attributes
    ----------
    scenario
        The scenario.
    players
        The players' names, in the model's order.
    index
        The players' positions in ``scenario.party_names``.
    levels
        ``K x issues`` level matrix of the deals, sorted by the first player's utility
        (ascending), then the next players'.
    utilities
        ``K x parties`` utilities of the deals for *every* party of the scenario.
    feasible_for
        ``"all"``: feasible for every party under the scenario's rule (and acceptable to the
        players); ``"players"``: acceptable to the players, whatever the others think.
    """

    scenario: Scenario
    players: tuple[str, ...]
    index: tuple[int, ...]
    levels: np.ndarray
    utilities: np.ndarray
    feasible_for: str

    @property
    def size(self) -> int:
        """Number of deals."""
        return int(self.levels.shape[0])

    @property
    def disagreement(self) -> np.ndarray:
        """Every party's reservation value (the disagreement point)."""
        return self.scenario.reservations

    @property
    def gains(self) -> np.ndarray:
        """``K x players`` gains over reservation, ``u_i - d_i``, of the players."""
        idx = list(self.index)
        return self.utilities[:, idx] - self.disagreement[idx]

    @property
    def ideal_gains(self) -> np.ndarray:
        """Each player's largest gain over the deals."""
        return self.gains.max(axis=0)

    @functools.cached_property
    def _rows(self) -> Frontier:
        return frontier_view(self.scenario, self.levels, self.utilities)

    def deal(self, k: int) -> Deal:
        """Deal ``k`` as a :class:`~negotiation.engine.deal.Deal` (utilities of every party)."""
        return self._rows.deal(k)

    def mixture(self, weights: np.ndarray) -> Deal | Lottery:
        """A lottery over the deals with the given weights (a :class:`Deal` when pure).

        Weights below ``1e-10`` are dropped and the rest renormalised; deals are listed by
        decreasing probability.
        """
        out = lottery(self._rows, weights, PURE_TOL)
        if out is None:
            raise ValueError("a lottery needs a positive weight")
        return out

    def hull(self) -> ConcaveFrontier:
        """The two players' concave (lottery) frontier; see :class:`ConcaveFrontier`."""
        if len(self.players) != 2:
            raise NotApplicableError("the concave frontier is defined for two players")
        return ConcaveFrontier.from_points(self.gains)


# size: the numpy docstring (parameters, references, example) is most of it; the body is 63 lines
def project(
    scenario: Scenario,
    players: Sequence[str] | str | None = None,
    *,
    feasible_for: str = "all",
    frontier: Frontier | None = None,
    exactly: int | None = None,
) -> Projection:
    """The players' Pareto set of a scenario (their deals, with every party's utilities).

    Definition: let ``F`` be the feasible outcomes -- with ``feasible_for="all"`` those passing
    the scenario's agreement rule that every player also finds acceptable (under unanimity: the
    feasible set), with ``"players"`` the allowed outcomes every player finds acceptable (red
    lines and reservation), ignoring the other parties. The result holds one outcome for each
    utility vector of the players that no outcome of ``F`` Pareto-dominates for the players.

    Parameters
    ----------
    scenario
        A discrete scenario.
    players
        The players (names, or a comma-separated string); ``None`` for every party.
    feasible_for
        ``"all"`` (default) or ``"players"``.
    frontier
        A ready-made frontier of the scenario (``feasible_for="all"`` only), e.g. from the
        search engine; computed when omitted.
    exactly
        Require this many players (2 for the two-party models).

    Raises
    ------
    InfeasibleError
        Nothing is feasible (the message says which parties block).

    Examples
    --------
    >>> import negotiation as ng
    >>> proj = project(ng.load_scenario("ukraine_2025"), ("Russia", "Ukraine"))
    >>> proj.players, proj.size
    (('Russia', 'Ukraine'), 12)
    """
    names = resolve_players(scenario, players, exactly=exactly)
    if feasible_for not in FEASIBLE_FOR:
        raise ScenarioError(f"feasible_for must be one of {FEASIBLE_FOR}, got {feasible_for!r}")
    index = tuple(scenario.party_names.index(n) for n in names)
    if feasible_for == "all":
        base = scenario.agreement
        rule = base
        if not base.is_unanimity(len(scenario.parties)):
            rule = AgreementRule(base.quota, tuple(dict.fromkeys((*base.veto, *names))))
        if frontier is not None and frontier.scenario is not scenario:
            if frontier.scenario != scenario:
                raise ScenarioError("the frontier given belongs to another scenario")
        if frontier is None or frontier.rule != rule:
            frontier = scenario_frontier(scenario, rule)
        frontier.require_nonempty()
        levels, U = frontier.levels, frontier.utilities
    else:
        if frontier is not None:
            raise ScenarioError('a ready-made frontier can only be used with feasible_for="all"')
        sub = Scenario(
            f"{scenario.name} ({', '.join(names)})",
            scenario.issues,
            tuple(scenario.party(n) for n in names),
            constraints=scenario.constraints,
        )
        sub_frontier = scenario_frontier(sub)
        if sub_frontier.is_empty:
            raise InfeasibleError(
                f"scenario {scenario.name!r}: no allowed outcome is acceptable to all of "
                f"{list(names)}. " + sub_frontier.diagnostics.get("message", "")
            )
        levels = sub_frontier.levels
        U = scenario.utilities(levels)
    if levels.shape[0] == 0:
        raise InfeasibleError(
            f"scenario {scenario.name!r}: no feasible outcome is acceptable to {list(names)}"
        )
    idx = list(index)
    # Utilities equal to 12 decimals are ties (sums of the same weights in another order can
    # differ in the last bit); the deals keep their exact utilities.
    own = np.round(U[:, idx], 12)
    keep = np.flatnonzero(pareto_mask(own))
    own, Uk, Lk = own[keep], U[keep], levels[keep]
    others = [p for p in range(U.shape[1]) if p not in index]
    if others:
        other_gain = (Uk[:, others] - scenario.reservations[others]).sum(axis=1)
    else:
        other_gain = np.zeros(len(keep))
    # One deal per distinct utility vector of the players: the best for the others, then the
    # lowest index (lexsort: last key is the primary one).
    order = np.lexsort((np.arange(len(keep)), -other_gain, *own.T[::-1]))
    own_sorted = own[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = np.any(own_sorted[1:] != own_sorted[:-1], axis=1)
    chosen = order[first]
    return Projection(
        scenario=scenario,
        players=names,
        index=index,
        levels=Lk[chosen].copy(),
        utilities=Uk[chosen].copy(),
        feasible_for=feasible_for,
    )
