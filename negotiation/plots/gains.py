"""Who gains what: each party's utility under each solution, against its reservation value.

One group of bars per solution, one bar per party in the party's colour. The bar runs from the
baseline to the party's utility ``u_p``; its lower part, up to the reservation value ``r_p``
(what the party gets with no agreement), is pale, and the solid upper part is the party's gain
from agreeing, ``u_p - r_p`` -- the quantity the bargaining solutions trade off (Nash 1950
maximises their product, the egalitarian solution their minimum, Kalai & Smorodinsky 1975 their
ratios to the ideal gains). A utility below the reservation (possible for an equilibrium or a
simulated outcome) is hatched.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.patches import Patch

from negotiation.errors import NegotiationError
from negotiation.plots._common import (
    analysis_parts,
    as_vector,
    colors_for,
    group_coincident,
    group_label,
    legend_right,
    light_grid,
    new_axes,
    party_labels,
    signed,
    solution_vectors,
    wrap_label,
)
from negotiation.plots.colors import plain

__all__ = ["mixed_scales", "plot_gains", "plot_gains_from_analysis"]


def _pale(color: str, amount: float = 0.3) -> tuple[float, float, float, float]:
    r, g, b, _ = to_rgba(color)
    return (1 - amount + amount * r, 1 - amount + amount * g, 1 - amount + amount * b, 1.0)


def plot_gains(
    solutions: Mapping[str, Any],
    *,
    disagreement: Any | None = None,
    parties: Sequence[str] | None = None,
    colors: Mapping[str, str] | None = None,
    merge_identical: bool = True,
    show_values: bool = True,
    axis_label: str = "Utility",
    scales: Mapping[str, float] | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Grouped bars of each party's utility under each solution, the reservation marked.

    Parameters
    ----------
    solutions
        ``{name: utility vector}`` (or ``Deal``/``Lottery`` objects), in display order.
    disagreement
        The reservation values; omitted: plain utility bars.
    parties, colors
        Party names and ``{party: colour}``.
    merge_identical
        Solutions with the same utility vector share one group (labelled ``A = B``).
    show_values
        Write each bar's utility and gain over the reservation above it.
    axis_label
        The y-axis label.
    scales
        ``{party: s}``: draw that party's bars (and reservation) divided by ``s``, so that parties
        on different scales -- points beside 0-1 utilities -- share one axis without one
        dwarfing the other; the numbers written on the bars stay in the party's own units, the
        legend says ``÷ s`` and the axis says the bars are normalised. Parties left out keep
        ``s = 1``. :func:`plot_gains_from_analysis` sets it for a scenario that mixes
        points-scored and weighted parties (``s`` = the points party's best feasible score).
        Utilities are never added across parties.
    title
        Axes title.
    ax
        Axes to draw in; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        Bars are ``Rectangle`` patches with gid ``"gain:<party>"`` (the part above the
        reservation) and ``"base:<party>"`` (up to it); x tick labels name the solutions.

    References
    ----------
    Nash, J. (1950). The bargaining problem. *Econometrica* 18, 155–162.
    Kalai, E. & Smorodinsky, M. (1975). Other solutions to Nash's bargaining problem.
    *Econometrica* 43, 513–518.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_gains({"nash": [0.6, 0.7], "utilitarian": [0.9, 0.5]}, disagreement=[0.4, 0.45],
    ...                 parties=["Ann", "Bob"])
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['Nash', 'Utilitarian']
    """
    sols = solution_vectors(solutions, len(parties) if parties is not None else None)
    if not sols:
        raise NegotiationError("no solutions to draw")
    P = len(next(iter(sols.values())))
    names = party_labels(parties, P)
    cols = colors_for(names, colors)
    d = as_vector(disagreement, "disagreement point", P) if disagreement is not None else None
    groups = group_coincident(sols) if merge_identical else [[k] for k in sols]
    raw_sols, raw_d = sols, d
    scale = np.ones(P)
    if scales:
        lookup = {plain(k): float(v) for k, v in scales.items()}
        for p, nm in enumerate(names):
            sv = lookup.get(nm, 1.0)
            if not (np.isfinite(sv) and sv > 0):
                raise NegotiationError(f"scale of {nm!r} must be a positive number, got {sv!r}")
            scale[p] = sv
        sols = {k: v / scale for k, v in sols.items()}
        d = d / scale if d is not None else None
    G = len(groups)
    fig, ax = new_axes(ax, (max(4.8, 1.0 + G * (0.5 + 0.42 * P)), 4.4))
    width = 0.8 / P
    allv = np.array([sols[g[0]] for g in groups])
    lo = min(0.0, float(allv.min()), float(d.min()) if d is not None else 0.0)
    hi = max(float(allv.max()), float(d.max()) if d is not None else 0.0)
    for gi, group in enumerate(groups):
        u = sols[group[0]]
        for p in range(P):
            x = gi + (p - (P - 1) / 2) * width
            base = lo
            if d is not None and d[p] > lo:
                top_pale = min(d[p], u[p])
                ax.bar(
                    x,
                    top_pale - lo,
                    width * 0.92,
                    bottom=lo,
                    color=_pale(cols[p]),
                    edgecolor=cols[p],
                    lw=0.6,
                    gid=f"base:{names[p]}",
                )
                base = top_pale
            if d is None or u[p] > d[p]:
                ax.bar(
                    x,
                    u[p] - base,
                    width * 0.92,
                    bottom=base,
                    color=cols[p],
                    edgecolor=cols[p],
                    lw=0.6,
                    gid=f"gain:{names[p]}",
                )
            if d is not None:
                if u[p] < d[p]:  # below the reservation: hatched loss
                    ax.bar(
                        x,
                        d[p] - u[p],
                        width * 0.92,
                        bottom=u[p],
                        color="white",
                        edgecolor=cols[p],
                        hatch="////",
                        lw=0.6,
                        gid=f"loss:{names[p]}",
                    )
                ax.plot(
                    [x - width * 0.5, x + width * 0.5],
                    [d[p], d[p]],
                    color="black",
                    lw=1.4,
                    gid="reservation",
                    solid_capstyle="butt",
                )
            if show_values:  # in the party's own units
                top = max(u[p], d[p] if d is not None else u[p])
                ru = raw_sols[group[0]][p]
                text = f"{ru:.2f}"
                if raw_d is not None:
                    text += "\n" + signed(ru - raw_d[p])
                ax.text(
                    x,
                    top + 0.01 * (hi - lo),
                    text,
                    ha="center",
                    va="bottom",
                    fontsize=6.5,
                    color="#222222",
                    linespacing=1.0,
                    gid="value",
                )
    ax.set_xticks(np.arange(G))
    ax.set_xticklabels(
        [wrap_label(group_label(g), 14 if P <= 2 else 18) for g in groups], fontsize=8.5
    )
    ax.set_xlim(-0.6, G - 0.4)
    ax.set_ylim(lo, hi + 0.16 * (hi - lo if hi > lo else 1.0))
    scaled = bool(np.any(scale != 1.0))
    ax.set_ylabel(plain(axis_label) + (" (some bars rescaled: see legend)" if scaled else ""))
    light_grid(ax, axis="y")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    handles = [
        Patch(
            facecolor=c,
            edgecolor=c,
            label=nm if scale[k] == 1.0 else f"{nm} (÷ {scale[k]:.4g})",
        )
        for k, (nm, c) in enumerate(zip(names, cols, strict=True))
    ]
    if scaled:
        from matplotlib.lines import Line2D

        handles.append(
            Line2D(
                [],
                [],
                color="none",
                label="÷ s: bar divided by s\n(on its own scale; the\nnumbers in its units)",
            )
        )
    if d is not None:
        from matplotlib.lines import Line2D

        handles.append(Line2D([], [], color="black", lw=1.4, label="reservation value"))
        handles.append(
            Patch(facecolor=_pale("#777777"), edgecolor="#777777", label="up to the reservation")
        )
        handles.append(Patch(facecolor="#777777", label="gain over it"))
    legend_right(ax, handles, x=1.01)
    if title:
        ax.set_title(plain(title))
    return ax


