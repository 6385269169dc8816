"""The proposer's problem over lotteries, as a linear programme (scipy's HiGHS).

A proposer choosing a lottery ``lambda`` over deals (weights on the simplex) to maximise its
expected gain ``g_own . lambda`` subject to responders' acceptance constraints
``g_j . lambda >= c_j`` solves a linear programme; among its optimal lotteries the one best for
the others (largest sum of their expected gains) is taken, by a second programme over the optimal
face (identified by complementary slackness with the first programme's duals), so that the
choice is deterministic and Pareto-optimal, and the proposer gives up nothing for it.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog

from negotiation.errors import NegotiationError

__all__ = ["best_lottery"]

_OPTIONS = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}


def best_lottery(
    own: np.ndarray,
    constraints: np.ndarray,
    bounds: np.ndarray,
    *,
    others: np.ndarray | None = None,
    support: np.ndarray | None = None,
) -> tuple[np.ndarray, float] | None:
    """Lottery maximising ``own . w`` s.t. ``constraints[:, j] . w >= bounds[j]``, ``w`` in the
    simplex (and zero outside ``support``); ties broken by the largest ``others . w``.

    Parameters
    ----------
    own
        ``K`` gains of the proposer.
    constraints
        ``K x m`` gains of the responders who must accept.
    bounds
        ``m`` lower bounds (the responders' continuation values).
    others
        ``K`` tie-break score (e.g. the sum of the other players' gains).
    support
        ``K`` boolean: deals allowed in the lottery.

    Returns
    -------
    (weights, value) or None
        ``None`` when no lottery meets the constraints.

    Examples
    --------
    >>> w, v = best_lottery(np.array([1.0, 0.0]), np.array([[0.0], [1.0]]), np.array([0.25]))
    >>> np.round(w, 12).tolist(), round(v, 12)
    ([0.75, 0.25], 0.75)
    """
    own = np.asarray(own, dtype=float)
    K = own.shape[0]
    idx = np.arange(K) if support is None else np.flatnonzero(support)
    if idx.size == 0:
        return None
    cons = np.asarray(constraints, dtype=float).reshape(K, -1)[idx]
    rhs = np.asarray(bounds, dtype=float).reshape(-1)
    A_ub = -cons.T if cons.shape[1] else None
    b_ub = -rhs if cons.shape[1] else None
    A_eq, b_eq = np.ones((1, idx.size)), np.ones(1)
    res = linprog(
        -own[idx],
        A_ub=A_ub,
        b_ub=b_ub,
        A_eq=A_eq,
        b_eq=b_eq,
        bounds=(0, None),
        method="highs",
        options=_OPTIONS,
    )
    for method in ("highs-ds", "highs-ipm"):
        if res.status in (0, 2):
            break
        # numerical trouble (HiGHS status "unknown"): retry with another HiGHS solver
        res = linprog(
            -own[idx],
            A_ub=A_ub,
            b_ub=b_ub,
            A_eq=A_eq,
            b_eq=b_eq,
            bounds=(0, None),
            method=method,
            options=_OPTIONS,
        )
    if res.status == 2:
        return None
    if res.status != 0:  # unbounded is impossible on the simplex; numerical failure remains
        raise NegotiationError(
            f"the proposer's linear programme failed in every HiGHS solver ({res.message})"
        )
    x = res.x
    opt = float(-res.fun)
    if others is not None:
        # Second stage on the optimal face, found by complementary slackness with the first
        # stage's dual solution: a lottery is optimal iff it puts no weight on a deal with a
        # positive reduced cost and keeps every constraint with a non-zero dual tight.
        rc = np.asarray(res.lower.marginals, dtype=float)
        dual = np.asarray(res.ineqlin.marginals, dtype=float) if A_ub is not None else None
        eps = 1e-9 * max(1.0, float(np.abs(own).max()))
        upper = np.where(rc > eps, 0.0, np.inf)
        if A_ub is not None:
            tight = np.abs(dual) > eps
            A2, b2 = A_ub[~tight], b_ub[~tight]
            Aeq2 = np.vstack([A_eq, A_ub[tight]])
            beq2 = np.append(b_eq, b_ub[tight])
        else:
            A2 = b2 = None
            Aeq2, beq2 = A_eq, b_eq
        res2 = linprog(
            -np.asarray(others, dtype=float)[idx],
            A_ub=A2 if A2 is not None and len(A2) else None,
            b_ub=b2 if b2 is not None and len(b2) else None,
            A_eq=Aeq2,
            b_eq=beq2,
            bounds=list(zip(np.zeros(idx.size), upper, strict=True)),
            method="highs",
            options=_OPTIONS,
        )
        if res2.status == 0 and own[idx] @ res2.x >= opt - 1e-9 * max(1.0, abs(opt)):
            x = res2.x

    w = np.zeros(K)
    w[idx] = np.clip(x, 0.0, None)
    w /= w.sum()
    return w, float(own @ w)
