"""The deals the bargaining solutions pick on one sample's frontier, without the per-deal objects.

:func:`pick_deals` returns, for each solution name, the frontier row that
:meth:`Solution.pure <negotiation.engine.solutions.base.Solution.pure>` would pick: the same
:meth:`~negotiation.engine.solutions.base.Solution.index` call on the same columns, the same
disagreement point (the scenario's reservations) and powers, so the same tie-breaking
(:mod:`negotiation.engine.solutions.choice`). It skips what a sweep row does not need: the
:class:`~negotiation.engine.frontier.Frontier` and one :class:`~negotiation.engine.deal.Deal` per
solution (with its copies and its labelled terms, built here once per distinct row). A solution
whose class overrides :meth:`pure` goes through it unchanged.

Examples
--------
>>> import negotiation as ng
>>> from negotiation.engine.solutions import SOLUTIONS
>>> s = ng.load_scenario("textbook_two_party")
>>> f = ng.analyze(s).frontier
>>> rows = pick_deals(s, ("nash", "egalitarian"), f.levels, f.utilities)
>>> f.deal(rows["nash"]).terms == SOLUTIONS["nash"](f).terms
True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from negotiation.engine.solutions import SOLUTIONS
from negotiation.engine.solutions.base import Solution
from negotiation.model.scenario import Scenario

__all__ = ["pick_deals", "uses_index"]


def uses_index(name: str) -> bool:
    """Whether solution ``name`` picks its pure deal by the generic :meth:`Solution.pure`
    (then :func:`pick_deals` reproduces it)."""
    cls = type(SOLUTIONS[name])
    return cls.pure is Solution.pure and cls.__call__ is Solution.__call__


def pick_deals(
    scenario: Scenario,
    names: Sequence[str],
    levels: np.ndarray,
    utilities: np.ndarray,
    *,
    reservations: np.ndarray | None = None,
    powers: np.ndarray | None = None,
) -> dict[str, int]:
    """Row of ``utilities`` (a non-empty frontier of ``scenario``) each solution picks.

    Parameters
    ----------
    scenario
        The scenario (variant) the frontier belongs to: its reservations are the disagreement
        point, its powers the exponents of the rules that use them.
    names
        Solution names; each must satisfy :func:`uses_index`.
    levels, utilities
        ``N x issues`` level rows and ``N x parties`` utilities of the frontier, ``N >= 1``.

    reservations, powers
        The variant's reservations and powers when ``scenario`` is the base scenario of a
        sample whose numbers moved (the same floats the variant would hold); by default the
        scenario's own. The solutions' columns (the deciders) come from ``scenario``: they are
        structure, not numbers.

    Returns
    -------
    dict
        ``{name: row}``, the row :meth:`Solution.pure` would turn into its deal.
    """
    d = scenario.reservations if reservations is None else reservations
    powers = np.asarray(scenario.powers if powers is None else powers, dtype=float)
    picked: dict[str, int] = {}
    for name in names:
        sol = SOLUTIONS[name]
        cols = sol.columns(scenario)
        alpha = powers[cols] if sol.uses_power else None
        picked[name] = sol.index(utilities[:, cols], d[cols], power=alpha, levels=levels)
    return picked
