"""Time-dependent concession: Boulware, linear and Conceder agents.

The agent's aspiration falls with the time fraction ``t`` in ``[0, 1]`` from its best utility
``u_max`` to a floor (its reservation value unless told otherwise):

.. math::  \\tau(t) = u_{max} - (u_{max} - u_{floor})\\, t^{1/e}

With ``e < 1`` the agent holds out until near the deadline (Boulware), with ``e = 1`` it concedes
linearly, with ``e > 1`` it concedes early (Conceder). It offers the candidate outcome just above
``tau(t)`` in its own utility and accepts any acceptable offer worth at least ``tau(t)``.

References
----------
.. [FSJ1998] Faratin, Sierra, Jennings, "Negotiation decision functions for autonomous agents"
   (1998). Full entry: docs/references.md.
"""

from __future__ import annotations

from typing import Any, ClassVar

from negotiation.dynamics.strategies.base import Accept, Action, AgentView, State, Strategy
from negotiation.dynamics.strategies.traits import Traits
from negotiation.errors import NotApplicableError

__all__ = ["TimeDependent", "Boulware", "Linear", "Conceder", "concession_target"]


def concession_target(t: float, u_max: float, floor: float, e: float) -> float:
    """Faratin et al.'s time-dependent aspiration ``u_max - (u_max - floor) * t**(1/e)``.

    Parameters
    ----------
    t
        Time fraction in ``[0, 1]`` (clipped).
    u_max, floor
        The aspiration at ``t = 0`` and at ``t = 1``.
    e
        Concession exponent (``> 0``): below 1 Boulware, 1 linear, above 1 Conceder.

    Examples
    --------
    >>> concession_target(0.5, 1.0, 0.0, 1.0)
    0.5
    >>> round(concession_target(0.5, 1.0, 0.0, 0.2), 4)   # Boulware: still near the top
    0.9688
    """
    t = min(max(float(t), 0.0), 1.0)
    return float(u_max - (u_max - floor) * t ** (1.0 / e))


class TimeDependent(Strategy):
    """Concede on a clock: aspiration ``u_max - (u_max - floor) * t**(1/e)`` (Faratin et al. 1998).

    Parameters
    ----------
    view
        The agent's view.
    e
        Concession exponent (``> 0``); the class default when omitted.
    floor
        The aspiration at the deadline; defaults to the reservation value (never below the
        worst acceptable candidate).
    """

    name: ClassVar[str] = "time_dependent"
    traits = Traits(concedes=True, time_dependent=True)
    #: Default concession exponent.
    e: ClassVar[float] = 1.0

    def __init__(self, view: AgentView, e: float | None = None, floor: float | None = None) -> None:
        super().__init__(view)
        e = type(self).e if e is None else float(e)
        if not e > 0:
            raise NotApplicableError(f"{self.name}: the concession exponent e must be > 0, got {e}")
        self.exponent = e
        base = view.reservation if floor is None else float(floor)
        self.floor = min(max(base, view.u_min), view.u_max)

    @property
    def params(self) -> dict[str, Any]:
        """The parameters, with ``e`` the exponent in use (the class default when omitted)."""
        return {**super().params, "e": self.exponent}

    def target(self, t: float) -> float:
        """The aspiration at time fraction ``t``."""
        return concession_target(t, self.view.u_max, self.floor, self.exponent)

    def respond(self, state: State) -> Action:
        """Accept an acceptable offer worth at least the aspiration, else offer at the aspiration."""
        target = self.target(state.time)
        if self.accepts(state, target):
            return Accept()
        return self.offer_near(target, state)


class Boulware(TimeDependent):
    """Time-dependent concession with ``e = 0.2``: firm until close to the deadline."""

    name = "boulware"
    e = 0.2


class Linear(TimeDependent):
    """Time-dependent concession with ``e = 1``: concedes at a constant rate."""

    name = "linear"
    e = 1.0


class Conceder(TimeDependent):
    """Time-dependent concession with ``e = 2``: concedes early."""

    name = "conceder"
    e = 2.0
