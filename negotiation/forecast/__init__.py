"""Political forecasting models: compromise, median voter, EUM, exchange, PCE.

A layer beside the games (it imports only :mod:`negotiation.model` and
:mod:`negotiation.engine`). Each model is a plain function on arrays ``(positions, capability,
salience)`` (actors x issues, on a 0--100 continuum) returning a
:class:`~negotiation.forecast.base.ForecastResult` with the round-by-round history;
:data:`FORECASTS` is the registry, :func:`forecast` runs one by name, and
:func:`negotiation.forecast.scenario.forecast_scenario` runs one on a scenario and scores the
forecast deal like any other deal.

========================  ========================================================
``compromise``            weighted mean of positions (van den Bos 1991; Achen 2006)
``median``                weighted median voter (Black 1948)
``eum``                   expected utility model, Scholz et al. 2011 reconstruction
``exchange``              Stokman & Van Oosten's equal-gain exchange model (Decide)
``pce``                   KTAB's probabilistic Condorcet election
========================  ========================================================

>>> from negotiation.forecast import FORECASTS, forecast
>>> sorted(FORECASTS)
['compromise', 'eum', 'exchange', 'median', 'pce']
>>> forecast("compromise", [[0.0], [100.0]], [1.0, 1.0], [[1.0], [0.25]]).forecast
array([20.])
"""

from __future__ import annotations

from collections.abc import Callable

from negotiation.errors import NegotiationError
from negotiation.forecast.base import ForecastResult
from negotiation.forecast.compromise import compromise
from negotiation.forecast.eum import eum
from negotiation.forecast.exchange import exchange
from negotiation.forecast.median import median_voter
from negotiation.forecast.pce import pce

__all__ = ["FORECASTS", "ForecastResult", "forecast", "DYNAMIC"]

#: The forecasting models by name.
FORECASTS: dict[str, Callable[..., ForecastResult]] = {
    "compromise": compromise,
    "median": median_voter,
    "eum": eum,
    "exchange": exchange,
    "pce": pce,
}

#: The models that run in rounds (the others ignore ``rounds``).
DYNAMIC = ("eum", "exchange", "pce")


def forecast(name: str, positions, capability, salience, **params: object) -> ForecastResult:
    """Run the named model (a key of :data:`FORECASTS`); ``params`` go to the model."""
    if name not in FORECASTS:
        raise NegotiationError(
            f"unknown forecasting model {name!r} (known: {', '.join(FORECASTS)})"
        )
    return FORECASTS[name](positions, capability, salience, **params)
