"""Learning the other side: a frequency opponent model, and an agent that uses it.

The *frequency model* estimates another party's additive utility from the offers it makes,
assuming, as additive utilities suggest, that a party keeps the issues it cares about at the
levels it likes and trades away the rest:

* **values**: a level the party offers often is a level it likes,
  ``v_i(l) = (1 + n_i(l))^gamma / max_l' (1 + n_i(l'))^gamma`` where ``n_i(l)`` counts the offers
  choosing level ``l`` on issue ``i``;
* **weights**: an issue whose level stays the same between two consecutive offers of the party
  matters to it, so its raw weight grows by ``learning_rate`` each time (HardHeaded's rule), and
  the estimate is ``w_i = raw_i / sum_j raw_j``. The estimate also blends in each issue's
  concentration (one minus the normalised entropy of the level counts), which picks up the same
  signal from the distribution of the offers rather than their order.

The estimated utility is ``u^(x) = sum_i w_i v_i(x_i)`` in ``[0, 1]``.

:class:`OpponentModelAgent` concedes on a clock (Faratin et al. 1998) and, among the outcomes
worth about its current aspiration to itself, offers the one the model says the others like
best (the minimum over the other parties of their estimated utility, so that it is likely to be
acceptable to all): good for itself and likely acceptable.

References
----------
.. [KLH2013] van Krimpen, Looije, Hajizadeh, "HardHeaded" (2013). Full entry: docs/references.md.
.. [BHHJ2013] Baarslag et al., "Predicting the performance of opponent models" (2013).
   Full entry: docs/references.md.
.. [BHHJ2016] Baarslag et al., "Learning about the opponent in automated bilateral negotiation"
   (2016). Full entry: docs/references.md.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from negotiation.dynamics.strategies.base import Accept, Action, AgentView, State, Strategy
from negotiation.dynamics.strategies.time_dependent import concession_target
from negotiation.dynamics.strategies.traits import Traits
from negotiation.errors import NotApplicableError

__all__ = ["FrequencyModel", "OpponentModelAgent", "ModelTracker"]


class FrequencyModel:
    """Frequency model of one party's issue weights and level values, learned from its offers.

    Parameters
    ----------
    sizes
        Number of levels of each issue.
    learning_rate
        Raw-weight increment of an issue whose level is unchanged between consecutive offers.
    gamma
        Exponent of the value estimate ``(1 + count)^gamma``.
    blend
        Share of the concentration-based weight estimate in :attr:`weights` (the rest is the
        unchanged-issue estimate).

    Examples
    --------
    >>> m = FrequencyModel((3, 3))
    >>> for row in ([2, 0], [2, 1], [2, 2], [2, 1]):
    ...     m.update(row)
    >>> bool(m.weights[0] > m.weights[1])      # issue 0 never moves: it matters more
    True
    >>> m.values[0].tolist()                   # level 2 is the one it offers
    [0.2, 0.2, 1.0]
    """

    def __init__(
        self,
        sizes: Sequence[int],
        *,
        learning_rate: float = 0.2,
        gamma: float = 1.0,
        blend: float = 0.5,
    ) -> None:
        self.sizes = tuple(int(s) for s in sizes)
        self.learning_rate = float(learning_rate)
        self.gamma = float(gamma)
        self.blend = float(blend)
        n = len(self.sizes)
        self.counts = [np.zeros(s) for s in self.sizes]
        self.raw_weights = np.full(n, 1.0 / n)
        self.last: np.ndarray | None = None
        self.n_offers = 0
        self._cached: tuple[int, np.ndarray, list[np.ndarray]] | None = None
        #: The weight estimate after each update (for studying how the model learns).
        self.weight_history: list[np.ndarray] = []

    def update(self, levels: Sequence[int] | np.ndarray) -> None:
        """Learn from one more offer of the party (a row of level indices)."""
        row = np.asarray(levels, dtype=np.int64).reshape(-1)
        if self.last is not None:
            self.raw_weights = self.raw_weights + self.learning_rate * (row == self.last)
        for i, k in enumerate(row):
            self.counts[i][k] += 1
        self.last = row
        self.n_offers += 1
        self.weight_history.append(self.weights)

    @property
    def unchanged_weights(self) -> np.ndarray:
        """HardHeaded's estimate: raw weights (grown on unchanged issues), normalised."""
        return self.raw_weights / self.raw_weights.sum()

    @property
    def concentration_weights(self) -> np.ndarray:
        """Per issue ``1 - H(counts) / log(levels)`` (plus a small floor), normalised."""
        conc = np.empty(len(self.sizes))
        for i, c in enumerate(self.counts):
            total = c.sum()
            if total == 0 or c.size < 2:
                conc[i] = 1.0
                continue
            p = c[c > 0] / total
            conc[i] = 1.0 - float(-(p * np.log(p)).sum() / np.log(c.size))
        conc = conc + 1e-3
        return conc / conc.sum()

    def _estimate(self) -> tuple[np.ndarray, list[np.ndarray]]:
        if self._cached is None or self._cached[0] != self.n_offers:
            w = (1 - self.blend) * self.unchanged_weights + self.blend * self.concentration_weights
            values = []
            for c in self.counts:
                v = (1.0 + c) ** self.gamma
                values.append(v / v.max())
            self._cached = (self.n_offers, w / w.sum(), values)
        return self._cached[1], self._cached[2]

    @property
    def weights(self) -> np.ndarray:
        """Estimated issue weights (sum 1)."""
        return self._estimate()[0].copy()

    @property
    def values(self) -> list[np.ndarray]:
        """Estimated value of every level of every issue, in ``[0, 1]`` (best level 1)."""
        return [v.copy() for v in self._estimate()[1]]

    def utilities(self, levels: np.ndarray) -> np.ndarray:
        """Estimated utility ``sum_i w_i v_i(x_i)`` of each row of a level matrix."""
        levels = np.atleast_2d(np.asarray(levels, dtype=np.int64))
        w, values = self._estimate()
        u = np.zeros(levels.shape[0])
        for i, v in enumerate(values):
            u += w[i] * v[levels[:, i]]
        return u


