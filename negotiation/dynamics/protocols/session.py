"""The machinery every protocol shares: building the agents, asking them, checking their answers.

A :class:`Session` holds one run: the scenario, the parties at the table, one agent per party
(built from the party's own :class:`~negotiation.dynamics.strategies.base.AgentView`), the
history of offers, and the trace. :meth:`Session.ask` calls an agent and validates what it
returns; anything wrong (an exception, an object that is not an action, an offer outside the
outcome space, accepting an outcome below its own reservation value) raises
:class:`AgentFailure`, which the protocol turns into the end of *this* run with the reason on
record -- never an exception out of ``simulate``.

Containment (a tournament must survive any strategy): every call into a strategy (building it,
``respond``) runs in a worker thread of the session, and the protocol's thread waits for it
with a time limit per move (:data:`MOVE_TIMEOUT` seconds by default) and per run
(:data:`RUN_TIMEOUT`). A call that raises *anything* -- ``SystemExit`` from ``sys.exit`` and a
``KeyboardInterrupt`` the strategy raises itself included -- or does not return in time ends
its own run as a failure with the reason on record. A real Ctrl-C of the user is told apart by
where it arrives: Python delivers signals to the main thread only, so a ``KeyboardInterrupt``
raised in the worker thread can only come from the strategy, while the user's arrives in the
thread that waits, and stops the simulation (and a tournament) as the user wants. A strategy
that overruns is sent an exception into its thread (``PyThreadState_SetAsyncExc``), which stops
pure-Python loops at once; one blocked in C code (``time.sleep``) is abandoned (a daemon thread
that ends with its call).

Seeds: ``numpy.random.SeedSequence(seed).spawn(...)`` gives each agent (and the candidate sampler
and the mediator) its own independent generator, so a run is a pure function of its seed.
"""

from __future__ import annotations

import ctypes
import threading
import time as _time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from negotiation.dynamics.protocols.trace import SimulationResult, TraceEntry
from negotiation.dynamics.strategies.base import (
    Accept,
    Action,
    AgentView,
    History,
    Offer,
    PartyUtility,
    State,
    Strategy,
    Walk,
)
from negotiation.engine.deal import Deal
from negotiation.errors import NegotiationError, ScenarioError
from negotiation.model.scenario import Scenario

__all__ = [
    "Session",
    "SimulationError",
    "AgentFailure",
    "Arena",
    "strategy_name",
    "MAX_ENUMERATED",
    "SAMPLE_SIZE",
    "MOVE_TIMEOUT",
    "RUN_TIMEOUT",
]

#: Default time limit, in seconds, for one call into a strategy (building it, one response).
MOVE_TIMEOUT = 10.0
#: Default time limit, in seconds, for the strategies' calls of one whole run together.
RUN_TIMEOUT = 120.0

#: Spaces with at most this many outcomes are enumerated: agents choose from every allowed one.
MAX_ENUMERATED = 1_000_000
#: Larger spaces: agents choose from this many allowed outcomes drawn uniformly (seeded).
SAMPLE_SIZE = 50_000

#: A strategy class or any callable that builds an agent from its view.
AgentFactory = Callable[[AgentView], Strategy]


class SimulationError(NegotiationError):
    """Bad arguments for a simulation (wrong number of agents, rounds < 1, unknown party...)."""


class AgentFailure(Exception):
    """An agent raised, or returned something invalid. Carries the party and the reason."""

    def __init__(self, party: str, strategy: str, message: str) -> None:
        self.party, self.strategy, self.message = party, strategy, message
        super().__init__(f"agent {party} ({strategy}) failed: {message}")


