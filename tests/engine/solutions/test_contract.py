"""The contract every registered solution keeps, in each variant (pure, lottery, continuous).

Each test runs over :data:`SOLUTIONS`, so a new rule is held to the contract as soon as it is
registered. Expected values are derived independently of the rules' code: Pareto optimality of
a lottery by a linear programme written here with scipy (is there a mixture in the cut hull
that gives every party at least as much and some party more?), of a pure deal by comparing
with every row, of a continuous deal by comparing with a grid of deals evaluated by
:func:`continuous_utilities`.

Random problems are *generic* (utilities drawn from a continuous distribution), so that each
rule's choice is unique and the properties that hold "up to ties" hold exactly.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog
from strategies import scenarios

import negotiation as ng
from negotiation.engine.continuous import ContinuousProblem, continuous_utilities
from negotiation.engine.frontier import enumerate_frontier
from negotiation.engine.solutions import SOLUTIONS
from negotiation.model.scenario import reservation_tolerance

NAMES = list(SOLUTIONS)

#: Rules whose lottery on a symmetric two-party problem need not give equal gains: utilitarian's
#: maximisers on a symmetric set come in mirror pairs (it is anonymous, tested below, but not
#: single-valued), so it picks one vertex of the pair.
NOT_SINGLE_VALUED_ON_SYMMETRIC = {"utilitarian"}


def generic_problem(seed: int, M: int, P: int, below: bool) -> tuple[np.ndarray, np.ndarray]:
    """``M x P`` utilities and a disagreement point; row 0 gives everyone a positive gain, and
    with ``below`` some rows lie below ``d`` for some party (deals refused alone)."""
    rng = np.random.default_rng(seed)
    d = rng.uniform(0.0, 0.3, P)
    U = rng.uniform(0.0, 1.0, (M, P)) if below else d + rng.uniform(0.01, 1.0, (M, P))
    U[0] = d + rng.uniform(0.05, 0.5, P)
    return U, d


def powers(seed: int, P: int) -> np.ndarray:
    return np.random.default_rng(seed + 1).uniform(0.5, 3.0, P)


def dominated_in_cut_hull(U: np.ndarray, d: np.ndarray, u: np.ndarray) -> float:
    """How much more (in summed gains) some lottery of the cut hull gives than ``u`` while giving
    every party at least ``u``: 0 when ``u`` is Pareto optimal on the hull."""
    M, P = U.shape
    res = linprog(
        -U.sum(axis=1),
        A_ub=-U.T,
        b_ub=-np.maximum(u, d),
        A_eq=np.ones((1, M)),
        b_eq=[1.0],
        bounds=(0, None),
        method="highs",
    )
    assert res.status in (0, 2)
    return 0.0 if res.status == 2 else float(-res.fun - u.sum())


# -- pure ------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
@given(seed=st.integers(0, 10**6), M=st.integers(1, 30), P=st.integers(2, 4))
@settings(max_examples=40, deadline=None)
def test_pure_index_pareto_anonymous_deterministic_and_scale_invariant(name, seed, M, P):
    solution = SOLUTIONS[name]
    U, d = generic_problem(seed, M, P, below=False)
    alpha = powers(seed, P)
    U0, d0 = U.copy(), d.copy()
    k = solution.index(U, d, power=alpha)
    np.testing.assert_array_equal(U, U0)  # inputs untouched
    np.testing.assert_array_equal(d, d0)
    assert solution.index(U, d, power=alpha) == k  # deterministic
    u = U[k]
    assert not np.any(np.all(U >= u, axis=1) & np.any(U > u, axis=1))  # Pareto among the rows
    perm = np.random.default_rng(seed).permutation(P)
    assert solution.index(U[:, perm], d[perm], power=alpha[perm]) == k  # anonymous
    if solution.scale_invariant:
        a = np.random.default_rng(seed + 2).uniform(0.1, 10.0, P)
        b = np.random.default_rng(seed + 3).uniform(-5.0, 5.0, P)
        assert solution.index(U * a + b, d * a + b, power=alpha) == k


@given(s=scenarios(max_parties=3, max_issues=3))
@settings(max_examples=40, deadline=None)
def test_pure_on_a_frontier_is_a_feasible_frontier_deal(s):
    f = enumerate_frontier(s)
    if f.is_empty:
        return
    before = f.utilities.copy()
    d = s.reservations
    for name, solution in SOLUTIONS.items():
        deal = solution.pure(f)
        assert deal == solution(f) == solution.pure(f)  # calling is pure(); deterministic
        row = np.flatnonzero((f.levels == deal.levels).all(axis=1))
        assert row.size == 1, name  # a frontier deal: Pareto-feasible
        assert np.all(deal.utilities >= d - reservation_tolerance(d)), name
    np.testing.assert_array_equal(f.utilities, before)


# -- lottery ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
@given(seed=st.integers(0, 10**6), M=st.integers(2, 14), P=st.integers(2, 3))
@settings(max_examples=25, deadline=None)
def test_lottery_in_the_cut_hull_pareto_anonymous_and_deterministic(name, seed, M, P):
    solution = SOLUTIONS[name]
    U, d = generic_problem(seed, M, P, below=True)
    alpha = powers(seed, P)
    U0 = U.copy()
    rows, p = solution.lottery_weights(U, d, power=alpha)
    np.testing.assert_array_equal(U, U0)
    assert rows.size <= P and np.all(p > 0) and p.sum() == pytest.approx(1.0, abs=1e-12)
    u = p @ U[rows]
    assert np.all(u >= d - reservation_tolerance(d))  # individually rational in expectation
    assert dominated_in_cut_hull(U, d, u) <= 1e-7
    rows2, p2 = solution.lottery_weights(U, d, power=alpha)
    np.testing.assert_array_equal(rows2, rows)
    np.testing.assert_array_equal(p2, p)
    perm = np.random.default_rng(seed).permutation(P)
    r3, p3 = solution.lottery_weights(U[:, perm], d[perm], power=alpha[perm])
    np.testing.assert_allclose(p3 @ U[r3][:, perm], u[perm], atol=1e-6)
    if solution.scale_invariant:
        a = np.random.default_rng(seed + 2).uniform(0.1, 10.0, P)
        b = np.random.default_rng(seed + 3).uniform(-5.0, 5.0, P)
        r4, p4 = solution.lottery_weights(U * a + b, d * a + b, power=alpha)
        np.testing.assert_allclose(p4 @ U[r4], u, atol=1e-6)


@pytest.mark.parametrize("name", NAMES)
@given(seed=st.integers(0, 10**6), m=st.integers(1, 8), c=st.floats(0.0, 0.3))
@settings(max_examples=25, deadline=None)
def test_lottery_symmetric_on_symmetric_problems(name, seed, m, c):
    if name in NOT_SINGLE_VALUED_ON_SYMMETRIC:
        return
    A = np.random.default_rng(seed).uniform(0.0, 1.0, (m, 2))
    U = np.vstack([A, A[:, ::-1], [[0.5, 0.5]]])  # a set closed under swapping the parties
    rows, p = SOLUTIONS[name].lottery_weights(U, [c, c])
    u = p @ U[rows]
    assert u[0] == pytest.approx(u[1], abs=1e-7)


def test_lottery_on_a_frontier_mixes_frontier_candidates():
    f = enumerate_frontier(ng.load_scenario("textbook_two_party"))
    d = f.disagreement
    for name, solution in SOLUTIONS.items():
        lot, again = solution.lottery(f), solution.lottery(f)
        np.testing.assert_array_equal(lot.probabilities, again.probabilities)  # deterministic
        assert [x.terms for x in lot.deals] == [x.terms for x in again.deals]
        assert len(lot.deals) <= len(d)
        assert lot.probabilities.sum() == pytest.approx(1.0, abs=1e-12)
        assert np.all(lot.utilities >= d - reservation_tolerance(d)), name


# -- continuous ------------------------------------------------------------------------------
DOWN = ((0.0, 1.0), (100.0, 0.0))


def mixed_scenario() -> ng.Scenario:
    """Two continuous issues and a discrete one, three parties, reservations and a power."""
    return ng.Scenario(
        "mixed",
        (
            ng.Issue("share", range=(0.0, 100.0)),
            ng.Issue("x", range=(0.0, 10.0)),
            ng.Issue("c", ("a", "b", "c")),
        ),
        (
            ng.Party("A", {"share": 1, "x": 0.5, "c": 0.3}, power=3.0, reservation=0.1),
            ng.Party(
                "B",
                {"share": 1, "x": 1, "c": 1},
                {
                    "share": ((0, 1.0), (30, 0.9), (100, 0.0)),
                    "x": ((0, 1.0), (10, 0.0)),
                    "c": {"a": 0, "b": 1, "c": 0.5},
                },
            ),
            ng.Party("C", {"x": 1, "c": 1}, {"c": {"a": 1, "b": 0.2, "c": 0.0}}),
        ),
    )


def symmetric_pie() -> ng.Scenario:
    """Two parties who value two continuous issues in mirror image, equal reservations."""
    return ng.Scenario(
        "pie",
        (ng.Issue("share", range=(0.0, 100.0)), ng.Issue("y", range=(0.0, 100.0))),
        (
            ng.Party("A", {"share": 1, "y": 3}, {"share": ((0, 0.0), (100, 1.0))}, reservation=0.2),
            ng.Party("B", {"share": 3, "y": 1}, {"share": DOWN, "y": DOWN}, reservation=0.2),
        ),
    )


def grid_utilities(s: ng.Scenario, steps: int = 21) -> np.ndarray:
    """Utilities of every deal of a grid over the issues (continuous ranges cut in ``steps``)."""
    axes = [np.linspace(*i.range, steps) if i.is_continuous else list(i.levels) for i in s.issues]
    return np.array(
        [
            continuous_utilities(s, dict(zip(s.issue_names, point, strict=True)))
            for point in itertools.product(*axes)
        ]
    )


@pytest.mark.parametrize("name", NAMES)
def test_continuous_individually_rational_pareto_consistent_and_deterministic(name):
    s = mixed_scenario()
    problem = ContinuousProblem(s)
    sol = SOLUTIONS[name].continuous(problem)
    assert sol.name == name
    d = s.reservations
    assert np.all(sol.utilities >= d - reservation_tolerance(d))
    np.testing.assert_allclose(continuous_utilities(s, sol.x), sol.utilities, atol=1e-9)
    grid = grid_utilities(s, 11)
    better = np.all(grid >= sol.utilities - 1e-9, axis=1) & np.any(
        grid > sol.utilities + 1e-7, axis=1
    )
    assert not better.any(), grid[better][:3]  # no grid deal dominates it
    again = SOLUTIONS[name].continuous(ContinuousProblem(s))
    assert again.x == sol.x


@pytest.mark.parametrize("name", NAMES)
def test_continuous_symmetric_on_a_symmetric_pie(name):
    if name in NOT_SINGLE_VALUED_ON_SYMMETRIC:
        return
    sol = ContinuousProblem(symmetric_pie()).solve(name)
    assert sol.utilities[0] == pytest.approx(sol.utilities[1], abs=1e-9)
