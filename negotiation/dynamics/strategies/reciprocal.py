"""Reciprocal concession: tit for tat in utility terms.

The agent measures how far the other side has come toward it, in its own utility: the other
party ``j``'s concession is ``c_j = max_k u(y_jk) - u(y_j0)``, the best of ``j``'s offers so far
minus its first offer, both valued by the agent. It gives back as much (``reciprocity`` times the
mean of the ``c_j``), plus a small unconditional step ``kindness * t * (u_max - floor)`` so that
two reciprocators do not wait for each other forever ("nice" tit for tat, Baarslag et al.
2013 [BHJ2013]_):

.. math::  \\tau(t) = \\max\\bigl(u_{floor},\\; u_{max} - \\rho\\, \\bar c - \\kappa\\, t\\, (u_{max} - u_{floor})\\bigr)

It opens with its best outcome, offers the candidate just above ``tau`` (ties toward the other
side's last offer), accepts an acceptable offer worth at least ``tau``, near the deadline (from
``t = late``) also the best offer it has been made, and at the final decision any acceptable
offer (no agreement would leave it at its reservation value anyway; Baarslag et al. 2014
[BHJ2014]_).

References
----------
.. [FSJ1998] Faratin, Sierra, Jennings, "Negotiation decision functions for autonomous agents"
   (1998); behaviour-dependent tactics. Full entry: docs/references.md.
.. [BHJ2013] Baarslag, Hindriks, Jonker, "A tit for tat negotiation strategy" (2013).
   Full entry: docs/references.md.
.. [BHJ2014] Baarslag, Hindriks, Jonker, "Effective acceptance conditions" (2014).
   Full entry: docs/references.md.
.. [Axelrod1984] Axelrod, *The Evolution of Cooperation* (1984). Full entry: docs/references.md.
"""

from __future__ import annotations

import numpy as np

from negotiation.dynamics.strategies.base import Accept, Action, AgentView, State, Strategy
from negotiation.dynamics.strategies.traits import Traits

__all__ = ["TitForTat"]


class TitForTat(Strategy):
    """Concede as much as the other side has conceded (measured in own utility), and a bit more.

    Parameters
    ----------
    view
        The agent's view.
    reciprocity
        How much of the others' concession it gives back (1: tit for tat).
    kindness
        Unconditional concession at the deadline, as a fraction of its range (grows with ``t``).
    late
        From this time fraction on, it also accepts an acceptable offer at least as good as
        the best the others have made (Baarslag et al. 2014).
    """

    name = "tit_for_tat"
    traits = Traits(concedes=True, time_dependent=True)

    def __init__(
        self, view: AgentView, reciprocity: float = 1.0, kindness: float = 0.25, late: float = 0.9
    ) -> None:
        super().__init__(view)
        self.late = float(late)
        self.reciprocity = float(reciprocity)
        self.kindness = float(kindness)
        self.floor = max(view.reservation, view.u_min)

    def others_concession(self, state: State) -> float:
        """Mean over the other parties of (best - first) own utility of their offers."""
        h = state.history
        gains = []
        for p in self.view.others:
            _, u = h.by(p)
            if u.size:
                gains.append(float(u.max() - u[0]))
        return float(np.mean(gains)) if gains else 0.0

    def target(self, state: State) -> float:
        """The aspiration ``max(floor, u_max - rho * c - kappa * t * (u_max - floor))``."""
        v = self.view
        c = self.reciprocity * self.others_concession(state)
        c += self.kindness * state.time * (v.u_max - self.floor)
        return max(self.floor, v.u_max - c)

    def respond(self, state: State) -> Action:
        """Reciprocate: accept at the aspiration, else offer just above it."""
        target = self.target(state)
        if (
            self.accepts(state, target)
            or self.accepts_late(state, self.late)
            or (state.final and self.accepts(state, self.floor))
        ):
            return Accept()
        return self.offer_near(target, state)
