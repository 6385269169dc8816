"""Polytopes: feasibility, Chebyshev centre and coordinate bounds against closed forms, the
minimal conflicting subset against brute force, the hit-and-run sampler against known uniform
laws (KS tests at fixed seeds), split-R-hat."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from negotiation.engine.polytope import (
    Polytope,
    blocks,
    chebyshev_centre,
    feasible,
    hit_and_run,
    minimal_conflict,
    parameter_bounds,
    split_rhat,
)


def _box(lo: np.ndarray, hi: np.ndarray) -> Polytope:
    n = len(lo)
    A = np.vstack([np.eye(n), -np.eye(n)])
    return Polytope(A, np.concatenate([hi, -lo]), np.zeros((0, n)), np.zeros(0), tuple("xyz"[:n]))


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.floats(-5, 5), min_size=2, max_size=3),
    st.lists(st.floats(0.1, 4), min_size=3, max_size=3),
)
def test_box_centre_radius_and_bounds_closed_form(lows, widths):
    """A box [lo, lo + w]: bounds are its faces, the largest ball has radius min(w) / 2."""
    lo = np.array(lows)
    w = np.array(widths[: len(lows)])
    box = _box(lo, lo + w)
    low, high = parameter_bounds(box)
    np.testing.assert_allclose(low, lo, atol=1e-9)
    np.testing.assert_allclose(high, lo + w, atol=1e-9)
    centre, radius = chebyshev_centre(box)
    assert radius == pytest.approx(w.min() / 2, abs=1e-9)
    assert box.contains(centre)
    assert feasible(box)
    assert not feasible(box.add(np.eye(len(lo))[:1], np.array([lo[0] - 1.0])))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(-3, 3), st.booleans()), min_size=2, max_size=6))
def test_minimal_conflict_against_brute_force(items):
    """Items ``x <= c`` or ``x >= c`` on one coordinate in [-10, 10]: a subset is infeasible iff
    some ``x >= a`` and ``x <= b`` have ``a > b``; the result must be infeasible and every
    proper subset of it feasible (checked by enumerating the subsets)."""
    prior = _box(np.array([-10.0]), np.array([10.0]))
    rows = [
        (np.array([[-1.0]]), np.array([-float(c) - 0.5]))
        if ge
        else (np.array([[1.0]]), np.array([float(c)]))
        for c, ge in items
    ]  # x >= c + 0.5, or x <= c

    def infeasible(idx) -> bool:
        lo = max([c + 0.5 for k, (c, ge) in enumerate(items) if k in idx and ge], default=-10)
        hi = min([c for k, (c, ge) in enumerate(items) if k in idx and not ge], default=10)
        return lo > hi

    if not infeasible(set(range(len(items)))):
        return
    conflict = minimal_conflict(prior, rows)
    assert infeasible(set(conflict))
    for r in range(len(conflict)):
        for sub in itertools.combinations(conflict, r):
            assert not infeasible(set(sub))
    assert len(conflict) == 2  # one lower and one upper bound suffice on a line


def test_blocks_are_the_uncoupled_groups():
    A = np.array([[1.0, 0, 0, 0], [0, 1.0, 1.0, 0]])
    poly = Polytope(A, np.ones(2), np.zeros((0, 4)), np.zeros(0), ("a", "b", "c", "d"))
    assert [g.tolist() for g in blocks(poly)] == [[0], [1, 2], [3]]


def _simplex(n: int) -> Polytope:
    return Polytope(
        -np.eye(n), np.zeros(n), np.ones((1, n)), np.ones(1), tuple(f"x{i}" for i in range(n))
    )


def test_sampler_uniform_on_a_simplex():
    """Uniform on the 3-simplex: each coordinate is Beta(1, 2) (KS test, fixed seed)."""
    x, rhat = hit_and_run(_simplex(3), 2000, seed=11)
    assert np.allclose(x.sum(axis=1), 1) and np.all(x >= -1e-12)
    assert rhat < 1.05
    for j in range(3):
        assert stats.kstest(x[:, j], stats.beta(1, 2).cdf).pvalue > 0.01


def test_sampler_uniform_on_a_box():
    """Uniform on [0, 1] x [-2, 3]: uniform marginals (KS test, fixed seed)."""
    A = np.vstack([np.eye(2), -np.eye(2)])
    b = np.array([1.0, 3.0, 0.0, 2.0])
    box = Polytope(A, b, np.zeros((0, 2)), np.zeros(0), ("a", "b"))
    x, rhat = hit_and_run(box, 2000, seed=5)
    assert rhat < 1.05
    assert stats.kstest(x[:, 0], stats.uniform(0, 1).cdf).pvalue > 0.01
    assert stats.kstest(x[:, 1], stats.uniform(-2, 5).cdf).pvalue > 0.01


def test_split_rhat_flags_disagreeing_chains():
    rng = np.random.default_rng(0)
    good = rng.normal(size=(4, 500, 1))
    bad = good + np.arange(4)[:, None, None]
    assert split_rhat(good)[0] < 1.02 < 1.5 < split_rhat(bad)[0]
