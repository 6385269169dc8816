"""Proposals: the plans on the table, as data.

A :class:`Proposal` fixes some issues of a scenario to levels (``terms``) and leaves the others
*open*: an open proposal stands for the set of its completions (every outcome that agrees with
its terms). It carries where it comes from, like every number in a scenario: ``by`` (the party
or parties that made it), ``source`` (a citation), ``date`` and a ``label`` for people.

Proposals come from three places, all parsed here:

* ``[[proposal]]`` tables of a scenario file (:func:`proposal_from_table`);
* the command line, ``--deal donbas=freeze_current_line,nato_path=frozen``
  (:func:`parse_deal`);
* a small TOML file holding one ``[proposal]`` table or top-level keys
  (:func:`load_proposal`).

Validation against a scenario (:meth:`Proposal.check`) names the proposal, the issue and the
level of the first problem (:class:`ProposalError`).

>>> p = parse_deal("x=a, y=q")
>>> p.terms
{'x': 'a', 'y': 'q'}
>>> p.name
'deal'
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from negotiation.errors import ItemError

if TYPE_CHECKING:  # pragma: no cover
    from negotiation.model.scenario import Scenario

__all__ = [
    "Proposal",
    "ProposalError",
    "parse_deal",
    "proposal_from_table",
    "load_proposal",
    "restrict",
    "PROPOSAL_KEYS",
]

#: Keys of a ``[[proposal]]`` table.
PROPOSAL_KEYS = frozenset({"name", "label", "date", "source", "by", "terms"})


class ProposalError(ItemError):
    """A proposal names an unknown issue, level or party, or is malformed.

    The message reads ``file: proposal 'P': issue 'i': level 'l': what is wrong``.

    >>> str(ProposalError("unknown level", proposal="alaska", issue="donbas", level="x"))
    "proposal 'alaska': issue 'donbas': level 'x': unknown level"
    """

    KIND = "proposal"

    def __init__(self, message: str, *, proposal: str | None = None, **where: str | None) -> None:
        super().__init__(message, item=where.pop("item", proposal), **where)

    @property
    def proposal(self) -> str | None:
        return self.item


@dataclass(frozen=True)
class Proposal:
    """A plan on the table: some issues fixed to levels, the others open.

    Parameters
    ----------
    name
        Identifier, unique among a scenario's proposals.
    terms
        ``{issue: level}``; a number for a continuous issue. Issues not listed are *open*.
    label
        Human-readable name (defaults to ``name``).
    by
        The party or parties that made the proposal (its authors).
    source
        Where it comes from: a citation or quotation, as for every number of a scenario.
    date
        When it was made (free text, ISO dates recommended).

    Examples
    --------
    >>> p = Proposal("p", {"x": "a"}, by=("A",))
    >>> p.display, p.by
    ('p', ('A',))
    """

    name: str
    terms: Mapping[str, str | float] = field(default_factory=dict)
    label: str | None = None
    by: tuple[str, ...] = ()
    source: str = ""
    date: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "terms", dict(self.terms))
        by = (self.by,) if isinstance(self.by, str) else tuple(self.by)
        object.__setattr__(self, "by", by)

    @property
    def display(self) -> str:
        """The label, or the name when there is no label."""
        return self.label or self.name

    def open_issues(self, scenario: Scenario) -> tuple[str, ...]:
        """Issues of ``scenario`` the proposal leaves open, in scenario order."""
        return tuple(i.name for i in scenario.issues if i.name not in self.terms)

    def is_complete(self, scenario: Scenario) -> bool:
        """True when the proposal fixes every issue (it is one outcome)."""
        return not self.open_issues(scenario)

    def check(self, scenario: Scenario) -> Proposal:
        """Validate against a scenario; returns ``self``.

        Raises
        ------
        ProposalError
            Unknown issue, level or author party, or a number outside a continuous issue's
            range, naming the proposal.
        """
        where = {"proposal": self.name}
        if not isinstance(self.name, str) or not self.name.strip():
            raise ProposalError(f"a proposal needs a non-empty name, got {self.name!r}")
        for party in self.by:
            if party not in scenario.party_names:
                raise ProposalError(
                    f"'by' names an unknown party (the parties are {list(scenario.party_names)})",
                    party=str(party),
                    **where,
                )
        names = scenario.issue_names
        for issue_name, level in self.terms.items():
            if issue_name not in names:
                raise ProposalError(
                    f"unknown issue (the issues are {list(names)})", issue=str(issue_name), **where
                )
            issue = scenario.issue(issue_name)
            if issue.is_continuous:
                if isinstance(level, bool) or not isinstance(level, (int, float)):
                    raise ProposalError(
                        f"a continuous issue needs a number, got {level!r}",
                        issue=issue_name,
                        **where,
                    )
                lo, hi = issue.range  # type: ignore[misc]
                if not (lo <= float(level) <= hi):
                    raise ProposalError(
                        f"{level:g} is outside the issue's range [{lo:g}, {hi:g}]",
                        issue=issue_name,
                        **where,
                    )
            elif _level_name(issue.levels, level) is None and not _on_grid(issue.levels, level):
                raise ProposalError(
                    f"unknown level (the levels are {list(issue.levels)})",
                    issue=issue_name,
                    level=str(level),
                    **where,
                )
        return self

    def fixed(self, scenario: Scenario) -> dict[int, int]:
        """``{issue index: level index}`` of the fixed terms in a *discrete* scenario.

        A number on a discretised continuous issue maps to the nearest grid level.
        """
        self.check(scenario)
        out: dict[int, int] = {}
        for k, issue in enumerate(scenario.issues):
            if issue.name not in self.terms:
                continue
            level = self.terms[issue.name]
            name = _level_name(issue.levels, level)
            if name is not None:
                out[k] = issue.level_index(name)
            else:
                grid = np.array([float(v) for v in issue.levels])
                out[k] = int(np.argmin(np.abs(grid - float(level))))
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready): name, label, by, source, date, terms."""
        return {
            "name": self.name,
            "label": self.display,
            "by": list(self.by),
            "source": self.source,
            "date": self.date,
            "terms": dict(self.terms),
        }


