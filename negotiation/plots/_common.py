"""Helpers shared by the plotting modules: input checks, adapters for results, label placement.

Nothing here computes an analysis: the adapters only read fields of results that the engine has
already computed (an ``Analysis``, a ``Frontier``, ``Deal`` objects).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from negotiation.errors import NegotiationError
from negotiation.plots.colors import NEUTRAL, party_colors, plain, solution_label

__all__ = [
    "as_matrix",
    "as_vector",
    "column",
    "party_labels",
    "colors_for",
    "solution_vectors",
    "analysis_parts",
    "plot_analysis",
    "place_labels",
    "wrap",
    "scale_notes",
    "wrap_label",
    "signed",
    "new_axes",
    "light_grid",
    "legend_right",
    "legend_below",
    "root_figure",
]


def as_matrix(x: Any, what: str, *, columns: int | None = None) -> np.ndarray:
    """``x`` as a 2-D float array (copy), or a :class:`NegotiationError` saying what is wrong."""
    try:
        arr = np.array(x, dtype=float)
    except (TypeError, ValueError):
        raise NegotiationError(f"{what} must be a numeric matrix, got {type(x).__name__}") from None
    if arr.ndim == 1 and arr.size == 0:
        arr = arr.reshape(0, columns or 0)
    if arr.ndim != 2:
        raise NegotiationError(
            f"{what} must be a 2-D matrix (rows x parties), got shape {arr.shape}"
        )
    if columns is not None and arr.shape[1] != columns:
        raise NegotiationError(
            f"{what} must have {columns} columns (one per party), got {arr.shape[1]}"
        )
    if not np.all(np.isfinite(arr)):
        raise NegotiationError(f"{what} contains NaN or infinite values")
    return arr


def as_vector(x: Any, what: str, size: int) -> np.ndarray:
    """``x`` as a 1-D float array of length ``size``."""
    try:
        arr = np.array(x, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise NegotiationError(f"{what} must be numbers, got {x!r}") from None
    if arr.size != size:
        raise NegotiationError(f"{what} must have {size} entries (one per party), got {arr.size}")
    if not np.all(np.isfinite(arr)):
        raise NegotiationError(f"{what} contains NaN or infinite values")
    return arr


def column(frame: Any, name: str) -> Any:
    """The column ``name`` of a DataFrame; a clear error (naming the columns) when it is missing.

    >>> import pandas as pd
    >>> column(pd.DataFrame({"a": [1]}), "a").tolist()
    [1]
    """
    if name not in frame.columns:
        raise NegotiationError(
            f"the table has no column {name!r} (columns: {list(frame.columns)[:12]} ...)"
        )
    return frame[name]


def party_labels(parties: Sequence[str] | None, n: int) -> list[str]:
    """Party display names (``Party 1``, ... when none are given); checks the count."""
    if parties is None:
        return [f"Party {k + 1}" for k in range(n)]
    parties = [plain(p) for p in parties]
    if len(parties) != n:
        raise NegotiationError(f"got {len(parties)} party names for {n} utility columns")
    return parties


def colors_for(parties: Sequence[str], colors: Mapping[str, str] | None) -> list[str]:
    """Colour of each party: from ``colors`` when given (every party must be in it), else the
    fixed palette by position."""
    if colors is None:
        table = party_colors(parties)
    else:  # names may come escaped (plain text) or as written
        table = {**dict(colors), **{plain(k): v for k, v in colors.items()}}
        missing = [p for p in parties if p not in table]
        if missing:
            raise NegotiationError(f"no colour given for parties {missing}")
    return [table[p] for p in parties]


def solution_vectors(
    solutions: Mapping[str, Any] | None, n_parties: int | None
) -> dict[str, np.ndarray]:
    """``{name: utility vector}`` from vectors, ``Deal``/``Lottery`` objects (``.utilities``) or
    ``{"utilities": {...}}`` dicts; ``None`` entries (a solution that does not exist) are
    dropped. ``n_parties=None`` takes the length of the first vector."""
    out: dict[str, np.ndarray] = {}
    for name, value in (solutions or {}).items():
        if value is None:
            continue
        if hasattr(value, "utilities"):
            value = value.utilities
        elif isinstance(value, Mapping) and "utilities" in value:
            value = list(value["utilities"].values())
        if n_parties is None:
            n_parties = int(np.size(value))
        out[str(name)] = as_vector(value, f"utilities of {name!r}", n_parties)
    return out


def analysis_parts(
    analysis: Any, extra_solutions: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Read the pieces the plots need from an ``Analysis`` (or a ``Frontier``), duck-typed.

    Returns ``frontier`` (M x P utilities), ``levels`` (M x I), ``disagreement``, ``solutions``
    (``{name: vector}``, followed by ``extra_solutions`` such as equilibria or a simulated
    agreement; an extra one of the same name replaces the analysis's), ``parties`` (names),
    ``scenario`` (the discrete scenario the frontier was computed on).
    """
    frontier = getattr(analysis, "frontier", None)
    if frontier is None and hasattr(analysis, "utilities") and hasattr(analysis, "levels"):
        frontier = analysis
    if frontier is None:
        raise NegotiationError(
            f"expected an Analysis or a Frontier (with .frontier.utilities), got {type(analysis).__name__}"
        )
    # the frontier's scenario is the discrete one (a continuous scenario is discretised for it)
    scenario = getattr(frontier, "scenario", None) or analysis.scenario
    names = tuple(scenario.party_names)
    sols = getattr(analysis, "solutions", None) or {}
    return {
        "frontier": np.asarray(frontier.utilities, dtype=float),
        "levels": np.asarray(frontier.levels),
        "disagreement": np.asarray(scenario.reservations, dtype=float),
        "solutions": {
            **solution_vectors(sols, len(names)),
            **solution_vectors(extra_solutions, len(names)),
        },
        "parties": list(names),
        "scenario": scenario,
    }


