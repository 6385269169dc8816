"""Colours, markers and labels shared by every figure.

Each party gets one fixed colour, assigned by its position in the scenario's party order, from the
Okabe–Ito palette (Okabe & Ito 2008, *Color Universal Design*), which stays distinguishable under
the common forms of colour-vision deficiency (protanopia, deuteranopia, tritanopia). Yellow is
left to the end because it is hard to see on white. From the ninth party on, colours come from
Paul Tol's "muted" scheme (Tol 2021, *Colour schemes*, SRON/EPS/TN/09-002), and beyond that they
repeat (with a warning-free cycle: a figure with more than 17 parties is unreadable anyway).

Solutions are not parties: they are drawn in near-black with one fixed marker (and line style)
each, and labelled directly, so that they never compete with the party colours.

Examples
--------
>>> party_colors(["Russia", "Ukraine"])
{'Russia': '#0072B2', 'Ukraine': '#D55E00'}
>>> solution_label("kalai_smorodinsky")
'Kalai–Smorodinsky'
>>> solution_label("my_rule")
'My rule'
"""

from __future__ import annotations

from collections.abc import Iterable

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

#: Display names of the bargaining solutions and other marked points.
SOLUTION_LABELS: dict[str, str] = {
    "nash": "Nash",
    "asymmetric_nash": "Asymmetric Nash",
    "kalai_smorodinsky": "Kalai–Smorodinsky",
    "egalitarian": "Egalitarian",
    "utilitarian": "Utilitarian",
    "equilibrium": "Equilibrium",
    "rubinstein": "Rubinstein equilibrium",
    "simulated": "Simulated agreement",
    "disagreement": "Disagreement point",
}

#: One fixed marker per solution name (others cycle through :data:`_SPARE_MARKERS`).
SOLUTION_MARKERS: dict[str, str] = {
    "nash": "*",
    "asymmetric_nash": "P",
    "kalai_smorodinsky": "D",
    "egalitarian": "s",
    "utilitarian": "^",
    "equilibrium": "X",
    "rubinstein": "X",
    "simulated": "o",
}
_SPARE_MARKERS = ("v", "p", "h", "<", ">", "8", "d", "H")

#: One fixed line style per solution (parallel coordinates).
SOLUTION_LINESTYLES: dict[str, object] = {
    "nash": "-",
    "asymmetric_nash": (0, (6, 2)),
    "kalai_smorodinsky": (0, (1, 1.5)),
    "egalitarian": (0, (6, 2, 1, 2)),
    "utilitarian": (0, (3, 1.5)),
    "equilibrium": (0, (8, 2, 1, 2, 1, 2)),
    "simulated": (0, (1, 3)),
}
_SPARE_LINESTYLES = ("-", "--", ":", "-.")


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
    Okabe, M. & Ito, K. (2008). *Color Universal Design (CUD): how to make figures and
    presentations that are friendly to colorblind people.* https://jfly.uni-koeln.de/color/
    """
    names = list(names)
    return {name: PARTY_PALETTE[k % len(PARTY_PALETTE)] for k, name in enumerate(names)}


def _base_name(name: str) -> str:
    """``"equilibrium: Rubinstein"`` -> ``"equilibrium"``; used to look up styles."""
    return name.split(":")[0].split("[")[0].strip().lower()


def solution_label(name: str) -> str:
    """Display label of a solution (or marked point) name: ``"kalai_smorodinsky"`` ->
    ``"Kalai–Smorodinsky"``; unknown names get their underscores replaced and a capital."""
    if name in SOLUTION_LABELS:
        return SOLUTION_LABELS[name]
    text = name.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def solution_marker(name: str, position: int = 0) -> str:
    """Marker of a solution; names without a fixed marker get a spare one by ``position``."""
    base = _base_name(name)
    if base in SOLUTION_MARKERS:
        return SOLUTION_MARKERS[base]
    return _SPARE_MARKERS[position % len(_SPARE_MARKERS)]


def solution_linestyle(name: str, position: int = 0) -> object:
    """Line style of a solution in line plots (parallel coordinates)."""
    base = _base_name(name)
    if base in SOLUTION_LINESTYLES:
        return SOLUTION_LINESTYLES[base]
    return _SPARE_LINESTYLES[position % len(_SPARE_LINESTYLES)]


#: Words shown in capitals when a level identifier is made readable.
ACRONYMS = frozenset({"us", "usa", "uk", "eu", "un", "nato", "znpp", "pows", "pow", "osce"})


def pretty_level(level: str) -> str:
    """A level name made readable: underscores become spaces, known acronyms capitals.

    >>> pretty_level("all_for_all_including_children")
    'all for all including children'
    >>> pretty_level("us_backed_no_us_troops")
    'US backed no US troops'
    """
    words = str(level).split("_")
    return " ".join(w.upper() if w.lower() in ACRONYMS else w for w in words)
