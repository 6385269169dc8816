"""The utility space of two parties: every outcome, the feasible ones, the frontier, the solutions.

Each outcome ``x`` is drawn at ``(u_a(x), u_b(x))``. The figure shows

* every outcome (or a sample of them): a scatter when there are few, a hexagonal-bin density
  (log counts) above ``density_threshold`` points, so that a million outcomes render in about a
  second (Carr et al. 1987);
* the feasible outcomes (individually rational, no red line crossed; Nash 1950's bargaining set)
  in green, over the region above both reservation values;
* the reservation values as dashed lines in the parties' colours (their crossing is the
  disagreement point);
* the Pareto-feasible frontier: its points, and the staircase that bounds the region it
  dominates (the "attainment surface" of the discrete set; for two parties the frontier sorted by
  ``u_a`` has ``u_b`` falling, and the staircase joins ``(x_k, y_k)`` to ``(x_{k+1}, y_{k+1})``
  through ``(x_k, y_{k+1})``);
* the solutions (Nash, asymmetric Nash, Kalai–Smorodinsky, egalitarian, utilitarian, equilibria,
  simulated agreements) as labelled markers; coincident solutions share one label.

With more than two parties, ``pair`` picks the two parties to project on; the staircase is then
the outer edge of the projection (the two-party frontier of the projected feasible set), and the
frontier points of all parties may lie inside it.

Plots take results and never compute them: the caller passes the frontier utilities, the
utilities of all (or sampled) outcomes with their feasible mask, and the solutions' utilities.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from negotiation.engine.solutions import SOLUTIONS
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
    light_grid,
    new_axes,
    party_labels,
    place_labels,
    plot_analysis,
    scale_notes,
    solution_vectors,
    wrap,
)
from negotiation.plots.colors import (
    NEUTRAL,
    distinct_markers,
    marker_key,
    plain,
    solution_label,
    solution_marker,
)

__all__ = ["plot_utility_space", "plot_utility_space_from_analysis", "staircase_points"]

#: Names drawn as filled markers (the bargaining solutions); the rest are hollow.
_FILLED = frozenset(SOLUTIONS)

#: Density colour maps: light to dark grey (all outcomes) and light to dark green (feasible).
_OUTCOME_CMAP = LinearSegmentedColormap.from_list("outcomes", ["#EBEBEB", "#7A7A7A"])
_FEASIBLE_CMAP = LinearSegmentedColormap.from_list("feasible", ["#BFE3B8", "#1E5A28"])


def staircase_points(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The two-dimensional non-dominated subset of points ``(x, y)``, sorted by ``x``.

    A point is kept when no other point has ``x' >= x`` and ``y' >= y`` with one strict (ties
    collapse to one point). This is the outer edge of a projection, for drawing only.

    >>> staircase_points(np.array([0.0, 1.0, 0.5, 0.2]), np.array([1.0, 0.0, 0.5, 0.4]))
    (array([0. , 0.5, 1. ]), array([1. , 0.5, 0. ]))
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.size == 0:
        return x, y
    pts = np.unique(np.column_stack([x, y]), axis=0)
    order = np.lexsort((-pts[:, 1], -pts[:, 0]))  # x descending, then y descending
    pts = pts[order]
    best_before = np.concatenate([[-np.inf], np.maximum.accumulate(pts[:-1, 1])])
    keep = pts[:, 1] > best_before
    kept = pts[keep][::-1]
    return kept[:, 0], kept[:, 1]


def _limits(
    arrays: list[np.ndarray], pad: float = 0.06, pad_high: float = 0.06
) -> tuple[float, float]:
    lo = min(float(a.min()) for a in arrays if a.size)
    hi = max(float(a.max()) for a in arrays if a.size)
    span = hi - lo if hi > lo else max(abs(hi), 1.0)
    return lo - pad * span, hi + pad_high * span


def _density(
    ax: Axes,
    x: np.ndarray,
    y: np.ndarray,
    cmap: Any,
    gridsize: int,
    extent: tuple[float, float, float, float],
    *,
    zorder: float,
    gid: str,
) -> None:
    """Hexagonal density (log counts, empty cells blank, rasterised) of many points."""
    hb = ax.hexbin(
        x,
        y,
        gridsize=gridsize,
        extent=extent,
        bins="log",
        mincnt=1,
        cmap=cmap,
        linewidths=0.0,
        zorder=zorder,
        rasterized=True,
    )
    hb.set_gid(gid)


def plot_utility_space(
    frontier: Any,
    *,
    outcomes: Any | None = None,
    feasible: Any | None = None,
    disagreement: Any | None = None,
    solutions: Mapping[str, Any] | None = None,
    extra_points: Mapping[str, Any] | None = None,
    parties: Sequence[str] | None = None,
    pair: tuple[int, int] = (0, 1),
    colors: Mapping[str, str] | None = None,
    density_threshold: int = 20_000,
    gridsize: int = 60,
    annotate: bool = True,
    zoom: bool = False,
    marker_scale: float = 1.0,
    legend: str = "outside",
    axis_label: str = "Utility of {party}",
    axis_notes: Mapping[str, str] | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Draw two parties' utility space.

    Parameters
    ----------
    frontier
        ``M x P`` utilities of the Pareto-feasible outcomes (``M`` may be 0).
    outcomes
        ``N x P`` utilities of every outcome, or of a sample; omitted: not drawn.
    feasible
        Length-``N`` boolean mask of the feasible rows of ``outcomes``.
    disagreement
        The ``P`` reservation values (drawn as dashed lines in the party colours).
    solutions
        ``{name: utility vector}`` (or ``Deal``/``Lottery`` objects), drawn as labelled markers;
        names such as ``"nash"`` get their display label and a fixed marker
        (:mod:`negotiation.plots.colors`). ``None`` values are skipped.
    extra_points
        ``{label: K x P utilities}``: point clouds such as many simulated agreements, drawn as
        small hollow markers with one legend entry each.
    parties
        Party display names, one per column (the scenario's names; ``Party 1``.. if omitted).
    pair
        The two columns to draw (x axis, y axis).
    colors
        ``{party: colour}``; defaults to :func:`negotiation.plots.colors.party_colors`.
    density_threshold
        Above this many points, outcomes (and feasible outcomes) are drawn as a hexbin density.
    gridsize
        Hexagons across the x axis of the density.
    annotate
        Write the solutions' labels next to their markers (else only the legend names them).
    zoom
        Fit the axes to the frontier, the feasible outcomes, the reservations and the solutions
        (the zone of agreement) instead of to every outcome.
    marker_scale
        Factor on the marker sizes (small panels use less than 1).
    legend
        ``"outside"`` (right of the axes, never over the data), ``"best"``, ``"below"`` or
        ``"none"``.
    axis_label
        Axis label template, ``{party}`` is replaced by the party's name.
    axis_notes
        ``{party: note}`` added to that party's axis label in brackets, e.g. ``"points"`` for a
        points-scored party (each party is drawn on its own scale) or ``"above 1: bonuses"``
        (see :func:`negotiation.plots._common.scale_notes`).
    title
        Axes title.
    ax
        Axes to draw in; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes. Artists carry ``gid`` tags: ``"outcomes"``, ``"feasible"``, ``"frontier"``
        (one marker per frontier point), ``"frontier-staircase"``, ``"reservation"``,
        ``"solution:<name>"`` and ``"solution-label"``.

    References
    ----------
    Nash, J. (1950). The bargaining problem. *Econometrica* 18(2), 155–162.
    Carr, D. B. et al. (1987). Scatterplot matrix techniques for large N. *JASA* 82, 424–436.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_utility_space([[0.2, 0.9], [0.6, 0.6], [0.9, 0.1]], disagreement=[0.1, 0.1],
    ...                         solutions={"nash": [0.6, 0.6]}, parties=["Ann", "Bob"])
    >>> ax.get_xlabel(), len([a for a in ax.lines if a.get_gid() == "frontier"][0].get_xdata())
    ('Utility of Ann', 3)
    """
    F = as_matrix(frontier, "frontier utilities")
    P = F.shape[1]
    if P < 2:
        raise NegotiationError(f"the utility space needs at least two parties, got {P}")
    a, b = (int(k) for k in pair)
    if not (0 <= a < P and 0 <= b < P and a != b):
        raise NegotiationError(f"pair {pair} must name two different parties among 0..{P - 1}")
    names = party_labels(parties, P)
    cols = colors_for(names, colors)
    sols = solution_vectors(solutions, P)
    fig, ax = new_axes(ax, (7.8, 5.6) if legend == "outside" else (6.0, 5.6))
    handles: list[Any] = []
    data_x: list[np.ndarray] = [F[:, a]]
    data_y: list[np.ndarray] = [F[:, b]]

    # -- all outcomes and the feasible ones ------------------------------------------------
    U = None
    mask = None
    if outcomes is not None:
        U = as_matrix(outcomes, "outcome utilities", columns=P)
        if feasible is not None:
            mask = np.asarray(feasible, dtype=bool).reshape(-1)
            if mask.size != U.shape[0]:
                raise NegotiationError(
                    f"feasible mask has {mask.size} entries for {U.shape[0]} outcomes"
                )
        shown = U if not zoom else (U[mask] if mask is not None else U[:0])
        if shown.shape[0]:
            data_x.append(shown[:, a])
            data_y.append(shown[:, b])
    d = as_vector(disagreement, "disagreement point", P) if disagreement is not None else None
    if d is not None:
        data_x.append(d[[a]])
        data_y.append(d[[b]])
    for v in sols.values():
        data_x.append(v[[a]])
        data_y.append(v[[b]])
    clouds = {k: as_matrix(v, f"points {k!r}", columns=P) for k, v in (extra_points or {}).items()}
    for c in clouds.values():
        if c.shape[0]:
            data_x.append(c[:, a])
            data_y.append(c[:, b])
    if sum(x.size for x in data_x) == 0:
        raise NegotiationError("nothing to draw: no frontier, outcomes or solutions given")
    # room up and right of the frontier for the solutions' labels
    room = 0.2 if annotate and sols else 0.06
    xlim, ylim = _limits(data_x, pad_high=room), _limits(data_y, pad_high=room * 0.6)
    extent = (xlim[0], xlim[1], ylim[0], ylim[1])

    if U is not None and U.shape[0]:
        # density or points: decided on the full set, so that zoomed panels look alike
        dense_rest = (U.shape[0] - (int(mask.sum()) if mask is not None else 0)) > density_threshold
        dense_feas = mask is not None and int(mask.sum()) > density_threshold
        if zoom:  # only what falls in the window (hexbin would pile the rest on its edges)
            inside = (
                (U[:, a] >= xlim[0])
                & (U[:, a] <= xlim[1])
                & (U[:, b] >= ylim[0])
                & (U[:, b] <= ylim[1])
            )
            U = U[inside]
            mask = mask[inside] if mask is not None else None
        rest = U if mask is None else U[~mask]
        if dense_rest and rest.shape[0]:
            _density(
                ax,
                rest[:, a],
                rest[:, b],
                _OUTCOME_CMAP,
                gridsize,
                extent,
                zorder=1,
                gid="outcomes",
            )
            lab = "other outcomes (density)" if mask is not None else "outcomes (density)"
            handles.append(Patch(facecolor="#8A8A8A", label=lab))
        elif rest.shape[0]:
            small = rest.shape[0] <= 2_000
            ax.scatter(
                rest[:, a],
                rest[:, b],
                s=14 if small else 5,
                color=NEUTRAL["outcome"],
                alpha=0.8 if small else 0.45,
                lw=0,
                zorder=1,
                rasterized=True,
                gid="outcomes",
                label="other outcomes" if mask is not None else "outcomes",
            )
            handles.append(ax.collections[-1])
        if mask is not None and mask.any():
            feas = U[mask]
            if dense_feas:
                _density(
                    ax,
                    feas[:, a],
                    feas[:, b],
                    _FEASIBLE_CMAP,
                    gridsize,
                    extent,
                    zorder=2,
                    gid="feasible",
                )
                handles.append(
                    Patch(facecolor=NEUTRAL["feasible"], label="feasible outcomes (density)")
                )
            else:
                ax.scatter(
                    feas[:, a],
                    feas[:, b],
                    s=16 if feas.shape[0] <= 2_000 else 7,
                    color=NEUTRAL["feasible"],
                    alpha=0.75,
                    lw=0,
                    zorder=2,
                    rasterized=True,
                    gid="feasible",
                    label="feasible outcomes",
                )
                handles.append(ax.collections[-1])

    # -- the region above both reservations, and the reservation lines ---------------------
    if d is not None:
        region = Rectangle(
            (d[a], d[b]),
            xlim[1] - d[a],
            ylim[1] - d[b],
            facecolor=NEUTRAL["feasible_fill"],
            edgecolor="none",
            zorder=0,
            gid="rational-region",
            label="above both reservation values",
        )
        ax.add_patch(region)
        handles.append(region)
        for k in (a, b):
            line_fn = ax.axvline if k == a else ax.axhline
            ln = line_fn(
                d[k],
                color=cols[k],
                ls=(0, (5, 3)),
                lw=1.3,
                zorder=3,
                gid="reservation",
                label=f"reservation of {names[k]} ({d[k]:.3g})",
            )
            handles.append(ln)

    # -- the frontier -----------------------------------------------------------------------
    if F.shape[0]:
        sx, sy = staircase_points(F[:, a], F[:, b])
        if sx.size > 1:
            ax.step(
                sx,
                sy,
                where="pre",
                color=NEUTRAL["frontier"],
                lw=1.2,
                zorder=4,
                gid="frontier-staircase",
            )
        (fl,) = ax.plot(
            F[:, a],
            F[:, b],
            ls="none",
            marker="o",
            ms=4.5 * marker_scale,
            mfc="white",
            mec=NEUTRAL["frontier"],
            mew=1.1,
            zorder=5,
            gid="frontier",
            label=(
                f"Pareto-feasible frontier ({F.shape[0]})"
                if P == 2
                else f"Pareto-feasible, all parties ({F.shape[0]})"
            ),
        )
        if sx.size > 1:
            handles.append(
                Line2D(
                    [],
                    [],
                    color=NEUTRAL["frontier"],
                    lw=1.2,
                    marker="o",
                    ms=4.5,
                    mfc="white",
                    mec=NEUTRAL["frontier"],
                    label=fl.get_label(),
                )
            )
        else:
            handles.append(fl)

    # -- point clouds (e.g. simulated agreements) ------------------------------------------
    for k, (label, c) in enumerate(clouds.items()):
        if c.shape[0] == 0:
            continue
        (ln,) = ax.plot(
            c[:, a],
            c[:, b],
            ls="none",
            marker=solution_marker(label, k),
            ms=5,
            mfc="none",
            mec="#444444",
            mew=0.9,
            alpha=0.8,
            zorder=6,
            gid=f"points:{label}",
            label=f"{solution_label(label)} ({c.shape[0]})",
        )
        handles.append(ln)

    # -- solutions ---------------------------------------------------------------------------
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    groups = group_coincident(sols)
    markers = distinct_markers([g[0] for g in groups])
    label_xy, label_txt = [], []
    for group in groups:
        v = sols[group[0]]
        marker = markers[group[0]]
        # bargaining solutions filled; equilibria and simulated agreements hollow and on top,
        # so that a solution under an equilibrium stays visible
        hollow = not any(marker_key(n) in _FILLED for n in group)
        (ln,) = ax.plot(
            [v[a]],
            [v[b]],
            ls="none",
            marker=marker,
            ms=(14 if marker == "*" else 10 if hollow else 9) * marker_scale,
            mfc="white" if hollow else NEUTRAL["solution"],
            mec=NEUTRAL["solution"] if hollow else "white",
            mew=1.6 if hollow else 0.8,
            alpha=0.9 if hollow else 1.0,
            zorder=9 if hollow else 8,
            gid="solution:" + "+".join(group),
            label=group_label(group),
        )
        handles.append(ln)
        label_xy.append((float(v[a]), float(v[b])))
        label_txt.append(group_label(group, multiline=True))

    notes = {plain(k): v for k, v in (axis_notes or {}).items()}
    for setter, k in ((ax.set_xlabel, a), (ax.set_ylabel, b)):
        note = notes.get(names[k])
        setter(axis_label.format(party=names[k]) + (f" ({plain(note)})" if note else ""))
    light_grid(ax, zorder=-1)
    if title:
        ax.set_title(plain(title))
    for h in handles:
        h.set_label(wrap(h.get_label(), 34))
    if legend == "outside":
        legend_right(ax, handles)
    elif legend == "below":
        legend_below(ax, handles, y=-0.13)
    elif legend == "best":
        ax.legend(handles=handles, loc="best", fontsize=8, framealpha=0.85)
    elif legend != "none":
        raise NegotiationError(
            f"legend must be 'outside', 'below', 'best' or 'none', got {legend!r}"
        )
    if annotate and label_xy:
        if fig.get_layout_engine() is not None:
            fig.draw_without_rendering()  # settle the layout so labels are placed in final axes
        avoid = [
            (float(c[i, a]), float(c[i, b]))
            for c in clouds.values()
            for i in range(min(len(c), 200))
        ]
        avoid += [(float(x), float(y)) for x, y in F[:400, [a, b]]]
        paths = []
        if F.shape[0]:
            sx, sy = staircase_points(F[:, a], F[:, b])
            if sx.size > 1:  # the drawn staircase: (x_k, y_k) -> (x_k, y_k+1) -> (x_k+1, y_k+1)
                px = np.repeat(sx, 2)[:-1]
                py = np.repeat(sy, 2)[1:]
                paths.append((px, py))
        place_labels(ax, label_xy, label_txt, avoid=avoid, avoid_paths=paths)
    return ax


def plot_utility_space_from_analysis(
    analysis: Any,
    *,
    outcomes: Any | None = None,
    feasible: Any | None = None,
    extra_solutions: Mapping[str, Any] | None = None,
    pair: tuple[int, int] = (0, 1),
    **kwargs: Any,
) -> Axes:
    """:func:`plot_utility_space` of an ``Analysis`` (or a ``Frontier``): its frontier,
    disagreement point, solutions and party names; ``extra_solutions`` (equilibria, simulated
    agreements) are added to the markers. Outcomes are still passed by the caller.
    """
    if "axis_notes" not in kwargs:
        kwargs["axis_notes"] = scale_notes(analysis_parts(analysis)["scenario"])
    return plot_analysis(
        plot_utility_space,
        analysis,
        extra_solutions,
        outcomes=outcomes,
        feasible=feasible,
        pair=pair,
        **kwargs,
    )
