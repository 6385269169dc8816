"""The dynamics layer: equilibria of games and agent-based simulation of negotiation protocols.

The game-theoretic models live in :mod:`negotiation.dynamics.games` (their public API is
re-exported here); protocols and strategies in :mod:`negotiation.dynamics.protocols` and
:mod:`negotiation.dynamics.strategies`.
"""

from negotiation.dynamics.games import *  # noqa: F403
from negotiation.dynamics.games import __all__ as _games_all

__all__ = list(_games_all)
