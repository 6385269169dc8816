"""Read and write GENIUS negotiation domains (XML).

GENIUS (Lin, Kraus, Baarslag, Tykhonov, Hindriks & Jonker 2014) is the Java environment of the
Automated Negotiating Agents Competition (ANAC). A GENIUS *domain* is an XML file whose root is
``<negotiation_template>``: its ``<utility_space>`` holds an ``<objective>`` tree of
``<issue>`` elements, each *discrete* (``<item value="..."/>`` children), *integer*
(``lowerbound``/``upperbound``) or *real* (a ``<range>`` child). Each party's preferences are a
*profile* (root ``<utility_space>``) next to it: either **linear additive** (``<weight>`` per issue
and an evaluation per value), or, in ANAC 2014, **constraint-based** (``<utility>`` with
``<hyperRectangle>`` constraints). This module maps both onto a
:class:`~negotiation.model.scenario.Scenario`, and writes a scenario back.

The mapping (it reproduces GENIUS's own evaluators; ``clip(x) = min(1, max(0, x))``):

========================  =======================================================================
GENIUS                    here
========================  =======================================================================
discrete issue            discrete issue; the value labels are the level names
integer issue ``[a, b]``  discrete issue with levels ``"a", ..., "b"``
real issue ``[a, b]``     continuous issue (``range``)
issue name                ``label``; the issue ``name`` is an identifier made from it
                          (:func:`issue_identifier`)
discrete evaluation       ``v(x) = e(x) / max_y e(y)`` (0 if that max is below ``1e-5``)
integer evaluator         ``v(x) = clip(offset + slope * (x - lowerbound))``
real evaluator            piecewise-linear points: ``clip(p1 * x + p0)`` (linear), ``p0``
                          (constant), the triangle ``(p0, p1, top p2)`` (triangular)
weights ``w_i``           normalised, ``w_i / s`` with ``s = sum_i w_i``
reservation ``r``         ``r / s``, so that an outcome is acceptable exactly when GENIUS's
                          ``sum_i w_i v_i(x) >= r`` (a :class:`GeniusWarning` when ``s != 1``)
discount factor ``d``     ``d``, read as GENIUS does: ``d <= 0`` or ``d > 1`` means 1 (none)
constraint profile        a points-scored party with no points and one bonus per constraint:
                          ``u(x) = sum_k c_k [x in R_k] / maxutility``
========================  =======================================================================

A constraint (``<hyperRectangle utility="c">``) adds ``c`` (times its ``weight``) when every
``<INCLUDES index min max>`` bound holds, or, with ``<EXCLUDES>`` bounds, when some bound fails
(``c - c [x in box]``: two bonuses); GENIUS divides the sum by ``maxutility`` and caps it at 1,
so the two agree wherever the sum is at most ``maxutility`` (the competition files give the true
maximum there). Nested ``<ufun>`` elements multiply their ``weight``; an aggregation other than
``sum`` cannot be written as bonuses and is refused with a :class:`ScenarioError`.

Which files belong together: a folder holds one domain file (root ``<negotiation_template>``) and
the profile files (root ``<utility_space>``) of its parties; other XML roots (tournament logs)
and files that are not XML at all (the ANAC 2014 ``pareto.xml`` tables) are ignored. When the
domain names its parties (``<agent name=".." utility_space="file.xml"/>``) and those files are
there, they are the parties, in that order and with those names; otherwise every profile in the
folder is a party, in natural file-name order (``util2`` before ``util10``), named from its file
name (``Acquisition-A-prof1.xml`` -> ``"party 1"``, ``ItexvsCypress_Cypress.xml`` ->
``"Cypress"``). A profile refers to the domain's issues by their ``index``; its issue names must
match the domain's.

Security: files are parsed with :mod:`defusedxml` and any document type declaration is refused, so
entity-expansion bombs ("billion laughs") and external entities are rejected with a
:class:`ScenarioError` naming the file; nothing in a file is ever executed or fetched.

References
----------
.. [G14] R. Lin, S. Kraus, T. Baarslag, D. Tykhonov, K. Hindriks, C. M. Jonker, "Genius: An
   integrated environment for supporting the design of generic automated negotiators",
   Computational Intelligence 30(1):48-70, 2014.
.. [ANAC14] K. Fujita, T. Ito, R. Aydogan, T. Baarslag, K. Hindriks, C. Jonker, "The fifth
   automated negotiating agents competition (ANAC 2014)", Recent Advances in Agent-based Complex
   Automated Negotiation, Springer 2016 (the non-linear constraint-based utility spaces).
"""

