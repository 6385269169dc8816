"""The hard-liner: demands its best outcome every time and never accepts below a floor.

It is the limit ``e -> 0`` of time-dependent concession (Faratin et al. 1998 [FSJ1998]_) with
acceptance at a fixed floor: it offers its best acceptable outcome at every turn and accepts an
offer only when it is worth at least ``floor``. Against an agent that concedes, it collects (about)
its floor: the first offer above the floor is accepted.

References
----------
.. [FSJ1998] Faratin, Sierra, Jennings, "Negotiation decision functions for autonomous agents"
   (1998). Full entry: docs/references.md.
"""

from __future__ import annotations

from negotiation.dynamics.strategies.base import Accept, Action, AgentView, State, Strategy
from negotiation.dynamics.strategies.traits import Traits
from negotiation.errors import NotApplicableError

__all__ = ["HardLiner"]


class HardLiner(Strategy):
    """Always offers its best outcome; accepts only offers worth at least ``floor``.

    Parameters
    ----------
    view
        The agent's view.
    floor
        Absolute utility floor. Default: ``reservation + level * (u_max - reservation)``.
    level
        Where the default floor sits between the reservation (0) and the best outcome (1).
    """

    name = "hardliner"
    traits = Traits()  # firm, deterministic, deaf to the clock and to the other side

    def __init__(self, view: AgentView, floor: float | None = None, level: float = 0.75) -> None:
        super().__init__(view)
        if not 0.0 <= level <= 1.0:
            raise NotApplicableError(f"hardliner: level must be in [0, 1], got {level}")
        low = max(view.reservation, view.u_min)
        if floor is None:
            floor = low + level * (view.u_max - low)
        # Never below what the party can accept at all.
        self.floor = max(float(floor), low)

    def respond(self, state: State) -> Action:
        """Accept an acceptable offer worth ``>= floor``, else demand the best outcome again."""
        if self.accepts(state, self.floor):
            return Accept()
        return self.best_offer(state)
