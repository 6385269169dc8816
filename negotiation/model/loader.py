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
from negotiation.model.reading import read_bounded
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
    "observer",
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
    :mod:`negotiation.formats.geniusweb`, a spatial data file (``.csv``/``.txt``: BDM CSV,
    KTAB SMP CSV or Decide) by :mod:`negotiation.formats.spatial`.

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
    if path.suffix.lower() in (".csv", ".txt", ".tsv"):  # BDM / KTAB SMP / Decide data
        from negotiation.formats.spatial import load_spatial

        return load_spatial(path).to_scenario()
    try:
        # utf-8-sig: a byte-order mark (Windows Notepad writes one) is read and dropped
        text = read_bounded(path).decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ScenarioError(
            f"is not UTF-8 text (byte {err.start}: {err.reason})", file=str(path)
        ) from None
    return loads_scenario(text, file=str(path))


def loads_scenario(text: str, *, file: str | None = None) -> Scenario:
    """Parse a scenario from TOML text (``file`` is used in error messages).

    A leading byte-order mark is dropped. Arrays or tables nested too deeply for the parser
    (thousands of levels) are refused with a :class:`ScenarioError`, as is any value of the
    wrong type (a string where a table is expected, ...): the message names the party, issue
    and level.
    """
    if not isinstance(text, str):
        raise ScenarioError(f"scenario text must be a string, got {type(text).__name__}")
    try:
        data = tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"TOML syntax error: {err}", file=file or "<string>") from None
    except RecursionError:
        raise ScenarioError(
            "TOML nested too deeply (arrays or tables inside each other thousands of times)",
            file=file or "<string>",
        ) from None
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
                f"{what} must list level names, got {_short(levels)}", party=party, issue=issue
            )
    return out


def _short(value: Any, limit: int = 60) -> str:
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
            raise ScenarioError(f"every {what} must be a table, got {_short(item)}", **where)
    return items


def _optional_text(raw: Mapping[str, Any], key: str, **where: Any) -> str | None:
    value = raw.get(key)
    return None if value is None else check_text(value, key, empty=key == "unit", **where)


def _from_dict(data: Mapping[str, Any], file: str | None) -> Scenario:
    _unknown_keys(data, _TOP_KEYS, "the scenario")
    if "name" not in data:
        raise ScenarioError("missing required key 'name'")
    check_text(data["name"], "scenario name")
    issues = []
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
                raise ScenarioError(f"range must be [low, high], got {_short(rng)}", issue=name)
            bounds = tuple(check_number(v, "range bound", issue=name) for v in rng)
            issues.append(Issue(name, label=label, range=bounds, unit=unit))
        else:
            levels = raw.get("levels")
            if not isinstance(levels, list):
                raise ScenarioError(
                    "needs levels = [...] (or range = [low, high])"
                    + ("" if levels is None else f", got levels = {_short(levels)}"),
                    issue=name,
                )
            issues.append(Issue(name, tuple(levels), label=label, unit=unit))
    continuous = {i.name for i in issues if i.is_continuous}
    known = {i.name for i in issues}
    parties = []
    for raw in _tables(data, "party", "[[party]]"):
        if "name" not in raw:
            raise ScenarioError("every [[party]] needs a name")
        pname = check_text(raw["name"], "party name")
        _unknown_keys(raw, _PARTY_KEYS, "[[party]]", party=pname)
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
                    f"values must be a table {{level = value}}, got {_short(spec)}",
                    party=pname,
                    issue=issue,
                )
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
        parties.append(
            Party(
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
        )
    rule = data.get("agreement", {})
    if not isinstance(rule, Mapping):
        raise ScenarioError("[agreement] must be a table")
    _unknown_keys(rule, {"quota", "veto"}, "[agreement]")
    quota = rule.get("quota")
    if quota is not None and (isinstance(quota, bool) or not isinstance(quota, int)):
        raise ScenarioError(f"agreement quota must be a whole number, got {_short(quota)}")
    veto = rule.get("veto", ())
    if isinstance(veto, str):  # one party's name (documented), never read letter by letter
        veto = [veto]
    veto = check_list(veto, "agreement veto")
    for v in veto:
        check_text(v, "agreement veto party name")
    sources = data.get("sources", [])
    if isinstance(sources, str):
        sources = [sources]
    sources = check_list(sources, "sources")
    for source in sources:
        check_text(source, "source", multiline=True)
    description = data.get("description", "")
    check_text(description, "description", multiline=True, empty=True)
    scenario = Scenario(
        name=data["name"],
        description=description,
        sources=tuple(sources),
        issues=tuple(issues),
        parties=tuple(parties),
        constraints=tuple(
            _clause(c, "constraint") for c in _tables(data, "constraint", "[[constraint]]")
        ),
        agreement=AgreementRule(quota=quota, veto=tuple(veto)),
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


def _points(spec: Any, **where: Any) -> tuple[tuple[float, float], ...]:
    """Piecewise-linear values of a continuous issue: ``[[x, v], ...]`` as number pairs."""
    if not isinstance(spec, list):
        raise ScenarioError(
            f"values of a continuous issue must be points [[x, v], ...], got {_short(spec)}",
            **where,
        )
    out = []
    for pt in spec:
        if not (isinstance(pt, list) and len(pt) == 2):
            raise ScenarioError(f"each point must be [x, v], got {_short(pt)}", **where)
        out.append(tuple(check_number(v, "point", **where) for v in pt))
    return tuple(out)


# -- saving ----------------------------------------------------------------------------------
def _key(k: str) -> str:
    # ensure_ascii=False: JSON would write a character beyond U+FFFF as a surrogate pair, which
    # TOML refuses ("\ud83d\ude00" is not a Unicode scalar value)
    bare = k.replace("_", "").replace("-", "").isalnum() and k.isascii()
    return k if bare else json.dumps(k, ensure_ascii=False)


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
        if party.observer:
            out.append("observer = true")
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


def save_scenario(scenario: Scenario, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write the scenario as TOML to ``path`` (parent folders are created).

    The file is written from the scenario's data, which has no comments. An existing file at
    ``path`` is never replaced silently: unless ``overwrite=True``, saving over a file with
    different content raises :class:`ScenarioError` (and the message warns when that file has
    comments, such as the sources of each number, which would be lost). The write is atomic (a
    temporary file renamed over the target).
    """
    from negotiation.model.comments import comment_lines

    path = Path(path)
    text = dumps_scenario(scenario)
    if path.exists() and not overwrite:
        try:
            old = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise ScenarioError(
                f"{path}: exists and cannot be read ({err}); not replaced"
            ) from None
        if old != text:
            lines = comment_lines(old)
            lost = (
                f"; it has {len(lines)} comment line(s) (e.g. line {lines[0]}) that saving "
                "would drop, because a scenario is saved from its data"
                if lines
                else ""
            )
            raise ScenarioError(
                f"{path}: exists{lost}. Save to a new file, or pass overwrite=True to replace it"
            )
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path
