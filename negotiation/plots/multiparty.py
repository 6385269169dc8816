"""Three or more parties: a matrix of pairwise utility spaces, and parallel coordinates.

* :func:`plot_pairwise` draws the lower triangle of a scatterplot matrix (Carr et al. 1987): one
  two-party utility space (:func:`negotiation.plots.utility_space.plot_utility_space`) for every
  pair of parties, the same party on the same axis range in every panel, and one shared legend.
* :func:`plot_parallel` draws parallel coordinates (Inselberg 1985): one vertical axis per party,
  one polyline per Pareto-feasible deal joining the parties' utilities, the solutions highlighted,
  each party's reservation value marked on its axis. Crossing lines between two axes show a
  trade-off between those two parties; parallel lines show aligned interests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from negotiation.errors import NegotiationError
from negotiation.plots._common import (
    analysis_parts,
    as_matrix,
    as_vector,
    colors_for,
    group_coincident,
    group_label,
    legend_below,
    legend_right,
    new_axes,
    party_labels,
    plot_analysis,
    scale_notes,
    solution_vectors,
    wrap,
)
from negotiation.plots.colors import NEUTRAL, distinct_linestyles, distinct_markers, plain
from negotiation.plots.utility_space import plot_utility_space

__all__ = [
    "plot_pairwise",
    "plot_pairwise_from_analysis",
    "plot_parallel",
    "plot_parallel_from_analysis",
]


def _tidy_panel(ax: Axes, r: int, c: int, n: int) -> None:
    """Small tick labels; axis labels only on the outer panels (bottom row, first column)."""
    ax.tick_params(labelsize=7)
    if r < n - 1:
        ax.set_xlabel("")
        ax.tick_params(labelbottom=False)
    if c > 0:
        ax.set_ylabel("")
        ax.tick_params(labelleft=False)


def _place_pairwise_legend(axes: np.ndarray, handles: list) -> None:
    """The one legend: in the hidden top-right panel, or right of a single panel."""
    n = axes.shape[0]
    if n == 1:
        legend_right(axes[0, 0], handles)
        return
    holder = axes[0, n - 1]
    holder.set_visible(True)
    holder.axis("off")
    leg = holder.legend(handles=handles, loc="upper right", fontsize=8, frameon=False)
    if n >= 3:  # the hidden panels under it give room: do not stretch the first row
        leg.set_in_layout(False)


# size: the numpy docstring (parameters, reference, example) is 50 lines
def plot_pairwise(
    frontier: Any,
    *,
    outcomes: Any | None = None,
    feasible: Any | None = None,
    disagreement: Any | None = None,
    solutions: Mapping[str, Any] | None = None,
    parties: Sequence[str] | None = None,
    colors: Mapping[str, str] | None = None,
    density_threshold: int = 20_000,
    gridsize: int = 40,
    zoom: bool = False,
    panel_size: float = 2.7,
    axis_label: str = "{party}",
    axis_notes: Mapping[str, str] | None = None,
    title: str | None = None,
) -> Figure:
    """A matrix of two-party utility spaces, one panel per pair of parties (lower triangle).

    Panel ``(row r, column c)`` (``c <= r``) shows party ``c`` on x and party ``r + 1`` on y, with
    the same content as :func:`~negotiation.plots.utility_space.plot_utility_space` (solutions
    as markers named in the shared legend; no per-panel labels, to keep panels readable).

    Parameters
    ----------
    frontier, outcomes, feasible, disagreement, solutions, parties, colors, density_threshold,
    gridsize, zoom
        As for :func:`~negotiation.plots.utility_space.plot_utility_space`.
    panel_size
        Width and height of one panel, inches.
    axis_label
        Axis label template (``{party}``).
    axis_notes
        ``{party: note}`` for the axis labels (see :func:`plot_utility_space`).
    title
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        ``P - 1`` by ``P - 1`` axes grid; unused upper-triangle axes are hidden, one of them
        holding the legend.

    References
    ----------
    .. [CLNL1987] Carr et al., "Scatterplot matrix techniques for large N" (1987).
       Full entry: docs/references.md.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> fig = plot_pairwise([[0.2, 0.9, 0.5], [0.9, 0.2, 0.6]], disagreement=[0, 0, 0])
    >>> sum(any(line.get_gid() == "frontier" for line in ax.lines) for ax in fig.axes)
    3
    """
    F = as_matrix(frontier, "frontier utilities")
    P = F.shape[1]
    if P < 2:
        raise NegotiationError(f"a pairwise matrix needs at least two parties, got {P}")
    names = party_labels(parties, P)
    import matplotlib.pyplot as plt

    n = P - 1
    fig, axes = plt.subplots(
        n,
        n,
        figsize=(panel_size * n + (2.6 if n == 1 else 0), panel_size * n),
        layout="constrained",
        squeeze=False,
    )
    panel: dict[str, Any] = {
        "outcomes": outcomes,
        "feasible": feasible,
        "disagreement": disagreement,
        "solutions": solutions,
        "parties": names,
        "colors": colors,
        "density_threshold": density_threshold,
        "gridsize": gridsize,
        "annotate": False,
        "zoom": zoom,
        "legend": "none",
        "axis_label": axis_label,
        "axis_notes": axis_notes,
        "marker_scale": 0.75,
    }
    for r in range(n):
        for c in range(n):
            if c > r:
                axes[r, c].set_visible(False)
                continue
            plot_utility_space(F, pair=(c, r + 1), ax=axes[r, c], **panel)
            _tidy_panel(axes[r, c], r, c, n)
    # one legend: the elements of the bottom-left panel, and every party's reservation line
    handles = _legend_handles(axes[n - 1, 0])
    handles = _shared_legend(fig, handles, names, colors_for(names, colors), disagreement)
    _place_pairwise_legend(axes, handles)
    if title:
        fig.suptitle(plain(title))
    return fig


def _legend_handles(ax: Axes) -> list:
    """Proxy handles for the elements drawn in a utility-space panel (not its reservations)."""
    from matplotlib.patches import Patch

    out: list[Any] = []
    for coll in ax.collections:
        gid = coll.get_gid() or ""
        if gid in ("outcomes", "feasible"):
            fc = coll.get_facecolor()
            color: Any = fc[0] if len(fc) else NEUTRAL[gid]
            if hasattr(coll, "get_offsets") and coll.get_array() is not None:  # hexbin
                color = NEUTRAL["feasible"] if gid == "feasible" else "#8A8A8A"
                out.append(
                    Patch(
                        facecolor=color,
                        label=f"{'feasible' if gid == 'feasible' else 'other'} outcomes (density)",
                    )
                )
            else:
                out.append(
                    Line2D(
                        [],
                        [],
                        ls="none",
                        marker="o",
                        ms=4,
                        color=color,
                        label="feasible outcomes" if gid == "feasible" else "other outcomes",
                    )
                )
    for patch in ax.patches:
        if patch.get_gid() == "rational-region":
            out.append(
                Patch(facecolor=NEUTRAL["feasible_fill"], label="above both reservation values")
            )
    for line in ax.lines:
        gid = line.get_gid() or ""
        if gid == "frontier":
            out.append(
                Line2D(
                    [],
                    [],
                    ls="none",
                    marker="o",
                    ms=4.5,
                    mfc="white",
                    mec=NEUTRAL["frontier"],
                    label=f"Pareto-feasible ({np.size(line.get_xdata())})",
                )
            )
        elif gid.startswith("solution:") or gid.startswith("points:"):
            out.append(
                Line2D(
                    [],
                    [],
                    ls="none",
                    marker=line.get_marker(),
                    ms=line.get_markersize() * 0.8,
                    mfc=line.get_markerfacecolor(),
                    mec=line.get_markeredgecolor(),
                    label=line.get_label(),
                )
            )
    return out


def _shared_legend(
    fig: Figure, handles: list, names: list[str], cols: list[str], disagreement: Any
) -> list:
    """The panels' handles, then one dashed reservation line per party (labels wrapped)."""
    out = list(handles)
    if disagreement is not None:
        out.append(Line2D([], [], color="none", label="reservation values:"))
        for name, col in zip(names, cols, strict=True):
            out.append(Line2D([], [], color=col, ls=(0, (5, 3)), lw=1.3, label=name))
    for h in out:
        h.set_label(wrap(h.get_label(), 34))
    return out


