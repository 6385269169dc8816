"""Bargaining solutions: rules that pick one deal from the Pareto-feasible frontier.

Every solution here works on a :class:`~negotiation.engine.frontier.Frontier` (the
Pareto-feasible outcomes of a scenario) with the *disagreement point* ``d`` = the vector of the
parties' reservation values. Write ``g_i = u_i - d_i`` for party ``i``'s *gain* over
disagreement and ``I_i = max u_i`` over the feasible set for its *ideal* (best feasible) utility.
Each rule maximises an objective that never decreases when a party's utility rises, so a
maximiser over the whole feasible set always lies on the frontier: searching the frontier is
exact.

=====================  ==========================================================================
``nash``               maximise ``prod_i g_i`` (Nash 1950)
``asymmetric_nash``    maximise ``prod_i g_i ** alpha_i``, ``alpha`` = the parties' ``power``
                       (Kalai 1977; Binmore, Rubinstein & Wolinsky 1986)
``kalai_smorodinsky``  maximise ``min_i g_i / (I_i - d_i)`` (Kalai & Smorodinsky 1975)
``egalitarian``        maximise ``min_i g_i``, then the leximin order (Kalai 1977; Rawls 1971)
``utilitarian``        maximise ``sum_i u_i`` (Harsanyi 1955)
=====================  ==========================================================================

Exact rules (the full definitions, also in ``docs/explanation-math.md``):

*Tolerances.* Party ``i``'s gain counts as *positive* when ``g_i > tol_i`` with
``tol_i = RESERVATION_TOL * max(1, |d_i|)``, the resolution of the feasibility test itself
(:data:`negotiation.model.scenario.RESERVATION_TOL`). Two objective values are *tied* when they
differ by at most ``1e-10 * max(1, |best|)`` (so that float rounding of equal sums cannot decide).

*Nash and asymmetric Nash.* Work in logs: ``sum_i alpha_i log g_i``. Ties: the leximin order of
the normalised gains ``g_i / (I_i - d_i)`` (scale-free, so the rule stays invariant to positive
affine rescaling of any party's utilities, tie-breaks included). Negative gains (possible
only under a quota rule, for an outvoted party) count as zero. When no deal gives every party a
positive gain the product is zero everywhere; the rule is then *lexicographic*: first maximise
the number of parties with a positive gain, then ``sum alpha_i log(g_i / (I_i - d_i))`` over
those parties (normalised gains, so that deals where different parties gain are compared
without regard to the parties' utility scales). When some deal gives every party a positive gain
this is the plain Nash product (normalising only subtracts a constant from the log product); a
party whose ideal equals its reservation (it can gain nothing anywhere) simply drops out.

*Kalai-Smorodinsky.* Parties with ``I_i - d_i <= tol_i`` (nothing to gain) are left out of the
ratio. The discrete choice maximises the smallest normalised gain ``min_i g_i / (I_i - d_i)``:
the frontier point whose normalised gains come closest, from below, to the point where the ray
from ``d`` towards ``I`` leaves the feasible set. Ties: the largest sum of normalised gains.

*Egalitarian.* The leximin order on the raw gains: maximise the smallest gain, then the second
smallest, and so on.

*Utilitarian.* Maximise the plain sum of utilities ``sum_i u_i``, ties by the leximin order of
the gains. Utilities are summed as given, in each party's own units: in a scorable game (every
party scored in points) that is the joint score; with normalised weights-and-values parties it is
the sum of normalised utilities. The rule is not invariant to rescaling a party (by design, it
compares utilities across parties); if a scenario mixes points parties and normalised parties the
sum mixes units, so read it with care (or rescale the parties).

*Last tie-break, everywhere.* Among deals still tied, the smallest outcome index, i.e. the
lexicographically smallest level row (outcome indices are mixed-radix numbers of level rows, so
this is the same order and works for spaces too large to index); in the array functions without
``levels``, the first row.

References
----------
.. [N50] J. Nash, "The bargaining problem", Econometrica 18(2):155-162, 1950.
.. [KS75] E. Kalai, M. Smorodinsky, "Other solutions to Nash's bargaining problem",
   Econometrica 43(3):513-518, 1975.
.. [K77] E. Kalai, "Nonsymmetric Nash solutions and replications of 2-person bargaining",
   International Journal of Game Theory 6(3):129-133, 1977; and "Proportional solutions to
   bargaining situations: interpersonal utility comparisons", Econometrica 45(7):1623-1630, 1977.
.. [BRW86] K. Binmore, A. Rubinstein, A. Wolinsky, "The Nash bargaining solution in economic
   modelling", RAND Journal of Economics 17(2):176-188, 1986.
.. [H55] J. C. Harsanyi, "Cardinal welfare, individualistic ethics, and interpersonal
   comparisons of utility", Journal of Political Economy 63(4):309-321, 1955.
.. [R71] J. Rawls, *A Theory of Justice*, Harvard University Press, 1971.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from negotiation.engine.deal import Deal
from negotiation.errors import InfeasibleError, NegotiationError
from negotiation.model.scenario import reservation_tolerance

if TYPE_CHECKING:  # pragma: no cover
    from negotiation.engine.frontier import Frontier

__all__ = [
    "SOLUTIONS",
    "TIE_RTOL",
    "asymmetric_nash",
    "check_power",
    "egalitarian",
    "egalitarian_index",
    "kalai_smorodinsky",
    "kalai_smorodinsky_index",
    "leximin_index",
    "nash",
    "nash_index",
    "solution_index",
    "solve",
    "utilitarian",
    "utilitarian_index",
]

#: Relative tolerance under which two objective values count as tied.
TIE_RTOL = 1e-10


# -- helpers ----------------------------------------------------------------------------------
def _as_problem(U: np.ndarray, d: np.ndarray | Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """Validate ``U`` (``N x P``) and ``d`` (length ``P``) and return them as float arrays."""
    U = np.asarray(U, dtype=float)
    d = np.asarray(d, dtype=float)
    if U.ndim != 2:
        raise NegotiationError(f"utilities must be an N x parties matrix, got shape {U.shape}")
    if d.shape != (U.shape[1],):
        raise NegotiationError(
            f"the disagreement point needs one value per party ({U.shape[1]}), got shape {d.shape}"
        )
    if U.shape[0] == 0:
        raise InfeasibleError("no feasible outcome: there is no deal to choose from")
    if not (np.all(np.isfinite(U)) and np.all(np.isfinite(d))):
        raise NegotiationError("utilities and the disagreement point must be finite numbers")
    return U, d


def check_power(power: object, n_parties: int, names: Sequence[str] | None = None) -> np.ndarray:
    """Bargaining powers as a positive float array of length ``n_parties``.

    ``power`` may be ``None`` (all 1: the symmetric case), a sequence of numbers, or a mapping
    ``{party name: power}`` (with ``names``; unlisted parties get 1).

    Examples
    --------
    >>> check_power({"B": 2.0}, 2, ["A", "B"]).tolist()
    [1.0, 2.0]
    """
    if power is None:
        return np.ones(n_parties)
    if isinstance(power, Mapping):
        if names is None:
            raise NegotiationError("power given by party name needs the party names")
        unknown = [k for k in power if k not in names]
        if unknown:
            raise NegotiationError(
                f"power names unknown parties {unknown} (parties: {list(names)})"
            )
        power = [power.get(n, 1.0) for n in names]
    try:
        alpha = np.asarray(power, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise NegotiationError(f"power must be numbers, got {power!r}") from None
    if alpha.shape != (n_parties,):
        raise NegotiationError(f"power needs one value per party ({n_parties}), got {alpha.size}")
    bad = ~(np.isfinite(alpha) & (alpha > 0))
    if bad.any():
        who = [names[k] for k in np.flatnonzero(bad)] if names is not None else np.flatnonzero(bad)
        raise NegotiationError(f"power must be finite and > 0 (bad for {list(who)})")
    return alpha


def _tied(values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The rows (a subset) whose value is within the tie tolerance of the best among them."""
    v = values[rows]
    best = v.max()
    if not np.isfinite(best):
        return rows[v == best]
    return rows[v >= best - TIE_RTOL * max(1.0, abs(best))]


