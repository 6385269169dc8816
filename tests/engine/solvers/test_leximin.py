"""Leximin over lotteries against random mixtures, its first level against a max-min programme
written here."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from negotiation.engine.solvers.leximin import simplex_leximin


def maxmin_value(G: np.ndarray) -> float:
    s, k = G.shape
    res = linprog(
        np.r_[np.zeros(s), -1.0],
        A_ub=np.hstack([-G.T, np.ones((k, 1))]),
        b_ub=np.zeros(k),
        A_eq=np.r_[np.ones(s), 0.0][None, :],
        b_eq=[1.0],
        bounds=[(0, None)] * s + [(None, None)],
        method="highs",
    )
    return float(-res.fun)


def leximin_greater(a: np.ndarray, b: np.ndarray, tol: float) -> bool:
    for x, y in zip(np.sort(a), np.sort(b), strict=True):
        if x > y + tol:
            return True
        if x < y - tol:
            return False
    return False


@given(seed=st.integers(0, 10**6), s=st.integers(1, 10), k=st.integers(2, 4))
@settings(max_examples=40, deadline=None)
def test_simplex_leximin_first_level_and_no_better_mixture(seed, s, k):
    rng = np.random.default_rng(seed)
    G = rng.uniform(-0.5, 1.0, (s, k))
    p = simplex_leximin(G)
    assert p.min() >= 0 and abs(p.sum() - 1) < 1e-9
    g = p @ G
    assert abs(g.min() - maxmin_value(G)) < 1e-8
    for q in rng.dirichlet(np.ones(s), 200):
        assert not leximin_greater(q @ G, g, 1e-7)


def leximin_levels_by_highs(G: np.ndarray) -> np.ndarray:
    """Brute force: the leximin levels by sequential HiGHS programmes over every row (each
    party tested by a programme of its own), sorted."""
    M, k = G.shape
    level = np.full(k, -np.inf)
    free = np.ones(k, dtype=bool)
    while free.any():
        # max t s.t. g_i >= t (free), g_i >= level_i - 1e-9 (fixed), p on the simplex
        A = np.hstack([-G.T, free[:, None].astype(float)])
        b = np.where(free, 0.0, -(level - 1e-9))
        res = linprog(np.r_[np.zeros(M), -1.0], A_ub=A, b_ub=b,
                      A_eq=np.r_[np.ones(M), 0.0][None, :], b_eq=[1.0],
                      bounds=[(0, None)] * M + [(None, None)], method="highs")  # fmt: skip
        t = -res.fun
        lower = np.where(free, t - 1e-9, level - 1e-9)
        for i in np.flatnonzero(free):
            r = linprog(-G[:, i], A_ub=-G.T, b_ub=-lower, A_eq=np.ones((1, M)), b_eq=[1.0],
                        bounds=[(0, None)] * M, method="highs")  # fmt: skip
            if -r.fun <= t + 1e-7:
                level[i], free[i] = t, False
    return np.sort(level)


@given(seed=st.integers(0, 10**6), M=st.integers(100, 300), k=st.integers(3, 9))
@settings(max_examples=15, deadline=None)
def test_simplex_leximin_with_column_generation_and_ties_matches_highs(seed, M, k):
    """Many rows (column generation: the masters see a few of them) and integer gains (ties,
    degenerate prices: several leximin rounds, each master warm-started from the last one or
    from the previous solution) against the brute-force levels."""
    rng = np.random.default_rng(seed)
    G = rng.integers(-2, 6, (M, k)).astype(float)
    p = simplex_leximin(G)
    assert p.min() >= 0 and abs(p.sum() - 1) < 1e-12
    np.testing.assert_allclose(np.sort(p @ G), leximin_levels_by_highs(G), atol=1e-7)
