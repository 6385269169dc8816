"""The registry of protocols by name, and :func:`simulate`, the one-call Python API.

>>> from negotiation.dynamics.protocols import simulate
>>> r = simulate("textbook_two_party", agents=("linear", "linear"), seed=0)
>>> r.end, r.agreement is not None
('agreement', True)
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from negotiation.dynamics.protocols.alternating import alternating
from negotiation.dynamics.protocols.mediated import mediated
from negotiation.dynamics.protocols.session import AgentFactory, Session, SimulationError
from negotiation.dynamics.protocols.stacked import stacked
from negotiation.dynamics.protocols.trace import SimulationResult
from negotiation.dynamics.strategies.registry import get_strategy
from negotiation.errors import NegotiationError
from negotiation.io import load_scenario
from negotiation.model.scenario import Scenario

__all__ = [
    "PROTOCOLS",
    "ProtocolSpec",
    "UnknownProtocolError",
    "get_protocol",
    "resolve_table",
    "resolve_agents",
    "simulate",
    "DEFAULT_AGENTS",
]

#: The default strategies, dealt round the table in turn (so they fit any number of parties):
#: a tough Boulware opener facing a Conceder, then again for the next two seats, and so on.
DEFAULT_AGENTS = ("boulware", "conceder")


class UnknownProtocolError(NegotiationError):
    """A protocol name that is not in :data:`PROTOCOLS`."""


@dataclass(frozen=True)
class ProtocolSpec:
    """A protocol: its name, how many parties it seats, and the function that runs it."""

    name: str
    run: Callable[..., SimulationResult]
    min_parties: int
    max_parties: int | None
    description: str

    def options(self) -> tuple[str, ...]:
        """Names of the protocol's own keyword options (e.g. the mediated ``start``)."""
        params = list(inspect.signature(self.run).parameters)[1:]
        return tuple(params)


#: Every protocol, by name.
PROTOCOLS: dict[str, ProtocolSpec] = {
    "alternating": ProtocolSpec(
        "alternating", alternating, 2, 2, "bilateral alternating offers with a deadline"
    ),
    "stacked": ProtocolSpec(
        "stacked", stacked, 2, None, "multilateral stacked alternating offers (all must accept)"
    ),
    "mediated": ProtocolSpec(
        "mediated", mediated, 2, None, "mediated single negotiating text (Raiffa 1982)"
    ),
}


def get_protocol(name: str) -> ProtocolSpec:
    """The protocol registered under ``name``; :class:`UnknownProtocolError` if none."""
    try:
        return PROTOCOLS[name]
    except (KeyError, TypeError):
        raise UnknownProtocolError(
            f"unknown protocol {name!r} (the protocols are: {', '.join(PROTOCOLS)})"
        ) from None


def resolve_table(
    scenario: Scenario, spec: ProtocolSpec, parties: Sequence[str] | None
) -> tuple[int, ...]:
    """Scenario indices of the negotiating parties.

    Default: every party for a multilateral protocol; for the bilateral protocol on a scenario
    with more than two parties, the first two in scenario order (pass ``parties`` to choose).
    """
    names = scenario.party_names
    if parties is None:
        n = len(names) if spec.max_parties is None else min(spec.max_parties, len(names))
        table = tuple(range(n))
    else:
        if isinstance(parties, str):
            parties = [p.strip() for p in parties.split(",") if p.strip()]
        chosen: list[int] = []
        for p in parties:
            if p not in names:
                raise SimulationError(
                    f"unknown party {p!r} in scenario {scenario.name!r} "
                    f"(the parties are: {', '.join(names)})"
                )
            if names.index(p) in chosen:
                raise SimulationError(f"party {p!r} is listed twice")
            chosen.append(names.index(p))
        table = tuple(chosen)
    low, high = spec.min_parties, spec.max_parties
    if len(table) < low or (high is not None and len(table) > high):
        want = f"exactly {low}" if low == high else f"at least {low}"
        raise SimulationError(
            f"the {spec.name} protocol needs {want} parties at the table, got {len(table)} "
            f"({', '.join(names[p] for p in table)})"
        )
    return table


