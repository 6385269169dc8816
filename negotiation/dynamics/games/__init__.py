"""Game-theoretic equilibria of a scenario: sequential bargaining, normal-form games, coalitions.

One concept a module:

* :mod:`~negotiation.dynamics.games.base` -- :class:`GameResult`, the contract every result
  keeps (``model``, ``utilities``, ``to_dict()``, ``summary()``), and deal labels;
* :mod:`~negotiation.dynamics.games.players` -- the players and their discounts;
* :mod:`~negotiation.dynamics.games.projection` -- the players' Pareto set;
  :mod:`~negotiation.dynamics.games.hull` its convex hull (lotteries) and the exact Nash
  solution on it; :mod:`~negotiation.dynamics.games.patterns` the outcomes by who accepts them;
* :mod:`~negotiation.dynamics.games.rubinstein` -- alternating offers, infinite horizon
  (Rubinstein 1982);
* :mod:`~negotiation.dynamics.games.finite_horizon` -- a deadline, any number of players,
  backward induction;
* :mod:`~negotiation.dynamics.games.baron_ferejohn` -- random recognition, unanimity or quota
  (Baron & Ferejohn 1989), on :mod:`~negotiation.dynamics.games.stationary` (the equilibrium on
  arrays, divide the dollar) and :mod:`~negotiation.dynamics.games.fixed_point`;
* :mod:`~negotiation.dynamics.games.breakdown` -- risk that talks collapse;
* :mod:`~negotiation.dynamics.games.bimatrix` -- nashpy: any bimatrix game;
  :mod:`~negotiation.dynamics.games.demand_game` the Nash demand game;
  :mod:`~negotiation.dynamics.games.holdout` accept or hold out
  (:mod:`~negotiation.dynamics.games.normal_form` re-exports the three);
* :mod:`~negotiation.dynamics.games.coalitions` -- zones of agreement of every coalition, with
  :mod:`~negotiation.dynamics.games.tu_game` (core, Shapley values);
* :mod:`~negotiation.dynamics.games.registry` -- the models by name and the summary.
"""

from negotiation.dynamics.games.baron_ferejohn import (
    BaronFerejohnResult,
    StationaryEquilibrium,
    baron_ferejohn,
    divide_the_dollar,
    divide_the_dollar_closed_form,
    stationary_equilibrium,
)
from negotiation.dynamics.games.base import GameResult
from negotiation.dynamics.games.breakdown import breakdown_table
from negotiation.dynamics.games.coalitions import (
    CoalitionAnalysis,
    CoalitionReport,
    CoreResult,
    coalitions,
    core,
    shapley_values,
)
from negotiation.dynamics.games.finite_horizon import (
    BackwardInduction,
    FiniteHorizonResult,
    backward_induction,
    finite_horizon,
)
from negotiation.dynamics.games.normal_form import (
    AcceptHoldoutResult,
    DemandGame,
    DemandGameResult,
    NormalFormEquilibrium,
    NormalFormSolution,
    accept_holdout,
    demand_game,
    is_equilibrium,
    pure_equilibria,
    solve_demand_game,
    solve_normal_form,
    to_nashpy_game,
)
from negotiation.dynamics.games.projection import (
    ConcaveFrontier,
    PatternDeals,
    Projection,
    hull_nash,
    pattern_deals,
    project,
)
from negotiation.dynamics.games.registry import MODELS, equilibria_summary, solve_equilibrium
from negotiation.dynamics.games.rubinstein import (
    RubinsteinResult,
    rubinstein,
    rubinstein_spe,
    split_the_pie_share,
)

__all__ = [
    "MODELS",
    "AcceptHoldoutResult",
    "BackwardInduction",
    "BaronFerejohnResult",
    "CoalitionAnalysis",
    "CoalitionReport",
    "ConcaveFrontier",
    "CoreResult",
    "DemandGame",
    "DemandGameResult",
    "FiniteHorizonResult",
    "GameResult",
    "NormalFormEquilibrium",
    "NormalFormSolution",
    "PatternDeals",
    "Projection",
    "RubinsteinResult",
    "StationaryEquilibrium",
    "accept_holdout",
    "backward_induction",
    "baron_ferejohn",
    "breakdown_table",
    "coalitions",
    "core",
    "demand_game",
    "divide_the_dollar",
    "divide_the_dollar_closed_form",
    "equilibria_summary",
    "finite_horizon",
    "hull_nash",
    "is_equilibrium",
    "pattern_deals",
    "project",
    "pure_equilibria",
    "rubinstein",
    "rubinstein_spe",
    "shapley_values",
    "solve_demand_game",
    "solve_equilibrium",
    "solve_normal_form",
    "split_the_pie_share",
    "stationary_equilibrium",
    "to_nashpy_game",
]
