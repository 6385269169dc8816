"""Validation of a scenario: every error names the file, the party, the issue and the level.

:func:`validate` runs when a :class:`~negotiation.model.scenario.Scenario` is built: names, sizes
(:data:`~negotiation.model.checks.MAX_ISSUES` and friends), each party's weights, values, points,
red lines and bonuses, the observers and the agreement rule, then reachability
(:mod:`negotiation.model.reachability`). :func:`issue_values` and :func:`compile_clause` turn what
the user wrote (level names, ``{min, max}`` ranges) into validated arrays and level-index
:class:`~negotiation.model.clauses.Clause` objects.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from negotiation.errors import ScenarioError
from negotiation.model.checks import (
    MAX_CLAUSES,
    MAX_ISSUES,
    MAX_PARTIES,
    check_number,
    check_table,
    check_text,
)
from negotiation.model.clauses import Clause
from negotiation.model.issues import Issue
from negotiation.model.party import ClauseSpec, Party

if TYPE_CHECKING:  # scenario.py imports this module
    from negotiation.model.scenario import Scenario

__all__ = ["compile_clause", "issue_values", "validate", "validate_observers", "validate_party"]


def validate(scenario: Scenario) -> None:
    """Check a scenario's structure, parties, observers and agreement rule.

    Raises :class:`~negotiation.errors.ScenarioError` naming the party, the issue and the level.
    Reachability (:mod:`negotiation.model.reachability`) is checked afterwards, on the valid
    scenario.
    """
    names = _validate_members(scenario)
    for clause in scenario.constraints:
        compile_clause(scenario, clause, what="constraint")
    for party in scenario.parties:
        validate_party(scenario, party)
    validate_observers(scenario)
    _validate_agreement(scenario, names)


def _validate_members(scenario: Scenario) -> set[str]:
    """Names, descriptions, sizes; issues and parties of the right type with unique names."""
    if not isinstance(scenario.name, str) or not scenario.name.strip():
        raise ScenarioError("the scenario needs a non-empty name")
    check_text(scenario.name, "scenario name")
    check_text(scenario.description, "description", multiline=True, empty=True)
    for source in scenario.sources:
        check_text(source, "source", multiline=True)
    if not scenario.issues:
        raise ScenarioError("the scenario has no issues")
    if not scenario.parties:
        raise ScenarioError("the scenario has no parties")
    if len(scenario.issues) > MAX_ISSUES:
        raise ScenarioError(
            f"the scenario has {len(scenario.issues)} issues, more than the {MAX_ISSUES} "
            "a scenario may have"
        )
    if len(scenario.parties) > MAX_PARTIES:
        raise ScenarioError(
            f"the scenario has {len(scenario.parties)} parties, more than the {MAX_PARTIES} "
            "a scenario may have"
        )
    seen: set[str] = set()
    for issue in scenario.issues:
        if not isinstance(issue, Issue):
            raise ScenarioError(f"issues must be Issue objects, got {issue!r}")
        if issue.name in seen:
            raise ScenarioError("duplicate issue name", issue=issue.name)
        seen.add(issue.name)
    names: set[str] = set()
    for party in scenario.parties:
        if not isinstance(party, Party):
            raise ScenarioError(f"parties must be Party objects, got {party!r}")
        if not isinstance(party.name, str) or not party.name.strip():
            raise ScenarioError(f"party name must be a non-empty string, got {party.name!r}")
        check_text(party.name, "party name")
        for attr in ("red_lines", "bonuses"):
            if not isinstance(getattr(party, attr), (tuple, list)):
                raise ScenarioError(
                    f"{attr} must be a tuple, got {getattr(party, attr)!r}", party=party.name
                )
        if party.name in names:
            raise ScenarioError("duplicate party name", party=party.name)
        names.add(party.name)
    n_clauses = len(scenario.constraints) + sum(
        len(p.red_lines) + len(p.bonuses) for p in scenario.parties
    )
    if n_clauses > MAX_CLAUSES:
        raise ScenarioError(
            f"the scenario has {n_clauses} constraints, red lines and bonuses, more than "
            f"the {MAX_CLAUSES} a scenario may have"
        )
    return names


def _validate_agreement(scenario: Scenario, names: set[str]) -> None:
    """The quota is a whole number of parties; the veto names known parties."""
    rule = scenario.agreement
    if rule.quota is not None and not (
        isinstance(rule.quota, int)
        and not isinstance(rule.quota, bool)
        and 1 <= rule.quota <= len(scenario.parties)
    ):
        raise ScenarioError(
            f"agreement quota must be a whole number from 1 to {len(scenario.parties)}, "
            f"got {rule.quota!r}"
        )
    for v in rule.veto:
        if not isinstance(v, str):
            raise ScenarioError(f"agreement veto must list party names, got {v!r}")
        if v not in names:
            raise ScenarioError(
                f"agreement veto names unknown party (parties: {sorted(names)})", party=v
            )


def validate_observers(scenario: Scenario) -> None:
    """Observers (issue 18) are scored and shown but not part of the agreement rule: someone
    must be left to agree, and an observer can neither count toward the quota nor veto."""
    for party in scenario.parties:
        if not isinstance(party.observer, bool):
            raise ScenarioError(
                f"observer must be true or false, got {party.observer!r}", party=party.name
            )
    n = len(scenario.deciders)
    if n == 0:
        raise ScenarioError("every party is an observer: nobody is left to agree")
    rule = scenario.agreement
    if scenario.has_observers and isinstance(rule.quota, int) and rule.quota > n:
        raise ScenarioError(
            f"agreement quota must be a whole number from 1 to {n} (the parties that are "
            f"not observers), got {rule.quota!r}"
        )
    for v in rule.veto:
        if v in scenario.party_names and scenario.party(v).observer:
            raise ScenarioError("an observer cannot hold a veto", party=v)


def validate_party(scenario: Scenario, party: Party) -> None:
    """One party: numbers finite and in range, points or weights/values (not both), every
    level valued, clauses naming known issues and levels."""
    where = {"party": party.name}
    check_table(party.weights, "weights", **where)
    check_table(party.values, "values", **where)
    if party.points is not None:
        check_table(party.points, "points", **where)
    for attr, low, high in (("power", 0.0, math.inf), ("discount", 0.0, 1.0)):
        value = check_number(getattr(party, attr), attr, **where)
        if not (value > low and value <= high):
            raise ScenarioError(
                f"{attr} must be in ({low:g}, {high:g}], got {value:g}"
                if high < math.inf
                else f"{attr} must be > 0, got {value:g}",
                **where,
            )
    check_number(party.reservation, "reservation", **where)
    if party.scored_in_points:
        if party.weights or party.values:
            raise ScenarioError("give either points or weights/values, not both", **where)
        if not party.points:
            raise ScenarioError("points table is empty", **where)
        for issue_name, table in party.points.items():
            issue = scenario.issue(issue_name, **where)
            if issue.is_continuous:
                raise ScenarioError("points need a discrete issue", issue=issue.name, **where)
            if not isinstance(table, Mapping):
                raise ScenarioError(
                    "points must be a table {level = number}", issue=issue.name, **where
                )
            for level, pts in table.items():
                issue.level_index(level, **where)
                check_number(pts, "points", issue=issue.name, level=level, **where)
            missing = [lv for lv in issue.levels if lv not in table]
            if missing:
                raise ScenarioError(
                    f"points missing for levels {missing}", issue=issue.name, **where
                )
    else:
        if not party.weights:
            raise ScenarioError("has no weights (nor points)", **where)
        total = 0.0
        for issue_name, w in party.weights.items():
            scenario.issue(issue_name, **where)
            w = check_number(w, "weight", issue=issue_name, **where)
            if w < 0:
                raise ScenarioError(f"weight is negative ({w:g})", issue=issue_name, **where)
            total += w
        if total <= 0:
            raise ScenarioError("weights are all zero", **where)
        for issue_name, spec in party.values.items():
            issue = scenario.issue(issue_name, **where)
            values = issue_values(issue, spec, party.name)
            values.setflags(write=False)
            scenario.__dict__.setdefault("_values_cache", {})[(party.name, issue.name)] = values
    for clause in party.red_lines:
        compile_clause(scenario, clause, what="red line", party=party.name)
    for pair in party.bonuses:
        if not (isinstance(pair, tuple) and len(pair) == 2):
            raise ScenarioError(f"bonus must be (clause, value), got {pair!r}", **where)
        clause, value = pair
        compile_clause(scenario, clause, what="bonus", party=party.name)
        check_number(value, "bonus value", **where)
    for pair in party.soft_red_lines:
        if not (isinstance(pair, tuple) and len(pair) == 2):
            raise ScenarioError(f"soft red line must be (clause, penalty), got {pair!r}", **where)
        clause, penalty = pair
        compile_clause(scenario, clause, what="soft red line", party=party.name)
        if not check_number(penalty, "red line penalty", **where) > 0:
            raise ScenarioError(f"red line penalty must be > 0, got {penalty!r}", **where)


def issue_values(issue: Issue, spec: object, party: str) -> np.ndarray:
    """Values of one issue's levels (discrete) or breakpoints (continuous), validated."""
    where = {"party": party, "issue": issue.name}
    if issue.is_continuous:
        if isinstance(spec, Mapping):
            raise ScenarioError(
                "continuous issue needs piecewise-linear points [[x, v], ...]", **where
            )
        try:
            pairs = [(float(a), float(b)) for a, b in spec]  # type: ignore[attr-defined]  # spec: any iterable, checked here
            pts = np.array(pairs, dtype=float)
        except (TypeError, ValueError):
            raise ScenarioError(
                f"values must be points [[x, v], ...], got {spec!r}", **where
            ) from None
        if pts.shape[0] < 2 or not np.all(np.isfinite(pts)):
            raise ScenarioError("need at least two finite points [[x, v], ...]", **where)
        if np.any(np.diff(pts[:, 0]) <= 0):
            raise ScenarioError("points' x must be strictly increasing", **where)
        lo, hi = issue.range  # type: ignore[misc]
        if not (np.isclose(pts[0, 0], lo) and np.isclose(pts[-1, 0], hi)):
            raise ScenarioError(
                f"points must span the issue's range [{lo:g}, {hi:g}] exactly "
                f"(got [{pts[0, 0]:g}, {pts[-1, 0]:g}])",
                **where,
            )
        if np.any(pts[:, 1] < 0) or np.any(pts[:, 1] > 1):
            raise ScenarioError("values must be in [0, 1]", **where)
        return pts
    if not isinstance(spec, Mapping):
        raise ScenarioError("values must be a table {level = value}", **where)
    out = np.full(issue.size, np.nan)
    for level, v in spec.items():
        k = issue.level_index(level, party=party)
        v = check_number(v, "value", level=level, **where)
        if not 0.0 <= v <= 1.0:
            raise ScenarioError(f"value must be in [0, 1], got {v:g}", level=level, **where)
        out[k] = v
    missing = [lv for lv, v in zip(issue.levels, out, strict=True) if np.isnan(v)]
    if missing:
        raise ScenarioError(f"values missing for levels {missing}", **where)
    return out


