"""The Nash product over a convex set: ``max sum_i alpha_i log g_i``.

Over the simplex of mixture weights of a few columns (:func:`nash_master`: SLSQP, then Newton
steps on the optimal face, :func:`newton_polish`), and over the convex hull of a set given by a
linear oracle (:func:`nash_colgen`: fully corrective Frank-Wolfe, i.e. column generation with
the master problem re-solved on every column kept).

References
----------
.. [Nash1950] Nash, "The bargaining problem" (1950). Full entry: docs/references.md.
.. [FrankWolfe1956] Frank, Wolfe, "An algorithm for quadratic programming" (1956); fully corrective
   variant: [vonHohenbalken1977]_. Full entry: docs/references.md.
.. [vonHohenbalken1977] von Hohenbalken, "Simplicial decomposition in nonlinear programming
   algorithms" (1977). Full entry: docs/references.md.
.. [BoydVandenberghe2004] Boyd, Vandenberghe, *Convex Optimization* (2004); log-concave objectives;
   Newton's method with equality constraints, section 10.2. Full entry: docs/references.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import numpy as np
from scipy.optimize import minimize

from negotiation.engine.solvers.lp import linprog_highs
from negotiation.engine.solvers.nash_newton import newton_direction, newton_line_search

#: The payload a column carries (a deal's row, a polytope's vertex).
T = TypeVar("T")

__all__ = ["log_ext", "nash_colgen", "nash_master", "newton_polish", "positive_mixture"]


def log_ext(q: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray]:
    """``log q`` for ``q >= c``, continued below ``c`` by its second-order Taylor polynomial
    (concave, smooth): values and derivatives."""
    safe = np.maximum(q, c)
    val = np.log(safe)
    der = 1.0 / safe
    low = q < c
    if low.any():
        x = q[low] - c
        val[low] = np.log(c) + x / c - x * x / (2 * c * c)
        der[low] = 1.0 / c - x / (c * c)
    return val, der


def positive_mixture(G: np.ndarray) -> np.ndarray | None:
    """A point of the simplex with every ``(G^T p)_i > 0`` (the max-min mixture, blended towards
    the centre while that stays positive), or ``None`` if there is none."""
    s, k = G.shape
    res = linprog_highs(
        np.r_[np.zeros(s), -1.0],
        A_ub=np.hstack([-G.T, np.ones((k, 1))]),
        b_ub=np.zeros(k),
        A_eq=np.r_[np.ones(s), 0.0][None, :],
        b_eq=[1.0],
        bounds=[(0, None)] * s + [(None, 1.0)],
        attempts=(("highs", None),),
    )
    if res.status != 0 or res.x[-1] <= 0:
        return None
    p = np.clip(res.x[:s], 0.0, None)
    p /= p.sum()
    for w in (0.5, 0.1, 0.01):
        blend = (1 - w) * p + w / s
        if np.all(blend @ G > 0):
            return blend
    return p


def nash_master(G: np.ndarray, alpha: np.ndarray, p0: np.ndarray | None = None) -> np.ndarray:
    """Weights ``p`` on the simplex maximising ``sum_i alpha_i log((G^T p)_i)`` (``G``: s x k).

    SLSQP from one or two starts; a result is accepted once it meets the optimality (KKT)
    condition ``max_k G_k . lam <= sum alpha`` with ``lam = alpha / (G^T p)`` to 1e-10.
    """
    s = G.shape[0]
    if s == 1:
        return np.ones(1)
    top = G.max(axis=0)
    Gn = G / np.where(top > 0, top, 1.0)  # each party on a [.., 1] scale: better conditioning
    c = 1e-9
    total = float(alpha.sum())

    def f(p: np.ndarray) -> tuple[float, np.ndarray]:
        val, der = log_ext(p @ Gn, c)
        return -float(alpha @ val), -(Gn @ (alpha * der))

    def gap(p: np.ndarray) -> float:
        q = p @ Gn
        if np.any(q <= 0):
            return np.inf
        return float((Gn @ (alpha / q)).max() - total) / total

    x0 = np.full(s, 1.0 / s) if p0 is None else np.clip(p0, 0, None)
    x0 = 0.9 * x0 / x0.sum() + 0.1 / s  # start strictly inside
    starts = [x0, np.full(s, 1.0 / s)]
    if np.any(x0 @ Gn <= 0):  # possible under a quota rule: start where every gain is positive
        inner = positive_mixture(Gn)
        if inner is not None:
            starts = [inner, *starts]
    best = None
    for start in starts:
        res = minimize(
            f,
            start,
            jac=True,
            method="SLSQP",
            bounds=[(0.0, 1.0)] * s,
            constraints=[
                {"type": "eq", "fun": lambda p: p.sum() - 1.0, "jac": lambda p: np.ones(s)}
            ],
            options={"ftol": 1e-14, "maxiter": 500},
        )
        p = newton_polish(Gn, alpha, np.clip(res.x, 0.0, None))
        val = f(p)[0]
        if best is None or val < best[0]:
            best = (val, p)
        if gap(p) <= 1e-10:
            break
    assert best is not None  # there is always a start
    return best[1]


def newton_polish(Gn: np.ndarray, alpha: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Newton steps on the face of the simplex spanned by the support of ``p`` (the KKT system
    of ``max sum alpha log(Gn^T p)`` with ``sum p = 1``), so that the weights are exact to
    rounding rather than to the square root of SLSQP's tolerance.

    The steps are those of :func:`negotiation.engine.solvers.nash_newton.newton_direction`
    (the gradient's mean taken out, so a step stays accurate where the gradient's entries
    nearly agree) with its line search, which takes the full Newton step once the predicted
    gain is below what the objective can resolve. (Comparing objective values there, as this
    polish once did, stopped it ~1e-8 short in the weights: KKT gaps of 1e-9 to 1e-7.)"""
    p = p / p.sum()
    act = np.flatnonzero(p > 1e-12)
    if act.size < 2:
        return p
    G = Gn[act]
    w = p[act] / p[act].sum()
    total = float(alpha.sum())
    for _ in range(50):
        keep = w > 0
        if keep.sum() < 2:
            break
        q = w @ G
        if not np.all(q > 0):
            break
        grad = G[keep] @ (alpha / q)
        if float(grad.max() - grad.min()) <= 1e-13 * total:
            break
        step = newton_direction(G[keep], alpha, q, grad)
        if step is None:
            break
        slope = float(step @ (grad - grad.mean()))
        if slope <= 1e-26 * total:
            break
        moved = newton_line_search(G[keep], alpha, w[keep], step, slope, total)
        if moved is None:
            break
        w[keep] = moved
        w[~keep] = 0.0
    out = np.zeros_like(p)
    out[act] = np.clip(w, 0.0, None)
    return out / out.sum()