def scale_notes(scenario: Any) -> dict[str, str]:
    """``{party: note}`` saying what a party's utility scale is, for axis labels.

    A points-scored party is on its own scale (``"points"``): its utilities are never put on one
    axis with another party's or added to them. A weighted party with positive bonuses can score
    above 1 (``"above 1: bonuses"``). An observer (not needed for agreement) says so. Other
    parties get no note (their scale is 0 to 1).
    """
    out = {}
    for party in getattr(scenario, "parties", ()):
        notes = []
        if getattr(party, "observer", False):
            notes.append("observer")
        if getattr(party, "scored_in_points", False):
            notes.append("points")
        elif any(float(v) > 0 for _, v in getattr(party, "bonuses", ())):
            notes.append("above 1: bonuses")
        if notes:
            out[party.name] = "; ".join(notes)
    return out


def plot_analysis(
    plot: Callable[..., Any],
    analysis: Any,
    extra_solutions: Mapping[str, Any] | None = None,
    **kwargs: Any,
) -> Any:
    """``plot`` (a function drawing a frontier) of an ``Analysis`` or a ``Frontier``: its
    frontier, disagreement point, solutions (then ``extra_solutions``) and party names; other
    arguments are passed on."""
    parts = analysis_parts(analysis, extra_solutions)
    return plot(
        parts["frontier"],
        disagreement=parts["disagreement"],
        solutions=parts["solutions"],
        parties=parts["parties"],
        **kwargs,
    )


def wrap(text: str, width: int) -> str:
    """Wrap ``text`` to lines of at most ``width`` characters (words are not broken unless one is
    longer than the width); plain text (``$`` escaped)."""
    lines = textwrap.wrap(plain(text), width=max(4, width), break_long_words=False)
    return "\n".join(lines) or ""


def wrap_label(label: str, width: int) -> str:
    """Wrap a label; coincident-solution labels (``A = B``) break after each ``=``."""
    parts = str(label).split(" = ")
    return " =\n".join(wrap(p, width) for p in parts)


def signed(x: float, digits: int = 2) -> str:
    """``+0.12`` / ``−0.05`` with a true minus sign."""
    return f"{x:+.{digits}f}".replace("-", "\u2212")


def new_axes(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    """The given axes and its figure, or a new figure (constrained layout) with one axes."""
    if ax is not None:
        return root_figure(ax), ax
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def root_figure(ax: Axes) -> Figure:
    """The figure ``ax`` is drawn in (the top-level one when ``ax`` sits in a subfigure)."""
    return ax.get_figure(root=True)  # type: ignore[return-value]  # root=True is never None for an axes


def light_grid(ax: Axes, axis: Literal["both", "x", "y"] = "both", **kwargs: Any) -> None:
    """Thin light-grey grid lines behind everything else drawn on ``ax``."""
    ax.grid(True, axis=axis, color=NEUTRAL["grid"], lw=0.6, **kwargs)
    ax.set_axisbelow(True)


def legend_right(ax: Axes, handles: Sequence[Any], x: float = 1.02) -> None:
    """The legend outside the axes, to the right, top-aligned (``x`` in axes fractions)."""
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(x, 1.0),
        borderaxespad=0,
        fontsize=8,
        frameon=False,
    )


def legend_below(ax: Axes, handles: Sequence[Any], y: float) -> None:
    """The legend under the axes in two columns (``y``, negative, in axes fractions)."""
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, y),
        ncols=2,
        fontsize=8,
        frameon=False,
    )


def group_coincident(vectors: Mapping[str, np.ndarray], tol: float = 1e-9) -> list[list[str]]:
    """Group names whose vectors are equal within ``tol`` (keeps first-seen order)."""
    groups: list[list[str]] = []
    reps: list[np.ndarray] = []
    for name, v in vectors.items():
        for g, r in zip(groups, reps, strict=True):
            if np.allclose(v, r, atol=tol, rtol=0):
                g.append(name)
                break
        else:
            groups.append([name])
            reps.append(v)
    return groups


