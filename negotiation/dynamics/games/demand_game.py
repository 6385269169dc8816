"""Nash's (1953) demand game over a set of frontier deals, sharp and smoothed, solved with nashpy,
with the refinement (smoothing, ``sigma -> 0``) that selects the Nash solution.

* :func:`demand_game` -- build the sharp or smoothed game;
* :func:`solve_demand_game` -- its equilibria (:func:`~negotiation.dynamics.games.bimatrix.
  solve_normal_form`) and the one that survives smoothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from negotiation.dynamics.games.base import agreement_dict, describe
from negotiation.dynamics.games.bimatrix import (
    MAX_ENUMERATION,
    NormalFormEquilibrium,
    NormalFormSolution,
    is_equilibrium,
    pure_equilibria,
    resolve_methods,
    solve_normal_form,
)
from negotiation.dynamics.games.hull import hull_nash
from negotiation.dynamics.games.projection import Projection, project
from negotiation.engine.deal import Deal, Lottery
from negotiation.engine.frontier import Frontier
from negotiation.errors import ScenarioError
from negotiation.model.scenario import Scenario

__all__ = ["DemandGame", "DemandGameResult", "demand_game", "solve_demand_game"]


@dataclass(frozen=True, eq=False)
class DemandGame:
    """Nash's demand game over a set of frontier deals.

    Player 1 demands one of ``a`` (gains over reservation), player 2 one of ``b``. Demands
    ``(a_i, b_j)`` are *compatible* when some deal ``k`` of the set gives ``a_k >= a_i`` and
    ``b_k >= b_j``; then each gets its demand, else both get their reservation.

    Attributes
    ----------
    projection
        The two players' Pareto set.
    deals
        Rows of ``projection`` that make up the game (sorted by player 1's gain).
    a, b
        The demand levels (gains over reservation; zero demands are left out, being weakly
        dominated).
    compatible
        ``len(a) x len(b)`` boolean.
    meet
        For compatible demands, the row (of ``projection``) of a deal meeting both (the one
        with the least total slack); -1 elsewhere.
    A, B
        Payoffs in utilities (reservation plus gain times the compatibility probability).
    smoothing
        ``sigma`` of the smoothed game (``None`` for the sharp game).
    """

    projection: Projection
    deals: np.ndarray
    a: np.ndarray
    b: np.ndarray
    compatible: np.ndarray
    meet: np.ndarray
    A: np.ndarray
    B: np.ndarray
    smoothing: float | None
    probability: np.ndarray = field(repr=False)

    @property
    def players(self) -> tuple[str, str]:
        return self.projection.players  # type: ignore[return-value]

    def labels(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Strategy labels: each demand as a utility level (4 decimals)."""
        d = self.projection.disagreement[list(self.projection.index)]
        return (
            tuple(f"demand {d[0] + x:.4f}" for x in self.a),
            tuple(f"demand {d[1] + y:.4f}" for y in self.b),
        )


def _select(proj: Projection, n_demands: int | None, deals: Sequence[int] | None) -> np.ndarray:
    K = proj.size
    if deals is not None:
        sel = np.unique(np.asarray(list(deals), dtype=np.int64))
        if sel.size == 0 or sel.min() < 0 or sel.max() >= K:
            raise ScenarioError(f"deal indices must be in 0..{K - 1}")
        return sel
    if n_demands is None or n_demands >= K:
        return np.arange(K)
    if n_demands < 1:
        raise ScenarioError(f"n_demands must be at least 1, got {n_demands}")
    return np.unique(np.round(np.linspace(0, K - 1, int(n_demands))).astype(np.int64))


def demand_game(
    scenario: Scenario,
    parties: Sequence[str] | str | None = None,
    *,
    n_demands: int | None = 6,
    deals: Sequence[int] | None = None,
    smoothing: float | None = None,
    feasible_for: str = "all",
    frontier: Frontier | None = None,
    projection: Projection | None = None,
) -> DemandGame:
    """Build the (sharp or smoothed) Nash demand game over a chosen set of frontier deals.

    Parameters
    ----------
    scenario, parties
        The scenario and the two players.
    n_demands
        Use this many deals of the players' Pareto set, evenly spread by rank (both ends
        included); ``None`` for all of them. nashpy's enumeration grows fast: keep it small.
    deals
        Or choose the deals: row indices of the players' Pareto set (sorted by the first
        player's utility).
    smoothing
        ``None`` for the sharp game. Else Nash's (1953) smoothed game: demands beyond the
        deals' frontier are met with probability ``h = exp(-dist^2 / (2 sigma^2))``, where
        ``dist`` is the Euclidean distance, in gains normalised by each player's largest gain,
        from the demand pair to the set of demand pairs some deal meets; the payoff is
        ``d_i + h * demand_i``.

    Examples
    --------
    >>> import negotiation as ng
    >>> g = demand_game(ng.load_scenario("textbook_two_party"))
    >>> g.A.shape == (len(g.a), len(g.b)), bool(g.compatible[0, 0])
    (True, True)
    """
    proj = projection or project(
        scenario, parties, exactly=2, feasible_for=feasible_for, frontier=frontier
    )
    sel = _select(proj, n_demands, deals)
    G = proj.gains[sel]
    a_all, b_all = G[:, 0], G[:, 1]
    # Demand levels: distinct values (floating-point sums equal to 12 decimals are one level).
    a = np.unique(np.round(a_all[a_all > 1e-12], 12))
    b = np.unique(np.round(b_all[b_all > 1e-12], 12))
    if a.size == 0 or b.size == 0:
        raise ScenarioError(
            "the demand game needs deals giving each player a positive gain over its "
            "reservation; the chosen deals give one player none"
        )
    tol = 1e-11
    ok = (a_all[None, None, :] >= a[:, None, None] - tol) & (
        b_all[None, None, :] >= b[None, :, None] - tol
    )  # demands i, j met by deal k
    compatible = ok.any(axis=2)
    slack = (a_all[None, None, :] - a[:, None, None]) + (b_all[None, None, :] - b[None, :, None])
    slack = np.where(ok, slack, np.inf)
    meet = np.where(compatible, sel[np.argmin(slack, axis=2)], -1)
    if smoothing is None:
        h = compatible.astype(float)
    else:
        sigma = float(smoothing)
        if not (np.isfinite(sigma) and sigma > 0):
            raise ScenarioError(f"smoothing must be a positive number, got {smoothing!r}")
        sa, sb = a_all.max(), b_all.max()
        da = np.maximum(0.0, a[:, None, None] - a_all[None, None, :]) / sa
        db = np.maximum(0.0, b[None, :, None] - b_all[None, None, :]) / sb
        dist2 = (da**2 + db**2).min(axis=2)
        h = np.exp(-dist2 / (2.0 * sigma**2))
    d = proj.disagreement[list(proj.index)]
    A = d[0] + a[:, None] * h
    B = d[1] + b[None, :] * h
    return DemandGame(proj, sel, a, b, compatible, meet, A, B, smoothing, h)


@dataclass(frozen=True, eq=False)
class DemandGameResult:
    """Equilibria of the Nash demand game, and the one that survives smoothing.

    Attributes
    ----------
    game
        The sharp game.
    sharp
        Its equilibria (:class:`NormalFormSolution`).
    smoothed_game, smoothed
        The smoothed game at ``smoothing`` and its equilibria.
    path
        For each ``sigma`` (decreasing): the maximiser of the smoothed Nash product
        ``a_i b_j h_ij`` (a pure equilibrium of the smoothed game, Nash 1953), whether it is
        verified as one, and how many pure equilibria the smoothed game has.
    agreement
        The deal at the refined equilibrium: the limit of those maximisers as ``sigma -> 0``.
    nash
        The Nash solution among the chosen deals (largest product of gains).
    hull_nash
        The Nash solution of the hull of all the players' deals (a deal or a lottery).
    """

    game: DemandGame
    sharp: NormalFormSolution
    smoothed_game: DemandGame
    smoothed: NormalFormSolution
    path: tuple[dict, ...]
    agreement: Deal
    nash: Deal
    hull_nash: Deal | Lottery
    model: str = "demand-game"
    notes: tuple[str, ...] = ()

    @property
    def players(self) -> tuple[str, str]:
        return self.game.players

    @property
    def utilities(self) -> dict[str, float]:
        return dict(zip(self.agreement.parties, map(float, self.agreement.utilities), strict=False))

    def _equilibrium_dict(self, e: NormalFormEquilibrium) -> dict:
        out = e.to_dict()
        out["utilities"] = out.pop("payoffs")
        if e.pure and e.index is not None:
            i, j = e.index
            k = int(self.game.meet[i, j])
            out["deal"] = self.game.projection.deal(k).to_dict()["deal"] if k >= 0 else None
        return out

    def to_dict(self) -> dict:
        return {
            "model": self.model,
            "parties": list(self.players),
            "agreement": agreement_dict(self.agreement),
            "equilibria": [self._equilibrium_dict(e) for e in self.sharp.equilibria],
            "found": self.sharp.found,
            "cross_check": self.sharp.cross_check,
            "degenerate": self.sharp.degenerate,
            "smoothed": {
                "sigma": self.smoothed_game.smoothing,
                "equilibria": [e.to_dict() for e in self.smoothed.equilibria],
                "found": self.smoothed.found,
                "cross_check": self.smoothed.cross_check,
            },
            "refinement_path": [dict(r) for r in self.path],
            "nash_solution": agreement_dict(self.nash),
            "hull_nash_solution": agreement_dict(self.hull_nash),
            "refined_is_nash": bool(np.array_equal(self.agreement.levels, self.nash.levels)),
            "methods": list(self.sharp.found),
            "notes": list(self.notes),
        }

    def summary(self) -> str:
        p1, p2 = self.players
        n_pure = len(self.sharp.pure)
        lines = [
            f"Nash demand game: {p1} vs {p2}, {len(self.game.a)} x {len(self.game.b)} demands "
            f"from {len(self.game.deals)} frontier deals",
            f"  sharp game: {len(self.sharp.equilibria)} equilibria ({n_pure} pure); found by "
            + (
                ", ".join(f"{k} {v}" for k, v in self.sharp.found.items())
                or "the exact enumeration of pure equilibria"
            )
            + ("; degenerate" if self.sharp.degenerate else ""),
            f"  smoothed game (sigma {self.smoothed_game.smoothing:g}): "
            f"{len(self.smoothed.equilibria)} equilibria ({len(self.smoothed.pure)} pure); "
            + (
                "cross-check "
                + ", ".join(f"{k}: {v}" for k, v in self.smoothed.cross_check.items())
                if self.smoothed.cross_check
                else "pure equilibria only"
            ),
            f"  surviving smoothing (sigma -> 0): {describe(self.agreement)}",
            "  utilities: " + ", ".join(f"{k} {v:.4f}" for k, v in self.utilities.items()),
            "  the Nash solution among these deals is "
            + (
                "the same deal"
                if np.array_equal(self.agreement.levels, self.nash.levels)
                else describe(self.nash)
            ),
        ]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


def _in_utilities(sol: NormalFormSolution, A, B, d) -> NormalFormSolution:
    """The same solution with payoffs shifted back from gains to utilities."""
    p1, p2 = sol.players
    eqs = tuple(
        NormalFormEquilibrium(
            strategies=e.strategies,
            payoffs={p1: e.payoffs[p1] + float(d[0]), p2: e.payoffs[p2] + float(d[1])},
            methods=e.methods,
            pure=e.pure,
            index=e.index,
            row=e.row,
            column=e.column,
        )
        for e in sol.equilibria
    )
    return NormalFormSolution(
        sol.players,
        sol.row_labels,
        sol.column_labels,
        np.asarray(A),
        np.asarray(B),
        eqs,
        sol.found,
        sol.rejected,
        sol.cross_check,
        sol.degenerate,
    )


def solve_demand_game(
    scenario: Scenario,
    parties: Sequence[str] | str | None = None,
    *,
    n_demands: int | None = 6,
    deals: Sequence[int] | None = None,
    smoothing: float = 0.2,
    sigmas: Sequence[float] = (0.3, 0.2, 0.1, 0.05, 0.02, 0.01, 0.001),
    methods: Sequence[str] | str = "auto",
    feasible_for: str = "all",
    frontier: Frontier | None = None,
    projection: Projection | None = None,
) -> DemandGameResult:
    """Solve the Nash demand game with nashpy and refine its equilibria by smoothing.

    The sharp game has a pure equilibrium at every deal of the set (each player demands
    exactly what the deal gives it) plus disagreement and mixed equilibria. Nash (1953) [Nash1953]_
    smoothed it: with ``h`` the probability that demands are compatible, player ``i``'s payoff
    is ``d_i + demand_i h``, so maximising it over one's own demand is maximising the product
    ``a b h`` -- the maximiser of the *smoothed Nash product* is a pure equilibrium of the
    smoothed game, and as ``sigma -> 0`` it converges to the pair maximising ``a b`` among the
    deals: the Nash solution. The refined equilibrium sits at the Nash solution of the chosen
    deals, next to the Nash solution of their hull (a lottery of two adjacent deals).

    Parameters
    ----------
    smoothing
        ``sigma`` of the smoothed game solved with nashpy (and cross-checked).
    sigmas
        The decreasing ``sigma`` path of the refinement.
    methods
        nashpy algorithms to run (see :func:`resolve_methods`): ``"auto"`` (default) runs all
        three on games up to :data:`MAX_ENUMERATION` support pairs (up to 7 x 7 demands) and
        only the exact pure equilibria above (the refinement needs no more: 101 x 101 demands
        take about a second), saying so in ``notes``.
    n_demands, deals, feasible_for, frontier, projection
        See :func:`demand_game`.

    References
    ----------
    .. [Nash1953] Nash, "Two-person cooperative games" (1953). Full entry: docs/references.md.
    .. [vanDamme1986] van Damme, "The Nash bargaining solution is optimal" (1986).
       Full entry: docs/references.md.

    Examples
    --------
    >>> import negotiation as ng
    >>> r = solve_demand_game(ng.load_scenario("textbook_two_party"), methods=("support",))
    >>> bool(r.to_dict()["refined_is_nash"])
    True
    """
    proj = projection or project(
        scenario, parties, exactly=2, feasible_for=feasible_for, frontier=frontier
    )
    game = demand_game(scenario, n_demands=n_demands, deals=deals, projection=proj)
    asked = methods
    methods = resolve_methods(methods, len(game.a), len(game.b))
    notes = []
    if asked == "auto" and not methods:
        notes.append(
            f"{len(game.a)} x {len(game.b)} demands: nashpy's enumerations left out (more than "
            f"MAX_ENUMERATION={MAX_ENUMERATION:,} support pairs); the exact pure equilibria "
            "and the smoothing refinement are complete (choose methods to add Lemke-Howson)"
        )
    smooth = demand_game(
        scenario, n_demands=n_demands, deals=deals, projection=proj, smoothing=smoothing
    )
    path, best = _refinement_path(scenario, game, proj, n_demands, deals, sigmas)
    G = proj.gains[game.deals]
    k_nash = int(game.deals[np.argmax(G[:, 0] * G[:, 1])])
    i, j = best
    k_ref = int(game.meet[i, j]) if game.compatible[i, j] else k_nash
    hull = proj.hull()
    return DemandGameResult(
        game=game,
        sharp=_solve_in_gains(game, methods),
        smoothed_game=smooth,
        smoothed=_solve_in_gains(smooth, methods),
        path=tuple(path),
        agreement=proj.deal(k_ref),
        nash=proj.deal(k_nash),
        hull_nash=proj.mixture(hull.locate(hull_nash(hull))),
        notes=tuple(notes),
    )


def _solve_in_gains(game: DemandGame, methods: Sequence[str]) -> NormalFormSolution:
    """All equilibria of a demand game, solved in gains and reported in utilities.

    Solved in gains (payoff minus reservation: the same equilibria), so that tiny compatibility
    probabilities are not swallowed by the reservation values' digits.
    """
    proj = game.projection
    labels = game.labels()
    d = proj.disagreement[list(proj.index)]
    sol = solve_normal_form(
        game.A - d[0],
        game.B - d[1],
        row_labels=labels[0],
        column_labels=labels[1],
        players=proj.players,
        methods=methods,
    )
    return _in_utilities(sol, game.A, game.B, d)


def _refinement_path(
    scenario: Scenario,
    game: DemandGame,
    proj: Projection,
    n_demands: int | None,
    deals: Sequence[int] | None,
    sigmas: Sequence[float],
) -> tuple[list[dict], tuple[int, int]]:
    """For each ``sigma``: the maximiser of the smoothed Nash product ``a_i b_j h_ij`` (Nash
    1953) and whether it is verified as a pure equilibrium; and the last maximiser."""
    if len(sigmas) == 0:
        raise ScenarioError("the refinement needs at least one smoothing sigma")
    labels = game.labels()
    path = []
    best = (0, 0)
    for sigma in sigmas:
        g = demand_game(
            scenario, n_demands=n_demands, deals=deals, projection=proj, smoothing=float(sigma)
        )
        prod = game.a[:, None] * game.b[None, :] * g.probability
        i, j = np.unravel_index(int(np.argmax(prod)), prod.shape)
        pure = pure_equilibria(g.A, g.B)
        row, col = np.eye(len(game.a))[i], np.eye(len(game.b))[j]
        best = (int(i), int(j))
        path.append(
            {
                "sigma": float(sigma),
                "demands": {proj.players[0]: labels[0][i], proj.players[1]: labels[1][j]},
                "compatible": bool(game.compatible[i, j]),
                "is_equilibrium": is_equilibrium(g.A, g.B, row, col),
                "pure_equilibria": len(pure),
            }
        )
    return path, best
