"""The one wrapper of scipy's HiGHS linear-programme solver, with the project's options.

Every linear programme of the package (the lottery and continuous bargaining solutions, the
proposer's programme of the bargaining games) goes through :func:`linprog_highs`: one place for
the tolerances (:data:`HIGHS_OPTIONS`, tighter than HiGHS's ``1e-7`` defaults so that levels are
kept to about ``1e-10``) and for the fallback order when a solver reports numerical trouble.

References
----------
.. [HuangfuHall2018] Huangfu, Hall, "Parallelizing the dual revised simplex method" (2018); HiGHS.
   Full entry: docs/references.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from scipy.optimize import OptimizeResult, linprog

__all__ = ["HIGHS_OPTIONS", "linprog_highs"]

#: HiGHS tolerances (tighter than its 1e-7 defaults, so that levels are kept to ~1e-10).
HIGHS_OPTIONS: Mapping[str, float] = {
    "primal_feasibility_tolerance": 1e-10,
    "dual_feasibility_tolerance": 1e-10,
}

#: HiGHS status codes after which another solver would not help: optimal, infeasible, unbounded.
_FINAL = (0, 2, 3)


def linprog_highs(
    c: np.ndarray,
    *,
    A_ub: np.ndarray | None = None,
    b_ub: np.ndarray | None = None,
    A_eq: np.ndarray | None = None,
    b_eq: np.ndarray | Sequence[float] | None = None,
    bounds: Any = (0, None),
    attempts: Sequence[tuple[str, Mapping[str, float] | None]] = (("highs-ds", HIGHS_OPTIONS),),
) -> OptimizeResult:
    """Minimise ``c . x`` s.t. ``A_ub x <= b_ub``, ``A_eq x = b_eq``, ``bounds`` (scipy's HiGHS).

    ``attempts`` lists ``(method, options)`` pairs tried in order: the next one runs only when
    the previous one ends in numerical trouble (a status other than optimal, infeasible or
    unbounded). Returns scipy's result of the last attempt (``status`` 0: optimal, 2:
    infeasible, 3: unbounded).

    Examples
    --------
    >>> res = linprog_highs(np.array([-1.0, -2.0]), A_eq=np.ones((1, 2)), b_eq=[1.0])
    >>> res.status, np.round(res.x, 12).tolist()
    (0, [0.0, 1.0])
    """
    res = None
    for method, options in attempts:
        res = linprog(
            c,
            A_ub=A_ub,
            b_ub=b_ub,
            A_eq=A_eq,
            b_eq=b_eq,
            bounds=bounds,
            method=method,
            options=None if options is None else dict(options),
        )
        if res.status in _FINAL:
            break
    assert res is not None, "attempts must not be empty"
    return res
