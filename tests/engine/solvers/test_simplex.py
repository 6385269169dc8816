"""The column-generation LP over lotteries: ``t`` and the value in the caller's units whatever
the gains' scale (issue 17: ``t`` came back multiplied by the internal scale when the gains
exceed 1, which broke every later leximin level and the KS second stage on points-scored
parties)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation.engine.solvers.leximin import simplex_leximin
from negotiation.engine.solvers.simplex import SimplexLP, top_rows


@given(seed=st.integers(0, 10**6), M=st.integers(2, 200), k=st.integers(2, 6))
@settings(max_examples=40, deadline=None)
def test_units_are_the_callers_at_every_scale(seed, M, k):
    rng = np.random.default_rng(seed)
    G = rng.uniform(-0.5, 1.0, (M, k))
    w = rng.random(k)
    base = SimplexLP(G).solve(np.zeros(k), t_scale=w + 0.1, c_t=1.0)
    value = SimplexLP(G).solve(w)
    for factor in (1.0, 7.0, 1e4):
        t = SimplexLP(factor * G).solve(np.zeros(k), t_scale=w + 0.1, c_t=1.0)
        # max t s.t. (f G)^T p >= t s: t scales with f, and t == value (c_t = 1, c_g = 0)
        assert abs(t[1] - factor * base[1]) <= 1e-9 * factor
        assert abs(t[2] - t[1]) <= 1e-9 * factor
        v = SimplexLP(factor * G).solve(w)
        assert abs(v[2] - factor * value[2]) <= 1e-9 * factor
        np.testing.assert_allclose(v[0] @ (factor * G) @ w, v[2], atol=1e-9 * factor)


def test_leximin_past_the_first_level_on_points():
    """A 4-party case (found by hypothesis) with gains up to 5: the max-min level 4.2 fixes
    three parties; the fourth can still get 4.6 (HiGHS agrees). With the scaled ``t`` the
    leximin stopped at the first level, 4.2 for all."""
    rng = np.random.default_rng(38)
    G = rng.integers(-2, 6, (173, 4)).astype(float)
    p = simplex_leximin(G)
    np.testing.assert_allclose(np.sort(p @ G), [4.2, 4.2, 4.2, 4.6], atol=1e-7)


@given(values=st.lists(st.integers(0, 5), min_size=1, max_size=300), count=st.integers(1, 80))
@settings(max_examples=60, deadline=None)
def test_top_rows_is_the_stable_sorts_prefix(values, count):
    """The seed columns by a partition: the same set as the stable sort's first ``count``
    (ties, which integer values make common, to the smallest index)."""
    v = np.array(values, dtype=float)
    assert top_rows(v, count).tolist() == sorted(np.argsort(-v, kind="stable")[:count].tolist())
