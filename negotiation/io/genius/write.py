"""Write a Scenario as a GENIUS domain: a domain file and one profile per party."""

from __future__ import annotations

import re
import warnings
import xml.etree.ElementTree as ET  # writing only; reading goes through defusedxml
from collections.abc import Sequence
from pathlib import Path
from typing import cast

import numpy as np

from negotiation.errors import ScenarioError
from negotiation.io.genius.names import issue_identifier
from negotiation.io.genius.profiles import _triangle
from negotiation.io.genius.xml import GeniusWarning, _clip01
from negotiation.model.issues import Issue
from negotiation.model.scenario import Scenario

__all__ = ["save_genius", "write_genius_folder"]


# -- writing ---------------------------------------------------------------------------------
def _fmt(x: float) -> str:
    x = float(x)
    if x == int(x) and abs(x) < 1e15:
        return f"{x:.1f}"
    return repr(x)


def _slug(text: str) -> str:
    return issue_identifier(text, fallback="x").removeprefix("i_") if text else "x"


def _integer_levels(issue: Issue) -> list[int] | None:
    """The levels as consecutive integers, if they are written that way ('-2', '-1', '0', ...)."""
    if issue.is_continuous:
        return None
    out = []
    for lv in issue.levels:
        if not re.fullmatch(r"-?(0|[1-9][0-9]*)", lv):
            return None
        out.append(int(lv))
    if any(b != a + 1 for a, b in zip(out, out[1:], strict=False)):
        return None
    return out


def _affine(values: np.ndarray) -> tuple[float, float] | None:
    """``(offset, slope)`` when ``values[k] == clip(offset + slope * k)`` (within 1e-12).

    That is GENIUS's integer evaluator (clipped to [0, 1]); the line is the one through the
    steepest step, which lies on the unclipped part.
    """
    values = np.asarray(values, dtype=float)
    n = values.size
    if n == 1 or np.ptp(values) == 0:
        return float(values[0]), 0.0
    steps = np.diff(values)
    k = int(np.argmax(np.abs(steps)))
    slope = float(steps[k])
    offset = float(values[k] - slope * k)
    fit = _clip01(offset + slope * np.arange(n))
    return (offset, slope) if np.max(np.abs(fit - values)) <= 1e-12 else None


def _fit_real(points: np.ndarray) -> dict[str, str] | None:
    """GENIUS real evaluator attributes reproducing piecewise-linear points exactly, if any."""
    xs, vs = points[:, 0], points[:, 1]
    lo, hi = xs[0], xs[-1]

    def same(f, kinks: list[float]) -> bool:
        # compare at the points' knots and at f's own kinks inside the range
        knots = np.unique(np.concatenate([xs, np.array(kinks, dtype=float)]))
        ours = np.interp(knots, xs, vs)
        return bool(np.max(np.abs(ours - np.array([f(x) for x in knots]))) <= 1e-12)

    if np.max(vs) - np.min(vs) <= 1e-15:
        return {"ftype": "constant", "parameter0": _fmt(vs[0])}
    seg = np.argmax(np.abs(np.diff(vs)))
    a = (vs[seg + 1] - vs[seg]) / (xs[seg + 1] - xs[seg])
    b = vs[seg] - a * xs[seg]

    def line(x, a=a, b=b):
        return float(_clip01(a * x + b))

    if same(line, [x for c in (0.0, 1.0) for x in [(c - b) / a] if lo < x < hi]):
        return {"ftype": "linear", "parameter0": repr(float(b)), "parameter1": repr(float(a))}
    k = int(np.argmax(vs))
    if abs(vs[k] - 1.0) <= 1e-12 and 0 < k < len(xs) - 1:
        left = (vs[k] - vs[k - 1]) / (xs[k] - xs[k - 1])
        right = (vs[k + 1] - vs[k]) / (xs[k + 1] - xs[k])
        if left > 0 and right < 0:
            top = float(xs[k])
            lower, upper = float(top - 1.0 / left), float(top - 1.0 / right)

            def tri(x, lower=lower, upper=upper, top=top):
                return _triangle(x, lower, upper, top)

            if same(tri, [x for x in (lower, upper) if lo < x < hi]):
                return {
                    "ftype": "triangular",
                    "parameter0": repr(float(lower)),
                    "parameter1": repr(float(upper)),
                    "parameter2": repr(float(top)),
                }
    return None


