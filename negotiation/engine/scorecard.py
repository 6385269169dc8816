"""What :func:`~negotiation.engine.evaluate.evaluate` returns: a :class:`Scorecard` per proposal
and the :class:`Evaluation` holding them, with their JSON forms (the ``negotiation evaluate
--json`` contract) and their text, and the helpers that put clauses and repairs in words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from negotiation.engine.analysis import Analysis
from negotiation.engine.words import clause_text, possessive
from negotiation.model.proposals import Proposal
from negotiation.model.scenario import Scenario

__all__ = ["Scorecard", "Evaluation", "clause_text", "possessive", "repair_lines"]

#: How many dominating deals a scorecard lists.
MAX_DOMINATORS = 5


@dataclass(frozen=True, eq=False)
class Scorecard:
    """What :func:`evaluate` says about one proposal (see the module docstring).

    :meth:`to_dict` is the JSON contract: ``name, terms, utilities, reservations, accepted_by,
    rejected_by, red_lines_crossed, constraints_crossed, ranks, efficient, dominated_by,
    distance_to_frontier, distance_to_solutions, completions`` (and more keys).
    """

    proposal: Proposal
    complete: bool
    utilities: dict[str, float]
    reservations: dict[str, float]
    accepted_by: list[str]
    rejected_by: list[str]
    red_lines_crossed: list[dict]
    constraints_crossed: list[dict]
    ranks: dict[str, dict] | None
    feasible: bool
    efficient: bool
    dominated_by: list[dict]
    distance_to_frontier: float | None
    distance_to_solutions: dict[str, float] | None
    completions: dict | None
    utility_range: dict[str, list[float]] | None = None
    repair: dict | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def margins(self) -> dict[str, float]:
        """``u_p - r_p`` for every party."""
        return {p: self.utilities[p] - r for p, r in self.reservations.items()}

    @property
    def accepted(self) -> bool:
        """True when it passes the agreement rule (every party accepts, under unanimity)."""
        return self.feasible

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (the contract of ``negotiation evaluate --json``)."""
        p = self.proposal
        out = {
            "name": p.name,
            "label": p.display,
            "by": list(p.by),
            "source": p.source,
            "date": p.date,
            "terms": dict(p.terms),
            "open_issues": [],
            "complete": self.complete,
            "utilities": dict(self.utilities),
            "reservations": dict(self.reservations),
            "margins": self.margins,
            "accepted_by": list(self.accepted_by),
            "rejected_by": list(self.rejected_by),
            "feasible": self.feasible,
            "red_lines_crossed": list(self.red_lines_crossed),
            "constraints_crossed": list(self.constraints_crossed),
            "ranks": self.ranks,
            "efficient": self.efficient,
            "dominated_by": list(self.dominated_by),
            "distance_to_frontier": self.distance_to_frontier,
            "distance_to_solutions": self.distance_to_solutions,
            "completions": self.completions,
            "notes": list(self.notes),
        }
        if self.utility_range is not None:
            out["utility_range"] = self.utility_range
        if self.completions is not None:
            out["open_issues"] = list(self.completions.get("open_issues", []))
        if self.repair is not None:
            out["repair"] = self.repair
        return out

    def summary(self) -> str:
        """The scorecard in words (a few lines)."""
        p = self.proposal
        head = f"Proposal {p.name}"
        if p.label and p.label != p.name:
            head += f": {p.label}"
        lines = [head]
        meta = ", ".join(
            x for x in (f"by {', '.join(p.by)}" if p.by else "", p.date, _short(p.source)) if x
        )
        if meta:
            lines.append(f"  ({meta})")
        if not self.complete:
            c = self.completions or {}
            lines.append(
                f"  open issues: {', '.join(c.get('open_issues', []))}; completions: "
                f"{_n(c.get('n_completions'))} allowed, {_n(c.get('n_feasible'))} feasible"
                + ("" if c.get("n_feasible_exact", True) else " (estimate)")
            )
        word = "best completion" if not self.complete else "utility"
        for party, u in self.utilities.items():
            r = self.reservations[party]
            verdict = "accepts" if party in self.accepted_by else "rejects"
            if verdict == "rejects" and any(
                r["party"] == party and not r.get("soft") for r in self.red_lines_crossed
            ):
                verdict += " (red line)"
            elif verdict == "rejects" and u < r:
                verdict += " (below reservation)"
            rank = ""
            if self.ranks and self.ranks.get(party):
                rk = self.ranks[party]
                about = "" if rk.get("exact", True) else "about "
                rank = f"; rank {about}{rk['rank']:,} of {rk['n_allowed']:,}"
            lines.append(
                f"  {party:<18} {word} {u:.3f}  reservation {r:.3f}  margin {u - r:+.3f}  "
                f"{verdict}{rank}"
            )
        for rl in self.red_lines_crossed:
            soft = f" (soft: penalty {rl['penalty']:g})" if rl.get("soft") else ""
            lines.append(f"  crosses {possessive(rl['party'])} red line: {rl['clause']}{soft}")
        for c in self.constraints_crossed:
            lines.append(f"  breaks the joint constraint: {c['clause']}")
        if self.complete:
            if self.efficient:
                lines.append("  efficient: on the Pareto-feasible frontier")
            elif self.dominated_by:
                d = self.dominated_by[0]
                lines.append(
                    f"  not efficient: {len(self.dominated_by)} listed Pareto-feasible deal(s) "
                    f"everybody prefers; nearest at distance {d['distance']:.3f}"
                )
            if self.distance_to_frontier is not None:
                lines.append(f"  distance to the frontier: {self.distance_to_frontier:.3f}")
        elif self.completions and self.completions.get("best"):
            best = self.completions["best"]
            if self.efficient:
                lines.append("  some completion is on the Pareto-feasible frontier")
            if "nash" in best:
                lines.append(f"  best completion (Nash): {_terms_text(best['nash']['deal'])}")
        if self.repair is not None:
            lines.extend("  " + x for x in repair_lines(self.repair))
        for note in self.notes:
            lines.append(f"  note: {note}")
        return "\n".join(lines)


