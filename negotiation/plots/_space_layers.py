"""The drawing layers of the utility space (:func:`negotiation.plots.plot_utility_space`): the
window, every outcome and the feasible ones (points or a hexbin density, Carr et al. 1987), the
reservation values, point clouds and the solutions' markers. Each ``draw_*`` draws one layer on
the axes and returns its legend handles.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.patches import Patch, Rectangle

from negotiation.engine.solutions import SOLUTIONS
from negotiation.plots._common import group_coincident, group_label
from negotiation.plots.colors import (
    NEUTRAL,
    distinct_markers,
    marker_key,
    solution_label,
    solution_marker,
)

#: Names drawn as filled markers (the bargaining solutions); the rest are hollow.
_FILLED = frozenset(SOLUTIONS)

#: Density colour maps: light to dark grey (all outcomes) and light to dark green (feasible).
_OUTCOME_CMAP = LinearSegmentedColormap.from_list("outcomes", ["#EBEBEB", "#7A7A7A"])
_FEASIBLE_CMAP = LinearSegmentedColormap.from_list("feasible", ["#BFE3B8", "#1E5A28"])


def limits(
    arrays: list[np.ndarray], pad: float = 0.06, pad_high: float = 0.06
) -> tuple[float, float]:
    """Axis limits holding every value of ``arrays``, padded by ``pad`` (low end) and
    ``pad_high`` (high end) of the span."""
    lo = min(float(a.min()) for a in arrays if a.size)
    hi = max(float(a.max()) for a in arrays if a.size)
    span = hi - lo if hi > lo else max(abs(hi), 1.0)
    return lo - pad * span, hi + pad_high * span


def density(
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


@dataclass(frozen=True)
class Window:
    """The two drawn columns ``a`` (x axis) and ``b`` (y axis) and the axes limits."""

    a: int
    b: int
    xlim: tuple[float, float]
    ylim: tuple[float, float]

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """``(x0, x1, y0, y1)``, as ``hexbin`` takes it."""
        return (self.xlim[0], self.xlim[1], self.ylim[0], self.ylim[1])

    def xy(self, M: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The drawn columns of the ``K x P`` matrix ``M``."""
        return M[:, self.a], M[:, self.b]

    def inside(self, M: np.ndarray) -> np.ndarray:
        """Mask of the rows of ``M`` that fall in the window."""
        x, y = self.xy(M)
        return (x >= self.xlim[0]) & (x <= self.xlim[1]) & (y >= self.ylim[0]) & (y <= self.ylim[1])


def _draw_points(
    ax: Axes, M: np.ndarray, w: Window, dense: bool, gridsize: int, style: dict[str, Any]
) -> Any:
    """``M``'s rows as a hexbin density (``dense``) or as a scatter; the legend handle.

    ``style`` holds ``cmap``, ``zorder``, ``gid``, ``label``, ``density_label``,
    ``density_color`` and the scatter's ``color``, ``s`` (small set, large set) and ``alpha``
    (small set, large set)."""
    x, y = w.xy(M)
    if dense:
        density(
            ax, x, y, style["cmap"], gridsize, w.extent, zorder=style["zorder"], gid=style["gid"]
        )
        return Patch(facecolor=style["density_color"], label=style["density_label"])
    small = M.shape[0] <= 2_000
    ax.scatter(
        x,
        y,
        s=style["s"][0 if small else 1],
        color=style["color"],
        alpha=style["alpha"][0 if small else 1],
        lw=0,
        zorder=style["zorder"],
        rasterized=True,
        gid=style["gid"],
        label=style["label"],
    )
    return ax.collections[-1]


def draw_outcomes(
    ax: Axes,
    U: np.ndarray,
    mask: np.ndarray | None,
    w: Window,
    *,
    zoom: bool,
    density_threshold: int,
    gridsize: int,
) -> list[Any]:
    """Every outcome (grey) and the feasible ones (green), as points or densities; the legend
    handles. Density or points is decided on the full set, so that zoomed panels look alike;
    zoomed, only what falls in the window is drawn (hexbin would pile the rest on its edges)."""
    n_feasible = int(mask.sum()) if mask is not None else 0
    dense_rest = (U.shape[0] - n_feasible) > density_threshold
    dense_feas = mask is not None and n_feasible > density_threshold
    if zoom:
        inside = w.inside(U)
        U = U[inside]
        mask = mask[inside] if mask is not None else None
    handles: list[Any] = []
    rest = U if mask is None else U[~mask]
    if rest.shape[0]:
        other = "other outcomes" if mask is not None else "outcomes"
        style = {
            "cmap": _OUTCOME_CMAP,
            "zorder": 1,
            "gid": "outcomes",
            "label": other,
            "density_label": f"{other} (density)",
            "density_color": "#8A8A8A",
            "color": NEUTRAL["outcome"],
            "s": (14, 5),
            "alpha": (0.8, 0.45),
        }
        handles.append(_draw_points(ax, rest, w, dense_rest, gridsize, style))
    if mask is not None and mask.any():
        style = {
            "cmap": _FEASIBLE_CMAP,
            "zorder": 2,
            "gid": "feasible",
            "label": "feasible outcomes",
            "density_label": "feasible outcomes (density)",
            "density_color": NEUTRAL["feasible"],
            "color": NEUTRAL["feasible"],
            "s": (16, 7),
            "alpha": (0.75, 0.75),
        }
        handles.append(_draw_points(ax, U[mask], w, dense_feas, gridsize, style))
    return handles


def draw_reservations(
    ax: Axes, d: np.ndarray, w: Window, names: Sequence[str], cols: Sequence[str]
) -> list[Any]:
    """The region above both reservation values and the two dashed reservation lines."""
    a, b = w.a, w.b
    region = Rectangle(
        (d[a], d[b]),
        w.xlim[1] - d[a],
        w.ylim[1] - d[b],
        facecolor=NEUTRAL["feasible_fill"],
        edgecolor="none",
        zorder=0,
        gid="rational-region",
        label="above both reservation values",
    )
    ax.add_patch(region)
    handles: list[Any] = [region]
    for k, line_fn in ((a, ax.axvline), (b, ax.axhline)):
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
    return handles


def draw_clouds(ax: Axes, clouds: Mapping[str, np.ndarray], w: Window) -> list[Any]:
    """Point clouds (e.g. simulated agreements): small hollow markers, one legend entry each."""
    handles = []
    for k, (label, c) in enumerate(clouds.items()):
        if c.shape[0] == 0:
            continue
        x, y = w.xy(c)
        (ln,) = ax.plot(
            x,
            y,
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
    return handles


def draw_solutions(
    ax: Axes, sols: Mapping[str, np.ndarray], w: Window, marker_scale: float
) -> tuple[list[Any], list[tuple[float, float]], list[str]]:
    """One marker per group of coincident solutions; the legend handles, and the points and
    texts of their labels. Bargaining solutions are filled; equilibria and simulated
    agreements hollow and on top, so that a solution under an equilibrium stays visible."""
    groups = group_coincident(sols)
    markers = distinct_markers([g[0] for g in groups])
    handles, label_xy, label_txt = [], [], []
    for group in groups:
        v = sols[group[0]]
        marker = markers[group[0]]
        hollow = not any(marker_key(n) in _FILLED for n in group)
        (ln,) = ax.plot(
            [v[w.a]],
            [v[w.b]],
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
        label_xy.append((float(v[w.a]), float(v[w.b])))
        label_txt.append(group_label(group, multiline=True))
    return handles, label_xy, label_txt
