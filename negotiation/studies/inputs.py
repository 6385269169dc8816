"""Naming and changing one scenario input: the vocabulary of sweeps.

An *input path* names one number (or switch) of a scenario, with ``/`` between the parts so that
party names may contain spaces:

===============================================  ===================================================
path                                             meaning
===============================================  ===================================================
``Ukraine/reservation``                          the party's reservation value
``Ukraine/power``, ``Ukraine/discount``          bargaining power, discount factor
``Ukraine/weights/donbas``                       the party's (raw, un-normalised) weight of an issue
``Ukraine/values/donbas/freeze_current_line``    the party's value of one level of an issue
``Ukraine/red_line/0``                           red line number 0 of the party on (1) or off (0)
===============================================  ===================================================

:func:`apply_inputs` returns a new, validated scenario; the input scenario is never mutated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from negotiation.errors import ScenarioError
from negotiation.model.party import Party
from negotiation.model.scenario import Scenario

__all__ = ["InputPath", "parse_path", "apply_inputs", "changed_parties", "read_input"]

_SCALARS = ("reservation", "power", "discount")


@dataclass(frozen=True)
class InputPath:
    """A parsed input path: party, field, and the issue/level or red-line number if any."""

    party: str
    field: str
    issue: str | None = None
    level: str | None = None
    index: int | None = None

    def __str__(self) -> str:
        parts = [self.party, self.field]
        if self.issue is not None:
            parts.append(self.issue)
        if self.level is not None:
            parts.append(self.level)
        if self.index is not None:
            parts.append(str(self.index))
        return "/".join(parts)


def parse_path(path: str, scenario: Scenario) -> InputPath:
    """Parse and check an input path against a scenario.

    Examples
    --------
    >>> import negotiation as ng
    >>> s = ng.load_scenario("textbook_two_party")
    >>> parse_path("Candidate/weights/salary", s)
    InputPath(party='Candidate', field='weights', issue='salary', level=None, index=None)
    """
    parts = path.split("/")
    if len(parts) < 2:
        raise ScenarioError(f"input path {path!r} must look like 'Party/field[/issue[/level]]'")
    party_name, field, rest = parts[0], parts[1], parts[2:]
    party = scenario.party(party_name)
    if field in _SCALARS and not rest:
        return InputPath(party_name, field)
    if field == "weights" and len(rest) == 1:
        if party.scored_in_points:
            raise ScenarioError("is scored in points: it has no weights", party=party_name)
        scenario.issue(rest[0], party=party_name)
        return InputPath(party_name, field, issue=rest[0])
    if field == "values" and len(rest) == 2:
        issue = scenario.issue(rest[0], party=party_name)
        issue.level_index(rest[1], party=party_name)
        if party.scored_in_points:
            raise ScenarioError("is scored in points: it has no values", party=party_name)
        return InputPath(party_name, field, issue=rest[0], level=rest[1])
    if field == "red_line" and len(rest) == 1 and rest[0].isdigit():
        k = int(rest[0])
        if k >= len(party.red_lines):
            raise ScenarioError(
                f"has {len(party.red_lines)} red line(s); no red line number {k}", party=party_name
            )
        return InputPath(party_name, field, index=k)
    raise ScenarioError(
        f"input path {path!r} is not one of Party/reservation, Party/power, Party/discount, "
        "Party/weights/ISSUE, Party/values/ISSUE/LEVEL, Party/red_line/N"
    )


def read_input(scenario: Scenario, path: str) -> float:
    """The current value of an input (a red line reads 1.0 when on)."""
    p = parse_path(path, scenario)
    party = scenario.party(p.party)
    if p.field in _SCALARS:
        return float(getattr(party, p.field))
    if p.field == "weights":
        assert p.issue is not None  # parse_path names the issue of a weight
        return float(party.weights.get(p.issue, 0.0))
    if p.field == "values":
        i = scenario.issue_names.index(p.issue)
        k = scenario.issues[i].levels.index(p.level)
        return float(scenario.values(scenario.party_names.index(p.party), i)[k])
    return 1.0


def apply_inputs(scenario: Scenario, inputs: Mapping[str, float]) -> Scenario:
    """A new scenario with the given inputs set (validated like any scenario).

    Red lines switched off (value 0) are dropped; switching several off at once is fine because
    they are removed together at the end. Unchanged parties are shared, not copied.
    """
    parties = changed_parties(
        scenario, [(parse_path(path, scenario), v) for path, v in inputs.items()]
    )
    if parties is None:
        return scenario
    return replace(scenario, parties=parties)


def changed_parties(
    scenario: Scenario, inputs: Sequence[tuple[InputPath, float]]
) -> tuple[Party, ...] | None:
    """The parties of ``scenario`` with the (already parsed) inputs set; ``None`` if no change.

    The parties are *not* validated here (:func:`apply_inputs` validates them by building a
    scenario); the batched sweep (:mod:`negotiation.studies.batch`) calls this directly, with the
    paths parsed once for the whole sweep, after checking the numbers itself.
    """
    changes: dict[str, dict] = {}
    dropped: dict[str, set[int]] = {}
    for p, value in inputs:
        c = changes.setdefault(p.party, {})
        if p.field in _SCALARS:
            c[p.field] = float(value)
        elif p.field == "weights":
            if "weights" not in c:
                c["weights"] = dict(scenario.party(p.party).weights)
            c["weights"][p.issue] = float(value)
        elif p.field == "values":
            if "values" not in c:
                c["values"] = dict(scenario.party(p.party).values)
            values = c["values"]
            table = dict(values.get(p.issue) or {})
            if not table:
                i = scenario.issue_names.index(p.issue)
                levels = scenario.issues[i].levels
                base = scenario.values(scenario.party_names.index(p.party), i)
                table = {lv: float(v) for lv, v in zip(levels, base, strict=True)}
            table[p.level] = float(value)
            values[p.issue] = table
        elif p.field == "red_line":
            if not bool(np.round(value)):
                # A red-line path always carries its index.
                dropped.setdefault(p.party, set()).add(p.index)  # type: ignore[arg-type]
    for name, gone in dropped.items():
        party = scenario.party(name)
        changes.setdefault(name, {})["red_lines"] = tuple(
            c for k, c in enumerate(party.red_lines) if k not in gone
        )
    if not changes:
        return None
    return tuple(
        replace(p, **changes[p.name]) if p.name in changes else p for p in scenario.parties
    )
