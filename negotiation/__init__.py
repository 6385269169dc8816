"""negotiation: a game-theoretic negotiation simulator.

Describe a negotiation as data (a :class:`Scenario`: issues, parties, red lines, reservation
values), search the deal space for Pareto-feasible agreements, compute the classic bargaining
solutions and equilibria, simulate negotiation protocols, and plot the trade-offs.

>>> import negotiation as ng
>>> scenario = ng.load_scenario("ukraine_2025")
>>> scenario.party_names
('Russia', 'Ukraine', 'United States', 'European allies')
"""

from negotiation.engine.analysis import Analysis, analyze
from negotiation.engine.calibrate import calibrate
from negotiation.engine.evaluate import evaluate
from negotiation.engine.repair import repair
from negotiation.errors import InfeasibleError, NegotiationError, NotApplicableError, ScenarioError
from negotiation.model import (
    AgreementRule,
    Issue,
    OutcomeSpace,
    Party,
    Scenario,
    bundled_scenarios,
    dumps_scenario,
    load_scenario,
    loads_scenario,
    save_scenario,
)
from negotiation.model.evidence import load_evidence

__version__ = "0.1.0"

__all__ = [
    "AgreementRule",
    "Analysis",
    "NotApplicableError",
    "analyze",
    "evaluate",
    "repair",
    "calibrate",
    "load_evidence",
    "simulate",
    "InfeasibleError",
    "Issue",
    "NegotiationError",
    "OutcomeSpace",
    "Party",
    "Scenario",
    "ScenarioError",
    "bundled_scenarios",
    "dumps_scenario",
    "load_scenario",
    "loads_scenario",
    "save_scenario",
]


def __getattr__(name: str):
    # The simulator lives in a higher layer; import it only when asked for.
    if name == "simulate":
        from negotiation.dynamics.protocols import simulate

        return simulate
    raise AttributeError(f"module 'negotiation' has no attribute {name!r}")
