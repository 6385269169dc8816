"""Tornado chart of one-at-a-time sensitivity: each input at its low and its high value, the
others at their base values (Howard 1988, Eschenbach 1992); one row per input, largest swing on
top, so the inputs that matter most come first.

The plot only draws: the one-at-a-time sweep is computed by the caller
(:func:`negotiation.studies.sweep.tornado`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from negotiation.errors import NegotiationError
from negotiation.plots._common import column, legend_right, light_grid, new_axes, wrap
from negotiation.plots.colors import plain, solution_label
from negotiation.plots.input_names import input_label

__all__ = ["plot_tornado"]

_LOW, _HIGH = "#9ECAE1", "#08519C"  # light and dark blue (sequential, CVD-safe)


def _at_base(u: float, base: float) -> bool:
    """Whether the output ``u`` is the base output (to 1e-12, relative above 1)."""
    return bool(np.isfinite(u) and abs(u - base) <= 1e-12 * max(1.0, abs(base)))


def _range(rows: pd.DataFrame) -> tuple[float, float, float, float]:
    """The base output and the output range ``lo, hi`` (with the base) and its ``span``."""
    base = (
        float(pd.to_numeric(rows["u_base"], errors="coerce").dropna().iloc[0])
        if rows["u_base"].notna().any()
        else np.nan
    )
    vals = pd.to_numeric(pd.concat([rows["u_low"], rows["u_high"]]), errors="coerce").dropna()
    lo = min(vals.min(), base) if len(vals) else base
    hi = max(vals.max(), base) if len(vals) else base
    return base, lo, hi, (hi - lo) or 1.0


def _ends(r: pd.Series) -> dict[str, tuple[float, str]]:
    """``{"low"|"high": (output, the input's value as text)}`` of one row."""
    ends = {}
    for end in ("low", "high"):
        u = pd.to_numeric(pd.Series([r[f"u_{end}"]]), errors="coerce").iloc[0]
        value = r[end]
        vtxt = f"{value:.3g}" if isinstance(value, (int, float, np.floating)) else str(value)
        ends[end] = (float(u), vtxt)
    return ends


def _note(ax: Axes, x: float, y: float, text: str, gid: str, color: str = "#555555") -> None:
    """A small note beside the base line, in place of a bar."""
    ax.text(x, y, text, ha="left", va="center", fontsize=7, color=color, gid=gid)


def _draw_row(ax: Axes, y: int, r: pd.Series, base: float, span: float) -> None:
    """One input's two bars from the base output (or a note where an end does not move it, or
    where there is no agreement)."""
    ends = _ends(r)
    name = r["input"]
    if all(_at_base(u, base) for u, _ in ends.values()):
        text = f"no change from {ends['low'][1]} to {ends['high'][1]}"
        _note(ax, base + 0.01 * span, y, text, f"flat:{name}")
        return
    for end, color, dy in (("low", _LOW, -0.19), ("high", _HIGH, 0.19)):
        u, vtxt = ends[end]
        if _at_base(u, base):  # say so instead of a bar of length 0
            _note(ax, base + 0.01 * span, y + dy, f"{vtxt}: no change", f"same:{name}")
            continue
        if not np.isfinite(u):
            _note(
                ax, base + 0.01 * span, y + dy, f"{vtxt}: no agreement", f"none:{name}", "#B00000"
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
            gid=f"{end}:{name}",
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


def _output_label(rows: pd.DataFrame, solution: str | None) -> str:
    """ "Utility of <party> under the <solution> solution" (the parts that are known)."""
    who = str(rows["party"].iloc[0]) if "party" in rows.columns else None
    return (
        "Utility"
        + (f" of {who}" if who else "")
        + (f" under the {solution_label(solution)} solution" if solution else "")
    )


def _legend(ax: Axes, base: float, any_change: bool) -> None:
    """The two ends' colours, the base output, and the ``*`` of a deal change."""
    handles = [
        Patch(facecolor=_LOW, label="input at its low value"),
        Patch(facecolor=_HIGH, label="input at its high value"),
        Line2D([], [], color="black", lw=1.0, label=f"base ({base:.3g})"),
    ]
    if any_change:
        handles.append(Line2D([], [], color="none", label="* the deal changes"))
    legend_right(ax, handles, x=1.01)


# size: the numpy docstring (the table's columns, parameters, references, example) is 50 lines
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
    .. [Howard1988] Howard, "Decision analysis: practice and promise" (1988).
       Full entry: docs/references.md.
    .. [Eschenbach1992] Eschenbach, "Spiderplots versus tornado diagrams" (1992).
       Full entry: docs/references.md.

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
        column(table, c)
    if table.empty:
        raise NegotiationError("the tornado table has no rows")
    rows = table.head(max_inputs).reset_index(drop=True)
    n = len(rows)
    fig, ax = new_axes(ax, (7.4, 1.2 + 0.42 * n))
    base, lo_all, hi_all, span = _range(rows)
    labels = []
    any_change = False
    for k, r in rows.iterrows():
        name = input_label(str(r["input"]), issues)
        if "deal_changes" in rows.columns and bool(r.get("deal_changes")):
            name += " *"
            any_change = True
        labels.append(wrap(name, 38))
        _draw_row(ax, int(k), r, base, span)
    ax.axvline(base, color="black", lw=1.0, zorder=3)
    ax.set_yticks(np.arange(n))
    ax.set_yticklabels(labels, fontsize=8)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(lo_all - 0.15 * span, hi_all + 0.15 * span)
    ax.set_xlabel(plain(output_name if output_name is not None else _output_label(rows, solution)))
    light_grid(ax, axis="x")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    _legend(ax, base, any_change)
    if title:
        ax.set_title(plain(title))
    return ax
