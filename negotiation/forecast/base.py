"""Spatial inputs and the result every forecasting model returns.

A *spatial problem* is what the political forecasting models of Bueno de Mesquita, Stokman and
KAPSARC work on: ``n`` actors, ``m`` issues, and three arrays

* ``positions`` -- ``n x m``, each actor's preferred outcome on each issue, a point on the
  issue's continuum (by convention 0--100, the scale of the BDM and Decide data sets);
* ``capability`` -- ``n`` (or ``n x m``), each actor's power to influence the outcome (``>= 0``);
* ``salience`` -- ``n x m``, how much each actor cares about each issue, in ``[0, 1]``.

A model returns a :class:`ForecastResult`: the forecast position of each issue and the round by
round history (forecasts and actors' positions), so that a figure can show how positions move.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from negotiation.errors import NegotiationError

__all__ = [
    "ForecastResult",
    "check_inputs",
    "check_rounds",
    "weighted_mean",
    "weighted_median",
    "SCALE",
]

#: The continuum of positions the models assume (the BDM and Decide convention).
SCALE = (0.0, 100.0)


@dataclass(frozen=True, eq=False)
class ForecastResult:
    """What a forecasting model returns.

    Attributes
    ----------
    model
        The model's name in :data:`negotiation.forecast.FORECASTS`.
    forecast
        ``m`` forecast positions, one per issue (the last row of ``history``).
    history
        ``(rounds + 1) x m``: the forecast of each issue before round 1 (row 0) and after
        every round. A static model (compromise, median) has one row.
    positions
        ``(rounds + 1) x n x m``: the actors' positions before round 1 and after every round.
    details
        Model-specific arrays (e.g. the PCE's probabilities, the EUM's risk exponents, the
        exchanges realised per round), JSON-friendly.
    """

    model: str
    forecast: np.ndarray
    history: np.ndarray
    positions: np.ndarray
    details: dict = field(default_factory=dict)

    @property
    def rounds(self) -> int:
        """Number of rounds run (0 for a static model)."""
        return self.history.shape[0] - 1


def check_inputs(
    positions: object, capability: object, salience: object
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate and broadcast the three arrays of a spatial problem (inputs are never mutated).

    Returns ``positions`` (``n x m``), ``capability`` (``n x m``, a per-actor vector is
    repeated over the issues) and ``salience`` (``n x m``), as new float arrays.

    Raises
    ------
    NegotiationError
        For a wrong shape, a non-finite number, negative capability, salience outside
        ``[0, 1]``, or an issue on which every actor has zero weight ``c * s``.

    Examples
    --------
    >>> x, c, s = check_inputs([[0.0], [100.0]], [1, 3], [[1.0], [0.5]])
    >>> c[:, 0].tolist(), s.shape
    ([1.0, 3.0], (2, 1))
    """
    x = np.array(positions, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2 or x.shape[0] < 1 or x.shape[1] < 1:
        raise NegotiationError(f"positions must be an actors x issues array, got shape {x.shape}")
    n, m = x.shape
    c = np.array(capability, dtype=float)
    if c.ndim == 1:
        if c.shape[0] != n:
            raise NegotiationError(f"capability has {c.shape[0]} entries for {n} actors")
        c = np.repeat(c[:, None], m, axis=1)
    if c.shape != (n, m):
        raise NegotiationError(f"capability must have shape ({n},) or ({n}, {m}), got {c.shape}")
    s = np.array(salience, dtype=float)
    if s.ndim == 1 and m == 1 and s.shape[0] == n:
        s = s[:, None]
    if s.shape != (n, m):
        raise NegotiationError(f"salience must have shape ({n}, {m}), got {s.shape}")
    for name, a in (("positions", x), ("capability", c), ("salience", s)):
        if not np.all(np.isfinite(a)):
            raise NegotiationError(f"{name} must be finite numbers")
    if np.any(c < 0):
        raise NegotiationError("capability must be >= 0")
    if np.any((s < 0) | (s > 1)):
        raise NegotiationError("salience must be in [0, 1]")
    dead = np.flatnonzero((c * s).sum(axis=0) <= 0)
    if dead.size:
        raise NegotiationError(
            f"issue #{int(dead[0])}: every actor has zero weight (capability x salience)"
        )
    return x, c, s


def weighted_mean(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Column-wise weighted mean ``sum_k w_k x_k / sum_k w_k`` of ``n x m`` arrays.

    In exact arithmetic a weighted mean lies between the column's smallest and largest value;
    the result is kept there (floating-point rounding could otherwise put it an ulp outside,
    e.g. 100.00000000000001 when every position is 100).
    """
    m = (w * x).sum(axis=0) / w.sum(axis=0)
    return np.clip(m, x.min(axis=0), x.max(axis=0))


def weighted_median(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Column-wise weighted median: the position that beats every other in a weighted vote.

    On one issue, with single-peaked preferences (each actor prefers the option closer to its
    own position), the option ``y`` beats ``z`` when the actors closer to ``y`` carry more
    weight ``w_k = c_k s_k`` than those closer to ``z``. The Condorcet winner among the actors'
    positions is then the weighted median (Black 1948): the smallest position ``x_(k)`` whose
    cumulative weight, positions sorted, reaches half of the total,
    ``sum_{l <= k} w_(l) >= W / 2``. When the cumulative weight equals ``W / 2`` exactly, the
    next position ties with it; this function then returns the lower one (the convention of the
    ``numpy``/``pandas`` lower median), so results are deterministic.

    Reference: D. Black, "On the rationale of group decision-making", JPE 56(1):23-34, 1948.

    Examples
    --------
    >>> weighted_median(np.array([[0.0], [40.0], [100.0]]), np.array([[1.0], [1.0], [3.0]]))
    array([100.])
    """
    order = np.argsort(x, axis=0, kind="stable")
    xs = np.take_along_axis(x, order, axis=0)
    ws = np.take_along_axis(w, order, axis=0)
    cum = np.cumsum(ws, axis=0)
    half = cum[-1] / 2.0
    # tolerance: a cumulative sum that equals half up to float rounding counts as reaching it
    tol = 1e-12 * np.maximum(1.0, cum[-1])
    k = np.argmax(cum >= half - tol, axis=0)
    return xs[k, np.arange(x.shape[1])]


#: Rounds refused above this bound (a forecast is a few dozen rounds; this guards typos).
MAX_ROUNDS = 10_000


def check_rounds(rounds: object) -> int:
    """``rounds`` as a positive int, at most :data:`MAX_ROUNDS`; else a NegotiationError."""
    if isinstance(rounds, bool) or not isinstance(rounds, (int, np.integer)) or rounds < 1:
        raise NegotiationError(f"rounds must be a positive integer, got {rounds!r}")
    if rounds > MAX_ROUNDS:
        raise NegotiationError(f"rounds must be at most {MAX_ROUNDS}, got {rounds}")
    return int(rounds)
