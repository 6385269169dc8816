"""Convex polytopes ``{x : A x <= b, E x = f}``: feasibility, the Chebyshev centre, coordinate
bounds, a minimal infeasible subset of rows, and uniform sampling by hit-and-run.

The consistent set of a calibration (:mod:`negotiation.engine.calibrate`) is such a polytope.
Linear programmes run with scipy's HiGHS: feasibility, the Chebyshev centre (the centre of the
largest ball inside the set, Boyd & Vandenberghe, *Convex Optimization*, 2004, §8.5.1), the
interval of every coordinate, and the deletion filter for a *minimal* conflicting set of row
groups (Chinneck, *Feasibility and Infeasibility in Optimization*, 2008, ch. 6): every proper
subset of it is feasible. :func:`hit_and_run` draws uniform samples by hit-and-run (Smith 1984
[Smith1984]_; Lovász 1999 [Lovasz1999]_) in the affine hull, over several seeded chains, with the
split-R-hat diagnostic (Gelman et al., *Bayesian Data Analysis*, 3rd ed., 2013, §11.4).

References
----------
.. [BoydVandenberghe2004] Boyd, Vandenberghe, *Convex Optimization* (2004); the Chebyshev centre,
   section 8.5.1. Full entry: docs/references.md.
.. [Chinneck2008] Chinneck, *Feasibility and Infeasibility in Optimization* (2008); the deletion
   filter, ch. 6. Full entry: docs/references.md.
.. [Smith1984] Smith, "Efficient Monte Carlo procedures for generating points uniformly distributed
   over bounded regions" (1984). Full entry: docs/references.md.
.. [Lovasz1999] Lovász, "Hit-and-run mixes fast" (1999). Full entry: docs/references.md.
.. [HCTFV2017] Haraldsdóttir et al., "CHRR: coordinate hit-and-run with rounding" (2017).
   Full entry: docs/references.md.
.. [GCSDVR2013] Gelman et al., *Bayesian Data Analysis*, 3rd ed. (2013); split-R-hat, section 11.4.
   Full entry: docs/references.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.linalg import null_space

from negotiation.engine.solvers.lp import linprog_highs
from negotiation.errors import InfeasibleError, NegotiationError

__all__ = [
    "Polytope",
    "blocks",
    "chebyshev_centre",
    "feasible",
    "hit_and_run",
    "minimal_conflict",
    "parameter_bounds",
    "split_rhat",
]


@dataclass(frozen=True)
class Polytope:
    """``{x : A x <= b, E x = f}``, with ``names[j]`` the input path of coordinate ``j``."""

    A: np.ndarray
    b: np.ndarray
    E: np.ndarray
    f: np.ndarray
    names: tuple[str, ...]

    @property
    def dim(self) -> int:
        return len(self.names)

    def contains(self, x: np.ndarray, tol: float = 1e-9) -> bool:
        """True when ``x`` satisfies every row (within ``tol``)."""
        x = np.asarray(x, dtype=float)
        return bool(
            np.all(self.A @ x <= self.b + tol) and np.allclose(self.E @ x, self.f, atol=tol)
        )

    def add(self, A: np.ndarray, b: np.ndarray) -> Polytope:
        """The polytope with more inequality rows."""
        A = np.asarray(A, dtype=float).reshape(-1, self.dim)
        return Polytope(
            np.vstack([self.A, A]), np.concatenate([self.b, b]), self.E, self.f, self.names
        )


def _lp(poly: Polytope, c: np.ndarray) -> Any:
    """``min c . x`` over the polytope, through the one HiGHS wrapper with HiGHS's own defaults
    (these programmes only test feasibility and bounds; no tightened tolerances needed)."""
    return linprog_highs(
        c,
        A_ub=poly.A if len(poly.b) else None,
        b_ub=poly.b if len(poly.b) else None,
        A_eq=poly.E if len(poly.f) else None,
        b_eq=poly.f if len(poly.f) else None,
        bounds=(None, None),
        attempts=(("highs", None),),
    )


def feasible(poly: Polytope) -> bool:
    """Is the polytope non-empty (an LP with a zero objective)?"""
    return _lp(poly, np.zeros(poly.dim)).status == 0


def minimal_conflict(
    prior: Polytope,
    rows: Sequence[tuple[np.ndarray, np.ndarray]],
    order: Sequence[int] | None = None,
) -> list[int]:
    """Indices of a minimal infeasible subset of the items (deletion filter; exact by LP).

    Assumes the prior with every item is infeasible and the prior alone is feasible. Every
    proper subset of the result is feasible.
    """
    keep = list(order if order is not None else range(len(rows)))

    def poly(idx: Sequence[int]) -> Polytope:
        if not idx:
            return prior
        return prior.add(
            np.vstack([rows[k][0] for k in idx]), np.concatenate([rows[k][1] for k in idx])
        )

    for k in list(keep):
        trial = [j for j in keep if j != k]
        if not feasible(poly(trial)):
            keep = trial
    return sorted(keep)


# -- the polytope in its affine hull ----------------------------------------------------------
def _reduce(poly: Polytope, x0: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(N, A N, b - A x0)``: coordinates ``z`` with ``x = x0 + N z``, ``N`` orthonormal."""
    N = null_space(poly.E) if len(poly.f) else np.eye(poly.dim)
    return N, poly.A @ N, poly.b - poly.A @ x0