def nash_colgen(
    oracle: Callable[[np.ndarray], tuple[np.ndarray, T]],
    columns: list[tuple[np.ndarray, T]],
    alpha: np.ndarray,
    *,
    max_iter: int = 500,
) -> tuple[np.ndarray, list[tuple[np.ndarray, T]]]:
    """Maximise ``sum_i alpha_i log g_i`` over the convex hull of a set given by a linear oracle.

    ``oracle(lam)`` returns a point ``(g, payload)`` of the set maximising ``lam . g``;
    ``columns`` are starting points whose hull contains a point with all ``g_i > 0``. Fully
    corrective Frank-Wolfe: solve the master problem on the current columns, ask the oracle for
    the best column for the gradient ``lam = alpha / g``, stop when it does not improve
    (``lam . g_new <= sum alpha``, the optimality condition). Returns the weights and columns.
    """
    cols = list(columns)
    p = np.full(len(cols), 1.0 / len(cols))
    total = float(alpha.sum())
    for _ in range(max_iter):
        G = np.array([c[0] for c in cols])
        p = nash_master(G, alpha, p)
        q = p @ G
        lam = alpha / np.maximum(q, 1e-300)
        g_new, payload = oracle(lam)
        if lam @ g_new <= total * (1.0 + 1e-10):
            break
        if any(np.array_equal(g_new, c[0]) for c in cols):
            break  # the master problem cannot do better on these columns (rounding)
        keep = p > 1e-13
        cols = [c for c, k in zip(cols, keep, strict=True) if k] + [(g_new, payload)]
        p = np.append(p[keep], 0.0)
    return p, cols