class Arena:
    """The candidate outcomes of a scenario and every party's utility and acceptance of them.

    Enumerable spaces (``<= MAX_ENUMERATED`` outcomes) use every allowed outcome; larger ones a
    uniform sample of ``SAMPLE_SIZE`` allowed outcomes (duplicates dropped) drawn from ``rng``.
    """

    def __init__(self, scenario: Scenario, rng: np.random.Generator | None = None) -> None:
        if scenario.is_continuous:
            raise ScenarioError(
                "has continuous issues: discretise it first (scenario.discretize(resolution))"
            )
        space = scenario.space
        self.sampled = space.cardinality > MAX_ENUMERATED
        if self.sampled:
            draw = space.sample(SAMPLE_SIZE, rng if rng is not None else 0, allowed_only=True)
            levels = np.unique(draw, axis=0)
        else:
            levels = space.enumerate()
            levels = levels[space.allowed_mask(levels)]
        levels.setflags(write=False)
        self.scenario = scenario
        self.levels = levels
        self.utilities = scenario.utilities(levels)
        self.acceptable = scenario.acceptable(levels, self.utilities)
        self.utilities.setflags(write=False)
        self.acceptable.setflags(write=False)
        # Enumerated arenas: outcome index -> row of the arena (-1 where a constraint forbids).
        self._position = None
        if not self.sampled:
            pos = np.full(space.cardinality, -1, dtype=np.int64)
            pos[space.indices_of(levels)] = np.arange(levels.shape[0])
            self._position = pos
            sizes = np.asarray(space.sizes, dtype=np.int64)
            # Mixed-radix strides (last issue fastest), as numpy.ravel_multi_index.
            self._strides = np.concatenate([np.cumprod(sizes[::-1])[::-1][1:], [1]])

    def lookup(self, row: np.ndarray) -> tuple[bool, np.ndarray, np.ndarray]:
        """``(allowed, utilities, acceptable)`` of one valid level row (every party)."""
        if self._position is not None:
            k = int(self._position[int(row @ self._strides)])
            if k < 0:
                return False, np.empty(0), np.empty(0, dtype=bool)
            return True, self.utilities[k], self.acceptable[k]
        s = self.scenario
        if not s.space.allowed_mask(row[None, :])[0]:
            return False, np.empty(0), np.empty(0, dtype=bool)
        u = s.utilities(row[None, :])
        return True, u[0], s.acceptable(row[None, :], u)[0]


class _Overrun(BaseException):
    """Sent into a strategy's thread that overran its time limit (not meant to be caught)."""


class _Guard:
    """Runs calls into strategies in one daemon worker thread, each with a time limit.

    ``call(fn, arg, limit)`` returns ``(True, value)``, ``(False, exception)`` when ``fn``
    raised (any ``BaseException``), or ``(False, None)`` when it did not return within
    ``limit`` seconds (the worker is then stopped, as far as Python can, and retired).
    """

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._job: Any = None
        self._ready = threading.Condition()

    def _work(self) -> None:
        try:
            self._loop()
        except BaseException:  # noqa: BLE001 - a late _Overrun in a retired worker: just end
            pass

    def _loop(self) -> None:
        me = threading.current_thread()
        while True:
            with self._ready:
                while self._job is None and self._thread is me:
                    self._ready.wait()
                if self._thread is not me:  # retired or closed
                    return
                fn, arg, box, done = self._job
                self._job = None
            try:
                box.append((True, fn(arg)))
            except BaseException as err:  # noqa: BLE001 - everything a strategy raises
                box.append((False, err))
            done.set()

    def call(self, fn: Callable[[Any], Any], arg: Any, limit: float) -> tuple[bool, Any]:
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="strategy", daemon=True)
            self._thread.start()
        box: list[tuple[bool, Any]] = []
        done = threading.Event()
        with self._ready:
            self._job = (fn, arg, box, done)
            self._ready.notify_all()
        if done.wait(max(limit, 0.0)):  # a real Ctrl-C arrives here, in the waiting thread
            return box[0]
        self._retire()
        return False, None

    def _retire(self) -> None:
        """Stop a worker stuck in a call: raise in its thread; abandon it (it is a daemon)."""
        with self._ready:
            thread, self._thread = self._thread, None
            self._job = None
        if thread is not None and thread.ident is not None:
            ctypes.pythonapi.PyThreadState_SetAsyncExc(
                ctypes.c_ulong(thread.ident), ctypes.py_object(_Overrun)
            )

    def close(self) -> None:
        """End the worker thread (after the run)."""
        with self._ready:
            self._thread = None
            self._ready.notify_all()


_ARENAS: OrderedDict[int, tuple[Scenario, Arena]] = OrderedDict()


def arena_for(scenario: Scenario, rng: np.random.Generator) -> Arena:
    """The :class:`Arena` of a scenario; enumerated arenas are cached (the last 8 scenarios)."""
    key = id(scenario)
    hit = _ARENAS.get(key)
    if hit is not None and hit[0] is scenario:
        _ARENAS.move_to_end(key)
        return hit[1]
    arena = Arena(scenario, rng)
    if not arena.sampled:
        _ARENAS[key] = (scenario, arena)
        while len(_ARENAS) > 8:
            _ARENAS.popitem(last=False)
    return arena