def _unsupported(scenario: Scenario) -> list[str]:
    problems = []
    if scenario.constraints:
        problems.append(f"{len(scenario.constraints)} joint constraint(s)")
    if not scenario.agreement.is_unanimity(len(scenario.parties)) or scenario.agreement.veto:
        problems.append("an agreement rule other than unanimity")
    for p in scenario.parties:
        if p.red_lines:
            problems.append(f"red lines of party {p.name!r}")
        if float(p.power) != 1.0:
            problems.append(f"bargaining power {p.power:g} of party {p.name!r}")
    return problems


def _issue_xml(parent, k: int, issue: Issue, ints: list[int] | None, *, domain: bool):
    kind = "real" if issue.is_continuous else "integer" if ints is not None else "discrete"
    el = ET.SubElement(
        parent, "issue", index=str(k + 1), etype=kind, type=kind, vtype=kind, name=issue.display
    )
    if issue.label is not None and domain:
        el.set("identifier", issue.name)
    if ints is not None and kind == "integer":
        el.set("lowerbound", str(ints[0]))
        el.set("upperbound", str(ints[-1]))
    elif issue.range is not None:  # kind == "real"
        lo, hi = issue.range
        ET.SubElement(el, "range", lowerbound=repr(float(lo)), upperbound=repr(float(hi)))
    elif domain:
        for j, lv in enumerate(issue.levels):
            ET.SubElement(el, "item", index=str(j + 1), value=lv, cost="0", description=lv)
    return el


def _write(tree_root, path: Path) -> None:
    ET.indent(tree_root, space="  ")
    path.write_bytes(ET.tostring(tree_root, encoding="utf-8", xml_declaration=True) + b"\n")


def save_genius(scenario: Scenario, folder: str | Path, *, drop_unsupported: bool = False) -> Path:
    """Write a scenario as a GENIUS domain file plus one profile file per party.

    Files: ``<name>_domain.xml`` (with one ``<agent name=.. utility_space=..>`` per party, so
    that the party names come back) and ``<name>_<party>.xml`` per party, in ``folder`` (made if
    needed). Reading the folder with :func:`load_genius` gives the same scenario: equal issues
    and levels, equal normalised weights, values within ``1e-12``, equal reservation values and
    discount factors -- exactly so for a scenario in *GENIUS form* (for every party, each
    weighted discrete issue's best level is valued 1, as GENIUS normalises them), and up to one
    positive factor per party otherwise (preferences and acceptability unchanged).

    How parties are written:

    * weights and values, no bonuses: a linear additive profile. Issues whose levels are
      consecutive integers (``"0", "1", ...``) and valued affinely by every such party become
      integer issues (``offset``/``slope``); continuous issues need values GENIUS's real
      evaluators can express (linear clipped to [0, 1], constant, triangular).
    * points, no bonuses: a linear additive profile of the points rescaled to [0, 1] per issue
      (``u' = (u - sum_i min_i) / sum_i (max_i - min_i)``, reservation alike; a
      :class:`GeniusWarning` says so).
    * with bonuses: a constraint-based (ANAC 2014) profile with ``maxutility="1"``: one
      ``<hyperRectangle>`` per non-zero table entry and per bonus box; every issue involved
      must be an integer issue.

    Parameters
    ----------
    scenario
        The scenario (discrete or continuous issues).
    folder
        Output folder.
    drop_unsupported
        GENIUS has no joint constraints, red lines, quota rules or bargaining powers. By default
        a scenario with any of them is refused (:class:`ScenarioError`); with ``True`` they are
        left out with a :class:`GeniusWarning`.

    Returns
    -------
    Path
        The domain file written.
    """
    folder = Path(folder)
    problems = _unsupported(scenario)
    if problems and not drop_unsupported:
        raise ScenarioError(
            f"GENIUS cannot express {', '.join(problems)}; pass drop_unsupported=True to leave "
            "them out",
            file=str(folder),
        )
    if problems:
        warnings.warn(
            f"scenario {scenario.name!r}: left out of the GENIUS files: {', '.join(problems)}",
            GeniusWarning,
            stacklevel=2,
        )
    ints = _integer_issues(scenario, folder)
    folder.mkdir(parents=True, exist_ok=True)
    base = _slug(scenario.name)
    files = _profile_files(scenario, base)
    domain_path = folder / f"{base}_domain.xml"
    _write(_domain_xml(scenario, files, ints), domain_path)
    for p, (party, file) in enumerate(zip(scenario.parties, files, strict=True)):
        if scenario.bonuses[p]:
            prof = _constraint_xml(scenario, p, ints)
        else:
            prof = _additive_xml(scenario, p, ints)
        ET.SubElement(prof, "discount_factor", value=_fmt(party.discount))
        _write(prof, folder / file)
    return domain_path


