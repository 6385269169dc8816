"""Forecast paths: each issue's forecast position round by round, one panel per issue.

One panel per issue, its vertical axis the issue's 0--100 continuum with the scenario's levels
as tick labels. Each dynamic model (EUM, exchange, PCE) is a line through its forecast after
every round; each static model (compromise, median voter) a horizontal line; the actors'
starting positions are coloured ticks on the left edge (one colour per party, as in every
figure). The plot takes the models' results; it never runs a model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from negotiation.errors import NegotiationError
from negotiation.plots._common import colors_for, light_grid, wrap
from negotiation.plots.colors import plain, pretty_level

__all__ = ["plot_forecast_paths", "plot_forecast_paths_from_results", "MODEL_STYLES"]

#: Line style of each model: (colour, linestyle, marker, label).
MODEL_STYLES = {
    "compromise": ("#222222", (0, (6, 3)), None, "compromise (weighted mean)"),
    "median": ("#777777", (0, (2, 2)), None, "median voter"),
    "eum": ("#000000", "-", "o", "expected utility (EUM)"),
    "exchange": ("#555555", "-", "s", "exchange (equal gain)"),
    "pce": ("#999999", "-", "^", "PCE (KTAB)"),
}


def _histories(histories: Mapping[str, Any], m: int) -> dict[str, np.ndarray]:
    """The histories as ``rounds x m`` float arrays, checked."""
    H = {}
    for name, h in histories.items():
        a = np.asarray(h, dtype=float)
        if a.ndim != 2 or a.shape[1] != m:
            raise NegotiationError(f"history of {name!r} must be rounds x {m}, got {a.shape}")
        H[name] = a
    return H


def _draw_models(ax: Axes, H: Mapping[str, np.ndarray], d: int) -> None:
    """Each model's forecast of issue ``d``: a line over the rounds, or a level (static)."""
    for name, a in H.items():
        color, ls, marker, _ = MODEL_STYLES.get(name, ("#000000", "-", None, name))
        if a.shape[0] == 1:
            ax.axhline(a[0, d], color=color, ls=ls, lw=1.3)
            continue
        x = np.arange(a.shape[0])
        ax.plot(
            x,
            a[:, d],
            color=color,
            ls=ls,
            lw=1.4,
            marker=marker,
            ms=3.5,
            markevery=max(1, len(x) // 10),
        )


def _draw_starts(ax: Axes, start: np.ndarray, d: int, pc: Sequence[str], rounds: int) -> None:
    """The actors' starting positions on issue ``d``: coloured ticks left of the panel, side
    by side, so that equal positions stay visible."""
    lead = 0.05 * max(rounds, 1)
    for k in range(start.shape[0]):
        ax.plot(
            [-lead * (start.shape[0] - k)],
            [start[k, d]],
            marker=">",
            ms=6,
            color=pc[k],
            clip_on=False,
            ls="none",
        )


def _round_axis(ax: Axes, rounds: int, n_start: int) -> None:
    """The x axis: the rounds (integer ticks), with room on the left for the start ticks."""
    last = max(rounds, 1)
    ax.set_xlim(-0.05 * last * (n_start + 0.5), last)
    ticks = MaxNLocator(integer=True, nbins=6).tick_values(0, last)
    ax.set_xticks([v for v in ticks if 0 <= v <= last])


def _position_axis(
    ax: Axes,
    levels: Sequence[float] | None,
    level_names: Sequence[str] | None,
) -> None:
    """The y axis: the 0-100 continuum, ticked at the issue's levels (named when given)."""
    ax.set_ylim(-4, 104)
    if levels is not None:
        ax.set_yticks(list(levels))
        if level_names is not None:
            ax.set_yticklabels([wrap(pretty_level(n), 18) for n in level_names], fontsize=7)


def _legend(
    fig: Figure, models: Sequence[str], names: Sequence[str] | None, pc: Sequence[str] | None
) -> None:
    """One legend under the panels: the models' styles, then the actors' start ticks."""
    handles = [
        Line2D(
            [],
            [],
            color=MODEL_STYLES.get(n, ("#000",))[0],
            ls=MODEL_STYLES.get(n, (0, "-"))[1],
            marker=MODEL_STYLES.get(n, (0, 0, None))[2],
            label=MODEL_STYLES.get(n, (0, 0, 0, n))[3],
        )
        for n in models
    ]
    if names is not None and pc is not None:
        handles += [
            Line2D([], [], ls="none", marker=">", color=c, label=plain(f"{p} (start)"))
            for p, c in zip(names, pc, strict=True)
        ]
    fig.legend(
        handles=handles,
        loc="outside lower center",
        ncols=min(5, len(handles)),
        fontsize=8,
        frameon=False,
    )


def plot_forecast_paths(
    histories: Mapping[str, Any],
    issues: Sequence[str],
    *,
    start: Any | None = None,
    parties: Sequence[str] | None = None,
    colors: Mapping[str, str] | None = None,
    levels: Sequence[Sequence[float]] | None = None,
    level_names: Sequence[Sequence[str]] | None = None,
    issue_labels: Sequence[str] | None = None,
    title: str | None = None,
    columns: int = 3,
) -> Figure:
    """Draw each model's forecast of each issue over the rounds.

    Parameters
    ----------
    histories
        ``{model: (rounds + 1) x issues}`` forecast positions (0--100); one row = static.
    issues
        Issue names, aligned with the histories' columns.
    start
        ``parties x issues`` starting positions (ticks on each panel's left edge).
    parties, colors
        Party names and their colours (for ``start``).
    levels, level_names
        Per issue, the levels' coordinates and names (the panel's tick labels).
    issue_labels
        Panel titles (default: the issue names).
    title
        Figure title.
    columns
        Panels per row.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> fig = plot_forecast_paths({"eum": [[10.0], [30.0]], "compromise": [[25.0]]}, ["x"])
    >>> len(fig.axes)
    1
    """
    m = len(issues)
    if m == 0 or not histories:
        raise NegotiationError("plot_forecast_paths needs at least one issue and one model")
    H = _histories(histories, m)
    rounds = max(a.shape[0] for a in H.values()) - 1
    import matplotlib.pyplot as plt

    cols = min(columns, m)
    rows = -(-m // cols)
    fig = plt.figure(figsize=(3.6 * cols + 1.6, 2.7 * rows + 0.9), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    names = pc = S = None
    if start is not None:
        S = np.asarray(start, dtype=float)
        names = list(parties) if parties is not None else [f"party {k + 1}" for k in range(len(S))]
        pc = colors_for(names, colors)
    for d, ax in enumerate(axes):
        if d >= m:
            ax.set_visible(False)
            continue
        light_grid(ax, axis="y")
        _draw_models(ax, H, d)
        if S is not None and pc is not None:
            _draw_starts(ax, S, d, pc, rounds)
        _round_axis(ax, rounds, 0 if S is None else S.shape[0])
        _position_axis(
            ax,
            levels[d] if levels is not None else None,
            level_names[d] if levels is not None and level_names is not None else None,
        )
        label = issue_labels[d] if issue_labels is not None else issues[d]
        ax.set_title(wrap(str(label), 40), fontsize=9)
        if d % cols == 0 and levels is None:
            ax.set_ylabel("position (0-100)")
        if d >= m - cols:
            ax.set_xlabel("round")
    _legend(fig, list(H), names, pc)
    if title:
        fig.suptitle(title)
    return fig


def plot_forecast_paths_from_results(results: Mapping[str, Any], **kwargs: Any) -> Figure:
    """:func:`plot_forecast_paths` from ``{model: ScenarioForecast}`` (one scenario)."""
    if not results:
        raise NegotiationError("no forecasts to plot")
    first = next(iter(results.values()))
    s, p = first.scenario, first.problem
    from negotiation.plots.colors import party_colors

    kwargs.setdefault("colors", party_colors(list(p.actors)))
    return plot_forecast_paths(
        {name: r.result.history for name, r in results.items()},
        list(p.issues),
        start=p.positions,
        parties=list(p.actors),
        levels=p.level_positions(),
        level_names=[iss.levels for iss in s.issues],
        issue_labels=[iss.display for iss in s.issues],
        **kwargs,
    )
