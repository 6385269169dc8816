"""GENIUS profiles (root ``<utility_space>``): linear additive and constraint-based (ANAC 2014).

Each profile becomes the keyword arguments of a :class:`~negotiation.model.party.Party`; the
mapping is in :mod:`negotiation.io.genius`'s docstring.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from negotiation.errors import ScenarioError
from negotiation.io.genius.domain import _Domain, _GIssue
from negotiation.io.genius.xml import _clip01, _integer, _number, _warn

#: Weights are always normalised; a sum further than this from 1 is also reported (a warning).
_WEIGHT_SUM_WARN = 1e-3

#: Below this maximum evaluation GENIUS treats a discrete issue as worth 0 (EvaluatorDiscrete).
_GENIUS_EVAL_FLOOR = 1e-5


# -- profiles --------------------------------------------------------------------------------
def _profile_issues(root, path: Path, domain: _Domain) -> dict[int, object]:
    by_index = {gi.index: gi for gi in domain.issues}
    out: dict[int, object] = {}
    for el in root.iter("issue"):
        label = (el.get("name") or "").strip()
        index = _integer(el, "index", path, f"issue {label!r}")
        if index in out:
            raise ScenarioError(f"issue #{index} {label!r} appears twice", file=str(path))
        gi = by_index.get(index)
        if gi is None:
            raise ScenarioError(
                f"unknown issue #{index} {label!r}: the domain {domain.path.name} has issues "
                f"{[f'#{g.index} {g.label}' for g in domain.issues]}",
                file=str(path),
            )
        if label and label != gi.label:
            raise ScenarioError(
                f"issue #{index} is named {label!r} here but {gi.label!r} in the domain "
                f"{domain.path.name} (GENIUS would silently match by number; fix the file or "
                "leave it out)",
                file=str(path),
            )
        out[index] = el
    return out


def _discount_and_reservation(root, path: Path) -> tuple[float, float]:
    res_el = root.find("reservation")
    reservation = (
        _number(res_el, "value", path, "<reservation>", default=0.0) if res_el is not None else 0.0
    )
    disc_el = root.find("discount_factor")
    discount = 1.0
    if disc_el is not None:
        raw = _number(disc_el, "value", path, "<discount_factor>", default=1.0)
        if raw < 0 or raw > 1:
            _warn(
                f"{path}: discount factor {raw:g} is outside [0, 1]; read as 1 (no discount), as GENIUS does"
            )
        discount = raw if 0 < raw <= 1 else 1.0
    return reservation, discount


def _discrete_values(gi: _GIssue, el, path: Path) -> dict[str, float]:
    evals: dict[str, float] = {}
    known = set(gi.levels)
    for item in el.findall("item"):
        value = item.get("value")
        raw = item.get("evaluation")
        if raw is None or raw.strip() in ("", "null"):
            continue
        if value not in known:
            raise ScenarioError(
                f"{gi.where}: unknown value {value!r} (the domain's values are {list(gi.levels)})",
                file=str(path),
            )
        e = _number(item, "evaluation", path, f"{gi.where}, value {value!r}")
        if e < 0:
            raise ScenarioError(
                f"{gi.where}, value {value!r}: evaluation {e:g} is negative", file=str(path)
            )
        if value in evals:
            _warn(
                f"{path}: {gi.where}: value {value!r} is evaluated twice; the last ({e:g}) counts, as in GENIUS"
            )
        evals[value] = e
    missing = [lv for lv in gi.levels if lv not in evals]
    if missing:
        raise ScenarioError(f"{gi.where}: no evaluation for values {missing}", file=str(path))
    top = max(evals.values())
    if top < _GENIUS_EVAL_FLOOR:
        return {lv: 0.0 for lv in gi.levels}
    return {lv: evals[lv] / top for lv in gi.levels}


def _integer_values(gi: _GIssue, el, path: Path) -> dict[str, float]:
    ev = el.find("evaluator")
    x = np.arange(int(gi.low), int(gi.high) + 1, dtype=float)
    if ev is None:
        _warn(f"{path}: {gi.where}: no <evaluator>; every value evaluates to 0, as in GENIUS")
        u = np.zeros_like(x)
    elif ev.get("slope") is not None or ev.get("offset") is not None:
        holder = el if el.get("lowerbound") is not None else el.find("range")
        low = _integer(holder, "lowerbound", path, gi.where) if holder is not None else int(gi.low)
        slope = _number(ev, "slope", path, gi.where, default=0.0)
        offset = _number(ev, "offset", path, gi.where, default=0.0)
        u = _clip01(offset + slope * (x - low))
    else:
        ftype = (ev.get("ftype") or "").lower()
        if ftype == "linear":  # the older GENIUS form: p1 * x + p0 on the value itself
            p0 = _number(ev, "parameter0", path, gi.where, default=0.0)
            p1 = _number(ev, "parameter1", path, gi.where)
            u = _clip01(p1 * x + p0)
        elif ftype == "constant":
            p0 = _number(ev, "parameter0", path, gi.where)
            if not 0 <= p0 <= 1:
                raise ScenarioError(
                    f"{gi.where}: constant evaluation {p0:g} is outside [0, 1]", file=str(path)
                )
            u = np.full_like(x, p0)
        else:
            raise ScenarioError(
                f"{gi.where}: unsupported integer evaluator ftype={ftype!r}", file=str(path)
            )
    return {lv: float(v) for lv, v in zip(gi.levels, u, strict=True)}


def _linear_points(a: float, b: float, lo: float, hi: float) -> tuple[tuple[float, float], ...]:
    """Breakpoints of ``clip(a x + b)`` on ``[lo, hi]`` (the kinks where it meets 0 or 1)."""
    xs = {lo, hi}
    if a != 0:
        for c in (0.0, 1.0):
            x = (c - b) / a
            if lo < x < hi:
                xs.add(x)
    return tuple((x, float(_clip01(a * x + b))) for x in sorted(xs))


def _triangle(x: float, lower: float, upper: float, top: float) -> float:
    if x < lower:
        return 0.0
    if x < top:
        return (x - lower) / (top - lower)
    if x < upper:
        return 1.0 - (x - top) / (upper - top)
    return 0.0


def _real_values(gi: _GIssue, el, path: Path) -> tuple[tuple[float, float], ...]:
    ev = el.find("evaluator")
    lo, hi = gi.low, gi.high
    if ev is None:
        raise ScenarioError(f"{gi.where}: real issue has no <evaluator>", file=str(path))
    ftype = (ev.get("ftype") or "").lower()
    if ftype == "linear":
        p0 = _number(ev, "parameter0", path, gi.where, default=0.0)
        p1 = _number(ev, "parameter1", path, gi.where)
        return _linear_points(p1, p0, lo, hi)
    if ftype == "constant":
        p0 = _number(ev, "parameter0", path, gi.where)
        if not 0 <= p0 <= 1:
            raise ScenarioError(
                f"{gi.where}: constant evaluation {p0:g} is outside [0, 1]", file=str(path)
            )
        return ((lo, p0), (hi, p0))
    if ftype == "triangular":
        lower = _number(ev, "parameter0", path, gi.where)
        upper = _number(ev, "parameter1", path, gi.where)
        top = _number(ev, "parameter2", path, gi.where)
        if not lower < top < upper:
            raise ScenarioError(
                f"{gi.where}: triangular evaluator needs lower < top < upper, got "
                f"({lower:g}, {top:g}, {upper:g})",
                file=str(path),
            )
        xs = sorted({lo, hi} | {x for x in (lower, top, upper) if lo < x < hi})
        return tuple((x, _triangle(x, lower, upper, top)) for x in xs)
    raise ScenarioError(
        f"{gi.where}: unsupported real evaluator ftype={ftype!r} (linear, constant, triangular)",
        file=str(path),
    )


def _additive_profile(root, path: Path, domain: _Domain) -> dict:
    reservation, discount = _discount_and_reservation(root, path)
    pissues = _profile_issues(root, path, domain)
    by_index = {gi.index: gi for gi in domain.issues}
    raw: dict[int, float] = {}
    for w in root.iter("weight"):
        index = _integer(w, "index", path, "<weight>")
        value = _number(w, "value", path, f"weight of #{index}")
        if index not in by_index:
            if index in domain.objective_indices:
                continue  # GENIUS ignores the weights of objectives (inner tree nodes)
            raise ScenarioError(
                f"a <weight> refers to issue #{index}, which the domain {domain.path.name} does "
                f"not have (its issues are #{sorted(by_index)})",
                file=str(path),
            )
        if index in raw:
            raise ScenarioError(f"issue #{index} has two <weight> elements", file=str(path))
        if value < 0:
            raise ScenarioError(
                f"{by_index[index].where}: weight {value:g} is negative", file=str(path)
            )
        raw[index] = value
    missing = [gi.where for gi in domain.issues if gi.index not in raw]
    if missing:
        raise ScenarioError(f"no <weight> for {', '.join(missing)}", file=str(path))
    total = sum(raw.values())
    if abs(total - 1.0) <= 1e-12:
        total = 1.0  # a float sum of weights meant to be 1
    if total <= 0:
        raise ScenarioError("the weights are all zero", file=str(path))
    if abs(total - 1.0) > _WEIGHT_SUM_WARN:
        _warn(
            f"{path}: weights sum to {total:.6g}, not 1; normalised, and the reservation value "
            f"{reservation:g} rescaled to {reservation / total:.6g} so that acceptability is as in "
            "GENIUS"
            + (
                "; GENIUS also caps utility at 1, which ties outcomes above 1/sum there"
                if total > 1
                else ""
            )
        )
    weights: dict[str, float] = {}
    values: dict[str, dict[str, float] | tuple[tuple[float, float], ...]] = {}
    for gi in domain.issues:
        el = pissues.get(gi.index)
        if el is None:
            raise ScenarioError(
                f"{gi.where} has a weight but no <issue> evaluation", file=str(path)
            )
        weights[gi.name] = raw[gi.index] / total
        if gi.kind == "discrete":
            values[gi.name] = _discrete_values(gi, el, path)
        elif gi.kind == "integer":
            values[gi.name] = _integer_values(gi, el, path)
        else:
            values[gi.name] = _real_values(gi, el, path)
    return {
        "weights": weights,
        "values": values,
        "reservation": reservation / total,
        "discount": discount,
    }


def _constraint_profile(root, path: Path, domain: _Domain, utility) -> dict:
    reservation, discount = _discount_and_reservation(root, path)
    _profile_issues(root, path, domain)
    by_index = {gi.index: gi for gi in domain.issues}
    top_value = _number(utility, "maxutility", path, "<utility>")
    if top_value <= 0:
        raise ScenarioError(f"<utility maxutility={top_value:g}> must be positive", file=str(path))
    ufun = utility.find("ufun")
    if ufun is None:
        raise ScenarioError("<utility> has no <ufun>", file=str(path))
    discrete = [gi for gi in domain.issues if gi.kind != "real"]
    if not discrete:
        raise ScenarioError("a constraint-based profile needs integer issues", file=str(path))
    always = {discrete[0].name: discrete[0].levels}
    bonuses: list[tuple[dict, float]] = []
    constant = 0.0
    n_never = 0

    def box(bounds, where: str) -> dict | None:
        clause: dict[str, set[int]] = {}
        for b in bounds:
            index = _integer(b, "index", path, where)
            gi = by_index.get(index)
            if gi is None:
                raise ScenarioError(
                    f"{where}: bound on issue #{index}, which the domain does not have",
                    file=str(path),
                )
            if gi.kind != "integer":
                raise ScenarioError(
                    f"{where}: bound on {gi.where}, a {gi.kind} issue; constraints need integer issues",
                    file=str(path),
                )
            lo = max(_integer(b, "min", path, where), int(gi.low))
            hi = min(_integer(b, "max", path, where), int(gi.high))
            values = set(range(lo, hi + 1))
            clause[gi.name] = clause[gi.name] & values if gi.name in clause else values
        if any(not v for v in clause.values()):
            return None  # an empty bound: the box holds no outcome
        return {name: tuple(str(v) for v in sorted(vals)) for name, vals in clause.items()}

    def walk(node, factor: float, depth: str) -> None:
        nonlocal constant, n_never
        aggregation = (node.get("aggregation") or "sum").strip().lower()
        if aggregation != "sum":
            raise ScenarioError(
                f"{depth}: aggregation {aggregation!r} cannot be written as additive bonus terms "
                "(only 'sum' can)",
                file=str(path),
            )
        for k, child in enumerate(node):
            where = f"{depth}/{child.tag}[{k + 1}]"
            if child.tag == "hyperRectangle":
                value = (
                    _number(child, "utility", path, where)
                    * _number(child, "weight", path, where, default=1.0)
                    * factor
                    / top_value
                )
                inc, exc = child.findall("INCLUDES"), child.findall("EXCLUDES")
                if inc and exc:
                    raise ScenarioError(
                        f"{where}: mixes INCLUDES and EXCLUDES bounds", file=str(path)
                    )
                if value == 0:
                    continue
                if not inc and not exc:
                    constant += value  # GENIUS: a rectangle without bounds covers every outcome
                elif inc:
                    clause = box(inc, where)
                    if clause is None:
                        n_never += 1
                    else:
                        bonuses.append((clause, value))
                else:  # EXCLUDES: the value counts outside the box: c - c [x in box]
                    constant += value
                    clause = box(exc, where)
                    if clause is not None:
                        bonuses.append((clause, -value))
            elif child.tag == "ufun":
                walk(child, factor * _number(child, "weight", path, where, default=1.0), where)
            else:
                raise ScenarioError(
                    f"{where}: unsupported element <{child.tag}> in a <ufun>", file=str(path)
                )

    walk(ufun, 1.0, "utility/ufun")
    if n_never:
        _warn(f"{path}: {n_never} constraint(s) bound an issue outside its range and never hold")
    if constant != 0:
        bonuses.insert(0, (always, constant))
    return {
        "points": {discrete[0].name: {lv: 0.0 for lv in discrete[0].levels}},
        "bonuses": tuple(bonuses),
        "reservation": reservation,
        "discount": discount,
    }


def _read_profile(root, path: Path, domain: _Domain) -> dict:
    if root.tag != "utility_space":
        raise ScenarioError(
            f"root element is <{root.tag}>, not <utility_space>: not a GENIUS profile",
            file=str(path),
        )
    utility = next(root.iter("utility"), None)
    if utility is not None:
        try:
            return _constraint_profile(root, path, domain, utility)
        except RecursionError:
            raise ScenarioError(
                "<ufun> elements nested too deeply (thousands of levels) to read", file=str(path)
            ) from None
    if next(root.iter("weight"), None) is not None:
        return _additive_profile(root, path, domain)
    raise ScenarioError(
        "the profile has neither <weight> elements (a linear additive profile) nor a <utility> "
        "element (a constraint-based profile)",
        file=str(path),
    )