def chebyshev_centre(poly: Polytope) -> tuple[np.ndarray, float]:
    """Centre and radius of the largest ball in the polytope (within its affine hull)."""
    res = _lp(poly, np.zeros(poly.dim))
    if res.status != 0:
        raise InfeasibleError("the consistent set is empty")
    x0 = res.x
    N, Az, bz = _reduce(poly, x0)
    norms = np.linalg.norm(Az, axis=1)
    k = Az.shape[1]
    c = np.zeros(k + 1)
    c[-1] = -1.0
    A_ub = np.hstack([Az, norms[:, None]])
    bounds = [(None, None)] * k + [(0, None)]
    res = linprog_highs(c, A_ub=A_ub, b_ub=bz, bounds=bounds, attempts=(("highs", None),))
    if res.status != 0:
        raise InfeasibleError(f"the Chebyshev-centre LP failed: {res.message}")
    return x0 + N @ res.x[:k], float(res.x[-1])


def parameter_bounds(poly: Polytope) -> tuple[np.ndarray, np.ndarray]:
    """Minimum and maximum of every coordinate over the polytope (two LPs each)."""
    lo, hi = np.empty(poly.dim), np.empty(poly.dim)
    for j in range(poly.dim):
        c = np.zeros(poly.dim)
        c[j] = 1.0
        lo[j] = _lp(poly, c).fun
        hi[j] = -_lp(poly, -c).fun
    return lo, hi


def split_rhat(chains: np.ndarray) -> np.ndarray:
    """Split-R-hat of each coordinate of ``chains`` (``chains x draws x dim``).

    Each chain is split in halves; with ``W`` the mean within-half variance and ``B/n`` the
    variance of the half means, ``R = sqrt(((n-1)/n W + B/n) / W)`` (Gelman et al. 2013, §11.4).
    Values near 1 (below 1.01–1.05) say the chains agree. A coordinate constant in every chain
    gets 1.

    >>> rng = np.random.default_rng(0)
    >>> float(np.round(split_rhat(rng.normal(size=(4, 1000, 1)))[0], 2))
    1.0
    """
    chains = np.asarray(chains, dtype=float)
    n = chains.shape[1] // 2
    halves = np.concatenate([chains[:, :n], chains[:, n : 2 * n]], axis=0)
    means = halves.mean(axis=1)
    W = halves.var(axis=1, ddof=1).mean(axis=0)
    B = n * means.var(axis=0, ddof=1)
    var = (n - 1) / n * W + B / n
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.sqrt(var / W)
    return np.where(W > 1e-300, r, 1.0)


def blocks(poly: Polytope) -> list[np.ndarray]:
    """Groups of coordinates no row couples (connected components; one per party here)."""
    parent = list(range(poly.dim))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for M in (poly.A, poly.E):
        for row in M:
            nz = np.flatnonzero(np.abs(row) > 0)
            for j in nz[1:]:
                parent[root(int(j))] = root(int(nz[0]))
    roots = np.array([root(i) for i in range(poly.dim)])
    return [np.flatnonzero(roots == r) for r in dict.fromkeys(roots.tolist())]