def _first(rows: np.ndarray, levels: np.ndarray | None) -> int:
    """The final tie-break: smallest outcome index (lexicographic level row), else first row."""
    if rows.size == 1 or levels is None:
        return int(rows[0])
    L = np.asarray(levels)[rows]
    order = np.lexsort(L.T[::-1])  # primary key: first issue
    return int(rows[order[0]])


def _choose(
    keys: Sequence[np.ndarray], n: int, levels: np.ndarray | None, rows: np.ndarray | None = None
) -> int:
    """Lexicographic maximisation of ``keys`` (each a length-``n`` array) with tie tolerance."""
    rows = np.arange(n) if rows is None else rows
    for key in keys:
        if rows.size == 1:
            break
        rows = _tied(np.asarray(key, dtype=float), rows)
    return _first(rows, levels)


def _leximin_keys(G: np.ndarray) -> list[np.ndarray]:
    """Keys of the leximin order: the sorted gains, smallest first."""
    S = np.sort(G, axis=1)
    return [S[:, j] for j in range(S.shape[1])]


def _can_gain(G: np.ndarray, d: np.ndarray) -> np.ndarray:
    """``N x P`` boolean: the gain is positive (beyond the reservation tolerance)."""
    return G > reservation_tolerance(d)


# -- array versions ---------------------------------------------------------------------------
def nash_index(
    U: np.ndarray,
    d: np.ndarray | Sequence[float],
    power: np.ndarray | Sequence[float] | None = None,
    *,
    levels: np.ndarray | None = None,
) -> int:
    """Row of ``U`` that maximises the (asymmetric) Nash product of gains over ``d``.

    Maximises ``sum_i alpha_i log(u_i - d_i)`` (``alpha = power``, all 1 by default: the Nash
    1950 solution; otherwise the asymmetric Nash solution of Kalai 1977). If no row gives every
    party a positive gain, rows are compared first by how many parties gain, then by the log
    product of the normalised gains ``(u_i - d_i) / max_k (u_ki - d_i)`` over those parties (see
    the module docstring). Ties: the leximin order of the
    normalised gains ``(u_i - d_i) / max_k (u_ki - d_i)`` (so the whole rule, tie-breaks
    included, is invariant to positive affine rescaling), then the smallest ``levels`` row (or
    the first row).

    Parameters
    ----------
    U
        ``N x P`` utilities of the candidate deals (the feasible set, or its frontier).
    d
        Disagreement point (reservation values), length ``P``.
    power
        Exponents ``alpha_i > 0``; ``None`` for the symmetric solution.
    levels
        ``N x issues`` level rows, for the last tie-break (smallest outcome index).

    Examples
    --------
    >>> U = np.array([[1.0, 0.0], [0.6, 0.6], [0.2, 0.9], [0.0, 1.0]])
    >>> nash_index(U, [0.0, 0.0])
    1
    >>> nash_index(U, [0.0, 0.0], power=[1.0, 4.0])
    2
    """
    U, d = _as_problem(U, d)
    alpha = check_power(power, U.shape[1])
    alpha = alpha / alpha.max()  # only the ratios matter; huge powers (1e308) do not overflow
    G = U - d
    pos = _can_gain(G, d)
    count = pos.sum(axis=1)
    span = np.where(pos.any(axis=0), G.max(axis=0), 1.0)
    R = G / span  # normalised gains: scale-free
    value = np.where(pos, np.log(np.where(pos, R, 1.0)), 0.0) @ alpha
    use = pos.any(axis=0)
    ties = _leximin_keys(R[:, use]) if use.any() else []
    return _choose([count, value, *ties], U.shape[0], levels)


