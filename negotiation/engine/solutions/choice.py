"""The discrete choice shared by every bargaining solution: validation, powers and ties.

*Tolerances.* Party ``i``'s gain ``g_i = u_i - d_i`` counts as *positive* when ``g_i > tol_i``
with ``tol_i = RESERVATION_TOL * max(1, |d_i|)``, the resolution of the feasibility test itself
(:data:`negotiation.model.scenario.RESERVATION_TOL`). Two objective values are *tied* when they
differ by at most ``TIE_RTOL * max(1, |best|)`` (so that float rounding of equal sums cannot
decide).

*Last tie-break, everywhere.* Among deals still tied, the smallest outcome index, i.e. the
lexicographically smallest level row (outcome indices are mixed-radix numbers of level rows, so
this is the same order and works for spaces too large to index); in the array functions without
``levels``, the first row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from negotiation.errors import InfeasibleError, NegotiationError
from negotiation.model.scenario import Scenario, reservation_tolerance

__all__ = [
    "TIE_RTOL",
    "as_problem",
    "can_gain",
    "check_power",
    "choose",
    "deciders",
    "leximin_keys",
]

#: Relative tolerance under which two objective values count as tied.
TIE_RTOL = 1e-10


def as_problem(U: np.ndarray, d: np.ndarray | Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
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
        who = (
            [names[int(k)] for k in np.flatnonzero(bad)]
            if names is not None
            else np.flatnonzero(bad)
        )
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


def choose(
    keys: Sequence[np.ndarray], n: int, levels: np.ndarray | None, rows: np.ndarray | None = None
) -> int:
    """Lexicographic maximisation of ``keys`` (each a length-``n`` array) with tie tolerance."""
    rows = np.arange(n) if rows is None else rows
    for key in keys:
        if rows.size == 1:
            break
        rows = _tied(np.asarray(key, dtype=float), rows)
    return _first(rows, levels)


def leximin_keys(G: np.ndarray) -> list[np.ndarray]:
    """Keys of the leximin order: the sorted gains, smallest first."""
    S = np.sort(G, axis=1)
    return [S[:, j] for j in range(S.shape[1])]


def can_gain(G: np.ndarray, d: np.ndarray) -> np.ndarray:
    """``N x P`` boolean: the gain is positive (beyond the reservation tolerance)."""
    return G > reservation_tolerance(d)


def deciders(scenario: Scenario) -> list[int]:
    """Columns of the parties in the Nash product: all but the scenario's observers (issue 18;
    observers are scored, not bargaining)."""
    return list(getattr(scenario, "deciders", range(len(scenario.parties))))
