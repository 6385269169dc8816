"""The Nash product over mixtures of a few columns, against a fine grid and the KKT condition."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation.engine.solvers.nash_convex import nash_colgen, nash_master


@given(seed=st.integers(0, 10**6))
@settings(max_examples=40, deadline=None)
def test_two_columns_against_a_grid(seed):
    rng = np.random.default_rng(seed)
    G = rng.uniform(0.05, 1.0, (2, 2))
    alpha = rng.uniform(0.5, 2.0, 2)
    p = nash_master(G, alpha)
    t = np.linspace(0, 1, 20001)
    grid = np.log(np.outer(t, G[0]) + np.outer(1 - t, G[1])) @ alpha
    assert alpha @ np.log(p @ G) >= grid.max() - 1e-9


@given(seed=st.integers(0, 10**6), s=st.integers(2, 8), k=st.integers(2, 4))
@settings(max_examples=40, deadline=None)
def test_colgen_meets_the_kkt_condition_over_all_columns(seed, s, k):
    rng = np.random.default_rng(seed)
    G = rng.uniform(0.01, 1.0, (s, k))
    alpha = rng.uniform(0.5, 2.0, k)

    def oracle(lam):
        j = int(np.argmax(G @ lam))
        return G[j], j

    w, cols = nash_colgen(oracle, [(G[0], 0)], alpha)
    g = w @ np.array([c[0] for c in cols])
    # optimal iff no column improves along the gradient: max_j G_j . (alpha / g) <= sum alpha
    assert (G @ (alpha / g)).max() <= alpha.sum() * (1 + 1e-8)