def _integer_issues(scenario: Scenario, folder: Path) -> list[list[int] | None]:
    """Per issue, its levels as integers if it is written as a GENIUS integer issue, else None.

    An issue is an integer issue when its levels are consecutive whole numbers valued affinely
    by every additive party; a party with bonus terms (a constraint-based profile) needs every
    issue to be one, else :class:`ScenarioError`.
    """
    parties = scenario.parties
    nonlinear = [bool(scenario.bonuses[p]) for p in range(len(parties))]
    ints: list[list[int] | None] = []
    for i, issue in enumerate(scenario.issues):
        lv = _integer_levels(issue)
        if lv is not None:
            for p in range(len(parties)):
                if nonlinear[p]:
                    continue
                if parties[p].scored_in_points:
                    col = scenario.tables[i][:, p]
                    spread = col.max() - col.min()
                    vals = (col - col.min()) / spread if spread > 0 else np.ones_like(col)
                else:
                    vals = scenario.values(p, i)
                if _affine(vals) is None:
                    lv = None
                    break
        ints.append(lv)
    for p in range(len(parties)):
        if nonlinear[p]:
            bad = [iss.name for iss, lv in zip(scenario.issues, ints, strict=True) if lv is None]
            if bad:
                raise ScenarioError(
                    "a party with bonus terms becomes a GENIUS constraint-based profile, which "
                    f"needs integer issues (consecutive whole-number levels valued affinely by "
                    f"the additive parties); not so for {bad}",
                    party=parties[p].name,
                    file=str(folder),
                )
    return ints


def _profile_files(scenario: Scenario, base: str) -> list[str]:
    """One distinct profile file name per party, ``<base>_<party>.xml``."""
    files: list[str] = []
    taken: set[str] = set()
    for party in scenario.parties:
        stem = f"{base}_{_slug(party.name)}"
        name, k = stem, 2
        while name in taken or name == f"{base}_domain":
            name, k = f"{stem}_{k}", k + 1
        taken.add(name)
        files.append(f"{name}.xml")
    return files


def _domain_xml(scenario: Scenario, files: Sequence[str], ints: list[list[int] | None]):
    """The domain file's tree: one ``<agent>`` per party (named profiles), then the issues."""
    root = ET.Element("negotiation_template")
    for party, file in zip(scenario.parties, files, strict=True):
        ET.SubElement(root, "agent", name=party.name, utility_space=file, attrib={"class": ""})
    space = ET.SubElement(root, "utility_space", number_of_issues=str(len(scenario.issues)))
    objective = ET.SubElement(
        space,
        "objective",
        index="0",
        etype="objective",
        type="objective",
        name=scenario.name,
        description=scenario.description,
    )
    for k, issue in enumerate(scenario.issues):
        _issue_xml(objective, k, issue, ints[k], domain=True)
    return root


def _additive_xml(scenario: Scenario, p: int, ints: list[list[int] | None]):
    party = scenario.parties[p]
    where = {"party": party.name}
    root = ET.Element("utility_space")
    objective = ET.SubElement(
        root,
        "objective",
        index="0",
        etype="objective",
        type="objective",
        name=scenario.name,
        description="",
    )
    # Per issue: the values to write (v in [0, 1]) and the factor m_i GENIUS divides them by.
    weights = scenario.weights[p]
    reservation = float(party.reservation)
    if party.scored_in_points:
        lows = np.array([t[:, p].min() for t in scenario.tables])
        spans = np.array([t[:, p].max() - t[:, p].min() for t in scenario.tables])
        total = spans.sum()
        if total <= 0:  # every outcome scores the same: utility 0, weight on the first issue
            total = 1.0
            spans = np.zeros_like(spans)
            spans[0] = 1.0
        weights = spans / total
        reservation = (reservation - lows.sum()) / total
        warnings.warn(
            f"party {party.name!r} (points) written as a normalised additive profile: "
            f"u' = (u - {lows.sum():g}) / {total:g}",
            GeniusWarning,
            stacklevel=3,
        )
    scale = np.ones(len(scenario.issues))
    issue_values = []
    for i, issue in enumerate(scenario.issues):
        if issue.is_continuous:
            spec = party.values.get(issue.name)
            assert issue.range is not None  # a continuous issue has a range
            pts = (
                scenario._issue_values(issue, spec, party.name)
                if spec is not None
                else np.array([[issue.range[0], 0.0], [issue.range[1], 1.0]])
            )
            issue_values.append(pts)
            continue
        if party.scored_in_points:
            col = scenario.tables[i][:, p]
            spread = col.max() - col.min()
            vals = (col - col.min()) / spread if spread > 0 else np.zeros_like(col)
        else:
            vals = scenario.values(p, i)
        if ints[i] is None and vals.max() > 0:
            scale[i] = vals.max()  # GENIUS divides discrete evaluations by their maximum
        issue_values.append(vals)
    s = float(np.sum(weights * scale))
    for i, issue in enumerate(scenario.issues):
        el = _issue_xml(objective, i, issue, ints[i], domain=False)
        vals = issue_values[i]
        if issue.is_continuous:
            attrs = _fit_real(vals)
            if attrs is None:
                raise ScenarioError(
                    f"piecewise-linear values with {len(vals)} points cannot be written as a "
                    "GENIUS real evaluator (linear clipped to [0, 1], constant, triangular)",
                    issue=issue.name,
                    **where,
                )
            ET.SubElement(el, "evaluator", attrib=attrs)
        elif ints[i] is not None:
            affine = _affine(vals)
            assert affine is not None  # _integer_issues chose integer issues for being affine
            offset, slope = affine
            ET.SubElement(
                el,
                "evaluator",
                ftype="linear",
                offset=repr(float(offset)),
                slope=repr(float(slope)),
            )
        else:
            for j, lv in enumerate(issue.levels):
                ET.SubElement(
                    el,
                    "item",
                    index=str(j + 1),
                    value=lv,
                    evaluation=repr(float(vals[j] / scale[i])),
                )
    for i in range(len(scenario.issues)):
        ET.SubElement(
            objective, "weight", index=str(i + 1), value=repr(float(weights[i] * scale[i] / s))
        )
    ET.SubElement(root, "reservation", value=repr(float(reservation / s)))
    return root