def resolve_agents(
    agents: str | AgentFactory | Sequence[str | AgentFactory] | None, n: int
) -> list[AgentFactory]:
    """One agent factory per party at the table.

    ``agents`` is a strategy name (everybody plays it), a comma-separated string of names, a
    :class:`~negotiation.dynamics.strategies.base.Strategy` subclass or factory, or a sequence
    of names and factories (one per party at the table, in turn order). ``None`` deals
    :data:`DEFAULT_AGENTS` round the table in turn, for any number of parties.

    >>> [a.name for a in resolve_agents(None, 3)]
    ['boulware', 'conceder', 'boulware']
    """
    if agents is None:
        agents = [DEFAULT_AGENTS[k % len(DEFAULT_AGENTS)] for k in range(n)]
    if isinstance(agents, str):
        items: list = [a.strip() for a in agents.split(",")]
        if len(items) == 1:
            items = items * n
    elif callable(agents):
        items = [agents] * n
    else:
        items = list(agents)
    if len(items) != n:
        raise SimulationError(
            f"{len(items)} agents given for {n} parties at the table; give one strategy per "
            "party, in turn order, or a single strategy for everybody"
        )
    out: list[AgentFactory] = []
    for item in items:
        if isinstance(item, str):
            out.append(get_strategy(item))
        elif callable(item):
            out.append(item)
        else:
            raise SimulationError(
                f"an agent must be a strategy name, a Strategy subclass or a factory, got {item!r}"
            )
    return out


def simulate(
    scenario: Scenario | str | Path,
    protocol: str = "alternating",
    agents: str | AgentFactory | Sequence[str | AgentFactory] | None = None,
    seed: int | None = 0,
    rounds: int = 100,
    parties: Sequence[str] | None = None,
    *,
    move_timeout: float | None = None,
    run_timeout: float | None = None,
    **kwargs: object,
) -> SimulationResult:
    """Simulate one negotiation, round by round.

    Parameters
    ----------
    scenario
        A :class:`~negotiation.model.scenario.Scenario`, a bundled scenario name or a file.
    protocol
        ``"alternating"`` (bilateral), ``"stacked"`` or ``"mediated"`` (multilateral).
    agents
        The strategies, one per party at the table in turn order: names from
        :data:`~negotiation.dynamics.strategies.registry.STRATEGIES`, ``Strategy`` subclasses,
        or factories ``view -> Strategy`` (e.g. ``functools.partial(TimeDependent, e=0.5)``).
        A single name means everybody plays it. Default (``None``): Boulware and Conceder
        dealt round the table in turn (:data:`DEFAULT_AGENTS`), for any number of parties.
    seed
        The run's seed; the same seed gives the same trace.
    rounds
        The deadline: offers (texts, in the mediated protocol).
    parties
        The parties at the table, in turn order. Default: all (multilateral protocols) or the
        first two in scenario order (bilateral protocol).
    move_timeout, run_timeout
        Time limits in seconds for one call into a strategy and for all of a run's calls
        (defaults :data:`~negotiation.dynamics.protocols.session.MOVE_TIMEOUT` = 10 s and
        :data:`~negotiation.dynamics.protocols.session.RUN_TIMEOUT` = 120 s). A strategy that
        overruns, or raises anything (``sys.exit``, ``KeyboardInterrupt`` included), ends the
        run with ``end == "failure"`` and the reason; a real Ctrl-C stops the simulation.
    **kwargs
        The protocol's own options (mediated: ``start``).

    Returns
    -------
    SimulationResult
        The trace, the agreement (a deal acceptable to every party at the table, with every
        scenario party's utility) or ``None``, and why the talks ended.

    Notes
    -----
    An agreement binds the parties at the table: it must be allowed by the constraints and
    acceptable (reservation value, red lines) to each of them. Parties not at the table are not
    asked; ``result.acceptable_to`` reports whether the deal would be acceptable to them too.
    """
    spec = get_protocol(protocol)
    if isinstance(scenario, (str, Path)):
        scenario = load_scenario(scenario)
    if isinstance(rounds, bool) or not isinstance(rounds, int) or rounds < 1:
        raise SimulationError(f"rounds must be a whole number >= 1, got {rounds!r}")
    unknown = set(kwargs) - set(spec.options())
    if unknown:
        raise SimulationError(
            f"the {spec.name} protocol has no option(s) {sorted(unknown)} "
            f"(its options: {list(spec.options()) or 'none'})"
        )
    table = resolve_table(scenario, spec, parties)
    factories = resolve_agents(agents, len(table))
    session = Session(
        scenario,
        table,
        factories,
        seed=seed,
        rounds=rounds,
        protocol=spec.name,
        move_timeout=move_timeout,
        run_timeout=run_timeout,
    )
    try:
        return spec.run(session, **kwargs)
    finally:
        session.close()
