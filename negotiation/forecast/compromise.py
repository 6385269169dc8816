"""The compromise model: the capability- and salience-weighted mean of the positions.

.. math::

    \\hat y_d = \\frac{\\sum_i c_{id} s_{id} x_{id}}{\\sum_i c_{id} s_{id}}

for each issue ``d``: actors pull the outcome towards their positions in proportion to how much
power they bring to bear on it (capability times salience). It is the benchmark of the
comparative studies of EU decision making ("the model to beat").

References
----------
.. [vandenBos1991] van den Bos, *Dutch EC Policy Making* (1991). Full entry: docs/references.md.
.. [Achen2006] Achen, "Evaluating political decision-making models" (2006).
   Full entry: docs/references.md.
"""

from __future__ import annotations

from negotiation.forecast.base import ForecastResult, check_inputs, weighted_mean

__all__ = ["compromise"]


def compromise(positions, capability, salience, **_: object) -> ForecastResult:
    """The weighted-mean (compromise) forecast of every issue; a static model (no rounds).

    Parameters
    ----------
    positions, capability, salience
        The spatial problem (see :func:`negotiation.forecast.base.check_inputs`).

    Examples
    --------
    >>> r = compromise([[0.0], [100.0]], [1.0, 3.0], [[1.0], [1.0]])
    >>> r.forecast.tolist()
    [75.0]
    """
    x, c, s = check_inputs(positions, capability, salience)
    y = weighted_mean(x, c * s)
    return ForecastResult("compromise", y.copy(), y[None, :], x[None, :, :])
