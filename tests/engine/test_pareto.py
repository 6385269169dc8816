"""Tests of the Pareto filter on a utility matrix (negotiation.engine.pareto).

Every fast path is checked against the O(N^2) reference ``brute_force_pareto_mask``: small
random matrices with many ties (hypothesis), and medium matrices (N = 20,000) with large
frontiers, once through the default path and once with the divide-and-conquer forced.
"""

from __future__ import annotations

import math
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import negotiation.engine.pareto_dc as pareto_dc
import negotiation.engine.pareto_kernels as pareto_kernels
from negotiation.engine.pareto import (
    brute_force_pareto_mask,
    dominates,
    pareto_indices,
    pareto_mask,
)

ROOT = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------------------------------------
# helpers and strategies
# ---------------------------------------------------------------------------------------------


def naive_mask(U: np.ndarray) -> np.ndarray:
    """The definition, one pair at a time (tiny inputs only)."""
    U = np.asarray(U, dtype=float)
    n = U.shape[0]
    return np.array(
        [not any(dominates(U[j], U[i]) for j in range(n) if j != i) for i in range(n)],
        dtype=bool,
    )


@st.composite
def tied_matrices(draw, max_rows: int = 60, min_cols: int = 1, max_cols: int = 5):
    """Small matrices of small integers (as floats): ties everywhere."""
    n = draw(st.integers(0, max_rows))
    k = draw(st.integers(min_cols, max_cols))
    top = draw(st.integers(0, 4))
    values = draw(st.lists(st.integers(0, top), min_size=n * k, max_size=n * k))
    return np.array(values, dtype=float).reshape(n, k)


@st.composite
def float_matrices(draw, max_rows: int = 60, max_cols: int = 5):
    """Small matrices of floats, with duplicated rows and some extreme values."""
    n = draw(st.integers(1, max_rows))
    k = draw(st.integers(1, max_cols))
    elem = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False) | st.sampled_from(
        [0.0, -0.0, 1.0, 0.5]
    )
    U = np.array(draw(st.lists(elem, min_size=n * k, max_size=n * k)), dtype=float)
    U = U.reshape(n, k)
    dup = draw(st.lists(st.integers(0, n - 1), max_size=5))
    return np.concatenate([U, U[dup]]) if dup else U


def check_mask(U: np.ndarray, mask: np.ndarray) -> None:
    """The three invariants: equals brute force, kept rows undominated, dropped rows dominated
    by a kept row."""
    ref = brute_force_pareto_mask(U)
    np.testing.assert_array_equal(mask, ref)
    kept = U[mask]
    for x in U[mask]:
        assert not any(dominates(y, x) for y in U)
    for x in U[~mask]:
        assert any(dominates(y, x) for y in kept)


def force_divide_and_conquer(mp: pytest.MonkeyPatch, leaf: int, kung_min: int, block: int):
    """Force the numpy divide and conquer on small inputs: tiny leaves, tiny Kung threshold, a
    block filter that hands over at once, the grid screen on every input, no moocore."""
    mp.setattr(pareto_dc, "_LEAF", leaf)
    mp.setattr(pareto_dc, "_KUNG_MIN", kung_min)
    mp.setattr(pareto_kernels, "_BLOCK", block)
    mp.setattr(pareto_dc, "_cdq_cost", lambda m, k: 0.0)
    mp.setattr(pareto_kernels, "_GRID_MIN_ROWS", 1)
    mp.setattr(pareto_kernels, "USE_MOOCORE", False)


@pytest.fixture
def small_dc(monkeypatch):
    force_divide_and_conquer(monkeypatch, leaf=4, kung_min=16, block=8)


# ---------------------------------------------------------------------------------------------
# properties
# ---------------------------------------------------------------------------------------------


@given(tied_matrices())
def test_matches_brute_force_with_ties(U):
    check_mask(U, pareto_mask(U))


@given(float_matrices())
def test_matches_brute_force_floats(U):
    check_mask(U, pareto_mask(U))


@given(tied_matrices(max_rows=40, max_cols=4))
def test_brute_force_matches_definition(U):
    np.testing.assert_array_equal(brute_force_pareto_mask(U), naive_mask(U))


