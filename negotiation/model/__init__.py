"""The model layer: issues, the outcome space, parties and scenarios (built and validated).

Reading and writing scenario files is the io layer's (:mod:`negotiation.io`); its
``load_scenario``, ``loads_scenario``, ``save_scenario``, ``dumps_scenario`` and
``bundled_scenarios`` stay importable from here, forwarded on first use (PEP 562), so that older
scripts keep working without the model layer importing io.
"""

from typing import Any

from negotiation.model.clauses import Bonus, Clause
from negotiation.model.issues import Issue
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


def __getattr__(name: str) -> Any:
    from negotiation.model import loader  # forwards the names that moved to io

    if name in (
        "bundled_scenarios",
        "dumps_scenario",
        "load_scenario",
        "loads_scenario",
        "save_scenario",
    ):
        return getattr(loader, name)
    raise AttributeError(f"module 'negotiation.model' has no attribute {name!r}")
