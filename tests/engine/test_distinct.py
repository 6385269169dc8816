"""Distinct rows and the collapsed Pareto mask (negotiation.engine.distinct) against brute force."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation.engine.distinct import collapsed_mask, distinct_rows
from negotiation.engine.pareto import pareto_mask


def _brute_pareto(U: np.ndarray) -> np.ndarray:
    """O(N^2) definition: row x is dominated if some y >= x everywhere and > somewhere."""
    n = U.shape[0]
    out = np.ones(n, dtype=bool)
    for i in range(n):
        for j in range(n):
            if np.all(U[j] >= U[i]) and np.any(U[j] > U[i]):
                out[i] = False
                break
    return out


# Few distinct values per column, many repeats: the tie-heavy case the collapse is for.
matrices = st.integers(1, 4).flatmap(
    lambda k: st.lists(
        st.lists(st.sampled_from([0.0, 0.1, 0.25, 0.5, 1.0, -0.0]), min_size=k, max_size=k),
        min_size=0,
        max_size=150,
    ).map(lambda rows: np.array(rows, dtype=float).reshape(len(rows), k))
)


@given(matrices)
@settings(max_examples=60, deadline=None)
def test_distinct_rows_matches_numpy_unique(U):
    D, inv = distinct_rows(U)
    want_D, want_inv = np.unique(U, axis=0, return_inverse=True)
    assert np.array_equal(D, want_D)
    assert np.array_equal(inv, want_inv.reshape(-1))
    assert np.array_equal(D[inv], U)


@given(matrices)
@settings(max_examples=60, deadline=None)
def test_collapsed_mask_equals_brute_force(U):
    got = collapsed_mask(U, pareto_mask)
    assert np.array_equal(got, _brute_pareto(U))


def test_collapse_used_on_ties_and_not_mutating():
    rng = np.random.default_rng(7)
    base = rng.random((30, 3))
    U = base[rng.integers(0, 30, size=3000)]
    before = U.copy()
    calls = []

    def spy(V):
        calls.append(V.shape[0])
        return pareto_mask(V)

    got = collapsed_mask(U, spy)
    assert calls == [len(np.unique(U, axis=0))]  # filtered the distinct vectors only
    assert np.array_equal(got, pareto_mask(U))
    assert np.array_equal(U, before)


def test_wide_radix_falls_back():
    # 4 columns of 2^16 distinct values each: the mixed-radix key would overflow int64.
    rng = np.random.default_rng(1)
    U = rng.permuted(np.tile(np.arange(1 << 16, dtype=float), (4, 1)), axis=1).T
    U = np.vstack([U, U[:5]])
    D, inv = distinct_rows(U)
    assert np.array_equal(D[inv], U)
    assert np.array_equal(D, np.unique(U, axis=0))
