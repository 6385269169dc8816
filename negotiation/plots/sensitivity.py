"""Sensitivity: how the chosen deal and the parties' utilities move when an input moves.

Three views of sweep results (the tables of :mod:`negotiation.studies.sweep`; any DataFrame with
the same columns works); the tornado chart and the level frequencies live in their own modules
(:mod:`negotiation.plots.tornado`, :mod:`negotiation.plots.level_frequencies`) and are
re-exported here:

* :func:`plot_sensitivity` -- line plots: each party's utility under a solution as one input
  (a weight, a reservation value, a discount factor, ...) moves, with the points where the
  solution's deal changes marked and the changed issues listed;
* :func:`plot_tornado` -- a tornado chart of one-at-a-time sensitivity (each input at its low and
  its high value, the others at their base values; Howard 1988, Eschenbach 1992): one bar per
  input, sorted by swing, so the inputs that matter most are on top;
* :func:`plot_level_frequencies` -- stacked bars of how often each level of each issue is chosen
  under uncertainty (Monte Carlo over the inputs): a robust level fills its whole bar.

The plots only draw: the sweeps are computed by the caller.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from negotiation.errors import NegotiationError
from negotiation.plots._common import (
    colors_for,
    column,
    legend_right,
    light_grid,
    new_axes,
    root_figure,
    wrap,
)
from negotiation.plots.colors import plain, pretty_level, solution_label
from negotiation.plots.input_names import input_label

# plot_tornado and plot_level_frequencies moved to negotiation.plots.tornado and
# negotiation.plots.level_frequencies; kept here so that documented imports keep working.
from negotiation.plots.level_frequencies import plot_level_frequencies
from negotiation.plots.tornado import plot_tornado

__all__ = ["plot_sensitivity", "plot_tornado", "plot_level_frequencies", "input_label"]


def _party_columns(
    results: pd.DataFrame,
    solution: str,
    parties: Sequence[str] | None,
    colors: Mapping[str, str] | None,
) -> tuple[list[str], list[str]]:
    """The parties drawn (default: every ``"<solution>.u.*"`` column) and their colours."""
    prefix = f"{solution}.u."
    if parties is None:
        parties = [str(c)[len(prefix) :] for c in results.columns if str(c).startswith(prefix)]
    if not parties:
        raise NegotiationError(f"the table has no utility columns '{prefix}<party>'")
    for p in parties:
        column(results, prefix + p)
    if colors is not None and not all(p in colors for p in parties):
        raise NegotiationError(f"no colour given for some of {list(parties)}")
    return list(parties), colors_for(list(parties), colors)


def _draw_party(
    ax: Axes,
    frame: pd.DataFrame,
    xs: np.ndarray,
    column_name: str,
    party: str,
    color: str,
    *,
    steps: bool,
    band: bool,
) -> Line2D:
    """One party's mean utility at each input value (a step function for discrete deals), with
    its min-max ``band`` when several rows share a value; the line."""
    y = pd.to_numeric(frame[column_name], errors="coerce")
    g = y.groupby(frame["_x"])
    mean = g.mean().reindex(xs).to_numpy()
    (ln,) = ax.plot(
        xs,
        mean,
        color=color,
        lw=2,
        marker="o" if xs.size <= 30 else None,
        ms=3.5,
        drawstyle="steps-mid" if steps else "default",
        gid=f"party:{party}",
        label=plain(party),
    )
    if band:
        ax.fill_between(xs, g.min().reindex(xs), g.max().reindex(xs), color=color, alpha=0.15, lw=0)
    return ln


def _draw_reservation(
    ax: Axes, xs: np.ndarray, input: str, party: str, color: str, reservations: Any
) -> None:
    """The party's reservation value: the diagonal when it is the swept input, else a line."""
    dashed: dict[str, Any] = {
        "color": color,
        "ls": (0, (5, 3)),
        "lw": 1.0,
        "alpha": 0.9,
        "gid": "reservation",
    }
    if input == f"{party}/reservation":
        ax.plot(xs, xs, **dashed)
    elif reservations and party in reservations:
        ax.axhline(float(reservations[party]), **dashed)


def _draw_no_agreement(
    ax: Axes, frame: pd.DataFrame, xs: np.ndarray, ucols: list[str]
) -> list[Any]:
    """Grey bands at the input values without an agreement (every utility NaN); the handle."""
    none = frame[ucols].apply(pd.to_numeric, errors="coerce").isna().all(axis=1)
    no_deal_x = np.unique(frame.loc[none, "_x"].to_numpy(dtype=float))
    if not no_deal_x.size:
        return []
    step = np.min(np.diff(xs)) if xs.size > 1 else 1.0
    for xv in no_deal_x:
        ax.axvspan(
            xv - step / 2,
            xv + step / 2,
            color="#DDDDDD",
            alpha=0.6,
            lw=0,
            zorder=0,
            gid="no-agreement",
        )
    return [Patch(facecolor="#DDDDDD", label="no agreement")]


def _change_text(
    dcols: list[str], before: tuple, after: tuple, prefix: str, issues: Mapping[str, str] | None
) -> str:
    """``"<issue>: <level> → <level>; ..."`` over the issues whose level changed."""
    diffs = []
    for c, a, b in zip(dcols, before, after, strict=True):
        if a != b:
            issue = c[len(prefix) :]
            label = (issues or {}).get(issue, pretty_level(issue))
            diffs.append(f"{label}: {pretty_level(a)} \u2192 {pretty_level(b)}")
    return "; ".join(diffs)


