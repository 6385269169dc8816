"""The weighted median voter model.

The forecast of issue ``d`` is the actor position that beats every other position in pairwise
votes in which actor ``i`` backs the option closer to its own position with the weight
``c_{id} s_{id}``: with single-peaked preferences on a line this Condorcet winner is the
weighted median (Black 1948 [Black1948]_), the basis of Bueno de Mesquita's forecasts:

.. math::

    \\hat y_d = x_{(k)d}, \\quad k = \\min \\{ k : \\sum_{l \\le k} w_{(l)d} \\ge \\tfrac12
    \\sum_l w_{ld} \\}, \\quad w_{id} = c_{id} s_{id},

positions sorted ascending. Exact ties (cumulative weight exactly one half) take the lower
position (see :func:`negotiation.forecast.base.weighted_median`).

References
----------
.. [Black1948] Black, "On the rationale of group decision-making" (1948).
   Full entry: docs/references.md.
.. [BuenoDeMesquita1994] Bueno de Mesquita, "Political forecasting: an expected utility method"
   (1994). Full entry: docs/references.md.
"""

from __future__ import annotations

from negotiation.forecast.base import ForecastResult, check_inputs, weighted_median

__all__ = ["median_voter"]


def median_voter(positions, capability, salience, **_: object) -> ForecastResult:
    """The weighted median voter forecast of every issue; a static model (no rounds).

    Examples
    --------
    >>> median_voter([[0.0], [40.0], [100.0]], [1, 1, 1], [[1.0], [1.0], [1.0]]).forecast
    array([40.])
    """
    x, c, s = check_inputs(positions, capability, salience)
    y = weighted_median(x, c * s)
    return ForecastResult("median", y.copy(), y[None, :], x[None, :, :])