def plot_pairwise_from_analysis(
    analysis: Any,
    *,
    outcomes: Any | None = None,
    feasible: Any | None = None,
    extra_solutions: Mapping[str, Any] | None = None,
    **kwargs: Any,
) -> Figure:
    """:func:`plot_pairwise` of an ``Analysis`` (frontier, disagreement, solutions, names)."""
    return plot_analysis(
        plot_pairwise, analysis, extra_solutions, outcomes=outcomes, feasible=feasible, **kwargs
    )


def _spread_labels(y: np.ndarray, gap: float) -> np.ndarray:
    """Move sorted label positions apart to at least ``gap`` (keeps their mean in place)."""
    order = np.argsort(y, kind="stable")
    ys = y[order].astype(float).copy()
    for _ in range(200):
        moved = False
        for k in range(1, ys.size):
            if ys[k] - ys[k - 1] < gap - 1e-12:
                mid = (ys[k] + ys[k - 1]) / 2
                ys[k - 1], ys[k] = mid - gap / 2, mid + gap / 2
                moved = True
        if not moved:
            break
    out = np.empty_like(ys)
    out[order] = ys
    return out


@dataclass(frozen=True)
class _Scale:
    """Where utilities sit on the axes: per axis ``p`` the bottom ``lo[p]`` and the height
    ``span[p]`` in utility; ``shared``: the y axis is the utility itself, else each axis maps
    its range to ``[0, 1]``."""

    lo: np.ndarray
    span: np.ndarray
    shared: bool

    def y(self, u: Any) -> np.ndarray:
        """The drawn height of the utility vector ``u``."""
        u = np.asarray(u, dtype=float)
        return u if self.shared else (u - self.lo) / self.span


