"""Solution concepts of a transferable-utility game given by its characteristic function
``v`` over the ``2^n`` coalitions (bit ``p`` of a coalition's index for party ``p``): the
Shapley value and the core (least core) by linear programming.

References
----------
.. [Shapley1953] Shapley, "A value for n-person games" (1953). Full entry: docs/references.md.
.. [Gillies1959] Gillies, "Solutions to general non-zero-sum games" (1959).
   Full entry: docs/references.md.
.. [MPS1979] Maschler, Peleg, Shapley, "Geometric properties of the kernel, nucleolus and related
   solution concepts" (1979). Full entry: docs/references.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from negotiation.engine.solvers.lp import linprog_highs
from negotiation.errors import ScenarioError

#: The core's programmes run with HiGHS's own defaults (through the one wrapper).
_HIGHS_DEFAULTS = (("highs", None),)

__all__ = ["shapley_values", "CoreResult", "core"]


def shapley_values(v: np.ndarray) -> np.ndarray:
    """Exact Shapley values of a game given on all ``2^n`` coalitions (bit masks).

    ``phi_i = sum_{S not containing i} |S|! (n - |S| - 1)! / n! * (v(S + i) - v(S))``
    (Shapley 1953), vectorised over the bit masks.

    Examples
    --------
    Glove game: player 0 holds a left glove, players 1 and 2 right gloves.

    >>> v = np.zeros(8); v[0b011] = v[0b101] = v[0b111] = 1.0
    >>> np.round(shapley_values(v), 6).tolist()
    [0.666667, 0.166667, 0.166667]
    """
    v = np.asarray(v, dtype=float)
    n = int(round(math.log2(v.shape[0])))
    if v.shape[0] != 1 << n:
        raise ScenarioError("a game needs one value per coalition (2^n values)")
    masks = np.arange(1 << n)
    sizes = np.array([bin(m).count("1") for m in masks])
    weight = np.array(
        [
            math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n) if s < n else 0.0
            for s in sizes
        ]
    )
    phi = np.zeros(n)
    for i in range(n):
        without = masks[(masks >> i) & 1 == 0]
        phi[i] = np.sum(weight[without] * (v[without | (1 << i)] - v[without]))
    return phi


@dataclass(frozen=True)
class CoreResult:
    """The core of a TU game, by linear programming.

    Attributes
    ----------
    nonempty
        True when some allocation of ``v(N)`` gives every coalition at least its value.
    epsilon
        The least-core value in the convention of Maschler, Peleg & Shapley (1979): the smallest
        ``epsilon`` such that some allocation of ``v(N)`` gives every proper coalition
        ``x(S) >= v(S) - epsilon``. The core is non-empty iff ``epsilon <= 0``; a negative value
        means every coalition can be given ``|epsilon|`` more than it could get alone (the core
        has room to spare), a positive one is the smallest tax on coalitions' claims that makes
        an allocation stable.
    point
        A least-core allocation (in the core when it is non-empty).
    bounds
        Each player's smallest and largest payoff over the core (``None`` when empty).
    """

    nonempty: bool
    epsilon: float
    point: np.ndarray
    bounds: np.ndarray | None


def core(v: np.ndarray, tol: float = 1e-9) -> CoreResult:
    """Core of a TU game on ``2^n`` bit-mask coalitions (Gillies 1959; least core: Maschler,
    Peleg & Shapley 1979).

    Examples
    --------
    >>> v = np.zeros(8); v[0b011] = v[0b101] = v[0b111] = 1.0   # glove game
    >>> c = core(v)
    >>> c.nonempty, np.round(c.point, 6).tolist(), round(c.epsilon, 6)
    (True, [1.0, 0.0, 0.0], 0.0)
    >>> majority = np.array([0, 0, 0, 1, 0, 1, 1, 1], dtype=float)
    >>> round(core(majority).epsilon, 6)   # empty core: 1/3 is the smallest stabilising tax
    0.333333
    """
    v = np.asarray(v, dtype=float)
    n = int(round(math.log2(v.shape[0])))
    full = (1 << n) - 1
    proper = [m for m in range(1, full)]
    M = np.array([[(m >> i) & 1 for i in range(n)] for m in proper], dtype=float).reshape(-1, n)
    # max e  s.t.  -x(S) + e <= -v(S),  x(N) = v(N)
    c = np.zeros(n + 1)
    c[-1] = -1.0
    A_ub = np.hstack([-M, np.ones((len(proper), 1))]) if proper else None
    b_ub = -v[proper] if proper else None
    A_eq = np.append(np.ones(n), 0.0)[None, :]
    res = linprog_highs(
        c,
        A_ub=A_ub,
        b_ub=b_ub,
        A_eq=A_eq,
        b_eq=[v[full]],
        bounds=[(None, None)] * n + [(None, None if proper else 0)],
        attempts=_HIGHS_DEFAULTS,
    )
    if res.status != 0:  # pragma: no cover - the least core always exists
        raise RuntimeError(f"least-core programme failed: {res.message}")
    slack = float(-res.fun)  # max over x of the smallest excess x(S) - v(S)
    eps = -slack  # Maschler-Peleg-Shapley: x(S) >= v(S) - eps
    point = res.x[:n]
    nonempty = eps <= tol
    bounds = None
    if nonempty:
        bounds = np.zeros((n, 2))
        for i in range(n):
            for k, sign in enumerate((1.0, -1.0)):
                obj = np.zeros(n)
                obj[i] = sign
                r = linprog_highs(
                    obj,
                    A_ub=-M if proper else None,
                    b_ub=b_ub,
                    A_eq=np.ones((1, n)),
                    b_eq=[v[full]],
                    bounds=[(None, None)] * n,
                    attempts=_HIGHS_DEFAULTS,
                )
                bounds[i, k] = sign * r.fun if r.status == 0 else np.nan
    return CoreResult(nonempty=bool(nonempty), epsilon=eps, point=point, bounds=bounds)
