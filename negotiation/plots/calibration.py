"""Calibration figures: each parameter's interval before and after the evidence.

The level-probability figure of the robust conclusions is
:func:`negotiation.plots.sensitivity.plot_level_frequencies`, reused as it is.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes

from negotiation.engine.calibrate import Calibration
from negotiation.errors import NegotiationError
from negotiation.plots._common import light_grid, new_axes

__all__ = ["plot_intervals"]


def plot_intervals(
    calibration: Calibration,
    *,
    parties: Sequence[str] | None = None,
    changed_only: bool = True,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Horizontal intervals: the prior (grey) and the consistent set (dark), and the shipped
    value (a tick), for each weight and reservation.

    Parameters
    ----------
    calibration
        A feasible calibration with bounds (:func:`negotiation.engine.calibrate.calibrate`).
    parties
        Only these parties' parameters (default: all).
    changed_only
        Only the parameters whose interval the evidence narrowed (an end moved by more than 0.01).
    ax
        Axes to draw in; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        One row per parameter (y tick labels ``party: weight of issue`` or ``party: reservation``).

    Examples
    --------
    >>> import negotiation as ng
    >>> from negotiation.engine.calibrate import calibrate
    >>> from negotiation.model.evidence import loads_evidence
    >>> s = ng.load_scenario("textbook_two_party")
    >>> ev = loads_evidence('[[evidence]]\\nsource = "t"\\nparty = "Candidate"\\n'
    ...                     'bounds = {reservation = true, max = 0.4}')
    >>> ax = plot_intervals(calibrate(s, ev))
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Candidate: reservation']
    """
    cal = calibration
    if cal.bounds is None:
        raise NegotiationError("the calibration is infeasible: nothing to draw")
    rows = []
    for j, name in enumerate(cal.names):
        party, _, rest = name.partition("/")
        if parties is not None and party not in parties:
            continue
        prior, after = cal.prior_bounds[j], cal.bounds[j]
        if changed_only and np.allclose(prior, after, atol=0.01):
            continue
        label = rest.replace("weights/", "weight of ")
        rows.append(
            (f"{party}: {label}", prior, after, cal.shipped[j] if cal.shipped is not None else None)
        )
    fig, ax = new_axes(ax, (8.0, 1.4 + 0.32 * max(len(rows), 1)))
    for k, (_label, prior, after, shipped) in enumerate(rows):
        y = len(rows) - 1 - k
        ax.plot(
            prior,
            [y, y],
            color="0.8",
            lw=8,
            solid_capstyle="butt",
            label="before" if k == 0 else None,
        )
        ax.plot(
            after,
            [y, y],
            color="#1f4e79",
            lw=4,
            solid_capstyle="butt",
            label="after" if k == 0 else None,
        )
        if shipped is not None:
            ax.plot(
                [shipped],
                [y],
                marker="|",
                color="#c0392b",
                ms=14,
                mew=2,
                ls="",
                label="shipped" if k == 0 else None,
            )
    ax.set_yticks(range(len(rows)), [r[0] for r in rows][::-1])
    ax.set_ylim(-0.7, max(len(rows), 1) - 0.3)
    ax.set_xlabel("parameter value (weights normalised; utilities on a 0..1 scale)")
    ax.set_title(
        title
        or f"{cal.scenario.name}: parameters consistent with\n{len(cal.evidence)} evidence items",
        fontsize="medium",
    )
    if rows:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    else:
        ax.text(0.5, 0.5, "the evidence narrows no parameter", ha="center", transform=ax.transAxes)
    light_grid(ax, axis="x")
    return ax
