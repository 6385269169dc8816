"""The public search: :func:`search_frontier` (method in :mod:`negotiation.engine.search`)."""

from __future__ import annotations

import math

import numpy as np

import negotiation.engine.search.count as _count
from negotiation.engine.distinct import collapsed_mask
from negotiation.engine.frontier import Frontier, enumerate_frontier, explain_empty
from negotiation.engine.pareto import pareto_mask
from negotiation.engine.search.count import count_allowed
from negotiation.engine.search.fold import _exact_counts, _expand, _Fold, _fold
from negotiation.engine.search.problem import _check_open_clauses, _Problem, _problem
from negotiation.errors import NegotiationError, NotApplicableError, ScenarioError
from negotiation.model.scenario import AgreementRule, Scenario

__all__ = ["search_frontier", "DEFAULT_MAX_FRONTIER"]

#: Default cap on the number of outcomes (rows) a search frontier expands into.
DEFAULT_MAX_FRONTIER = 1_000_000


def _nonempty(prob: _Problem) -> bool:
    """Whether the fold of ``prob`` leaves a feasible state."""
    fold = _fold(prob)
    return bool(fold.feasible.any())


def _diagnose_search(scenario: Scenario) -> dict:
    """Why nothing is feasible, by small extra searches: dropping one party's demands (its red
    lines and reservation), one party's red lines alone, one party's reservation alone."""
    P = len(scenario.parties)
    names = scenario.party_names
    everyone = list(range(P))
    blockers, red, low = [], [], []
    for p in everyone:
        others = [q for q in everyone if q != p]
        if _nonempty(_problem(scenario, others, others)):
            blockers.append(names[p])
        if not _nonempty(_problem(scenario, [p], [p], reservations=False)):
            red.append(names[p])
        if not _nonempty(_problem(scenario, [p], [], reservations=True)):
            low.append(names[p])
    return explain_empty(blockers, red, low)


# --------------------------------------------------------------------------------------------
# The public function
# --------------------------------------------------------------------------------------------


