"""Negotiation strategies: small agent classes behind one minimal interface.

Families (one module each): :mod:`.time_dependent` (Boulware, linear, Conceder),
:mod:`.reciprocal` (tit for tat), :mod:`.zeuthen` (risk-based concession), :mod:`.hardliner`,
:mod:`.opponent_model` (frequency model of the other side), :mod:`.stochastic` (random baseline).
The interface is in :mod:`.base`; :data:`STRATEGIES` maps names to classes, and
:func:`filtered` selects them by their declared :class:`Traits` (:mod:`.traits`).
"""

from negotiation.dynamics.strategies.base import (
    Accept,
    Action,
    AgentView,
    History,
    Offer,
    State,
    Strategy,
    Walk,
)
from negotiation.dynamics.strategies.hardliner import HardLiner
from negotiation.dynamics.strategies.opponent_model import FrequencyModel, OpponentModelAgent
from negotiation.dynamics.strategies.reciprocal import TitForTat
from negotiation.dynamics.strategies.registry import (
    STRATEGIES,
    UnknownStrategyError,
    filtered,
    get_strategy,
)
from negotiation.dynamics.strategies.stochastic import RandomAgent
from negotiation.dynamics.strategies.time_dependent import (
    Boulware,
    Conceder,
    Linear,
    TimeDependent,
)
from negotiation.dynamics.strategies.traits import Traits, UnknownTraitError
from negotiation.dynamics.strategies.zeuthen import Zeuthen

__all__ = [
    "Accept",
    "Action",
    "AgentView",
    "Boulware",
    "Conceder",
    "FrequencyModel",
    "HardLiner",
    "History",
    "Linear",
    "Offer",
    "OpponentModelAgent",
    "RandomAgent",
    "STRATEGIES",
    "State",
    "Strategy",
    "TimeDependent",
    "TitForTat",
    "Traits",
    "UnknownStrategyError",
    "UnknownTraitError",
    "Walk",
    "Zeuthen",
    "filtered",
    "get_strategy",
]
