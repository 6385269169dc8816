"""Compact text and HTML summaries of a scenario, for ``repr`` and notebooks.

A scenario's dataclass dump (every weight, value and clause) is unreadable in a notebook cell;
these summaries show what a reader needs first: the parties with their reservation values and
the issues with their levels (or range and unit). Nothing here is computed beyond counting.

>>> from negotiation.model.issues import Issue
>>> from negotiation.model.party import Party
>>> from negotiation.model.scenario import Scenario
>>> s = Scenario("toy", (Issue("x", ("a", "b")),), (Party("A", {"x": 1}), Party("B", {"x": 1})))
>>> scenario_repr(s)
"Scenario('toy', parties=['A', 'B'], issues=['x'], outcomes=2)"
"""

from __future__ import annotations

from html import escape
from typing import Any

__all__ = ["scenario_repr", "scenario_html"]

_MAX_LEVELS = 6


def scenario_repr(scenario: Any) -> str:
    """One line: name, party names, issue names and the size of the outcome space."""
    return (
        f"Scenario({scenario.name!r}, parties={list(scenario.party_names)}, "
        f"issues={list(scenario.issue_names)}, outcomes={_size(scenario)})"
    )


def _size(scenario: Any) -> str:
    if any(getattr(i, "is_continuous", False) for i in scenario.issues):
        return "'continuous'"
    return f"{scenario.space.cardinality}"


def _levels(issue: Any) -> str:
    if getattr(issue, "is_continuous", False):
        lo, hi = issue.range
        unit = f" {issue.unit}" if getattr(issue, "unit", None) else ""
        return f"continuous, {lo:g} to {hi:g}{unit}"
    levels = list(issue.levels)
    shown = ", ".join(levels[:_MAX_LEVELS])
    more = f", … ({len(levels)} levels)" if len(levels) > _MAX_LEVELS else ""
    return shown + more


def scenario_html(scenario: Any) -> str:
    """A compact HTML summary (escaped): parties (reservation, power, how scored, observer)
    and issues (label, levels or range and unit)."""
    e = escape
    head = (
        f"<b>Scenario {e(scenario.name)}</b>: {len(scenario.parties)} parties, "
        f"{len(scenario.issues)} issues, {e(_size(scenario).strip(chr(39)))} outcomes"
    )
    if scenario.description:
        head += f"<br><i>{e(' '.join(scenario.description.split())[:300])}</i>"
    prow = "".join(
        "<tr>"
        f"<td>{e(p.name)}</td><td>{p.reservation:g}</td><td>{p.power:g}</td>"
        f"<td>{'points' if p.scored_in_points else 'weights'}"
        f"{', observer' if getattr(p, 'observer', False) else ''}</td>"
        "</tr>"
        for p in scenario.parties
    )
    irow = "".join(
        f"<tr><td>{e(i.name)}</td><td>{e(i.label or '')}</td><td>{e(_levels(i))}</td></tr>"
        for i in scenario.issues
    )
    return (
        f"<div>{head}"
        "<table><tr><th>party</th><th>reservation</th><th>power</th><th>scored by</th></tr>"
        f"{prow}</table>"
        "<table><tr><th>issue</th><th>label</th><th>levels</th></tr>"
        f"{irow}</table></div>"
    )