from __future__ import annotations

import math
import re
import unicodedata
import warnings
import xml.etree.ElementTree as ET  # writing only; reading goes through defusedxml
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from negotiation.errors import ScenarioError
from negotiation.model.checks import MAX_FILE_BYTES as _MAX_FILE_BYTES
from negotiation.model.checks import MAX_LEVELS, bad_character
from negotiation.model.issues import IDENTIFIER, Issue
from negotiation.model.party import Party
from negotiation.model.reading import read_bounded
from negotiation.model.scenario import Scenario

__all__ = [
    "GeniusWarning",
    "MAX_FILE_BYTES",
    "MAX_INTEGER_LEVELS",
    "find_genius_domains",
    "issue_identifier",
    "load_genius",
    "save_genius",
]

#: Largest file read (bytes); GENIUS files are a few kilobytes (the bound of every scenario file).
MAX_FILE_BYTES = _MAX_FILE_BYTES

#: Largest integer issue (levels) turned into a discrete issue (the model's bound on levels).
MAX_INTEGER_LEVELS = MAX_LEVELS

#: Objective names that say nothing about the domain (then the file or folder name is used).
_GENERIC_OBJECTIVE_NAMES = {"", "root", "conflict", "objective", "domain", "template"}

#: File-name words that say nothing about a party (dropped from the end of a derived name).
_GENERIC_PROFILE_WORDS = {
    "utility",
    "utilityspace",
    "space",
    "prof",
    "profile",
    "util",
    "preferences",
}

#: Weights are always normalised; a sum further than this from 1 is also reported (a warning).
_WEIGHT_SUM_WARN = 1e-3

#: Below this maximum evaluation GENIUS treats a discrete issue as worth 0 (EvaluatorDiscrete).
_GENIUS_EVAL_FLOOR = 1e-5


class GeniusWarning(UserWarning):
    """Something in a GENIUS file was read in a documented but noteworthy way.

    For example weights that do not sum to 1 (normalised, reservation rescaled), a discount
    factor outside ``(0, 1]`` (read as 1, as GENIUS does), or a value listed twice in a profile
    (the last one counts, as in GENIUS).
    """


# -- names ----------------------------------------------------------------------------------
def issue_identifier(label: str, taken: Iterable[str] = (), *, fallback: str = "issue") -> str:
    """A deterministic issue identifier (``[a-z][a-z0-9_]*``) made from a GENIUS issue name.

    Accents are stripped (NFKD), letters lower-cased, every run of other characters becomes one
    ``_``; a name starting with a digit gets the prefix ``i_``; an empty result becomes
    ``fallback``; a name already in ``taken`` gets the suffix ``_2``, ``_3``, ...

    Examples
    --------
    >>> issue_identifier("Size of Fund")
    'size_of_fund'
    >>> issue_identifier("0:00-2:59 prices [cents/kWh]")
    'i_0_00_2_59_prices_cents_kwh'
    >>> issue_identifier("Café", taken={"cafe"})
    'cafe_2'
    """
    text = unicodedata.normalize("NFKD", str(label)).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    if not text:
        text = fallback
    if text[0].isdigit():
        text = f"i_{text}"
    taken = set(taken)
    name, k = text, 2
    while name in taken:
        name, k = f"{text}_{k}", k + 1
    return name