# size: the numpy docstring states the method, the exactness and every count's meaning
def search_frontier(
    scenario: Scenario,
    *,
    rule: AgreementRule | None = None,
    epsilon: float | None = None,
    progress: bool = False,
    max_frontier: int | None = None,
    count_feasible: bool = True,
) -> Frontier:
    """Exact Pareto-feasible frontier by an issue-by-issue search, for any number of parties.

    An outcome ``x`` is *feasible* when no constraint forbids it, it crosses no party's red line
    and ``u_p(x) >= r_p`` for every party (unanimity). It is *Pareto-feasible* when no feasible
    ``y`` has ``u(y) >= u(x)`` in every party and ``>`` in one. With additive utilities
    ``u(x) = sum_i s_i(x_i) + bonuses``, the frontier of issues ``0..k+1`` lies inside the
    frontier of (frontier of issues ``0..k``) ``+`` (levels of issue ``k+1``): the
    multi-objective dynamic programme of Nemhauser & Ullmann [NemhauserUllmann1969]_, as
    De Jonge et al. [DRS2019]_ and Koça et al. [KdJB2024]_ (MOBANOS) use it for two parties.
    Clauses over several issues are tracked as state classes (see the module docstring);
    reservations prune partial outcomes whose best completion cannot reach them.

    The answer is exactly :func:`~negotiation.engine.frontier.enumerate_frontier`'s: the same
    outcomes (all tied outcomes included) with bit-identical utilities, rows in outcome-index
    (lexicographic) order.

    Parameters
    ----------
    scenario
        A discrete scenario (``scenario.discretize()`` a continuous one first).
    rule
        Agreement rule; defaults to the scenario's own. Only unanimity is supported (a quota
        rule raises :class:`~negotiation.errors.NotApplicableError`: use the enumeration
        engine).
    epsilon
        ``None`` for the whole frontier. A positive number returns an additive epsilon-Pareto
        subset of it (the box archive of Laumanns et al. [LTDZ2002]_ applied to the exact frontier
        by :func:`~negotiation.engine.pareto.pareto_mask`): every returned outcome is
        Pareto-feasible, and every Pareto-feasible outcome ``x`` has a returned ``y`` with
        ``u_p(y) >= u_p(x) - epsilon`` for every party ``p``. The search itself stays exact;
        epsilon bounds the size of the returned frontier.
    progress
        Show a progress bar (tqdm) over the issues.
    max_frontier
        Cap on the number of outcomes returned (default :data:`DEFAULT_MAX_FRONTIER`). Ties can
        multiply (an issue nobody cares about multiplies every frontier point by its number of
        levels). When the frontier has more outcomes than the cap, every distinct utility vector
        is still returned with at least one outcome, tie groups are filled while the cap allows,
        and ``diagnostics`` says so (``"truncated": True``, ``"n_frontier_outcomes"``: the exact
        count). When even the distinct vectors exceed the cap a
        :class:`~negotiation.errors.NegotiationError` is raised (use ``epsilon``).
    count_feasible
        With ``False``, skip counting (or estimating) the feasible outcomes: ``n_feasible`` is
        then ``None`` (unless nothing is feasible), for callers that only need the frontier.

    Returns
    -------
    Frontier
        ``engine="search"``. ``n_outcomes`` and ``n_allowed`` are exact Python ints (a counting
        dynamic programme over the constraints, :func:`count_allowed`). ``n_feasible`` is exact
        for spaces of at most :data:`EXACT_COUNT_LIMIT` outcomes (enumerated) and when nothing is
        feasible; otherwise it is the Monte Carlo estimate ``n_allowed * h / n`` from a uniform
        sample of ``n =`` :data:`FEASIBLE_SAMPLE` allowed outcomes (fixed seed) of which ``h``
        are feasible, with ``n_feasible_exact=False`` and the sample in
        ``diagnostics["n_feasible_estimate"]`` (the estimate is raised to the number of
        Pareto-feasible outcomes found, a sure lower bound, when the sample misses them all).

    Raises
    ------
    NotApplicableError
        Under a quota agreement rule, or for a continuous scenario.

    Examples
    --------
    >>> from negotiation.model.issues import Issue
    >>> from negotiation.model.party import Party
    >>> issues = tuple(Issue(f"i{k}", ("lo", "mid", "hi")) for k in range(40))
    >>> s = Scenario("big", issues, (Party("A", {i.name: 1 for i in issues}),
    ...     Party("B", {i.name: 1 + k % 3 for k, i in enumerate(issues)},
    ...           {i.name: {"lo": 1.0, "mid": 0.6, "hi": 0.0} for i in issues})))
    >>> f = search_frontier(s)
    >>> f.n_outcomes == 3 ** 40, f.engine
    (True, 'search')
    >>> bool((f.utilities.sum(axis=1) > 0).all())
    True
    """
    rule = rule or scenario.agreement
    epsilon, cap = _check_arguments(scenario, rule, epsilon, max_frontier)
    everyone = list(range(len(scenario.parties)))
    prob = _problem(scenario, everyone, everyone)
    _check_open_clauses(scenario, prob)
    fold = _fold(prob, progress=progress)
    if not fold.feasible.any():
        return _empty_frontier(scenario, rule, epsilon)

    # The exact frontier of the final states (ties across states kept), then epsilon.
    cand = np.flatnonzero(fold.feasible)
    cand = cand[collapsed_mask(fold.values[cand], lambda v: pareto_mask(v, tol=prob.tol))]
    if epsilon is not None:
        cand = cand[pareto_mask(fold.values[cand], eps=epsilon)]
    diagnostics: dict = {}
    levels = _expand_within_cap(scenario, fold, cand, cap, diagnostics)

    # Outcome-index order; utilities recomputed exactly as enumeration computes them.
    order = _outcome_order(scenario, levels)
    levels = levels[order]
    u = scenario.utilities(levels)
    keep = scenario.feasible_mask(levels, u, rule)
    # Tied outcomes share one utility vector: filter the distinct vectors only.
    keep[keep] = collapsed_mask(u[keep], lambda v: pareto_mask(v, tol=prob.tol))
    levels, u = levels[keep], u[keep]
    n_allowed, n_feasible, exact = _count.frontier_counts(
        scenario, rule, int(levels.shape[0]), count_feasible, diagnostics
    )
    return Frontier(
        scenario=scenario,
        levels=levels,
        utilities=u,
        n_outcomes=scenario.space.cardinality,
        n_allowed=n_allowed,
        n_feasible=n_feasible,
        engine="search",
        rule=rule,
        n_feasible_exact=exact,
        diagnostics=diagnostics,
        epsilon=epsilon,
        tolerance=prob.tol,
    )


def _outcome_order(scenario: Scenario, levels: np.ndarray) -> np.ndarray:
    """The permutation that puts the rows of ``levels`` in outcome-index (lexicographic) order:
    one sort of the mixed-radix indices where they fit in int64, else a lexsort of the columns."""
    if levels.shape[0] and scenario.space.cardinality < 2**62:
        return np.argsort(scenario.space.indices_of(levels), kind="stable")
    return np.lexsort(tuple(levels[:, i] for i in range(levels.shape[1] - 1, -1, -1)))


