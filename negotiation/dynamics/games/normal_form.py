"""Two-party normal-form games from a scenario, solved with nashpy.

* :func:`to_nashpy_game` -- any pair of payoff matrices as a :class:`nashpy.Game` (validated).
* :func:`solve_normal_form` -- all equilibria found by nashpy's support enumeration, vertex
  enumeration and Lemke–Howson (each result verified as a Nash equilibrium, then merged), with
  the exact pure equilibria and a cross-check between the algorithms, as labelled strategies.
* :func:`demand_game` / :func:`solve_demand_game` -- Nash's (1953) demand game over a set of
  frontier deals, sharp and smoothed, with the refinement that selects the Nash solution.
* :func:`accept_holdout` -- is a proposed deal self-enforcing against the status quo?

Degenerate games. Bargaining games are full of ties (every incompatible pair of demands pays the
reservation values), and nashpy's algorithms assume non-degenerate games: support enumeration
then only finds equilibria with supports of equal size (and warns), vertex enumeration needs
positive payoffs (both matrices are shifted by a constant, which changes no equilibrium), and
Lemke–Howson may return a non-equilibrium. So every reported profile is checked against the
definition (no pure strategy does better by more than ``tol``), the pure equilibria are also
enumerated exactly, and the cross-check compares what each algorithm found.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import nashpy
import numpy as np

from negotiation.dynamics.games.base import agreement_dict, describe
from negotiation.dynamics.games.projection import Projection, hull_nash, project
from negotiation.engine.deal import Deal, Lottery
from negotiation.engine.frontier import Frontier
from negotiation.errors import NotApplicableError, ScenarioError
from negotiation.model.scenario import Scenario

__all__ = [
    "to_nashpy_game",
    "pure_equilibria",
    "is_equilibrium",
    "NormalFormEquilibrium",
    "NormalFormSolution",
    "solve_normal_form",
    "DemandGame",
    "DemandGameResult",
    "demand_game",
    "solve_demand_game",
    "AcceptHoldoutResult",
    "accept_holdout",
    "METHODS",
    "MAX_ENUMERATION",
    "enumeration_size",
    "resolve_methods",
]

#: nashpy algorithms, by the names used here.
METHODS = ("support", "vertex", "lemke-howson")

#: Largest enumeration bound ``C(m + n, min(m, n))`` (the number of equal-size support pairs
#: support enumeration may visit; vertex enumeration grows alike) accepted for an ``m x n``
#: game: 7 x 7 demands are 3,432 pairs (seconds); 11 x 11 are 705,432 and took 503 s. Above it those two methods are
#: refused (``"auto"`` leaves them out); the exact pure equilibria and Lemke-Howson have no
#: such blow-up.
MAX_ENUMERATION = 5_000


def enumeration_size(m: int, n: int) -> int:
    """``C(m + n, min(m, n))``: the support pairs of equal size of an ``m x n`` game (an upper
    bound on support enumeration's work, Avis et al. 2010).

    Examples
    --------
    >>> enumeration_size(6, 6), enumeration_size(101, 101) > 10**59
    (924, True)
    """
    return math.comb(m + n, min(m, n))


def resolve_methods(methods: Sequence[str] | str, m: int, n: int) -> tuple[str, ...]:
    """The nashpy algorithms to run on an ``m x n`` game.

    ``"auto"``: all of :data:`METHODS` when :func:`enumeration_size` is at most
    :data:`MAX_ENUMERATION`, else none (the exact pure equilibria only, which the demand game's
    refinement needs). ``"pure"`` or ``()``: none. ``"all"``: all three. Otherwise names from
    :data:`METHODS` (a sequence or a comma-separated string); support and vertex enumeration
    are refused above the bound.

    Raises
    ------
    NotApplicableError
        An enumeration method on a game above the bound.
    ScenarioError
        An unknown method name.

    Examples
    --------
    >>> resolve_methods("auto", 6, 6), resolve_methods("auto", 101, 101)
    (('support', 'vertex', 'lemke-howson'), ())
    """
    if isinstance(methods, str):
        if methods == "auto":
            return METHODS if enumeration_size(m, n) <= MAX_ENUMERATION else ()
        if methods == "all":
            methods = METHODS
        elif methods == "pure":
            methods = ()
        else:
            methods = tuple(x.strip() for x in methods.split(",") if x.strip())
    methods = tuple(methods)
    unknown = [x for x in methods if x not in METHODS]
    if unknown:
        raise ScenarioError(
            f"unknown methods {unknown}; choose from {list(METHODS)}, 'pure', 'all' or 'auto'"
        )
    size = enumeration_size(m, n)
    heavy = [x for x in methods if x in ("support", "vertex")]
    if heavy and size > MAX_ENUMERATION:
        raise NotApplicableError(
            f"{' and '.join(heavy)} enumeration on a {m} x {n} game may visit "
            f"C({m + n}, {min(m, n)}) = {size:.3g} support pairs, more than "
            f"MAX_ENUMERATION={MAX_ENUMERATION:,}; use the methods 'pure' or 'lemke-howson', "
            "or fewer demands"
        )
    return methods


def _matrix(M: object, name: str) -> np.ndarray:
    try:
        X = np.array(M, dtype=float)
    except (TypeError, ValueError):
        raise ScenarioError(f"payoff matrix {name} must be numbers") from None
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise ScenarioError(
            f"payoff matrix {name} must be 2-D with at least one row and column, got shape "
            f"{X.shape}"
        )
    if not np.all(np.isfinite(X)):
        bad = np.argwhere(~np.isfinite(X))[0]
        raise ScenarioError(
            f"payoff matrix {name} has a non-finite entry at row {bad[0]}, column {bad[1]}"
        )
    return X


def to_nashpy_game(A: object, B: object) -> nashpy.Game:
    """A two-player normal-form game as a :class:`nashpy.Game`, after validation.

    ``A[i, j]`` is the row player's payoff and ``B[i, j]`` the column player's when the row
    player plays ``i`` and the column player ``j`` (von Neumann & Morgenstern 1944; Nash 1951).

    Raises
    ------
    ScenarioError
        A matrix is not 2-D, is empty, holds a non-finite number, or the shapes differ.

    Examples
    --------
    >>> g = to_nashpy_game([[3, 0], [5, 1]], [[3, 5], [0, 1]])   # prisoner's dilemma
    >>> [tuple(s.tolist()) for s in next(iter(g.support_enumeration()))]
    [(0.0, 1.0), (0.0, 1.0)]
    """
    A_, B_ = _matrix(A, "A"), _matrix(B, "B")
    if A_.shape != B_.shape:
        raise ScenarioError(f"payoff matrices differ in shape: A {A_.shape}, B {B_.shape}")
    return nashpy.Game(A_, B_)


def pure_equilibria(A: np.ndarray, B: np.ndarray, tol: float = 1e-12) -> list[tuple[int, int]]:
    """All pure Nash equilibria ``(i, j)``: ``A[i, j]`` is a column maximum of ``A`` and
    ``B[i, j]`` a row maximum of ``B`` (vectorised, exact up to ``tol``).

    Examples
    --------
    >>> pure_equilibria(np.array([[2, 0], [0, 1]]), np.array([[1, 0], [0, 2]]))
    [(0, 0), (1, 1)]
    """
    A, B = np.asarray(A, float), np.asarray(B, float)
    ok = (A >= A.max(axis=0, keepdims=True) - tol) & (B >= B.max(axis=1, keepdims=True) - tol)
    return [(int(i), int(j)) for i, j in np.argwhere(ok)]


def is_equilibrium(A, B, row: np.ndarray, col: np.ndarray, tol: float = 1e-9) -> bool:
    """True when no pure strategy improves on ``(row, col)`` by more than ``tol``."""
    A, B = np.asarray(A, float), np.asarray(B, float)
    row, col = np.asarray(row, float), np.asarray(col, float)
    if np.any(row < -tol) or np.any(col < -tol):
        return False
    if abs(row.sum() - 1) > 1e-6 or abs(col.sum() - 1) > 1e-6:
        return False
    scale = max(1.0, float(np.abs(A).max()), float(np.abs(B).max()))
    return bool(
        (A @ col).max() <= row @ A @ col + tol * scale
        and (row @ B).max() <= row @ B @ col + tol * scale
    )


@dataclass(frozen=True)
class NormalFormEquilibrium:
    """One Nash equilibrium as labelled mixed strategies.

    Attributes
    ----------
    strategies
        ``{player: {strategy label: probability}}`` (only strategies played with positive
        probability).
    payoffs
        ``{player: expected payoff}``.
    methods
        Which algorithms found it (``"pure"`` for the exact pure enumeration).
    pure
        True when both players play one strategy.
    index
        ``(row, column)`` strategy indices when pure, else ``None``.
    """

    strategies: dict[str, dict[str, float]]
    payoffs: dict[str, float]
    methods: tuple[str, ...]
    pure: bool
    index: tuple[int, int] | None = None
    row: np.ndarray = field(default=None, repr=False, compare=False)  # type: ignore[assignment]
    column: np.ndarray = field(default=None, repr=False, compare=False)  # type: ignore[assignment]

    def to_dict(self) -> dict:
        return {
            "strategies": {p: dict(s) for p, s in self.strategies.items()},
            "payoffs": dict(self.payoffs),
            "pure": self.pure,
            "methods": list(self.methods),
        }


@dataclass(frozen=True, eq=False)
class NormalFormSolution:
    """The equilibria of a two-player game found by nashpy, merged and cross-checked.

    Attributes
    ----------
    players, row_labels, column_labels
        Names of the players and of their strategies.
    A, B
        The payoff matrices (as given, unshifted).
    equilibria
        Every distinct verified equilibrium, pure ones first.
    found
        ``{method: number of distinct verified equilibria it found}``.
    rejected
        ``{method: number of returned profiles that failed the equilibrium check}`` (nashpy's
        Lemke–Howson returns a non-equilibrium, e.g. a mislabelled strategy, on some games).
    cross_check
        Sets of equilibria compared: ``"support == vertex"``, ``"support <= vertex"``,
        ``"lemke-howson <= vertex"``, ``"pure: support == exact"``, ``"pure: vertex == exact"``.
        In a degenerate game the mixed sets may differ while every reported profile is still an
        equilibrium. Even in non-degenerate games nashpy 0.0.43's support enumeration
        occasionally misses an equilibrium (its indifference solver requires probabilities
        ``>= 0`` exactly, and a ``-1e-17`` rounding discards the support pair), which is what
        the cross-check is for.
    degenerate
        True when nashpy warned that the game is degenerate.
    """

    players: tuple[str, str]
    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    A: np.ndarray = field(repr=False)
    B: np.ndarray = field(repr=False)
    equilibria: tuple[NormalFormEquilibrium, ...]
    found: dict[str, int]
    rejected: dict[str, int]
    cross_check: dict[str, bool]
    degenerate: bool

    @property
    def game(self) -> nashpy.Game:
        """The :class:`nashpy.Game`."""
        return to_nashpy_game(self.A, self.B)

    @property
    def pure(self) -> tuple[NormalFormEquilibrium, ...]:
        """The pure equilibria."""
        return tuple(e for e in self.equilibria if e.pure)

    def to_dict(self) -> dict:
        return {
            "players": list(self.players),
            "equilibria": [e.to_dict() for e in self.equilibria],
            "found": dict(self.found),
            "rejected": dict(self.rejected),
            "cross_check": dict(self.cross_check),
            "degenerate": self.degenerate,
        }


def _key(row: np.ndarray, col: np.ndarray) -> tuple:
    return tuple(np.round(np.concatenate([row, col]), 7) + 0.0)


def solve_normal_form(
    A: object,
    B: object,
    *,
    row_labels: Sequence[str] | None = None,
    column_labels: Sequence[str] | None = None,
    players: Sequence[str] = ("row", "column"),
    methods: Sequence[str] = METHODS,
    tol: float = 1e-9,
) -> NormalFormSolution:
    """All equilibria nashpy finds, verified, merged, labelled and cross-checked.

    Parameters
    ----------
    A, B
        Payoff matrices of the row and column player (same shape).
    row_labels, column_labels
        Strategy names (default ``r0, r1, ...`` and ``c0, c1, ...``).
    players
        The two players' names.
    methods
        Any of ``"support"`` (support enumeration), ``"vertex"`` (vertex enumeration, on
        payoffs shifted to be positive), ``"lemke-howson"`` (from every initial dropped label).
    tol
        Tolerance of the equilibrium check (relative to the payoffs' scale).

    References
    ----------
    J. Nash, "Non-cooperative games", Annals of Mathematics 54(2), 1951. D. Avis, G. Rosenberg,
    R. Savani, B. von Stengel, "Enumeration of Nash equilibria for two-player games", Economic
    Theory 42, 2010. C. E. Lemke, J. T. Howson, "Equilibrium points of bimatrix games", SIAM J.
    Applied Mathematics 12(2), 1964. V. Knight, J. Campbell, "Nashpy: a Python library for the
    computation of Nash equilibria", JOSS 3(30), 2018.

    Examples
    --------
    >>> sol = solve_normal_form([[2, 0], [0, 1]], [[1, 0], [0, 2]], players=("A", "B"))
    >>> len(sol.equilibria), sol.cross_check["support == vertex"]
    (3, True)
    """
    game = to_nashpy_game(A, B)
    A_, B_ = game.payoff_matrices
    m, n = A_.shape
    rl = tuple(row_labels) if row_labels is not None else tuple(f"r{i}" for i in range(m))
    cl = tuple(column_labels) if column_labels is not None else tuple(f"c{j}" for j in range(n))
    if len(rl) != m or len(cl) != n:
        raise ScenarioError(f"need {m} row labels and {n} column labels")
    methods = resolve_methods(methods, m, n)
    p1, p2 = players
    found_sets: dict[str, dict[tuple, tuple[np.ndarray, np.ndarray]]] = {}
    rejected: dict[str, int] = {}
    degenerate = False
    shift = 1.0 - min(A_.min(), B_.min())
    for method in methods:
        out: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        bad = 0
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                if method == "support":
                    profiles = list(game.support_enumeration(tol=1e-10))
                elif method == "vertex":
                    profiles = list(nashpy.Game(A_ + shift, B_ + shift).vertex_enumeration())
                else:
                    profiles = []
                    for label in range(m + n):
                        try:
                            profiles.append(game.lemke_howson(initial_dropped_label=label))
                        except Exception:  # noqa: BLE001 - LH can fail on degenerate games
                            bad += 1
            except Exception:  # noqa: BLE001 - report, do not crash on a degenerate game
                profiles = []
                bad += 1
        if any("degenerate" in str(w.message) for w in caught):
            degenerate = True
        for r, c in profiles:
            r, c = np.asarray(r, float), np.asarray(c, float)
            if not (np.all(np.isfinite(r)) and np.all(np.isfinite(c))):
                bad += 1
                continue
            r, c = np.clip(r, 0, None), np.clip(c, 0, None)
            if r.sum() <= 0 or c.sum() <= 0:
                bad += 1
                continue
            r, c = r / r.sum(), c / c.sum()
            if is_equilibrium(A_, B_, r, c, tol):
                out[_key(r, c)] = (r, c)
            else:
                bad += 1
        found_sets[method] = out
        rejected[method] = bad
    exact = {}
    for i, j in pure_equilibria(A_, B_):
        r, c = np.eye(m)[i], np.eye(n)[j]
        exact[_key(r, c)] = (r, c)
    merged: dict[tuple, list] = {}
    for method, out in [("pure", exact), *found_sets.items()]:
        for key, (r, c) in out.items():
            merged.setdefault(key, [r, c, []])[2].append(method)

    def pure_keys(out):
        return {k for k, (r, c) in out.items() if r.max() > 1 - 1e-9 and c.max() > 1 - 1e-9}

    cross = {}
    if "support" in found_sets and "vertex" in found_sets:
        cross["support == vertex"] = set(found_sets["support"]) == set(found_sets["vertex"])
        cross["support <= vertex"] = set(found_sets["support"]) <= set(found_sets["vertex"])
    if "lemke-howson" in found_sets and "vertex" in found_sets:
        cross["lemke-howson <= vertex"] = set(found_sets["lemke-howson"]) <= set(
            found_sets["vertex"]
        )
    for method in ("support", "vertex"):
        if method in found_sets:
            cross[f"pure: {method} == exact"] = pure_keys(found_sets[method]) == set(exact)
    eqs = []
    for r, c, meths in merged.values():
        pure = bool(r.max() > 1 - 1e-9 and c.max() > 1 - 1e-9)
        eqs.append(
            NormalFormEquilibrium(
                strategies={
                    p1: {rl[i]: float(r[i]) for i in np.flatnonzero(r > 1e-9)},
                    p2: {cl[j]: float(c[j]) for j in np.flatnonzero(c > 1e-9)},
                },
                payoffs={p1: float(r @ A_ @ c), p2: float(r @ B_ @ c)},
                methods=tuple(meths),
                pure=pure,
                index=(int(r.argmax()), int(c.argmax())) if pure else None,
                row=r,
                column=c,
            )
        )
    eqs.sort(key=lambda e: (not e.pure, e.index or (m, n), tuple(-e.row), tuple(-e.column)))
    return NormalFormSolution(
        players=(p1, p2),
        row_labels=rl,
        column_labels=cl,
        A=A_.copy(),
        B=B_.copy(),
        equilibria=tuple(eqs),
        found={k: len(v) for k, v in found_sets.items()},
        rejected=rejected,
        cross_check=cross,
        degenerate=degenerate,
    )


# --------------------------------------------------------------------------------------------
# The Nash demand game
# --------------------------------------------------------------------------------------------


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
    exactly what the deal gives it) plus disagreement and mixed equilibria. Nash (1953)
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
    J. Nash, "Two-person cooperative games", Econometrica 21(1), 1953. E. van Damme, "The Nash
    bargaining solution is optimal", Journal of Economic Theory 38, 1986.

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
    labels = game.labels()
    d = proj.disagreement[list(proj.index)]
    # Solved in gains (payoff minus reservation: the same equilibria), so that tiny
    # compatibility probabilities are not swallowed by the reservation values' digits; the
    # payoffs reported are utilities again.
    sharp = _in_utilities(
        solve_normal_form(
            game.A - d[0],
            game.B - d[1],
            row_labels=labels[0],
            column_labels=labels[1],
            players=proj.players,
            methods=methods,
        ),
        game.A,
        game.B,
        d,
    )
    smooth = demand_game(
        scenario, n_demands=n_demands, deals=deals, projection=proj, smoothing=smoothing
    )
    smoothed = _in_utilities(
        solve_normal_form(
            smooth.A - d[0],
            smooth.B - d[1],
            row_labels=labels[0],
            column_labels=labels[1],
            players=proj.players,
            methods=methods,
        ),
        smooth.A,
        smooth.B,
        d,
    )
    path = []
    best = None
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
    G = proj.gains[game.deals]
    k_nash = int(game.deals[np.argmax(G[:, 0] * G[:, 1])])
    i, j = best  # type: ignore[misc]
    k_ref = int(game.meet[i, j]) if game.compatible[i, j] else k_nash
    hull = proj.hull()
    return DemandGameResult(
        game=game,
        sharp=sharp,
        smoothed_game=smooth,
        smoothed=smoothed,
        path=tuple(path),
        agreement=proj.deal(k_ref),
        nash=proj.deal(k_nash),
        hull_nash=proj.mixture(hull.locate(hull_nash(hull))),
        notes=tuple(notes),
    )


# --------------------------------------------------------------------------------------------
# Accept or hold out
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class AcceptHoldoutResult:
    """Is a proposed deal self-enforcing? The 2 x 2 accept/hold-out game.

    Attributes
    ----------
    deal
        The proposed deal.
    premium
        Each player's hold-out premium.
    solution
        All equilibria (:class:`NormalFormSolution`).
    self_enforcing
        "Both accept" is a Nash equilibrium.
    strict
        ... a strict one (each player loses by holding out alone).
    accept_dominant
        ``{player: accepting is weakly dominant}``.
    unique
        "Both accept" is the only equilibrium (never, when a lone acceptor gets no more than
        its reservation: "both hold out" is then a weak equilibrium too).
    undominated
        "Both accept" is the only equilibrium in weakly undominated strategies (the refinement
        that discards the coordination failure).
    """

    players: tuple[str, str]
    deal: Deal
    premium: dict[str, float]
    solution: NormalFormSolution
    self_enforcing: bool
    strict: bool
    accept_dominant: dict[str, bool]
    unique: bool
    undominated: bool
    model: str = "accept-holdout"

    def to_dict(self) -> dict:
        return {
            "model": self.model,
            "parties": list(self.players),
            "deal": self.deal.to_dict(),
            "premium": dict(self.premium),
            "self_enforcing": self.self_enforcing,
            "strict": self.strict,
            "accept_dominant": dict(self.accept_dominant),
            "unique": self.unique,
            "undominated": self.undominated,
            "equilibria": [e.to_dict() for e in self.solution.equilibria],
        }

    def summary(self) -> str:
        p1, p2 = self.players
        verdict = "self-enforcing" if self.self_enforcing else "NOT self-enforcing"
        lines = [
            f"Accept or hold out: {p1} vs {p2} on {describe(self.deal)}",
            f"  both accepting is {verdict}"
            + (" (strict)" if self.strict else "")
            + ("; the only equilibrium in undominated strategies" if self.undominated else ""),
            "  accepting weakly dominant: "
            + ", ".join(f"{k} {'yes' if v else 'no'}" for k, v in self.accept_dominant.items()),
            f"  {len(self.solution.equilibria)} equilibria in all",
        ]
        return "\n".join(lines)


def accept_holdout(
    scenario: Scenario,
    deal: Deal | Mapping[str, str],
    parties: Sequence[str] | str | None = None,
    *,
    premium: float | Mapping[str, float] = 0.0,
    methods: Sequence[str] = METHODS,
) -> AcceptHoldoutResult:
    """The accept/hold-out game of a proposed deal against the status quo.

    Each player accepts or holds out; the deal happens only if both accept. Payoffs (utility):
    both accept -- the deal's utilities ``u_i(x)``; otherwise the reservation values ``d_i``,
    except that a player holding out while the other accepts gets ``d_i + pi_i``, its hold-out
    premium (what it expects to extract by holding out, e.g. a sweetener or a domestic
    audience benefit). "Both accept" is an equilibrium iff ``u_i(x) >= d_i + pi_i`` for both;
    it is strict iff both inequalities are strict; accepting is weakly dominant for ``i`` iff
    ``u_i(x) >= d_i + pi_i`` (against a hold-out, accepting and holding out both give ``d_i``).
    So "both hold out" is always a (weak) equilibrium too, and "both accept" is at best the
    only equilibrium in weakly undominated strategies.

    Parameters
    ----------
    deal
        A :class:`Deal` or ``{issue: level}``.
    parties
        The two players (may be omitted for a two-party scenario).
    premium
        Hold-out premium, one number for both or a mapping by player (default 0).

    Examples
    --------
    >>> import negotiation as ng
    >>> s = ng.load_scenario("textbook_two_party")
    >>> deal = {"salary": "60k", "remote_days": "two_days", "start_date": "one_month"}
    >>> accept_holdout(s, deal).self_enforcing
    True
    """
    from negotiation.dynamics.games.projection import resolve_players

    players = resolve_players(scenario, parties, exactly=2)
    idx = [scenario.party_names.index(p) for p in players]
    if isinstance(deal, Deal):
        row = np.asarray(deal.levels, dtype=np.int64)
    else:
        row = np.asarray(scenario.space.encode(deal), dtype=np.int64)
    u_all = scenario.utilities(row.reshape(1, -1))[0]
    the_deal = Deal(row.copy(), u_all, scenario.space.deal(row), scenario.party_names)
    u = u_all[idx]
    d = scenario.reservations[idx]
    if isinstance(premium, Mapping):
        for name in premium:
            if name not in players:
                raise ScenarioError(f"premium for a non-player {list(players)}", party=str(name))
        pi = np.array([float(premium.get(p, 0.0)) for p in players])
    else:
        pi = np.full(2, float(premium))
    if not np.all(np.isfinite(pi)):
        raise ScenarioError("the hold-out premium must be finite")
    A = np.array([[u[0], d[0]], [d[0] + pi[0], d[0]]])
    B = np.array([[u[1], d[1] + pi[1]], [d[1], d[1]]])
    labels = ("accept", "hold out")
    sol = solve_normal_form(
        A, B, row_labels=labels, column_labels=labels, players=players, methods=methods
    )
    both = any(e.pure and e.index == (0, 0) for e in sol.equilibria)
    strict = bool(u[0] > d[0] + pi[0] and u[1] > d[1] + pi[1])
    dominant = {
        players[0]: bool(np.all(A[0] >= A[1])),
        players[1]: bool(np.all(B[:, 0] >= B[:, 1])),
    }
    unique = both and len(sol.equilibria) == 1
    strictly_better = {
        players[0]: bool(np.all(A[0] >= A[1]) and np.any(A[0] > A[1])),
        players[1]: bool(np.all(B[:, 0] >= B[:, 1]) and np.any(B[:, 0] > B[:, 1])),
    }
    undominated = both and all(strictly_better.values())
    return AcceptHoldoutResult(
        players=players,  # type: ignore[arg-type]
        deal=the_deal,
        premium={p: float(x) for p, x in zip(players, pi, strict=False)},
        solution=sol,
        self_enforcing=both,
        strict=strict,
        accept_dominant=dominant,
        unique=unique,
        undominated=undominated,
    )