class _Buffer:
    """A growable array of rows (amortised O(1) append, O(1) read-only prefix views)."""

    def __init__(self, width: int | None, dtype: type) -> None:
        shape = (64,) if width is None else (64, width)
        self.data: np.ndarray = np.zeros(shape, dtype=dtype)
        self.n = 0

    def append(self, row) -> None:
        if self.n == self.data.shape[0]:
            bigger = np.zeros((2 * self.n, *self.data.shape[1:]), dtype=self.data.dtype)
            bigger[: self.n] = self.data
            self.data = bigger
        self.data[self.n] = row
        self.n += 1

    def view(self) -> np.ndarray:
        out = self.data[: self.n]
        out.flags.writeable = False
        return out


class Session:
    """One run of a protocol: the agents, the offer history and the trace.

    Parameters
    ----------
    scenario
        A discrete scenario.
    table
        Scenario indices of the negotiating parties, in turn order.
    factories
        One agent factory per party at the table (a :class:`Strategy` subclass or a callable
        ``view -> Strategy``).
    seed
        The run's seed (``None``: fresh entropy, not reproducible).
    rounds
        The deadline.
    protocol
        The protocol's name (shown to the agents and in the result).
    move_timeout, run_timeout
        Time limits in seconds for one call into a strategy and for all calls of the run
        (default :data:`MOVE_TIMEOUT`, :data:`RUN_TIMEOUT`); an overrun ends the run as a
        failure of that agent.
    """

    def __init__(
        self,
        scenario: Scenario,
        table: Sequence[int],
        factories: Sequence[AgentFactory],
        *,
        seed: int | None,
        rounds: int,
        protocol: str,
        move_timeout: float | None = None,
        run_timeout: float | None = None,
    ) -> None:
        self.move_timeout = MOVE_TIMEOUT if move_timeout is None else float(move_timeout)
        self.run_timeout = RUN_TIMEOUT if run_timeout is None else float(run_timeout)
        for what, value in (("move_timeout", self.move_timeout), ("run_timeout", self.run_timeout)):
            if not value > 0 or not np.isfinite(value):
                raise SimulationError(f"{what} must be a positive number of seconds, got {value}")
        self._guard = _Guard()
        self._spent = 0.0  # seconds spent in strategy calls so far
        self.scenario = scenario
        self.table = tuple(int(p) for p in table)
        self.rounds = int(rounds)
        self.protocol = protocol
        self.seed = seed
        names = scenario.party_names
        seeds = np.random.SeedSequence(seed).spawn(len(self.table) + 2)
        self.mediator_rng = np.random.default_rng(seeds[-1])
        self.arena = arena_for(scenario, np.random.default_rng(seeds[-2]))
        self.n_issues = len(scenario.issues)
        self.sizes = np.asarray(scenario.space.sizes, dtype=np.int64)
        self._levels = _Buffer(self.n_issues, np.int64)
        self._proposers = _Buffer(None, np.int64)
        self._rounds = _Buffer(None, np.int64)
        self._utilities = _Buffer(len(names), float)
        self._acceptable = _Buffer(len(names), bool)
        self.trace: list[TraceEntry] = []
        self.strategy_names = {
            names[p]: strategy_name(f) for p, f in zip(self.table, factories, strict=True)
        }
        self.players: dict[str, Strategy] = {}
        self.failure: AgentFailure | None = None
        a = self.arena
        for k, (p, factory) in enumerate(zip(self.table, factories, strict=True)):
            fn = PartyUtility(scenario, p)
            util = np.ascontiguousarray(a.utilities[:, p])
            acc = np.ascontiguousarray(a.acceptable[:, p])
            util.setflags(write=False)
            acc.setflags(write=False)
            view = AgentView(
                party=p,
                name=names[p],
                table=self.table,
                party_names=names,
                space=scenario.space,
                candidates=a.levels,
                utilities=util,
                acceptable=acc,
                reservation=float(scenario.reservations[p]),
                deadline=self.rounds,
                rng=np.random.default_rng(seeds[k]),
                protocol=protocol,
                utility_fn=fn,
            )
            try:
                agent = self.guarded(p, factory, view)
            except AgentFailure as failure:
                why = failure.message.removeprefix("raised ")
                self.failure = AgentFailure(
                    failure.party, failure.strategy, f"could not be built: {why}"
                )
                return
            if not callable(getattr(agent, "respond", None)):
                self.failure = AgentFailure(
                    names[p], self.strategy_names[names[p]], "has no respond(state) method"
                )
                return
            self.players[names[p]] = agent

    # -- history and trace -------------------------------------------------------------------
    @property
    def n_offers(self) -> int:
        """Number of offers in the history."""
        return self._proposers.n

    def record_offer(
        self, proposer: int, levels: np.ndarray, round: int, *, trace: bool = True
    ) -> int:
        """Add an offer (``proposer = -1`` for the mediator) to the history and, with ``trace``,
        to the trace. Returns its position in the history."""
        s = self.scenario
        row = np.asarray(levels, dtype=np.int64).reshape(1, -1)
        _, u, acc = self.arena.lookup(row[0])
        self._levels.append(row[0])
        self._proposers.append(proposer)
        self._rounds.append(round)
        self._utilities.append(u)
        self._acceptable.append(acc)
        if trace:
            self.trace.append(
                TraceEntry(
                    round=round,
                    proposer=s.party_names[proposer] if proposer >= 0 else "mediator",
                    levels=tuple(int(x) for x in row[0]),
                    deal=s.space.deal(row[0]),
                    utilities={n: float(x) for n, x in zip(s.party_names, u, strict=True)},
                )
            )
        return self.n_offers - 1

    def levels_at(self, k: int) -> np.ndarray:
        """The level row of history offer ``k`` (a copy)."""
        return self._levels.data[k].copy()

    def utilities_at(self, k: int) -> np.ndarray:
        """Every party's utility of history offer ``k`` (a copy)."""
        return self._utilities.data[k].copy()

    def state(
        self, party: int, *, round: int, time: float, offer: int | None, final: bool
    ) -> State:
        """The state as ``party`` sees it, with history offer ``offer`` on the table."""
        history = History(
            levels=self._levels.view(),
            proposers=self._proposers.view(),
            rounds=self._rounds.view(),
            utilities=self._utilities.view()[:, party],
        )
        time = float(min(max(time, 0.0), 1.0))
        if offer is None:
            return State(round, time, None, None, False, None, history, final)
        row = self._levels.view()[offer]
        return State(
            round=round,
            time=time,
            offer=row,
            utility=float(self._utilities.data[offer, party]),
            acceptable=bool(self._acceptable.data[offer, party]),
            proposer=int(self._proposers.data[offer]),
            history=history,
            final=final,
        )

    # -- asking an agent -------------------------------------------------------------------------
    def fail(self, party: int, message: str) -> AgentFailure:
        """An :class:`AgentFailure` for ``party`` (scenario index)."""
        name = self.scenario.party_names[party]
        return AgentFailure(name, self.strategy_names[name], message)

    def ask(self, party: int, state: State) -> Accept | Walk | np.ndarray:
        """Ask ``party``'s agent to respond; return :class:`Accept`, :class:`Walk`, or the
        validated level row of its offer. Raises :class:`AgentFailure` on anything invalid."""
        agent = self.players[self.scenario.party_names[party]]
        action = self.guarded(party, agent.respond, state)
        return self.check(party, state, action)

    def guarded(self, party: int, fn: Callable[[Any], Any], arg: Any) -> Any:
        """``fn(arg)`` in the session's worker thread within the time limits; any exception
        or overrun becomes an :class:`AgentFailure` of ``party``."""
        left = self.run_timeout - self._spent
        limit = min(self.move_timeout, left)
        if limit <= 0:
            raise self.fail(party, f"the run exceeded its time limit of {self.run_timeout:g} s")
        start = _time.perf_counter()
        ok, value = self._guard.call(fn, arg, limit)
        self._spent += _time.perf_counter() - start
        if ok:
            return value
        if value is None:
            if limit < self.move_timeout:
                raise self.fail(party, f"the run exceeded its time limit of {self.run_timeout:g} s")
            raise self.fail(party, f"took longer than the limit of {self.move_timeout:g} s a move")
        raise self.fail(party, f"raised {_describe(value)}")

    def close(self) -> None:
        """Release the session's worker thread (the protocols call it when the run ends)."""
        self._guard.close()

    def check(self, party: int, state: State, action: Action) -> Accept | Walk | np.ndarray:
        """Validate an agent's action (see :meth:`ask`)."""
        if isinstance(action, Walk):
            return action
        if isinstance(action, Accept):
            if state.offer is None:
                raise self.fail(party, "accepted with no offer on the table")
            if not state.acceptable:
                raise self.fail(party, self._unacceptable(party, state.offer, "accepted"))
            return action
        if isinstance(action, Offer):
            return self.check_levels(party, action.levels)
        raise self.fail(
            party,
            f"returned {_short(action)}; expected Accept(), Offer(levels) or Walk()",
        )

    def check_levels(self, party: int, levels: object) -> np.ndarray:
        """The offer as a valid level row, or :class:`AgentFailure` saying what is wrong."""
        try:
            row = np.asarray(levels)
        except Exception as err:  # noqa: BLE001
            raise self.fail(
                party, f"offered something that is not an array ({_describe(err)})"
            ) from None
        if row.dtype == bool or not np.issubdtype(row.dtype, np.integer):
            raise self.fail(
                party,
                f"offered {_short(levels)}: levels must be integer indices (dtype {row.dtype})",
            )
        if row.shape != (self.n_issues,):
            raise self.fail(
                party,
                f"offered an array of shape {row.shape}; expected ({self.n_issues},), "
                "one level index per issue",
            )
        bad = np.flatnonzero((row < 0) | (row >= self.sizes))
        if bad.size:
            i = int(bad[0])
            issue = self.scenario.issues[i]
            raise self.fail(
                party,
                f"offered level index {int(row[i])} on issue {issue.name!r}, which has "
                f"{issue.size} levels (0..{issue.size - 1})",
            )
        row = row.astype(np.int64)
        allowed, _, acc = self.arena.lookup(row)
        if not allowed:
            raise self.fail(
                party,
                f"offered an outcome a joint constraint forbids: {self.scenario.space.deal(row)}",
            )
        if not acc[party]:
            raise self.fail(party, self._unacceptable(party, row, "offered"))
        return row

    def _unacceptable(self, party: int, row: np.ndarray, verb: str) -> str:
        s = self.scenario
        u = float(s.utilities(row[None, :])[0, party])
        r = float(s.reservations[party])
        if s.red_line_mask(row[None, :])[0, party]:
            why = "it crosses one of the party's red lines"
        else:
            why = f"its utility {u:.6g} is below the reservation value {r:.6g}"
        return f"{verb} an outcome it cannot accept ({why}): {s.space.deal(row)}"

    # -- the result --------------------------------------------------------------------------
    def result(
        self,
        end: str,
        reason: str,
        agreement: np.ndarray | None = None,
        failed: str | None = None,
    ) -> SimulationResult:
        """Freeze the run into a :class:`SimulationResult`."""
        self.close()  # the run is over: no more calls into strategies
        s = self.scenario
        names = s.party_names
        deal = acceptable_to = None
        if agreement is not None:
            row = np.asarray(agreement, dtype=np.int64)
            u = s.utilities(row[None, :])[0]
            deal = Deal(levels=row.copy(), utilities=u, terms=s.space.deal(row), parties=names)
            acc = s.acceptable(row[None, :], u[None, :])[0]
            acceptable_to = {n: bool(a) for n, a in zip(names, acc, strict=True)}
        return SimulationResult(
            protocol=self.protocol,
            scenario=s.name,
            parties=tuple(names[p] for p in self.table),
            agents=dict(self.strategy_names),
            agreement=deal,
            rounds=len(self.trace),
            trace=tuple(self.trace),
            end=end,
            reason=reason,
            seed=self.seed,
            failed=failed,
            acceptable_to=acceptable_to,
            reservations={n: float(r) for n, r in zip(names, s.reservations, strict=True)},
            players=dict(self.players),
        )

    def failed_result(self, failure: AgentFailure) -> SimulationResult:
        """The result of a run ended by a failing agent (its response marked ``failed``)."""
        if self.trace and failure.party not in self.trace[-1].responses:
            self.trace[-1].responses[failure.party] = "failed"
        return self.result("failure", str(failure), failed=failure.party)


def strategy_name(factory: object) -> str:
    """The display name of a strategy class or factory (its ``name``, else its ``__name__``)."""
    if isinstance(factory, str):
        return factory
    name = getattr(factory, "name", None)
    if isinstance(name, str):
        return name
    func = getattr(factory, "func", None)  # functools.partial
    if func is not None:
        return strategy_name(func)
    return getattr(factory, "__name__", type(factory).__name__)


def _describe(err: BaseException) -> str:
    text = str(err)
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def _short(obj: object, limit: int = 80) -> str:
    try:
        text = repr(obj)
    except Exception:  # noqa: BLE001
        text = f"<{type(obj).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."
