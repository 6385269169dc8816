"""The "The scenario" section: parties, issues and weights, red lines and constraints, sources."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from negotiation.plots.colors import pretty_level
from negotiation.report.document import Document
from negotiation.report.prose import clause_words, join_words, pct

__all__ = ["scenario_section"]


def scenario_section(doc: Document, scenario: Any, s: Any) -> None:
    """The scenario as given (``scenario``) with the weights and levels of its discrete version
    ``s`` (the one analysed): parties, issues and weights, red lines, constraints and bonuses,
    sources."""
    doc.h(2, "The scenario")
    names = list(scenario.party_names)
    rule = scenario.agreement
    if rule.is_unanimity(len(names)) and not rule.veto:
        rule_text = "unanimity (every party must accept)"
    else:
        q = rule.quota if rule.quota is not None else len(names)
        rule_text = f"at least {q} of {len(names)} parties must accept" + (
            f", always including {join_words(list(rule.veto))}" if rule.veto else ""
        )
    doc.p(
        f"{len(names)} parties negotiate over {len(scenario.issues)} issues "
        f"({s.space.cardinality:,} possible deals). Agreement rule: {rule_text}."
    )
    doc.h(3, "Parties")
    rows = []
    for k, party in enumerate(scenario.parties):
        top = ""
        if not party.scored_in_points:
            w = s.weights[k]
            order = np.argsort(-w)[:3]
            top = ", ".join(f"{s.issues[i].display} ({pct(w[i])})" for i in order if w[i] > 0)
        else:
            top = "scored in points"
        rows.append(
            [party.name, f"{party.reservation:g}", f"{party.power:g}", f"{party.discount:g}", top]
        )
    doc.table(
        ["Party", "Reservation value", "Power", "Discount", "Weighs most"], rows, numeric=True
    )
    doc.h(3, "Issues and weights")
    weighted = [p for p in scenario.parties if not p.scored_in_points]
    header = ["Issue", "Levels"] + [p.name for p in weighted]
    rows = []
    for i, issue in enumerate(s.issues):
        row = [issue.display, ", ".join(pretty_level(lv) for lv in issue.levels)]
        for p in weighted:
            k = names.index(p.name)
            row.append(pct(s.weights[k, i]))
        rows.append(row)
    doc.table(header, rows, numeric=True)
    doc.p("Weights are normalised to sum to 100% per party.")
    doc.h(3, "Red lines and constraints")
    items = []
    for party in scenario.parties:
        for clause in party.red_lines:
            items.append(f"**{party.name}** never accepts {clause_words(clause, scenario)}.")
    for clause in scenario.constraints:
        items.append(f"No deal may combine {clause_words(clause, scenario)} (a joint constraint).")
    for party in scenario.parties:
        for clause, value in party.bonuses:
            items.append(
                f"{party.name} values {clause_words(clause, scenario)} together at {value:+g} extra "
                "(an interaction bonus)."
            )
    if items:
        doc.ul(items)
    else:
        doc.p("No red lines or joint constraints.")
    doc.h(3, "Sources")
    doc.ul(scenario.sources or ["(none given)"])
    if scenario.file:
        doc.p(f"Scenario file: `{Path(scenario.file).name}`.")
