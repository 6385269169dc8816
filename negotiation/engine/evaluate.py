"""Score any proposal: who accepts it, which red lines it crosses, how far it is from efficient.

:func:`evaluate` turns each :class:`~negotiation.model.proposals.Proposal` into a
:class:`Scorecard`:

* every party's utility ``u_p(x)``, its reservation ``r_p`` and the margin ``u_p(x) - r_p``;
  accepted by the parties for which ``x`` crosses no (hard) red line and
  ``u_p(x) >= r_p - tol`` (:data:`~negotiation.model.scenario.RESERVATION_TOL`), rejected by
  the others;
* every red line (hard, or soft with its penalty) and joint constraint it crosses, with the
  clause in words;
* its rank in each party's order over the allowed outcomes: ``1 +`` the number of allowed
  outcomes the party strictly prefers (competition ranking), the number tied with it and the
  number of allowed outcomes, all exact, counted by a dynamic programme over the compound
  issues (:mod:`negotiation.engine.counting`) so that it works in spaces too large to
  enumerate; "strictly prefers" means ``u > u_p(x) + tol``, tied means ``|u - u_p(x)| <= tol``.
  When the programme would need too many distinct partial sums (continuous-looking values in a
  huge space), spaces of up to :data:`~negotiation.engine.ranks.RANK_ENUMERATE` outcomes are counted one by one, and
  larger ones are estimated from a seeded uniform sample (``exact: False``, with a standard
  error, and a note);
* *efficient*: the proposal is feasible and no feasible outcome gives every party at least as
  much and one party more (Pareto 1906; it is then on the Pareto-feasible frontier). Otherwise
  ``dominated_by`` lists the Pareto-feasible deals that every party weakly prefers (one
  strictly), nearest first by Euclidean utility distance, and ``distance_to_frontier`` is the
  Euclidean distance from ``u(x)`` to the nearest frontier point; ``distance_to_solutions`` the
  distance to each bargaining solution;
* for an *open* proposal (issues left open) the set of its completions: how many are allowed
  and feasible, and the best completion under each solution (the solutions of the scenario
  restricted to the proposal's terms). Utilities are then each party's best completion,
  ``utility_range`` gives ``[min, max]``, and a party accepts when some completion is
  acceptable to it.

Continuous issues are evaluated on the analysis grid (``resolution`` points): a number in the
terms maps to the nearest grid level, and the scorecard's notes say so.

>>> import negotiation as ng
>>> ev = ng.evaluate("textbook_two_party", {"salary": "60k", "remote_days": "two_days"})
>>> card = ev.scorecards[0]
>>> card.accepted_by, card.completions["open_issues"], card.completions["n_feasible"]
(['Candidate', 'Employer'], ['start_date'], 2)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from negotiation.engine.analysis import Analysis, analyze
from negotiation.engine.counting import extremes, n_outcomes, party_components
from negotiation.engine.ranks import ranks
from negotiation.errors import NegotiationError, ScenarioError
from negotiation.model.clauses import Clause
from negotiation.model.proposals import Proposal, ProposalError, restrict
from negotiation.model.scenario import AgreementRule, Scenario, reservation_tolerance

__all__ = ["Scorecard", "Evaluation", "evaluate", "as_proposals", "clause_text"]

#: How many dominating deals a scorecard lists.
MAX_DOMINATORS = 5


def clause_text(spec: Mapping[str, Sequence]) -> str:
    """A clause in words: ``"donbas = ukraine_withdraws and recognition in {de_jure, none}"``.

    >>> clause_text({"donbas": ("a",), "x": ("b", "c")})
    'donbas = a and x in {b, c}'
    """
    parts = []
    for issue, levels in spec.items():
        levels = tuple(levels)
        if len(levels) == 2 and all(isinstance(v, float) for v in levels):
            parts.append(f"{issue} in [{levels[0]:g}, {levels[1]:g}]")
        elif len(levels) == 1:
            parts.append(f"{issue} = {levels[0]}")
        else:
            parts.append(f"{issue} in {{{', '.join(map(str, levels))}}}")
    return " and ".join(parts)


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


def possessive(name: str) -> str:
    """``"Russia's"``, ``"European allies'"``.

    >>> possessive("European allies")
    "European allies'"
    """
    return f"{name}'" if name.endswith("s") else f"{name}'s"


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


def as_proposals(scenario: Scenario, proposals: object | None) -> list[Proposal]:
    """Normalise what :func:`evaluate` accepts into checked proposals.

    ``None`` (all the scenario's proposals), a :class:`Proposal`, the name of one of the
    scenario's proposals, a ``{issue: level}`` mapping, or a list of these.
    """
    if proposals is None:
        if not scenario.proposals:
            raise NegotiationError(
                f"scenario {scenario.name!r} has no [[proposal]] tables: give a proposal "
                "(e.g. --deal issue=level,...)"
            )
        return [p.check(scenario) for p in scenario.proposals]
    if isinstance(proposals, (Proposal, str, Mapping)):
        proposals = [proposals]
    out = []
    for k, item in enumerate(proposals):  # type: ignore[union-attr]
        if isinstance(item, Proposal):
            out.append(item.check(scenario))
        elif isinstance(item, str):
            named = [p for p in scenario.proposals if p.name == item]
            if not named:
                raise ProposalError(
                    "no such proposal in the scenario (its proposals: "
                    f"{[p.name for p in scenario.proposals]})",
                    proposal=item,
                )
            out.append(named[0].check(scenario))
        elif isinstance(item, Mapping):
            out.append(Proposal(f"deal{k + 1}" if k else "deal", dict(item)).check(scenario))
        else:
            raise NegotiationError(f"cannot evaluate {item!r}: give a Proposal, a name or terms")
    return out


def _restricted(scenario: Scenario, fixed: Mapping[int, int]) -> Scenario:
    """The scenario of the completions (may raise ScenarioError: no completion feasible)."""
    return restrict(scenario, fixed)


def _matches_all(clause: Clause, fixed: Mapping[int, int], sizes: Sequence[int]) -> bool:
    """True when every completion of ``fixed`` matches the clause."""
    for i, levels in clause.terms:
        if i in fixed:
            if fixed[i] not in levels:
                return False
        elif len(levels) < sizes[i]:
            return False
    return True


def _crossed(discrete: Scenario, original: Scenario, fixed: Mapping[int, int]) -> tuple[list, list]:
    sizes = discrete.space.sizes
    red = []
    for p, party in enumerate(original.parties):
        for spec, clause in zip(party.red_lines, discrete.red_line_clauses[p], strict=True):
            if _matches_all(clause, fixed, sizes):
                red.append({"party": party.name, "clause": clause_text(spec), "terms": _spec(spec)})
        n_bonus = len(party.bonuses)
        for (spec, pen), b in zip(party.soft_red_lines, discrete.bonuses[p][n_bonus:], strict=True):
            if _matches_all(b.clause, fixed, sizes):
                red.append(
                    {
                        "party": party.name,
                        "clause": clause_text(spec),
                        "terms": _spec(spec),
                        "soft": True,
                        "penalty": float(pen),
                    }
                )
    cons = [
        {"clause": clause_text(spec), "terms": _spec(spec)}
        for spec, clause in zip(original.constraints, discrete.constraint_clauses, strict=True)
        if _matches_all(clause, fixed, sizes)
    ]
    return red, cons


def _spec(spec: Mapping[str, Sequence]) -> dict[str, list]:
    return {k: list(v) for k, v in spec.items()}


def _dominators(analysis: Analysis, u: np.ndarray) -> tuple[list[dict], float | None, bool]:
    f = analysis.frontier
    if f.is_empty:
        return [], None, False
    U = f.utilities
    dom = np.all(U >= u, axis=1) & np.any(U > u, axis=1)
    dist = np.sqrt(((U - u) ** 2).sum(axis=1))
    order = [int(k) for k in np.argsort(dist[dom], kind="stable")]
    rows = np.flatnonzero(dom)[order][:MAX_DOMINATORS]
    listed = []
    for k in rows:
        entry = f.deal(int(k)).to_dict()
        entry["distance"] = float(dist[k])
        listed.append(entry)
    return listed, float(dist.min()), bool(dom.any())


def _completions(
    discrete: Scenario, fixed: Mapping[int, int], rule: AgreementRule, open_issues: list[str]
) -> dict:
    comps = party_components(discrete, 0, fixed=fixed)
    out: dict[str, Any] = {
        "open_issues": open_issues,
        "n_completions": n_outcomes(comps),
        "n_feasible": 0,
        "n_feasible_exact": True,
        "best": {},
    }
    try:
        sub = _restricted(discrete, fixed)
    except ScenarioError as err:
        out["why_none"] = err.reason
        return out
    a = analyze(sub, rule=rule, lotteries=False, continuous=False)
    out["n_feasible"] = a.sizes["n_feasible"]
    out["n_feasible_exact"] = bool(a.sizes["n_feasible_exact"])
    out["best"] = {n: d.to_dict() for n, d in a.solutions.items()}
    if a.is_empty:
        out["why_none"] = a.frontier.diagnostics.get("message")
    return out


def _scorecard_complete(
    analysis: Analysis, original: Scenario, proposal: Proposal, fixed: dict[int, int]
) -> Scorecard:
    discrete = analysis.frontier.scenario
    row = np.array([[fixed[i] for i in range(len(discrete.issues))]], dtype=np.int64)
    u = discrete.utilities(row)[0]
    names = discrete.party_names
    acc = discrete.acceptable(row, u[None, :])[0]
    allowed = bool(discrete.space.allowed_mask(row)[0])
    feasible = allowed and bool(discrete.passes(acc[None, :], analysis.rule)[0])
    red, cons = _crossed(discrete, original, fixed)
    rank_data, notes = ranks(discrete, u)
    dominated_by, dist, dominated = _dominators(analysis, u)
    sols = {
        n: float(np.sqrt(((d.utilities - u) ** 2).sum())) for n, d in analysis.solutions.items()
    }
    return Scorecard(
        proposal=proposal,
        complete=True,
        utilities={p: float(x) for p, x in zip(names, u, strict=True)},
        reservations=analysis.disagreement,
        accepted_by=[p for p, a in zip(names, acc, strict=True) if a and allowed],
        rejected_by=[p for p, a in zip(names, acc, strict=True) if not (a and allowed)],
        red_lines_crossed=red,
        constraints_crossed=cons,
        ranks=rank_data,
        feasible=feasible,
        efficient=feasible and not dominated,
        dominated_by=dominated_by,
        distance_to_frontier=dist,
        distance_to_solutions=sols if sols else None,
        completions=None,
        notes=notes,
    )


def _scorecard_open(
    analysis: Analysis, original: Scenario, proposal: Proposal, fixed: dict[int, int]
) -> Scorecard:
    discrete = analysis.frontier.scenario
    names = discrete.party_names
    r = discrete.reservations
    best: dict[str, float] = {}
    rng: dict[str, list[float]] = {}
    accepted = []
    notes = []
    for p, name in enumerate(names):
        ext = extremes(party_components(discrete, p, fixed=fixed))
        if ext is None:  # no allowed completion: the range ignoring the joint constraints
            if not notes:
                notes.append("the joint constraints forbid every completion of this proposal")
            ext = extremes(party_components(discrete, p, forbid=(), fixed=fixed))
            rng[name] = [ext[0], ext[1]]  # type: ignore[index]
            best[name] = ext[1]  # type: ignore[index]
            continue
        rng[name] = [ext[0], ext[1]]
        best[name] = ext[1]
        forbid = discrete.constraint_clauses + discrete.red_line_clauses[p]
        acc = extremes(party_components(discrete, p, forbid=forbid, fixed=fixed))
        if acc is not None and acc[1] >= r[p] - float(reservation_tolerance(r[p])):
            accepted.append(name)
    red, cons = _crossed(discrete, original, fixed)
    open_issues = list(proposal.open_issues(discrete))
    comp = _completions(discrete, fixed, analysis.rule, open_issues)
    f = analysis.frontier
    on_frontier = False
    if not f.is_empty:
        match = np.ones(f.size, dtype=bool)
        for i, lv in fixed.items():
            match &= f.levels[:, i] == lv
        on_frontier = bool(match.any())
    return Scorecard(
        proposal=proposal,
        complete=False,
        utilities=best,
        reservations=analysis.disagreement,
        accepted_by=accepted,
        rejected_by=[n for n in names if n not in accepted],
        red_lines_crossed=red,
        constraints_crossed=cons,
        ranks=None,
        feasible=bool(comp["n_feasible"]),
        efficient=on_frontier,
        dominated_by=[],
        distance_to_frontier=None,
        distance_to_solutions=None,
        completions=comp,
        utility_range=rng,
        notes=notes,
    )


def evaluate(
    scenario: Scenario | str | Path,
    proposals: object | None = None,
    *,
    rule: AgreementRule | None = None,
    repair: bool = False,
    repair_parties: Iterable[str] | None = None,
    analysis: Analysis | None = None,
    resolution: int = 21,
    engine: str = "auto",
    progress: bool = False,
) -> Evaluation:
    """Score proposals against a scenario (see the module docstring for every number).

    Parameters
    ----------
    scenario
        A :class:`Scenario`, a scenario file or a bundled scenario name.
    proposals
        A :class:`~negotiation.model.proposals.Proposal`, a ``{issue: level}`` mapping, the name
        of one of the scenario's ``[[proposal]]`` tables, a list of these, or ``None`` for all
        of the scenario's proposals.
    rule
        Agreement rule (default: the scenario's).
    repair
        Also find the smallest change that makes each proposal feasible
        (:func:`negotiation.engine.repair.repair`), for the parties ``repair_parties``
        (default: the agreement rule).
    analysis
        A ready :func:`~negotiation.engine.analysis.analyze` result to measure against.
    resolution
        Grid points per continuous issue.
    engine
        Frontier engine of the analysis (``"auto"``, ``"enumerate"``, ``"search"``).
    progress
        Progress bars in the engines.

    Returns
    -------
    Evaluation
        One :class:`Scorecard` per proposal, in the order given.

    Raises
    ------
    ProposalError
        Unknown issue, level or party in a proposal (naming the proposal).
    """
    if isinstance(scenario, (str, Path)):
        from negotiation.model.loader import load_scenario

        scenario = load_scenario(scenario)
    props = as_proposals(scenario, proposals)
    if analysis is None:
        analysis = analyze(
            scenario,
            rule=rule,
            engine=engine,
            lotteries=False,
            resolution=resolution,
            progress=progress,
        )
    discrete = analysis.frontier.scenario
    cards = []
    for proposal in props:
        fixed = proposal.fixed(discrete)
        notes = []
        for issue in scenario.issues:
            v = proposal.terms.get(issue.name)
            if issue.is_continuous and v is not None:
                level = discrete.issue(issue.name).levels[
                    fixed[scenario.issue_names.index(issue.name)]
                ]
                if float(level) != float(v):
                    notes.append(
                        f"{issue.name} = {v:g} evaluated at the nearest grid point {level}"
                    )
        if len(fixed) == len(discrete.issues):
            card = _scorecard_complete(analysis, scenario, proposal, fixed)
        else:
            card = _scorecard_open(analysis, scenario, proposal, fixed)
        if repair:
            from negotiation.engine.repair import repair as do_repair

            card = replace(
                card,
                repair=do_repair(
                    discrete, proposal, parties=repair_parties, rule=analysis.rule
                ).to_dict(),
            )
        if notes:
            card = replace(card, notes=[*card.notes, *notes])
        cards.append(card)
    return Evaluation(scenario=scenario, analysis=analysis, scorecards=cards)