@given(tied_matrices(max_rows=80, min_cols=3, max_cols=5))
def test_divide_and_conquer_paths(U):
    # Same invariants with every k >= 3 stage forced on small inputs (grid screen, hand-over
    # to divide and conquer, Kung recursion with pruning, flat levels, leaves).
    with pytest.MonkeyPatch.context() as mp:
        force_divide_and_conquer(mp, leaf=2, kung_min=8, block=4)
        mask = pareto_mask(U)
    check_mask(U, mask)


@given(tied_matrices(max_rows=80, min_cols=3, max_cols=12) | float_matrices(max_cols=8))
def test_moocore_handover(U):
    # The large-frontier hand-over to moocore, forced at once on small inputs.
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pareto_kernels, "_BLOCK", 4)
        mp.setattr(pareto_kernels, "_handover_cost", lambda m, k: 0.0)
        mp.setattr(pareto_kernels, "_GRID_MIN_ROWS", 1)
        mask = pareto_mask(U)
    check_mask(U, mask)


@given(
    tied_matrices(max_rows=80, min_cols=2, max_cols=6) | float_matrices(max_cols=6),
    st.integers(1, 7),
)
def test_chain_screen_keeps_the_frontier(U, pass_rows):
    # The chain of champions (chunked first pass, then champions by largest sum) drops only
    # rows some row strictly dominates: a superset of the brute-force frontier, ties kept.
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pareto_kernels, "_PASS_ROWS", pass_rows)
        mp.setattr(pareto_kernels, "_CHAIN_MIN_ROWS", 1)
        idx = pareto_kernels._chain_screen(np.ascontiguousarray(U, dtype=float))
    ref = brute_force_pareto_mask(U)
    kept = np.ones(U.shape[0], dtype=bool) if idx is None else np.isin(np.arange(U.shape[0]), idx)
    assert not (ref & ~kept).any()
    for x in U[~kept]:
        assert any(np.all(y > x) for y in U)


@given(
    tied_matrices(max_rows=80, min_cols=2, max_cols=6) | float_matrices(max_cols=6),
    st.integers(1, 7),
)
def test_chain_screen_path(U, pass_rows):
    # The whole default path with the chain screen on every input (it normally starts at 4096
    # rows), then the grid screen and the k = 2 sweep or the block filter.
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pareto_kernels, "_PASS_ROWS", pass_rows)
        mp.setattr(pareto_kernels, "_CHAIN_MIN_ROWS", 1)
        mp.setattr(pareto_kernels, "_GRID_MIN_ROWS", 1)
        mask = pareto_mask(U)
    check_mask(U, mask)


@given(
    tied_matrices(max_rows=80, min_cols=3, max_cols=6) | float_matrices(max_cols=6),
    st.sampled_from([0.9, 1.0]),
)
def test_large_front_path(U, share):
    # Mostly non-dominated data goes to moocore, after the grid screen unless all of the
    # sample was non-dominated: both forced on small inputs.
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pareto_kernels, "_GRID_MIN_ROWS", 1)
        mp.setattr(pareto_kernels, "_sample_front_share", lambda X: share)
        mask = pareto_mask(U)
    check_mask(U, mask)


@given(tied_matrices(max_rows=60, min_cols=3, max_cols=5), st.permutations(range(60)))
def test_row_order_does_not_matter(U, perm):
    p = np.array([i for i in perm if i < U.shape[0]], dtype=int)
    np.testing.assert_array_equal(pareto_mask(U[p]), pareto_mask(U)[p])


@given(tied_matrices(max_rows=40, max_cols=4), st.floats(0.1, 10), st.floats(-5, 5))
def test_invariant_under_positive_affine_maps(U, scale, shift):
    np.testing.assert_array_equal(pareto_mask(U * scale + shift), pareto_mask(U))


# ---------------------------------------------------------------------------------------------
# specific cases
# ---------------------------------------------------------------------------------------------


def test_ties_are_all_kept():
    U = np.array([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0], [0.0, 2.0, 3.0], [3.0, 0.0, 0.0]])
    np.testing.assert_array_equal(pareto_mask(U), [True, True, False, True])
    # k = 2: equal u0 with smaller u1 is dominated; equal vectors kept.
    V = np.array([[1.0, 1.0], [1.0, 0.5], [1.0, 1.0], [0.0, 2.0], [0.0, 1.0]])
    np.testing.assert_array_equal(pareto_mask(V), [True, False, True, True, False])


def test_tied_but_dominated_vectors_are_all_dropped():
    U = np.array([[1.0, 1.0, 1.0]] * 3 + [[2.0, 1.0, 1.0]])
    np.testing.assert_array_equal(pareto_mask(U), [False, False, False, True])


