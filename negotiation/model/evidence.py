"""Evidence: what the parties said and did, as data.

An *evidence item* is one observation about one party, with its ``source`` (a citation) and an
optional ``quote``. It has exactly one *kind*:

==================  ===========================================================================
kind                meaning
==================  ===========================================================================
``accepts``         the party accepts a proposal (by name, or a table of terms)
``rejects``         the party rejects a proposal
``proposed``        the party proposed it: it accepts it and prefers it (weakly) to every
                    proposal it is known (from the same evidence) to have rejected
``prefers``         ``{issue, better, worse}`` levels of one issue, or ``{better, worse}`` whole
                    packages (proposal names or tables of terms)
``weight_order``    ``{more, less}``: issue ``more`` matters more to the party than ``less``
``bounds``          ``{weight = issue}``, ``{reservation = true}`` or ``{value = issue, level}``
                    with ``min`` and/or ``max``: the number lies in the interval
==================  ===========================================================================

Items live in ``[[evidence]]`` tables, in a scenario file or in a separate TOML file
(:func:`load_evidence`). :func:`check_evidence` validates them against a scenario, naming the
file, the item, the party, the issue and the level of the first problem
(:class:`EvidenceError`). The calibration that turns items into linear inequalities is
:mod:`negotiation.engine.calibrate`.

>>> items = loads_evidence('''
... [[evidence]]
... source = "a note"
... party = "A"
... weight_order = {more = "x", less = "y"}
... ''')
>>> items[0].kind, items[0].party, dict(items[0].spec)
('weight_order', 'A', {'more': 'x', 'less': 'y'})
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from negotiation.errors import ItemError

if TYPE_CHECKING:  # pragma: no cover
    from negotiation.model.scenario import Scenario

__all__ = [
    "Evidence",
    "EvidenceError",
    "KINDS",
    "evidence_from_table",
    "loads_evidence",
    "load_evidence",
    "check_evidence",
]

#: The kinds of evidence item; a table has exactly one of these keys.
KINDS = ("accepts", "rejects", "proposed", "prefers", "weight_order", "bounds")
_KEYS = frozenset({"name", "source", "quote", "date", "party", *KINDS})


class EvidenceError(ItemError):
    """An evidence item is malformed or names an unknown party, issue, level or proposal.

    The message reads ``file: evidence 'E': party 'P': issue 'i': level 'l': what is wrong``.

    >>> str(EvidenceError("unknown level", item="e3", party="A", issue="x", level="q"))
    "evidence 'e3': party 'A': issue 'x': level 'q': unknown level"
    """

    KIND = "evidence"


@dataclass(frozen=True)
class Evidence:
    """One observation about one party.

    Parameters
    ----------
    name
        Identifier (default ``e1``, ``e2``, ... in file order).
    party
        The party the observation is about.
    kind
        One of :data:`KINDS`.
    spec
        The kind's value: a proposal name or a ``{issue: level}`` table for ``accepts``,
        ``rejects`` and ``proposed``; a table for the other kinds (see the module docstring).
    source, quote, date
        Where it comes from.
    """

    name: str
    party: str
    kind: str
    spec: Any
    source: str = ""
    quote: str = ""
    date: str = ""
    file: str | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready)."""
        spec = dict(self.spec) if isinstance(self.spec, Mapping) else self.spec
        return {
            "name": self.name,
            "party": self.party,
            "kind": self.kind,
            self.kind: spec,
            "source": self.source,
            "quote": self.quote,
        }


def evidence_from_table(table: Any, *, index: int = 0, file: str | None = None) -> Evidence:
    """An :class:`Evidence` item from one parsed ``[[evidence]]`` table (shape checks only)."""
    name = f"e{index + 1}"
    if not isinstance(table, Mapping):
        raise EvidenceError("an [[evidence]] entry must be a table", item=name, file=file)
    name = str(table.get("name", name))
    extra = sorted(set(table) - _KEYS)
    if extra:
        raise EvidenceError(
            f"unknown key(s) {extra} (allowed: {sorted(_KEYS)})", item=name, file=file
        )
    kinds = [k for k in KINDS if k in table]
    if len(kinds) != 1:
        raise EvidenceError(
            f"needs exactly one of {list(KINDS)}, got {kinds or 'none'}", item=name, file=file
        )
    if not isinstance(table.get("source"), str) or not table["source"].strip():
        raise EvidenceError(
            "needs a non-empty 'source' (where it comes from)", item=name, file=file
        )
    party = table.get("party")
    if not isinstance(party, str) or not party.strip():
        raise EvidenceError("needs a 'party' (the party it is about)", item=name, file=file)
    kind = kinds[0]
    spec = table[kind]
    if kind in ("accepts", "rejects", "proposed"):
        if not isinstance(spec, (str, Mapping)):
            raise EvidenceError(
                f"'{kind}' must be a proposal name or a table issue = level",
                item=name,
                party=party,
                file=file,
            )
    elif not isinstance(spec, Mapping):
        raise EvidenceError(f"'{kind}' must be a table", item=name, party=party, file=file)
    return Evidence(
        name=name,
        party=party,
        kind=kind,
        spec=dict(spec) if isinstance(spec, Mapping) else spec,
        source=table["source"],
        quote=str(table.get("quote", "")),
        date=str(table.get("date", "")),
        file=file,
    )


