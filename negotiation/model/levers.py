"""Levers: named what-ifs, as data ("US suspends aid: Ukraine's reservation -0.10").

A :class:`Lever` is a set of parameter changes with its source. Applying it to a scenario gives
a new, validated scenario (the input is never mutated). Each change names one party and does one
thing:

===================  =========================================================================
key                  effect
===================  =========================================================================
``reservation``      add this number to the party's reservation value (a shift, may be < 0)
``set_reservation``  set the reservation value
``power``            multiply the party's bargaining power by this factor (``> 0``)
``weights``          ``{issue = w}``: set these (raw, before normalisation) weights
``drop_red_line``    issue name(s): drop the party's red lines that mention any of them
``soften_red_line``  issue name(s): make those red lines soft with ``penalty`` (required)
===================  =========================================================================

In TOML::

    [[lever]]
    name = "us_suspends_aid"
    label = "US suspends aid"
    source = "analyst's assumption, after 'fears of an angry reaction from Trump'"
    [[lever.change]]
    party = "Ukraine"
    reservation = -0.10

>>> from negotiation.model.issues import Issue
>>> from negotiation.model.party import Party
>>> from negotiation.model.scenario import Scenario
>>> s = Scenario("t", (Issue("x", ("a", "b")),), (Party("A", {"x": 1}, reservation=0.5),))
>>> lever = Lever("l", changes=(Change("A", reservation=-0.25),))
>>> lever.apply(s).party("A").reservation, s.party("A").reservation
(0.25, 0.5)

Levers apply in sequence: ``a.apply(b.apply(s))`` needs ``b``'s variant to keep what ``a``
names, so :func:`negotiation.studies.levers.lever_effects` checks each lever against the
scenario as given and applies the changes with :meth:`Lever.apply_unchecked`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from negotiation.errors import ScenarioError

if TYPE_CHECKING:  # pragma: no cover
    from negotiation.model.scenario import Scenario

__all__ = ["Change", "Lever", "LeverError", "lever_from_table", "LEVER_KEYS", "CHANGE_KEYS"]

LEVER_KEYS = frozenset({"name", "label", "source", "change"})
CHANGE_KEYS = frozenset(
    {
        "party",
        "reservation",
        "set_reservation",
        "power",
        "weights",
        "drop_red_line",
        "soften_red_line",
        "penalty",
    }
)


class LeverError(ScenarioError):
    """A lever names an unknown party or issue, or a change is malformed."""


@dataclass(frozen=True)
class Change:
    """One parameter change of one party (see the module docstring for the keys)."""

    party: str
    reservation: float | None = None
    set_reservation: float | None = None
    power: float | None = None
    weights: Mapping[str, float] = field(default_factory=dict)
    drop_red_line: tuple[str, ...] = ()
    soften_red_line: tuple[str, ...] = ()
    penalty: float | None = None

    def __post_init__(self) -> None:
        for attr in ("drop_red_line", "soften_red_line"):
            v = getattr(self, attr)
            object.__setattr__(self, attr, (v,) if isinstance(v, str) else tuple(v))
        object.__setattr__(self, "weights", dict(self.weights))

    def describe(self) -> str:
        """The change in words, e.g. ``"Ukraine reservation -0.1"``."""
        parts = []
        if self.reservation is not None:
            parts.append(f"reservation {self.reservation:+g}")
        if self.set_reservation is not None:
            parts.append(f"reservation = {self.set_reservation:g}")
        if self.power is not None:
            parts.append(f"power x{self.power:g}")
        for issue, w in self.weights.items():
            parts.append(f"weight on {issue} = {w:g}")
        if self.drop_red_line:
            parts.append(f"drops its red line on {', '.join(self.drop_red_line)}")
        if self.soften_red_line:
            parts.append(
                f"softens its red line on {', '.join(self.soften_red_line)} "
                f"(penalty {self.penalty:g})"
            )
        return f"{self.party} " + ", ".join(parts)


def _touches(clause: Mapping[str, Any], issues: tuple[str, ...]) -> bool:
    return any(i in clause for i in issues)


@dataclass(frozen=True)
class Lever:
    """A named what-if: parameter changes with their source.

    Parameters
    ----------
    name
        Identifier, unique among a scenario's levers.
    changes
        The :class:`Change` list, applied in order.
    label, source
        Words for people and the citation (or "analyst's assumption") it rests on.
    """

    name: str
    changes: tuple[Change, ...] = ()
    label: str | None = None
    source: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "changes", tuple(self.changes))

    @property
    def display(self) -> str:
        """The label, or the name."""
        return self.label or self.name

    def describe(self) -> str:
        """All changes in words."""
        return "; ".join(c.describe() for c in self.changes)

    def check(self, scenario: Scenario) -> Lever:
        """Validate names and numbers against a scenario (returns ``self``).

        Whether the named red lines exist is checked by :meth:`apply` (a scenario may be
        changed after its levers were written, e.g. a red line dropped in a sweep).
        """
        where = f"lever {self.name!r}: "
        if not self.changes:
            raise LeverError(where + "has no [[lever.change]]")
        for c in self.changes:
            if c.party not in scenario.party_names:
                raise LeverError(
                    where + f"unknown party (the parties are {list(scenario.party_names)})",
                    party=str(c.party),
                )
            for issue in (*c.weights, *c.drop_red_line, *c.soften_red_line):
                if issue not in scenario.issue_names:
                    raise LeverError(
                        where + f"unknown issue (the issues are {list(scenario.issue_names)})",
                        party=c.party,
                        issue=str(issue),
                    )
            nums = {
                "reservation": c.reservation,
                "set_reservation": c.set_reservation,
                "power": c.power,
                "penalty": c.penalty,
                **{f"weight of {k}": v for k, v in c.weights.items()},
            }
            for what, v in nums.items():
                if v is None:
                    continue
                if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                    raise LeverError(where + f"{what} must be a finite number, got {v!r}")
            if c.power is not None and c.power <= 0:
                raise LeverError(where + f"power factor must be > 0, got {c.power}")
            if c.soften_red_line and (c.penalty is None or c.penalty <= 0):
                raise LeverError(where + "soften_red_line needs a penalty > 0", party=c.party)
            if c.penalty is not None and not c.soften_red_line:
                raise LeverError(where + "penalty is only used with soften_red_line")
        return self

    def apply(self, scenario: Scenario) -> Scenario:
        """The scenario with the changes applied (validated; the input is not mutated).

        Raises
        ------
        ScenarioError
            The changed scenario is invalid (e.g. a reservation no outcome reaches).
        """
        self.check(scenario)
        self.check_red_lines(scenario)
        return self.apply_unchecked(scenario)

    def check_red_lines(self, scenario: Scenario) -> None:
        """Every red line the lever drops or softens exists (hard) in ``scenario``."""
        where = f"lever {self.name!r}: "
        for c in self.changes:
            party = scenario.party(c.party)
            for issue in (*c.drop_red_line, *c.soften_red_line):
                if not any(_touches(rl, (issue,)) for rl in party.red_lines):
                    raise LeverError(
                        where + "the party has no (hard) red line on this issue",
                        party=c.party,
                        issue=issue,
                    )

    def apply_unchecked(self, scenario: Scenario) -> Scenario:
        """Like :meth:`apply` without :meth:`check` (for levers checked beforehand); a red
        line already dropped or softened is skipped."""
        parties = {p.name: p for p in scenario.parties}
        for c in self.changes:
            p = parties[c.party]
            kw: dict[str, Any] = {}
            r = float(p.reservation)
            if c.set_reservation is not None:
                r = float(c.set_reservation)
            if c.reservation is not None:
                r += float(c.reservation)
            if r != p.reservation:
                kw["reservation"] = r
            if c.power is not None:
                kw["power"] = float(p.power) * float(c.power)
            if c.weights:
                kw["weights"] = {**dict(p.weights), **{k: float(v) for k, v in c.weights.items()}}
            drop = c.drop_red_line + c.soften_red_line
            if drop:
                kept = tuple(rl for rl in p.red_lines if not _touches(rl, drop))
                kw["red_lines"] = kept
                if c.soften_red_line:
                    soft = tuple(
                        (rl, float(c.penalty))  # type: ignore[arg-type]
                        for rl in p.red_lines
                        if _touches(rl, c.soften_red_line) and not _touches(rl, c.drop_red_line)
                    )
                    kw["soft_red_lines"] = tuple(p.soft_red_lines) + soft
            parties[c.party] = replace(p, **kw)
        # The variant carries no levers: they were written for the scenario as given.
        return replace(scenario, parties=tuple(parties[n] for n in scenario.party_names), levers=())

    def to_dict(self) -> dict[str, Any]:
        """Plain data: name, label, source, changes (in words)."""
        return {
            "name": self.name,
            "label": self.display,
            "source": self.source,
            "changes": [c.describe() for c in self.changes],
        }


def lever_from_table(table: Any, *, index: int = 0) -> Lever:
    """A :class:`Lever` from a parsed ``[[lever]]`` TOML table."""
    if not isinstance(table, Mapping) or "name" not in table:
        raise LeverError(f"lever number {index + 1} needs a name")
    name = table["name"]
    extra = sorted(set(table) - LEVER_KEYS)
    if extra:
        raise LeverError(f"lever {name!r}: unknown key(s) {extra} (allowed: {sorted(LEVER_KEYS)})")
    changes = []
    raw_changes = table.get("change", [])
    if not isinstance(raw_changes, list):
        raise LeverError(f"lever {name!r}: change must be [[lever.change]] tables")
    for raw in raw_changes:
        if not isinstance(raw, Mapping) or "party" not in raw:
            raise LeverError(f"lever {name!r}: every [[lever.change]] needs a party")
        extra = sorted(set(raw) - CHANGE_KEYS)
        if extra:
            raise LeverError(
                f"lever {name!r}: unknown key(s) {extra} in [[lever.change]] "
                f"(allowed: {sorted(CHANGE_KEYS)})",
                party=str(raw["party"]),
            )
        weights = raw.get("weights", {})
        if not isinstance(weights, Mapping):
            raise LeverError(f"lever {name!r}: weights must be a table issue = number")
        changes.append(
            Change(
                party=raw["party"],
                reservation=raw.get("reservation"),
                set_reservation=raw.get("set_reservation"),
                power=raw.get("power"),
                weights=dict(weights),
                drop_red_line=raw.get("drop_red_line", ()),
                soften_red_line=raw.get("soften_red_line", ()),
                penalty=raw.get("penalty"),
            )
        )
    return Lever(
        name=name, changes=tuple(changes), label=table.get("label"), source=table.get("source", "")
    )