def _level_name(levels: tuple[str, ...], level: object) -> str | None:
    """The level named by ``level``: the name itself, or a number written as a level name
    (``1`` or ``1.0`` for a level ``"1"``, as in discretised or imported issues)."""
    if isinstance(level, str):
        return level if level in levels else None
    if isinstance(level, bool) or not isinstance(level, (int, float)):
        return None
    from negotiation.model.issues import grid_level_name

    for text in (grid_level_name(float(level)), str(level)):
        if text in levels:
            return text
    return None


def _on_grid(levels: tuple[str, ...], level: object) -> bool:
    """A number inside the range of a discretised continuous issue (numeric level names)."""
    if isinstance(level, bool) or not isinstance(level, (int, float)):
        return False
    try:
        grid = [float(v) for v in levels]
    except ValueError:
        return False
    return min(grid) <= float(level) <= max(grid)


def proposal_from_table(table: Any, *, file: str | None = None, index: int = 0) -> Proposal:
    """A :class:`Proposal` from a parsed TOML table (``[[proposal]]`` of a scenario file).

    Keys: ``name`` (required), ``terms`` (a table ``issue = level``), ``label``, ``by`` (a
    party name or a list of them), ``source``, ``date``. Unknown keys are refused.
    """
    if not isinstance(table, Mapping) or "name" not in table:
        raise ProposalError(f"proposal number {index + 1} needs a name", file=file)
    name = table["name"]
    if not isinstance(name, str) or not name.strip():
        raise ProposalError(f"proposal name must be a non-empty string, got {name!r}", file=file)
    extra = sorted(set(table) - PROPOSAL_KEYS)
    if extra:
        raise ProposalError(
            f"unknown key(s) {extra} (allowed: {sorted(PROPOSAL_KEYS)})", proposal=name, file=file
        )
    terms = table.get("terms", {})
    if not isinstance(terms, Mapping):
        raise ProposalError("terms must be a table issue = level", proposal=name, file=file)
    by = table.get("by", ())
    if isinstance(by, str):
        by = (by,)
    if not isinstance(by, (list, tuple)) or not all(isinstance(b, str) for b in by):
        raise ProposalError("'by' must be a party name or a list of them", proposal=name, file=file)
    for key in ("label", "source", "date"):
        if key in table and not isinstance(table[key], str):
            raise ProposalError(f"{key} must be a string", proposal=name, file=file)
    return Proposal(
        name=name,
        terms=dict(terms),
        label=table.get("label"),
        by=tuple(by),
        source=table.get("source", ""),
        date=str(table.get("date", "")),
    )


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def parse_deal(text: str, *, name: str = "deal") -> Proposal:
    """A proposal from the command-line syntax ``issue=level,issue=level`` (spaces allowed).

    A value that reads as a number becomes a number (for a continuous issue); check it against
    the scenario with :meth:`Proposal.check`.

    >>> parse_deal("fund=12.5,x=a").terms
    {'fund': 12.5, 'x': 'a'}
    """
    terms: dict[str, str | float] = {}
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if "=" not in part:
            raise ProposalError(
                f"--deal needs issue=level pairs separated by commas, got {part!r}", proposal=name
            )
        issue, level = (x.strip() for x in part.split("=", 1))
        if not issue or not level:
            raise ProposalError(f"--deal: empty issue or level in {part!r}", proposal=name)
        if issue in terms:
            raise ProposalError("--deal gives the issue twice", proposal=name, issue=issue)
        num = _number(level)
        terms[issue] = num if num is not None and not level.isidentifier() else level
    if not terms:
        raise ProposalError("--deal is empty (give issue=level pairs)", proposal=name)
    return Proposal(name=name, terms=terms, label="--deal " + text.strip())


