"""The active-set Newton method for the Nash product over lotteries (issue 17): its KKT
certificate over every row, against a fine grid, against the SLSQP column generation it
replaced (same optimum: the objective to 1e-12 of sum alpha, the expected gains to 1e-6 of
their scale, both solvers being certified to the KKT tolerance 1e-10 only), degenerate starts,
and the refusals (``None``) that send the caller to the fallback."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation.engine.solvers.nash_convex import nash_colgen, nash_master
from negotiation.engine.solvers.nash_newton import KKT_TOL, kkt_gap, nash_active_set


def problem(seed: int, M: int, k: int, negative: bool):
    """Random gains (some below zero when ``negative``: rows a party refuses alone), exponents,
    and a start with every expected gain positive (the best row for the smallest gain, mixed
    with the uniform weights if needed)."""
    rng = np.random.default_rng(seed)
    G = rng.uniform(-0.6 if negative else 0.01, 1.0, (M, k))
    G[rng.integers(M)] = rng.uniform(0.05, 0.3, k)  # some row with every gain positive
    alpha = rng.uniform(0.2, 5.0, k)
    p0 = np.zeros(M)
    p0[int(np.argmax(G.min(axis=1)))] = 1.0
    return G, alpha, p0


@settings(max_examples=80, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    M=st.integers(1, 60),
    k=st.integers(2, 7),
    negative=st.booleans(),
)
def test_certified_and_equal_to_the_slsqp_path(seed, M, k, negative):
    G, alpha, p0 = problem(seed, M, k, negative)
    p = nash_active_set(G, alpha, p0)
    assert p is not None
    assert p.min() >= 0 and p.sum() == pytest.approx(1.0, abs=1e-15)
    assert (p > 0).sum() <= k + 1
    assert kkt_gap(G, alpha, p) <= KKT_TOL  # optimal over every row, not only the support
    # The SLSQP column generation (the fallback) reaches the same optimum: the Nash point is
    # unique in the gains, so gains agree up to the two solvers' certified tolerance.
    start = sorted({int(np.argmax(p0))} | {int(np.argmax(G[:, i])) for i in range(k)})

    def oracle(lam):
        j = int(np.argmax(G @ lam))
        return G[j], j

    w, cols = nash_colgen(oracle, [(G[j], j) for j in start], alpha)
    q_old = w @ np.array([c[0] for c in cols])
    q_new = p @ G
    f_new, f_old = float(alpha @ np.log(q_new)), float(alpha @ np.log(q_old))
    assert f_new >= f_old - 1e-12 * alpha.sum()
    np.testing.assert_allclose(q_new, q_old, atol=1e-6 * np.abs(G).max())


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_two_rows_against_a_grid(seed):
    rng = np.random.default_rng(seed)
    G = rng.uniform(0.05, 1.0, (2, 2))
    alpha = rng.uniform(0.5, 2.0, 2)
    p = nash_active_set(G, alpha, np.array([1.0, 0.0]))
    t = np.linspace(0, 1, 20001)
    grid = np.log(np.outer(t, G[0]) + np.outer(1 - t, G[1])) @ alpha
    assert alpha @ np.log(p @ G) >= grid.max() - 1e-12
    assert alpha @ np.log(p @ G) >= alpha @ np.log(nash_master(G, alpha) @ G) - 1e-12


def test_closed_form_on_a_segment_and_a_dominating_row():
    # Between (1, 0) and (0, 1) the Nash point gives party i the share alpha_i / sum alpha.
    G = np.array([[1.0, 0.0], [0.0, 1.0], [0.3, 0.3], [0.1, 0.2]])
    for alpha in ([1.0, 1.0], [1.0, 3.0], [5.0, 1.0]):
        a = np.array(alpha)
        p = nash_active_set(G, a, np.array([0.0, 0.0, 1.0, 0.0]))
        np.testing.assert_allclose(p @ G, a / a.sum(), atol=1e-14)
    # A row that dominates every mixture is the answer alone.
    G = np.array([[0.9, 0.9, 0.9], [1.0, 0.0, 0.2], [0.1, 0.95, 0.1], [0.5, 0.5, 0.5]])
    p = nash_active_set(G, np.ones(3), np.array([0.0, 0.0, 0.0, 1.0]))
    assert p.tolist() == [1.0, 0.0, 0.0, 0.0]


def test_a_degenerate_start_is_reduced_first():
    # Duplicated and affinely dependent rows in the start (all on the line u1 + u2 = 1):
    # Carathéodory reduces them to an affinely independent working set first.
    G = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5], [0.5, 0.5], [0.25, 0.75]])
    p = nash_active_set(G, np.ones(2), np.full(5, 0.2))
    assert p is not None and (p > 0).sum() <= 2
    np.testing.assert_allclose(p @ G, [0.5, 0.5], atol=1e-14)


def test_refusals_send_the_caller_to_its_fallback():
    G = np.array([[1.0, -1.0], [-1.0, 1.0]])
    assert nash_active_set(G, np.ones(2), np.array([1.0, 0.0])) is None  # a gain <= 0
    assert nash_active_set(G, np.ones(2), np.array([0.5, 0.5])) is None  # the gains are 0
    G = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert nash_active_set(G, np.array([1.0, 0.0]), np.array([0.5, 0.5])) is None  # alpha 0
    assert nash_active_set(G, np.ones(2), np.array([1.5, -0.5])) is None  # not weights
    assert nash_active_set(G, np.ones(2), np.ones(3)) is None  # wrong length
    assert nash_active_set(G, np.ones(2), np.array([0.5, 0.5]), max_rounds=0) is None


def test_kkt_gap_is_the_certificate():
    G = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.6]])
    assert kkt_gap(G, np.ones(2), np.array([0.0, 0.0, 1.0])) == pytest.approx(0.0, abs=1e-15)
    assert kkt_gap(G, np.ones(2), np.array([0.5, 0.5, 0.0])) == pytest.approx(0.2)
    assert kkt_gap(G, np.ones(2), np.array([1.0, 0.0, 0.0])) == np.inf
