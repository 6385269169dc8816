"""Views and probe states for the strategy tests (imported by the test modules here)."""

from __future__ import annotations

import numpy as np

from negotiation import load_scenario
from negotiation.dynamics.protocols.session import Session
from negotiation.dynamics.strategies import HardLiner
from negotiation.dynamics.strategies.base import AgentView, History, State

SCENARIO = "textbook_two_party"


def fresh_view(seed: int = 0, party: int = 0, rounds: int = 20) -> AgentView:
    """The view a protocol gives ``party`` in a run seeded ``seed`` (a fresh rng each call)."""
    captured = {}

    def grab(view):
        captured[view.party] = view
        return HardLiner(view)

    session = Session(
        load_scenario(SCENARIO),
        (0, 1),
        (grab, grab),
        seed=seed,
        rounds=rounds,
        protocol="alternating",
    )
    session.close()  # the agents' worker thread is not needed any more
    return captured[party]


def probes(view: AgentView, time: float) -> list[State]:
    """Two states at time ``time``: the agent opens; the other side offers the agent's median
    acceptable outcome (the only offer so far)."""
    empty = History(
        np.zeros((0, view.candidates.shape[1]), dtype=np.int64),
        np.zeros(0, dtype=np.int64),
        np.zeros(0, dtype=np.int64),
        np.zeros(0),
    )
    opening = State(0, time, None, None, False, None, empty)
    k = view.order[view.order.size // 2]
    y, u = view.candidates[k], float(view.utilities[k])
    other = view.others[0]
    seen = History(y[None, :], np.array([other]), np.array([0]), np.array([u]))
    return [opening, State(1, time, y, u, True, other, seen)]