def load_proposal(path: str | Path) -> Proposal:
    """A proposal from its own small TOML file.

    The file holds either one ``[proposal]`` table or the proposal's keys at the top level
    (``name`` defaults to the file's stem)::

        name = "my_plan"
        by = ["Ukraine"]
        source = "my reading of ..."
        [terms]
        donbas = "freeze_current_line"
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise ProposalError(f"cannot read: {err}", file=str(path)) from None
    except tomllib.TOMLDecodeError as err:
        raise ProposalError(f"TOML syntax error: {err}", file=str(path)) from None
    table = data.get("proposal", data)
    if isinstance(table, list):
        if len(table) != 1:
            raise ProposalError(
                f"a proposal file holds one proposal, found {len(table)}", file=str(path)
            )
        table = table[0]
    table = dict(table)
    table.setdefault("name", path.stem)
    return proposal_from_table(table, file=str(path))


def restrict(scenario: Scenario, fixed: Mapping[int, int]) -> Scenario:
    """The scenario of a proposal's completions: each fixed issue keeps only its fixed level.

    Utilities are unchanged (each fixed issue's one level keeps its value or points, and the
    tables are summed in the same issue order, so they are bit-identical). A clause (constraint,
    red line, bonus) that lists another level of a fixed issue can no longer match and is
    dropped; one that lists the fixed level keeps it. Its outcome space is the product of the
    open issues only, so it can be sampled and searched as any scenario. May raise
    :class:`~negotiation.errors.ScenarioError` when no completion reaches a party's reservation
    or the constraints forbid them all (the caller reports that as no feasible completion).

    >>> from negotiation.model.issues import Issue
    >>> from negotiation.model.party import Party
    >>> from negotiation.model.scenario import Scenario
    >>> s = Scenario("t", (Issue("x", ("a", "b")), Issue("y", ("p", "q"))),
    ...              (Party("A", {"x": 1, "y": 1}),))
    >>> r = restrict(s, {0: 1})
    >>> r.space.cardinality, r.issue("x").levels
    (2, ('b',))
    """
    from dataclasses import replace

    from negotiation.model.issues import Issue

    keep = {scenario.issues[i].name: scenario.issues[i].levels[lv] for i, lv in fixed.items()}

    def clause(spec: Mapping[str, tuple]) -> dict[str, tuple] | None:
        out = {}
        for issue, levels in spec.items():
            if issue in keep:
                if keep[issue] not in levels:
                    return None
                out[issue] = (keep[issue],)
            else:
                out[issue] = tuple(levels)
        return out

    issues = tuple(
        Issue(i.name, (keep[i.name],), label=i.label, unit=i.unit) if i.name in keep else i
        for i in scenario.issues
    )
    parties = []
    for p, party in enumerate(scenario.parties):
        changes: dict[str, Any] = {}
        if party.scored_in_points:
            points = {k: dict(v) for k, v in (party.points or {}).items()}
            for name, level in keep.items():
                if name in points:
                    points[name] = {level: points[name][level]}
            changes["points"] = points
        else:
            values = dict(party.values)
            for k, issue in enumerate(scenario.issues):
                if issue.name in keep:
                    v = scenario.values(p, k)[issue.levels.index(keep[issue.name])]
                    values[issue.name] = {keep[issue.name]: float(v)}
            changes["values"] = values
        changes["red_lines"] = tuple(c for c in map(clause, party.red_lines) if c is not None)
        changes["bonuses"] = tuple(
            (c, v) for c, v in ((clause(c), v) for c, v in party.bonuses) if c is not None
        )
        changes["soft_red_lines"] = tuple(
            (c, v) for c, v in ((clause(c), v) for c, v in party.soft_red_lines) if c is not None
        )
        parties.append(replace(party, **changes))
    return replace(
        scenario,
        name=f"{scenario.name} (completions)",
        issues=issues,
        parties=tuple(parties),
        constraints=tuple(c for c in map(clause, scenario.constraints) if c is not None),
        proposals=(),
        levers=(),
    )
