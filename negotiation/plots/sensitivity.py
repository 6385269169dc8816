"""Sensitivity: how the chosen deal and the parties' utilities move when an input moves.

Three views of sweep results (the tables of :mod:`negotiation.studies.sweep`; any DataFrame with
the same columns works):

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
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from negotiation.errors import NegotiationError
from negotiation.plots._common import colors_for, legend_right, light_grid, new_axes, wrap
from negotiation.plots.colors import plain, pretty_level, solution_label

__all__ = ["plot_sensitivity", "plot_tornado", "plot_level_frequencies", "input_label"]

_FIELDS = {
    "reservation": "reservation value",
    "power": "bargaining power",
    "discount": "discount factor",
}


def input_label(path: str, issues: Mapping[str, str] | None = None) -> str:
    """A readable name of a sweep input path (see :mod:`negotiation.studies.inputs`).

    >>> input_label("Ukraine/reservation")
    'Ukraine: reservation value'
    >>> input_label("Ukraine/weights/donbas", {"donbas": "Donbas"})
    'Ukraine: weight of Donbas'
    >>> input_label("Russia/values/sanctions/phased_relief")
    "Russia: value of 'phased relief' (sanctions)"
    """
    return plain(_input_label(path, issues))


def _input_label(path: str, issues: Mapping[str, str] | None = None) -> str:
    parts = str(path).split("/")
    if len(parts) < 2:
        return str(path)
    party, field, rest = parts[0], parts[1], parts[2:]
    labels = issues or {}
    if field in _FIELDS and not rest:
        return f"{party}: {_FIELDS[field]}"
    if field == "weights" and len(rest) == 1:
        return f"{party}: weight of {labels.get(rest[0], pretty_level(rest[0]))}"
    if field == "values" and len(rest) == 2:
        return f"{party}: value of '{pretty_level(rest[1])}' ({labels.get(rest[0], pretty_level(rest[0]))})"
    if field == "red_line" and len(rest) == 1:
        return f"{party}: red line {rest[0]} (on/off)"
    return str(path).replace("/", " / ")


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name not in frame.columns:
        raise NegotiationError(
            f"the table has no column {name!r} (columns: {list(frame.columns)[:12]} ...)"
        )
    return frame[name]


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
    x_all = pd.to_numeric(_column(results, input), errors="coerce")
    prefix = f"{solution}.u."
    ucols = [c for c in results.columns if str(c).startswith(prefix)]
    if parties is None:
        parties = [c[len(prefix) :] for c in ucols]
    if not parties:
        raise NegotiationError(f"the table has no utility columns '{prefix}<party>'")
    for p in parties:
        _column(results, prefix + p)
    cols = (
        colors_for(list(parties), colors)
        if colors is None or all(p in colors for p in parties)
        else None
    )
    if cols is None:
        raise NegotiationError(f"no colour given for some of {list(parties)}")
    fig, ax = new_axes(ax, (7.0, 4.6))
    frame = results.assign(_x=x_all).dropna(subset=["_x"]).sort_values("_x", kind="stable")
    if frame.empty:
        raise NegotiationError(f"the input column {input!r} has no numeric values")
    grouped = frame.groupby("_x", sort=True)
    xs = np.array(sorted(frame["_x"].unique()), dtype=float)
    multi = bool((grouped.size() > 1).any())
    dcols = [c for c in results.columns if str(c).startswith(f"{solution}.deal.")]
    steps = bool(dcols) and not multi  # discrete deals: utilities are step functions of the input
    handles: list[Any] = []
    for p, col in zip(parties, cols, strict=True):
        y = pd.to_numeric(frame[prefix + p], errors="coerce")
        g = y.groupby(frame["_x"])
        mean = g.mean().reindex(xs).to_numpy()
        (ln,) = ax.plot(
            xs,
            mean,
            color=col,
            lw=2,
            marker="o" if xs.size <= 30 else None,
            ms=3.5,
            drawstyle="steps-mid" if steps else "default",
            gid=f"party:{p}",
            label=plain(p),
        )
        handles.append(ln)
        if multi:
            ax.fill_between(
                xs, g.min().reindex(xs), g.max().reindex(xs), color=col, alpha=0.15, lw=0
            )
        if input == f"{p}/reservation":  # the swept reservation itself: the diagonal
            ax.plot(xs, xs, color=col, ls=(0, (5, 3)), lw=1.0, alpha=0.9, gid="reservation")
        elif reservations and p in reservations:
            ax.axhline(
                float(reservations[p]),
                color=col,
                ls=(0, (5, 3)),
                lw=1.0,
                alpha=0.9,
                gid="reservation",
            )
    if reservations or input.endswith("/reservation"):
        handles.append(
            Line2D([], [], color="#555555", ls=(0, (5, 3)), lw=1.0, label="reservation values")
        )
    # no agreement: all utilities NaN
    none = (
        frame[[prefix + p for p in parties]]
        .apply(pd.to_numeric, errors="coerce")
        .isna()
        .all(axis=1)
    )
    no_deal_x = np.unique(frame.loc[none, "_x"].to_numpy(dtype=float))
    if no_deal_x.size:
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
        handles.append(Patch(facecolor="#DDDDDD", label="no agreement"))
    changes: list[str] = []
    if show_deal_changes and dcols and not multi:
        deals = frame[dcols].astype(object).where(frame[dcols].notna(), None)
        keys = [tuple(r) for r in deals.itertuples(index=False)]
        for k in range(1, len(keys)):
            if (
                keys[k] == keys[k - 1]
                or all(v is None for v in keys[k])
                or all(v is None for v in keys[k - 1])
            ):
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
            diffs = []
            for c, a, b in zip(dcols, keys[k - 1], keys[k], strict=True):
                if a != b:
                    issue = c[len(f"{solution}.deal.") :]
                    label = (issues or {}).get(issue, pretty_level(issue))
                    diffs.append(f"{label}: {pretty_level(a)} \u2192 {pretty_level(b)}")
            changes.append(f"{n}. at {xb:.3g}: " + "; ".join(diffs))
        if changes:
            handles.append(
                Line2D([], [], color="#333333", ls=":", lw=1.0, label="the deal changes")
            )
    ax.set_xlabel(plain(input_name or input_label(input, issues)))
    ax.set_ylabel(f"Utility under the {solution_label(solution)} solution")
    light_grid(ax)
    legend_right(ax, handles)
    if changes:
        width = int(fig.get_figwidth() * 13)
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
    if title:
        ax.set_title(plain(title), pad=14)
    return ax


def plot_tornado(
    table: pd.DataFrame,
    *,
    solution: str | None = None,
    output_name: str | None = None,
    issues: Mapping[str, str] | None = None,
    max_inputs: int = 15,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Tornado chart of one-at-a-time sensitivity.

    Parameters
    ----------
    table
        One row per input, largest effect first (as :func:`negotiation.studies.sweep.tornado`
        returns): ``input`` (path or label), ``low``, ``high`` (the input's two values),
        ``u_low``, ``u_high`` (the output at them), ``u_base`` (the output at the base values);
        optional ``base`` (the input's base value), ``party`` (whose utility the output is) and
        ``deal_changes`` (bool: the solution's deal changes within the range, marked ``*``).
        NaN outputs (no agreement at that end) are marked ``no agreement``.
    solution
        The solution's name, for the axis label.
    output_name
        The x-axis label (default: "Utility of <party> under the <solution> solution").
    issues
        ``{issue: label}`` for readable input names.
    max_inputs
        Draw at most this many rows (the first ones).
    title
        Axes title.
    ax
        Axes to draw in; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        Bars with gid ``"low:<input>"`` and ``"high:<input>"``; y tick labels name the inputs.

    References
    ----------
    Howard, R. A. (1988). Decision analysis: practice and promise. *Management Science* 34(6),
    679–695. Eschenbach, T. G. (1992). Spiderplots versus tornado diagrams for sensitivity
    analysis. *Interfaces* 22(6), 40–46.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> t = pd.DataFrame({"input": ["A/reservation", "B/power"], "low": [0.2, 0.5],
    ...                   "high": [0.4, 2.0], "u_low": [0.5, 0.58], "u_high": [0.7, 0.62],
    ...                   "u_base": [0.6, 0.6]})
    >>> ax = plot_tornado(t)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['A: reservation value', 'B: bargaining power']
    """
    for c in ("input", "low", "high", "u_low", "u_high", "u_base"):
        _column(table, c)
    if table.empty:
        raise NegotiationError("the tornado table has no rows")
    rows = table.head(max_inputs).reset_index(drop=True)
    n = len(rows)
    fig, ax = new_axes(ax, (7.4, 1.2 + 0.42 * n))
    base = (
        float(pd.to_numeric(rows["u_base"], errors="coerce").dropna().iloc[0])
        if rows["u_base"].notna().any()
        else np.nan
    )
    vals = pd.to_numeric(pd.concat([rows["u_low"], rows["u_high"]]), errors="coerce").dropna()
    lo_all = min(vals.min(), base) if len(vals) else base
    hi_all = max(vals.max(), base) if len(vals) else base
    span = (hi_all - lo_all) or 1.0
    low_color, high_color = "#9ECAE1", "#08519C"  # light and dark blue (sequential, CVD-safe)
    labels = []
    any_change = False
    for k, r in rows.iterrows():
        y = k
        name = input_label(str(r["input"]), issues)
        if "deal_changes" in rows.columns and bool(r.get("deal_changes")):
            name += " *"
            any_change = True
        labels.append(wrap(name, 38))
        ends = {}
        for end in ("low", "high"):
            u = pd.to_numeric(pd.Series([r[f"u_{end}"]]), errors="coerce").iloc[0]
            value = r[end]
            vtxt = f"{value:.3g}" if isinstance(value, (int, float, np.floating)) else str(value)
            ends[end] = (float(u), vtxt)
        flat = all(
            np.isfinite(u) and abs(u - base) <= 1e-12 * max(1.0, abs(base))
            for u, _ in ends.values()
        )
        if flat:
            ax.text(
                base + 0.01 * span,
                y,
                f"no change from {ends['low'][1]} to {ends['high'][1]}",
                ha="left",
                va="center",
                fontsize=7,
                color="#555555",
                gid=f"flat:{r['input']}",
            )
            continue
        for end, color, dy in (("low", low_color, -0.19), ("high", high_color, 0.19)):
            u, vtxt = ends[end]
            if np.isfinite(u) and abs(u - base) <= 1e-12 * max(1.0, abs(base)):
                # this end leaves the output at its base: say so instead of a bar of length 0
                ax.text(
                    base + 0.01 * span,
                    y + dy,
                    f"{vtxt}: no change",
                    ha="left",
                    va="center",
                    fontsize=7,
                    color="#555555",
                    gid=f"same:{r['input']}",
                )
                continue
            if not np.isfinite(u):
                ax.text(
                    base + 0.01 * span,
                    y + dy,
                    f"{vtxt}: no agreement",
                    ha="left",
                    va="center",
                    fontsize=7,
                    color="#B00000",
                    gid=f"none:{r['input']}",
                )
                continue
            ax.barh(
                y + dy,
                u - base,
                left=base,
                height=0.36,
                color=color,
                edgecolor="white",
                lw=0.5,
                gid=f"{end}:{r['input']}",
            )
            right = u >= base
            ax.text(
                u + (0.01 if right else -0.01) * span,
                y + dy,
                vtxt,
                ha="left" if right else "right",
                va="center",
                fontsize=7,
                color="#333333",
            )
    ax.axvline(base, color="black", lw=1.0, zorder=3)
    ax.set_yticks(np.arange(n))
    ax.set_yticklabels(labels, fontsize=8)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(lo_all - 0.15 * span, hi_all + 0.15 * span)
    who = str(rows["party"].iloc[0]) if "party" in rows.columns else None
    if output_name is None:
        output_name = (
            "Utility"
            + (f" of {who}" if who else "")
            + (f" under the {solution_label(solution)} solution" if solution else "")
        )
    ax.set_xlabel(plain(output_name))
    light_grid(ax, axis="x")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    handles = [
        Patch(facecolor=low_color, label="input at its low value"),
        Patch(facecolor=high_color, label="input at its high value"),
        Line2D([], [], color="black", lw=1.0, label=f"base ({base:.3g})"),
    ]
    if any_change:
        handles.append(Line2D([], [], color="none", label="* the deal changes"))
    legend_right(ax, handles, x=1.01)
    if title:
        ax.set_title(plain(title))
    return ax


