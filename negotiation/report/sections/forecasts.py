"""The "Forecasts" section: the political forecasting models on the scenario, their paths, and
their deals beside the bargaining solutions."""

from __future__ import annotations

from typing import Any

from negotiation.forecast import FORECASTS
from negotiation.forecast.scenario import forecast_scenario
from negotiation.plots.colors import pretty_level
from negotiation.plots.forecast import MODEL_STYLES, plot_forecast_paths_from_results
from negotiation.report.document import Document
from negotiation.report.figures import FigureSaver
from negotiation.report.prose import group_name, num, ordered_solutions, solution_groups

__all__ = ["forecasts_section"]


def forecasts_section(doc: Document, figs: FigureSaver, analysis: Any, data: dict) -> None:
    """The five forecasting models on the scenario: their paths and their deals beside the
    bargaining solutions (``data["forecasts"]`` gets each model's JSON)."""
    s = analysis.frontier.scenario
    doc.h(2, "Forecasts")
    doc.p(
        "Political forecasting models read the scenario spatially: each issue's levels are "
        "points on a 0–100 line, each party sits at its best level, cares about the issue as "
        "much as its weight, and pushes with its power. The compromise model forecasts the "
        "power-and-salience weighted mean, the median voter model the weighted median; the "
        "expected utility model (Bueno de Mesquita; Scholz et al. 2011 reconstruction) lets "
        "parties challenge and concede round by round, the exchange model (Stokman) lets them "
        "trade positions across issues, and KTAB's probabilistic Condorcet election weighs "
        "the positions by their chance of winning pairwise votes. A forecast deal is the level "
        "nearest each forecast; the bargaining solutions answer a different question (what "
        "the parties could agree on), so the two are compared below (see the project's "
        "docs/forecasting.md)."
    )
    results = {name: forecast_scenario(s, name, analysis=analysis) for name in FORECASTS}
    data["forecasts"] = {name: r.to_dict() for name, r in results.items()}
    fig = plot_forecast_paths_from_results(results, title="Forecast of each issue, round by round")
    figs.add(
        doc,
        fig,
        "forecasts",
        "Each issue's forecast position after every round (EUM, exchange, PCE) and the static "
        "forecasts (dashed: compromise; dotted: median voter), on the issue's 0–100 line with "
        "its levels marked; the coloured ticks on the left are the parties' starting positions.",
    )
    names = list(s.party_names)
    sols = ordered_solutions(analysis)
    groups = solution_groups(analysis) if sols else []  # solutions with one deal share a column
    cols = list(results) + [g[0] for g in groups]
    header = ["Issue"] + [MODEL_STYLES[c][3] for c in results] + [group_name(g) for g in groups]
    deals = {c: results[c].deal if c in results else sols[c] for c in cols}
    rows = [
        [issue.display] + [pretty_level(deals[c].terms[issue.name]) for c in cols]
        for issue in s.issues
    ]
    for k, p in enumerate(names):
        rows.append([f"{p} utility"] + [num(deals[c].utilities[k]) for c in cols])
    rows.append(
        ["feasible"]
        + ["yes" if (results[c].feasible if c in results else True) else "no" for c in cols]
    )
    rows.append(
        ["distance to the frontier"]
        + [_distance(results[c].distance_to_frontier if c in results else 0.0) for c in cols]
    )
    doc.table(header, rows)
    doc.p(
        "Distances are Euclidean, in utility space, to the nearest Pareto-feasible deal; a "
        "forecast deal that is not feasible would leave some party below its walk-away value or "
        "across a red line."
    )


def _distance(d: float | None) -> str:
    """A forecast deal's distance to the frontier (a solution's is 0), ``—`` when unknown."""
    return "—" if d is None else num(d)
