"""The players' view of a scenario: their Pareto set, its convex hull, and lotteries on it.

Strategic models are played by some of a scenario's parties (the *players*): two for the
Rubinstein and normal-form games, any number for the finite-horizon and Baron–Ferejohn games.
This module turns a scenario into what those models need:

* :func:`project` -- the players' Pareto set: the outcomes that are feasible (for every party
  under the scenario's agreement rule, or for the players alone) and that no other such outcome
  Pareto-dominates *in the players' utilities* (utilities equal to 12 decimals count as ties).
  Each distinct utility vector of the players is kept once; among outcomes tied for the players, the one best for the other parties (largest
  sum of their gains over reservation, then lowest frontier index) represents it, and the other
  parties' utilities are reported with it.
* :class:`ConcaveFrontier` -- for two players, the upper-right boundary of the convex hull of
  their Pareto points, in gains over the disagreement point: the piecewise-linear frontier of
  the *lotteries* over the deals (von Neumann & Morgenstern 1944; any point on a hull edge is a
  lottery of the two adjacent deals).
* :func:`hull_nash` -- the (asymmetric) Nash solution on that piecewise-linear frontier, exact.

Why the full frontier suffices: if ``x`` is Pareto-optimal for the players among the feasible
outcomes, some outcome ``y`` on the full frontier weakly dominates ``x`` for every party, and
then ``y`` ties with ``x`` for the players. So the players' Pareto set is read off the full
(all-party) frontier of the same feasible set.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from negotiation.engine.deal import Deal, Lottery
from negotiation.engine.frontier import Frontier, enumerate_frontier
from negotiation.engine.pareto import pareto_mask
from negotiation.errors import InfeasibleError, NotApplicableError, ScenarioError
from negotiation.model.scenario import AgreementRule, Scenario

__all__ = [
    "Projection",
    "ConcaveFrontier",
    "PatternDeals",
    "pattern_deals",
    "project",
    "resolve_players",
    "resolve_discounts",
    "hull_nash",
    "scenario_frontier",
    "ENUMERATE_LIMIT",
]

#: Largest outcome space enumerated outright; beyond it the search engine is tried.
ENUMERATE_LIMIT = 4_000_000

#: Probabilities below this are dropped from a lottery (and a lottery with one deal left is pure).
PURE_TOL = 1e-10

FEASIBLE_FOR = ("all", "players")


def resolve_players(
    scenario: Scenario,
    parties: Sequence[str] | str | None,
    *,
    exactly: int | None = None,
) -> tuple[str, ...]:
    """Validate the players' names (in the order given).

    ``parties`` may be a sequence of names or a comma-separated string; ``None`` means every
    party of the scenario. ``exactly=2`` is the two-party models' check.

    Raises
    ------
    ScenarioError
        An unknown party (the message lists the scenario's parties), a repeated name, or fewer
        than two players.
    NotApplicableError
        ``parties`` is ``None``, ``exactly`` is given and the scenario has a different number of
        parties (the caller must choose the players).
    """
    if parties is None:
        names = scenario.party_names
        if exactly is not None and len(names) != exactly:
            raise NotApplicableError(
                f"this is a {exactly}-party model and scenario {scenario.name!r} has "
                f"{len(names)} parties {list(names)}: choose {exactly} of them "
                f"(parties=(...) or --parties A,B)"
            )
    else:
        if isinstance(parties, str):
            parties = [p.strip() for p in parties.split(",") if p.strip()]
        names = tuple(parties)
        for name in names:
            scenario.party(name)  # ScenarioError naming the party if unknown
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ScenarioError(f"parties listed twice: {dup}")
    if len(names) < 2:
        raise ScenarioError(
            f"a bargaining game needs at least two parties, got {list(names)} "
            f"(the scenario's parties are {list(scenario.party_names)})"
        )
    if exactly is not None and len(names) != exactly:
        raise NotApplicableError(
            f"this is a {exactly}-party model, got {len(names)} parties {list(names)}"
        )
    return names


def resolve_discounts(
    scenario: Scenario,
    players: Sequence[str],
    discounts: Mapping[str, float] | Sequence[float] | None = None,
    breakdown: float = 0.0,
) -> np.ndarray:
    """Effective per-round discount factors ``(1 - p) * delta_i`` of the players.

    ``discounts`` overrides the parties' own ``discount`` (a mapping by name, or one number per
    player); each must be in ``(0, 1]``. ``breakdown`` is the per-round probability ``p`` in
    ``[0, 1)`` that talks collapse to the disagreement point; it multiplies every discount.

    Raises
    ------
    ScenarioError
        A discount outside ``(0, 1]`` (naming the party) or ``p`` outside ``[0, 1)``.
    """
    own = {p.name: float(p.discount) for p in scenario.parties}
    if discounts is None:
        values = [own[n] for n in players]
    elif isinstance(discounts, Mapping):
        for name in discounts:
            if name not in players:
                raise ScenarioError(
                    f"discount given for a party that is not a player (players: {list(players)})",
                    party=str(name),
                )
        values = [float(discounts.get(n, own[n])) for n in players]
    else:
        values = [float(x) for x in discounts]
        if len(values) != len(players):
            raise ScenarioError(
                f"got {len(values)} discounts for {len(players)} players {list(players)}"
            )
    for name, value in zip(players, values, strict=False):
        if not (np.isfinite(value) and 0.0 < value <= 1.0):
            raise ScenarioError(f"discount must be in (0, 1], got {value:g}", party=name)
    p = float(breakdown)
    if not (np.isfinite(p) and 0.0 <= p < 1.0):
        raise ScenarioError(f"breakdown probability must be in [0, 1), got {p:g}")
    return (1.0 - p) * np.array(values)


def scenario_frontier(scenario: Scenario, rule: AgreementRule | None = None) -> Frontier:
    """The scenario's frontier: enumerated when the space is small, else the search engine.

    Raises
    ------
    NotApplicableError
        The space is too large to enumerate and the search engine is unavailable or does not
        apply (e.g. under a quota rule).
    """
    if scenario.is_continuous:
        raise NotApplicableError(
            f"scenario {scenario.name!r} has continuous issues: call scenario.discretize() first"
        )
    from negotiation.engine.select import choose_engine

    if choose_engine(scenario, rule, max_enumerate=ENUMERATE_LIMIT) == "enumerate":
        return enumerate_frontier(scenario, rule=rule)
    try:
        from negotiation.engine.search import search_frontier
    except ImportError:  # pragma: no cover - the search engine is another module's
        raise NotApplicableError(
            f"scenario {scenario.name!r} has {scenario.space.cardinality:,} outcomes, more than "
            f"can be enumerated ({ENUMERATE_LIMIT:,}), and the search engine is not available"
        ) from None
    return search_frontier(scenario, rule=rule)


@dataclass(frozen=True, eq=False)
class Projection:
    """The players' Pareto set of a scenario (see the module docstring).

    Attributes
    ----------
    scenario
        The scenario.
    players
        The players' names, in the model's order.
    index
        The players' positions in ``scenario.party_names``.
    levels
        ``K x issues`` level matrix of the deals, sorted by the first player's utility
        (ascending), then the next players'.
    utilities
        ``K x parties`` utilities of the deals for *every* party of the scenario.
    feasible_for
        ``"all"``: feasible for every party under the scenario's rule (and acceptable to the
        players); ``"players"``: acceptable to the players, whatever the others think.
    """

    scenario: Scenario
    players: tuple[str, ...]
    index: tuple[int, ...]
    levels: np.ndarray
    utilities: np.ndarray
    feasible_for: str

    @property
    def size(self) -> int:
        """Number of deals."""
        return int(self.levels.shape[0])

    @property
    def disagreement(self) -> np.ndarray:
        """Every party's reservation value (the disagreement point)."""
        return self.scenario.reservations

    @property
    def gains(self) -> np.ndarray:
        """``K x players`` gains over reservation, ``u_i - d_i``, of the players."""
        idx = list(self.index)
        return self.utilities[:, idx] - self.disagreement[idx]

    @property
    def ideal_gains(self) -> np.ndarray:
        """Each player's largest gain over the deals."""
        return self.gains.max(axis=0)

    def deal(self, k: int) -> Deal:
        """Deal ``k`` as a :class:`~negotiation.engine.deal.Deal` (utilities of every party)."""
        row = self.levels[k]
        return Deal(
            levels=row.copy(),
            utilities=self.utilities[k].copy(),
            terms=self.scenario.space.deal(row),
            parties=self.scenario.party_names,
        )

    def mixture(self, weights: np.ndarray) -> Deal | Lottery:
        """A lottery over the deals with the given weights (a :class:`Deal` when pure).

        Weights below ``1e-10`` are dropped and the rest renormalised; deals are listed by
        decreasing probability.
        """
        w = np.asarray(weights, dtype=float).copy()
        w[w < PURE_TOL] = 0.0
        if w.sum() <= 0:
            raise ValueError("a lottery needs a positive weight")
        w /= w.sum()
        support = np.flatnonzero(w)
        if support.size == 1:
            return self.deal(int(support[0]))
        support = support[np.argsort(-w[support], kind="stable")]
        probs = w[support]
        return Lottery(
            deals=tuple(self.deal(int(k)) for k in support),
            probabilities=probs,
            utilities=probs @ self.utilities[support],
            parties=self.scenario.party_names,
        )

    def hull(self) -> ConcaveFrontier:
        """The two players' concave (lottery) frontier; see :class:`ConcaveFrontier`."""
        if len(self.players) != 2:
            raise NotApplicableError("the concave frontier is defined for two players")
        return ConcaveFrontier.from_points(self.gains)


