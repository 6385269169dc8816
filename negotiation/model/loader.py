"""Build a :class:`~negotiation.model.scenario.Scenario` from plain data (the tables of a file).

:func:`scenario_from_dict` checks the tables a scenario file holds (the TOML file parsed by
:mod:`negotiation.io.toml`, or any reader that produces the same shape) and builds the scenario;
every error names the party, issue and level. Reading and writing files is the io layer's job
(:mod:`negotiation.io`): this module never touches a file.

The names that used to live here (``load_scenario``, ``loads_scenario``, ``save_scenario``,
``dumps_scenario``, ``bundled_scenarios``) moved to :mod:`negotiation.io`; they are still
importable from here (a module ``__getattr__``, PEP 562, imports the io layer on first use, so the
model layer itself never imports io).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from negotiation.errors import ScenarioError
from negotiation.model.checks import (
    check_list,
    check_number,
    check_table,
    check_text,
)
from negotiation.model.issues import Issue, check_identifier
from negotiation.model.levers import lever_from_table
from negotiation.model.party import Party
from negotiation.model.proposals import proposal_from_table
from negotiation.model.scenario import AgreementRule, Scenario

__all__ = ["scenario_from_dict", "short_repr"]

#: Names moved to the io layer, forwarded on first use (PEP 562) so documented imports keep
#: working: ``from negotiation.model.loader import load_scenario``.
_MOVED = {
    "load_scenario": "negotiation.io",
    "save_scenario": "negotiation.io",
    "loads_scenario": "negotiation.io.toml",
    "dumps_scenario": "negotiation.io.toml",
    "bundled_scenarios": "negotiation.io.bundled",
    "_resolve": "negotiation.io.bundled",
}


def __getattr__(name: str) -> Any:
    module = _MOVED.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib  # the io layer sits above the model: imported on first use only

    return getattr(importlib.import_module(module), name)


_TOP_KEYS = {
    "name",
    "description",
    "sources",
    "issue",
    "constraint",
    "party",
    "agreement",
    "proposal",
    "lever",
    "evidence",  # [[evidence]]: read by negotiation.model.evidence (calibration)
}
_ISSUE_KEYS = {"name", "label", "levels", "range", "unit"}
_PARTY_KEYS = {
    "name",
    "reservation",
    "power",
    "discount",
    "weights",
    "values",
    "points",
    "red_line",
    "bonus",
    "observer",
}


def _unknown_keys(table: Mapping[str, Any], allowed: set[str], what: str, **where: Any) -> None:
    extra = sorted(set(table) - allowed)
    if extra:
        raise ScenarioError(
            f"unknown key(s) {extra} in {what} (allowed: {sorted(allowed)})", **where
        )


def _clause(table: Any, what: str, *, party: str | None = None, skip: tuple[str, ...] = ()) -> dict:
    if not isinstance(table, Mapping):
        raise ScenarioError(f"{what} must be a table of issue = [levels]", party=party)
    out: dict[str, tuple] = {}
    for issue, levels in table.items():
        if issue in skip:
            continue
        if isinstance(levels, Mapping):  # continuous: {min = .., max = ..}
            if set(levels) != {"min", "max"}:
                raise ScenarioError(
                    f"{what} on a continuous issue needs {{min, max}}", party=party, issue=issue
                )
            lo, hi = (
                check_number(levels[k], f"{what} {k}", party=party, issue=issue)
                for k in ("min", "max")
            )
            if lo > hi:
                raise ScenarioError(
                    f"{what} needs min <= max, got min {lo:g} > max {hi:g}",
                    party=party,
                    issue=issue,
                )
            out[issue] = (lo, hi)
        elif isinstance(levels, list) and levels and all(isinstance(lv, str) for lv in levels):
            out[issue] = tuple(levels)
        else:
            raise ScenarioError(
                f"{what} must list level names, got {short_repr(levels)}", party=party, issue=issue
            )
    return out


def short_repr(value: Any, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters, for error messages about a file's values.

    A value whose ``repr`` fails (nested too deeply, an integer too long to print) is shown by
    its type.

    Examples
    --------
    >>> short_repr("x" * 100, limit=10)
    "'xxxxxx..."
    """
    try:
        text = repr(value)
    except (RecursionError, ValueError):
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _tables(data: Mapping[str, Any], key: str, what: str, **where: Any) -> list[Mapping]:
    """The array of tables ``data[key]`` (``[[key]]`` in TOML), each checked to be a table."""
    raw = data.get(key, [])
    if isinstance(raw, Mapping):
        raise ScenarioError(f"{what} must be written [[{key}]] (an array of tables)", **where)
    items = check_list(raw, f"{what} (write [[{key}]] tables)", **where)
    for item in items:
        if not isinstance(item, Mapping):
            raise ScenarioError(f"every {what} must be a table, got {short_repr(item)}", **where)
    return items