def _scale(rows: np.ndarray, scale: str) -> _Scale:
    """The :class:`_Scale` holding every row of ``rows`` (frontier, reservations, solutions)
    with a 4 % margin; ``"auto"``: shared when the ranges are within a factor 3."""
    if rows.shape[0] == 0:
        raise NegotiationError("nothing to draw: no frontier, reservations or solutions given")
    lo, hi = rows.min(axis=0), rows.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    if scale == "auto":
        scale = "shared" if span.max() <= 3 * span.min() else "per_axis"
    if scale not in ("shared", "per_axis"):
        raise NegotiationError(f"scale must be 'auto', 'shared' or 'per_axis', got {scale!r}")
    if scale == "per_axis":
        return _Scale(lo - 0.04 * span, span * 1.08, shared=False)
    glo, ghi = float(lo.min()), float(hi.max())
    gspan = ghi - glo if ghi > glo else 1.0
    P = rows.shape[1]
    return _Scale(np.full(P, glo - 0.04 * gspan), np.full(P, gspan * 1.08), shared=True)


def _draw_deals(ax: Axes, F: np.ndarray, xs: np.ndarray, sc: _Scale, max_lines: int) -> list[Any]:
    """The frontier deals as grey polylines (at most ``max_lines``, evenly spaced rows); the
    legend handle (none without deals)."""
    M = F.shape[0]
    if not M:
        return []
    rows = np.unique(np.linspace(0, M - 1, min(M, max_lines)).round().astype(int))
    shown = rows.size
    Y = sc.y(F[rows])
    segs = np.stack([np.broadcast_to(xs, Y.shape), Y], axis=2)
    alpha = float(np.clip(25.0 / shown, 0.06, 0.55))
    lc = LineCollection(
        segs,  # type: ignore[arg-type]  # an (N, P, 2) array is a sequence of N polylines
        colors=NEUTRAL["outcome"],
        linewidths=0.9,
        alpha=alpha,
        zorder=2,
        gid="frontier",
        rasterized=shown > 500,
    )
    ax.add_collection(lc)
    note = f" (showing {shown} of {M})" if shown < M else f" ({M})"
    return [Line2D([], [], color=NEUTRAL["outcome"], lw=1.2, label="Pareto-feasible deals" + note)]