def kalai_smorodinsky_index(
    U: np.ndarray,
    d: np.ndarray | Sequence[float],
    ideal: np.ndarray | Sequence[float] | None = None,
    *,
    levels: np.ndarray | None = None,
) -> int:
    """Row of ``U`` with the largest smallest normalised gain (discrete Kalai-Smorodinsky).

    With ideal point ``I`` (default: the column maxima of ``U``, which over a frontier are the
    best feasible utilities), party ``i``'s normalised gain is ``r_i = (u_i - d_i) / (I_i - d_i)``
    for the parties with ``I_i - d_i > tol_i`` (the others are left out). The chosen row
    maximises ``min_i r_i``; ties by the largest ``sum_i r_i``, then the smallest ``levels`` row
    (or the first row). On a continuous set the maximiser is where the ray from ``d`` towards
    ``I`` leaves the set (Kalai & Smorodinsky 1975).

    Examples
    --------
    >>> U = np.array([[1.0, 0.0], [0.7, 0.5], [0.5, 0.55], [0.0, 0.6]])
    >>> kalai_smorodinsky_index(U, [0.0, 0.0])  # ratios min(0.7, 0.83) beats min(0.5, 0.92)
    1
    """
    U, d = _as_problem(U, d)
    I_ = U.max(axis=0) if ideal is None else np.asarray(ideal, dtype=float)
    span = I_ - d
    use = span > reservation_tolerance(d)
    if not use.any():
        return _choose([], U.shape[0], levels)
    R = (U[:, use] - d[use]) / span[use]
    return _choose([R.min(axis=1), R.sum(axis=1)], U.shape[0], levels)


