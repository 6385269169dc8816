"""Two-player normal-form (bimatrix) games, solved with nashpy.

* :func:`to_nashpy_game` -- any pair of payoff matrices as a :class:`nashpy.Game` (validated).
* :func:`solve_normal_form` -- all equilibria found by nashpy's support enumeration, vertex
  enumeration and Lemke–Howson (each result verified as a Nash equilibrium, then merged), with
  the exact pure equilibria and a cross-check between the algorithms, as labelled strategies.

The games built from a scenario live beside it: :mod:`~negotiation.dynamics.games.demand_game`
(Nash's demand game) and :mod:`~negotiation.dynamics.games.holdout` (accept or hold out).

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

from negotiation.errors import NotApplicableError, ScenarioError

__all__ = [
    "to_nashpy_game",
    "pure_equilibria",
    "is_equilibrium",
    "NormalFormEquilibrium",
    "NormalFormSolution",
    "solve_normal_form",
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
    # The mixed strategies as arrays; always set by solve_normal_form (None only when an
    # equilibrium is built by hand from labels and payoffs).
    row: np.ndarray = field(default=None, repr=False, compare=False)  # type: ignore[arg-type]
    column: np.ndarray = field(default=None, repr=False, compare=False)  # type: ignore[arg-type]

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
    .. [Nash1951] Nash, "Non-cooperative games" (1951). Full entry: docs/references.md.
    .. [ARSS2010] Avis et al., "Enumeration of Nash equilibria for two-player games" (2010).
       Full entry: docs/references.md.
    .. [LHS1964] Lemke, Howson, "Equilibrium points of bimatrix games" (1964).
       Full entry: docs/references.md.
    .. [KnightCampbell2018] Knight, Campbell, "Nashpy: a Python library for the computation of Nash
       equilibria" (2018). Full entry: docs/references.md.

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
    for method in methods:
        profiles, failed, warned = _run_method(game, method)
        found_sets[method], bad = _verified(profiles, A_, B_, tol)
        rejected[method] = failed + bad
        degenerate = degenerate or warned
    exact = {}
    for i, j in pure_equilibria(A_, B_):
        r, c = np.eye(m)[i], np.eye(n)[j]
        exact[_key(r, c)] = (r, c)
    merged: dict[tuple, list] = {}
    for method, out in [("pure", exact), *found_sets.items()]:
        for key, (r, c) in out.items():
            merged.setdefault(key, [r, c, []])[2].append(method)
    eqs = [_labelled(r, c, meths, A_, B_, (p1, p2), rl, cl) for r, c, meths in merged.values()]
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
        cross_check=_cross_check(found_sets, exact),
        degenerate=degenerate,
    )


def _run_method(game: nashpy.Game, method: str) -> tuple[list, int, bool]:
    """Run one nashpy algorithm: ``(profiles, failures, warned degenerate)``.

    Vertex enumeration runs on payoffs shifted to be positive (the same equilibria);
    Lemke-Howson runs from every initial dropped label.
    """
    A_, B_ = game.payoff_matrices
    m, n = A_.shape
    shift = 1.0 - min(A_.min(), B_.min())
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
    warned = any("degenerate" in str(w.message) for w in caught)
    return profiles, bad, warned


def _verified(
    profiles: list, A_: np.ndarray, B_: np.ndarray, tol: float
) -> tuple[dict[tuple, tuple[np.ndarray, np.ndarray]], int]:
    """The distinct profiles that pass :func:`is_equilibrium` (normalised), and the rejects."""
    out: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
    bad = 0
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
    return out, bad


def _pure_keys(out: Mapping[tuple, tuple[np.ndarray, np.ndarray]]) -> set[tuple]:
    return {k for k, (r, c) in out.items() if r.max() > 1 - 1e-9 and c.max() > 1 - 1e-9}


def _cross_check(
    found_sets: Mapping[str, Mapping[tuple, tuple[np.ndarray, np.ndarray]]],
    exact: Mapping[tuple, tuple[np.ndarray, np.ndarray]],
) -> dict[str, bool]:
    """The cross-check of :class:`NormalFormSolution` between the algorithms' sets."""
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
            cross[f"pure: {method} == exact"] = _pure_keys(found_sets[method]) == set(exact)
    return cross


def _labelled(
    r: np.ndarray,
    c: np.ndarray,
    methods: list[str],
    A_: np.ndarray,
    B_: np.ndarray,
    players: tuple[str, str],
    rl: tuple[str, ...],
    cl: tuple[str, ...],
) -> NormalFormEquilibrium:
    """One merged profile as a labelled :class:`NormalFormEquilibrium`."""
    p1, p2 = players
    pure = bool(r.max() > 1 - 1e-9 and c.max() > 1 - 1e-9)
    return NormalFormEquilibrium(
        strategies={
            p1: {rl[i]: float(r[i]) for i in np.flatnonzero(r > 1e-9)},
            p2: {cl[j]: float(c[j]) for j in np.flatnonzero(c > 1e-9)},
        },
        payoffs={p1: float(r @ A_ @ c), p2: float(r @ B_ @ c)},
        methods=tuple(methods),
        pure=pure,
        index=(int(r.argmax()), int(c.argmax())) if pure else None,
        row=r,
        column=c,
    )
