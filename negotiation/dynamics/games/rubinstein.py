"""Rubinstein (1982) alternating offers over a scenario's frontier, infinite horizon.

Two players take turns: the proposer offers an agreement, the responder accepts (the game ends)
or rejects, and after a rejection the roles swap in the next round. An agreement ``x`` reached in
round ``t`` is worth ``d_i + delta_i^t (u_i(x) - d_i)`` to player ``i``: what is discounted is the
gain over the disagreement point ``d`` (the reservation values), and perpetual disagreement is
worth ``d``. With a per-round probability ``p`` that talks break down (reaching ``d``), the
effective discount is ``(1 - p) delta_i``.

The agreements are the *lotteries* over the players' Pareto-feasible deals, so the set of
utility pairs is the convex hull of the deals and its Pareto boundary is piecewise linear
(:class:`~negotiation.dynamics.games.projection.ConcaveFrontier`): the equilibrium agreement is
a deal or a lottery of two adjacent deals, stated as a :class:`~negotiation.engine.deal.Lottery`.

Subgame-perfect equilibrium (Rubinstein 1982; Binmore, Rubinstein & Wolinsky 1986): in gains
``a`` (player 1) and ``b = phi(a)`` (player 2) on the frontier, player 1 always offers ``x`` and
player 2 always offers ``y``, both on the frontier, with each responder indifferent between
accepting and waiting one round::

    b(x) = max(delta_2 b(y), w_2, b_min)       a(y) = max(delta_1 a(x), w_1, a_min)

(``w_i`` optional outside options, taken by a responder who quits: the outside option principle
of Binmore, Shaked & Sutton 1989; the ``min`` terms say a responder never gets less than the
frontier's least). Substituting, ``a(x)`` is the root of ``G(s) = s - T(s)`` with
``T(s) = psi(max(delta_2 phi(max(delta_1 s, w_1)), w_2))``; ``G`` is piecewise linear with known
breakpoints, increasing where it is not flat (``phi`` concave and decreasing), so the root is
found *exactly* by evaluating ``G`` at the breakpoints and solving one linear equation.

Checks in the tests: on split-the-pie (frontier ``a + b = 1``, ``d = 0``) the proposer gets
``(1 - delta_2) / (1 - delta_1 delta_2)``; as both discounts tend to 1 at equal rates the
agreement tends to the Nash solution of the hull, and with ``delta_i = exp(-r_i D)``, ``D -> 0``,
to the asymmetric Nash solution with powers ``1 / r_i`` (Binmore, Rubinstein & Wolinsky 1986).

When both discounts are 1 (and no breakdown) every agreement is a subgame-perfect outcome; the
function then returns the limit ``delta -> 1`` at equal rates, the Nash solution on the hull
(``when_patient="limit"``, flagged in the result) or raises (``when_patient="error"``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from negotiation.dynamics.games.base import agreement_dict, describe, utilities_line
from negotiation.dynamics.games.hull import ConcaveFrontier, hull_nash
from negotiation.dynamics.games.players import resolve_discounts
from negotiation.dynamics.games.projection import Projection, project
from negotiation.engine.deal import Deal, Lottery
from negotiation.engine.frontier import Frontier
from negotiation.errors import NotApplicableError, ScenarioError
from negotiation.model.scenario import Scenario

__all__ = [
    "RubinsteinResult",
    "exact_discretization",
    "rubinstein",
    "rubinstein_spe",
    "split_the_pie_share",
]


def exact_discretization(scenario: Scenario) -> Scenario | None:
    """A discrete scenario with the same lottery hull as a one-issue continuous scenario.

    With a single continuous issue ``x in [lo, hi]`` and piecewise-linear values, each party's
    utility ``u_i(x) = w_i v_i(x)`` is linear between consecutive *vertices*: the range ends,
    every party's breakpoints, and the points where a party's utility crosses its reservation
    value. The utility curve is then a polygonal line through the vertices' utility vectors,
    so the lotteries over the vertices (the convex hull of their utility vectors) are exactly
    the lotteries over the continuous agreements, the individually rational part included.
    Rubinstein's equilibrium on this discrete scenario is the continuous game's, exactly: on
    split-the-pie, the proposer's ``(1 - delta_2) / (1 - delta_1 delta_2)`` (Rubinstein 1982).

    Returns ``None`` when the shortcut does not apply: more than one issue, a discrete issue,
    or red lines, bonuses or joint constraints (their interval bounds are open ends of the
    feasible set).

    Examples
    --------
    >>> import negotiation as ng
    >>> pie = ng.model.loader.loads_scenario('''
    ... name = "pie"
    ... [[issue]]
    ... name = "share"
    ... range = [0.0, 1.0]
    ... [[party]]
    ... name = "A"
    ... weights = { share = 1 }
    ... [[party]]
    ... name = "B"
    ... weights = { share = 1 }
    ... [party.values]
    ... share = [[0.0, 1.0], [1.0, 0.0]]
    ... ''')
    >>> exact_discretization(pie).issues[0].levels
    ('0', '1')
    """
    from dataclasses import replace

    from negotiation.model.issues import Issue, grid_level_name

    if len(scenario.issues) != 1 or not scenario.is_continuous:
        return None
    if scenario.constraints or any(p.red_lines or p.bonuses for p in scenario.parties):
        return None
    if any(p.scored_in_points for p in scenario.parties):
        return None
    issue = scenario.issues[0]
    lo, hi = issue.range  # type: ignore[misc]
    xs = {float(lo), float(hi)}
    curves = []
    for p, party in enumerate(scenario.parties):
        spec = party.values.get(issue.name)
        pts = (
            scenario._issue_values(issue, spec, party.name)
            if spec is not None
            else np.array([[lo, 0.0], [hi, 1.0]])
        )
        curves.append(pts)
        xs.update(float(x) for x in pts[:, 0])
        w, r = float(scenario.weights[p][0]), float(scenario.reservations[p])
        for (x0, v0), (x1, v1) in zip(pts[:-1], pts[1:], strict=True):
            u0, u1 = w * v0, w * v1
            if (u0 - r) * (u1 - r) < 0:  # the utility crosses the reservation inside the piece
                xs.add(float(x0 + (r - u0) * (x1 - x0) / (u1 - u0)))
    # Vertices closer than the level names' 10 significant digits are merged (their utilities
    # differ by less than the reservation tolerance of 1e-9).
    named: dict[str, float] = {}
    for x in sorted(xs):
        named.setdefault(grid_level_name(x), x)
    names = tuple(named)
    grid = np.array(list(named.values()))
    parties = tuple(
        replace(
            party,
            values={
                **party.values,
                issue.name: {
                    n: float(np.interp(x, pts[:, 0], pts[:, 1]))
                    for n, x in zip(names, grid, strict=True)
                },
            },
        )
        for party, pts in zip(scenario.parties, curves, strict=True)
    )
    return replace(
        scenario,
        issues=(Issue(issue.name, names, label=issue.label, unit=issue.unit),),
        parties=parties,
    )


def split_the_pie_share(delta_1: float, delta_2: float) -> float:
    """Proposer's share of a unit pie in Rubinstein's game: ``(1 - d2) / (1 - d1 d2)``.

    Rubinstein (1982), Theorem; the responder gets ``d2 (1 - d1) / (1 - d1 d2)``.

    Examples
    --------
    >>> round(split_the_pie_share(0.9, 0.9), 6)
    0.526316
    """
    d1, d2 = float(delta_1), float(delta_2)
    if not (0 < d1 <= 1 and 0 < d2 <= 1) or d1 * d2 == 1.0:
        raise ScenarioError(f"discounts must be in (0, 1] and not both 1, got {d1:g}, {d2:g}")
    return (1.0 - d2) / (1.0 - d1 * d2)


def _continuous_deal(scenario: Scenario, lottery: Lottery) -> float | None:
    """The point ``sum_k p_k x_k`` of an :func:`exact_discretization` issue when the lottery's
    deals are adjacent vertices (utilities linear between them), else ``None``."""
    idx = [int(d.levels[0]) for d in lottery.deals]
    if len(idx) != 2 or abs(idx[0] - idx[1]) != 1:
        return None
    xs = [float(scenario.issues[0].levels[k]) for k in idx]
    return float(np.dot(lottery.probabilities, xs))


def rubinstein_spe(
    frontier: ConcaveFrontier,
    discounts: Sequence[float] | np.ndarray,
    outside_options: Sequence[float] | np.ndarray = (0.0, 0.0),
) -> tuple[float, float] | None:
    """Player 1's gain in each player's equilibrium offer, ``(a(x), a(y))``; exact.

    ``x`` is player 1's offer and ``y`` player 2's (see the module docstring for the equations);
    ``frontier`` is in gains over the disagreement point. Returns ``None`` when the outside
    options ``w`` lie outside the hull (no agreement gives both at least their option, so the
    responder quits). Both discounts equal to 1 have no unique solution: ``ValueError``.

    Examples
    --------
    >>> pie = ConcaveFrontier.from_points(np.array([[0.0, 1.0], [1.0, 0.0]]))
    >>> x, y = rubinstein_spe(pie, (0.9, 0.8))
    >>> round(x, 12), round(y, 12)   # (1 - .8) / (1 - .72) and .9 times that
    (0.714285714286, 0.642857142857)
    """
    d1, d2 = (float(v) for v in discounts)
    w1, w2 = (max(0.0, float(v)) for v in outside_options)
    if d1 >= 1.0 and d2 >= 1.0:
        raise ValueError("both discounts are 1: the subgame-perfect agreement is not unique")
    f = frontier
    if w1 > f.a_max + 1e-15 or w2 > float(f.phi(max(w1, f.a_min))) + 1e-15:
        return None
    if len(f.a) == 1:
        return f.a_min, f.a_min

    def T(s: np.ndarray) -> np.ndarray:
        return f.psi(np.maximum(d2 * f.phi(np.maximum(d1 * s, w1)), w2))

    # Breakpoints of T in s (all clipped to the frontier's range).
    c1 = np.concatenate([f.a, [w1, f.a_min]]) / d1
    c2 = np.concatenate([f.b, [w2, f.b_min]]) / d2
    c2 = c2[(c2 >= f.b_min) & (c2 <= f.b_max)]
    c2 = f.psi(c2) / d1
    s = np.concatenate([[f.a_min, f.a_max], f.a, c1, c2])
    s = np.unique(s[(s >= f.a_min) & (s <= f.a_max)])
    g = s - T(s)
    j = int(np.argmax(g >= 0.0))  # first breakpoint with G >= 0 (G(a_max) >= 0 always)
    if j == 0 or g[j] == 0.0:
        x = float(s[j])
    else:
        s0, s1, g0, g1 = s[j - 1], s[j], g[j - 1], g[j]
        x = float(s0 + (s1 - s0) * (-g0) / (g1 - g0))
    y = float(max(d1 * x, w1, f.a_min))
    return x, y


@dataclass(frozen=True, eq=False)
class RubinsteinResult:
    """The subgame-perfect equilibrium of alternating offers between two players.

    Attributes
    ----------
    players
        The two players; ``proposer`` moves first.
    discounts
        Effective per-round discount of each player, ``(1 - breakdown) delta_i``.
    agreement
        The equilibrium agreement (the first proposer's offer, accepted at once): a
        :class:`Deal`, or a :class:`Lottery` of two adjacent frontier deals.
    offers
        Each player's equilibrium offer (what it proposes whenever it is its turn).
    shares
        Each player's gain over reservation as a fraction of its largest feasible gain.
    nash
        The Nash solution of the same hull (the ``delta -> 1`` limit), for comparison.
    limit
        True when both discounts are 1 and ``agreement`` is that limit (see the module).
    """

    players: tuple[str, str]
    proposer: str
    discounts: dict[str, float]
    breakdown: float
    agreement: Deal | Lottery | None
    offers: dict[str, Deal | Lottery]
    shares: dict[str, float]
    nash: Deal | Lottery
    limit: bool = False
    notes: tuple[str, ...] = ()
    projection: Projection | None = field(default=None, repr=False)
    model: str = "rubinstein"

    @property
    def utilities(self) -> dict[str, float]:
        """Every party's (expected) utility of the agreement."""
        if self.agreement is None:
            return {}
        return dict(zip(self.agreement.parties, map(float, self.agreement.utilities), strict=False))

    def to_dict(self) -> dict:
        """JSON-ready result (the ``negotiation equilibrium --json`` shape)."""
        return {
            "model": self.model,
            "scenario": self.projection.scenario.name if self.projection else None,
            "parties": list(self.players),
            "proposer": self.proposer,
            "discounts": dict(self.discounts),
            "breakdown": self.breakdown,
            "agreement": agreement_dict(self.agreement),
            "offers": {k: agreement_dict(v) for k, v in self.offers.items()},
            "shares": dict(self.shares),
            "nash_solution": agreement_dict(self.nash),
            "limit": self.limit,
            "notes": list(self.notes),
        }

    def summary(self) -> str:
        """A few readable lines."""
        a, b = self.players
        lines = [
            f"Rubinstein alternating offers: {a} vs {b}, {self.proposer} proposes first",
            "  discounts: "
            + ", ".join(f"{k} {v:.4g}" for k, v in self.discounts.items())
            + (f" (breakdown probability {self.breakdown:g} per round)" if self.breakdown else ""),
            f"  agreement: {describe(self.agreement)}",
            f"  utilities: {utilities_line(self.utilities)}" if self.agreement else "",
            "  shares of the largest feasible gain: "
            + ", ".join(f"{k} {v:.1%}" for k, v in self.shares.items()),
            f"  Nash solution (delta -> 1): {utilities_line(self.nash.utilities, self.nash.parties)}",
        ]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(line for line in lines if line)


# size: the numpy docstring (parameters, references, example) is most of it; the body is 65 lines
def rubinstein(
    scenario: Scenario,
    parties: Sequence[str] | str | None = None,
    *,
    proposer: str | None = None,
    discounts: Mapping[str, float] | Sequence[float] | None = None,
    breakdown: float = 0.0,
    outside_options: Mapping[str, float] | None = None,
    feasible_for: str = "all",
    frontier: Frontier | None = None,
    when_patient: str = "limit",
    projection: Projection | None = None,
) -> RubinsteinResult:
    """Subgame-perfect agreement of Rubinstein's alternating-offers game on a scenario.

    Parameters
    ----------
    scenario
        A discrete scenario, or one continuous issue with piecewise-linear values (solved
        exactly through :func:`exact_discretization`).
    parties
        The two players (names or ``"A,B"``); may be omitted for a two-party scenario.
        With more parties the players' Pareto set is projected (see
        :func:`~negotiation.dynamics.games.projection.project`) and the others' utilities are
        reported with every deal.
    proposer
        Who moves first (default: the first player).
    discounts
        Override the parties' ``discount`` (each in ``(0, 1]``).
    breakdown
        Per-round probability ``p`` in ``[0, 1)`` that talks collapse to the disagreement point;
        the effective discount is ``(1 - p) delta_i``.
    outside_options
        Utilities a responder can take by quitting (Binmore, Shaked & Sutton 1989 [BSS1989]_); only
        those above the party's reservation matter. ``None``: none.
    feasible_for
        ``"all"`` (deals feasible for every party) or ``"players"`` (for the two alone).
    frontier
        A ready-made frontier of the scenario (optional).
    when_patient
        Both effective discounts equal to 1: ``"limit"`` returns the Nash solution of the hull
        (the ``delta -> 1`` limit at equal rates), ``"error"`` raises ``NotApplicableError``.
    projection
        A ready-made :func:`project` result for the two players (skips recomputation).

    Returns
    -------
    RubinsteinResult

    References
    ----------
    .. [Rubinstein1982] Rubinstein, "Perfect equilibrium in a bargaining model" (1982).
       Full entry: docs/references.md.
    .. [BRW1986] Binmore, Rubinstein, Wolinsky, "The Nash bargaining solution in economic modelling"
       (1986). Full entry: docs/references.md.
    .. [BSS1989] Binmore, Shaked, Sutton, "An outside option experiment" (1989); outside options.
       Full entry: docs/references.md.

    Examples
    --------
    >>> import negotiation as ng
    >>> r = rubinstein(ng.load_scenario("textbook_two_party"))
    >>> r.proposer, sorted(r.shares)
    ('Candidate', ['Candidate', 'Employer'])
    """
    exact_note = None
    if scenario.is_continuous and projection is None and frontier is None:
        exact = exact_discretization(scenario)
        if exact is not None:
            scenario = exact
            exact_note = (
                "one continuous issue: solved exactly, on the vertices of its utility curve "
                f"({len(scenario.issues[0].levels)} points whose lotteries span every "
                "continuous agreement)"
            )
    proj = projection or project(
        scenario, parties, feasible_for=feasible_for, frontier=frontier, exactly=2
    )
    players = proj.players
    if proposer is None:
        proposer = players[0]
    elif proposer not in players:
        scenario.party(proposer)
        raise ScenarioError(
            f"the proposer must be one of the players {list(players)}", party=proposer
        )
    delta = resolve_discounts(scenario, players, discounts, breakdown)
    w = _outside_gains(proj, outside_options)
    hull = proj.hull()
    notes: list[str] = [exact_note] if exact_note else []
    nash_a = hull_nash(hull)
    nash = proj.mixture(hull.locate(nash_a))
    limit = bool(delta[0] >= 1.0 and delta[1] >= 1.0)
    if limit:
        notes.append(_patient_limit_note(players, when_patient))
        spe: tuple[float, float] | None = (nash_a, nash_a)
    else:
        spe = rubinstein_spe(hull, delta, w)
    agreement: Deal | Lottery | None
    offers: dict[str, Deal | Lottery] = {}
    if spe is None:
        agreement = None
        notes.append("the outside options lie outside the frontier: the responder quits")
        shares = {p: float(w[k] / max(proj.ideal_gains[k], 1e-300)) for k, p in enumerate(players)}
    else:
        x_a, y_a = spe
        offers[players[0]] = proj.mixture(hull.locate(x_a))
        offers[players[1]] = proj.mixture(hull.locate(y_a))
        agreement = offers[proposer]
        a = x_a if players.index(proposer) == 0 else y_a
        gains = np.array([a, float(hull.phi(a))])
        ideal = proj.ideal_gains
        shares = {
            p: float(gains[k] / ideal[k]) if ideal[k] > 0 else 1.0 for k, p in enumerate(players)
        }
        if isinstance(agreement, Lottery):
            notes.append(_lottery_note(scenario, agreement, exact=exact_note is not None))
    return RubinsteinResult(
        players=players,  # type: ignore[arg-type]
        proposer=proposer,
        discounts={p: float(v) for p, v in zip(players, delta, strict=False)},
        breakdown=float(breakdown),
        agreement=agreement,
        offers=offers,
        shares=shares,
        nash=nash,
        limit=limit,
        notes=tuple(notes),
        projection=proj,
    )


def _outside_gains(proj: Projection, outside_options: Mapping[str, float] | None) -> np.ndarray:
    """The players' outside options as gains over reservation (those below it count 0)."""
    players = proj.players
    d = proj.disagreement[list(proj.index)]
    w = np.zeros(2)
    for name, value in (outside_options or {}).items():
        if name not in players:
            raise ScenarioError(
                f"outside option for a non-player (players: {list(players)})", party=str(name)
            )
        if not np.isfinite(float(value)):
            raise ScenarioError("outside option must be finite", party=str(name))
        w[players.index(name)] = max(0.0, float(value) - d[players.index(name)])
    return w


def _patient_limit_note(players: Sequence[str], when_patient: str) -> str:
    """Both discounts are 1: refuse (``"error"``) or the note of the ``delta -> 1`` limit."""
    if when_patient == "error":
        raise NotApplicableError(
            f"both players' discounts are 1 ({players[0]}, {players[1]}): every agreement is "
            "a subgame-perfect outcome; give a discount below 1 or a breakdown probability"
        )
    if when_patient != "limit":
        raise ScenarioError(f"when_patient must be 'limit' or 'error', got {when_patient!r}")
    return (
        "both discounts are 1: no unique subgame-perfect agreement; reporting the limit as "
        "both discounts tend to 1 at equal rates, the Nash solution on the hull (Binmore, "
        "Rubinstein & Wolinsky 1986)"
    )


def _lottery_note(scenario: Scenario, agreement: Lottery, *, exact: bool) -> str:
    """What a lottery agreement means: one deal on an exactly discretised continuous issue,
    else a lottery of two adjacent frontier deals."""
    plain = _continuous_deal(scenario, agreement) if exact else None
    if plain is not None:
        return (
            "on the continuous issue this lottery is the single deal "
            f"{scenario.issues[0].name} = {plain:.6g} (every party's utility is linear "
            "between the two deals)"
        )
    return (
        "the agreement is a lottery of two adjacent frontier deals (the equilibrium "
        "point lies on a hull edge between them)"
    )
