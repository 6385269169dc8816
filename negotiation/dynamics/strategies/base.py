"""The minimal strategy interface: what an agent sees, and the one decision it makes.

A *strategy* is a small class (in the style of the Axelrod library's players) with a ``name``,
declared ``traits`` and one decision method, :meth:`Strategy.respond`. A protocol builds one
agent per negotiating party from the party's own :class:`AgentView` and, at every turn, asks it
to respond to the :class:`State` of the talks with one :class:`Action`:

* :class:`Accept` -- accept the outcome on the table;
* :class:`Offer` -- put an outcome (a row of level indices, one per issue) on the table instead
  (a counter-offer; in the mediated protocol, the changes the party asks for);
* :class:`Walk` -- walk away, ending the negotiation without agreement.

An agent knows only its own utilities (and whatever beliefs it forms from the offers it sees):
the view holds the party's own utility of every candidate outcome and its reservation value,
never another party's utilities. Everything random goes through ``view.rng``, a
:class:`numpy.random.Generator` the protocol derives from the run's seed.

Writing a strategy takes a few lines:

>>> from negotiation.dynamics.strategies.base import Accept, Strategy
>>> class Halfway(Strategy):
...     '''Concede linearly, but never below halfway between the best and the reservation.'''
...     name = "halfway"
...     def respond(self, state):
...         v = self.view
...         target = v.u_max - 0.5 * (v.u_max - v.reservation) * state.time
...         if self.accepts(state, target):
...             return Accept()
...         return self.offer_near(target, state)

References
----------
.. [Axelrod1984] Axelrod, *The Evolution of Cooperation* (1984); strategies as small players.
   Full entry: docs/references.md.
.. [AFHJ2017] Aydoğan et al., "Alternating offers protocols for multilateral negotiation" (2017).
   Full entry: docs/references.md.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar

import numpy as np

from negotiation.dynamics.strategies.traits import Traits
from negotiation.model.agreement import reservation_tolerance
from negotiation.model.scenario import Scenario
from negotiation.model.space import OutcomeSpace
from negotiation.model.utility import UtilityFunction

__all__ = [
    "Accept",
    "Offer",
    "Walk",
    "Action",
    "History",
    "State",
    "AgentView",
    "PartyUtility",
    "Strategy",
    "DEFAULT_TRAITS",
    "Traits",
]

#: The traits of a strategy that declares none (every one ``False``; see :class:`Traits`).
DEFAULT_TRAITS: Traits = Traits()


# -- actions ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Accept:
    """Accept the outcome on the table."""


@dataclass(frozen=True, eq=False)
class Offer:
    """Put an outcome on the table: ``levels`` holds one level index per issue.

    The protocol validates it (shape, level indices in range, allowed by the constraints, and
    acceptable to the proposer itself); an invalid offer ends the proposer's negotiation.
    """

    levels: np.ndarray | Sequence[int]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Offer) and np.array_equal(
            np.asarray(self.levels), np.asarray(other.levels)
        )

    def __hash__(self) -> int:
        return hash(tuple(np.asarray(self.levels).tolist()))


@dataclass(frozen=True)
class Walk:
    """Walk away: the negotiation ends without agreement."""

    reason: str = ""


#: What :meth:`Strategy.respond` returns.
Action = Accept | Offer | Walk


# -- what the agent sees ------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class History:
    """The offers made so far, oldest first, as the agent sees them (read-only arrays).

    Attributes
    ----------
    levels
        ``K x issues`` level matrix of the offers (in the mediated protocol the mediator's texts
        and the parties' counter-proposals).
    proposers
        Party index (in the scenario) of each offer's proposer; ``-1`` for the mediator.
    rounds
        The round of each offer.
    utilities
        The agent's *own* utility of each offer (never another party's).
    """

    levels: np.ndarray
    proposers: np.ndarray
    rounds: np.ndarray
    utilities: np.ndarray

    def __len__(self) -> int:
        return int(self.proposers.shape[0])

    def by(self, party: int) -> tuple[np.ndarray, np.ndarray]:
        """``(levels, own utilities)`` of the offers made by ``party`` (a scenario index)."""
        mask = self.proposers == party
        return self.levels[mask], self.utilities[mask]

    def others(self, me: int) -> tuple[np.ndarray, np.ndarray]:
        """``(levels, own utilities)`` of the offers made by the other parties (not the mediator)."""
        mask = (self.proposers != me) & (self.proposers >= 0)
        return self.levels[mask], self.utilities[mask]


@dataclass(frozen=True, eq=False)
class State:
    """The state of the talks when an agent is asked to respond.

    Attributes
    ----------
    round
        The round (0-based): in the offer protocols the number of offers made so far, in the
        mediated protocol the index of the current text.
    time
        Time fraction ``t`` in ``[0, 1]``; ``t = 1`` at the last decision before the deadline.
    offer
        The outcome on the table (level indices, one per issue), or ``None`` when the agent
        opens the talks.
    utility
        The agent's own utility of ``offer`` (``None`` without an offer).
    acceptable
        Whether ``offer`` is acceptable to the agent: at least its reservation value and
        crossing none of its red lines.
    proposer
        Scenario index of the party that made ``offer``; ``-1`` for the mediator, ``None`` when
        nothing is on the table.
    history
        Every offer so far (see :class:`History`).
    final
        True when a counter-offer is no longer possible (the deadline is reached): the agent can
        only accept or walk, and a counter-offer ends the talks without agreement.
    """

    round: int
    time: float
    offer: np.ndarray | None
    utility: float | None
    acceptable: bool
    proposer: int | None
    history: History
    final: bool = False


class PartyUtility:
    """One party's utility function and acceptability test, vectorised over a level matrix.

    It holds only that party's columns of the scenario's compiled tables, bonuses and red lines
    (an agent built on it cannot read another party's preferences). The sums are done by the
    same evaluator as :meth:`negotiation.model.scenario.Scenario.utilities`
    (:class:`negotiation.model.utility.UtilityFunction`), so the numbers are bit-identical.

    .. math::  u_p(x) = \\sum_i s_{ip}(x_i) + \\sum_{b \\in B_p} \\beta_b [x \\text{ matches } b]
    """

    def __init__(self, scenario: Scenario, party: int) -> None:
        self._utility = UtilityFunction.of(scenario, parties=(party,))
        self._red_lines = tuple(scenario.red_line_clauses[party])
        self._sizes = scenario.space.sizes
        self.reservation = float(scenario.reservations[party])
        self._tol = float(reservation_tolerance(self.reservation))

    def __call__(self, levels: np.ndarray) -> np.ndarray:
        """Own utility of each row of an ``N x issues`` level matrix."""
        levels = np.atleast_2d(np.asarray(levels, dtype=np.int64))
        return self._utility(levels)[:, 0]

    def crosses_red_line(self, levels: np.ndarray) -> np.ndarray:
        """True for the rows that cross one of the party's red lines."""
        levels = np.atleast_2d(np.asarray(levels, dtype=np.int64))
        out = np.zeros(levels.shape[0], dtype=bool)
        for c in self._red_lines:
            out |= c.match(levels, self._sizes)
        return out

    def acceptable(self, levels: np.ndarray, utilities: np.ndarray | None = None) -> np.ndarray:
        """True for the rows giving at least the reservation value and crossing no red line."""
        u = self(levels) if utilities is None else np.asarray(utilities)
        return (u >= self.reservation - self._tol) & ~self.crosses_red_line(levels)


@dataclass(frozen=True, eq=False)
class AgentView:
    """Everything one agent knows when it is built: its own preferences and the rules.

    Attributes
    ----------
    party
        The agent's party index in the scenario.
    name
        The party's name.
    table
        Scenario indices of the parties at the table (public), in turn order.
    party_names
        Names of all the scenario's parties (public).
    space
        The outcome space (issues, levels, constraints: public).
    candidates
        ``M x issues`` level matrix of the candidate outcomes the agent chooses offers from: every
        allowed outcome of an enumerable space, else a seeded uniform sample of them.
    utilities
        The agent's own utility of each candidate (``M``).
    acceptable
        Whether each candidate is acceptable to the agent (reservation and red lines).
    reservation
        The agent's reservation value (utility of no agreement).
    deadline
        The protocol's number of rounds.
    rng
        The agent's own random generator, derived from the run's seed.
    protocol
        The protocol's name.
    utility_fn
        The agent's own vectorised utility function (see :class:`PartyUtility`), for outcomes
        outside ``candidates``.
    """

    party: int
    name: str
    table: tuple[int, ...]
    party_names: tuple[str, ...]
    space: OutcomeSpace
    candidates: np.ndarray
    utilities: np.ndarray
    acceptable: np.ndarray
    reservation: float
    deadline: int
    rng: np.random.Generator
    protocol: str
    utility_fn: PartyUtility = field(repr=False)

    @property
    def others(self) -> tuple[int, ...]:
        """Scenario indices of the other parties at the table."""
        return tuple(p for p in self.table if p != self.party)

    def utility(self, levels: np.ndarray) -> np.ndarray:
        """Own utility of each row of a level matrix."""
        return self.utility_fn(levels)

    def is_acceptable(self, levels: np.ndarray) -> np.ndarray:
        """Own acceptability (reservation and red lines) of each row of a level matrix."""
        return self.utility_fn.acceptable(levels)

    @cached_property
    def order(self) -> np.ndarray:
        """Indices of the acceptable candidates, sorted by own utility (ascending, stable)."""
        idx = np.flatnonzero(self.acceptable)
        return idx[np.argsort(self.utilities[idx], kind="stable")]

    @cached_property
    def sorted_utilities(self) -> np.ndarray:
        """Own utilities of the acceptable candidates, ascending (aligned with :attr:`order`)."""
        return self.utilities[self.order]

    @property
    def has_acceptable(self) -> bool:
        """True when some candidate is acceptable to the agent."""
        return self.order.size > 0

    @cached_property
    def u_max(self) -> float:
        """Best own utility over the acceptable candidates (the reservation if there is none)."""
        return float(self.sorted_utilities[-1]) if self.has_acceptable else self.reservation

    @cached_property
    def u_min(self) -> float:
        """Worst own utility over the acceptable candidates (the reservation if there is none)."""
        return float(self.sorted_utilities[0]) if self.has_acceptable else self.reservation


# -- the interface --------------------------------------------------------------------------------
class Strategy:
    """Base class of negotiation strategies: subclass it and write :meth:`respond`.

    Class attributes
    ----------------
    name
        Registry name (``"boulware"``), shown in traces and tournament tables.
    traits
        Declared properties, frozen into :class:`~negotiation.dynamics.strategies.traits.Traits`
        (write them as a dict, e.g. ``{"concedes": True, "stochastic": False}``; the ones left
        out are ``False``). A stochastic strategy draws only from ``self.view.rng``.
        :func:`negotiation.dynamics.strategies.filtered` selects strategies by them.

    Parameters
    ----------
    view
        The agent's own :class:`AgentView`.

    As with the Axelrod library's players, :meth:`clone` builds a fresh agent with the same
    parameters, :meth:`reset` forgets the state of a run, :attr:`params` lists the
    constructor's parameters and ``repr`` shows them.

    The helpers :meth:`accepts`, :meth:`offer_near` and :meth:`best_offer` implement the usual
    building blocks: an acceptance test against a target utility, and choosing the candidate
    outcome nearest a target utility (Faratin, Sierra & Jennings 1998) with ties broken toward
    the other side's last offer.
    """

    name: ClassVar[str] = "strategy"
    traits: ClassVar[Traits] = DEFAULT_TRAITS
    #: Width of the window of candidate utilities just above a target, as a fraction of the
    #: agent's utility range; ties inside the window are broken toward the other side.
    window: ClassVar[float] = 0.02
    _init_args: tuple[tuple[Any, ...], dict[str, Any]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Freeze a subclass's declared ``traits`` (a plain dict is accepted) into :class:`Traits`."""
        super().__init_subclass__(**kwargs)
        declared = cls.__dict__.get("traits")
        if declared is not None and not isinstance(declared, Traits):
            cls.traits = Traits.of(declared, strategy=cls.__name__)

    def __new__(cls, *args: Any, **kwargs: Any) -> Strategy:
        # Remember the constructor's arguments: clone() and reset() rebuild from them.
        obj = super().__new__(cls)
        obj._init_args = (args, kwargs)
        return obj

    def __init__(self, view: AgentView) -> None:
        self.view = view

    # -- Axelrod's conveniences: parameters, clone, reset, repr ----------------------------------
    @property
    def params(self) -> dict[str, Any]:
        """The constructor's parameters (defaults filled in), without the view.

        ``type(agent)(view, **agent.params)`` builds an agent that behaves like a fresh copy.
        """
        args, kwargs = self.__dict__.get("_init_args", ((self.view,), {}))
        sig = inspect.signature(type(self).__init__)
        bound = sig.bind(None, *args, **kwargs)
        bound.apply_defaults()
        out: dict[str, Any] = {}
        for key, value in list(bound.arguments.items())[2:]:  # after self and the view
            kind = sig.parameters[key].kind
            if kind is inspect.Parameter.VAR_KEYWORD:
                out.update(value)
            elif kind is not inspect.Parameter.VAR_POSITIONAL:
                out[key] = value
        return out

    def clone(self, view: AgentView | None = None) -> Strategy:
        """A fresh agent of the same class with the same parameters (for ``view``, or its own).

        The clone has none of this agent's run state. Its randomness is its view's
        ``rng``: give it a fresh view to replay a stochastic run.
        """
        return type(self)(self.view if view is None else view, **self.params)

    def reset(self) -> None:
        """Forget the state of a run: rebuild this agent in place from its constructor arguments.

        Attributes set during the run are dropped. The view (and so its ``rng``) is kept.
        """
        args, kwargs = self.__dict__.get("_init_args", ((self.view,), {}))
        self.__dict__.clear()
        self._init_args = (args, kwargs)
        type(self).__init__(self, *args, **kwargs)

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{type(self).__name__}(party={self.view.name!r}{', ' if shown else ''}{shown})"

    def respond(self, state: State) -> Action:
        """Decide: :class:`Accept`, :class:`Offer` or :class:`Walk`."""
        raise NotImplementedError(f"{type(self).__name__} must define respond(state)")

    # -- helpers ----------------------------------------------------------------------------------
    def accepts(self, state: State, target: float) -> bool:
        """True when an offer is on the table, acceptable to the agent, and worth ``>= target``.

        Faratin, Sierra & Jennings (1998): accept when the offer is at least what the agent
        would ask for itself now.
        """
        return (
            state.offer is not None
            and state.acceptable
            and state.utility is not None
            and state.utility >= target - 1e-12
        )

    def accepts_late(self, state: State, after: float = 0.9) -> bool:
        """AC_combi's time clause (Baarslag et al. 2014): from time ``after`` on, accept an
        acceptable offer at least as good as the best the others have offered so far.

        Baarslag, T., Hindriks, K., & Jonker, C. (2014). Effective acceptance conditions in
        real-time automated negotiation. *Decision Support Systems*, 60, 68-77.

        An offer worth no more than the reservation value is not accepted by this clause.
        """
        if state.offer is None or state.utility is None or not state.acceptable:
            return False
        if state.time < after:
            return False
        if state.utility <= self.view.reservation + 1e-12:
            return False  # no better than walking away: keep negotiating
        _, u = state.history.others(self.view.party)
        return bool(u.size) and state.utility >= float(u.max()) - 1e-12

    def offer_near(
        self,
        target: float,
        state: State | None = None,
        *,
        prefer: np.ndarray | Callable[[np.ndarray], np.ndarray] | None = None,
        window: float | None = None,
    ) -> Offer | Walk:
        """Offer the acceptable candidate just above ``target`` in own utility.

        The candidates with own utility in ``[u*, u* + w]`` form the window, where ``u*`` is the
        smallest candidate utility ``>= target`` (``target`` is clipped to the agent's range)
        and ``w = window * (u_max - u_min)``. Inside the window the agent picks the candidate
        with the highest ``prefer`` score (an array over the candidates, or a callable on a
        level matrix), else the one sharing most levels with the last offer made by another
        party (a cheap guess of what the other side wants), else the lowest-utility one.
        Returns :class:`Walk` when no candidate is acceptable to the agent.
        """
        v = self.view
        if not v.has_acceptable:
            return Walk("no acceptable outcome")
        su = v.sorted_utilities
        target = min(max(float(target), float(su[0])), float(su[-1]))
        lo = int(np.searchsorted(su, target - 1e-12, side="left"))
        lo = min(lo, su.size - 1)
        width = (self.window if window is None else window) * (v.u_max - v.u_min)
        hi = int(np.searchsorted(su, su[lo] + width + 1e-12, side="right"))
        idx = v.order[lo : max(hi, lo + 1)]
        if idx.size > 1:
            if prefer is not None:
                scores = (
                    np.asarray(prefer(v.candidates[idx]))
                    if callable(prefer)
                    else np.asarray(prefer)[idx]
                )
                idx = idx[[int(np.argmax(scores))]]
            elif state is not None:
                last = self._last_other_offer(state)
                if last is not None:
                    same = (v.candidates[idx] == last).sum(axis=1)
                    idx = idx[[int(np.argmax(same))]]
        return Offer(v.candidates[idx[0]].copy())

    def offer_terms(self, terms: Mapping[str, str]) -> Offer:
        """An :class:`Offer` from a labelled deal ``{issue: level}`` (every issue given).

        Raises :class:`~negotiation.errors.ScenarioError` naming an unknown issue or level.
        """
        return Offer(self.view.space.encode(terms))

    def best_offer(self, state: State | None = None) -> Offer | Walk:
        """Offer the agent's best acceptable candidate (ties broken as in :meth:`offer_near`)."""
        return self.offer_near(self.view.u_max, state, window=0.0)

    def _last_other_offer(self, state: State) -> np.ndarray | None:
        h = state.history
        mask = h.proposers != self.view.party
        if not mask.any():
            return None
        return h.levels[np.flatnonzero(mask)[-1]]