def loads_evidence(text: str, *, file: str | None = None) -> tuple[Evidence, ...]:
    """The ``[[evidence]]`` tables of a TOML text (a scenario or an evidence file)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise EvidenceError(f"not valid TOML: {err}", file=file) from None
    tables = data.get("evidence", [])
    if not isinstance(tables, list):
        raise EvidenceError("'evidence' must be an array of tables [[evidence]]", file=file)
    items = tuple(evidence_from_table(t, index=k, file=file) for k, t in enumerate(tables))
    seen: set[str] = set()
    for item in items:
        if item.name in seen:
            raise EvidenceError("duplicate evidence name", item=item.name, file=file)
        seen.add(item.name)
    return items


def load_evidence(source: str | Path) -> tuple[Evidence, ...]:
    """Evidence items of a TOML file: a path, or the name of a bundled file
    (``ukraine_2025_evidence``)."""
    path = Path(source)
    if not path.exists():
        bundled = Path(__file__).resolve().parent.parent / "scenarios" / f"{source}.toml"
        if bundled.exists() and "/" not in str(source):
            path = bundled
        else:
            raise EvidenceError("no such evidence file (nor bundled name)", file=str(source))
    return loads_evidence(path.read_text(encoding="utf-8"), file=str(path))


# -- validation against a scenario ------------------------------------------------------------
def _check_level(scenario: Scenario, issue: Any, level: Any, **where: Any) -> None:
    if not isinstance(issue, str) or issue not in scenario.issue_names:
        raise EvidenceError(
            f"unknown issue (the issues are {list(scenario.issue_names)})",
            issue=str(issue),
            **where,
        )
    levels = scenario.issue(issue).levels
    if level is not None and level not in levels:
        raise EvidenceError(
            f"unknown level (the levels are {list(levels)})", issue=issue, level=str(level), **where
        )


def _check_package(scenario: Scenario, spec: Any, **where: Any) -> None:
    if isinstance(spec, str):
        if spec not in {p.name for p in scenario.proposals}:
            names = [p.name for p in scenario.proposals]
            raise EvidenceError(f"unknown proposal {spec!r} (the proposals are {names})", **where)
        return
    if not isinstance(spec, Mapping) or not spec:
        raise EvidenceError("a package is a proposal name or a table issue = level", **where)
    for issue, level in spec.items():
        _check_level(scenario, issue, level, **where)


def _number(x: Any, what: str, **where: Any) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)) or x != x:
        raise EvidenceError(f"{what} must be a number, got {x!r}", **where)
    return float(x)


def check_evidence(scenario: Scenario, items: Sequence[Evidence]) -> tuple[Evidence, ...]:
    """Validate evidence items against a (discrete) scenario; returns them as a tuple.

    Raises
    ------
    EvidenceError
        Unknown party, issue, level or proposal, a points-scored party, an empty interval,
        naming the file and the item.
    """
    for e in items:
        where: dict[str, Any] = {"item": e.name, "file": e.file}
        if e.party not in scenario.party_names:
            raise EvidenceError(
                f"unknown party (the parties are {list(scenario.party_names)})",
                party=e.party,
                **where,
            )
        where["party"] = e.party
        if scenario.party(e.party).scored_in_points:
            raise EvidenceError(
                "the party is scored in points; calibration covers weights-and-values parties",
                **where,
            )
        spec = e.spec
        if e.kind in ("accepts", "rejects", "proposed"):
            _check_package(scenario, spec, **where)
        elif e.kind == "prefers":
            if set(spec) - {"issue", "better", "worse"} or not {"better", "worse"} <= set(spec):
                raise EvidenceError("'prefers' needs better, worse and optionally issue", **where)
            if "issue" in spec:
                _check_level(scenario, spec["issue"], spec["better"], **where)
                _check_level(scenario, spec["issue"], spec["worse"], **where)
                if spec["better"] == spec["worse"]:
                    raise EvidenceError("'better' and 'worse' are the same level", **where)
            else:
                _check_package(scenario, spec["better"], **where)
                _check_package(scenario, spec["worse"], **where)
        elif e.kind == "weight_order":
            if set(spec) != {"more", "less"}:
                raise EvidenceError("'weight_order' needs exactly 'more' and 'less'", **where)
            _check_level(scenario, spec["more"], None, **where)
            _check_level(scenario, spec["less"], None, **where)
            if spec["more"] == spec["less"]:
                raise EvidenceError("'more' and 'less' are the same issue", **where)
        else:  # bounds
            targets = [k for k in ("weight", "reservation", "value") if k in spec]
            allowed = {"weight", "reservation", "value", "level", "min", "max"}
            if len(targets) != 1 or set(spec) - allowed:
                raise EvidenceError(
                    "'bounds' needs one of weight = ISSUE, reservation = true, "
                    "value = ISSUE with level = LEVEL; and min and/or max",
                    **where,
                )
            if "weight" in spec:
                _check_level(scenario, spec["weight"], None, **where)
            if "value" in spec:
                _check_level(scenario, spec["value"], spec.get("level"), **where)
                if "level" not in spec:
                    raise EvidenceError("a value bound needs 'level'", **where)
            if "min" not in spec and "max" not in spec:
                raise EvidenceError("'bounds' needs min and/or max", **where)
            lo = _number(spec.get("min", float("-inf")), "min", **where)
            hi = _number(spec.get("max", float("inf")), "max", **where)
            if lo > hi:
                raise EvidenceError(f"empty interval: min {lo:g} > max {hi:g}", **where)
    return tuple(items)
