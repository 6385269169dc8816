"""The compromise model: the capability- and salience-weighted mean of the positions.

.. math::

    \\hat y_d = \\frac{\\sum_i c_{id} s_{id} x_{id}}{\\sum_i c_{id} s_{id}}

for each issue ``d``: actors pull the outcome towards their positions in proportion to how much
power they bring to bear on it (capability times salience). It is the benchmark of the
comparative studies of EU decision making ("the model to beat").

References
----------
.. [vdB91] G. van den Bos, *Dutch EC Policy Making: A Model-Guided Approach to Coordination and
   Negotiation*, Thela Thesis, 1991.
.. [A06] C. Achen, "Evaluating political decision-making models", in R. Thomson et al. (eds.),
   *The European Union Decides*, Cambridge University Press, 2006, pp. 264-298.
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
