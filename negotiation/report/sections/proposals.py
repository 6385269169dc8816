"""The "Proposals" section: the diagnosis of an empty zone, the proposals' scorecard with the
repair of each, and the ranking of the levers."""

from __future__ import annotations

from typing import Any

from negotiation.engine.evaluate import evaluate, possessive, repair_lines
from negotiation.plots.colors import pretty_level
from negotiation.plots.scorecard import plot_scorecard_from_evaluation
from negotiation.report.document import Document
from negotiation.report.prose import num, prose_name
from negotiation.studies.levers import lever_effects

__all__ = ["proposals_section"]


def proposals_section(doc: Document, figs: Any, analysis: Any, colors: Any, data: dict) -> None:
    """The "Proposals" section: the diagnosis of an empty zone, the scorecard table and figure
    with the repair of each rejected proposal in words, and the lever ranking (single levers;
    ``negotiation levers`` also ranks the pairs). Written only when there is something to say."""
    scenario = analysis.scenario
    diag = analysis.diagnosis if analysis.is_empty else None
    if not (scenario.proposals or scenario.levers or diag):
        return
    doc.h(2, "Proposals")
    if diag:
        _diagnosis(doc, diag)
    if scenario.proposals:
        _scorecard(doc, figs, analysis, colors, data)
    if scenario.levers:
        _levers(doc, scenario, data)


def _diagnosis(doc: Document, diag: dict) -> None:
    """Why there is no deal: the minimal conflicting sets, the least-bad deals, the smallest
    shortfall and the price of each red line (:mod:`negotiation.engine.diagnosis`)."""
    doc.p(
        "**Why there is no deal.** The minimal conflicting sets: demands that cannot hold "
        "together, while dropping any one of them removes that conflict"
        + ("" if diag.get("complete", True) else " (the list may be incomplete)")
        + ":"
    )
    doc.ul(" + ".join(d["text"] for d in cs) for cs in diag.get("conflicting_sets", []))
    items = []
    fv = diag.get("fewest_violations")
    if fv and fv["deals"]:
        d = fv["deals"][0]
        items.append(
            f"Least-bad deals: {fv['n_deals']:,} deal(s) violate only {fv['count']} "
            f"demand(s); for example {', '.join(d['violates'])} is crossed by: "
            + ", ".join(f"{k} = {pretty_level(v)}" for k, v in d["deal"].items())
        )
    ls = diag.get("least_shortfall")
    if ls:
        items.append(
            "Within every red line, the smallest possible largest shortfall below a "
            f"reservation value is {num(ls['shortfall'])}."
        )
    for rp in diag.get("red_line_prices", []):
        verdict = (
            f"a soft red line with a penalty below {num(rp['surplus'])} would open the zone"
            if rp["surplus"] >= 0
            else f"even without it, {rp['party']} would need {num(-rp['surplus'])} more"
        )
        items.append(
            f"The price of {rp['red_line']}: the best deal across it gives {rp['party']} "
            f"{num(rp['best_utility_across'])} against a reservation of "
            f"{num(rp['reservation'])}; {verdict}."
        )
    doc.ul(items + [f"Note: {n}" for n in diag.get("notes", [])])


def _scorecard(doc: Document, figs: Any, analysis: Any, colors: Any, data: dict) -> None:
    """The proposals on the table scored against the scenario, with their repairs
    (:func:`negotiation.engine.evaluate.evaluate`); ``data["proposals"]`` gets their JSON."""
    scenario = analysis.scenario
    ev = evaluate(scenario, None, analysis=analysis, repair=True)
    data["proposals"] = ev.to_json()["proposals"]
    doc.p(
        "The proposals on the table, scored against the scenario (`negotiation evaluate` "
        "gives ranks, efficiency and completions too). The repair is the smallest change of "
        "issues that makes a deal every party accepts, best for the proposal's authors."
    )
    header = ["Proposal", "by", "accepted by", "rejected by", "red lines crossed", "repair"]
    rows = []
    for c in ev.scorecards:
        crossed = "; ".join(f"{possessive(r['party'])} {r['clause']}" for r in c.red_lines_crossed)
        rep = repair_lines(c.repair)[0].removeprefix("repair: ") if c.repair else ""
        rows.append(
            [
                c.proposal.display,
                ", ".join(c.proposal.by) or "-",
                ", ".join(c.accepted_by) or "nobody",
                ", ".join(c.rejected_by) or "nobody",
                crossed or "none",
                rep.split(" (")[0],
            ]
        )
    doc.table(header, rows)
    ax = plot_scorecard_from_evaluation(ev, colors=colors, title="The proposals' scorecard")
    figs.add(
        doc,
        ax.figure,
        "scorecard",
        "Each proposal, party by party: the bar is the party's utility of the proposal (for "
        "a proposal that leaves issues open, of the completion best for that party, with the "
        "range over its completions as a thin line); the black tick is the party's "
        "reservation value; hatched bars cross a red line of that party.",
    )
    doc.ul(
        f"*{c.proposal.display}* ({c.proposal.date or 'undated'}): {c.proposal.source}"
        for c in ev.scorecards
        if c.proposal.source
    )


def _levers(doc: Document, scenario: Any, data: dict) -> None:
    """Each lever applied alone, largest effect first (:func:`negotiation.studies.levers.
    lever_effects`); ``data["levers"]`` gets their JSON."""
    study = lever_effects(scenario, pairs=False)
    data["levers"] = study.to_json()["levers"]
    doc.p(
        "**What pressure changes.** Each lever applied alone, largest effect first "
        "(`negotiation levers` also ranks the pairs)."
    )
    n0 = study.baseline.sizes["n_feasible"]
    rows = []
    for k, e in enumerate(study.effects, 1):
        zone = "opens" if e.opens_zone else "closes" if e.closes_zone else "no change"
        terms = "; ".join(
            f"{prose_name(sol)}: "
            + ", ".join(f"{i} {pretty_level(a)} -> {pretty_level(b)}" for i, (a, b) in d.items())
            for sol, d in e.changed_terms.items()
        )
        if e.opens_zone and "nash" in e.solutions:
            terms = "new Nash deal: " + ", ".join(
                f"{i} = {pretty_level(v)}" for i, v in e.solutions["nash"]["deal"].items()
            )
        delta = "" if e.n_feasible is None or n0 is None else f" ({e.n_feasible - n0:+,})"
        rows.append(
            [
                str(k),
                e.levers[0].display,
                e.levers[0].source or "-",
                zone,
                ("?" if e.n_feasible is None else f"{e.n_feasible:,}") + delta,
                terms or "none",
            ]
        )
    doc.table(
        ["rank", "lever", "source", "zone", "feasible deals", "solution terms that change"],
        rows,
    )
