"""The lotteries (randomised agreements) the bargaining solutions choose from: shared machinery.

A *lottery* draws deal ``k`` with probability ``p_k``; with von Neumann-Morgenstern utilities its
value to party ``i`` is the expected utility ``sum_k p_k u_ki``. Following Nash (1950) [Nash1950]_,
the set of randomised agreements is the convex hull of every *allowed* deal (no red line or joint
constraint crossed), cut at the disagreement point ``d``: ``{sum_k p_k u_k >= d}``. A lottery may
mix in a deal one party would refuse alone, as long as its *expected* utility stays at or above
its reservation; the ideal point of this set (:func:`lottery_ideal`) can exceed the best single
deal. This is the convex bargaining set on which the classic solutions are unique. Every point
of it is weakly dominated by a mixture of Pareto-optimal allowed deals that stays in the cut, so
the candidates (:func:`lottery_candidates`) are those deals; ``support="feasible"`` mixes only
the Pareto-feasible ones (the narrower set used before), and a quota rule keeps the frontier's
deals without a cut.

No convex hull is built: every programme runs over the mixture weights by column generation
(:class:`negotiation.engine.solvers.simplex.SimplexLP`), pricing every deal with one
matrix-vector product, so any number of parties works (9 parties and 1,300 deals in a fraction
of a second). Each rule's programme is in its own module (``nash.py``,
``kalai_smorodinsky.py``, ``egalitarian.py``, ``utilitarian.py``); this module holds what they
share: the cut (:func:`cut_gains`, :func:`cut_floor`), the ideal point of the cut hull, the
clean-up of the weights (:func:`finish_weights`) and the candidates and the
:class:`~negotiation.engine.deal.Lottery` of a frontier.

Each solution returns a :class:`~negotiation.engine.deal.Lottery` over frontier deals with at
most ``P`` deals of positive probability (``P`` = number of parties): the solution's utility
vector is Pareto-optimal on the hull, so it lies on a face of dimension at most ``P - 1``, and
Carathéodory's theorem (affine form) writes it as a mixture of at most ``P`` of that face's
vertices. The support is reduced to that size by moving along null vectors of ``[U_S^T; 1]``
(:func:`negotiation.engine.solvers.hull.reduce_support`).

If some party cannot gain over disagreement anywhere (``I_i = d_i``) it is left out of the Nash
product and the KS ratio, as in the pure solutions. Under a quota rule, if no lottery gives
every party with a positive ideal gain a positive expected gain, the lottery Nash solution is
the deterministic Nash deal.

References
----------
.. [Nash1950] Nash, "The bargaining problem" (1950). Full entry: docs/references.md.
.. [DantzigWolfe1960] Dantzig, Wolfe, "Decomposition principle for linear programs" (1960); column
   generation. Full entry: docs/references.md.
.. [Caratheodory1907] Carathéodory, "Über den Variabilitätsbereich der Koeffizienten von
   Potenzreihen" (1907). Full entry: docs/references.md.
.. [vonNeumannMorgenstern1944] von Neumann, Morgenstern, *Theory of Games and Economic Behavior*
   (1944). Full entry: docs/references.md.
"""

from __future__ import annotations

import warnings
import weakref
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from negotiation.engine.deal import Deal, Lottery
from negotiation.engine.frontier import Frontier, enumerate_frontier
from negotiation.engine.search import search_frontier
from negotiation.engine.solutions.choice import as_problem
from negotiation.engine.solvers.hull import reduce_support
from negotiation.engine.solvers.simplex import SimplexLP
from negotiation.errors import InfeasibleError, NegotiationError, NotApplicableError
from negotiation.model.scenario import Scenario, reservation_tolerance

__all__ = [
    "LOTTERY_SUPPORTS",
    "build_lottery",
    "cut_floor",
    "cut_gains",
    "finish_weights",
    "ir_index",
    "lottery_candidates",
    "lottery_ideal",
]