def _natural_key(path: Path | str) -> list:
    """Sort key: digit runs compare as numbers (``util2`` < ``util10``), the stem before the suffix."""
    path = Path(path)
    return [
        [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", part)]
        for part in (path.stem, path.suffix)
    ]


def _tokens(stem: str) -> list[str]:
    return [t for t in re.split(r"[-_\s.]+", stem) if t]


def _party_name(profile_stem: str, domain_stem: str) -> str:
    """A readable party name from a profile file name (the domain's name and generic words cut)."""
    tokens = _tokens(profile_stem)
    dom = [t.lower() for t in _tokens(domain_stem)]
    k = 0
    while k < len(tokens) and k < len(dom):
        a, b = tokens[k].lower(), dom[k]
        if a == b or (min(len(a), len(b)) >= 3 and (a.startswith(b) or b.startswith(a))):
            k += 1
        else:
            break
    rest = tokens[k:] or tokens
    while len(rest) > 1 and rest[0].lower() == "domain":
        rest = rest[1:]
    while len(rest) > 1 and rest[-1].lower() in _GENERIC_PROFILE_WORDS:
        rest = rest[:-1]
    text = " ".join(rest)
    m = re.fullmatch(r"(?i)(?:util|utility|prof|profile|party|agent)\s*(\d+)", text)
    if m:
        return f"party {int(m.group(1))}"
    return text


def _domain_title(domain_stem: str) -> str:
    tokens = [t for t in _tokens(domain_stem) if t.lower() != "domain"]
    return "-".join(tokens) if tokens else domain_stem


# -- secure XML reading -----------------------------------------------------------------------
def _read_bytes(path: Path) -> bytes:
    return read_bounded(path, MAX_FILE_BYTES)


def _looks_like_xml(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf").lstrip()
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 byte order marks
        return True
    return head.startswith(b"<")


def _parse_xml(data: bytes, path: Path):
    """Parse XML bytes with defusedxml, refusing any DTD; errors name the file and line."""
    try:
        import defusedxml
        import defusedxml.ElementTree as safe_et
    except ImportError:  # pragma: no cover - installed with the package
        raise ScenarioError(
            "reading GENIUS XML needs the 'defusedxml' package (pip install defusedxml); "
            "it is never parsed without it",
            file=str(path),
        ) from None
    try:
        return safe_et.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (LookupError, UnicodeError) as err:  # encoding="no-such-codec", or bytes not in it
        raise ScenarioError(
            f"cannot decode the XML: {err} (GENIUS files are UTF-8)", file=str(path)
        ) from None
    except RecursionError:
        raise ScenarioError("XML nested too deeply", file=str(path)) from None
    except ET.ParseError as err:
        from xml.parsers.expat import ErrorString

        line, col = getattr(err, "position", (None, None))
        try:
            reason = ErrorString(err.code)
        except (TypeError, ValueError):
            reason = str(err)
        raise ScenarioError(
            f"malformed XML at line {line}, column {(col or 0) + 1}: {reason}", file=str(path)
        ) from None
    except defusedxml.DefusedXmlException as err:
        text = data[:65536].decode("utf-8", "replace")
        if "<!ENTITY" in text:
            what = (
                "it declares XML entities (an entity-expansion bomb or external entity)"
                if re.search(r"<!ENTITY[^>]*(SYSTEM|PUBLIC)", text) is None
                else "it declares an external entity (SYSTEM/PUBLIC)"
            )
        else:
            what = "it has a document type declaration (<!DOCTYPE ...>)"
        raise ScenarioError(
            f"refused to read: {what}; GENIUS files need none, and entity expansion and "
            f"external references are never resolved ({type(err).__name__})",
            file=str(path),
        ) from None


def _load_xml(path: Path, *, skip_non_xml: bool = False):
    data = _read_bytes(path)
    if not _looks_like_xml(data):
        if skip_non_xml:
            return None
        raise ScenarioError("is not an XML file (it does not start with '<')", file=str(path))
    return _parse_xml(data, path)


# -- attribute helpers -------------------------------------------------------------------------
def _number(el, attr: str, file: Path, what: str, *, default: float | None = None) -> float:
    raw = el.get(attr) if el is not None else None
    if raw is None or raw.strip() == "":
        if default is not None:
            return default
        raise ScenarioError(f"{what}: missing attribute {attr!r}", file=str(file))
    try:
        value = float(raw)
    except ValueError:
        raise ScenarioError(
            f"{what}: attribute {attr}={raw!r} is not a number", file=str(file)
        ) from None
    if not math.isfinite(value):
        raise ScenarioError(f"{what}: attribute {attr}={raw!r} is not finite", file=str(file))
    return value


def _integer(el, attr: str, file: Path, what: str) -> int:
    raw = el.get(attr) if el is not None else None
    if raw is None:
        raise ScenarioError(f"{what}: missing attribute {attr!r}", file=str(file))
    try:
        return int(raw.strip())
    except ValueError:
        raise ScenarioError(
            f"{what}: attribute {attr}={raw!r} is not a whole number", file=str(file)
        ) from None


def _check_label(text: str, what: str, path: Path, *, where: str) -> None:
    """Refuse control and other non-printable characters in a name read from the file."""
    bad = bad_character(text)
    if bad is not None:
        raise ScenarioError(
            f"{where}: {what} {text!r} contains the non-printable character {bad}",
            file=str(path),
        )


def _clip01(x: np.ndarray | float) -> np.ndarray:
    return np.minimum(1.0, np.maximum(0.0, x))


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
            issues.append(_GIssue(index, label, kind, tuple(levels)))
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
            issues.append(
                _GIssue(index, label, kind, tuple(str(v) for v in range(lo, hi + 1)), lo, hi)
            )
        elif kind == "real":
            holder = el.find("range")
            if holder is None and el.get("lowerbound") is not None:
                holder = el
            if holder is None:
                raise ScenarioError(f"{where}: real issue has no <range>", file=str(path))
            lo = _number(holder, "lowerbound", path, where)
            hi = _number(holder, "upperbound", path, where)
            if not hi > lo:
                raise ScenarioError(
                    f"{where}: upperbound {hi:g} is not above lowerbound {lo:g}", file=str(path)
                )
            issues.append(_GIssue(index, label, kind, (), lo, hi))
        else:
            raise ScenarioError(
                f"{where}: issue type {kind!r} is not supported (discrete, integer, real)",
                file=str(path),
            )
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


# -- profiles --------------------------------------------------------------------------------
def _warn(message: str) -> None:
    warnings.warn(message, GeniusWarning, stacklevel=4)


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
    weights, values = {}, {}
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


# -- finding the files -----------------------------------------------------------------------
def _is_domain_file(path: Path) -> bool:
    """Cheap test: does the file's root element look like ``<negotiation_template>``?"""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    return re.search(rb"<\s*negotiation_template\b", head) is not None


def find_genius_domains(folder: str | Path) -> list[Path]:
    """Every GENIUS domain file under ``folder`` (recursively), in natural path order.

    A domain file is an ``.xml`` file whose root element is ``<negotiation_template>`` (found by
    looking at the start of the file; nothing is parsed).

    Examples
    --------
    >>> find_genius_domains("/nonexistent")
    []
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = [
        p
        for p in folder.rglob("*")
        if p.suffix.lower() == ".xml" and p.is_file() and _is_domain_file(p)
    ]
    return sorted(found, key=lambda p: [_natural_key(part) for part in p.relative_to(folder).parts])


def _folder_files(folder: Path) -> dict[Path, object]:
    """Parse every XML file of a folder (not recursively); non-XML files are left out."""
    out = {}
    for p in sorted(folder.iterdir(), key=_natural_key):
        if p.is_file() and p.suffix.lower() == ".xml":
            root = _load_xml(p, skip_non_xml=True)
            if root is not None:
                out[p] = root
    return out


def _resolve_profiles(
    domain: _Domain, roots: Mapping[Path, object], domains: Sequence[Path]
) -> list[tuple[Path, str | None]]:
    """The profile files of a domain (and party names when the domain gives them)."""
    folder = domain.path.parent
    if domain.agents:
        files = [(folder / Path(f).name, name) for name, f in domain.agents]
        if all(p in roots and roots[p].tag == "utility_space" for p, _ in files):
            names = [n for _, n in files]
            ok = all(names) and len(set(names)) == len(names)
            return [(p, n if ok else None) for p, n in files]
    candidates = [p for p, r in roots.items() if r.tag == "utility_space"]
    if len(domains) > 1:
        base = _domain_title(domain.path.stem).lower()
        mine = [p for p in candidates if p.stem.lower().startswith(base)]
        if not mine:
            raise ScenarioError(
                f"the folder holds several domains ({[d.name for d in domains]}) and no profile "
                f"file name starts with {base!r}; pass the profiles explicitly",
                file=str(domain.path),
            )
        candidates = mine
    return [(p, None) for p in sorted(candidates, key=_natural_key)]


# -- loading ---------------------------------------------------------------------------------
def load_genius(
    path: str | Path,
    *,
    profiles: Sequence[str | Path] | None = None,
    names: Sequence[str] | None = None,
) -> Scenario:
    """Read a GENIUS domain and its parties' profiles into a :class:`Scenario`.

    Parameters
    ----------
    path
        A domain file (root ``<negotiation_template>``), or a folder holding one domain file and
        the profile files of its parties.
    profiles
        The profile files to use (paths, or names in the domain's folder), in party order.
        Default: the files the domain's ``<agent>`` elements name, if they are all there, else
        every profile file in the folder (natural file-name order).
    names
        Party names, one per profile. Default: the ``<agent>`` names, else names made from the
        file names.

    Returns
    -------
    Scenario
        One issue per GENIUS issue, one party per profile; see the module docstring for the
        exact mapping of weights, evaluations, reservation values, discount factors and
        constraint-based (ANAC 2014) profiles.

    Raises
    ------
    ScenarioError
        Naming the file (and the line, for malformed XML) of the first problem: a missing or
        malformed file, a refused DTD/entity, a profile that names an issue the domain does not
        have or misses a weight or an evaluation, a constraint that cannot be written as bonuses.

    Notes
    -----
    Warnings (:class:`GeniusWarning`) report what was read in a noteworthy way: weights that do
    not sum to 1, a discount factor outside ``(0, 1]``, a value evaluated twice.

    Examples
    --------
    >>> from pathlib import Path
    >>> import negotiation
    >>> folder = Path(negotiation.__file__).parents[1] / "tests/formats/fixtures/discrete"
    >>> s = load_genius(folder) if folder.is_dir() else None
    >>> s is None or s.party_names == ("buyer", "seller")
    True
    """
    path = Path(path)
    try:
        return _load_genius(path, profiles, names)
    except RecursionError:
        raise ScenarioError(
            "elements nested too deeply (thousands of levels) to read", file=str(path)
        ) from None
    except ScenarioError as err:
        raise err.in_file(str(path)) from None


def _load_genius(
    path: Path, profiles: Sequence[str | Path] | None, names: Sequence[str] | None
) -> Scenario:
    if not path.exists():
        raise ScenarioError("no such file or folder", file=str(path))
    if path.is_dir():
        roots = _folder_files(path)
        domains = [p for p, r in roots.items() if r.tag == "negotiation_template"]
        if not domains:
            if profiles is None and any(p.suffix.lower() == ".json" for p in path.iterdir()):
                from negotiation.formats.geniusweb import load_geniusweb

                return load_geniusweb(path, names=names)  # a GeniusWeb (JSON) folder
            raise ScenarioError(
                "no GENIUS domain file (an .xml file with root <negotiation_template>) in this folder",
                file=str(path),
            )
        if len(domains) > 1:
            raise ScenarioError(
                f"the folder holds several domain files {[d.name for d in domains]}; pass one of them",
                file=str(path),
            )
        domain_path = domains[0]
    else:
        domain_path = path
        root = _load_xml(path)
        if root.tag != "negotiation_template":
            _read_domain(root, path)  # raises the explanatory error
        roots = _folder_files(path.parent) if profiles is None else {path: root}
        roots[path] = root
        domains = [p for p, r in roots.items() if r.tag == "negotiation_template"]
    domain = _read_domain(roots[domain_path], domain_path)
    folder = domain_path.parent
    if profiles is not None:
        chosen: list[tuple[Path, str | None]] = []
        for p in profiles:
            p = Path(p)
            full = p if p.is_absolute() or p.exists() else folder / p
            if not full.is_file():
                raise ScenarioError(f"missing profile file {str(p)!r}", file=str(domain_path))
            chosen.append((full, None))
    else:
        chosen = _resolve_profiles(domain, roots, domains)
    if not chosen:
        raise ScenarioError(
            "no profile files (root <utility_space>) next to the domain: a scenario needs its parties",
            file=str(domain_path),
        )
    if names is not None:
        names = list(names)
        if len(names) != len(chosen):
            raise ScenarioError(
                f"{len(names)} party names for {len(chosen)} profiles", file=str(domain_path)
            )
    else:
        derived = [n or _party_name(p.stem, domain_path.stem) for p, n in chosen]
        dupes = {n for n in derived if derived.count(n) > 1}
        names = [p.stem if n in dupes else n for (p, _), n in zip(chosen, derived, strict=True)]
    parties = []
    for (p, _), name in zip(chosen, names, strict=True):
        root = roots.get(p)
        if root is None:
            root = _load_xml(p)
        parties.append(Party(name=name, **_read_profile(root, p, domain)))
    if domain.objective_name.lower() not in _GENERIC_OBJECTIVE_NAMES:
        title = domain.objective_name
    elif path.is_dir():
        title = path.resolve().name
    else:
        title = _domain_title(domain_path.stem)
    description = domain.description or (
        f"GENIUS domain {domain_path.name} with the profiles "
        + ", ".join(f"{p.name} ({n})" for (p, _), n in zip(chosen, names, strict=True))
    )
    return Scenario(
        name=title,
        issues=tuple(gi.to_issue() for gi in domain.issues),
        parties=tuple(parties),
        description=description,
        sources=(str(domain_path), *(str(p) for p, _ in chosen)),
        file=str(domain_path),
    )


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

    def same(f) -> bool:
        knots = np.unique(np.concatenate([xs, kinks(f)]))
        ours = np.interp(knots, xs, vs)
        return bool(np.max(np.abs(ours - np.array([f(x) for x in knots]))) <= 1e-12)

    def kinks(f) -> np.ndarray:
        return np.array(getattr(f, "kinks", ()), dtype=float)

    if np.max(vs) - np.min(vs) <= 1e-15:
        return {"ftype": "constant", "parameter0": _fmt(vs[0])}
    seg = np.argmax(np.abs(np.diff(vs)))
    a = (vs[seg + 1] - vs[seg]) / (xs[seg + 1] - xs[seg])
    b = vs[seg] - a * xs[seg]

    def line(x, a=a, b=b):
        return float(_clip01(a * x + b))

    line.kinks = [x for c in (0.0, 1.0) for x in [(c - b) / a] if lo < x < hi]
    if same(line):
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

            tri.kinks = [x for x in (lower, upper) if lo < x < hi]
            if same(tri):
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
    if kind == "integer":
        el.set("lowerbound", str(ints[0]))
        el.set("upperbound", str(ints[-1]))
    elif kind == "real":
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
    parties = scenario.parties
    P = len(parties)
    nonlinear = [bool(scenario.bonuses[p]) for p in range(P)]
    # Which issues are written as integer issues.
    ints: list[list[int] | None] = []
    for i, issue in enumerate(scenario.issues):
        lv = _integer_levels(issue)
        if lv is not None:
            for p in range(P):
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
    for p in range(P):
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
    folder.mkdir(parents=True, exist_ok=True)
    base = _slug(scenario.name)
    files, taken = [], set()
    for party in parties:
        stem = f"{base}_{_slug(party.name)}"
        name, k = stem, 2
        while name in taken or name == f"{base}_domain":
            name, k = f"{stem}_{k}", k + 1
        taken.add(name)
        files.append(f"{name}.xml")
    # The domain.
    root = ET.Element("negotiation_template")
    for party, file in zip(parties, files, strict=True):
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
    domain_path = folder / f"{base}_domain.xml"
    _write(root, domain_path)
    # The profiles.
    for p, (party, file) in enumerate(zip(parties, files, strict=True)):
        if nonlinear[p]:
            prof = _constraint_xml(scenario, p, ints)
        else:
            prof = _additive_xml(scenario, p, ints)
        ET.SubElement(prof, "discount_factor", value=_fmt(party.discount))
        _write(prof, folder / file)
    return domain_path


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
            offset, slope = _affine(vals)
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
                v = str(ints[i][j])
                ET.SubElement(rect, "INCLUDES", index=str(i + 1), min=v, max=v)
    for bonus in scenario.bonuses[p]:
        bound_high += max(0.0, bonus.value)
        per_issue = [
            [(i, lo, hi) for lo, hi in _intervals([ints[i][j] for j in levels])]
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