def _text_color(rgba: tuple[float, ...]) -> str:
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
    for c in ("issue", "level"):
        _column(table, c)
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
    if issues is None:
        order = list(dict.fromkeys(data["issue"]))
        labels = {i: pretty_level(i) for i in order}
    elif isinstance(issues, Mapping):
        order = [i for i in issues if i in set(data["issue"])]
        labels = {i: str(issues[i]) for i in order}
    else:
        order = [i for i in issues if i in set(data["issue"])]
        labels = {i: pretty_level(i) for i in order}
    fig, ax = new_axes(ax, (8.2, 0.9 + 0.48 * len(order)))
    import matplotlib.pyplot as plt

    palette = _level_palette(data, order, levels)
    notes: list[tuple[int, str]] = []
    for y, issue in enumerate(order):
        sub = data[data["issue"] == issue]
        names = list((levels or {}).get(issue, [])) or list(dict.fromkeys(sub["level"]))
        names += [lv for lv in dict.fromkeys(sub["level"]) if lv not in names]
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
        if small:
            notes.append((y, "also: " + ", ".join(small)))
    ax.set_yticks(np.arange(len(order)))
    ax.set_yticklabels([wrap(labels[i], 30) for i in order], fontsize=8)
    ax.set_ylim(len(order) - 0.5, -0.5)
    # the rare levels ("also: ...") are written in a margin that belongs to the axes, so the
    # layout keeps them inside the figure
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
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set_xlabel(
        "Share of samples in which the level is chosen (colour: one per level name)",
        fontsize=9,
    )
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if title:
        ax.set_title(plain(title))
    return ax