def _optional_text(raw: Mapping[str, Any], key: str, **where: Any) -> str | None:
    value = raw.get(key)
    return None if value is None else check_text(value, key, empty=key == "unit", **where)


def scenario_from_dict(data: Mapping[str, Any], file: str | None = None) -> Scenario:
    """The scenario described by ``data``: the tables of a scenario file, as parsed.

    ``data`` has the shape of the TOML file documented in README.md ("The scenario file"):
    ``name``, ``description``, ``sources``, ``[[issue]]``, ``[[constraint]]``, ``[[party]]``
    (with ``values``, ``weights`` or ``points``, ``[[party.red_line]]``, ``[[party.bonus]]``),
    ``[agreement]``, ``[[proposal]]``, ``[[lever]]``. ``file`` is recorded on the scenario; error
    messages name it when a reader adds it (:meth:`ScenarioError.in_file`).

    Raises
    ------
    ScenarioError
        The first problem found, naming the party, issue and level: an unknown key, a value of
        the wrong type, a duplicate name, a clause on an unknown issue or level.

    Examples
    --------
    >>> s = scenario_from_dict({
    ...     "name": "pie",
    ...     "issue": [{"name": "share", "levels": ["low", "high"]}],
    ...     "party": [
    ...         {"name": "A", "weights": {"share": 1}, "values": {"share": {"low": 0, "high": 1}}},
    ...         {"name": "B", "weights": {"share": 1}, "values": {"share": {"low": 1, "high": 0}}},
    ...     ],
    ... })
    >>> s.party_names, s.issues[0].levels
    (('A', 'B'), ('low', 'high'))
    """
    _unknown_keys(data, _TOP_KEYS, "the scenario")
    if "name" not in data:
        raise ScenarioError("missing required key 'name'")
    check_text(data["name"], "scenario name")
    issues = _issues(data)
    continuous = {i.name for i in issues if i.is_continuous}
    known = {i.name for i in issues}
    parties = [_party(raw, known, continuous) for raw in _tables(data, "party", "[[party]]")]
    agreement, sources = _agreement(data), _sources(data)  # checked in this order
    description = data.get("description", "")
    check_text(description, "description", multiline=True, empty=True)
    scenario = Scenario(
        name=data["name"],
        description=description,
        sources=sources,
        issues=tuple(issues),
        parties=tuple(parties),
        constraints=tuple(
            _clause(c, "constraint") for c in _tables(data, "constraint", "[[constraint]]")
        ),
        agreement=agreement,
        file=file,
        proposals=tuple(
            proposal_from_table(t, index=k)
            for k, t in enumerate(_tables(data, "proposal", "[[proposal]]"))
        ),
        levers=tuple(
            lever_from_table(t, index=k) for k, t in enumerate(_tables(data, "lever", "[[lever]]"))
        ),
    )
    for kind, items in (("proposal", scenario.proposals), ("lever", scenario.levers)):
        seen: set[str] = set()
        for item in items:
            if item.name in seen:
                raise ScenarioError(f"duplicate {kind} name {item.name!r}")
            seen.add(item.name)
            item.check(scenario)
    return scenario


def _issues(data: Mapping[str, Any]) -> list[Issue]:
    """The ``[[issue]]`` tables as issues (discrete levels or a continuous range)."""
    issues: list[Issue] = []
    for raw in _tables(data, "issue", "[[issue]]"):
        if "name" not in raw:
            raise ScenarioError("every [[issue]] needs a name")
        name = check_identifier(raw["name"], "issue")
        if any(i.name == name for i in issues):
            raise ScenarioError("duplicate issue name", issue=name)
        _unknown_keys(raw, _ISSUE_KEYS, "[[issue]]", issue=name)
        label, unit = (
            _optional_text(raw, "label", issue=name),
            _optional_text(raw, "unit", issue=name),
        )
        if "range" in raw and "levels" in raw:
            raise ScenarioError("has both levels and a range; give one", issue=name)
        if "range" in raw:
            rng = raw["range"]
            if not (isinstance(rng, list) and len(rng) == 2):
                raise ScenarioError(f"range must be [low, high], got {short_repr(rng)}", issue=name)
            low, high = (check_number(v, "range bound", issue=name) for v in rng)
            issues.append(Issue(name, label=label, range=(low, high), unit=unit))
        else:
            levels = raw.get("levels")
            if not isinstance(levels, list):
                raise ScenarioError(
                    "needs levels = [...] (or range = [low, high])"
                    + ("" if levels is None else f", got levels = {short_repr(levels)}"),
                    issue=name,
                )
            issues.append(Issue(name, tuple(levels), label=label, unit=unit))
    return issues


