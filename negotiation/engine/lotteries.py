"""Bargaining solutions over lotteries (randomised agreements).

Moved to :mod:`negotiation.engine.solutions` (each rule's ``lottery`` variant in its own
module, the shared machinery in :mod:`negotiation.engine.solutions.lottery`, the solvers in
:mod:`negotiation.engine.solvers`); kept so that documented imports keep working.
"""

from negotiation.engine.solutions.egalitarian import (
    egalitarian_lottery,
    egalitarian_lottery_weights,
)
from negotiation.engine.solutions.kalai_smorodinsky import (
    kalai_smorodinsky_lottery,
    kalai_smorodinsky_lottery_weights,
)
from negotiation.engine.solutions.lottery import (
    LOTTERY_SUPPORTS,
    lottery_candidates,
    lottery_ideal,
)
from negotiation.engine.solutions.nash import (
    asymmetric_nash_lottery,
    nash_lottery,
    nash_lottery_weights,
)
from negotiation.engine.solutions.registry import LOTTERY_SOLUTIONS, lottery_weights, solve_lottery
from negotiation.engine.solutions.utilitarian import (
    utilitarian_lottery,
    utilitarian_lottery_weights,
)
from negotiation.engine.solvers.hull import hull_rows, reduce_support

__all__ = [
    "LOTTERY_SOLUTIONS",
    "LOTTERY_SUPPORTS",
    "asymmetric_nash_lottery",
    "egalitarian_lottery",
    "egalitarian_lottery_weights",
    "hull_rows",
    "kalai_smorodinsky_lottery",
    "kalai_smorodinsky_lottery_weights",
    "lottery_candidates",
    "lottery_ideal",
    "lottery_weights",
    "nash_lottery",
    "nash_lottery_weights",
    "reduce_support",
    "solve_lottery",
    "utilitarian_lottery",
    "utilitarian_lottery_weights",
]
