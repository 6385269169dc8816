"""Zeuthen's risk-based concession.

Each side measures its *willingness to risk conflict*: holding on to its own offer ``x_i`` while
the other side offers ``y``, party ``i`` risks losing its gain over disagreement,

.. math::  r_i = \\frac{(u_i(x_i) - d_i) - (u_i(y) - d_i)}{u_i(x_i) - d_i}

(``r_i = 0`` when ``u_i(x_i) <= d_i``). Zeuthen's principle: the party with the smaller risk
concedes (both when they are equal), and by just enough that the other side's risk becomes the
smaller one. Harsanyi (1956) [Harsanyi1956]_ showed this raises the Nash product at every step, so
it ends at the Nash bargaining solution when both sides follow it with full information.

An agent here knows only its own utility, so it estimates the other side's with a frequency
opponent model (:class:`~negotiation.dynamics.strategies.opponent_model.FrequencyModel`, on a
``[0, 1]`` scale), and believes the other side's disagreement utility sits where its own does on
its own scale (its reservation normalised over the candidate outcomes). While each side's offer
is worse than disagreement for the other, both risks are 1 and both concede (Zeuthen's rule for
equal risks), by ``step`` of the utility range at a time. With several parties it compares its risk with the
smallest estimated risk of the others, measured against the worst offer on the table for each
(the monotonic concession protocol of Endriss 2006 [Endriss2006]_). If no one has moved for
``patience`` of its own turns it concedes one ``step`` anyway, so that wrong estimates cannot
deadlock it; and Zeuthen's model has no deadline, so near the deadline it also accepts the best
offer it has seen (Baarslag et al. 2014 [BHJ2014]_).

References
----------
.. [Zeuthen1930] Zeuthen, *Problems of Monopoly and Economic Warfare* (1930).
   Full entry: docs/references.md.
.. [Harsanyi1956] Harsanyi, "Approaches to the bargaining problem before and after the theory of
   games" (1956). Full entry: docs/references.md.
.. [RosenscheinZlotkin1994] Rosenschein, Zlotkin, *Rules of Encounter* (1994); the monotonic
   concession protocol. Full entry: docs/references.md.
.. [Endriss2006] Endriss, "Monotonic concession protocols for multilateral negotiation" (2006).
   Full entry: docs/references.md.
.. [BHJ2014] Baarslag, Hindriks, Jonker, "Effective acceptance conditions" (2014).
   Full entry: docs/references.md.
"""

from __future__ import annotations

import numpy as np

from negotiation.dynamics.strategies.base import (
    Accept,
    Action,
    AgentView,
    Offer,
    State,
    Strategy,
    Walk,
)
from negotiation.dynamics.strategies.opponent_model import ModelTracker
from negotiation.dynamics.strategies.traits import Traits

__all__ = ["Zeuthen", "zeuthen_risk"]


def zeuthen_risk(own: np.ndarray | float, other: np.ndarray | float, disagreement: float = 0.0):
    """Zeuthen's willingness to risk conflict ``(u(own) - u(other)) / (u(own) - d)``.

    ``0`` where the own offer is no better than disagreement; clipped to ``[0, 1]``.

    Examples
    --------
    >>> float(zeuthen_risk(0.8, 0.2))
    0.75
    >>> float(zeuthen_risk(0.5, 0.5, disagreement=0.1))
    0.0
    """
    own = np.asarray(own, dtype=float)
    gain = own - disagreement
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(gain > 0, (own - np.asarray(other, dtype=float)) / gain, 0.0)
    return np.clip(r, 0.0, 1.0)