def _party(raw: Mapping[str, Any], known: set[str], continuous: set[str]) -> Party:
    """One ``[[party]]`` table as a party (``known``: the issue names; ``continuous``: ranges)."""
    if "name" not in raw:
        raise ScenarioError("every [[party]] needs a name")
    pname = check_text(raw["name"], "party name")
    _unknown_keys(raw, _PARTY_KEYS, "[[party]]", party=pname)
    values = _values(raw, pname, known, continuous)
    bonuses = []
    for b in _tables(raw, "bonus", "[[party.bonus]]", party=pname):
        if "value" not in b:
            raise ScenarioError("every [[party.bonus]] needs a value", party=pname)
        bonuses.append((_clause(b, "bonus", party=pname, skip=("value",)), b["value"]))
    red_lines, soft_red_lines = [], []
    for c in _tables(raw, "red_line", "[[party.red_line]]", party=pname):
        if isinstance(c, Mapping) and "penalty" in c:  # a soft red line
            clause = _clause(c, "red line", party=pname, skip=("penalty",))
            soft_red_lines.append((clause, c["penalty"]))
        else:
            red_lines.append(_clause(c, "red line", party=pname))
    points = raw.get("points")
    if points is not None:
        for issue, table in check_table(points, "points", party=pname).items():
            check_table(table, "points", party=pname, issue=issue)
    weights = raw.get("weights")
    return Party(
        name=pname,
        weights=dict(check_table(weights, "weights", party=pname)) if weights else {},
        values=values,
        points={k: dict(v) for k, v in points.items()} if points is not None else None,
        reservation=raw.get("reservation", 0.0),
        power=raw.get("power", 1.0),
        discount=raw.get("discount", 1.0),
        red_lines=tuple(red_lines),
        bonuses=tuple(bonuses),
        soft_red_lines=tuple(soft_red_lines),
        observer=raw.get("observer", False),
    )


def _values(
    raw: Mapping[str, Any], pname: str, known: set[str], continuous: set[str]
) -> dict[str, Any]:
    """A party's ``values`` table: ``{level = value}`` per discrete issue, points per range."""
    values: dict[str, Any] = {}
    for issue, spec in check_table(raw.get("values") or {}, "values", party=pname).items():
        if issue not in known:
            raise ScenarioError(
                f"unknown issue (the issues are {sorted(known)})", party=pname, issue=issue
            )
        if issue in continuous:
            values[issue] = _points(spec, party=pname, issue=issue)
        elif isinstance(spec, Mapping):
            values[issue] = dict(spec)
        else:
            raise ScenarioError(
                f"values must be a table {{level = value}}, got {short_repr(spec)}",
                party=pname,
                issue=issue,
            )
    return values


def _agreement(data: Mapping[str, Any]) -> AgreementRule:
    """The ``[agreement]`` table: a quota (a whole number) and veto parties."""
    rule = data.get("agreement", {})
    if not isinstance(rule, Mapping):
        raise ScenarioError("[agreement] must be a table")
    _unknown_keys(rule, {"quota", "veto"}, "[agreement]")
    quota = rule.get("quota")
    if quota is not None and (isinstance(quota, bool) or not isinstance(quota, int)):
        raise ScenarioError(f"agreement quota must be a whole number, got {short_repr(quota)}")
    veto = rule.get("veto", ())
    if isinstance(veto, str):  # one party's name (documented), never read letter by letter
        veto = [veto]
    veto = check_list(veto, "agreement veto")
    for v in veto:
        check_text(v, "agreement veto party name")
    return AgreementRule(quota=quota, veto=tuple(veto))


def _sources(data: Mapping[str, Any]) -> tuple[str, ...]:
    """``sources``: one text or a list of texts."""
    sources = data.get("sources", [])
    if isinstance(sources, str):
        sources = [sources]
    sources = check_list(sources, "sources")
    for source in sources:
        check_text(source, "source", multiline=True)
    return tuple(sources)


def _points(spec: Any, **where: Any) -> tuple[tuple[float, float], ...]:
    """Piecewise-linear values of a continuous issue: ``[[x, v], ...]`` as number pairs."""
    if not isinstance(spec, list):
        raise ScenarioError(
            f"values of a continuous issue must be points [[x, v], ...], got {short_repr(spec)}",
            **where,
        )
    out: list[tuple[float, float]] = []
    for pt in spec:
        if not (isinstance(pt, list) and len(pt) == 2):
            raise ScenarioError(f"each point must be [x, v], got {short_repr(pt)}", **where)
        x, v = (check_number(c, "point", **where) for c in pt)
        out.append((x, v))
    return tuple(out)
