"""The scorecard figure: proposals x parties, each party's utility against its reservation.

One block of horizontal bars per proposal, one bar per party in the party's colour. The bar
runs from 0 to the party's utility of the proposal (for a proposal that leaves issues open: of
its best completion, with a thin line over the range ``[min, max]`` of its completions). A black
tick on the bar marks the party's reservation value: a bar ending left of its tick is a party
below its walk-away. A bar is hatched, and ends in ``x red line``, when the proposal crosses a
red line of that party; the text after each bar gives the utility and the margin ``u - r``.
Plots take results: :func:`plot_scorecard_from_evaluation` reads an
:class:`~negotiation.engine.evaluate.Evaluation`, nothing is recomputed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from negotiation.errors import NegotiationError
from negotiation.plots._common import colors_for, legend_right, light_grid, new_axes, wrap_label
from negotiation.plots.colors import plain

__all__ = ["plot_scorecard", "plot_scorecard_from_evaluation"]


def _draw_bar(
    ax: Axes,
    y: float,
    height: float,
    u: float,
    r: float,
    color: str,
    crossed: bool,
    span: float,
    gid: str,
) -> None:
    """One party's bar of one proposal at ``y``: the utility ``u`` (hatched and marked when it
    crosses the party's red line), the reservation ``r`` ticked, the margin written."""
    bar = ax.barh(
        y,
        u,
        height=height * 0.9,
        color=color,
        alpha=0.9,
        hatch="///" if crossed else None,
        edgecolor="black" if crossed else color,
        linewidth=0.6,
    )
    bar.patches[0].set_gid(f"bar:{gid}")
    ax.plot([r, r], [y - height * 0.5, y + height * 0.5], color="black", lw=1.6)
    ax.text(max(u, r) + 0.01 * span, y, f"{u:.2f} ({u - r:+.2f})", va="center", fontsize=7)
    if crossed:
        ax.text(
            max(u, r) + 0.18 * span,
            y,
            "x red line",
            va="center",
            fontsize=7,
            color="#b2182b",
            fontweight="bold",
            gid=f"redline:{gid}",
        )


def _proposal_ticks(proposals: Sequence[str], accepted: Sequence[bool] | None) -> list[str]:
    """The proposals' labels, each with whether it passes the agreement rule."""
    ticks = []
    for n, name in enumerate(proposals):
        tag = ""
        if accepted is not None:
            tag = "\n(acceptable to all)" if accepted[n] else "\n(rejected)"
        ticks.append(wrap_label(name, 22) + tag)
    return ticks


def _legend(ax: Axes, parties: Sequence[str], cols: Sequence[str], with_ranges: bool) -> None:
    """Party colours, the reservation tick, the red-line hatch (and the range line if drawn)."""
    handles: list[Any] = [
        Patch(color=c, label=plain(p)) for p, c in zip(parties, cols, strict=True)
    ]
    handles += [
        Line2D([], [], color="black", lw=1.6, label="reservation"),
        Patch(facecolor="white", edgecolor="black", hatch="///", label="red line crossed"),
    ]
    if with_ranges:
        handles.append(
            Line2D([], [], color="black", lw=0.8, alpha=0.6, label="range over\ncompletions")
        )
    legend_right(ax, handles)


def plot_scorecard(
    proposals: Sequence[str],
    parties: Sequence[str],
    utilities: Sequence[Sequence[float]],
    reservations: Sequence[float],
    *,
    crossed: Sequence[Sequence[bool]] | None = None,
    ranges: Sequence[Sequence[tuple[float, float] | None]] | None = None,
    accepted: Sequence[bool] | None = None,
    colors: Mapping[str, str] | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Bars of each party's utility of each proposal, the reservation ticked.

    Parameters
    ----------
    proposals
        Proposal labels, top to bottom.
    parties
        Party names.
    utilities
        ``proposals x parties`` utilities (the best completion for an open proposal).
    reservations
        Each party's reservation value.
    crossed
        ``proposals x parties``: True where the proposal crosses a red line of the party.
    ranges
        ``proposals x parties`` of ``(min, max)`` over an open proposal's completions, or None.
    accepted
        Per proposal: does it pass the agreement rule (shown after its label).
    colors
        ``{party: colour}``; default the fixed party palette.
    title, ax
        Title, and axes to draw in.

    Returns
    -------
    matplotlib.axes.Axes
        Bars are patches with gid ``"bar:<proposal>:<party>"``; the red-line marks are texts
        with gid ``"redline:<proposal>:<party>"``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_scorecard(["plan"], ["A", "B"], [[0.7, 0.4]], [0.5, 0.5],
    ...                     crossed=[[False, True]])
    >>> sorted(t.get_gid() for t in ax.texts if t.get_gid())
    ['redline:plan:B']
    """
    N, P = len(proposals), len(parties)
    if N == 0:
        raise NegotiationError("no proposals to draw")
    if len(utilities) != N or any(len(row) != P for row in utilities):
        raise NegotiationError(f"utilities must be {N} x {P} (proposals x parties)")
    cols = colors_for(list(parties), colors)
    crossed = crossed or [[False] * P for _ in range(N)]
    fig, ax = new_axes(ax, (8.6, 1.0 + N * (0.36 * P + 0.45)))
    height = 0.8 / P
    hi = max(max(max(r) for r in utilities), max(reservations), 1.0)
    lo = min(0.0, min(min(r) for r in utilities))
    for n, name in enumerate(proposals):
        for p, party in enumerate(parties):
            y = n + (p - (P - 1) / 2) * height
            u, r = float(utilities[n][p]), float(reservations[p])
            _draw_bar(ax, y, height, u, r, cols[p], crossed[n][p], hi - lo, f"{name}:{party}")
            span = ranges[n][p] if ranges is not None else None
            if span is not None:
                a, b = span
                ax.plot([a, b], [y, y], color="black", lw=0.8, alpha=0.6)
    ax.set_yticks(range(N), _proposal_ticks(proposals, accepted), fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(lo, hi + 0.36 * (hi - lo))
    ax.set_xlabel("Utility (black tick: the party's reservation value; in brackets: margin)")
    light_grid(ax, axis="x")
    with_ranges = False if ranges is None else any(r is not None for row in ranges for r in row)
    _legend(ax, parties, cols, with_ranges)
    if title:
        ax.set_title(plain(title), fontsize=11)
    return ax


def plot_scorecard_from_evaluation(evaluation: Any, **kwargs: Any) -> Axes:
    """:func:`plot_scorecard` of an :class:`~negotiation.engine.evaluate.Evaluation`."""
    cards = evaluation.scorecards
    parties = list(evaluation.scenario.party_names)
    res = [cards[0].reservations[p] for p in parties] if cards else []
    crossed = [
        [any(r["party"] == p and not r.get("soft") for r in c.red_lines_crossed) for p in parties]
        for c in cards
    ]
    ranges = [
        [tuple(c.utility_range[p]) if c.utility_range else None for p in parties] for c in cards
    ]
    return plot_scorecard(
        [c.proposal.display for c in cards],
        parties,
        [[c.utilities[p] for p in parties] for c in cards],
        res,
        crossed=crossed,
        ranges=ranges,
        accepted=[c.feasible for c in cards],
        **kwargs,
    )
