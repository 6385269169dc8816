"""The domain file of a GENIUS domain (root ``<negotiation_template>``): its issues, as read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from negotiation.errors import ScenarioError
from negotiation.io.genius.names import issue_identifier
from negotiation.io.genius.xml import MAX_INTEGER_LEVELS, _check_label, _integer, _number
from negotiation.model.issues import IDENTIFIER, Issue


# -- the domain ------------------------------------------------------------------------------
@dataclass
class _GIssue:
    """One issue of a GENIUS domain, as read."""

    index: int
    label: str
    kind: str  # "discrete" | "integer" | "real"
    levels: tuple[str, ...] = ()
    low: float = 0.0
    high: float = 0.0
    name: str = ""

    @property
    def where(self) -> str:
        return f"issue #{self.index} {self.label!r}"

    def to_issue(self) -> Issue:
        label = None if self.label == self.name else self.label
        if self.kind == "real":
            return Issue(self.name, label=label, range=(self.low, self.high))
        return Issue(self.name, self.levels, label=label)


@dataclass
class _Domain:
    path: Path
    issues: list[_GIssue]
    objective_name: str
    description: str
    objective_indices: set[int]
    agents: list[tuple[str, str]]  # (name, utility_space file)


def _issue_kind(el) -> str:
    for attr in ("type", "vtype", "etype"):
        value = (el.get(attr) or "").strip().lower()
        if value:
            return value
    return "discrete"  # GENIUS: no type given means discrete


def _read_domain(root, path: Path) -> _Domain:
    if root.tag != "negotiation_template":
        hint = (
            " (it is a profile; pass the domain file or the folder)"
            if root.tag == "utility_space"
            else ""
        )
        raise ScenarioError(
            f"root element is <{root.tag}>, not <negotiation_template>: not a GENIUS domain{hint}",
            file=str(path),
        )
    space = root.find("utility_space")
    if space is None:
        raise ScenarioError("the domain has no <utility_space> element", file=str(path))
    objectives = list(space.iter("objective"))
    top = objectives[0] if objectives else None
    obj_idx = set()
    for o in objectives:
        try:
            obj_idx.add(int(o.get("index", "")))
        except ValueError:
            pass
    issues: list[_GIssue] = []
    seen: dict[int, str] = {}
    for el in space.iter("issue"):
        label = (el.get("name") or "").strip()
        index = _integer(el, "index", path, f"issue {label!r}")
        if not label:
            raise ScenarioError(f"issue #{index} has no name", file=str(path))
        if index in seen:
            raise ScenarioError(
                f"issues {seen[index]!r} and {label!r} share index {index}", file=str(path)
            )
        seen[index] = label
        issues.append(_read_issue(el, index, label, path))
    if not issues:
        raise ScenarioError("the domain has no issues", file=str(path))
    taken: set[str] = set()
    by_label = {}
    for el in space.iter("issue"):
        by_label[int(el.get("index"))] = el.get("identifier")
    for k, gi in enumerate(issues):
        ident = by_label.get(gi.index)
        if ident and IDENTIFIER.fullmatch(ident) and ident not in taken:
            gi.name = ident
        else:
            gi.name = issue_identifier(gi.label, taken, fallback=f"issue_{k + 1}")
        taken.add(gi.name)
    agents = []
    for a in root.findall("agent"):
        file = (a.get("utility_space") or "").strip()
        if file:
            agents.append(((a.get("name") or "").strip(), file))
    return _Domain(
        path=path,
        issues=issues,
        objective_name=(top.get("name") or "").strip() if top is not None else "",
        description=(top.get("description") or "").strip() if top is not None else "",
        objective_indices=obj_idx,
        agents=agents,
    )


def _read_issue(el, index: int, label: str, path: Path) -> _GIssue:
    """One ``<issue>`` element of the domain: discrete values, an integer or a real range."""
    kind = _issue_kind(el)
    where = f"issue #{index} {label!r}"
    _check_label(label, "issue name", path, where=f"issue #{index}")
    if kind == "discrete":
        levels: dict[str, None] = {}  # ordered, with O(1) membership
        for item in el.findall("item"):
            value = item.get("value")
            if value is None or value == "":
                raise ScenarioError(f"{where}: an <item> has no value", file=str(path))
            if value in levels:
                raise ScenarioError(f"{where}: value {value!r} is listed twice", file=str(path))
            _check_label(value, "value", path, where=where)
            if len(levels) >= MAX_INTEGER_LEVELS:
                raise ScenarioError(
                    f"{where}: more than {MAX_INTEGER_LEVELS} values", file=str(path)
                )
            levels[value] = None
        if not levels:
            raise ScenarioError(f"{where}: discrete issue has no <item> values", file=str(path))
        return _GIssue(index, label, kind, tuple(levels))
    elif kind == "integer":
        holder = el if el.get("lowerbound") is not None else el.find("range")
        if holder is None:
            raise ScenarioError(
                f"{where}: integer issue has no lowerbound/upperbound", file=str(path)
            )
        lo = _integer(holder, "lowerbound", path, where)
        hi = _integer(holder, "upperbound", path, where)
        if hi < lo:
            raise ScenarioError(f"{where}: upperbound {hi} < lowerbound {lo}", file=str(path))
        if hi - lo + 1 > MAX_INTEGER_LEVELS:
            raise ScenarioError(
                f"{where}: integer range [{lo}, {hi}] has {hi - lo + 1} values, more than "
                f"{MAX_INTEGER_LEVELS} levels",
                file=str(path),
            )
        return _GIssue(index, label, kind, tuple(str(v) for v in range(lo, hi + 1)), lo, hi)
    elif kind == "real":
        holder = el.find("range")
        if holder is None and el.get("lowerbound") is not None:
            holder = el
        if holder is None:
            raise ScenarioError(f"{where}: real issue has no <range>", file=str(path))
        low = _number(holder, "lowerbound", path, where)
        high = _number(holder, "upperbound", path, where)
        if not high > low:
            raise ScenarioError(
                f"{where}: upperbound {high:g} is not above lowerbound {low:g}", file=str(path)
            )
        return _GIssue(index, label, kind, (), low, high)
    else:
        raise ScenarioError(
            f"{where}: issue type {kind!r} is not supported (discrete, integer, real)",
            file=str(path),
        )