def group_label(names: Sequence[str], multiline: bool = False) -> str:
    """``"Nash = Kalai–Smorodinsky"`` for coincident solutions (one name a line with
    ``multiline``)."""
    return (" =\n" if multiline else " = ").join(solution_label(n) for n in names)


#: Candidate label directions (dx, dy), in order of preference: outward from a Pareto frontier
#: (up and right) first.
_DIRECTIONS = (
    (1, 1),
    (1, 0),
    (0, 1),
    (1, -1),
    (-1, 1),
    (-1, 0),
    (0, -1),
    (-1, -1),
    (1, 0.5),
    (0.5, 1),
    (-0.5, 1),
    (-1, 0.5),
    (-1, -0.5),
    (-0.5, -1),
    (0.5, -1),
    (1, -0.5),
)
_RADII = (7, 12, 18, 26, 36, 48, 64, 84)


def place_labels(
    ax: Axes,
    xy: Sequence[tuple[float, float]],
    texts: Sequence[str],
    *,
    fontsize: float = 8,
    directions: Sequence[tuple[float, float]] = _DIRECTIONS,
    avoid: Sequence[tuple[float, float]] = (),
    avoid_paths: Sequence[tuple[Any, Any]] = (),
    gid: str = "solution-label",
) -> list:
    """Annotate points with non-overlapping labels inside the axes (greedy placement).

    For each point in turn, the first candidate offset (direction x radius, in points) whose text
    box lies inside the axes and overlaps neither an earlier label, nor a marker (the points
    themselves and ``avoid``), nor a line (``avoid_paths``: ``(x, y)`` polylines in data
    coordinates, sampled every few pixels) is taken; labels far from their point get a thin
    leader line. Axis limits must be final before calling this.
    """
    fig = root_figure(ax)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]  # Agg and its kin have it
    axbox = ax.get_window_extent(renderer)
    to_disp = ax.transData.transform
    pts = [to_disp(p) for p in list(xy) + list(avoid)]
    scale = fig.dpi / 72.0
    marker_boxes = [
        Bbox.from_bounds(px - 5 * scale, py - 5 * scale, 10 * scale, 10 * scale) for px, py in pts
    ]
    for xs, ys in avoid_paths:
        path = to_disp(np.column_stack([np.asarray(xs, float), np.asarray(ys, float)]))
        for (ax0, ay0), (ax1, ay1) in zip(path[:-1], path[1:], strict=True):
            n = int(max(abs(ax1 - ax0), abs(ay1 - ay0)) // (4 * scale)) + 2
            for t in np.linspace(0.0, 1.0, n):
                qx, qy = ax0 + t * (ax1 - ax0), ay0 + t * (ay1 - ay0)
                marker_boxes.append(
                    Bbox.from_bounds(qx - 2 * scale, qy - 2 * scale, 4 * scale, 4 * scale)
                )
    placed: list[Bbox] = []
    out = []
    for (x, y), text in zip(xy, texts, strict=True):
        probe = ax.text(0, 0, text, fontsize=fontsize, transform=None)
        ext = probe.get_window_extent(renderer)
        probe.remove()
        w, h = ext.width, ext.height
        px, py = to_disp((x, y))
        choice: tuple[float, float, str, str, Bbox | None, float] | None = None
        for r in _RADII:
            for dx, dy in directions:
                ox, oy = dx * r * scale, dy * r * scale
                ha = "left" if dx > 0.3 else "right" if dx < -0.3 else "center"
                va = "bottom" if dy > 0.3 else "top" if dy < -0.3 else "center"
                x0 = px + ox - (0 if ha == "left" else w if ha == "right" else w / 2)
                y0 = py + oy - (0 if va == "bottom" else h if va == "top" else h / 2)
                box = Bbox.from_bounds(x0, y0, w, h)
                inside = (
                    box.x0 >= axbox.x0 + 2
                    and box.x1 <= axbox.x1 - 2
                    and box.y0 >= axbox.y0 + 2
                    and box.y1 <= axbox.y1 - 2
                )
                if not inside:
                    continue
                if any(box.overlaps(b) for b in placed) or any(
                    box.overlaps(b) for b in marker_boxes
                ):
                    continue
                choice = (dx * r, dy * r, ha, va, box, r)
                break
            if choice:
                break
        if choice is None:  # nothing free: up-right, clipped to nothing (may overlap)
            choice = (
                (-7, 7, "right", "bottom", None, 7)
                if px > axbox.x1 - w - 10
                else (7, 7, "left", "bottom", None, 7)
            )
        ox, oy, ha, va, free, radius = choice
        if free is not None:
            placed.append(free)
        ann = ax.annotate(
            text,
            (x, y),
            xytext=(ox, oy),
            textcoords="offset points",
            ha=ha,
            va=va,
            fontsize=fontsize,
            zorder=6,
            gid=gid,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
            arrowprops=(
                {"arrowstyle": "-", "lw": 0.6, "color": "#444444", "shrinkA": 0, "shrinkB": 3}
                if radius > 10
                else None
            ),
        )
        out.append(ann)
    return out