def hit_and_run(
    poly: Polytope,
    n: int,
    *,
    seed: int | np.random.Generator | None = 0,
    chains: int = 8,
    thin: int | None = None,
    burn: int | None = None,
) -> tuple[np.ndarray, float]:
    """``n`` approximately uniform points of the polytope, and the worst split-R-hat.

    The uniform law on a product of polytopes is the product of the uniform laws, so each
    block of coordinates that no row couples (:func:`blocks`: one per party) is sampled on its
    own (:func:`_char`), from its own seed spawned from ``seed``: chains mix in the block's
    dimension, not the whole one.
    """
    if n < 1:
        raise NegotiationError(f"the number of samples must be >= 1, got {n}")
    if chains < 2:
        raise NegotiationError(f"at least 2 chains are needed for the diagnostic, got {chains}")
    ss: np.random.SeedSequence = (
        seed.bit_generator.seed_seq  # type: ignore[assignment]  # a Generator's is a SeedSequence
        if isinstance(seed, np.random.Generator)
        else np.random.SeedSequence(seed)
    )
    groups = blocks(poly)
    out = np.empty((n, poly.dim))
    rhat = 1.0
    for cols, child in zip(groups, ss.spawn(len(groups)), strict=True):
        rows = np.flatnonzero(np.any(np.abs(poly.A[:, cols]) > 0, axis=1))
        erows = (
            np.flatnonzero(np.any(np.abs(poly.E[:, cols]) > 0, axis=1))
            if len(poly.f)
            else np.zeros(0, dtype=np.int64)
        )
        sub = Polytope(
            poly.A[np.ix_(rows, cols)],
            poly.b[rows],
            poly.E[np.ix_(erows, cols)] if len(erows) else np.zeros((0, len(cols))),
            poly.f[erows] if len(erows) else np.zeros(0),
            tuple(poly.names[j] for j in cols),
        )
        x, r = _char(sub, n, np.random.default_rng(child), chains, thin, burn)
        out[:, cols] = x
        rhat = max(rhat, r) if np.isfinite(r) else float("nan")
    return out, rhat


def _char(
    poly: Polytope,
    n: int,
    rng: np.random.Generator,
    chains: int,
    thin: int | None,
    burn: int | None,
) -> tuple[np.ndarray, float]:
    """Uniform points of one block, and its worst split-R-hat.

    Coordinate hit-and-run in the affine hull: from ``z``, pick one of a fixed set of
    directions ``u`` at random, find the chord ``{z + t u}`` inside the polytope and move to a
    uniform point of it; each move is reversible for the uniform law, which is therefore
    invariant. The directions are first the parameter axes projected on the hull; after half
    the burn-in they become the axes of the rounded set (rows of ``C^T``, ``C C^T`` the
    covariance of the chains' positions), and stay fixed ("coordinate hit-and-run with
    rounding", Haraldsdóttir et al., *Bioinformatics* 33, 2017).
    ``chains`` chains run side by side from the Chebyshev centre; each keeps
    every ``thin``-th step (default: six times the dimension) after ``burn`` steps (default ``20 * dim``).
    """
    centre, radius = chebyshev_centre(poly)
    if radius <= 1e-9:
        raise InfeasibleError(
            "the consistent set has no interior (an equality hides in the evidence: "
            "widen a bound min = max, or remove duplicate opposite items)"
        )
    N, Az, bz = _reduce(poly, centre)
    k = Az.shape[1]
    thin = thin or 6 * max(1, k)
    burn = burn if burn is not None else 20 * k
    per = -(-n // chains)
    out = np.empty((per, chains, k))
    z = np.zeros((chains, k))
    slack = np.tile(bz, (chains, 1))  # chains x rows
    D = N.copy()  # directions: the coordinate axes of the parameters, projected on the hull
    D = D[np.linalg.norm(D, axis=1) > 1e-12]
    history: list[np.ndarray] = []
    for step in range(burn + per * thin):
        if step == burn // 2 and history:
            pts = np.concatenate(history)
            cov = np.cov(pts, rowvar=False) + 1e-12 * np.eye(k)
            D = np.linalg.cholesky(cov).T  # rows: the axes of the rounded set
            history = []
        u = D[rng.integers(len(D), size=chains)]
        a = u @ Az.T  # chains x rows
        with np.errstate(divide="ignore", invalid="ignore"):
            t = slack / a
        t_hi = np.where(a > 1e-14, t, np.inf).min(axis=1)
        t_lo = np.where(a < -1e-14, t, -np.inf).max(axis=1)
        if not (np.all(np.isfinite(t_hi)) and np.all(np.isfinite(t_lo))):
            raise NegotiationError("the consistent set is unbounded; add bounds")
        s = rng.uniform(t_lo, t_hi)
        z = z + s[:, None] * u
        slack = slack - s[:, None] * a
        if step < burn // 2 and step >= burn // 4:
            history.append(z.copy())
        kept = step - burn
        if kept >= 0 and kept % thin == thin - 1:
            out[kept // thin] = z
    x = centre + out @ N.T  # per x chains x dim
    rhat = float(np.max(split_rhat(np.swapaxes(x, 0, 1)))) if per >= 4 else float("nan")
    return x.reshape(-1, poly.dim)[:n], rhat
