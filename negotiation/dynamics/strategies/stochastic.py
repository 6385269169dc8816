"""A stochastic agent: random offers above a falling aspiration.

A baseline (like Axelrod's ``Random`` player): its aspiration falls linearly from its best
utility to its reservation value, ``tau(t) = u_max - (u_max - r) t``; it offers an outcome drawn
uniformly from its acceptable candidates worth at least ``tau(t)``, and accepts an acceptable
offer worth at least ``tau(t)``. Every draw comes from the agent's own generator, derived from the
run's seed, so a run is reproducible and different seeds give different runs.

References
----------
.. [FSJ1998] Faratin, Sierra, Jennings, "Negotiation decision functions for autonomous agents"
   (1998). Full entry: docs/references.md.
"""

from __future__ import annotations

import numpy as np

from negotiation.dynamics.strategies.base import Accept, Action, Offer, State, Strategy, Walk
from negotiation.dynamics.strategies.time_dependent import concession_target
from negotiation.dynamics.strategies.traits import Traits

__all__ = ["RandomAgent"]


class RandomAgent(Strategy):
    """Offers a random acceptable outcome worth at least a linearly falling aspiration."""

    name = "random"
    traits = Traits(concedes=True, stochastic=True, time_dependent=True)

    def respond(self, state: State) -> Action:
        """Accept at the aspiration; else draw an offer above it with ``view.rng``."""
        v = self.view
        if not v.has_acceptable:
            return Walk("no acceptable outcome")
        floor = max(v.reservation, v.u_min)
        target = concession_target(state.time, v.u_max, floor, 1.0)
        if self.accepts(state, target):
            return Accept()
        lo = int(np.searchsorted(v.sorted_utilities, target - 1e-12, side="left"))
        lo = min(lo, v.order.size - 1)
        pick = v.order[lo + int(v.rng.integers(v.order.size - lo))]
        return Offer(v.candidates[pick].copy())