@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_empty_input(k):
    U = np.zeros((0, k))
    assert pareto_mask(U).shape == (0,)
    assert pareto_mask(U).dtype == bool
    assert pareto_indices(U).shape == (0,)
    assert pareto_mask(U, eps=0.1).shape == (0,)
    assert brute_force_pareto_mask(U).shape == (0,)


def test_single_row_and_single_column():
    assert pareto_mask(np.array([[3.0, 1.0, 2.0]])).tolist() == [True]
    U = np.array([[1.0], [3.0], [2.0], [3.0]])
    np.testing.assert_array_equal(pareto_mask(U), [False, True, False, True])
    np.testing.assert_array_equal(pareto_indices(U), [1, 3])


def test_nan_raises_with_location():
    U = np.ones((4, 3))
    U[2, 1] = np.nan
    with pytest.raises(ValueError, match=r"NaN.*row 2, column 1"):
        pareto_mask(U)
    with pytest.raises(ValueError, match="NaN"):
        brute_force_pareto_mask(U)
    with pytest.raises(ValueError, match="NaN"):
        dominates([1.0, np.nan], [0.0, 0.0])


@pytest.mark.parametrize(
    "bad",
    [np.ones(3), np.ones((2, 2, 2)), np.ones((3, 0)), np.array([[1 + 1j, 2]]), [["a", "b"]]],
)
def test_bad_shapes_and_dtypes_raise(bad):
    with pytest.raises(ValueError):
        pareto_mask(bad)


def test_input_not_mutated():
    rng = np.random.default_rng(0)
    for U in (rng.random((5000, 4)), rng.random((300, 2)), rng.integers(0, 3, (200, 3))):
        U.flags.writeable = False  # any write would raise
        before = U.copy()
        pareto_mask(U)
        pareto_mask(U, eps=0.2)
        brute_force_pareto_mask(U)
        np.testing.assert_array_equal(U, before)


def test_integer_bool_and_float32_input():
    Ui = np.array([[1, 2, 3], [1, 2, 2], [3, 0, 0]], dtype=np.int64)
    np.testing.assert_array_equal(pareto_mask(Ui), [True, False, True])
    np.testing.assert_array_equal(pareto_mask(Ui.astype(np.uint8)), [True, False, True])
    np.testing.assert_array_equal(pareto_mask(Ui.astype(np.float32)), [True, False, True])
    Ub = np.array([[True, False], [True, True], [False, True]])
    np.testing.assert_array_equal(pareto_mask(Ub), [False, True, False])
    np.testing.assert_array_equal(pareto_mask([[0, 1], [1, 0], [0, 0]]), [True, True, False])


def test_large_integers_stay_exact():
    # 2**60 and 2**60 + 1 are the same float64: a plain cast would make them a tie.
    big = 2**60
    U = np.array([[big, 5], [big + 1, 5], [big - 1, 6]], dtype=np.int64)
    np.testing.assert_array_equal(pareto_mask(U), [False, True, True])
    V = np.array([[2**53, 1], [2**53 + 1, 0], [2**53 + 1, 1]], dtype=np.uint64)
    np.testing.assert_array_equal(pareto_mask(V), [False, False, True])
    np.testing.assert_array_equal(brute_force_pareto_mask(V), [False, False, True])


def test_infinities():
    U = np.array([[np.inf, 0.0, 0.0], [1.0, 1.0, 1.0], [1.0, 1.0, -np.inf], [-np.inf] * 3])
    np.testing.assert_array_equal(pareto_mask(U), [True, True, False, False])
    check_mask(U, pareto_mask(U))
    V = np.array([[np.inf, -np.inf], [0.0, 0.0], [np.inf, 1.0]])
    np.testing.assert_array_equal(pareto_mask(V), [False, False, True])
    # eps with infinities: the exact frontier (trivially an epsilon-Pareto subset).
    np.testing.assert_array_equal(pareto_mask(U, eps=10.0), pareto_mask(U))


def test_subnormal_range():
    tiny = 5e-324
    U = np.array([[0.0, tiny, 1.0], [tiny, 0.0, 1.0], [0.0, 0.0, 1.0]] * 2000)
    np.testing.assert_array_equal(pareto_mask(U), np.tile([True, True, False], 2000))