def egalitarian_index(
    U: np.ndarray, d: np.ndarray | Sequence[float], *, levels: np.ndarray | None = None
) -> int:
    """Row of ``U`` that is best in the leximin order of the gains ``u - d`` (egalitarian).

    Maximises the smallest gain ``min_i (u_i - d_i)``, then the second smallest, and so on
    (Kalai 1977's egalitarian solution with the leximin refinement; Rawls 1971). Ties: the
    smallest ``levels`` row (or the first row).

    Examples
    --------
    >>> egalitarian_index(np.array([[0.9, 0.1], [0.45, 0.5], [0.5, 0.45]]), [0.0, 0.0])
    1
    """
    U, d = _as_problem(U, d)
    return _choose(_leximin_keys(U - d), U.shape[0], levels)


leximin_index = egalitarian_index


def utilitarian_index(
    U: np.ndarray, d: np.ndarray | Sequence[float], *, levels: np.ndarray | None = None
) -> int:
    """Row of ``U`` with the largest sum of utilities (utilitarian; Harsanyi 1955).

    Ties: the leximin order of the gains ``u - d``, then the smallest ``levels`` row (or the
    first row). ``d`` only matters for the tie-break.

    Examples
    --------
    >>> utilitarian_index(np.array([[0.9, 0.1], [0.5, 0.5], [0.6, 0.3]]), [0.0, 0.0])
    1
    """
    U, d = _as_problem(U, d)
    return _choose([U.sum(axis=1), *_leximin_keys(U - d)], U.shape[0], levels)


def solution_index(
    name: str,
    U: np.ndarray,
    d: np.ndarray | Sequence[float],
    *,
    power: np.ndarray | Sequence[float] | None = None,
    levels: np.ndarray | None = None,
) -> int:
    """Row of ``U`` that the named solution picks (the array version of :func:`solve`).

    ``power`` is used by ``"asymmetric_nash"`` only (``None``: all 1).

    Examples
    --------
    >>> solution_index("utilitarian", np.array([[0.2, 0.2], [0.5, 0.6]]), [0.0, 0.0])
    1
    """
    _check_name(name)
    if name in ("nash", "asymmetric_nash"):
        return nash_index(U, d, power if name == "asymmetric_nash" else None, levels=levels)
    if name == "kalai_smorodinsky":
        return kalai_smorodinsky_index(U, d, levels=levels)
    if name == "egalitarian":
        return egalitarian_index(U, d, levels=levels)
    return utilitarian_index(U, d, levels=levels)


# -- frontier versions ------------------------------------------------------------------------
def nash(frontier: Frontier) -> Deal:
    """The Nash bargaining solution: the frontier deal maximising ``prod_i (u_i - d_i)``.

    ``d`` is the reservation vector; observers (``observer = true``) are left out of the
    product (they are scored, not bargaining). Nash (1950) characterises this rule by Pareto optimality,
    symmetry, invariance to positive affine rescaling of any party's utility, and independence
    of irrelevant alternatives. Degenerate cases and ties: see the module docstring.

    Raises
    ------
    InfeasibleError
        When the feasible set is empty (with the frontier's diagnosis).

    Examples
    --------
    >>> from negotiation import load_scenario
    >>> from negotiation.engine.frontier import enumerate_frontier
    >>> nash(enumerate_frontier(load_scenario("textbook_two_party"))).terms
    {'salary': '60k', 'remote_days': 'two_days', 'start_date': 'one_month'}
    """
    frontier.require_nonempty()
    cols = _deciders(frontier)  # observers are not in the Nash product (issue 18)
    k = nash_index(frontier.utilities[:, cols], frontier.disagreement[cols], levels=frontier.levels)
    return frontier.deal(k)


