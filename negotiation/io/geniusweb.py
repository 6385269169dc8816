"""Read GeniusWeb JSON profiles (linear additive).

GeniusWeb (the successor of GENIUS, used by ANAC since 2020) writes a *domain* as JSON
``{"name": .., "issuesValues": {issue: {"values": [..]}}}`` and each party's *profile* as
``{"LinearAdditiveUtilitySpace": {"issueWeights": {issue: w}, "issueUtilities": {issue: ..},
"domain": {..}, "name": .., "reservationBid": {"issuevalues": {..}} | null}}``. An issue's
utilities are either ``{"DiscreteValueSetUtilities": {"valueUtilities": {value: u}}}`` or
``{"NumberValueSetUtilities": {"lowValue", "lowUtility", "highValue", "highUtility"}}``
(older files: ``discreteutils`` / ``numberutils``). GeniusWeb requires weights summing to 1 and
utilities in [0, 1], so they are taken as they are:

* discrete values keep their names as level names; issue names become identifiers
  (:func:`negotiation.io.genius.issue_identifier`) with the original as the label;
* a number issue ``{"range": {"low", "high", "step"}}`` becomes a discrete issue with one level
  per step, valued by linear interpolation between ``(lowValue, lowUtility)`` and
  ``(highValue, highUtility)`` (0 outside, as GeniusWeb's ``NumberValueSetUtilities``);
* the reservation value is the utility of the ``reservationBid`` (0 when there is none).

Only linear additive profiles are read; other profile types (partial orderings,
sum-of-groups) are refused with a :class:`ScenarioError`. JSON is data: nothing is executed.

References
----------
.. [GeniusWeb] Pasman, GeniusWeb (software); profile and domain JSON formats.
   Full entry: docs/references.md.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path

from negotiation.errors import ScenarioError
from negotiation.io.genius.names import _natural_key, issue_identifier
from negotiation.io.genius.xml import MAX_FILE_BYTES, MAX_INTEGER_LEVELS
from negotiation.io.reading import read_bounded
from negotiation.model.checks import bad_character
from negotiation.model.issues import Issue
from negotiation.model.loader import short_repr
from negotiation.model.party import Party
from negotiation.model.scenario import Scenario

__all__ = ["load_geniusweb"]

_DISCRETE_KEYS = ("DiscreteValueSetUtilities", "discreteutils")
_NUMBER_KEYS = ("NumberValueSetUtilities", "numberutils")


def _read_json(path: Path) -> object:
    try:
        text = read_bounded(path, MAX_FILE_BYTES).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ScenarioError("is not UTF-8 text", file=str(path)) from None
    try:
        return json.loads(text, parse_float=Decimal, parse_int=Decimal)
    except RecursionError:
        raise ScenarioError(
            "JSON nested too deeply (arrays or objects inside each other thousands of times)",
            file=str(path),
        ) from None
    except json.JSONDecodeError as err:
        raise ScenarioError(
            f"malformed JSON at line {err.lineno}, column {err.colno}: {err.msg}", file=str(path)
        ) from None


#: Largest decimal exponent (in magnitude) of a number read: beyond it a number is outside the
#: range of a 64-bit float (about 1e-308 to 1e308), and decimal arithmetic on it would overflow.
_MAX_EXPONENT = 300


def _number(x: object, what: str, path: Path) -> Decimal:
    """A finite JSON number as a :class:`~decimal.Decimal` (booleans and strings refused).

    Numbers are parsed as decimals, so a literal like ``1E-999999999`` is exact here; it is
    refused (rather than rounded to 0 or raising :class:`decimal.Overflow` later) when its
    exponent is beyond :data:`_MAX_EXPONENT`.
    """
    if isinstance(x, bool) or not isinstance(x, (Decimal, int, float)):
        raise ScenarioError(f"{what} is not a number: {short_repr(x)}", file=str(path))
    try:
        value = x if isinstance(x, Decimal) else Decimal(str(x))
    except InvalidOperation:
        raise ScenarioError(f"{what} is not a number: {short_repr(x)}", file=str(path)) from None
    if not value.is_finite():
        raise ScenarioError(f"{what} is not finite: {short_repr(x)}", file=str(path))
    if value and abs(value.adjusted()) > _MAX_EXPONENT:
        raise ScenarioError(
            f"{what}: {short_repr(x)} is outside the range this tool computes with "
            f"(1e-{_MAX_EXPONENT} to 1e{_MAX_EXPONENT} in magnitude)",
            file=str(path),
        )
    return value


def _name(x: object, what: str, path: Path) -> str:
    """A name or value label from the file: a string (a number is written as it reads) of
    printable characters."""
    if isinstance(x, Decimal):
        return str(x)
    if not isinstance(x, str):
        raise ScenarioError(f"{what} must be a string, got {short_repr(x)}", file=str(path))
    bad = bad_character(x)
    if bad is not None:
        raise ScenarioError(
            f"{what} {x!r} contains the non-printable character {bad}", file=str(path)
        )
    return x


def _level_name(x: Decimal) -> str:
    text = format(x.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _domain_issues(
    domain: object, path: Path
) -> list[tuple[str, tuple[str, ...], list[Decimal] | None]]:
    """``(GeniusWeb name, level names, numbers or None)`` per issue, in file order."""
    values = domain.get("issuesValues") if isinstance(domain, Mapping) else None
    if not isinstance(values, Mapping) or not values:
        raise ScenarioError("the domain has no 'issuesValues'", file=str(path))
    out: list[tuple[str, tuple[str, ...], list[Decimal] | None]] = []
    for name, spec in values.items():
        where = f"issue {name!r}"
        _name(name, "issue name", path)
        if isinstance(spec, Mapping) and "values" in spec:
            levels = spec["values"]
            if not isinstance(levels, list) or not levels:
                raise ScenarioError(f"{where}: 'values' must be a non-empty list", file=str(path))
            if len(levels) > MAX_INTEGER_LEVELS:
                raise ScenarioError(
                    f"{where}: {len(levels)} values, more than {MAX_INTEGER_LEVELS}",
                    file=str(path),
                )
            names = tuple(_name(v, f"{where}: value", path) for v in levels)
            if len(set(names)) != len(names):
                raise ScenarioError(f"{where}: a value is listed twice", file=str(path))
            out.append((str(name), names, None))
        elif isinstance(spec, Mapping) and "range" in spec:
            rng = spec["range"]
            if isinstance(rng, Mapping):
                low, high, step = rng.get("low"), rng.get("high"), rng.get("step")
            elif isinstance(rng, list) and len(rng) == 3:
                low, high, step = rng
            else:
                raise ScenarioError(f"{where}: range must be {{low, high, step}}", file=str(path))
            low = _number(low, f"{where}: low", path)
            high = _number(high, f"{where}: high", path)
            step = _number(step, f"{where}: step", path)
            if step <= 0 or high < low:
                raise ScenarioError(
                    f"{where}: range needs low <= high and step > 0", file=str(path)
                )
            count = int((high - low) / step) + 1
            if count > MAX_INTEGER_LEVELS:
                raise ScenarioError(
                    f"{where}: {count} values, more than {MAX_INTEGER_LEVELS}", file=str(path)
                )
            numbers = [low + k * step for k in range(count)]
            out.append((str(name), tuple(_level_name(x) for x in numbers), numbers))
        else:
            raise ScenarioError(f"{where}: needs 'values' or 'range'", file=str(path))
    return out


def _profile(data: object, path: Path) -> Mapping:
    if not isinstance(data, Mapping) or len(data) != 1:
        raise ScenarioError("not a GeniusWeb profile (one top-level key expected)", file=str(path))
    ((kind, body),) = data.items()
    if kind != "LinearAdditiveUtilitySpace":
        raise ScenarioError(
            f"profile type {kind!r} is not supported (only LinearAdditiveUtilitySpace)",
            file=str(path),
        )
    if not isinstance(body, Mapping):
        raise ScenarioError("LinearAdditiveUtilitySpace must be an object", file=str(path))
    return body


def _party(body: Mapping, path: Path, issues, names: dict[str, str], name: str) -> Party:
    weights_raw = body.get("issueWeights")
    utils = body.get("issueUtilities")
    if not isinstance(weights_raw, Mapping) or not isinstance(utils, Mapping):
        raise ScenarioError("needs 'issueWeights' and 'issueUtilities'", file=str(path))
    known = [gw for gw, _, _ in issues]
    for key in list(weights_raw) + list(utils):
        if key not in names:
            raise ScenarioError(
                f"unknown issue {key!r} (the domain's issues are {known})", file=str(path)
            )
    weights, values = {}, {}
    tables = {}
    for gw, levels, numbers in issues:
        where = f"issue {gw!r}"
        if gw not in weights_raw:
            raise ScenarioError(f"no weight for {where}", file=str(path))
        w = _number(weights_raw[gw], f"{where}: weight", path)
        if w < 0:
            raise ScenarioError(f"{where}: weight {w} is negative", file=str(path))
        weights[names[gw]] = float(w)
        spec = utils.get(gw)
        if not isinstance(spec, Mapping) or len(spec) != 1:
            raise ScenarioError(f"no utilities for {where}", file=str(path))
        ((kind, inner),) = spec.items()
        if kind in _DISCRETE_KEYS:
            vu = inner.get("valueUtilities") if isinstance(inner, Mapping) else None
            if not isinstance(vu, Mapping):
                raise ScenarioError(f"{where}: needs 'valueUtilities'", file=str(path))
            level_set = set(levels)
            for v in vu:
                if v not in level_set:
                    raise ScenarioError(f"{where}: unknown value {v!r}", file=str(path))
            # GeniusWeb: a value without a utility is worth 0.
            table = {
                lv: float(_number(vu.get(lv, 0), f"{where}, value {lv!r}", path)) for lv in levels
            }
        elif kind in _NUMBER_KEYS:
            if not isinstance(inner, Mapping):
                raise ScenarioError(f"{where}: {kind} must be an object", file=str(path))
            if numbers is None:
                raise ScenarioError(
                    f"{where}: number utilities for a discrete issue", file=str(path)
                )
            lo_v, lo_u = (
                _number(inner.get(k), f"{where}: {k}", path) for k in ("lowValue", "lowUtility")
            )
            hi_v, hi_u = (
                _number(inner.get(k), f"{where}: {k}", path) for k in ("highValue", "highUtility")
            )
            if hi_v <= lo_v:
                raise ScenarioError(f"{where}: highValue must exceed lowValue", file=str(path))
            table = {}
            for lv, x in zip(levels, numbers, strict=True):
                u = (
                    Decimal(0)
                    if x < lo_v or x > hi_v
                    else lo_u + (hi_u - lo_u) * (x - lo_v) / (hi_v - lo_v)
                )
                table[lv] = float(u)
        else:
            raise ScenarioError(f"{where}: unsupported utilities {kind!r}", file=str(path))
        for lv, u in table.items():
            if not 0.0 <= u <= 1.0:
                raise ScenarioError(
                    f"{where}, value {lv!r}: utility {u:g} is outside [0, 1]", file=str(path)
                )
        values[names[gw]] = table
        tables[gw] = table
    total = sum(weights.values())
    if total <= 0:
        raise ScenarioError("the weights are all zero", file=str(path))
    reservation = 0.0
    bid = body.get("reservationBid")
    if isinstance(bid, Mapping):
        chosen = bid.get("issuevalues", bid)
        if not isinstance(chosen, Mapping):
            raise ScenarioError("reservationBid must map issues to values", file=str(path))
        for gw, _, numbers in issues:
            if gw not in chosen:
                continue  # GeniusWeb: an issue missing from a bid contributes 0
            v = chosen[gw]
            lv = (
                _level_name(_number(v, f"reservationBid {gw!r}", path))
                if numbers is not None
                else str(v)
            )
            if lv not in tables[gw]:
                raise ScenarioError(
                    f"reservationBid: unknown value {v!r} for issue {gw!r}", file=str(path)
                )
            reservation += weights[names[gw]] / total * tables[gw][lv]
    return Party(name=name, weights=weights, values=values, reservation=reservation)


def load_geniusweb(
    path: str | Path,
    *,
    profiles: Sequence[str | Path] | None = None,
    names: Sequence[str] | None = None,
) -> Scenario:
    """Read GeniusWeb JSON profiles (and their domain) into a :class:`Scenario`.

    Parameters
    ----------
    path
        A folder holding the profile files (and optionally the domain file), or one profile.
    profiles
        Profile files to use (default: every ``.json`` file whose top key is a profile type, in
        natural file-name order).
    names
        Party names (default: each profile's ``name``, else its file name).

    Returns
    -------
    Scenario
        Discrete issues (number ranges as one level per step), one weights-and-values party per
        profile; reservation values are the utilities of the reservation bids.

    Raises
    ------
    ScenarioError
        Malformed JSON (with line and column), an unsupported profile type, a profile whose
        issues or values are not the domain's, weights or utilities out of range.

    Examples
    --------
    >>> import json, tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> domain = {"name": "d", "issuesValues": {"Colour": {"values": ["red", "blue"]}}}
    >>> for who, red in (("A", 1), ("B", 0)):
    ...     body = {"issueWeights": {"Colour": 1}, "domain": domain, "name": who,
    ...             "issueUtilities": {"Colour": {"DiscreteValueSetUtilities":
    ...                 {"valueUtilities": {"red": red, "blue": 1 - red}}}}}
    ...     _ = (folder / f"{who}.json").write_text(json.dumps({"LinearAdditiveUtilitySpace": body}))
    >>> s = load_geniusweb(folder)
    >>> s.party_names, s.issues[0].name, s.issues[0].levels
    (('A', 'B'), 'colour', ('red', 'blue'))
    """
    path = Path(path)
    try:
        return _load_geniusweb(path, profiles, names)
    except RecursionError:
        raise ScenarioError("nested too deeply to read", file=str(path)) from None
    except ScenarioError as err:
        raise err.in_file(str(path)) from None


def _load_geniusweb(
    path: Path, profiles: Sequence[str | Path] | None, names: Sequence[str] | None
) -> Scenario:

    if not path.exists():
        raise ScenarioError("no such file or folder", file=str(path))
    folder = path if path.is_dir() else path.parent
    if profiles is not None:
        files = [Path(p) if Path(p).is_absolute() else folder / p for p in profiles]
        for f in files:
            if not f.is_file():
                raise ScenarioError(f"missing profile file {f.name!r}", file=str(folder))
    elif path.is_file():
        files = [path]
    else:
        files = sorted(
            (p for p in folder.iterdir() if p.suffix.lower() == ".json"), key=_natural_key
        )
    domain: object = None
    domain_file = path  # replaced below by the file the domain is read from
    bodies: list[tuple[Path, Mapping]] = []
    for f in files:
        data = _read_json(f)
        if isinstance(data, Mapping) and "issuesValues" in data:
            domain, domain_file = data, f
            continue
        bodies.append((f, _profile(data, f)))
    if domain is None and path.is_dir() and profiles is not None:
        for f in sorted(folder.glob("*.json"), key=_natural_key):
            data = _read_json(f)
            if isinstance(data, Mapping) and "issuesValues" in data:
                domain, domain_file = data, f
                break
    if not bodies:
        raise ScenarioError(
            "no GeniusWeb profile (LinearAdditiveUtilitySpace) files", file=str(path)
        )
    if domain is None:
        domain_file, domain = bodies[0][0], bodies[0][1].get("domain")
    issues = _domain_issues(domain, domain_file)
    taken: set[str] = set()
    ident: dict[str, str] = {}
    for k, (gw, _, _) in enumerate(issues):
        ident[gw] = issue_identifier(gw, taken, fallback=f"issue_{k + 1}")
        taken.add(ident[gw])
    for f, body in bodies:
        embedded = body.get("domain")
        if embedded is not None and _domain_issues(embedded, f) != issues:
            raise ScenarioError(
                f"the profile's domain differs from the domain in {domain_file.name}", file=str(f)
            )
    if names is not None and len(names) != len(bodies):
        raise ScenarioError(f"{len(names)} party names for {len(bodies)} profiles", file=str(path))
    party_names = (
        list(names)
        if names is not None
        else [_name(b.get("name") or f.stem, "profile name", f) for f, b in bodies]
    )
    if len(set(party_names)) != len(party_names):
        party_names = [f.stem for f, _ in bodies]
    parties = tuple(
        _party(body, f, issues, ident, name)
        for (f, body), name in zip(bodies, party_names, strict=True)
    )
    title = str(domain.get("name") or folder.name) if isinstance(domain, Mapping) else folder.name
    return Scenario(
        name=title,
        issues=tuple(
            Issue(ident[gw], levels, label=None if ident[gw] == gw else gw)
            for gw, levels, _ in issues
        ),
        parties=parties,
        description=f"GeniusWeb domain {title!r} with the profiles "
        + ", ".join(f"{f.name} ({n})" for (f, _), n in zip(bodies, party_names, strict=True)),
        sources=tuple(str(f) for f, _ in bodies),
        file=str(domain_file),
    )
