"""Negotiation protocols: simulate the talks round by round.

* :func:`~.alternating.alternating` -- bilateral alternating offers with a deadline;
* :func:`~.stacked.stacked` -- multilateral stacked alternating offers (all must accept);
* :func:`~.mediated.mediated` -- a mediated single negotiating text (Raiffa 1982).

:func:`simulate` runs one negotiation and returns a :class:`SimulationResult` (trace, agreement,
end reason, ``.to_json()``). :data:`PROTOCOLS` maps names to protocols.
"""

from negotiation.dynamics.protocols.registry import (
    PROTOCOLS,
    ProtocolSpec,
    UnknownProtocolError,
    get_protocol,
    simulate,
)
from negotiation.dynamics.protocols.session import AgentFailure, Session, SimulationError
from negotiation.dynamics.protocols.trace import END_REASONS, SimulationResult, TraceEntry

__all__ = [
    "END_REASONS",
    "PROTOCOLS",
    "AgentFailure",
    "ProtocolSpec",
    "Session",
    "SimulationError",
    "SimulationResult",
    "TraceEntry",
    "UnknownProtocolError",
    "get_protocol",
    "simulate",
]