def _draw_reservation_ticks(ax: Axes, d: np.ndarray, sc: _Scale, cols: Sequence[str]) -> Line2D:
    """Each reservation value as a thick tick in the party colour on its axis; the handle."""
    yd = sc.y(d)
    for p in range(d.size):
        ax.plot(
            [p, p + 0.12],
            [yd[p], yd[p]],
            color=cols[p],
            lw=4,
            solid_capstyle="butt",
            zorder=4,
            gid="reservation",
        )
    return Line2D([], [], color="#555555", lw=4, label="reservation value (party colour)")


def _draw_solution_lines(
    ax: Axes, sols: Mapping[str, np.ndarray], xs: np.ndarray, sc: _Scale
) -> tuple[list[Any], list[tuple[float, str]]]:
    """One black polyline per group of coincident solutions, each with its own line style and
    marker; the handles, and the height and text of each line's label at the right."""
    groups = group_coincident(sols)
    markers = distinct_markers([g[0] for g in groups])
    styles = distinct_linestyles([g[0] for g in groups])
    handles, ends = [], []
    for group in groups:
        v = sc.y(sols[group[0]])
        (ln,) = ax.plot(
            xs,
            v,
            color=NEUTRAL["solution"],
            lw=1.8,
            ls=styles[group[0]],
            marker=markers[group[0]],
            ms=8 if markers[group[0]] == "*" else 6,
            mfc=NEUTRAL["solution"],
            mec="white",
            mew=0.6,
            zorder=5,
            gid="solution:" + "+".join(group),
            label=group_label(group),
        )
        handles.append(ln)
        ends.append((float(v[-1]), group_label(group)))
    return handles, ends


def _label_ends(ax: Axes, ends: list[tuple[float, str]], P: int, sc: _Scale) -> None:
    """The solutions' labels right of the last axis, spread apart vertically."""
    height = (
        (float(np.max(sc.y(sc.lo + sc.span))) - float(np.min(sc.y(sc.lo)))) if sc.shared else 1.0
    )
    ys = _spread_labels(np.array([e[0] for e in ends]), 0.055 * height)
    arrow = {"arrowstyle": "-", "lw": 0.6, "color": "#666666", "shrinkA": 0, "shrinkB": 2}
    for (y0, text), y1 in zip(ends, ys, strict=True):
        ax.annotate(
            wrap(text, 40),
            (P - 1, y0),
            xytext=(P - 1 + 0.14, y1),
            textcoords="data",
            ha="left",
            va="center",
            fontsize=8,
            gid="solution-label",
            arrowprops=arrow,
        )


def _draw_utility_scale(ax: Axes, sc: _Scale, P: int) -> None:
    """The y axis: one shared utility scale with a grid, or tick labels beside every axis."""
    lo, span = sc.lo, sc.span
    if sc.shared:
        ax.set_ylim(lo[0], lo[0] + span[0])
        ax.set_ylabel("Utility")
        ax.grid(True, axis="y", color=NEUTRAL["grid"], lw=0.6)
        return
    ax.set_ylim(-0.02, 1.02)
    ax.set_yticks([])
    for p in range(P):
        top = lo[p] + span[p]
        ticks = MaxNLocator(5).tick_values(lo[p], top)
        for t in ticks[(ticks >= lo[p]) & (ticks <= top)]:
            yt = (t - lo[p]) / span[p]
            ax.text(p - 0.05, yt, f"{t:.3g}", ha="right", va="center", fontsize=7, color="#333333")
            ax.plot([p - 0.03, p], [yt, yt], color="#333333", lw=0.8)
    ax.set_ylabel("Utility (each axis its own range)")


def _name_axes(
    ax: Axes, xs: np.ndarray, names: Sequence[str], axis_notes: Mapping[str, str] | None, sc: _Scale
) -> None:
    """The parties' names (bold, with their scale notes) under their axes; bare spines."""
    ax.set_xticks(xs)
    notes = {plain(k): v for k, v in (axis_notes or {}).items()}
    ax.set_xticklabels(
        [wrap(n, 16) + (f"\n({plain(notes[n])})" if notes.get(n) else "") for n in names]
    )
    for lbl in ax.get_xticklabels():
        lbl.set_fontweight("bold")
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    if not sc.shared:
        ax.spines["left"].set_visible(False)
    ax.tick_params(axis="x", length=0)