def project(
    scenario: Scenario,
    players: Sequence[str] | str | None = None,
    *,
    feasible_for: str = "all",
    frontier: Frontier | None = None,
    exactly: int | None = None,
) -> Projection:
    """The players' Pareto set of a scenario (their deals, with every party's utilities).

    Definition: let ``F`` be the feasible outcomes -- with ``feasible_for="all"`` those passing
    the scenario's agreement rule that every player also finds acceptable (under unanimity: the
    feasible set), with ``"players"`` the allowed outcomes every player finds acceptable (red
    lines and reservation), ignoring the other parties. The result holds one outcome for each
    utility vector of the players that no outcome of ``F`` Pareto-dominates for the players.

    Parameters
    ----------
    scenario
        A discrete scenario.
    players
        The players (names, or a comma-separated string); ``None`` for every party.
    feasible_for
        ``"all"`` (default) or ``"players"``.
    frontier
        A ready-made frontier of the scenario (``feasible_for="all"`` only), e.g. from the
        search engine; computed when omitted.
    exactly
        Require this many players (2 for the two-party models).

    Raises
    ------
    InfeasibleError
        Nothing is feasible (the message says which parties block).

    Examples
    --------
    >>> import negotiation as ng
    >>> proj = project(ng.load_scenario("ukraine_2025"), ("Russia", "Ukraine"))
    >>> proj.players, proj.size
    (('Russia', 'Ukraine'), 12)
    """
    names = resolve_players(scenario, players, exactly=exactly)
    if feasible_for not in FEASIBLE_FOR:
        raise ScenarioError(f"feasible_for must be one of {FEASIBLE_FOR}, got {feasible_for!r}")
    index = tuple(scenario.party_names.index(n) for n in names)
    if feasible_for == "all":
        base = scenario.agreement
        rule = base
        if not base.is_unanimity(len(scenario.parties)):
            rule = AgreementRule(base.quota, tuple(dict.fromkeys((*base.veto, *names))))
        if frontier is not None and frontier.scenario is not scenario:
            if frontier.scenario != scenario:
                raise ScenarioError("the frontier given belongs to another scenario")
        if frontier is None or frontier.rule != rule:
            frontier = scenario_frontier(scenario, rule)
        frontier.require_nonempty()
        levels, U = frontier.levels, frontier.utilities
    else:
        if frontier is not None:
            raise ScenarioError('a ready-made frontier can only be used with feasible_for="all"')
        sub = Scenario(
            f"{scenario.name} ({', '.join(names)})",
            scenario.issues,
            tuple(scenario.party(n) for n in names),
            constraints=scenario.constraints,
        )
        sub_frontier = scenario_frontier(sub)
        if sub_frontier.is_empty:
            raise InfeasibleError(
                f"scenario {scenario.name!r}: no allowed outcome is acceptable to all of "
                f"{list(names)}. " + sub_frontier.diagnostics.get("message", "")
            )
        levels = sub_frontier.levels
        U = scenario.utilities(levels)
    if levels.shape[0] == 0:
        raise InfeasibleError(
            f"scenario {scenario.name!r}: no feasible outcome is acceptable to {list(names)}"
        )
    idx = list(index)
    # Utilities equal to 12 decimals are ties (sums of the same weights in another order can
    # differ in the last bit); the deals keep their exact utilities.
    own = np.round(U[:, idx], 12)
    keep = np.flatnonzero(pareto_mask(own))
    own, Uk, Lk = own[keep], U[keep], levels[keep]
    others = [p for p in range(U.shape[1]) if p not in index]
    if others:
        other_gain = (Uk[:, others] - scenario.reservations[others]).sum(axis=1)
    else:
        other_gain = np.zeros(len(keep))
    # One deal per distinct utility vector of the players: the best for the others, then the
    # lowest index (lexsort: last key is the primary one).
    order = np.lexsort((np.arange(len(keep)), -other_gain, *own.T[::-1]))
    own_sorted = own[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = np.any(own_sorted[1:] != own_sorted[:-1], axis=1)
    chosen = order[first]
    return Projection(
        scenario=scenario,
        players=names,
        index=index,
        levels=Lk[chosen].copy(),
        utilities=Uk[chosen].copy(),
        feasible_for=feasible_for,
    )


@dataclass(frozen=True, eq=False)
class ConcaveFrontier:
    """The upper-right boundary of the convex hull of two players' Pareto points.

    In gains over the disagreement point: ``a`` (player 1) ascending, ``b`` (player 2)
    strictly descending, at the hull's vertices ``vertex`` (rows of the point set; collinear
    points are kept). Between two vertices the frontier is the segment of lotteries of the two
    deals. :meth:`phi` maps player 1's gain to player 2's largest gain on it, :meth:`psi` is
    its inverse; both are exact (linear interpolation).

    Examples
    --------
    >>> f = ConcaveFrontier.from_points(np.array([[0.0, 1.0], [0.4, 0.4], [1.0, 0.0]]))
    >>> f.vertex.tolist()  # (0.4, 0.4) lies under the segment from (0, 1) to (1, 0)
    [0, 2]
    >>> float(f.phi(0.25))
    0.75
    """

    a: np.ndarray
    b: np.ndarray
    vertex: np.ndarray

    @classmethod
    def from_points(cls, gains: np.ndarray) -> ConcaveFrontier:
        """Hull frontier of an ``K x 2`` array of mutually non-dominated points (any order)."""
        P = np.asarray(gains, dtype=float)
        if P.ndim != 2 or P.shape[1] != 2 or P.shape[0] == 0:
            raise ValueError("need a non-empty K x 2 array of points")
        order = np.lexsort((-P[:, 1], P[:, 0]))
        hull: list[int] = []
        scale = max(1.0, float(np.abs(P).max()))
        for k in order:
            while len(hull) >= 2:
                o, m = P[hull[-2]], P[hull[-1]]
                cross = (m[0] - o[0]) * (P[k][1] - o[1]) - (m[1] - o[1]) * (P[k][0] - o[0])
                if cross > 1e-12 * scale * scale:  # a left turn: m lies below the chord
                    hull.pop()
                else:
                    break
            hull.append(int(k))
        v = np.array(hull, dtype=np.int64)
        # Pareto points: a ascending means b descending; drop any equal-a repeat defensively.
        a, b = P[v, 0], P[v, 1]
        keep = np.ones(len(v), dtype=bool)
        keep[1:] = (np.diff(a) > 0) & (np.diff(b) < 0)
        return cls(a=a[keep].copy(), b=b[keep].copy(), vertex=v[keep].copy())

    @property
    def a_min(self) -> float:
        return float(self.a[0])

    @property
    def a_max(self) -> float:
        return float(self.a[-1])

    @property
    def b_min(self) -> float:
        return float(self.b[-1])

    @property
    def b_max(self) -> float:
        return float(self.b[0])

    def phi(self, x: float | np.ndarray) -> np.ndarray:
        """Player 2's largest gain when player 1 gets ``x`` (``x`` clipped to the frontier)."""
        return np.interp(x, self.a, self.b)

    def psi(self, y: float | np.ndarray) -> np.ndarray:
        """Player 1's largest gain when player 2 gets ``y`` (``y`` clipped to the frontier)."""
        return np.interp(y, self.b[::-1], self.a[::-1])

    def locate(self, x: float) -> np.ndarray:
        """Lottery weights over the *point rows* giving player 1 the gain ``x`` on the frontier.

        The point lies on the edge between two adjacent vertices ``k`` and ``k + 1`` with weight
        ``t = (x - a_k) / (a_(k+1) - a_k)`` on the second; returns a weight vector indexed by the
        rows of the points the frontier was built from.
        """
        n = int(self.vertex.max()) + 1
        w = np.zeros(n)
        if len(self.a) == 1 or x <= self.a[0]:
            w[self.vertex[0]] = 1.0
            return w
        if x >= self.a[-1]:
            w[self.vertex[-1]] = 1.0
            return w
        k = int(np.searchsorted(self.a, x, side="right")) - 1
        t = (x - self.a[k]) / (self.a[k + 1] - self.a[k])
        w[self.vertex[k]] += 1.0 - t
        w[self.vertex[k + 1]] += t
        return w


def hull_nash(frontier: ConcaveFrontier, powers: Sequence[float] = (1.0, 1.0)) -> float:
    """Player 1's gain at the (asymmetric) Nash solution on a concave frontier.

    Maximises ``alpha log a + beta log b`` over the piecewise-linear frontier (gains over the
    disagreement point), exactly: on the edge from ``(a0, b0)`` to ``(a1, b1)`` with
    ``a = a0 + t da``, ``b = b0 + t db``, the stationary point is
    ``t = -(alpha da b0 + beta db a0) / ((alpha + beta) da db)``, clipped to ``[0, 1]``; the best
    edge wins (Nash 1950; Kalai 1977 for the powers). When every point gives some player a zero
    gain, the point best for the other player is returned.

    Examples
    --------
    >>> f = ConcaveFrontier.from_points(np.array([[0.0, 1.0], [1.0, 0.0]]))
    >>> round(hull_nash(f), 12), round(hull_nash(f, (2.0, 1.0)), 12)
    (0.5, 0.666666666667)
    """
    alpha, beta = (float(x) for x in powers)
    a, b = frontier.a, frontier.b
    cands = list(a)
    for k in range(len(a) - 1):
        a0, b0, da, db = a[k], b[k], a[k + 1] - a[k], b[k + 1] - b[k]
        t = -(alpha * da * b0 + beta * db * a0) / ((alpha + beta) * da * db)
        if 0.0 < t < 1.0:
            cands.append(a0 + t * da)
    x = np.array(cands)
    y = frontier.phi(x)
    with np.errstate(divide="ignore"):
        obj = np.where(
            (x > 0) & (y > 0),
            alpha * np.log(np.maximum(x, 1e-300)) + beta * np.log(np.maximum(y, 1e-300)),
            -np.inf,
        )
    if np.all(np.isneginf(obj)):
        # No point gives both a positive gain: the best point for one player without hurting
        # the other (lexicographic by the sum of gains).
        return float(x[np.argmax(x + y)])
    return float(x[np.argmax(obj)])


@dataclass(frozen=True, eq=False)
class PatternDeals:
    """Allowed outcomes grouped by who accepts them, each group reduced to its Pareto set.

    Attributes
    ----------
    levels, utilities
        ``K x issues`` levels and ``K x parties`` utilities of the kept outcomes.
    acceptable
        ``K x parties`` boolean: the party finds the outcome acceptable (no red line crossed,
        at least its reservation).
    codes
        Acceptance pattern of each kept outcome as a bit mask (bit ``p`` for party ``p``).
    counts
        ``{pattern: number of allowed outcomes with that pattern}`` over the whole space.

    Within a group every outcome has the same acceptors, so an outcome Pareto-dominated (for all
    parties) by another of its group is never needed by a model that only asks *who accepts* and
    *how much each party gets*: the dominating outcome is accepted by the same parties and is at
    least as good for everybody.
    """

    scenario: Scenario
    levels: np.ndarray
    utilities: np.ndarray
    acceptable: np.ndarray
    codes: np.ndarray
    counts: dict[int, int]

    @property
    def size(self) -> int:
        return int(self.levels.shape[0])

    def deal(self, k: int) -> Deal:
        """Outcome ``k`` as a :class:`Deal`."""
        row = self.levels[k]
        return Deal(
            levels=row.copy(),
            utilities=self.utilities[k].copy(),
            terms=self.scenario.space.deal(row),
            parties=self.scenario.party_names,
        )


def pattern_deals(scenario: Scenario, *, chunk_size: int = 1 << 18) -> PatternDeals:
    """Enumerate the allowed outcomes by acceptance pattern (see :class:`PatternDeals`).

    Chunked and vectorised: per chunk, the acceptance bit mask of every allowed outcome, then
    :func:`~negotiation.engine.pareto.pareto_mask` within each pattern present; the kept rows are
    merged and filtered again per pattern at the end.

    Raises
    ------
    NotApplicableError
        More than :data:`ENUMERATE_LIMIT` outcomes, or more than 20 parties.
    """
    if scenario.is_continuous:
        raise NotApplicableError(
            f"scenario {scenario.name!r} has continuous issues: call scenario.discretize() first"
        )
    space = scenario.space
    P = len(scenario.parties)
    if space.cardinality > ENUMERATE_LIMIT:
        raise NotApplicableError(
            f"scenario {scenario.name!r} has {space.cardinality:,} outcomes; coalition and "
            f"quota models enumerate the space and stop at {ENUMERATE_LIMIT:,}"
        )
    if P > 20:
        raise NotApplicableError(f"coalition patterns need at most 20 parties, got {P}")
    bits = (1 << np.arange(P)).astype(np.int64)
    kept_idx, kept_code = [], []
    counts: dict[int, int] = {}

    def reduce(idx: np.ndarray, U: np.ndarray, code: np.ndarray) -> np.ndarray:
        keep = np.zeros(len(idx), dtype=bool)
        order = np.argsort(code, kind="stable")
        uniq, start = np.unique(code[order], return_index=True)
        bounds = np.append(start, len(order))
        for g in range(len(uniq)):
            rows = order[bounds[g] : bounds[g + 1]]
            keep[rows[pareto_mask(U[rows])]] = True
        return keep

    for start in range(0, space.cardinality, chunk_size):
        idx = np.arange(start, min(start + chunk_size, space.cardinality), dtype=np.int64)
        levels = space.levels_of(idx)
        ok = space.allowed_mask(levels)
        if not ok.any():
            continue
        idx, levels = idx[ok], levels[ok]
        U = scenario.utilities(levels)
        code = scenario.acceptable(levels, U).astype(np.int64) @ bits
        for c, n in zip(*np.unique(code, return_counts=True), strict=False):
            counts[int(c)] = counts.get(int(c), 0) + int(n)
        keep = reduce(idx, U, code)
        kept_idx.append(idx[keep])
        kept_code.append(code[keep])
    if kept_idx:
        idx = np.concatenate(kept_idx)
        code = np.concatenate(kept_code)
        levels = space.levels_of(idx)
        U = scenario.utilities(levels)
        keep = reduce(idx, U, code)
        idx, code, levels, U = idx[keep], code[keep], levels[keep], U[keep]
    else:
        idx = np.zeros(0, dtype=np.int64)
        code = np.zeros(0, dtype=np.int64)
        levels = np.zeros((0, len(scenario.issues)), dtype=np.int64)
        U = np.zeros((0, P))
    acceptable = (code[:, None] & bits[None, :]) > 0
    return PatternDeals(scenario, levels, U, acceptable, code, counts)
