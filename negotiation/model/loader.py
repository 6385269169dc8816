"""Load and save scenario files (TOML).

Scenario files are data: they are parsed with the standard library's :mod:`tomllib` and nothing
in them is ever executed. The format is documented in README.md ("The scenario file").
Bundled scenarios (``negotiation/scenarios/*.toml``) load by name: ``load_scenario("ukraine_2025")``.
"""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from negotiation.errors import ScenarioError
from negotiation.model.issues import Issue, check_identifier
from negotiation.model.levers import lever_from_table
from negotiation.model.party import Party
from negotiation.model.proposals import proposal_from_table
from negotiation.model.scenario import AgreementRule, Scenario

__all__ = [
    "load_scenario",
    "loads_scenario",
    "save_scenario",
    "dumps_scenario",
    "bundled_scenarios",
]

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
}


def bundled_scenarios() -> list[str]:
    """Names of the scenarios shipped with the package (``*_evidence.toml`` files hold evidence
    for calibration, not scenarios)."""
    folder = resources.files("negotiation") / "scenarios"
    return sorted(
        p.name[:-5]
        for p in folder.iterdir()
        if p.name.endswith(".toml") and not p.name.endswith("_evidence.toml")
    )


def _resolve(source: str | Path) -> Path:
    path = Path(source)
    if path.exists():
        return path
    if isinstance(source, str) and "/" not in source and "\\" not in source:
        bundled = (
            resources.files("negotiation") / "scenarios" / f"{source.removesuffix('.toml')}.toml"
        )
        if bundled.is_file():
            return Path(str(bundled))
    raise ScenarioError(
        f"no such scenario file or bundled scenario (bundled: {', '.join(bundled_scenarios())})",
        file=str(source),
    )


