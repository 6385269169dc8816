"""A negotiation trace: each party's utility of every offer, round by round.

The "negotiation dance" (Raiffa 1982, ch. 9): one line per party through its utility of every
offer on the table. A filled marker is an offer the party made itself, and the party's line joins
its own offers, so its concessions show as a falling line; a hollow marker is an offer somebody
else made (or the mediator's text; a party that made no offer has its line through every offer). The agreement is a vertical line with a star per party at its utility; dashed lines are
the reservation values. Without an agreement the end reason is written in the plot.

The plot takes plain arrays (or the records of a
:class:`~negotiation.dynamics.protocols.trace.SimulationResult`); it never simulates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from negotiation.errors import NegotiationError
from negotiation.plots._common import (
    as_matrix,
    as_vector,
    colors_for,
    legend_right,
    light_grid,
    new_axes,
    party_labels,
    wrap,
)
from negotiation.plots.colors import plain

__all__ = ["plot_trace", "plot_trace_from_records", "plot_trace_from_result"]


def _hollow_offer(label: str) -> Line2D:
    """Legend entry for offers drawn as hollow circles (not a party's own offers)."""
    return Line2D([], [], ls="none", marker="o", ms=4.5, mfc="white", mec="#555555", label=label)


def _spread(r: np.ndarray) -> np.ndarray:
    """Offers' x positions: offers sharing a round are spread evenly inside it.

    >>> _spread(np.array([1.0, 2.0, 2.0, 3.0])).tolist()
    [1.0, 2.0, 2.5, 3.0]
    """
    T = r.size
    if not T:
        return r.copy()
    _, inverse, counts = np.unique(r, return_inverse=True, return_counts=True)
    if not (counts > 1).any():
        return r.copy()
    pos = np.zeros(T)
    seen: dict[int, int] = {}
    for k, g in enumerate(inverse):
        pos[k] = seen.get(g, 0)
        seen[g] = seen.get(g, 0) + 1
    return r + pos / counts[inverse]


def _draw_party(
    ax: Axes,
    x: np.ndarray,
    u: np.ndarray,
    own: np.ndarray,
    name: str,
    color: str,
    *,
    thin: bool,
    markers: bool,
) -> Any:
    """One party's utility of the offers: a line joining its own offers (its concessions; all
    offers if it made none), its own offers as dots and the others' as hollow circles; the
    legend handle."""
    line = own if own.any() else np.ones(u.size, dtype=bool)
    (ln,) = ax.plot(
        x[line],
        u[line],
        color=color,
        lw=1.0 if thin else 1.7,
        ls="--" if thin else "-",
        gid=f"party:{name}",
        label=name + (" (not at the table)" if thin else ""),
        zorder=3,
    )
    if markers and u.size:
        if own.any():
            ax.plot(
                x[own],
                u[own],
                ls="none",
                marker="o",
                ms=4.5,
                color=color,
                zorder=4,
                gid=f"own:{name}",
            )
        if (~own).any():
            ax.plot(
                x[~own],
                u[~own],
                ls="none",
                marker="o",
                ms=4.5,
                mfc="white",
                mec=color,
                mew=1.0,
                zorder=4,
                gid=f"other:{name}",
            )
    return ln


def _offer_handles(
    proposers: Sequence[str] | None, names: Sequence[str], markers: bool
) -> list[Any]:
    """Legend entries for the offers' markers: own and another's, or who made them."""
    if not markers or proposers is None:
        return []
    if any(pr in names for pr in proposers):
        own = Line2D(
            [],
            [],
            ls="-",
            lw=1.7,
            marker="o",
            ms=4.5,
            color="#555555",
            label="the party's own offers",
        )
        return [own, _hollow_offer("another's offer")]
    who = sorted({str(pr) for pr in proposers})
    return [_hollow_offer("offer by " + ", ".join(who))]


def _draw_agreement(
    ax: Axes,
    x: np.ndarray,
    r: np.ndarray,
    U: np.ndarray,
    agreement_round: float,
    agreement_utilities: Any | None,
    names: Sequence[str],
    cols: Sequence[str],
) -> Line2D:
    """A vertical line at the agreement and a star per party at its utility; the legend handle."""
    T, P = U.shape
    au = (
        as_vector(agreement_utilities, "agreement utilities", P)
        if agreement_utilities is not None
        else (U[-1] if T else None)
    )
    at = np.flatnonzero(r == agreement_round)
    xa = float(x[at[-1]]) if at.size else float(agreement_round)
    ax.axvline(xa, color="black", lw=1.2, zorder=1, gid="agreement")
    if au is not None:
        for p in range(P):
            ax.plot(
                [xa],
                [au[p]],
                ls="none",
                marker="*",
                ms=13,
                color=cols[p],
                mec="black",
                mew=0.6,
                zorder=6,
                gid=f"agreement:{names[p]}",
            )
    label = f"agreement (round {agreement_round:g})"
    return Line2D([], [], color="black", lw=1.2, marker="*", ms=10, mfc="#999999", label=label)


def _draw_no_agreement(ax: Axes, end_reason: str | None) -> None:
    """A red note in the lower right corner: no agreement, and why."""
    text = "no agreement" + (f": {end_reason}" if end_reason else "")
    ax.text(
        0.99,
        0.02,
        wrap(text, 60),
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=8,
        color="#B00000",
        gid="no-agreement",
        bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": "#B00000", "lw": 0.6},
    )


# size: the numpy docstring (parameters, the gids, reference, example) is 50 lines
def plot_trace(
    rounds: Any,
    utilities: Any,
    *,
    proposers: Sequence[str] | None = None,
    parties: Sequence[str] | None = None,
    colors: Mapping[str, str] | None = None,
    agreement_round: float | None = None,
    agreement_utilities: Any | None = None,
    reservations: Any | None = None,
    end_reason: str | None = None,
    at_table: Sequence[str] | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Draw each party's utility of every offer by round, the agreement marked.

    Parameters
    ----------
    rounds
        Length-``T`` round of each offer. Offers sharing a round are spread evenly inside it.
    utilities
        ``T x P`` utility of each offer for each party.
    proposers
        Who made each offer (a party name, or anything else such as ``"mediator"``).
    parties, colors
        Party names (one per column) and ``{party: colour}``.
    agreement_round
        The round of the agreement (``None``: no agreement).
    agreement_utilities
        Each party's utility of the agreement (default: the last offer's).
    reservations
        The ``P`` reservation values (dashed lines).
    end_reason
        Written in the plot when there is no agreement.
    at_table
        The parties negotiating; the others (affected but not at the table) are drawn thinner
        and dashed.
    title
        Axes title.
    ax
        Axes to draw in; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        Per party: a line with gid ``"party:<name>"`` joining the party's own offers (all offers
        if it made none), and marker sets ``"own:<name>"`` and ``"other:<name>"`` (together the
        ``T`` offers); the agreement line has gid ``"agreement"``.

    References
    ----------
    .. [Raiffa1982] Raiffa, *The Art and Science of Negotiation* (1982); ch. 9.
       Full entry: docs/references.md.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_trace([1, 2, 3], [[0.9, 0.2], [0.3, 0.8], [0.7, 0.6]], proposers=["A", "B", "A"],
    ...                 parties=["A", "B"], agreement_round=3)
    >>> sum(len(l.get_xdata()) for l in ax.lines if l.get_gid() in ("own:A", "other:A"))
    3
    """
    U = as_matrix(utilities, "offer utilities")
    T, P = U.shape
    r = np.asarray(rounds, dtype=float).reshape(-1)
    if r.size != T:
        raise NegotiationError(f"got {r.size} rounds for {T} offers")
    if proposers is not None and len(proposers) != T:
        raise NegotiationError(f"got {len(proposers)} proposers for {T} offers")
    names = party_labels(parties, P)
    cols = colors_for(names, colors)
    d = as_vector(reservations, "reservations", P) if reservations is not None else None
    table = set(at_table) if at_table is not None else set(names)
    fig, ax = new_axes(ax, (8.0, 4.4))
    x = _spread(r)
    markers = T <= 150
    handles: list[Any] = []
    for p in range(P):
        own = (
            np.array([pr == names[p] for pr in proposers], dtype=bool)
            if proposers is not None
            else np.zeros(T, dtype=bool)
        )
        thin = names[p] not in table
        handles.append(
            _draw_party(ax, x, U[:, p], own, names[p], cols[p], thin=thin, markers=markers)
        )
        if d is not None:
            ax.axhline(
                d[p], color=cols[p], ls=(0, (5, 3)), lw=0.9, alpha=0.8, zorder=2, gid="reservation"
            )
    handles += _offer_handles(proposers, names, markers)
    if d is not None:
        handles.append(
            Line2D([], [], color="#555555", ls=(0, (5, 3)), lw=0.9, label="reservation values")
        )
    if agreement_round is not None:
        handles.append(
            _draw_agreement(ax, x, r, U, agreement_round, agreement_utilities, names, cols)
        )
    else:
        _draw_no_agreement(ax, end_reason)
    ax.set_xlabel("Round")
    ax.set_ylabel("Utility of the offer")
    light_grid(ax)
    legend_right(ax, handles)
    if title:
        ax.set_title(plain(title))
    return ax


def plot_trace_from_records(
    records: Sequence[Mapping[str, Any]] | pd.DataFrame,
    *,
    parties: Sequence[str] | None = None,
    **kwargs: Any,
) -> Axes:
    """:func:`plot_trace` from records ``{"round", "proposer", "utilities": {party: u}}``
    (the JSON trace of a simulation), or from a DataFrame with ``round``, ``proposer`` and
    ``u[<party>]`` columns (``SimulationResult.to_frame()``)."""
    if isinstance(records, pd.DataFrame):
        ucols = [c for c in records.columns if str(c).startswith("u[") and str(c).endswith("]")]
        names = list(parties) if parties is not None else [c[2:-1] for c in ucols]
        U = records[[f"u[{p}]" for p in names]].to_numpy(dtype=float)
        rounds = records["round"].to_numpy()
        props = records["proposer"].astype(str).tolist() if "proposer" in records.columns else None
    else:
        records = list(records)
        if not records:
            raise NegotiationError("the trace has no offers")
        names = list(parties) if parties is not None else list(records[0]["utilities"])
        U = np.array([[float(e["utilities"][p]) for p in names] for e in records])
        rounds = np.array([e["round"] for e in records])
        props = [str(e.get("proposer", "")) for e in records]
    return plot_trace(rounds, U, proposers=props, parties=names, **kwargs)


def plot_trace_from_result(
    result: Any, *, parties: Sequence[str] | None = None, **kwargs: Any
) -> Axes:
    """:func:`plot_trace` of a ``SimulationResult`` (duck-typed: ``.trace`` entries with
    ``round``, ``proposer``, ``utilities``; ``.agreement``, ``.rounds``, ``.reason``,
    ``.reservations``, ``.parties``)."""
    entries = list(getattr(result, "trace", ()))
    if not entries:
        raise NegotiationError("the simulation has an empty trace")
    names = list(parties) if parties is not None else list(entries[0].utilities)
    U = np.array([[float(e.utilities[p]) for p in names] for e in entries])
    rounds = np.array([e.round for e in entries])
    props = [str(e.proposer) for e in entries]
    agreement = getattr(result, "agreement", None)
    kw: dict[str, Any] = {}
    if agreement is not None:
        kw["agreement_round"] = float(entries[-1].round)
        kw["agreement_utilities"] = [agreement.utility_of(p) for p in names]
    else:
        kw["end_reason"] = getattr(result, "reason", None)
    res = getattr(result, "reservations", None)
    if res and all(p in res for p in names):
        kw["reservations"] = [res[p] for p in names]
    table = getattr(result, "parties", None)
    if table:
        kw["at_table"] = list(table)
    kw.update(kwargs)
    return plot_trace(rounds, U, proposers=props, parties=names, **kw)
