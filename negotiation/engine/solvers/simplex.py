"""Linear programmes over the lotteries on the rows of a gains matrix, by column generation.

References
----------
.. [DantzigWolfe1960] Dantzig, Wolfe, "Decomposition principle for linear programs" (1960); column
   generation. Full entry: docs/references.md.
.. [GilmoreGomory1961] Gilmore, Gomory, "A linear programming approach to the cutting-stock problem"
   (1961). Full entry: docs/references.md.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from negotiation.engine.solvers.dense_lp import dense_simplex_warm
from negotiation.engine.solvers.lp import linprog_highs

__all__ = ["SEED_COLUMNS", "SimplexLP", "top_rows"]

#: How many columns the callers seed a master with (the deals best by a cheap discrete
#: criterion): a master of ~64 columns costs little more than one of 5 (the per-call overhead
#: of the solver dominates), and a good seed saves whole rounds.
SEED_COLUMNS = 64


def top_rows(values: np.ndarray, count: int) -> np.ndarray:
    """Sorted indices of the ``count`` largest ``values``, ties to the smallest index: the set
    ``np.argsort(-values, kind="stable")[:count]`` in linear time (a partition, not a sort).

    Examples
    --------
    >>> top_rows(np.array([0.5, 0.9, 0.5, 0.1, 0.9]), 3).tolist()
    [0, 1, 4]
    """
    values = np.asarray(values, dtype=float)
    if values.size <= count:
        return np.arange(values.size)
    cut = values.size - count
    threshold = np.partition(values, cut)[cut]
    above = np.flatnonzero(values > threshold)
    return np.union1d(above, np.flatnonzero(values == threshold)[: count - above.size])


class SimplexLP:
    """Linear programmes over the lotteries on the rows of a gains matrix ``G`` (``M x k``), by
    column generation (Dantzig & Wolfe 1960; Gilmore & Gomory 1961).

    ``solve`` maximises ``c_g . g + c_t t`` with ``g = G^T p``, ``p`` on the simplex, subject to
    ``g_i >= lower_i + t t_scale_i`` (rows with ``lower_i = -inf`` and ``t_scale_i = 0`` free).
    Only a few columns (deals) enter the restricted master programme; a deal joins when its
    reduced cost ``-c_g . G_j + y . G_j[rows] - pi`` (``y``, ``pi``: the master's dual prices)
    is negative, the most negative first; at the end no deal prices out, which is the
    optimality certificate of the full programme. With ``k`` parties a basis has at most
    ``k + 1`` deals, so the masters stay small whatever ``M`` is (one matrix-vector product per
    round prices every deal). The caller seeds columns that make the master feasible (an
    individually rational deal, or the previous solution); if a master is infeasible anyway the
    full programme is solved.
    """

    def __init__(self, G: np.ndarray) -> None:
        self.scale = max(float(np.abs(G).max(initial=0.0)), 1.0)
        self.G = G / self.scale  # one common scale: the gains stay comparable
        self.M, self.k = G.shape
        #: Each party's best deal: in every first master.
        self._best = {int(j) for j in np.argmax(self.G, axis=0)} if self.M else set()
        #: The last optimal basis, by column name (see :meth:`_dense`): the next master's
        #: warm start.
        self._basis = np.zeros(0, dtype=np.int64)
        #: The last solution (``{deal: weight}``, ``t`` scaled): the callers' sequences of
        #: programmes (leximin levels, the KS second stage) keep it feasible, so it gives the
        #: next programme a start where the previous basis does not fit.
        self._point: tuple[dict[int, float], float] = ({}, 0.0)

    def solve(
        self,
        c_g: np.ndarray,
        *,
        lower: np.ndarray | None = None,
        t_scale: np.ndarray | None = None,
        c_t: float = 0.0,
        seed: Sequence[int] | np.ndarray = (),
    ) -> tuple[np.ndarray, float, float] | None:
        """``(p, t, value)`` (``t`` and ``value`` in the caller's units) or ``None`` if
        infeasible."""
        G, M, k = self.G, self.M, self.k
        lo = np.full(k, -np.inf) if lower is None else np.asarray(lower, float) / self.scale
        ts = np.zeros(k) if t_scale is None else np.asarray(t_scale, float) / self.scale
        use_t = t_scale is not None or c_t != 0.0
        sel = np.flatnonzero(np.isfinite(lo) | (ts != 0))
        lo0 = np.where(np.isfinite(lo), lo, 0.0)[sel]
        obj = G @ c_g if np.any(c_g) else np.zeros(M)  # value of each column
        cols = set(int(j) for j in seed)
        cols |= self._best
        cols.add(int(np.argmax(obj)))
        if M <= 4 * (k + 1) + 64:
            cols = set(range(M))
        batch = max(64, 4 * k)  # masters are cheap next to the per-call overhead: fewer rounds
        for _ in range(M + 1):
            S = np.array(sorted(cols))
            res = self._master(S, obj, sel, lo0, ts, use_t, c_t)
            if res is None:
                if S.size == M:
                    return None
                cols = set(range(M))
                continue
            x, y, pi = res
            rc = -obj + (G @ y if sel.size == k else G[:, sel] @ y) - pi
            rc[S] = 0.0
            cand = np.flatnonzero(rc < -1e-11)
            if cand.size == 0:
                p = np.zeros(M)
                p[S] = x[: S.size]
                t = float(x[S.size]) if use_t else 0.0
                self._point = ({int(j): float(p[j]) for j in S[x[: S.size] > 0]}, t)
                # The rows read G p / scale >= lower / scale + t t_scale / scale: t is in the
                # caller's units as it is (multiplying it by the scale, as this once did, made
                # every later leximin level and the KS second stage infeasible whenever the
                # gains exceed 1, e.g. points-scored parties).
                value = float(obj @ p) * self.scale + c_t * t
                return p, t, value
            if cand.size > batch:
                cand = cand[np.argpartition(rc[cand], batch)[:batch]]
            cols |= set(cand.tolist())
        return None  # pragma: no cover - every round adds a column

    def _master(self, S, obj, sel, lo0, ts, use_t, c_t):
        self._sel = sel
        G = self.G[S]
        n = S.size
        nv = n + (1 if use_t else 0)
        c = np.zeros(nv)
        c[:n] = -obj[S]
        if use_t:
            c[n] = -c_t
        A = np.hstack([-G[:, sel].T, ts[sel, None] if use_t else np.zeros((sel.size, 0))])
        fast = self._dense(c, A, -lo0, S, use_t)
        if fast is not None:
            return fast
        A_eq = np.zeros((1, nv))
        A_eq[0, :n] = 1.0
        res = linprog_highs(
            c,
            A_ub=A if sel.size else None,
            b_ub=-lo0 if sel.size else None,
            A_eq=A_eq,
            b_eq=[1.0],
            bounds=[(0.0, None)] * n + ([(None, None)] if use_t else []),
        )
        if res.status != 0:
            return None
        y = res.ineqlin.marginals if sel.size else np.zeros(0)
        self.prices = np.zeros(self.k)
        self.prices[sel] = -y
        return res.x, y, float(res.eqlin.marginals[0])

    def _dense(self, c, A, b, S, use_t):
        """The master by the certified dense simplex (:func:`dense_simplex_warm`): ``t`` split
        into ``t+ - t-``, a slack per level row; ``None`` (HiGHS then) when not certified.

        Warm start: the previous master's optimal basis (the columns are only ever added, so it
        stays primal feasible), else a crash basis of every slack and the deal that best meets
        the level rows (feasible when that deal meets them all), else phase I."""
        n = S.size
        r = A.shape[0]
        cols = [A[:, :n]]
        cost = [c[:n]]
        if use_t:
            cols += [A[:, n:], -A[:, n:]]
            cost += [c[n:], -c[n:]]
        cols.append(np.eye(r))
        cost.append(np.zeros(r))
        top = np.hstack(cols)
        full = np.vstack([top, np.r_[np.ones(n), np.zeros(top.shape[1] - n)]])
        # Column names: a deal by its index (>= 0), t+ and t- by -1 and -2, party i's slack
        # by -10 - i; the previous optimal basis is kept by name.
        names = np.r_[S, [-1, -2] if use_t else [], -10 - self._sel].astype(np.int64)
        starts: list = []
        warm = self._basis
        if warm.size == r + 1:
            pos = np.full(warm.size, -1)
            deal = warm >= 0
            at = np.searchsorted(S, warm[deal])
            hit = at < n
            hit[hit] = S[at[hit]] == warm[deal][hit]
            pos[np.flatnonzero(deal)[hit]] = at[hit]
            if use_t:
                pos[warm == -1], pos[warm == -2] = n, n + 1
            slack = warm <= -10
            at = np.searchsorted(self._sel, -10 - warm[slack])
            hit = at < self._sel.size
            hit[hit] = self._sel[at[hit]] == -10 - warm[slack][hit]
            pos[np.flatnonzero(slack)[hit]] = top.shape[1] - r + at[hit]
            if (pos >= 0).all():
                starts.append(pos)
        starts.append(lambda: self._point_basis(full, b, S, use_t))
        # crash: the deal with the largest smallest slack, and every slack
        slack_rows = b[None, :] - A[:, :n].T if r else np.zeros((n, 0))
        j = int(np.argmax(slack_rows.min(axis=1))) if r else 0
        starts.append(np.array([j, *range(top.shape[1] - r, top.shape[1])]))
        out = dense_simplex_warm(np.concatenate(cost), full, np.r_[b, 1.0], starts)
        if out is None:
            self._basis = np.zeros(0, dtype=np.int64)
            return None
        z, lam, opt = out
        self._basis = names[opt]
        x = z[:n] if not use_t else np.r_[z[:n], z[n] - z[n + 1]]
        self.prices = np.zeros(self.k)
        y = lam[:r]
        self.prices[self._sel] = -y
        return x, y, float(lam[r])

    def _point_basis(self, full, b, S, use_t):
        """A basis through the last solution (its positive weights, ``t`` and slacks, filled
        up with the slacks of the tight rows), or ``None`` when that point is not in this
        master (its deals missing) or not feasible for it."""
        weights, t = self._point
        top = full[:-1]
        n, r = S.size, top.shape[0]
        x = np.zeros(top.shape[1])
        x[:n] = [weights.get(int(j), 0.0) for j in S]
        if not weights or abs(x[:n].sum() - 1.0) > 1e-9:
            return None
        slack = b - top[:, : top.shape[1] - r] @ x[: top.shape[1] - r]
        if use_t and (t < 0 or (r and slack.min() < -1e-9)):
            # t = 0 (nonbasic) where that is feasible: a vertex needs no t between its bounds
            x[n], x[n + 1] = max(t, 0.0), max(-t, 0.0)
            slack = b - top[:, : top.shape[1] - r] @ x[: top.shape[1] - r]
        if r and slack.min() < -1e-9:
            return None
        # The point's positive weights and t; then the slacks, loosest first, each kept only
        # if independent of those before (Gram-Schmidt), until the basis is full: the rows left
        # out (the tightest, slack ~ the callers' 1e-9 relaxations) are met with equality by
        # the basic solution, a vertex within rounding of the point.
        ncol = top.shape[1]
        order = [*np.flatnonzero(x[: ncol - r] > 1e-12)]
        order += [ncol - r + int(i) for i in np.argsort(-slack, kind="stable")]
        Q = np.zeros((r + 1, r + 1))
        basis: list[int] = []
        for j in order:
            v = full[:, j] - Q @ (Q.T @ full[:, j])
            norm = float(np.sqrt(v @ v))
            if norm > 1e-9:
                Q[:, len(basis)] = v / norm
                basis.append(int(j))
                if len(basis) == r + 1:
                    return np.array(basis)
        return None
