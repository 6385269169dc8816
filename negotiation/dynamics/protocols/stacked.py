"""Stacked alternating offers: the multilateral protocol where an offer goes round the table.

Parties move in turn order. At its turn a party sees the latest offer and either accepts it (the
offer moves on to the next party), makes a counter-offer (which replaces it and starts a new
round of answers), or walks away (no agreement). An offer is agreed when all the other parties
have accepted it in a row, i.e. unanimously. With two parties it is the bilateral alternating
offers protocol. The deadline is ``rounds`` offers (see
:mod:`negotiation.dynamics.protocols.alternating`).

References
----------
.. [AFHJ2017] Aydoğan et al., "Alternating offers protocols for multilateral negotiation" (2017);
   the stacked alternating offers protocol, SAOP. Full entry: docs/references.md.
"""

from __future__ import annotations

from negotiation.dynamics.protocols.alternating import turn_taking
from negotiation.dynamics.protocols.session import Session
from negotiation.dynamics.protocols.trace import SimulationResult

__all__ = ["stacked"]


def stacked(session: Session) -> SimulationResult:
    """Stacked alternating offers among all the parties at the table (two or more)."""
    return turn_taking(session)
