"""Bargaining solutions: rules that pick one deal (or lottery) from the bargaining set.

One module per rule, each with its pure, lottery and continuous variants and its metadata:
:mod:`.nash` (Nash and asymmetric Nash), :mod:`.kalai_smorodinsky`, :mod:`.egalitarian`,
:mod:`.utilitarian`. :data:`SOLUTIONS` (:mod:`.registry`) is the ordered registry every caller
iterates; :mod:`.base` defines :class:`Solution`, :mod:`.choice` the ties shared by every rule,
:mod:`.lottery` the lotteries' candidates and :mod:`.subproblems` the compiled continuous
scenarios. The rules' exact definitions are in :mod:`.base` and in each rule's module.

Examples
--------
>>> from negotiation import load_scenario
>>> from negotiation.engine.frontier import enumerate_frontier
>>> solve("nash", enumerate_frontier(load_scenario("textbook_two_party"))).terms["salary"]
'60k'
"""

from negotiation.engine.solutions.base import Solution
from negotiation.engine.solutions.choice import TIE_RTOL, check_power
from negotiation.engine.solutions.egalitarian import (
    egalitarian,
    egalitarian_index,
    egalitarian_lottery,
    leximin_index,
)
from negotiation.engine.solutions.kalai_smorodinsky import (
    kalai_smorodinsky,
    kalai_smorodinsky_index,
    kalai_smorodinsky_lottery,
)
from negotiation.engine.solutions.nash import (
    asymmetric_nash,
    asymmetric_nash_lottery,
    nash,
    nash_index,
    nash_lottery,
)
from negotiation.engine.solutions.registry import (
    LOTTERY_SOLUTIONS,
    SOLUTIONS,
    get_solution,
    lottery_weights,
    solution_index,
    solve,
    solve_lottery,
)
from negotiation.engine.solutions.utilitarian import (
    utilitarian,
    utilitarian_index,
    utilitarian_lottery,
)

__all__ = [
    "LOTTERY_SOLUTIONS",
    "SOLUTIONS",
    "TIE_RTOL",
    "Solution",
    "asymmetric_nash",
    "asymmetric_nash_lottery",
    "check_power",
    "egalitarian",
    "egalitarian_index",
    "egalitarian_lottery",
    "get_solution",
    "kalai_smorodinsky",
    "kalai_smorodinsky_index",
    "kalai_smorodinsky_lottery",
    "leximin_index",
    "lottery_weights",
    "nash",
    "nash_index",
    "nash_lottery",
    "solution_index",
    "solve",
    "solve_lottery",
    "utilitarian",
    "utilitarian_index",
    "utilitarian_lottery",
]
