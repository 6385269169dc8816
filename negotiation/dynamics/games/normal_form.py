"""Moved to :mod:`~negotiation.dynamics.games.bimatrix` (any two-player game, nashpy),
:mod:`~negotiation.dynamics.games.demand_game` (Nash's demand game) and
:mod:`~negotiation.dynamics.games.holdout` (accept or hold out); kept so that documented imports
keep working.
"""

from negotiation.dynamics.games.bimatrix import (
    MAX_ENUMERATION,
    METHODS,
    NormalFormEquilibrium,
    NormalFormSolution,
    enumeration_size,
    is_equilibrium,
    pure_equilibria,
    resolve_methods,
    solve_normal_form,
    to_nashpy_game,
)
from negotiation.dynamics.games.demand_game import (
    DemandGame,
    DemandGameResult,
    demand_game,
    solve_demand_game,
)
from negotiation.dynamics.games.holdout import AcceptHoldoutResult, accept_holdout

__all__ = [
    "to_nashpy_game",
    "pure_equilibria",
    "is_equilibrium",
    "NormalFormEquilibrium",
    "NormalFormSolution",
    "solve_normal_form",
    "DemandGame",
    "DemandGameResult",
    "demand_game",
    "solve_demand_game",
    "AcceptHoldoutResult",
    "accept_holdout",
    "METHODS",
    "MAX_ENUMERATION",
    "enumeration_size",
    "resolve_methods",
]