def test_huge_finite_values_do_not_overflow():
    U = np.array([[1e308, -1e308, 0.0], [-1e308, 1e308, 0.0], [1e308, 1e308, -1.0]] * 2000)
    U[::3, 2] = np.linspace(0, 1, 2000)
    check = brute_force_pareto_mask(U)
    np.testing.assert_array_equal(pareto_mask(U), check)


def test_indices_are_sorted_ints():
    rng = np.random.default_rng(1)
    U = rng.integers(0, 5, (500, 3)).astype(float)
    idx = pareto_indices(U)
    assert idx.dtype.kind == "i"
    assert np.all(np.diff(idx) > 0)
    np.testing.assert_array_equal(idx, np.flatnonzero(pareto_mask(U)))


def test_dominates_helper():
    assert dominates([1, 1, 2], [1, 1, 1])
    assert not dominates([1, 1, 1], [1, 1, 1])
    assert not dominates([2, 0], [1, 1])
    assert not dominates(np.array([0.0]), np.array([0.0]))
    assert dominates(np.array([1.0]), np.array([0.0]))
    with pytest.raises(ValueError, match="equal length"):
        dominates([1, 2], [1, 2, 3])


# ---------------------------------------------------------------------------------------------
# epsilon-Pareto
# ---------------------------------------------------------------------------------------------


