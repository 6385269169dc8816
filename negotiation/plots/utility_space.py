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
from matplotlib.lines import Line2D

from negotiation.engine.pareto import pareto_mask
from negotiation.errors import NegotiationError
from negotiation.plots._common import (
    analysis_parts,
    as_matrix,
    as_vector,
    colors_for,
    legend_below,
    legend_right,
    light_grid,
    new_axes,
    party_labels,
    place_labels,
    plot_analysis,
    root_figure,
    scale_notes,
    solution_vectors,
    wrap,
)
from negotiation.plots._space_layers import (
    Window,
    draw_clouds,
    draw_outcomes,
    draw_reservations,
    draw_solutions,
    limits,
)
from negotiation.plots.colors import (
    NEUTRAL,
    plain,
)

__all__ = ["plot_utility_space", "plot_utility_space_from_analysis", "staircase_points"]


def staircase_points(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The two-dimensional non-dominated subset of points ``(x, y)``, sorted by ``x``.

    A point is kept when no other point has ``x' >= x`` and ``y' >= y`` with one strict (ties
    collapse to one point). This is the outer edge of a projection, for drawing only: the
    distinct points, filtered by :func:`negotiation.engine.pareto.pareto_mask` (two mutually
    non-dominated distinct points differ in ``x``, so the lexicographic order of ``np.unique`` is
    the order by ``x``).

    >>> staircase_points(np.array([0.0, 1.0, 0.5, 0.2]), np.array([1.0, 0.0, 0.5, 0.4]))
    (array([0. , 0.5, 1. ]), array([1. , 0.5, 0. ]))
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.size == 0:
        return x, y
    pts = np.unique(np.column_stack([x, y]), axis=0)
    kept = pts[pareto_mask(pts)]
    return kept[:, 0], kept[:, 1]


def _pair(pair: tuple[int, int], P: int) -> tuple[int, int]:
    """The two drawn columns, checked against the ``P`` parties."""
    if P < 2:
        raise NegotiationError(f"the utility space needs at least two parties, got {P}")
    a, b = (int(k) for k in pair)
    if not (0 <= a < P and 0 <= b < P and a != b):
        raise NegotiationError(f"pair {pair} must name two different parties among 0..{P - 1}")
    return a, b


def _outcomes_and_mask(
    outcomes: Any | None, feasible: Any | None, P: int
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The ``N x P`` outcome utilities and their feasible mask (each ``None`` when not given)."""
    if outcomes is None:
        return None, None
    U = as_matrix(outcomes, "outcome utilities", columns=P)
    if feasible is None:
        return U, None
    mask = np.asarray(feasible, dtype=bool).reshape(-1)
    if mask.size != U.shape[0]:
        raise NegotiationError(f"feasible mask has {mask.size} entries for {U.shape[0]} outcomes")
    return U, mask


def _window(
    a: int,
    b: int,
    shown: list[np.ndarray],
    room: float,
) -> Window:
    """Axes limits that hold every row of the ``K x P`` matrices ``shown``, with ``room`` (a
    fraction of the span) up and right for the solutions' labels."""
    data_x = [M[:, a] for M in shown]
    data_y = [M[:, b] for M in shown]
    if sum(x.size for x in data_x) == 0:
        raise NegotiationError("nothing to draw: no frontier, outcomes or solutions given")
    return Window(a, b, limits(data_x, pad_high=room), limits(data_y, pad_high=room * 0.6))


def _shown_rows(
    F: np.ndarray,
    U: np.ndarray | None,
    mask: np.ndarray | None,
    d: np.ndarray | None,
    sols: Mapping[str, np.ndarray],
    clouds: Mapping[str, np.ndarray],
    zoom: bool,
) -> list[np.ndarray]:
    """The matrices the axes must hold: the frontier, the outcomes (the feasible ones only when
    zoomed), the disagreement point, the solutions and the point clouds."""
    shown = [F]
    if U is not None:
        rows = U if not zoom else (U[mask] if mask is not None else U[:0])
        if rows.shape[0]:
            shown.append(rows)
    if d is not None:
        shown.append(d[None, :])
    shown += [v[None, :] for v in sols.values()]
    shown += [c for c in clouds.values() if c.shape[0]]
    return shown


def _draw_frontier(ax: Axes, F: np.ndarray, w: Window, marker_scale: float) -> Any:
    """The frontier's points and its staircase; the legend handle."""
    sx, sy = staircase_points(*w.xy(F))
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
    style: dict[str, Any] = {"marker": "o", "mfc": "white", "mec": NEUTRAL["frontier"]}
    label = (
        f"Pareto-feasible frontier ({F.shape[0]})"
        if F.shape[1] == 2
        else f"Pareto-feasible, all parties ({F.shape[0]})"
    )
    x, y = w.xy(F)
    (fl,) = ax.plot(
        x,
        y,
        ls="none",
        ms=4.5 * marker_scale,
        mew=1.1,
        zorder=5,
        gid="frontier",
        label=label,
        **style,
    )
    if sx.size > 1:
        return Line2D([], [], color=NEUTRAL["frontier"], lw=1.2, ms=4.5, label=label, **style)
    return fl


def _label_axes(
    ax: Axes,
    w: Window,
    names: Sequence[str],
    axis_label: str,
    axis_notes: Mapping[str, str] | None,
    title: str | None,
) -> None:
    """Axis labels (with the parties' scale notes), the grid and the title."""
    notes = {plain(k): v for k, v in (axis_notes or {}).items()}
    for setter, k in ((ax.set_xlabel, w.a), (ax.set_ylabel, w.b)):
        note = notes.get(names[k])
        setter(axis_label.format(party=names[k]) + (f" ({plain(note)})" if note else ""))
    light_grid(ax, zorder=-1)
    if title:
        ax.set_title(plain(title))


def _draw_legend(ax: Axes, handles: list[Any], legend: str) -> None:
    """The legend where ``legend`` says (labels wrapped at 34 characters)."""
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


def _annotate(
    ax: Axes,
    F: np.ndarray,
    clouds: Mapping[str, np.ndarray],
    w: Window,
    label_xy: list[tuple[float, float]],
    label_txt: list[str],
) -> None:
    """Write the solutions' labels beside their markers, clear of the frontier's points, its
    staircase and the point clouds."""
    fig = root_figure(ax)
    if fig.get_layout_engine() is not None:
        fig.draw_without_rendering()  # settle the layout so labels are placed in final axes
    a, b = w.a, w.b
    avoid = [
        (float(c[i, a]), float(c[i, b])) for c in clouds.values() for i in range(min(len(c), 200))
    ]
    avoid += [(float(x), float(y)) for x, y in F[:400, [a, b]]]
    paths = []
    if F.shape[0]:
        sx, sy = staircase_points(F[:, a], F[:, b])
        if sx.size > 1:  # the drawn staircase: (x_k, y_k) -> (x_k, y_k+1) -> (x_k+1, y_k+1)
            paths.append((np.repeat(sx, 2)[:-1], np.repeat(sy, 2)[1:]))
    place_labels(ax, label_xy, label_txt, avoid=avoid, avoid_paths=paths)


# size: the numpy docstring (every parameter, the gids, references, example) is 80 lines
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
    .. [Nash1950] Nash, "The bargaining problem" (1950). Full entry: docs/references.md.
    .. [CLNL1987] Carr et al., "Scatterplot matrix techniques for large N" (1987).
       Full entry: docs/references.md.

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
    a, b = _pair(pair, P)
    names = party_labels(parties, P)
    cols = colors_for(names, colors)
    sols = solution_vectors(solutions, P)
    fig, ax = new_axes(ax, (7.8, 5.6) if legend == "outside" else (6.0, 5.6))
    U, mask = _outcomes_and_mask(outcomes, feasible, P)
    d = as_vector(disagreement, "disagreement point", P) if disagreement is not None else None
    clouds = {k: as_matrix(v, f"points {k!r}", columns=P) for k, v in (extra_points or {}).items()}
    room = 0.2 if annotate and sols else 0.06  # up and right of the frontier, for the labels
    w = _window(a, b, _shown_rows(F, U, mask, d, sols, clouds, zoom), room)
    handles: list[Any] = []
    if U is not None and U.shape[0]:
        handles += draw_outcomes(
            ax, U, mask, w, zoom=zoom, density_threshold=density_threshold, gridsize=gridsize
        )
    if d is not None:
        handles += draw_reservations(ax, d, w, names, cols)
    if F.shape[0]:
        handles.append(_draw_frontier(ax, F, w, marker_scale))
    handles += draw_clouds(ax, clouds, w)
    ax.set_xlim(*w.xlim)
    ax.set_ylim(*w.ylim)
    sol_handles, label_xy, label_txt = draw_solutions(ax, sols, w, marker_scale)
    _label_axes(ax, w, names, axis_label, axis_notes, title)
    _draw_legend(ax, handles + sol_handles, legend)
    if annotate and label_xy:
        _annotate(ax, F, clouds, w, label_xy, label_txt)
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