def _check_arguments(
    scenario: Scenario, rule: AgreementRule, epsilon: float | None, max_frontier: int | None
) -> tuple[float | None, int]:
    """Refuse what the search cannot do (continuous issues, a quota rule, observers, unknown
    vetoes, a bad ``epsilon`` or ``max_frontier``); return ``epsilon`` as a float and the cap."""
    P = len(scenario.parties)
    if scenario.is_continuous:
        raise NotApplicableError(
            f"scenario {scenario.name!r} has continuous issues: call scenario.discretize() "
            "before the search engine"
        )
    if not rule.is_unanimity(P):
        raise NotApplicableError(
            f"the frontier search supports only unanimity, not a quota of {rule.quota} of {P} "
            "parties: use the enumeration engine"
        )
    if getattr(scenario, "has_observers", False):
        raise NotApplicableError(
            "the frontier search needs every party's reservation to bind, but the scenario has "
            "observers: use the enumeration engine"
        )
    for v in rule.veto:
        scenario.party(v)
    if epsilon is not None:
        if (
            isinstance(epsilon, bool)
            or not isinstance(epsilon, (int, float))
            or not (math.isfinite(epsilon) and epsilon > 0)
        ):
            raise ScenarioError(f"epsilon must be a positive number, got {epsilon!r}")
        epsilon = float(epsilon)
    cap = DEFAULT_MAX_FRONTIER if max_frontier is None else max_frontier
    if isinstance(cap, bool) or not isinstance(cap, (int, np.integer)) or cap < 1:
        raise ScenarioError(f"max_frontier must be a positive whole number, got {max_frontier!r}")
    return epsilon, int(cap)


def _empty_frontier(scenario: Scenario, rule: AgreementRule, epsilon: float | None) -> Frontier:
    """The frontier when nothing is feasible, with the diagnosis of why (by enumeration in
    small spaces, by extra searches in large ones)."""
    if scenario.space.cardinality <= _count.EXACT_COUNT_LIMIT:
        base = enumerate_frontier(scenario, rule=rule)
        diagnostics = dict(base.diagnostics)
        n_allowed = base.n_allowed
    else:
        diagnostics = _diagnose_search(scenario)
        n_allowed = count_allowed(scenario)
    return Frontier(
        scenario=scenario,
        levels=np.zeros((0, len(scenario.issues)), dtype=np.int64),
        utilities=np.zeros((0, len(scenario.parties))),
        n_outcomes=scenario.space.cardinality,
        n_allowed=n_allowed,
        n_feasible=0,
        engine="search",
        rule=rule,
        diagnostics=diagnostics,
        epsilon=epsilon,
    )


def _expand_within_cap(
    scenario: Scenario, fold: _Fold, cand: np.ndarray, cap: int, diagnostics: dict
) -> np.ndarray:
    """Level matrix of the outcomes behind the final states ``cand``: all of them when they
    fit in ``cap``, else every state with one outcome and tie groups filled while the cap allows
    (``diagnostics`` then says so)."""
    counts = fold.count[cand]
    if float(counts.sum()) <= cap:
        return _expand(fold, cand, full=True)
    if cand.size > cap:
        raise NegotiationError(
            f"scenario {scenario.name!r}: the frontier has {cand.size:,} distinct utility "
            f"vectors, more than max_frontier={cap:,}; pass a larger max_frontier or an "
            "epsilon to thin it"
        )
    order = np.argsort(counts, kind="stable")
    budget = cap - cand.size  # every state gets one outcome; the rest fills tie groups
    extra = np.cumsum(counts[order] - 1)
    whole = order[extra <= budget]
    part = np.setdiff1d(np.arange(cand.size), whole)
    levels = np.concatenate(
        [_expand(fold, cand[whole], full=True), _expand(fold, cand[part], full=False)]
    )
    diagnostics["truncated"] = True
    diagnostics["n_frontier_outcomes"] = _exact_counts(fold, cand)
    diagnostics["n_frontier_vectors"] = int(cand.size)
    diagnostics["message_truncated"] = (
        f"the frontier has {diagnostics['n_frontier_outcomes']:,} outcomes "
        f"({cand.size:,} distinct utility vectors); returned {levels.shape[0]:,} "
        f"(max_frontier={cap:,}): every vector with at least one of its tied outcomes"
    )
    return levels