def _deciders(frontier: Frontier) -> list[int]:
    """Columns of the parties in the Nash product: all but the scenario's observers."""
    s = frontier.scenario
    return list(getattr(s, "deciders", range(len(s.parties))))


def asymmetric_nash(
    frontier: Frontier, power: Sequence[float] | Mapping[str, float] | None = None
) -> Deal:
    """The asymmetric (generalised) Nash solution: maximise ``prod_i (u_i - d_i) ** alpha_i``.

    ``alpha`` is ``power`` (a sequence, or ``{party: power}``), by default each party's
    ``power`` from the scenario (Kalai 1977; Binmore, Rubinstein & Wolinsky 1986, where the
    exponents come from the parties' discount rates and breakdown risks). With equal powers it
    is the Nash solution.

    Raises
    ------
    InfeasibleError
        When the feasible set is empty.
    """
    frontier.require_nonempty()
    s = frontier.scenario
    alpha = s.powers if power is None else check_power(power, len(s.parties), s.party_names)
    cols = _deciders(frontier)  # observers are not in the Nash product (issue 18)
    k = nash_index(
        frontier.utilities[:, cols],
        frontier.disagreement[cols],
        np.asarray(alpha, dtype=float)[cols],
        levels=frontier.levels,
    )
    return frontier.deal(k)


def kalai_smorodinsky(frontier: Frontier) -> Deal:
    """The (discrete) Kalai-Smorodinsky solution: gains proportional to the best feasible gains.

    Maximises ``min_i (u_i - d_i) / (I_i - d_i)`` over the frontier, ``I`` the ideal point (each
    party's best feasible utility); parties with ``I_i = d_i`` are left out; ties by the largest
    sum of normalised gains, then the smallest outcome index. Kalai & Smorodinsky (1975) replace
    Nash's independence axiom by individual monotonicity.

    Raises
    ------
    InfeasibleError
        When the feasible set is empty.
    """
    frontier.require_nonempty()
    k = kalai_smorodinsky_index(
        frontier.utilities, frontier.disagreement, frontier.ideal, levels=frontier.levels
    )
    return frontier.deal(k)


def egalitarian(frontier: Frontier) -> Deal:
    """The egalitarian solution: maximise the smallest gain ``min_i (u_i - d_i)`` (leximin).

    Kalai (1977); the leximin refinement (then the second smallest gain, ...) makes the choice
    Pareto-optimal and unique up to ties (Rawls 1971). Gains are compared in the parties' own
    units, so the rule is not invariant to rescaling.

    Raises
    ------
    InfeasibleError
        When the feasible set is empty.
    """
    frontier.require_nonempty()
    return frontier.deal(
        egalitarian_index(frontier.utilities, frontier.disagreement, levels=frontier.levels)
    )


def utilitarian(frontier: Frontier) -> Deal:
    """The utilitarian solution: maximise the sum of utilities ``sum_i u_i`` (Harsanyi 1955).

    Ties by the leximin order of the gains, then the smallest outcome index. Utilities are summed
    in the parties' own units (see the module docstring on points-scored parties).

    Raises
    ------
    InfeasibleError
        When the feasible set is empty.
    """
    frontier.require_nonempty()
    return frontier.deal(
        utilitarian_index(frontier.utilities, frontier.disagreement, levels=frontier.levels)
    )


#: The solutions by name, each a function ``Frontier -> Deal``.
SOLUTIONS: dict[str, Callable[[Frontier], Deal]] = {
    "nash": nash,
    "asymmetric_nash": asymmetric_nash,
    "kalai_smorodinsky": kalai_smorodinsky,
    "egalitarian": egalitarian,
    "utilitarian": utilitarian,
}


def _check_name(name: str) -> None:
    if name not in SOLUTIONS:
        raise NegotiationError(f"unknown solution {name!r} (known: {', '.join(SOLUTIONS)})")


def solve(name: str, frontier: Frontier) -> Deal:
    """The deal the named solution picks on ``frontier`` (a name from :data:`SOLUTIONS`).

    Raises
    ------
    NegotiationError
        For an unknown name (the message lists the known ones).
    InfeasibleError
        When the feasible set is empty.
    """
    _check_name(name)
    return SOLUTIONS[name](frontier)
