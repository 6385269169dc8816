"""Hull vertices against a brute-force test (is a point a mixture of the others?), and the
Carathéodory reduction keeping the mixture."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from negotiation.engine.solvers.hull import hull_rows, reduce_support


def is_mixture_of_others(X: np.ndarray, i: int) -> bool:
    others = np.delete(X, i, axis=0)
    others = others[~np.all(others == X[i], axis=1)]  # a copy of the point does not count
    if others.shape[0] == 0:
        return False
    A_eq = np.vstack([others.T, np.ones(others.shape[0])])
    res = linprog(np.zeros(others.shape[0]), A_eq=A_eq, b_eq=np.r_[X[i], 1.0], method="highs")
    return res.status == 0


@given(seed=st.integers(0, 10**6), n=st.integers(1, 25), k=st.integers(2, 3))
@settings(max_examples=40, deadline=None)
def test_hull_rows_are_the_points_that_are_no_mixture_of_the_others(seed, n, k):
    X = np.random.default_rng(seed).integers(0, 6, (n, k)).astype(float)
    rows = hull_rows(X)
    _, first = np.unique(X, axis=0, return_index=True)
    expected = [i for i in sorted(first) if not is_mixture_of_others(X, i)]
    assert rows.tolist() == expected


@given(seed=st.integers(0, 10**6), n=st.integers(1, 12), k=st.integers(1, 3))
@settings(max_examples=40, deadline=None)
def test_reduce_support_keeps_the_mixture_on_at_most_k_plus_1_points(seed, n, k):
    rng = np.random.default_rng(seed)
    pts = rng.uniform(0, 1, (n, k))
    p = rng.dirichlet(np.ones(n))
    w = reduce_support(pts, p, k + 1)
    assert (w > 0).sum() <= k + 1
    assert abs(w.sum() - 1.0) < 1e-12
    np.testing.assert_allclose(w @ pts, p @ pts, atol=1e-9)
