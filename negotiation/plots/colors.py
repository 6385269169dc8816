"""Colours, markers and labels shared by every figure.

Each party gets one fixed colour, assigned by its position in the scenario's party order, from the
Okabe–Ito palette (Okabe & Ito 2008 [OkabeIto2008]_, *Color Universal Design*), which stays
distinguishable under the common forms of colour-vision deficiency (protanopia, deuteranopia,
tritanopia). Yellow is left to the end because it is hard to see on white. From the ninth party on,
colours come from Paul Tol's "muted" scheme (Tol 2021 [Tol2021]_, *Colour schemes*,
SRON/EPS/TN/09-002), and beyond that they repeat (with a warning-free cycle: a figure with more than
17 parties is unreadable anyway).

Solutions are not parties: they are drawn in near-black with one fixed marker (and line style)
each, and labelled directly, so that they never compete with the party colours. Every bargaining
solution of :data:`negotiation.engine.solutions.SOLUTIONS` (whose label, marker and line style
are the solution's own metadata) and every equilibrium model of
:data:`negotiation.dynamics.games.registry.MODELS` has its own marker and line style (the tests
hold both registries to it); :func:`distinct_markers` also keeps two points of one figure apart
when they share a model (e.g. Rubinstein with either party proposing first).

Labels are shown as written (``"Rubinstein equilibrium (Employer first)"`` keeps its capitals);
only identifiers (``"kalai_smorodinsky"``, ``"my_rule"``) are made readable. Every user-supplied
string is drawn as plain text: :func:`plain` escapes ``$`` so that matplotlib never reads a label
such as ``"Cost in $US and $nope$"`` as TeX.

Examples
--------
>>> party_colors(["Russia", "Ukraine"])
{'Russia': '#0072B2', 'Ukraine': '#D55E00'}
>>> solution_label("kalai_smorodinsky")
'Kalai–Smorodinsky'
>>> solution_label("my_rule")
'My rule'
>>> solution_label("equilibrium: Rubinstein equilibrium (Employer first)")
'Rubinstein equilibrium (Employer first)'
>>> print(plain("Cost in $US"))
Cost in \\$US

References
----------
.. [OkabeIto2008] Okabe, Ito, *Color Universal Design (CUD)* (2008). Full entry: docs/references.md.
.. [Tol2021] Tol, *Colour schemes* (2021). Full entry: docs/references.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from negotiation.engine.solutions.registry import SOLUTIONS

__all__ = [
    "OKABE_ITO",
    "PARTY_PALETTE",
    "SOLUTION_LABELS",
    "SOLUTION_MARKERS",
    "SOLUTION_LINESTYLES",
    "NEUTRAL",
    "party_colors",
    "solution_label",
    "solution_marker",
    "solution_linestyle",
    "pretty_level",
    "plain",
    "proper_words",
    "marker_key",
    "distinct_markers",
    "distinct_linestyles",
]

#: The Okabe–Ito palette in its published order (black first).
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: Party colours in assignment order: strong, well-separated Okabe–Ito hues first, yellow last,
#: then Paul Tol's muted scheme.
PARTY_PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow
    # Tol muted
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
)

#: Colours of non-party elements.
NEUTRAL: dict[str, str] = {
    "outcome": "#9A9A9A",  # every outcome (grey)
    "feasible": "#3A7D44",  # feasible outcomes (dark green; not a party colour)
    "feasible_fill": "#E3F1E0",  # the individually rational region
    "frontier": "#222222",  # the Pareto-feasible frontier
    "solution": "#111111",  # solution markers
    "grid": "#DDDDDD",
    "low": "#BBBBBB",  # tornado: input at its low value
    "high": "#555555",  # tornado: input at its high value
}

#: Display names of the bargaining solutions (their ``label``, from the registry) and other
#: marked points.
SOLUTION_LABELS: dict[str, str] = {
    **{name: solution.label for name, solution in SOLUTIONS.items()},
    "equilibrium": "Equilibrium",
    "rubinstein": "Rubinstein equilibrium",
    "finite": "Finite-horizon equilibrium",
    "baron_ferejohn": "Baron–Ferejohn equilibrium",
    "demand_game": "Nash demand game equilibrium",
    "coalitions": "Coalition value",
    "simulated": "Simulated agreement",
    "disagreement": "Disagreement point",
}

#: One fixed marker per solution and equilibrium model (keys as :func:`marker_key` makes them;
#: others, and a second point of one model, take the first free one of :data:`_SPARE_MARKERS`).
SOLUTION_MARKERS: dict[str, str] = {
    **{name: solution.marker for name, solution in SOLUTIONS.items()},
    "rubinstein": "X",
    "finite": "p",
    "baron_ferejohn": "h",
    "demand_game": "<",
    "coalitions": ">",
    "equilibrium": "8",
    "simulated": "o",
}
_SPARE_MARKERS = ("v", "d", "H", "8", "<", ">", "p", "h", "P", "X")

#: One fixed line style per solution (parallel coordinates; the solutions' from the registry).
SOLUTION_LINESTYLES: dict[str, object] = {
    **{name: solution.linestyle for name, solution in SOLUTIONS.items()},
    "rubinstein": (0, (8, 2, 1, 2, 1, 2)),
    "finite": (0, (2, 2)),
    "baron_ferejohn": (0, (10, 3)),
    "demand_game": (0, (4, 1, 1, 1)),
    "coalitions": (0, (1, 1)),
    "equilibrium": (0, (5, 1)),
    "simulated": (0, (1, 3)),
}
_SPARE_LINESTYLES = (
    (0, (3, 3, 1, 3)),
    (0, (12, 2)),
    (0, (2, 1, 2, 4)),
    (0, (6, 1, 1, 1, 1, 1)),
    "--",
    ":",
    "-.",
)


def party_colors(names: Iterable[str]) -> dict[str, str]:
    """One fixed colour per party, assigned by position in ``names``.

    The same party order (the scenario's) always gives the same colours, in every figure.

    Parameters
    ----------
    names
        Party names in the scenario's order.

    Returns
    -------
    dict
        ``{party name: hex colour}``.

    References
    ----------
    .. [OkabeIto2008] Okabe, Ito, *Color Universal Design (CUD)* (2008).
       Full entry: docs/references.md.
    """
    names = list(names)
    return {name: PARTY_PALETTE[k % len(PARTY_PALETTE)] for k, name in enumerate(names)}


_SUFFIXES = ("_equilibrium", "_solution")


def marker_key(name: str) -> str:
    """The style key of a solution or equilibrium name: its model as an identifier.

    ``"equilibrium: Baron–Ferejohn equilibrium"`` -> ``"baron_ferejohn"``;
    ``"Rubinstein equilibrium (Employer first)"`` -> ``"rubinstein"``.

    >>> marker_key("equilibrium: rubinstein (Ukraine first)"), marker_key("kalai_smorodinsky")
    ('rubinstein', 'kalai_smorodinsky')
    """
    text = str(name).strip()
    if text.lower().startswith("equilibrium:"):
        text = text.split(":", 1)[1]
    text = text.split("(")[0].split("[")[0].lower()
    key = re.sub(r"[^0-9a-z]+", "_", text).strip("_")
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and key != suffix[1:]:
            key = key[: -len(suffix)]
    return key or "equilibrium"


def _is_identifier(name: str) -> bool:
    return re.fullmatch(r"[a-z0-9_]+", name) is not None


def solution_label(name: str) -> str:
    """Display label of a solution (or marked point) name.

    Known identifiers get their display name (``"kalai_smorodinsky"`` -> ``"Kalai–Smorodinsky"``),
    other identifiers their underscores replaced and a capital; anything else is a label already
    and is kept as written (an ``"equilibrium: "`` prefix is dropped). The result is plain text
    (``$`` escaped, see :func:`plain`).
    """
    text = str(name).strip()
    if text.lower().startswith("equilibrium:"):
        text = text.split(":", 1)[1].strip()
        if text in SOLUTION_LABELS and text != "equilibrium":
            return plain(SOLUTION_LABELS[text])
        if _is_identifier(text):
            return plain(SOLUTION_LABELS.get(text, text.replace("_", " ").capitalize()))
        return plain(text)
    if text in SOLUTION_LABELS:
        return SOLUTION_LABELS[text]
    if _is_identifier(text):
        text = text.replace("_", " ").strip()
        return text[:1].upper() + text[1:]
    return plain(text)


def distinct_markers(names: Sequence[str]) -> dict[str, str]:
    """One marker per name, all different: each name's fixed marker (:data:`SOLUTION_MARKERS`,
    by :func:`marker_key`) unless an earlier name took it, else the first free spare one.

    >>> distinct_markers(["equilibrium: rubinstein", "equilibrium: rubinstein (B first)", "nash"])
    {'equilibrium: rubinstein': 'X', 'equilibrium: rubinstein (B first)': 'v', 'nash': '*'}
    """
    return _distinct(names, SOLUTION_MARKERS, _SPARE_MARKERS)


def distinct_linestyles(names: Sequence[str]) -> dict[str, object]:
    """One line style per name, all different (as :func:`distinct_markers`)."""
    return _distinct(names, SOLUTION_LINESTYLES, _SPARE_LINESTYLES)


def _distinct(names: Sequence[str], fixed: dict, spare: Sequence) -> dict:
    names = list(names)
    wanted = {n: fixed.get(marker_key(n)) for n in names}
    used: list = []
    out: dict = {}
    # names with a fixed style of their own claim it first, in order
    for n in names:
        w = wanted[n]
        if w is not None and w not in used:
            out[n] = w
            used.append(w)
    pool = [m for m in list(spare) + list(fixed.values()) if m not in fixed.values()]
    pool += [m for m in fixed.values() if m not in pool]
    k = 0
    for n in names:
        if n in out:
            continue
        free = [m for m in pool if m not in used]
        m = free[0] if free else spare[k % len(spare)]
        k += 1
        out[n] = m
        used.append(m)
    return {n: out[n] for n in names}


def solution_marker(name: str, position: int = 0) -> str:
    """Marker of a solution; names without a fixed marker get a spare one by ``position``
    (use :func:`distinct_markers` to keep the markers of one figure apart)."""
    base = marker_key(name)
    if base in SOLUTION_MARKERS:
        return SOLUTION_MARKERS[base]
    return _SPARE_MARKERS[position % len(_SPARE_MARKERS)]


def solution_linestyle(name: str, position: int = 0) -> object:
    """Line style of a solution in line plots (parallel coordinates)."""
    base = marker_key(name)
    if base in SOLUTION_LINESTYLES:
        return SOLUTION_LINESTYLES[base]
    return _SPARE_LINESTYLES[position % len(_SPARE_LINESTYLES)]


def plain(text: str) -> str:
    """``text`` made safe to draw as plain text: every unescaped ``$`` is escaped, so matplotlib
    never parses it as mathtext (``"Cost in $US and $nope$"`` is drawn as written). Idempotent.

    >>> print(plain("a $b$")), plain(plain("a $b$")) == plain("a $b$")
    a \\$b\\$
    (None, True)
    """
    return re.sub(r"(?<!\\)\$", r"\\$", str(text))


#: Words shown in capitals when a level identifier is made readable.
ACRONYMS = frozenset({"us", "usa", "uk", "eu", "un", "nato", "znpp", "pows", "pow", "osce"})


#: Proper names capitalised when a level identifier is made readable (besides the words of the
#: scenario's party names and issue labels, which callers pass as ``proper``).
PROPER_NAMES = frozenset(
    {
        "ukraine",
        "russia",
        "europe",
        "european",
        "america",
        "american",
        "crimea",
        "donbas",
        "kyiv",
        "moscow",
        "washington",
        "brussels",
        "iran",
        "israel",
    }
)


def proper_words(*texts: str) -> frozenset[str]:
    """The capitalised words of ``texts`` (party names, issue labels), for :func:`pretty_level`.

    >>> sorted(proper_words("United States", "European allies"))
    ['European', 'States', 'United']
    """
    out = set()
    for text in texts:
        for w in re.findall(r"[A-Za-z][A-Za-z'-]*", str(text)):
            if w[:1].isupper() and not w.isupper():
                out.add(w)
    return frozenset(out)


def pretty_level(level: str, proper: Iterable[str] = ()) -> str:
    """A level name made readable: underscores become spaces, known acronyms capitals, proper
    names (:data:`PROPER_NAMES` and the words in ``proper``) capitalised; plain text.

    >>> pretty_level("all_for_all_including_children")
    'all for all including children'
    >>> pretty_level("us_backed_no_us_troops")
    'US backed no US troops'
    >>> pretty_level("returned_to_ukraine"), pretty_level("zelensky_stays", proper={"Zelensky"})
    ('returned to Ukraine', 'Zelensky stays')
    """
    cap = {w.lower(): w for w in proper}
    words = str(level).split("_")
    out = []
    for w in words:
        low = w.lower()
        if low in ACRONYMS:
            out.append(w.upper())
        elif low in cap:
            out.append(cap[low])
        elif low in PROPER_NAMES:
            out.append(w[:1].upper() + w[1:])
        else:
            out.append(w)
    return plain(" ".join(out))