class Zeuthen(Strategy):
    """Concede when its risk of conflict is the smallest, just enough to shift the burden.

    Parameters
    ----------
    view
        The agent's view.
    patience
        Own turns without any movement after which it concedes one step regardless.
    step
        Size of a forced concession, as a fraction of its utility range.
    late
        From this time fraction on, it also accepts an acceptable offer at least as good as
        the best the others have made (the time clause of AC_combi, Baarslag et al. 2014).
    """

    name = "zeuthen"
    traits = Traits(concedes=True, uses_opponent_model=True, time_dependent=True)

    def __init__(
        self, view: AgentView, patience: int = 3, step: float = 0.05, late: float = 0.9
    ) -> None:
        super().__init__(view)
        self.late = float(late)
        self.patience = int(patience)
        self.step = float(step)
        self.tracker = ModelTracker(view)
        self.current: int | None = None  # index (in view.order) of the current own offer
        self._still = 0
        self._previous: dict[int, tuple[int, ...]] = {}
        # Naive belief: the others' walk-away sits where the agent's own does on its own
        # utility scale (normalised over the whole candidate set).
        lo, hi = float(view.utilities.min()), float(view.utilities.max())
        self.others_disagreement = (
            min(max((view.reservation - lo) / (hi - lo), 0.0), 1.0) if hi > lo else 0.0
        )

    def _step_down(self, k: int) -> int:
        """Position of the offer ``step`` (a fraction of the range) below position ``k``."""
        v = self.view
        goal = float(v.sorted_utilities[k]) - self.step * (v.u_max - v.u_min)
        j = int(np.searchsorted(v.sorted_utilities, goal, side="right")) - 1
        return max(min(j, k - 1), 0)

    def _latest_offers(self, state: State) -> dict[int, np.ndarray]:
        h = state.history
        out = {}
        for p in self.view.others:
            levels, _ = h.by(p)
            if levels.shape[0]:
                out[p] = levels[-1]
        return out

    def next_offer(self, state: State) -> int:
        """Position in ``view.order`` of the offer Zeuthen's principle prescribes now."""
        v = self.view
        top = v.order.size - 1
        if self.current is None:
            return top
        theirs = self._latest_offers(state)
        if not theirs:
            return self.current
        d = v.reservation
        su = v.sorted_utilities
        mine_u = float(su[self.current])
        their_levels = np.array(list(theirs.values()))
        worst_for_me = float(v.utility(their_levels).min())
        my_risk = float(zeuthen_risk(mine_u, worst_for_me, d))
        mine_levels = v.candidates[v.order[self.current]]
        # Estimated risks of the others: their own offer vs the worst offer on the table for them.
        table = np.vstack([their_levels, mine_levels[None, :]])
        their_risks = []
        est_cands = []
        dj = self.others_disagreement
        for p in theirs:
            m = self.tracker.models[p]
            u_table = m.utilities(table)
            own_p = float(m.utilities(theirs[p][None, :])[0])
            their_risks.append(float(zeuthen_risk(own_p, float(u_table.min()), dj)))
            est_cands.append((m, own_p, u_table))
        now = {p: tuple(theirs[p].tolist()) for p in theirs}
        moved = any(self._previous.get(p) != now[p] for p in now)
        self._previous = now
        if my_risk > min(their_risks) + 1e-9:
            # The others should concede. Hold, unless nobody has moved for a while.
            self._still = 0 if moved else self._still + 1
            if self._still < self.patience:
                return self.current
            self._still = 0
            return self._step_down(self.current)
        # Concede: the best offer for me (below the current one) after which my risk exceeds
        # some other party's estimated risk.
        below = np.arange(self.current)
        if below.size == 0:
            return self.current
        cand = v.candidates[v.order[below]]
        u_me = su[below]
        new_my_risk = zeuthen_risk(u_me, worst_for_me, d)
        shifts = np.zeros(below.size, dtype=bool)
        for m, own_p, u_table in est_cands:
            u_new = m.utilities(cand)
            worst_p = np.minimum(u_new, float(u_table[:-1].min()))
            shifts |= new_my_risk > zeuthen_risk(own_p, worst_p, dj)
        ok = np.flatnonzero(shifts)
        self._still = 0
        return int(below[ok[-1]]) if ok.size else self._step_down(self.current)

    def respond(self, state: State) -> Action:
        """Accept what is worth at least the next own offer; else make it."""
        self.tracker.update(state)
        v = self.view
        if not v.has_acceptable:
            return Walk("no acceptable outcome")
        k = self.next_offer(state)
        target = float(v.sorted_utilities[k])
        if (
            self.accepts(state, target)
            or self.accepts_late(state, self.late)
            or (state.final and state.acceptable)
        ):
            return Accept()
        self.current = k
        return Offer(v.candidates[v.order[k]].copy())