class ModelTracker:
    """Keeps one :class:`FrequencyModel` per other party up to date from the offer history.

    The history only grows, so each call reads only the offers it has not seen yet.
    """

    def __init__(self, view: AgentView, **model_options: float) -> None:
        self.view = view
        self.models = {p: FrequencyModel(view.space.sizes, **model_options) for p in view.others}
        self._seen = 0

    def update(self, state: State) -> None:
        """Feed the models the offers made since the last call."""
        h = state.history
        for k in range(self._seen, len(h)):
            p = int(h.proposers[k])
            if p in self.models:
                self.models[p].update(h.levels[k])
        self._seen = len(h)

    @property
    def informed(self) -> bool:
        """True once some other party has made an offer."""
        return any(m.n_offers for m in self.models.values())

    def others_utility(self, levels: np.ndarray) -> np.ndarray:
        """Per row of ``levels``, the lowest estimated utility over the other parties that
        have offered (1 where none has)."""
        est = [m.utilities(levels) for m in self.models.values() if m.n_offers]
        return np.min(est, axis=0) if est else np.ones(np.atleast_2d(levels).shape[0])


class OpponentModelAgent(Strategy):
    """Time-dependent concession that offers what the learned model says the others like best.

    Parameters
    ----------
    view
        The agent's view.
    e
        Concession exponent of its own aspiration (Faratin et al. 1998).
    window
        Width of the band of own utilities above the aspiration it chooses from, as a fraction
        of its utility range (wider: more room to please the others, less for itself).
    learning_rate, gamma, blend
        Options of the :class:`FrequencyModel`.

    Attributes
    ----------
    models
        ``{party index: FrequencyModel}``, one per other party at the table.
    """

    name = "opponent_model"
    traits = Traits(concedes=True, uses_opponent_model=True, time_dependent=True)

    def __init__(
        self,
        view: AgentView,
        e: float = 0.5,
        window: float = 0.1,
        learning_rate: float = 0.2,
        gamma: float = 1.0,
        blend: float = 0.5,
    ) -> None:
        super().__init__(view)
        if not e > 0:
            raise NotApplicableError(f"opponent_model: e must be > 0, got {e}")
        self.exponent = float(e)
        self.band = float(window)
        self.floor = max(view.reservation, view.u_min)
        self.tracker = ModelTracker(view, learning_rate=learning_rate, gamma=gamma, blend=blend)

    @property
    def models(self) -> dict[int, FrequencyModel]:
        """The learned model of each other party."""
        return self.tracker.models

    def respond(self, state: State) -> Action:
        """Accept at the aspiration; else offer the best-for-them outcome in the band above it."""
        self.tracker.update(state)
        target = concession_target(state.time, self.view.u_max, self.floor, self.exponent)
        if self.accepts(state, target):
            return Accept()
        if not self.tracker.informed:
            return self.offer_near(target, state)
        return self.offer_near(target, state, prefer=self.tracker.others_utility, window=self.band)
