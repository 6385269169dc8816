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
from scipy.optimize import OptimizeResult

from negotiation.engine.solvers.lp import HIGHS_OPTIONS, linprog_highs
from negotiation.errors import NegotiationError

__all__ = ["best_lottery"]

#: HiGHS's default choice first; on numerical trouble its simplex, then its interior point.
_ATTEMPTS = (("highs", HIGHS_OPTIONS), ("highs-ds", HIGHS_OPTIONS), ("highs-ipm", HIGHS_OPTIONS))


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
    res = linprog_highs(
        -own[idx], A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=(0, None), attempts=_ATTEMPTS
    )
    if res.status == 2:
        return None
    if res.status != 0:  # unbounded is impossible on the simplex; numerical failure remains
        raise NegotiationError(
            f"the proposer's linear programme failed in every HiGHS solver ({res.message})"
        )
    x = res.x
    if others is not None:
        x = _best_for_others(res, own[idx], np.asarray(others, dtype=float)[idx], A_ub, b_ub)
    w = np.zeros(K)
    w[idx] = np.clip(x, 0.0, None)
    w /= w.sum()
    return w, float(own @ w)


def _best_for_others(
    res: OptimizeResult,
    own: np.ndarray,
    others: np.ndarray,
    A_ub: np.ndarray | None,
    b_ub: np.ndarray | None,
) -> np.ndarray:
    """Second stage: among the proposer's optimal lotteries (``res`` of the first stage), one
    with the largest ``others . w``.

    The optimal face is found by complementary slackness with the first stage's dual
    solution: a lottery is optimal iff it puts no weight on a deal with a positive reduced cost
    and keeps every constraint with a non-zero dual tight. The first stage's lottery is kept
    if the second programme fails or would cost the proposer more than rounding.
    """
    n = own.size
    opt = float(-res.fun)
    A_eq, b_eq = np.ones((1, n)), np.ones(1)
    rc = np.asarray(res.lower.marginals, dtype=float)
    eps = 1e-9 * max(1.0, float(np.abs(own).max()))
    upper = np.where(rc > eps, 0.0, np.inf)
    if A_ub is not None and b_ub is not None:
        tight = np.abs(np.asarray(res.ineqlin.marginals, dtype=float)) > eps
        A2, b2 = A_ub[~tight], b_ub[~tight]
        Aeq2 = np.vstack([A_eq, A_ub[tight]])
        beq2 = np.append(b_eq, b_ub[tight])
    else:
        A2 = b2 = None
        Aeq2, beq2 = A_eq, b_eq
    res2 = linprog_highs(
        -others,
        A_ub=A2 if A2 is not None and len(A2) else None,
        b_ub=b2 if b2 is not None and len(b2) else None,
        A_eq=Aeq2,
        b_eq=beq2,
        bounds=list(zip(np.zeros(n), upper, strict=True)),
        attempts=(("highs", HIGHS_OPTIONS),),
    )
    if res2.status == 0 and own @ res2.x >= opt - 1e-9 * max(1.0, abs(opt)):
        return np.asarray(res2.x)
    return np.asarray(res.x)