def plot_gains_from_analysis(
    analysis: Any, *, extra_solutions: Mapping[str, Any] | None = None, **kwargs: Any
) -> Axes:
    """:func:`plot_gains` of an ``Analysis``'s solutions (plus ``extra_solutions``)."""
    parts = analysis_parts(analysis, extra_solutions)
    if "scales" not in kwargs:
        kwargs["scales"] = mixed_scales(parts["scenario"], getattr(analysis, "best_feasible", None))
    return plot_gains(
        parts["solutions"], disagreement=parts["disagreement"], parties=parts["parties"], **kwargs
    )


def mixed_scales(scenario: Any, best: Mapping[str, float | None] | None) -> dict[str, float] | None:
    """``{party: s}`` for :func:`plot_gains` when the scenario mixes points-scored and weighted
    parties: each points party's best feasible score (its points drawn as a share of it); ``None``
    when all parties share one kind of scale.

    >>> import negotiation as ng
    >>> mixed_scales(ng.load_scenario("textbook_two_party"), None) is None
    True
    """
    kinds = {bool(getattr(p, "scored_in_points", False)) for p in scenario.parties}
    if len(kinds) < 2:
        return None
    out = {}
    for p in scenario.parties:
        if p.scored_in_points:
            b = (best or {}).get(p.name)
            if b is None or not b > 0:
                b = max(abs(float(p.reservation)), 1.0)
            out[p.name] = float(b)
    return out