def _repair_cut(U: np.ndarray, d: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Weights whose mixture stays in the cut ``sum_k p_k u_k >= d`` (reservation tolerance).

    A linear programme meets its constraints only to the solver's tolerance, so a mixture may
    dip below a reservation by ~1e-9 through a tiny weight on a deal that party refuses. Weights
    below 1e-8 are dropped first; if the cut still fails (by half the reservation tolerance),
    the mixture is blended with the individually rational row best for the parties below, by
    the smallest share that restores it (a move of the order of the LP tolerance)."""
    tol = reservation_tolerance(d)
    q = np.where(p >= 1e-8, p, 0.0)
    if q.sum() <= 0:
        q = p
    q = q / q.sum()
    g = q @ U - d
    low = g < -0.5 * tol
    if not low.any():
        return q
    G = U - d
    ir = np.all(G >= -tol, axis=1)
    if not ir.any():
        return p
    k = int(np.flatnonzero(ir)[np.argmax(G[ir][:, low].min(axis=1))])
    gap = G[k, low] - g[low]
    theta = float(np.max(np.where(gap > 0, -g[low] / np.where(gap > 0, gap, 1.0), 1.0)))
    q = (1.0 - min(1.0, theta)) * q
    q[k] += min(1.0, theta)
    return q / q.sum()


def finish_weights(
    U: np.ndarray, p: np.ndarray, P: int, polish=None, d: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    p = np.where(p > 1e-12, p, 0.0)
    p = p / p.sum()
    if d is not None:
        p = _repair_cut(U, d, p)
    p = reduce_support(U, p, P)
    rows = np.flatnonzero(p > 0)
    w = p[rows]
    if polish is not None and rows.size > 1:
        w = polish(rows, w)
    keep = w > 1e-12
    rows, w = rows[keep], w[keep]
    return rows, w / w.sum()


def cut_gains(
    U: np.ndarray, d: np.ndarray, cut: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gains ``G = U - d``, the per-party cut tolerance, and which rows are individually rational
    (``G >= -tol`` for every party). With ``cut=False`` (a quota rule: no cut at ``d``) every
    row counts as individually rational, which gives the plain hull of the rows."""
    G = U - d
    tol = reservation_tolerance(d)
    if not cut:
        return G, tol, np.ones(U.shape[0], dtype=bool)
    return G, tol, np.all(G >= -tol, axis=1)


def cut_floor(G: np.ndarray, ir: np.ndarray) -> np.ndarray:
    """The cut ``g >= floor`` of the linear programmes: 0 (exactly the reservation), lowered
    only as far as an individually rational deal lies below it within the reservation tolerance
    (so that every deal the frontier accepts stays a lottery)."""
    return np.minimum(0.0, G[ir].min(axis=0)) if ir.any() else np.zeros(G.shape[1])


def lottery_ideal(U: np.ndarray, d: np.ndarray | Sequence[float]) -> np.ndarray:
    """Each party's best expected utility over the lotteries on the rows of ``U`` that give every
    party at least ``d`` in expectation: the ideal point of the cut hull
    ``conv(U) ∩ {u >= d}`` (Nash 1950's bargaining set).

    Where every row is individually rational this is the column maximum; otherwise one linear
    programme per party, ``max g_i`` s.t. ``sum_k p_k (u_k - d) >= 0``, ``p`` on the simplex.

    Raises
    ------
    InfeasibleError
        When no lottery gives every party its reservation value.

    Examples
    --------
    >>> U = np.array([[-2.0, 9.0], [2.0, 8.0], [12.0, 5.0]])  # from Nash's (1950) barter
    >>> lottery_ideal(U, [0.0, 0.0]).tolist()  # (-2, 9) and (2, 8) mixed half-half: (0, 8.5)
    [12.0, 8.5]
    """
    U, d = as_problem(U, d)
    G, tol, ir = cut_gains(U, d)
    if ir.all():
        return U.max(axis=0)
    # The Nash and KS lotteries of one analysis ask for the same ideal: one LP per party, once.
    key = (U.shape, U.tobytes(), d.tobytes())
    if key in _IDEALS:
        return _IDEALS[key].copy()
    out = _cut_ideal(U, d, G, ir)
    if len(_IDEALS) >= 4:
        _IDEALS.pop(next(iter(_IDEALS)))
    _IDEALS[key] = out
    return out.copy()


#: The last few ideal points of cut hulls, by ``(U, d)`` (bytes): the rules of one analysis
#: share them.
_IDEALS: dict[tuple, np.ndarray] = {}


def _cut_ideal(U: np.ndarray, d: np.ndarray, G: np.ndarray, ir: np.ndarray) -> np.ndarray:
    """:func:`lottery_ideal` where some row is not individually rational: the LPs."""
    lp = SimplexLP(G)
    seed = np.flatnonzero(ir)[:1]
    out = np.empty(U.shape[1])
    for i in range(U.shape[1]):
        e = np.zeros(U.shape[1])
        e[i] = 1.0
        res = lp.solve(e, lower=cut_floor(G, ir), seed=seed)
        if res is None:
            raise InfeasibleError(
                "no lottery gives every party at least its reservation value (empty cut hull)"
            )
        out[i] = d[i] + res[2]
    if ir.any():  # never below the best individually rational deal (LP rounding)
        out = np.maximum(out, U[ir].max(axis=0))
    return out


def ir_index(U: np.ndarray, d: np.ndarray, ir: np.ndarray, chooser, **kw) -> int:
    """Index (into ``U``) of the deterministic solution chosen among the individually rational
    rows (all rows when none is: possible only under a quota rule)."""
    rows = np.flatnonzero(ir) if ir.any() else np.arange(U.shape[0])
    levels = kw.pop("levels", None)
    sub = None if levels is None else levels[rows]
    return int(rows[chooser(U[rows], d, levels=sub, **kw)])


#: The candidate deals of the lottery solutions: ``"allowed"`` (default, Nash 1950) mixes every
#: Pareto-optimal deal that crosses no red line or joint constraint, cut at the disagreement
#: point (a deal one party would refuse alone may be mixed in, as long as that party's expected
#: utility stays at or above its reservation); ``"feasible"`` mixes only the Pareto-feasible
#: (individually rational) deals, the behaviour before.
LOTTERY_SUPPORTS = ("allowed", "feasible")

#: Candidate deals per frontier and support (the five solutions of one analysis share them).
_CANDIDATES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _worst_utilities(scenario: Scenario) -> np.ndarray:
    """A lower bound of each party's utility over every outcome: the sum of its per-issue
    minima and of its negative bonuses."""
    low = np.zeros(len(scenario.parties))
    for p in range(len(scenario.parties)):
        low[p] = sum(float(t[:, p].min()) for t in scenario.tables if t.shape[0])
        low[p] += sum(min(0.0, float(b.value)) for b in scenario.bonuses[p])
    return low


def _relaxed(scenario: Scenario) -> Scenario:
    """The scenario with every reservation lowered below the party's worst possible utility:
    its feasible outcomes are the allowed ones that cross no red line."""
    low = _worst_utilities(scenario)
    parties = tuple(
        replace(party, reservation=float(lo - 1.0 - abs(lo)))
        for party, lo in zip(scenario.parties, low, strict=True)
    )
    return replace(scenario, parties=parties)


def _reservations_bind(frontier: Frontier) -> bool:
    """Whether the reservations exclude some allowed outcome. When they do not (every
    reservation is at most the party's worst possible utility, or every allowed outcome was
    counted feasible), the feasible set is the allowed set and the frontier is already the
    Pareto set of the relaxed scenario: no second search is needed."""
    f = frontier
    if f.n_feasible_exact and f.n_allowed is not None and f.n_feasible == f.n_allowed:
        return False
    s = f.scenario
    return bool(np.any(s.reservations > _worst_utilities(s)))


def lottery_candidates(
    frontier: Frontier, support: str = "allowed"
) -> tuple[np.ndarray, np.ndarray, bool]:
    """The deals the lottery solutions mix: ``(levels, utilities, cut)``.

    ``support="allowed"`` (under unanimity): the Pareto-optimal deals among those that cross no
    red line or joint constraint, whatever the reservations, found by the search engine on the
    scenario with the reservations removed (the enumeration engine where the search does not
    apply; both are exact and agree bit for bit); ``cut`` is True (the lotteries are the
    mixtures whose expected utility is at least the reservation for every party: the convex
    bargaining set of Nash 1950). Every point of that cut hull is weakly dominated by a mixture
    of these deals that stays in the cut, so nothing is lost by dropping dominated deals. The
    result contains the Pareto-feasible frontier.

    ``support="feasible"``, or any quota rule: the frontier's own (Pareto-feasible) deals, and
    ``cut`` is False under a quota rule (no cut at the disagreement point, as before).

    Raises
    ------
    NegotiationError
        For an unknown support.
    """
    if support not in LOTTERY_SUPPORTS:
        raise NegotiationError(
            f"unknown lottery support {support!r} (choose from {', '.join(LOTTERY_SUPPORTS)})"
        )
    s = frontier.scenario
    unanimity = frontier.rule.is_unanimity(len(s.parties))
    if support == "feasible" or not unanimity:
        return frontier.levels, frontier.utilities, unanimity
    cache = _CANDIDATES.setdefault(frontier, {})
    if support not in cache and not _reservations_bind(frontier):
        cache[support] = (frontier.levels, frontier.utilities, True)
    if support not in cache:
        relaxed = _relaxed(s)
        wide = None
        try:  # the search engine: exact, and far faster than a second enumeration
            wide = search_frontier(
                relaxed, rule=frontier.rule, epsilon=frontier.epsilon, count_feasible=False
            )
        except NotApplicableError:
            if frontier.engine != "enumerate":
                raise
        except NegotiationError as err:  # e.g. more Pareto vectors than the search's cap
            if frontier.engine != "enumerate":
                warnings.warn(
                    f"lotteries over the Pareto-feasible deals only (support='feasible'): the "
                    f"deals allowed without the reservations are too many ({err})",
                    stacklevel=3,
                )
                cache[support] = (frontier.levels, frontier.utilities, True)
                return cache[support]
        if wide is None:
            wide = enumerate_frontier(relaxed, rule=frontier.rule)
        cache[support] = (wide.levels, wide.utilities, True)
    return cache[support]


def build_lottery(frontier: Frontier, levels: np.ndarray, U: np.ndarray, p: np.ndarray) -> Lottery:
    s = frontier.scenario
    deals = tuple(
        Deal(
            levels=row.copy(),
            utilities=u.copy(),
            terms=s.space.deal(row),
            parties=s.party_names,
        )
        for row, u in zip(levels, U, strict=True)
    )
    p = np.array(p, dtype=float)  # a copy: the caller's weights may be shared
    return Lottery(deals=deals, probabilities=p, utilities=p @ U, parties=s.party_names)
