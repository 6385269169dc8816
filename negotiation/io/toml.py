"""Scenario files in TOML: read, write (the package's own format).

Scenario files are data: they are parsed with the standard library's :mod:`tomllib` and nothing
in them is ever executed. The format is documented in README.md ("The scenario file"). This
module holds what is TOML-specific; turning the parsed tables into a
:class:`~negotiation.model.scenario.Scenario` (and every check on them) is
:func:`negotiation.model.loader.scenario_from_dict`.
"""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from negotiation.errors import ScenarioError
from negotiation.io.reading import read_bounded
from negotiation.model.comments import comment_lines
from negotiation.model.loader import scenario_from_dict
from negotiation.model.scenario import Scenario

__all__ = ["dumps_scenario", "load_toml", "loads_scenario", "save_toml"]


def load_toml(path: Path) -> Scenario:
    """Read a TOML scenario file (UTF-8; a leading byte-order mark is dropped).

    Raises
    ------
    ScenarioError
        Naming the file, and the party, issue and level of the first problem found.
    """
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
        return scenario_from_dict(data, file)
    except ScenarioError as err:
        raise err.in_file(file or "<string>") from None


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
            for name, spec in party.values.items():
                body = [list(pt) for pt in spec] if isinstance(spec, tuple) else spec
                out.append(f"{_key(name)} = {_val(body)}")
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


def save_toml(scenario: Scenario, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write the scenario as TOML to ``path`` (parent folders are created).

    The file is written from the scenario's data, which has no comments. An existing file at
    ``path`` is never replaced silently: unless ``overwrite=True``, saving over a file with
    different content raises :class:`ScenarioError` (and the message warns when that file has
    comments, such as the sources of each number, which would be lost). The write is atomic (a
    temporary file renamed over the target).
    """
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
