"""Stacked bars: how often each level of each issue is chosen under uncertainty (Monte Carlo
over the inputs); a robust level fills its whole bar.

The plot only draws: the level shares are computed by the caller
(:func:`negotiation.studies.sweep.level_probabilities`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.ticker import FuncFormatter

from negotiation.errors import NegotiationError
from negotiation.plots._common import column, new_axes, wrap
from negotiation.plots.colors import plain, pretty_level

__all__ = ["plot_level_frequencies"]


def _text_color(rgba: tuple[float, ...]) -> str:
    """Black on a light fill, white on a dark one (ITU-R BT.601 luma above 0.55: light)."""
    r, g, b = rgba[:3]
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.55 else "white"


#: Level colours: light, distinct hues (Paul Tol's "light" scheme, then his "pale" one), so the
#: level names written on them stay readable; one colour per level *name*, the same in every row.
_LEVEL_COLORS = (
    "#77AADD",
    "#EE8866",
    "#EEDD88",
    "#FFAABB",
    "#99DDFF",
    "#44BB99",
    "#BBCC33",
    "#AAAA00",
    "#DDDDDD",
    "#BBCCEE",
    "#CCEEFF",
    "#CCDDAA",
    "#EEEEBB",
    "#FFCCCC",
)


def _level_palette(
    data: pd.DataFrame, order: Sequence[str], levels: Mapping[str, Sequence[str]] | None
) -> dict[str, tuple[float, ...]]:
    """One colour per level name, in order of first appearance (the same name has the same
    colour in every row); colours repeat only beyond :data:`_LEVEL_COLORS`."""
    names: list[str] = []
    for issue in order:
        drawn = set(data.loc[(data["issue"] == issue) & (data["p"] > 0), "level"])
        listed = list((levels or {}).get(issue, [])) + list(
            data.loc[data["issue"] == issue, "level"]
        )
        for lv in (lv for lv in listed if lv in drawn):
            lv = str(lv)
            if lv not in names:
                names.append(lv)
    return {lv: to_rgba(_LEVEL_COLORS[k % len(_LEVEL_COLORS)]) for k, lv in enumerate(names)}


def _shares(table: pd.DataFrame) -> pd.DataFrame:
    """``issue``, ``level`` (text) and ``p``, the share of samples choosing the level (the
    ``probability`` column, or ``count`` over the issue's total count)."""
    for c in ("issue", "level"):
        column(table, c)
    if "probability" in table.columns:
        share = pd.to_numeric(table["probability"], errors="coerce")
    elif "count" in table.columns:
        cnt = pd.to_numeric(table["count"], errors="coerce")
        share = cnt / cnt.groupby(table["issue"]).transform("sum")
    else:
        raise NegotiationError("the table needs a 'probability' or a 'count' column")
    data = pd.DataFrame(
        {"issue": table["issue"].astype(str), "level": table["level"].astype(str), "p": share}
    )
    data = data.dropna()
    if data.empty:
        raise NegotiationError("the level table has no rows")
    return data


def _issue_order(
    data: pd.DataFrame, issues: Mapping[str, str] | Sequence[str] | None
) -> tuple[list[str], dict[str, str]]:
    """The issues drawn, in order, and their labels."""
    if issues is None:
        order = list(dict.fromkeys(data["issue"]))
        return order, {i: pretty_level(i) for i in order}
    order = [i for i in issues if i in set(data["issue"])]
    if isinstance(issues, Mapping):
        return order, {i: str(issues[i]) for i in order}
    return order, {i: pretty_level(i) for i in order}


def _draw_bar(
    ax: Axes,
    y: int,
    sub: pd.DataFrame,
    issue: str,
    names: list[str],
    palette: Mapping[str, tuple[float, ...]],
    min_label: float,
) -> list[str]:
    """One issue's stacked bar, wide segments labelled inside; the narrow ones' notes."""
    p_of = sub.groupby("level")["p"].sum()
    left = 0.0
    small = []
    for lv in names:
        p = float(p_of.get(lv, 0.0))
        if p <= 0:
            continue
        color = palette[lv]
        ax.barh(
            y,
            p,
            left=left,
            height=0.68,
            color=color,
            edgecolor="white",
            lw=0.8,
            gid=f"{issue}={lv}",
        )
        if p >= min_label:
            ax.text(
                left + p / 2,
                y,
                f"{wrap(pretty_level(lv), max(6, int(p * 60)))}\n{p:.0%}",
                ha="center",
                va="center",
                fontsize=6.8,
                color=_text_color(color),
                linespacing=1.0,
            )
        else:
            small.append(f"{pretty_level(lv)} {p:.0%}")
        left += p
    return small


def _share_axis(ax: Axes, notes: list[tuple[int, str]]) -> None:
    """The rare levels ("also: ...") in a margin that belongs to the axes (so the layout keeps
    them inside the figure), and the x axis in percent over ``[0, 1]``."""
    margin = 0.0
    for y, note in notes:
        ax.text(
            1.015,
            y,
            wrap(note, 28),
            ha="left",
            va="center",
            fontsize=6.8,
            color="#333333",
            gid="also",
        )
        margin = 0.36
    ax.set_xlim(0, 1 + margin)
    ax.set_xticks(np.linspace(0, 1, 6))
    ax.spines["bottom"].set_bounds(0, 1)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set_xlabel(
        "Share of samples in which the level is chosen (colour: one per level name)",
        fontsize=9,
    )


# size: the numpy docstring (parameters, example) is 40 lines
def plot_level_frequencies(
    table: pd.DataFrame,
    *,
    issues: Mapping[str, str] | Sequence[str] | None = None,
    levels: Mapping[str, Sequence[str]] | None = None,
    min_label: float = 0.1,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Stacked bars: how often each level of each issue is chosen under uncertainty.

    Parameters
    ----------
    table
        Columns ``issue``, ``level`` and ``probability`` (or ``count``), one row per level seen
        (as :func:`negotiation.studies.sweep.level_probabilities` returns).
    issues
        Issue order and labels: ``{issue: label}`` (or a list of issue names); default: the
        table's order, names as labels.
    levels
        ``{issue: level names in order}``: stacking order; default: the order in the table.
        Colours are one per level *name* (the same level has the same colour in every row).
    min_label
        Segments at least this wide get their level and share written inside; narrower ones are
        listed right of the bar.
    title
        Axes title.
    ax
        Axes to draw in; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        One horizontal bar per issue (y tick labels), segments with gid ``"<issue>=<level>"``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> t = pd.DataFrame({"issue": ["x", "x", "y"], "level": ["a", "b", "c"],
    ...                   "probability": [0.75, 0.25, 1.0]})
    >>> ax = plot_level_frequencies(t)
    >>> sorted(p.get_gid() for p in ax.patches)
    ['x=a', 'x=b', 'y=c']
    """
    data = _shares(table)
    order, labels = _issue_order(data, issues)
    fig, ax = new_axes(ax, (8.2, 0.9 + 0.48 * len(order)))
    palette = _level_palette(data, order, levels)
    notes: list[tuple[int, str]] = []
    for y, issue in enumerate(order):
        sub = data[data["issue"] == issue]
        names = list((levels or {}).get(issue, [])) or list(dict.fromkeys(sub["level"]))
        names += [lv for lv in dict.fromkeys(sub["level"]) if lv not in names]
        small = _draw_bar(ax, y, sub, issue, names, palette, min_label)
        if small:
            notes.append((y, "also: " + ", ".join(small)))
    ax.set_yticks(np.arange(len(order)))
    ax.set_yticklabels([wrap(labels[i], 30) for i in order], fontsize=8)
    ax.set_ylim(len(order) - 0.5, -0.5)
    _share_axis(ax, notes)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if title:
        ax.set_title(plain(title))
    return ax
