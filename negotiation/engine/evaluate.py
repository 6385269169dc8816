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
  much and one party more (Pareto 1906 [Pareto1906]_; it is then on the Pareto-feasible frontier).
  Otherwise ``dominated_by`` lists the Pareto-feasible deals that every party weakly prefers (one
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

References
----------
.. [Pareto1906] Pareto, *Manuale di economia politica* (1906). Full entry: docs/references.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from negotiation.engine.analysis import Analysis, analyze
from negotiation.engine.counting import extremes, n_outcomes, party_components
from negotiation.engine.ranks import ranks
from negotiation.engine.scorecard import (
    MAX_DOMINATORS,
    Evaluation,
    Scorecard,
    clause_text,
    possessive,
    repair_lines,
)
from negotiation.errors import NegotiationError, ScenarioError
from negotiation.model.clauses import Clause
from negotiation.model.proposals import Proposal, ProposalError, restrict
from negotiation.model.scenario import AgreementRule, Scenario, reservation_tolerance

__all__ = [
    "Scorecard",
    "Evaluation",
    "evaluate",
    "as_proposals",
    "clause_text",
    "possessive",
    "repair_lines",
]


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
    # Anything else must be an iterable of those (a bad item is refused below).
    items: Iterable[object] = (
        [proposals] if isinstance(proposals, (Proposal, str, Mapping)) else proposals  # type: ignore[assignment]
    )
    out = []
    for k, item in enumerate(items):
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
    red: list[dict[str, Any]] = []
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
    notes: list[str] = []
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
        from negotiation.io import load_scenario

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
