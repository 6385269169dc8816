"""Risk of breakdown: how equilibrium shares move with the chance that talks collapse.

If after every rejected proposal the talks collapse with probability ``p`` (the disagreement
point, every party's reservation value, is then reached), a gain ``g`` expected next round is
worth ``(1 - p) delta_i g`` today: breakdown risk acts like extra impatience, the same for every
party. Binmore, Rubinstein & Wolinsky (1986) show that with pure breakdown risk (``delta = 1``)
the Rubinstein agreement tends to the Nash solution as ``p -> 0``; as ``p`` grows the first
proposer's advantage grows (at ``p -> 1`` the game is an ultimatum).

:func:`breakdown_table` solves a model on a grid of ``p`` and tabulates each player's utility
and share of its largest feasible gain.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from negotiation.dynamics.games.baron_ferejohn import baron_ferejohn
from negotiation.dynamics.games.projection import project
from negotiation.dynamics.games.rubinstein import rubinstein
from negotiation.errors import ScenarioError
from negotiation.model.scenario import Scenario

__all__ = ["breakdown_table"]


def breakdown_table(
    scenario: Scenario,
    parties: Sequence[str] | str | None = None,
    *,
    probabilities: Sequence[float] | np.ndarray | None = None,
    model: str = "rubinstein",
    proposer: str | None = None,
    discounts: Mapping[str, float] | Sequence[float] | None = None,
    **options,
) -> pd.DataFrame:
    """Equilibrium utilities and shares over a grid of breakdown probabilities.

    Parameters
    ----------
    scenario
        A discrete scenario.
    parties
        The players (two for ``"rubinstein"``; default all parties for ``"baron-ferejohn"``).
    probabilities
        Breakdown probabilities ``p`` in ``[0, 1)`` (default ``0, 0.05, ..., 0.5``).
    model
        ``"rubinstein"`` or ``"baron-ferejohn"``.
    proposer, discounts, options
        Passed to :func:`~negotiation.dynamics.games.rubinstein.rubinstein` (``proposer``) or
        :func:`~negotiation.dynamics.games.baron_ferejohn.baron_ferejohn` (``options``).

    Returns
    -------
    pandas.DataFrame
        One row per ``p``: ``breakdown``, for every player ``discount <name>`` (effective),
        ``utility <name>`` and ``share <name>`` (gain over reservation as a fraction of its
        largest feasible gain), plus ``lottery`` (whether the agreement is randomised).

    Examples
    --------
    >>> import negotiation as ng
    >>> t = breakdown_table(ng.load_scenario("textbook_two_party"), probabilities=[0.0, 0.5])
    >>> t["breakdown"].tolist()
    [0.0, 0.5]
    """
    grid = np.linspace(0.0, 0.5, 11) if probabilities is None else np.asarray(probabilities, float)
    if grid.ndim != 1 or grid.size == 0:
        raise ScenarioError("give at least one breakdown probability")
    rows = []
    if model == "rubinstein":
        proj = project(
            scenario, parties, exactly=2, feasible_for=options.pop("feasible_for", "all")
        )
        if options:
            raise ScenarioError(f"unknown options for the Rubinstein model: {sorted(options)}")
        for p in grid:
            r = rubinstein(
                scenario,
                proposer=proposer,
                discounts=discounts,
                breakdown=float(p),
                projection=proj,
            )
            row = {"breakdown": float(p)}
            for name in r.players:
                row[f"discount {name}"] = r.discounts[name]
                row[f"utility {name}"] = r.utilities.get(name, np.nan)
                row[f"share {name}"] = r.shares[name]
            row["lottery"] = r.agreement is not None and not hasattr(r.agreement, "terms")
            rows.append(row)
    elif model == "baron-ferejohn":
        if proposer is not None:
            raise ScenarioError("Baron-Ferejohn has random recognition: no fixed proposer")
        for p in grid:
            bf = baron_ferejohn(
                scenario, parties, discounts=discounts, breakdown=float(p), **options
            )
            row = {"breakdown": float(p)}
            for name in bf.players:
                row[f"discount {name}"] = bf.discounts[name]
                row[f"utility {name}"] = bf.values[name]
                row[f"share {name}"] = bf.shares[name]
            row["lottery"] = bf.agreement is not None and not hasattr(bf.agreement, "terms")
            rows.append(row)
    else:
        raise ScenarioError(f"model must be 'rubinstein' or 'baron-ferejohn', got {model!r}")
    return pd.DataFrame(rows)
