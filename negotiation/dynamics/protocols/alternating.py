"""Alternating offers with a deadline (bilateral), and the turn-taking engine it shares with the
stacked multilateral protocol.

Rules (Rubinstein 1982 [Rubinstein1982]_; with a deadline as in Faratin et al. 1998 and the
GENIUS/ANAC stacked alternating offers protocol of Aydoğan et al. 2017 [AFHJ2017]_): the parties
move in turn order. The first opens with an offer; afterwards each party, seeing the latest offer,
either **accepts** it, **counters** with an offer of its own, or **walks away**. An offer is agreed
when every other party at the table has accepted it in a row (in the bilateral case: when the other
party accepts).

The deadline is ``rounds`` offers: the decision after the ``k``-th offer happens at time fraction
``t = k / rounds``, so the party answering the last possible offer decides at ``t = 1`` and can
only accept or walk (its counter-offer ends the talks without agreement, ``end = "deadline"``).

Each offer is one trace entry; the responses of the parties who answered it are recorded on it.

References
----------
.. [Rubinstein1982] Rubinstein, "Perfect equilibrium in a bargaining model" (1982).
   Full entry: docs/references.md.
.. [AFHJ2017] Aydoğan et al., "Alternating offers protocols for multilateral negotiation" (2017).
   Full entry: docs/references.md.
"""

from __future__ import annotations

from negotiation.dynamics.protocols.session import AgentFailure, Session
from negotiation.dynamics.protocols.trace import SimulationResult
from negotiation.dynamics.strategies.base import Accept, Walk

__all__ = ["alternating", "turn_taking"]


def turn_taking(session: Session) -> SimulationResult:
    """Run the (stacked) alternating offers protocol on a prepared session.

    The offer on the table goes round the table in turn order; it is agreed when all the other
    ``n - 1`` parties accept it in a row.
    """
    if session.failure is not None:
        return session.failed_result(session.failure)
    table = session.table
    n = len(table)
    rounds = session.rounds
    names = session.scenario.party_names
    on_table: int | None = None  # history position of the offer on the table
    accepted = 0
    turn = 0
    while True:
        party = table[turn % n]
        made = session.n_offers
        final = made >= rounds
        state = session.state(party, round=made, time=made / rounds, offer=on_table, final=final)
        try:
            action = session.ask(party, state)
        except AgentFailure as failure:
            return session.failed_result(failure)
        entry = session.trace[-1] if session.trace else None
        if isinstance(action, Accept):
            entry.responses[names[party]] = "accept"  # type: ignore[union-attr]
            accepted += 1
            if accepted == n - 1:
                return session.result(
                    "agreement",
                    f"agreement after {session.n_offers} offers",
                    agreement=session.levels_at(on_table),  # type: ignore[arg-type]
                )
        elif isinstance(action, Walk):
            if entry is not None:
                entry.responses[names[party]] = "walk"
            why = f": {action.reason}" if action.reason else ""
            return session.result("walk", f"{names[party]} walked away{why}")
        else:
            if final:
                if entry is not None:
                    entry.responses[names[party]] = "counter after deadline"
                return session.result(
                    "deadline", f"no agreement within the deadline of {rounds} offers"
                )
            if entry is not None:
                entry.responses[names[party]] = "counter"
            on_table = session.record_offer(party, action, round=made)
            accepted = 0
        turn += 1


def alternating(session: Session) -> SimulationResult:
    """Bilateral alternating offers with a deadline (exactly two parties at the table)."""
    return turn_taking(session)
