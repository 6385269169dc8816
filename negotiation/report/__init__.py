"""The report: one folder a reader can open (figures, tables, JSON, Markdown and HTML).

:func:`build_report` writes it (:mod:`negotiation.report.build`); the document model is
:mod:`~negotiation.report.document`, the sentences :mod:`~negotiation.report.prose`
(:func:`describe_trade_offs`), each section one module of :mod:`negotiation.report.sections`
(a new figure is one plot plus one section), the data files :mod:`~negotiation.report.tables`,
the bookkeeping of written files :mod:`~negotiation.report.files`.

The names below are imported lazily (PEP 562), so that the light modules of this package
(``files``, ``document``) do not pay for matplotlib and pandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from negotiation.report.build import DEFAULT_MAX_OUTCOMES, build_report
    from negotiation.report.prose import FORECAST_NOTE, describe_trade_offs
    from negotiation.report.sections.zone import zone_of_agreement

__all__ = [
    "build_report",
    "describe_trade_offs",
    "zone_of_agreement",
    "FORECAST_NOTE",
    "DEFAULT_MAX_OUTCOMES",
]

_HOMES = {
    "build_report": "negotiation.report.build",
    "DEFAULT_MAX_OUTCOMES": "negotiation.report.build",
    "describe_trade_offs": "negotiation.report.prose",
    "FORECAST_NOTE": "negotiation.report.prose",
    "zone_of_agreement": "negotiation.report.sections.zone",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'negotiation.report' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + list(_HOMES))
