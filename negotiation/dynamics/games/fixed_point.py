"""Fixed points ``v = F(v)`` of a piecewise-affine map: Anderson-accelerated iteration, then
Newton's method with a finite-difference Jacobian when it stalls.

``F`` returns a tuple whose first item is the new ``v`` (the rest rides along, e.g. the
proposers' choices); it may raise :class:`~negotiation.errors.InfeasibleError` outside its
domain. Both solvers return ``(v, F(v), residual, evaluations)`` with the smallest residual
``max |F(v) - v|`` seen.

References
----------
.. [WalkerNi2011] Walker, Ni, "Anderson acceleration for fixed-point iterations" (2011).
   Full entry: docs/references.md.
"""

from __future__ import annotations

import numpy as np

from negotiation.errors import InfeasibleError

__all__ = ["anderson", "newton"]


def anderson(F, v, tol, budget, memory=6):
    """Solve ``v = F(v)[0]`` by Anderson-accelerated iteration (Walker & Ni 2011).

    A step that does not reduce the residual (or leaves the feasible region) is replaced by a
    plain step and the history is cleared. Returns ``(v, F(v), residual, evaluations)``.
    """
    Fv = F(v)
    evals = 1
    resid = float(np.abs(Fv[0] - v).max())
    best = (v, Fv, resid)
    hist_x: list[np.ndarray] = []
    hist_f: list[np.ndarray] = []
    while resid > tol and evals < budget:
        f = Fv[0] - v
        hist_x.append(v.copy())
        hist_f.append(f.copy())
        if len(hist_x) > memory + 1:
            hist_x.pop(0)
            hist_f.pop(0)
        accepted = tried = False
        if len(hist_x) >= 2:
            tried = True
            dX = np.diff(np.array(hist_x), axis=0).T
            dF = np.diff(np.array(hist_f), axis=0).T
            gamma = np.linalg.lstsq(dF, f, rcond=None)[0]
            cand = v + f - (dX + dF) @ gamma
            if np.all(np.isfinite(cand)):
                try:
                    Fc = F(cand)
                    evals += 1
                    rc = float(np.abs(Fc[0] - cand).max())
                    if rc < resid:
                        v, Fv, resid, accepted = cand, Fc, rc, True
                except InfeasibleError:
                    pass
        if not accepted:
            if tried:
                hist_x.clear()
                hist_f.clear()
            v = Fv[0]
            try:
                Fv = F(v)
            except InfeasibleError:
                break
            evals += 1
            resid = float(np.abs(Fv[0] - v).max())
        if resid < best[2]:
            best = (v, Fv, resid)
    return (*best, evals)


def newton(F, v, Fv, tol, budget, h):
    """Newton's method on ``v - F(v) = 0`` with a finite-difference Jacobian and backtracking.

    Used when accelerated iteration stalls (a steep smoothed map). Returns
    ``(v, F(v), residual, evaluations)``.
    """
    k = v.shape[0]
    evals = 0
    resid = float(np.abs(Fv[0] - v).max())
    while resid > tol and evals + k + 1 <= budget:
        J = np.empty((k, k))
        for j in range(k):
            e = v.copy()
            e[j] += h
            try:
                J[:, j] = (F(e)[0] - Fv[0]) / h
            except InfeasibleError:
                e[j] = v[j] - h
                J[:, j] = (Fv[0] - F(e)[0]) / h
            evals += 1
        try:
            step = np.linalg.solve(np.eye(k) - J, Fv[0] - v)
        except np.linalg.LinAlgError:
            return v, Fv, resid, evals
        t, accepted = 1.0, False
        while t > 1e-6 and evals < budget:
            cand = v + t * step
            try:
                Fc = F(cand)
                evals += 1
                rc = float(np.abs(Fc[0] - cand).max())
                if rc < (1.0 - 1e-4 * t) * resid:
                    v, Fv, resid, accepted = cand, Fc, rc, True
                    break
            except InfeasibleError:
                evals += 1
            t *= 0.5
        if not accepted:
            break
    return v, Fv, resid, evals