def check_epsilon(U: np.ndarray, eps) -> None:
    exact = pareto_mask(U)
    sub = pareto_mask(U, eps=eps)
    k = U.shape[1]
    e = np.broadcast_to(np.asarray(eps, dtype=float), (k,))
    assert not np.any(sub & ~exact), "epsilon subset must lie on the frontier"
    if exact.any():
        assert sub.any()
    S, F = U[sub], U[exact]
    # The guarantee: every frontier point p has s in S with s >= p - eps everywhere.
    covered = np.all(S[None, :, :] >= (F - e)[:, None, :], axis=2).any(axis=1)
    assert covered.all()
    # The size bound: mutually non-dominated boxes of the grid (counted exactly: a float
    # quotient could round across a box boundary when the range dwarfs eps).
    if exact.any():
        n_boxes = [
            int((Fraction(float(hi)) - Fraction(float(lo))) // Fraction(float(w))) + 1
            for hi, lo, w in zip(F.max(axis=0), F.min(axis=0), e * (1 - 1e-6), strict=True)
        ]
        assert int(sub.sum()) * max(n_boxes) <= math.prod(n_boxes)
    # At most one representative per box and no two representatives equal.
    assert np.unique(S, axis=0).shape[0] == S.shape[0]


@given(
    tied_matrices(max_rows=60, max_cols=4) | float_matrices(max_rows=60, max_cols=4),
    st.floats(1e-3, 5.0),
)
def test_epsilon_guarantee(U, eps):
    check_epsilon(U, eps)


@given(float_matrices(max_rows=40, max_cols=3), st.data())
def test_epsilon_per_column(U, data):
    k = U.shape[1]
    eps = data.draw(st.lists(st.floats(1e-2, 1e6), min_size=k, max_size=k))
    check_epsilon(U, eps)


@pytest.mark.parametrize(
    "U, eps",
    [
        # Found by hypothesis: 2^30 + ... boxes in column 1, one in column 0. The exact-frontier
        # fall-back returned both rows where the bound allows one box.
        (np.array([[1.6e-203, 553738.0], [1e-16, -520003.0]]), 0.001),
        (np.array([[-4.8e5, 1.6e-203], [5.9e5, 0.0], [5.9e5, 0.0], [0.0, 1.0]]), 1e-3),
        (np.array([[1e308, -1e308], [-1e308, 1e308], [-1e308, 1e308]]), 1.0),
    ],
)
def test_epsilon_huge_ranges(U, eps):
    check_epsilon(U, eps)


def test_epsilon_shrinks_a_large_frontier():
    rng = np.random.default_rng(3)
    U = rng.dirichlet(np.ones(3), 5000)  # every row is on the frontier
    assert pareto_mask(U).all()
    for eps in (0.3, 0.1, 0.02):
        check_epsilon(U, eps)
    # About (1/eps)^2 / 2 boxes on the triangle, well under the grid bound of 11^3 / 11.
    assert pareto_mask(U, eps=0.1).sum() <= 70
    assert pareto_mask(U, eps=0.02).sum() < 5000 // 2
    # A tiny eps on a small frontier: every box holds one point, the subset is the frontier.
    V = np.array([[0.0, 1.0], [1.0, 0.0], [0.5, 0.5], [0.1, 0.1]])
    np.testing.assert_array_equal(pareto_mask(V, eps=1e-3), pareto_mask(V))


def test_epsilon_duplicates_keep_one_representative():
    U = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    np.testing.assert_array_equal(pareto_mask(U, eps=0.01), [True, False, True])


def test_epsilon_below_resolution_falls_back_to_exact():
    U = np.array([[0.0, 1e12], [1e12, 0.0], [5e11, 5e11]])
    np.testing.assert_array_equal(pareto_mask(U, eps=1e-3), pareto_mask(U))


@pytest.mark.parametrize("eps", [0.0, -1.0, np.nan, np.inf, [0.1, 0.1], [[0.1, 0.1, 0.1]]])
def test_bad_eps_raises(eps):
    with pytest.raises(ValueError, match="eps"):
        pareto_mask(np.ones((4, 3)), eps=eps)


# ---------------------------------------------------------------------------------------------
# medium inputs: every stage on realistic sizes, against brute force
# ---------------------------------------------------------------------------------------------


def medium_matrix(k: int, seed: int) -> np.ndarray:
    """20,000 rows: a large tied frontier (points of a simplex rounded to a grid, so ties and
    near-ties abound), many dominated interior points, and exact duplicates."""
    rng = np.random.default_rng(seed)
    simplex = np.round(rng.dirichlet(np.ones(k), 8000) * 40) / 40
    interior = rng.dirichlet(np.ones(k), 11000) * rng.random((11000, 1)) ** 0.3
    U = np.concatenate([simplex, interior, simplex[:1000]])
    return U[rng.permutation(U.shape[0])]


@pytest.fixture(scope="module", params=[3, 4])
def medium(request):
    U = medium_matrix(request.param, seed=request.param)
    return U, brute_force_pareto_mask(U)


def test_medium_default_path(medium):
    U, ref = medium
    assert ref.sum() > 500  # a large frontier, so every stage is exercised
    np.testing.assert_array_equal(pareto_mask(U), ref)


def test_medium_divide_and_conquer(medium, small_dc):
    U, ref = medium
    np.testing.assert_array_equal(pareto_mask(U), ref)


@pytest.mark.parametrize("k", [2, 3, 4, 6])
def test_medium_uniform_cloud(k):
    # A uniform cloud: the chain screen drops most rows before the block filter or the sweep;
    # a few exact copies of frontier rows and of dropped rows check that ties are kept/dropped.
    rng = np.random.default_rng(100 + k)
    U = rng.random((20000, k))
    ref = brute_force_pareto_mask(U)
    V = np.concatenate([U, U[ref][:5], U[~ref][:5]])
    expect = np.concatenate([ref, np.ones(min(5, ref.sum()), bool), np.zeros(5, bool)])
    np.testing.assert_array_equal(pareto_mask(U), ref)
    np.testing.assert_array_equal(pareto_mask(V), expect)


def test_medium_all_non_dominated():
    rng = np.random.default_rng(7)
    U = rng.dirichlet(np.ones(4), 20000)  # all on the simplex
    assert pareto_mask(U).all()
    V = np.concatenate([U, U[:100] * 0.999])  # plus a few dominated copies
    expect = np.concatenate([np.ones(20000, bool), np.zeros(100, bool)])
    np.testing.assert_array_equal(pareto_mask(V), expect)


def test_additive_negotiation_matrix():
    # A product space of 4 issues x 5 levels for 4 parties with additive utilities.
    rng = np.random.default_rng(11)
    vals = rng.integers(0, 4, (4, 4, 5)).astype(float)  # party, issue, level
    levels = np.indices((5,) * 4).reshape(4, -1).T
    U = np.stack([vals[p, np.arange(4), levels].sum(axis=1) for p in range(4)], axis=1)
    np.testing.assert_array_equal(pareto_mask(U), brute_force_pareto_mask(U))


# ---------------------------------------------------------------------------------------------
# benchmark script smoke test
# ---------------------------------------------------------------------------------------------


def test_benchmark_quick_runs():
    script = ROOT / "benchmarks" / "bench_pareto.py"
    out = subprocess.run(
        [sys.executable, str(script), "--quick", "--peers", "none"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert "ours" in out.stdout
