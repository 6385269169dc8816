"""The "The solutions side by side" section: the deals table, the deal-table and gains figures,
the solutions over lotteries and over the continuous ranges."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from negotiation.plots import plot_deal_table_from_analysis, plot_gains
from negotiation.plots.colors import pretty_level, solution_label
from negotiation.plots.gains import mixed_scales
from negotiation.report.document import Document
from negotiation.report.figures import FigureSaver
from negotiation.report.prose import group_name, num, signed, solution_groups

__all__ = ["continuous_section", "lottery_section", "solutions_section"]

#: What the rules are, with their references (the report's words).
_RULES = (
    "Nash (1950) maximises the product of the parties' gains over their reservation values; "
    "the asymmetric Nash solution weights them by bargaining power (Kalai 1977); "
    "Kalai–Smorodinsky (1975) gives every party the same share of its best possible gain; "
    "the egalitarian solution maximises the smallest gain (Kalai 1977); the utilitarian one "
    "the sum of utilities. All are computed over the Pareto-feasible deals."
)


def solutions_section(
    doc: Document,
    figs: FigureSaver,
    analysis: Any,
    sols: dict[str, Any],
    markers: dict,
    colors: dict,
) -> None:
    """The solutions' deals side by side (solutions picking the same deal share a column), the
    deal-table figure, the lotteries and continuous solutions, and the "who gains what" figure
    of ``markers`` (the solutions, then the equilibria and the simulated agreement)."""
    s = analysis.frontier.scenario
    names = list(s.party_names)
    doc.h(2, "The solutions side by side")
    if not sols:
        doc.p("No outcome is feasible, so no solution exists.")
        return
    doc.p(_RULES)
    doc.table(*_deals_table(s, sols, solution_groups(analysis)))
    fig = plot_deal_table_from_analysis(
        analysis, include=list(sols), colors=colors, title="The solutions' deals"
    )
    figs.add(
        doc,
        fig,
        "deal_table",
        "The deals the solutions choose (bold: the issues on which they differ). Under "
        "each level, one bar per party: how good that level is for the party on that issue, "
        "from its worst level (no bar) to its best (full bar).",
    )
    if analysis.lotteries:
        lottery_section(doc, analysis, names)
    if getattr(analysis, "continuous", None):
        continuous_section(doc, analysis, names)
    ax = plot_gains(
        markers,  # the solutions, then the equilibria and the simulated agreement
        disagreement=s.reservations,
        parties=names,
        colors=colors,
        scales=mixed_scales(s, analysis.best_feasible),  # points beside 0-1 utilities
        title="Who gains what",
    )
    figs.add(
        doc,
        ax.figure,
        "gains",
        "Each party's utility under each solution: the pale part is its reservation "
        "value (what it has without a deal), the solid part its gain from agreeing.",
    )


def _deals_table(
    s: Any, sols: dict[str, Any], groups: list[list[str]]
) -> tuple[list[str], list[list[str]]]:
    """Header and rows: each issue's level, each party's utility and gain, per group."""
    names = list(s.party_names)
    header = ["Issue"] + [group_name(g) for g in groups]
    rows = []
    for issue in s.issues:
        rows.append([issue.display] + [pretty_level(sols[g[0]].terms[issue.name]) for g in groups])
    for k, p in enumerate(names):
        rows.append([f"{p} utility"] + [num(sols[g[0]].utilities[k]) for g in groups])
    for k, p in enumerate(names):
        rows.append(
            [f"{p} gain over reservation"]
            + [signed(sols[g[0]].utilities[k] - s.reservations[k]) for g in groups]
        )
    return header, rows


def lottery_section(doc: Document, analysis: Any, names: Sequence[str]) -> None:
    """The solutions over lotteries (randomised agreements), next to the deterministic ones."""
    rows = []
    sols = analysis.solutions
    for name, lot in analysis.lotteries.items():
        k = int(np.sum(np.asarray(lot.probabilities) > 0))
        row = [solution_label(name), "1 deal" if k == 1 else f"{k} deals"]
        for q in range(len(names)):
            u = float(lot.utilities[q])
            base = sols.get(name)
            row.append(
                num(u) + (f" ({signed(u - float(base.utilities[q]))})" if base is not None else "")
            )
        rows.append(row)
    doc.p(
        "Over lotteries (a randomised agreement: one of several deals drawn with given probabilities, "
        "valued at its expected utility; von Neumann & Morgenstern 1944) the solutions can do "
        "better than any single deal. Expected utilities, with the change from the single-deal "
        "solution in brackets:"
    )
    doc.table(["Solution over lotteries", "Mixes"] + [f"{p} utility" for p in names], rows)


def continuous_section(doc: Document, analysis: Any, names: Sequence[str]) -> None:
    """The exact solutions over the continuous issues (the tables above use the grid)."""
    frame = analysis.continuous_frame()
    if frame.empty:
        return
    s = analysis.scenario
    doc.p(
        f"The continuous issues are discretised on {analysis.resolution} grid points for the "
        "frontier and the figures; the exact solutions over the continuous ranges are:"
    )
    header = ["Issue"] + [solution_label(c) for c in frame.columns]
    rows = []
    for key, values in frame.iterrows():
        if key in s.issue_names:
            issue = s.issue(key)
            unit = f" {issue.unit}" if issue.unit else ""
            label = issue.display
            cells = [
                (f"{v:.4g}{unit}" if isinstance(v, float) else pretty_level(str(v))) for v in values
            ]
        else:
            label = str(key)
            cells = [num(float(v)) for v in values]
        rows.append([label] + cells)
    doc.table(header, rows)