def _intervals(values: Sequence[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for v in sorted(values):
        if out and v == out[-1][1] + 1:
            out[-1] = (out[-1][0], v)
        else:
            out.append((v, v))
    return out


def _constraint_xml(scenario: Scenario, p: int, ints: list[list[int] | None]):
    from itertools import product

    # a party with bonus terms needs every issue to be an integer issue (_integer_issues)
    whole = cast(list[list[int]], ints)
    party = scenario.parties[p]
    root = ET.Element("utility_space", type="nonlinear")
    objective = ET.SubElement(
        root,
        "objective",
        index="0",
        etype="objective",
        type="objective",
        name=scenario.name,
        description="",
    )
    for i, issue in enumerate(scenario.issues):
        _issue_xml(objective, i, issue, ints[i], domain=False)
    utility = ET.SubElement(objective, "utility", maxutility="1")
    ufun = ET.SubElement(utility, "ufun", type="PlainUfun", weight="1", aggregation="sum")
    bound_high = 0.0
    for i, table in enumerate(scenario.tables):
        col = table[:, p]
        bound_high += max(0.0, float(col.max()))
        for j, value in enumerate(col):
            if value != 0:
                rect = ET.SubElement(ufun, "hyperRectangle", utility=repr(float(value)))
                v = str(whole[i][j])
                ET.SubElement(rect, "INCLUDES", index=str(i + 1), min=v, max=v)
    for bonus in scenario.bonuses[p]:
        bound_high += max(0.0, bonus.value)
        per_issue = [
            [(i, lo, hi) for lo, hi in _intervals([whole[i][j] for j in levels])]
            for i, levels in bonus.clause.terms
        ]
        for combo in product(*per_issue):  # disjoint boxes whose union is the clause
            rect = ET.SubElement(ufun, "hyperRectangle", utility=repr(float(bonus.value)))
            for i, lo, hi in combo:
                ET.SubElement(rect, "INCLUDES", index=str(i + 1), min=str(lo), max=str(hi))
    if bound_high > 1 + 1e-12:
        warnings.warn(
            f"party {party.name!r}: its terms can add up to more than 1 (up to {bound_high:.6g}); "
            "GENIUS caps a constraint-based utility at 1 (maxutility='1'), this package does not",
            GeniusWarning,
            stacklevel=3,
        )
    ET.SubElement(root, "reservation", value=repr(float(party.reservation)))
    return root


def write_genius_folder(scenario: Scenario, folder: Path, *, overwrite: bool = False) -> Path:
    """:func:`save_genius` into ``folder``, refusing a folder that already holds files.

    The writer behind ``save_scenario(scenario, folder, format="genius")``: a user's files are
    never replaced unless ``overwrite=True``. Returns the domain file written.
    """
    folder = Path(folder)
    if folder.exists() and not overwrite:
        if not folder.is_dir():
            raise ScenarioError("exists and is not a folder; not replaced", file=str(folder))
        if any(folder.iterdir()):
            raise ScenarioError(
                "the folder already holds files; write to a new folder, or pass overwrite=True",
                file=str(folder),
            )
    return save_genius(scenario, folder)
