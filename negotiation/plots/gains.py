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
from matplotlib.lines import Line2D
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
    """``color`` mixed with white (``amount`` of the colour is kept)."""
    r, g, b, _ = to_rgba(color)
    return (1 - amount + amount * r, 1 - amount + amount * g, 1 - amount + amount * b, 1.0)


def _scales(scales: Mapping[str, float] | None, names: Sequence[str]) -> np.ndarray:
    """Per party the divisor ``s`` of its bars (1 when not given); positive and finite."""
    scale = np.ones(len(names))
    lookup = {plain(k): float(v) for k, v in (scales or {}).items()}
    for p, nm in enumerate(names):
        sv = lookup.get(nm, 1.0)
        if not (np.isfinite(sv) and sv > 0):
            raise NegotiationError(f"scale of {nm!r} must be a positive number, got {sv!r}")
        scale[p] = sv
    return scale


def _draw_bar(
    ax: Axes, x: float, width: float, u: float, r: float | None, lo: float, color: str, name: str
) -> None:
    """One party's bar at ``x`` in a slot ``width`` wide: pale up to its reservation ``r``, full colour for
    the gain above it, hatched for a loss below it, and a black tick at ``r``."""
    w = width * 0.92
    base = lo
    if r is not None and r > lo:
        top_pale = min(r, u)
        ax.bar(
            x,
            top_pale - lo,
            w,
            bottom=lo,
            color=_pale(color),
            edgecolor=color,
            lw=0.6,
            gid=f"base:{name}",
        )
        base = top_pale
    if r is None or u > r:
        ax.bar(
            x, u - base, w, bottom=base, color=color, edgecolor=color, lw=0.6, gid=f"gain:{name}"
        )
    if r is None:
        return
    if u < r:  # below the reservation: hatched loss
        ax.bar(
            x,
            r - u,
            w,
            bottom=u,
            color="white",
            edgecolor=color,
            hatch="////",
            lw=0.6,
            gid=f"loss:{name}",
        )
    ax.plot(
        [x - width * 0.5, x + width * 0.5],
        [r, r],
        color="black",
        lw=1.4,
        gid="reservation",
        solid_capstyle="butt",
    )


def _write_value(ax: Axes, x: float, y: float, u: float, r: float | None) -> None:
    """The utility ``u`` (and its gain over ``r``) above a bar, in the party's own units."""
    text = f"{u:.2f}"
    if r is not None:
        text += "\n" + signed(u - r)
    ax.text(
        x,
        y,
        text,
        ha="center",
        va="bottom",
        fontsize=6.5,
        color="#222222",
        linespacing=1.0,
        gid="value",
    )


def _legend(
    ax: Axes, names: Sequence[str], cols: Sequence[str], scale: np.ndarray, reservations: bool
) -> None:
    """Party colours (with their divisors), and what the bar parts mean."""
    handles: list[Any] = [
        Patch(
            facecolor=c,
            edgecolor=c,
            label=nm if scale[k] == 1.0 else f"{nm} (÷ {scale[k]:.4g})",
        )
        for k, (nm, c) in enumerate(zip(names, cols, strict=True))
    ]
    if np.any(scale != 1.0):
        label = "÷ s: bar divided by s\n(on its own scale; the\nnumbers in its units)"
        handles.append(Line2D([], [], color="none", label=label))
    if reservations:
        handles.append(Line2D([], [], color="black", lw=1.4, label="reservation value"))
        handles.append(
            Patch(facecolor=_pale("#777777"), edgecolor="#777777", label="up to the reservation")
        )
        handles.append(Patch(facecolor="#777777", label="gain over it"))
    legend_right(ax, handles, x=1.01)


# size: the numpy docstring (parameters, the gids, references, example) is 55 lines
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
    .. [Nash1950] Nash, "The bargaining problem" (1950). Full entry: docs/references.md.
    .. [KalaiSmorodinsky1975] Kalai, Smorodinsky, "Other solutions to Nash's bargaining problem"
       (1975). Full entry: docs/references.md.

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
    raw_d = as_vector(disagreement, "disagreement point", P) if disagreement is not None else None
    groups = group_coincident(sols) if merge_identical else [[k] for k in sols]
    scale = _scales(scales, names)
    d = raw_d / scale if raw_d is not None else None
    G = len(groups)
    fig, ax = new_axes(ax, (max(4.8, 1.0 + G * (0.5 + 0.42 * P)), 4.4))
    width = 0.8 / P
    allv = np.array([sols[g[0]] / scale for g in groups])
    lo = min(0.0, float(allv.min()), float(d.min()) if d is not None else 0.0)
    hi = max(float(allv.max()), float(d.max()) if d is not None else 0.0)
    for gi, group in enumerate(groups):
        u = sols[group[0]] / scale
        for p in range(P):
            x = gi + (p - (P - 1) / 2) * width
            r = float(d[p]) if d is not None else None
            _draw_bar(ax, x, width, u[p], r, lo, cols[p], names[p])
            if show_values:
                top = max(u[p], d[p] if d is not None else u[p])
                r_raw = raw_d[p] if raw_d is not None else None
                _write_value(ax, x, top + 0.01 * (hi - lo), sols[group[0]][p], r_raw)
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
    _legend(ax, names, cols, scale, d is not None)
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