# size: the numpy docstring (parameters, gids, reference, example) is 50 lines
def plot_parallel(
    frontier: Any,
    *,
    disagreement: Any | None = None,
    solutions: Mapping[str, Any] | None = None,
    parties: Sequence[str] | None = None,
    colors: Mapping[str, str] | None = None,
    scale: str = "auto",
    max_lines: int = 5_000,
    axis_notes: Mapping[str, str] | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Parallel coordinates of the Pareto-feasible frontier, with the solutions highlighted.

    Axis ``p`` (at ``x = p``) carries party ``p``'s utility; every frontier deal is one grey
    polyline through its utilities. Solutions are black polylines with their own line style and
    marker, labelled at the right; coincident solutions share one line. Each party's reservation
    value is a thick tick in the party's colour on its axis.

    Parameters
    ----------
    frontier
        ``M x P`` frontier utilities.
    disagreement, solutions, parties, colors
        As for :func:`~negotiation.plots.utility_space.plot_utility_space`.
    scale
        ``"shared"``: one utility scale for all axes (the y axis); ``"per_axis"``: each axis
        spans its own range (min-max of frontier, reservation and solutions), with its own tick
        labels; ``"auto"``: shared when the axes' ranges are within a factor 3 of each other.
    max_lines
        Frontier deals drawn at most (evenly spaced rows when there are more; the legend says so).
    axis_notes
        ``{party: note}`` written under the party's axis name (``"points"``, ``"above 1:
        bonuses"``, ``"observer"``; see :func:`~negotiation.plots._common.scale_notes`).
    title
        Axes title.
    ax
        Axes to draw in; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The frontier polylines are one ``LineCollection`` with gid ``"frontier"`` (one segment
        per drawn deal); solutions are ``Line2D`` with gid ``"solution:<names>"``.

    References
    ----------
    .. [Inselberg1985] Inselberg, "The plane with parallel coordinates" (1985).
       Full entry: docs/references.md.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_parallel([[0.2, 0.9, 0.5], [0.9, 0.2, 0.6]], parties=["A", "B", "C"])
    >>> len(ax.collections[0].get_segments())
    2
    """
    F = as_matrix(frontier, "frontier utilities")
    P = F.shape[1]
    if P < 2:
        raise NegotiationError(f"parallel coordinates need at least two parties, got {P}")
    names = party_labels(parties, P)
    cols = colors_for(names, colors)
    sols = solution_vectors(solutions, P)
    d = as_vector(disagreement, "disagreement point", P) if disagreement is not None else None
    stack = [F] + ([d[None, :]] if d is not None else []) + [v[None, :] for v in sols.values()]
    sc = _scale(np.concatenate(stack, axis=0), scale)
    fig, ax = new_axes(ax, (1.5 * P + 3.2, 4.8))
    xs = np.arange(P, dtype=float)
    handles = _draw_deals(ax, F, xs, sc, max_lines)
    for p in range(P):  # the axes, in the party colours
        ax.axvline(p, color=cols[p], lw=2.0, zorder=1, alpha=0.9)
    if d is not None:
        handles.append(_draw_reservation_ticks(ax, d, sc, cols))
    sol_handles, ends = _draw_solution_lines(ax, sols, xs, sc)
    handles += sol_handles
    if ends:
        _label_ends(ax, ends, P, sc)
    ax.set_xlim(-0.25, P - 1 + (1.35 if ends else 0.25))
    _draw_utility_scale(ax, sc, P)
    _name_axes(ax, xs, names, axis_notes, sc)
    legend_below(ax, handles, y=-0.12)
    if title:
        ax.set_title(plain(title))
    return ax


def plot_parallel_from_analysis(
    analysis: Any, *, extra_solutions: Mapping[str, Any] | None = None, **kwargs: Any
) -> Axes:
    """:func:`plot_parallel` of an ``Analysis`` (frontier, disagreement, solutions, names; the
    axis notes of :func:`~negotiation.plots._common.scale_notes`)."""
    if "axis_notes" not in kwargs:
        kwargs["axis_notes"] = scale_notes(analysis_parts(analysis)["scenario"])
    return plot_analysis(plot_parallel, analysis, extra_solutions, **kwargs)
