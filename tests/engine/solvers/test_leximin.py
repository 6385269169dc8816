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
