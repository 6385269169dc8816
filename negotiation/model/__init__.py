"""The model layer: issues, the outcome space, parties and scenarios (load, validate, save)."""

from negotiation.model.clauses import Bonus, Clause
from negotiation.model.issues import Issue
from negotiation.model.loader import (
    bundled_scenarios,
    dumps_scenario,
    load_scenario,
    loads_scenario,
    save_scenario,
)
from negotiation.model.party import Party
from negotiation.model.scenario import RESERVATION_TOL, AgreementRule, Scenario
from negotiation.model.space import OutcomeSpace

__all__ = [
    "AgreementRule",
    "Bonus",
    "Clause",
    "Issue",
    "OutcomeSpace",
    "Party",
    "RESERVATION_TOL",
    "Scenario",
    "bundled_scenarios",
    "dumps_scenario",
    "load_scenario",
    "loads_scenario",
    "save_scenario",
]