def compile_clause(
    scenario: Scenario, spec: ClauseSpec, *, what: str, party: str | None = None
) -> Clause:
    """A clause by names (``{issue: (level, ...)}``, ``(min, max)`` on a continuous issue)
    compiled to level indices; a continuous term stays empty until discretisation."""
    where = {"party": party}
    if not isinstance(spec, Mapping) or not spec:
        raise ScenarioError(f"{what} must list at least one issue", **where)
    terms: dict[int, list[int]] = {}
    for issue_name, levels in spec.items():
        if not isinstance(issue_name, str):
            raise ScenarioError(f"{what} names an issue that is not a string", **where)
        k = scenario._issue_position(issue_name, party=party)
        issue = scenario.issues[k]
        if issue.is_continuous:
            if not (
                isinstance(levels, tuple)
                and len(levels) == 2
                and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in levels)
            ):
                raise ScenarioError(
                    f"{what} on a continuous issue needs {{min, max}}",
                    issue=issue.name,
                    **where,
                )
            lo, hi = (check_number(v, f"{what} bound", issue=issue.name, **where) for v in levels)
            if lo > hi:
                raise ScenarioError(
                    f"{what} bounds need min <= max, got min {lo:g} > max {hi:g}",
                    issue=issue.name,
                    **where,
                )
            terms[k] = []  # resolved on discretisation
            continue
        if isinstance(levels, str) or not isinstance(levels, (tuple, list)) or not levels:
            raise ScenarioError(
                f"{what} must list levels as a non-empty list", issue=issue.name, **where
            )
        terms[k] = [issue.level_index(lv, **where) for lv in levels]
    return Clause.of(terms)
