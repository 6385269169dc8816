"""The registry of strategies by name (an explicit dictionary, no import magic).

Add your own with ``STRATEGIES["mine"] = Mine`` (or pass the class itself to ``simulate``).

>>> sorted(STRATEGIES)[:3]
['boulware', 'conceder', 'hardliner']
>>> get_strategy("linear").e
1.0
>>> [cls.name for cls in filtered(stochastic=True)]
['random']
"""

from __future__ import annotations

from collections.abc import Mapping

from negotiation.dynamics.strategies.base import Strategy
from negotiation.dynamics.strategies.hardliner import HardLiner
from negotiation.dynamics.strategies.opponent_model import OpponentModelAgent
from negotiation.dynamics.strategies.reciprocal import TitForTat
from negotiation.dynamics.strategies.stochastic import RandomAgent
from negotiation.dynamics.strategies.time_dependent import Boulware, Conceder, Linear
from negotiation.dynamics.strategies.traits import Traits
from negotiation.dynamics.strategies.zeuthen import Zeuthen
from negotiation.errors import NegotiationError

__all__ = ["STRATEGIES", "UnknownStrategyError", "filtered", "get_strategy"]


class UnknownStrategyError(NegotiationError):
    """A strategy name that is not in :data:`STRATEGIES`."""


#: Every built-in strategy, by name.
STRATEGIES: dict[str, type[Strategy]] = {
    "boulware": Boulware,
    "linear": Linear,
    "conceder": Conceder,
    "tit_for_tat": TitForTat,
    "zeuthen": Zeuthen,
    "hardliner": HardLiner,
    "opponent_model": OpponentModelAgent,
    "random": RandomAgent,
}


def get_strategy(name: str) -> type[Strategy]:
    """The strategy class registered under ``name``; :class:`UnknownStrategyError` if none."""
    try:
        return STRATEGIES[name]
    except (KeyError, TypeError):
        raise UnknownStrategyError(
            f"unknown strategy {name!r} (the strategies are: {', '.join(STRATEGIES)})"
        ) from None


def filtered(
    registry: Mapping[str, type[Strategy]] | None = None, **traits: bool
) -> list[type[Strategy]]:
    """The registered strategy classes whose declared traits match, in registry order.

    ``filtered(stochastic=False, uses_opponent_model=True)`` is the deterministic strategies
    that learn an opponent model (Axelrod's ``filtered_strategies``). ``registry`` defaults to
    :data:`STRATEGIES`; an unknown trait name raises
    :class:`~negotiation.dynamics.strategies.traits.UnknownTraitError`.
    """
    Traits().matches(**traits)  # an unknown name is an error even when nothing is registered
    pool = STRATEGIES if registry is None else registry
    return [cls for cls in pool.values() if Traits.of(cls.traits).matches(**traits)]
