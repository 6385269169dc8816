"""The one vectorised utility evaluator: additive scores plus interaction bonuses.

Every party's utility of an outcome ``x`` (a row of level indices, one per issue) is

.. math::

    u_p(x) = \\sum_{i=1}^{n} s_{ip}(x_i) + \\sum_{b \\in B_p} \\beta_b\\,[x \\text{ matches } b]

where ``s_ip(l) = w_ip v_ip(l)`` (weights normalised to sum 1, values in ``[0, 1]``; Keeney &
Raiffa 1976 [KeeneyRaiffa1976]_) or the party's points in a scorable game (Susskind 1985
[Susskind1985]_), and ``B_p`` are the party's bonuses (a soft red line is a bonus of ``-penalty``).

Floating-point sums depend on their order, so this module fixes it once for every caller: the
issues' scores are added **in issue order**, starting from zero, then each party's bonuses **in
the order given**. :meth:`Scenario.utilities <negotiation.model.scenario.Scenario.utilities>`,
the block evaluator (:mod:`negotiation.model.blocks`), an agent's own utility
(:class:`~negotiation.dynamics.strategies.base.PartyUtility`) and the exact evaluation of a point
with continuous values (:func:`point_utilities`) all go through the functions here, so that
enumeration, search and simulation get bit-identical numbers.

* :func:`score_tables` -- per issue, the ``levels x parties`` table of ``s_ip``;
* :func:`table_sum`, :func:`product_sum`, :func:`add_bonuses` -- the three steps of a sum;
* :class:`UtilityFunction` -- the compiled evaluator of some or all parties;
* :func:`value_points`, :func:`point_utilities` -- continuous issues, evaluated exactly.

References
----------
.. [KeeneyRaiffa1976] Keeney, Raiffa, *Decisions with Multiple Objectives* (1976).
   Full entry: docs/references.md.
.. [Susskind1985] Susskind, "Scorable games: a better way to teach negotiation?" (1985).
   Full entry: docs/references.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from negotiation.errors import NegotiationError
from negotiation.model.clauses import Bonus, Clause

if TYPE_CHECKING:  # the scenario is only read here (scenario.py imports this module)
    from negotiation.model.scenario import Scenario

__all__ = [
    "UtilityFunction",
    "add_bonuses",
    "point_utilities",
    "product_sum",
    "score_tables",
    "table_sum",
    "value_points",
]


def table_sum(levels: np.ndarray, tables: Sequence[np.ndarray]) -> np.ndarray:
    """``sum_i T_i[x_i]`` for each row ``x`` of ``levels``, added in issue order from zero.

    Parameters
    ----------
    levels
        ``N x k`` integer level matrix (column ``i`` indexes ``tables[i]``).
    tables
        ``k`` score tables, each ``levels_i x P``.

    Returns
    -------
    numpy.ndarray
        ``N x P`` float sums.

    Examples
    --------
    >>> t = (np.array([[0.0], [0.5]]), np.array([[0.25], [0.0], [0.125]]))
    >>> table_sum(np.array([[1, 0], [0, 2]]), t).ravel().tolist()
    [0.75, 0.125]
    """
    width = tables[0].shape[1] if tables else 0
    u = np.zeros((levels.shape[0], width))
    for i, table in enumerate(tables):
        u += table[levels[:, i]]
    return u


def product_sum(acc: np.ndarray, tables: Sequence[np.ndarray]) -> np.ndarray:
    """Extend partial sums over the full product of further issues, by broadcasting.

    Row ``r`` of ``acc`` (the sum over the first issues of one prefix) becomes
    ``prod_i levels_i`` consecutive rows, the last issue varying fastest (mixed-radix order):
    ``acc[r] + T_a[l_a] + T_b[l_b] + ...``, with exactly the additions, in the order,
    :func:`table_sum` performs on the same rows -- the results are bit-identical.

    Examples
    --------
    >>> acc = np.array([[1.0], [2.0]])
    >>> product_sum(acc, (np.array([[0.0], [0.5]]),)).ravel().tolist()
    [1.0, 1.5, 2.0, 2.5]
    """
    width = acc.shape[1]
    for table in tables:
        acc = (acc[:, None, :] + table[None, :, :]).reshape(-1, width)
    return acc


def add_bonuses(
    u: np.ndarray,
    bonuses: Sequence[Sequence[Bonus]],
    match: Callable[[Clause], np.ndarray],
) -> np.ndarray:
    """Add each party's bonuses, in the order given, to the columns of ``u`` (in place).

    Parameters
    ----------
    u
        ``N x P`` utilities (sums of the issues' scores).
    bonuses
        ``P`` sequences of :class:`~negotiation.model.clauses.Bonus`, one per column of ``u``.
    match
        The ``N`` booleans of a clause on the rows of ``u`` (``clause.match(levels, sizes)``,
        or a block's outer product of masks).

    Returns
    -------
    numpy.ndarray
        ``u`` itself.
    """
    for p, party_bonuses in enumerate(bonuses):
        for b in party_bonuses:
            u[:, p] += b.value * match(b.clause)
    return u


@dataclass(frozen=True, eq=False)
class UtilityFunction:
    """The compiled utility function of some parties, vectorised over level matrices.

    Parameters
    ----------
    tables
        Per issue, a ``levels x P`` score table (the chosen parties' columns).
    bonuses
        Per chosen party, its compiled bonuses.
    sizes
        Number of levels of each issue (for clause matching).

    Examples
    --------
    >>> from negotiation.model import Issue, Party, Scenario
    >>> s = Scenario("toy", (Issue("x", ("a", "b")),),
    ...              (Party("A", {"x": 1}), Party("B", {"x": 1}, {"x": {"a": 1.0, "b": 0.0}})))
    >>> f = UtilityFunction.of(s)
    >>> f(np.array([[0], [1]])).tolist()
    [[0.0, 1.0], [1.0, 0.0]]
    >>> UtilityFunction.of(s, parties=(1,))(np.array([[0], [1]])).ravel().tolist()
    [1.0, 0.0]
    """

    tables: tuple[np.ndarray, ...]
    bonuses: tuple[tuple[Bonus, ...], ...]
    sizes: tuple[int, ...]

    @classmethod
    def of(cls, scenario: Scenario, parties: Sequence[int] | None = None) -> UtilityFunction:
        """The evaluator of ``scenario`` for ``parties`` (indices; all of them by default)."""
        if parties is None:
            tables, bonuses = scenario.tables, scenario.bonuses
        else:
            cols = list(parties)
            tables = tuple(np.ascontiguousarray(t[:, cols]) for t in scenario.tables)
            bonuses = tuple(scenario.bonuses[p] for p in cols)
        return cls(tuple(tables), tuple(tuple(b) for b in bonuses), scenario.space.sizes)

    @property
    def width(self) -> int:
        """Number of parties (columns) it evaluates."""
        return len(self.bonuses)

    def __call__(self, levels: np.ndarray) -> np.ndarray:
        """``N x P`` utilities of the rows of an ``N x issues`` level matrix."""
        levels = np.asarray(levels, dtype=np.int64)
        if levels.ndim != 2 or levels.shape[1] != len(self.tables):
            raise ValueError(
                f"levels must be an N x {len(self.tables)} integer matrix, got shape {levels.shape}"
            )
        u = table_sum(levels, self.tables) if self.tables else np.zeros((levels.shape[0], 0))
        return add_bonuses(u, self.bonuses, lambda c: c.match(levels, self.sizes))


# -- building the tables, and continuous values -------------------------------------------------
def score_tables(scenario: Scenario) -> tuple[np.ndarray, ...]:
    """Per issue, a read-only ``levels x parties`` table of the additive scores ``s_ip``.

    ``w_i * v_i(level)`` for a weights-and-values party, its points for a points party (zero on
    an issue it does not score). A continuous issue has no levels until discretised: its table
    is empty (``0 x parties``).
    """
    out = []
    for i, issue in enumerate(scenario.issues):
        t = np.zeros((issue.size, len(scenario.parties)))
        for p, party in enumerate(scenario.parties if not issue.is_continuous else ()):
            if party.points is not None:
                table = party.points.get(issue.name)
                if table is not None:
                    t[:, p] = [float(table[lv]) for lv in issue.levels]
            elif scenario.weights[p, i] > 0:
                t[:, p] = scenario.weights[p, i] * scenario.values(p, i)
        t.setflags(write=False)
        out.append(t)
    return tuple(out)


def value_points(scenario: Scenario, party: int, issue: int) -> np.ndarray:
    """``[[x, v], ...]``: party's piecewise-linear value function on a continuous issue.

    Linear from 0 at the low end of the range to 1 at the high end when the party gives none.
    """
    p, iss = scenario.parties[party], scenario.issues[issue]
    lo, hi = iss.range  # type: ignore[misc]  # a continuous issue has a range
    spec = None if p.scored_in_points else p.values.get(iss.name)
    if spec is None:
        return np.array([[lo, 0.0], [hi, 1.0]])
    return scenario._issue_values(iss, spec, p.name)


def _spec_matches(scenario: Scenario, spec: Mapping[str, tuple], point: Mapping) -> bool:
    """Whether a clause by names matches a point (discrete level listed, number in range)."""
    for name, levels in spec.items():
        if scenario.issue(name).is_continuous:
            lo, hi = levels
            if not lo <= float(point[name]) <= hi:
                return False
        elif point[name] not in levels:
            return False
    return True


def point_utilities(scenario: Scenario, point: Mapping[str, float | str]) -> np.ndarray:
    """Every party's utility of one deal that may give continuous issues any value (exact).

    ``point`` gives a number for each continuous issue and a level name for each discrete one.
    Piecewise-linear values are interpolated; a bonus matches when every discrete level is
    listed and every continuous value lies in its ``[min, max]``. Summed in the evaluator's
    order: issues in order, then each party's bonuses, then its soft red lines.

    Raises
    ------
    NegotiationError
        When an issue has no value, or a continuous value lies outside the issue's range.

    Examples
    --------
    >>> from negotiation.model import Issue, Party, Scenario
    >>> s = Scenario("pie", (Issue("share", range=(0.0, 100.0)),),
    ...              (Party("A", {"share": 1}), Party("B", {"share": 1},
    ...                                                  {"share": ((0, 1.0), (100, 0.0))})))
    >>> point_utilities(s, {"share": 30.0}).tolist()
    [0.3, 0.7]
    """
    tables = scenario.tables
    u = np.zeros(len(scenario.parties))
    for c, issue in enumerate(scenario.issues):
        if issue.name not in point:
            raise NegotiationError(f"the deal gives no value for issue {issue.name!r}")
        val = point[issue.name]
        if not issue.is_continuous:
            u += tables[c][issue.level_index(str(val))]
            continue
        lo, hi = issue.range  # type: ignore[misc]  # a continuous issue has a range
        xv = float(val)
        if not lo - 1e-9 * (hi - lo) <= xv <= hi + 1e-9 * (hi - lo):
            raise NegotiationError(
                f"value {xv:g} of issue {issue.name!r} is outside [{lo:g}, {hi:g}]"
            )
        for p in range(len(scenario.parties)):
            w = scenario.weights[p, c]
            if w > 0:
                pts = value_points(scenario, p, c)
                u[p] += w * float(np.interp(xv, pts[:, 0], pts[:, 1]))
    for p, party in enumerate(scenario.parties):
        for spec, value in (
            *((s, float(v)) for s, v in party.bonuses),
            *((s, -float(v)) for s, v in party.soft_red_lines),
        ):
            if _spec_matches(scenario, spec, point):
                u[p] += value
    return u