def _mark_deal_changes(
    ax: Axes,
    frame: pd.DataFrame,
    xs: np.ndarray,
    dcols: list[str],
    prefix: str,
    issues: Mapping[str, str] | None,
) -> list[str]:
    """A numbered dotted line midway between consecutive input values whose deals differ (both
    agreements); the numbered descriptions of the changes."""
    deals = frame[dcols].astype(object).where(frame[dcols].notna(), None)
    keys = [tuple(r) for r in deals.itertuples(index=False)]
    changes: list[str] = []
    for k in range(1, len(keys)):
        before, after = keys[k - 1], keys[k]
        if before == after or all(v is None for v in after) or all(v is None for v in before):
            continue
        xb = (xs[k - 1] + xs[k]) / 2
        ax.axvline(xb, color="#333333", ls=":", lw=1.0, gid="deal-change")
        n = len(changes) + 1
        ax.annotate(
            str(n),
            (xb, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
            fontweight="bold",
        )
        changes.append(f"{n}. at {xb:.3g}: " + _change_text(dcols, before, after, prefix, issues))
    return changes


def _list_changes(ax: Axes, changes: list[str]) -> None:
    """The first 8 deal changes written under the axes."""
    width = int(root_figure(ax).get_figwidth() * 13)
    text = "\n".join(wrap(c, width) for c in changes[:8])
    if len(changes) > 8:
        text += f"\n... and {len(changes) - 8} more changes"
    ax.text(
        0.0,
        -0.16,
        "Deal changes:\n" + text,
        transform=ax.transAxes,
        ha="left",
        va="top",
        fontsize=7.5,
        gid="deal-changes",
    )


# size: the numpy docstring (the table's columns, parameters, example) is 60 lines
def plot_sensitivity(
    results: pd.DataFrame,
    input: str,
    *,
    solution: str = "nash",
    parties: Sequence[str] | None = None,
    colors: Mapping[str, str] | None = None,
    reservations: Mapping[str, float] | None = None,
    issues: Mapping[str, str] | None = None,
    show_deal_changes: bool = True,
    input_name: str | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Each party's utility under a solution as one input moves; deal changes marked.

    Parameters
    ----------
    results
        One row per value of the input: the input's column (its path, e.g.
        ``"Ukraine/reservation"``), the utilities ``"<solution>.u.<party>"`` and optionally the
        chosen levels ``"<solution>.deal.<issue>"`` (as :func:`negotiation.studies.sweep.run_sweep`
        writes). Rows without an agreement have NaN utilities and leave gaps. Several rows at the
        same input value (other inputs varying too) are drawn as their mean with a min-max band.
    input
        The column of the input on the x axis.
    solution
        Which solution's columns to draw.
    parties
        Which parties (default: every ``"<solution>.u.*"`` column, in table order).
    colors
        ``{party: colour}``; defaults to the fixed party palette over ``parties``. Pass the
        scenario's colours (``party_colors(scenario.party_names)``) to keep them fixed when only
        some parties are drawn.
    reservations
        ``{party: reservation}``: drawn as dashed lines in the party colours.
    issues
        ``{issue name: label}`` for the list of deal changes and the input's name.
    show_deal_changes
        Mark with a dotted line (and a number) every input value where the deal changes, and
        list the changed issues under the plot.
    input_name
        The x-axis label (default: :func:`input_label` of ``input``).
    title
        Axes title.
    ax
        Axes to draw in; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        One ``Line2D`` per party with gid ``"party:<name>"``, deal-change lines with gid
        ``"deal-change"``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> df = pd.DataFrame({"A/reservation": [0.1, 0.2, 0.3], "nash.u.A": [0.5, 0.6, 0.7],
    ...                    "nash.u.B": [0.7, 0.6, 0.5], "nash.deal.x": ["a", "a", "b"]})
    >>> ax = plot_sensitivity(df, "A/reservation")
    >>> sorted(l.get_gid() for l in ax.lines if (l.get_gid() or "").startswith("party:"))
    ['party:A', 'party:B']
    """
    x_all = pd.to_numeric(column(results, input), errors="coerce")
    prefix = f"{solution}.u."
    parties, cols = _party_columns(results, solution, parties, colors)
    fig, ax = new_axes(ax, (7.0, 4.6))
    frame = results.assign(_x=x_all).dropna(subset=["_x"]).sort_values("_x", kind="stable")
    if frame.empty:
        raise NegotiationError(f"the input column {input!r} has no numeric values")
    xs = np.array(sorted(frame["_x"].unique()), dtype=float)
    multi = bool((frame.groupby("_x", sort=True).size() > 1).any())
    dcols = [c for c in results.columns if str(c).startswith(f"{solution}.deal.")]
    steps = bool(dcols) and not multi  # discrete deals: utilities are step functions of the input
    handles: list[Any] = []
    for p, col in zip(parties, cols, strict=True):
        handles.append(_draw_party(ax, frame, xs, prefix + p, p, col, steps=steps, band=multi))
        _draw_reservation(ax, xs, input, p, col, reservations)
    if reservations or input.endswith("/reservation"):
        handles.append(
            Line2D([], [], color="#555555", ls=(0, (5, 3)), lw=1.0, label="reservation values")
        )
    handles += _draw_no_agreement(ax, frame, xs, [prefix + p for p in parties])
    changes: list[str] = []
    if show_deal_changes and dcols and not multi:
        changes = _mark_deal_changes(ax, frame, xs, dcols, f"{solution}.deal.", issues)
        if changes:
            handles.append(
                Line2D([], [], color="#333333", ls=":", lw=1.0, label="the deal changes")
            )
    ax.set_xlabel(plain(input_name or input_label(input, issues)))
    ax.set_ylabel(f"Utility under the {solution_label(solution)} solution")
    light_grid(ax)
    legend_right(ax, handles)
    if changes:
        _list_changes(ax, changes)
    if title:
        ax.set_title(plain(title), pad=14)
    return ax
