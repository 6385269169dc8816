"""negotiation: a game-theoretic negotiation simulator.

Describe a negotiation as data (a :class:`Scenario`: issues, parties, red lines, reservation
values), search the deal space for Pareto-feasible agreements, compute the classic bargaining
solutions and equilibria, simulate negotiation protocols, and plot the trade-offs.

>>> import negotiation as ng
>>> scenario = ng.load_scenario("ukraine_2025")
>>> scenario.party_names
('Russia', 'Ukraine', 'United States', 'European allies')
"""

from negotiation.errors import InfeasibleError, NegotiationError, NotApplicableError, ScenarioError
from negotiation.model import AgreementRule, Issue, OutcomeSpace, Party, Scenario

# isort: split
# io after the model: negotiation.model re-exports io's loaders lazily (PEP 562, model/loader.py)
from negotiation.io import (
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


#: Names imported on first use (PEP 562), so that ``import negotiation`` (and so every command
#: line, also one that only reports a bad scenario file) does not pay for scipy, pandas and nashpy
#: until it needs them: the engine and the simulator live in higher layers.
_LAZY = {
    "Analysis": "negotiation.engine.analysis",
    "analyze": "negotiation.engine.analysis",
    "calibrate": "negotiation.engine.calibrate",
    "evaluate": "negotiation.engine.evaluate",
    "repair": "negotiation.engine.repair",
    "simulate": "negotiation.dynamics.protocols",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'negotiation' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups are plain attribute reads
    return value


def __dir__() -> list[str]:
    # the lazily loaded ``simulate`` is listed too (tab completion, ``dir(ng)``)
    return sorted(set(globals()) | set(__all__))