def _short(text: str, width: int = 110) -> str:
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


def _n(x: object) -> str:
    return "?" if x is None else f"{x:,}"


def _terms_text(terms: Mapping[str, object]) -> str:
    return ", ".join(f"{k}={v}" for k, v in terms.items())


def repair_lines(repair: Mapping[str, Any]) -> list[str]:
    """A repair result in words (used by the CLI and the report)."""
    if not repair.get("deals"):
        return [f"repair: {repair.get('message', 'no feasible deal exists')}"]
    d = repair["deals"][0]
    k = repair["n_changes"]
    if k == 0:
        return [
            f"repair: no change needed: {repair.get('n_minimal', 1):,} feasible deal(s) agree "
            "with it"
        ]
    who = ", ".join(repair.get("acceptable_to", [])) or "everybody"
    changes = "; ".join(f"{c['issue']}: {c['from']} -> {c['to']}" for c in d["changes"])
    more = repair.get("n_minimal", 1)
    out = [
        f"repair: {k} change(s) make it acceptable to {who}: {changes or '(none)'}"
        + (f" ({more:,} deals need {k} change(s); best for the authors shown)" if more > 1 else "")
    ]
    loss = d.get("authors_loss")
    if loss is not None:
        who = ", ".join(repair.get("authors", [])) or "the authors"
        summed = " (summed)" if len(repair.get("authors", [])) > 1 else ""
        out.append(
            f"        utility change for {who}{summed}: {-loss:+.3f} [{repair.get('method', '')}]"
        )
    return out


@dataclass(frozen=True, eq=False)
class Evaluation:
    """The scorecards of :func:`evaluate`, with the analysis they were measured against."""

    scenario: Scenario
    analysis: Analysis
    scorecards: list[Scorecard]

    def to_json(self) -> dict[str, Any]:
        """``{scenario, proposals: [scorecard, ...], ...}`` (JSON-ready)."""
        return {
            "scenario": self.scenario.name,
            "parties": list(self.scenario.party_names),
            "issues": list(self.scenario.issue_names),
            "n_feasible": self.analysis.sizes["n_feasible"],
            "proposals": [c.to_dict() for c in self.scorecards],
        }

    def summary(self) -> str:
        """Every scorecard in words."""
        head = f"Scenario: {self.scenario.name}: {len(self.scorecards)} proposal(s) evaluated"
        return "\n\n".join([head, *(c.summary() for c in self.scorecards)])

    def __getitem__(self, name: str) -> Scorecard:
        for c in self.scorecards:
            if c.proposal.name == name:
                return c
        raise KeyError(name)
