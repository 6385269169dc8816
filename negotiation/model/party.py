"""Parties: the agents at the table, as data.

A party is described either by *weights and values* (the usual normalised additive model) or by
*points* (a scorable-game score table). Either way its utility of an outcome ``x`` is additive
over the issues plus interaction bonuses:

.. math::

    u(x) = \\sum_i s_i(x_i) + \\sum_{b \\in B} \\beta_b [x \\text{ matches } b]

where ``s_i(l) = w_i v_i(l)`` with weights normalised to sum 1 and values in ``[0, 1]``
(Raiffa, *The Art and Science of Negotiation*, 1982; Keeney & Raiffa 1976), or ``s_i(l)`` is the
party's points for level ``l`` in a scorable game (Susskind 1985). The compiled arrays live on
:class:`negotiation.model.scenario.Scenario`; this module holds the party as the user wrote it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["Party", "ClauseSpec", "ValueSpec"]

#: A clause by names: ``{issue: (level, ...)}``; for a continuous issue a ``(low, high)`` pair of
#: floats instead of level names (``{min = .., max = ..}`` in TOML).
ClauseSpec = Mapping[str, tuple]

#: Values of one issue: ``{level: value}`` for a discrete issue, or piecewise-linear points
#: ``((x0, v0), (x1, v1), ...)`` for a continuous one.
ValueSpec = Mapping[str, float] | tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Party:
    """A negotiating party.

    Parameters
    ----------
    name
        Display name, unique in the scenario.
    weights
        Relative importance of each issue (``>= 0``, not all zero); normalised to sum 1.
        Unlisted issues weigh 0. Empty for a points-scored party.
    values
        Per-issue value of each level in ``[0, 1]``; an issue not listed is valued linearly in
        the order of its levels (``0, 1/(n-1), ..., 1``), or along its range if continuous.
    points
        Scorable-game score table ``{issue: {level: points}}`` instead of weights and values;
        utility is then the plain sum of points (no normalisation), and ``reservation`` and
        bonuses are in points too.
    reservation
        Utility of no agreement (BATNA, walk-away value). Outcomes with utility ``>=`` it are
        acceptable (with a tolerance, see :data:`negotiation.model.scenario.RESERVATION_TOL`).
    power
        Bargaining power (``> 0``), the exponent in the asymmetric Nash product.
    discount
        Per-round discount factor in ``(0, 1]`` for sequential bargaining.
    red_lines
        Clauses the party never accepts: a matching outcome is infeasible for it.
    bonuses
        Pairs ``(clause, value)``: ``value`` is added to the utility when the clause matches.
    soft_red_lines
        Pairs ``(clause, penalty)``: red lines the party would cross at a price. Crossing one
        costs ``penalty`` (``> 0``) utility instead of excluding the deal; in the compiled
        scenario a soft red line is exactly a bonus of ``-penalty`` on its clause
        (``penalty = 0.2`` on a ``[[party.red_line]]`` table in TOML).
    observer
        An outsider with interests (e.g. Israel in the 2015 Iran nuclear talks): scored and
        shown in every table and figure, but not part of the agreement rule (its acceptance is
        not needed), of the Nash product, or of the proposers and voters of Baron–Ferejohn.
    """

    name: str
    weights: Mapping[str, float] = field(default_factory=dict)
    values: Mapping[str, ValueSpec] = field(default_factory=dict)
    points: Mapping[str, Mapping[str, float]] | None = None
    reservation: float = 0.0
    power: float = 1.0
    discount: float = 1.0
    red_lines: tuple[ClauseSpec, ...] = ()
    bonuses: tuple[tuple[ClauseSpec, float], ...] = ()
    soft_red_lines: tuple[tuple[ClauseSpec, float], ...] = ()
    observer: bool = False

    @property
    def scored_in_points(self) -> bool:
        """True for a scorable-game party (``points``) rather than weights and values."""
        return self.points is not None