def load_scenario(source: str | Path) -> Scenario:
    """Load a scenario from a TOML file path, or a bundled scenario by name.

    A GENIUS domain (an ``.xml`` file or a folder holding one) is read by
    :mod:`negotiation.formats.genius`, a GeniusWeb ``.json`` profile by
    :mod:`negotiation.formats.geniusweb`.

    Raises
    ------
    ScenarioError
        With the file, party, issue and level of the first problem found.
    """
    path = _resolve(source)
    if path.is_dir() or path.suffix.lower() == ".xml":
        try:
            from negotiation.formats import genius
        except ImportError:  # pragma: no cover - the reader ships with the package
            raise ScenarioError("GENIUS XML reader is not available", file=str(path)) from None
        return genius.load_genius(path)
    if path.suffix.lower() == ".json":
        from negotiation.formats.geniusweb import load_geniusweb

        return load_geniusweb(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ScenarioError(f"cannot read: {err}", file=str(path)) from None
    return loads_scenario(text, file=str(path))


def loads_scenario(text: str, *, file: str | None = None) -> Scenario:
    """Parse a scenario from TOML text (``file`` is used in error messages)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"TOML syntax error: {err}", file=file or "<string>") from None
    try:
        return _from_dict(data, file)
    except ScenarioError as err:
        raise err.in_file(file or "<string>") from None


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
            out[issue] = (float(levels["min"]), float(levels["max"]))
        elif isinstance(levels, list) and all(isinstance(lv, str) for lv in levels):
            out[issue] = tuple(levels)
        else:
            raise ScenarioError(
                f"{what} must list level names, got {levels!r}", party=party, issue=issue
            )
    return out


def _from_dict(data: Mapping[str, Any], file: str | None) -> Scenario:
    _unknown_keys(data, _TOP_KEYS, "the scenario")
    if "name" not in data:
        raise ScenarioError("missing required key 'name'")
    issues = []
    for raw in data.get("issue", []):
        if not isinstance(raw, Mapping) or "name" not in raw:
            raise ScenarioError("every [[issue]] needs a name")
        name = check_identifier(raw["name"], "issue")
        _unknown_keys(raw, _ISSUE_KEYS, "[[issue]]", issue=name)
        if "range" in raw:
            rng = raw["range"]
            if not (isinstance(rng, list) and len(rng) == 2):
                raise ScenarioError("range must be [low, high]", issue=name)
            issues.append(
                Issue(name, label=raw.get("label"), range=tuple(rng), unit=raw.get("unit"))
            )
        else:
            levels = raw.get("levels")
            if not isinstance(levels, list):
                raise ScenarioError("needs levels = [...] (or range = [low, high])", issue=name)
            issues.append(Issue(name, tuple(levels), label=raw.get("label"), unit=raw.get("unit")))
    continuous = {i.name for i in issues if i.is_continuous}
    parties = []
    for raw in data.get("party", []):
        if not isinstance(raw, Mapping) or "name" not in raw:
            raise ScenarioError("every [[party]] needs a name")
        pname = raw["name"]
        _unknown_keys(raw, _PARTY_KEYS, "[[party]]", party=pname)
        values: dict[str, Any] = {}
        for issue, spec in (raw.get("values") or {}).items():
            if issue in continuous or isinstance(spec, list):
                values[issue] = tuple(tuple(pt) for pt in spec) if isinstance(spec, list) else spec
            else:
                values[issue] = dict(spec) if isinstance(spec, Mapping) else spec
        bonuses = []
        for b in raw.get("bonus", []):
            if not isinstance(b, Mapping) or "value" not in b:
                raise ScenarioError("every [[party.bonus]] needs a value", party=pname)
            bonuses.append((_clause(b, "bonus", party=pname, skip=("value",)), b["value"]))
        red_lines, soft_red_lines = [], []
        for c in raw.get("red_line", []):
            if isinstance(c, Mapping) and "penalty" in c:  # a soft red line
                clause = _clause(c, "red line", party=pname, skip=("penalty",))
                soft_red_lines.append((clause, c["penalty"]))
            else:
                red_lines.append(_clause(c, "red line", party=pname))
        points = raw.get("points")
        parties.append(
            Party(
                name=pname,
                weights=dict(raw.get("weights") or {}),
                values=values,
                points={k: dict(v) if isinstance(v, Mapping) else v for k, v in points.items()}
                if isinstance(points, Mapping)
                else points,
                reservation=raw.get("reservation", 0.0),
                power=raw.get("power", 1.0),
                discount=raw.get("discount", 1.0),
                red_lines=tuple(red_lines),
                bonuses=tuple(bonuses),
                soft_red_lines=tuple(soft_red_lines),
            )
        )
    rule = data.get("agreement", {})
    if not isinstance(rule, Mapping):
        raise ScenarioError("[agreement] must be a table")
    _unknown_keys(rule, {"quota", "veto"}, "[agreement]")
    sources = data.get("sources", [])
    if isinstance(sources, str):
        sources = [sources]
    scenario = Scenario(
        name=data["name"],
        description=data.get("description", ""),
        sources=tuple(sources),
        issues=tuple(issues),
        parties=tuple(parties),
        constraints=tuple(_clause(c, "constraint") for c in data.get("constraint", [])),
        agreement=AgreementRule(quota=rule.get("quota"), veto=tuple(rule.get("veto", ()))),
        file=file,
        proposals=tuple(
            proposal_from_table(t, index=k) for k, t in enumerate(data.get("proposal", []))
        ),
        levers=tuple(lever_from_table(t, index=k) for k, t in enumerate(data.get("lever", []))),
    )
    for kind, items in (("proposal", scenario.proposals), ("lever", scenario.levers)):
        seen: set[str] = set()
        for item in items:
            if item.name in seen:
                raise ScenarioError(f"duplicate {kind} name {item.name!r}")
            seen.add(item.name)
            item.check(scenario)
    return scenario


# -- saving ----------------------------------------------------------------------------------
def _key(k: str) -> str:
    return k if k.replace("_", "").replace("-", "").isalnum() and k.isascii() else json.dumps(k)


def _val(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ScenarioError(f"cannot save a non-finite number {v}")
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_val(x) for x in v) + "]"
    if isinstance(v, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {_val(x)}" for k, x in v.items()) + " }"
    return _val(float(v))  # numpy scalars


def _clause_toml(spec: Mapping[str, tuple]) -> list[str]:
    lines = []
    for issue, lv in spec.items():
        if len(lv) == 2 and all(isinstance(x, float) for x in lv):
            lines.append(f"{_key(issue)} = {{ min = {_val(lv[0])}, max = {_val(lv[1])} }}")
        else:
            lines.append(f"{_key(issue)} = {_val(list(lv))}")
    return lines


def dumps_scenario(scenario: Scenario) -> str:
    """The scenario as TOML text; :func:`loads_scenario` of it gives an equal scenario."""
    out = [f"name = {_val(scenario.name)}"]
    if scenario.description:
        out.append(f"description = {_val(scenario.description)}")
    if scenario.sources:
        out.append(f"sources = {_val(list(scenario.sources))}")
    rule = scenario.agreement
    if rule.quota is not None or rule.veto:
        out += ["", "[agreement]"]
        if rule.quota is not None:
            out.append(f"quota = {rule.quota}")
        if rule.veto:
            out.append(f"veto = {_val(list(rule.veto))}")
    for issue in scenario.issues:
        out += ["", "[[issue]]", f"name = {_val(issue.name)}"]
        if issue.label is not None:
            out.append(f"label = {_val(issue.label)}")
        if issue.is_continuous:
            out.append(f"range = {_val(list(issue.range))}")  # type: ignore[arg-type]
        else:
            out.append(f"levels = {_val(list(issue.levels))}")
        if issue.unit is not None:
            out.append(f"unit = {_val(issue.unit)}")
    for c in scenario.constraints:
        out += ["", "[[constraint]]", *_clause_toml(c)]
    for party in scenario.parties:
        out += ["", "[[party]]", f"name = {_val(party.name)}"]
        for attr in ("reservation", "power", "discount"):
            out.append(f"{attr} = {_val(getattr(party, attr))}")
        if party.scored_in_points:
            out.append(f"points = {_val(party.points)}")
        else:
            out.append(f"weights = {_val(party.weights)}")
        if party.values:
            out += ["", "[party.values]"]
            for issue, spec in party.values.items():
                body = [list(pt) for pt in spec] if isinstance(spec, tuple) else spec
                out.append(f"{_key(issue)} = {_val(body)}")
        for c in party.red_lines:
            out += ["", "[[party.red_line]]", *_clause_toml(c)]
        for c, v in party.bonuses:
            out += ["", "[[party.bonus]]", *_clause_toml(c), f"value = {_val(v)}"]
        for c, v in party.soft_red_lines:
            out += ["", "[[party.red_line]]", *_clause_toml(c), f"penalty = {_val(v)}"]
    out += _proposals_levers_toml(scenario)
    return "\n".join(out) + "\n"


def _proposals_levers_toml(scenario: Scenario) -> list[str]:
    """``[[proposal]]`` and ``[[lever]]`` tables of a scenario."""
    out: list[str] = []
    for p in scenario.proposals:
        out += ["", "[[proposal]]", f"name = {_val(p.name)}"]
        for key in ("label", "date", "source"):
            if getattr(p, key):
                out.append(f"{key} = {_val(getattr(p, key))}")
        if p.by:
            out.append(f"by = {_val(list(p.by))}")
        out.append(f"terms = {_val(dict(p.terms))}")
    for lever in scenario.levers:
        out += ["", "[[lever]]", f"name = {_val(lever.name)}"]
        for key in ("label", "source"):
            if getattr(lever, key):
                out.append(f"{key} = {_val(getattr(lever, key))}")
        for c in lever.changes:
            out += ["", "[[lever.change]]", f"party = {_val(c.party)}"]
            for key in ("reservation", "set_reservation", "power", "penalty"):
                if getattr(c, key) is not None:
                    out.append(f"{key} = {_val(getattr(c, key))}")
            if c.weights:
                out.append(f"weights = {_val(dict(c.weights))}")
            for key in ("drop_red_line", "soften_red_line"):
                if getattr(c, key):
                    out.append(f"{key} = {_val(list(getattr(c, key)))}")
    return out


def save_scenario(scenario: Scenario, path: str | Path) -> Path:
    """Write the scenario as TOML to ``path`` (parent folders are created)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps_scenario(scenario), encoding="utf-8")
    return path
