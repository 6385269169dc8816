"""Bargaining solutions against brute force over ALL feasible outcomes, and their axioms."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import integer_scenarios, scenarios

import negotiation as ng
from negotiation.engine.deal import Deal
from negotiation.engine.frontier import enumerate_frontier
from negotiation.engine.solutions import (
    SOLUTIONS,
    asymmetric_nash,
    check_power,
    egalitarian_index,
    kalai_smorodinsky,
    kalai_smorodinsky_index,
    nash,
    nash_index,
    solution_index,
    solve,
    utilitarian_index,
)
from negotiation.errors import InfeasibleError, NegotiationError
from negotiation.model.scenario import AgreementRule, reservation_tolerance

TOL = 1e-9


# -- brute force, straight from the definitions -----------------------------------------------
def feasible_set(s, rule=None):
    levels = s.space.enumerate()
    u = s.utilities(levels)
    ok = s.feasible_mask(levels, u, rule)
    return levels[ok], u[ok]


def nash_key(U, d, alpha, span):
    """(number of parties who gain, log product of the normalised gains of those who gain)."""
    G = U - d
    pos = G > reservation_tolerance(d)
    logs = np.array(
        [
            sum(a * np.log(g / m) for a, g, m, p in zip(alpha, row, span, prow, strict=True) if p)
            for row, prow in zip(G, pos, strict=True)
        ]
    )
    return [pos.sum(axis=1).astype(float), logs]


def ks_key(U, d, ideal):
    span = ideal - d
    use = span > reservation_tolerance(d)
    if not use.any():
        return [np.zeros(len(U))]
    R = (U[:, use] - d[use]) / span[use]
    return [R.min(axis=1), R.sum(axis=1)]


def leximin_key(U, d):
    S = np.sort(U - d, axis=1)
    return [S[:, j] for j in range(S.shape[1])]


def objective_keys(name, U, d, s, ideal):
    if name == "nash":
        return nash_key(U, d, np.ones(U.shape[1]), ideal - d)
    if name == "asymmetric_nash":
        return nash_key(U, d, s.powers, ideal - d)
    if name == "kalai_smorodinsky":
        return ks_key(U, d, ideal)
    if name == "egalitarian":
        return leximin_key(U, d)
    return [U.sum(axis=1)] + leximin_key(U, d)


def check_against_brute_force(s, rule=None):
    f = enumerate_frontier(s, rule=rule)
    levels, U = feasible_set(s, rule)
    if U.shape[0] == 0:
        assert f.is_empty
        for fn in SOLUTIONS.values():
            with pytest.raises(InfeasibleError):
                fn(f)
        return
    d = s.reservations
    ideal = U.max(axis=0)
    np.testing.assert_allclose(f.ideal, ideal)
    for name, fn in SOLUTIONS.items():
        deal = fn(f)
        keys_all = objective_keys(name, U, d, s, ideal)
        keys_pick = objective_keys(name, deal.utilities[None, :], d, s, ideal)
        best = np.arange(U.shape[0])
        # The pick's primary objective (and secondary ones, lexicographically) equals the best.
        for ka, kp in zip(keys_all, keys_pick, strict=True):
            target = ka[best].max()
            assert kp[0] == pytest.approx(target, rel=1e-9, abs=1e-9), (name, deal.utilities)
            best = best[ka[best] >= target - TOL * max(1.0, abs(target))]
        # The pick is a frontier deal, and its utilities are right.
        assert any(np.array_equal(deal.levels, row) for row in f.levels)
        np.testing.assert_array_equal(deal.utilities, s.utilities(deal.levels[None, :])[0])


@given(scenarios())
def test_solutions_match_brute_force(s):
    check_against_brute_force(s)


@given(integer_scenarios())
def test_solutions_match_brute_force_points(s):
    check_against_brute_force(s)


@settings(max_examples=40)
@given(scenarios(min_parties=3, max_parties=4), st.data())
def test_solutions_match_brute_force_quota(s, data):
    P = len(s.parties)
    quota = data.draw(st.integers(1, P - 1))
    veto = tuple(data.draw(st.sets(st.sampled_from(s.party_names), max_size=1)))
    check_against_brute_force(s, AgreementRule(quota=quota, veto=veto))


# -- shared properties of every solution ------------------------------------------------------
@settings(max_examples=60)
@given(scenarios())
def test_every_solution_is_deterministic_pareto_optimal_and_individually_rational(s):
    f = enumerate_frontier(s)
    if f.is_empty:
        return
    _, U = feasible_set(s)
    d = s.reservations
    for name, fn in SOLUTIONS.items():
        deal = fn(f)
        assert isinstance(deal, Deal)
        assert deal == fn(f) and deal.terms == fn(f).terms  # deterministic
        assert solve(name, f) == deal
        u = deal.utilities
        dominated = np.all(U >= u, axis=1) & np.any(U > u, axis=1)
        assert not dominated.any(), name  # Pareto-optimal among ALL feasible outcomes
        assert np.all(u >= d - reservation_tolerance(d)), name  # individually rational
        assert set(deal.terms) == set(s.issue_names)
        assert deal.parties == s.party_names


def test_registry_names_and_unknown_name():
    assert list(SOLUTIONS) == [
        "nash",
        "asymmetric_nash",
        "kalai_smorodinsky",
        "egalitarian",
        "utilitarian",
    ]
    f = enumerate_frontier(ng.load_scenario("textbook_two_party"))
    with pytest.raises(NegotiationError, match="known: nash, asymmetric_nash"):
        solve("nash_bargaining", f)
    with pytest.raises(NegotiationError, match="unknown solution"):
        solution_index("median", np.ones((1, 2)), [0, 0])


def test_empty_frontier_raises_with_diagnosis():
    s = ng.Scenario(
        "nozopa",
        (ng.Issue("x", ("a", "b", "c")),),
        (
            ng.Party("A", {"x": 1}, reservation=0.8),
            ng.Party("B", {"x": 1}, {"x": {"a": 1.0, "b": 0.5, "c": 0.0}}, reservation=0.6),
        ),
    )
    f = enumerate_frontier(s)
    for fn in SOLUTIONS.values():
        with pytest.raises(InfeasibleError, match="no feasible outcome.*zone of agreement"):
            fn(f)
    with pytest.raises(InfeasibleError):
        nash_index(np.zeros((0, 2)), [0, 0])


def test_textbook_published_results():
    """The expected results written in the scenario file (brute force over 36 outcomes)."""
    f = enumerate_frontier(ng.load_scenario("textbook_two_party"))
    assert solve("nash", f).terms == {
        "salary": "60k",
        "remote_days": "two_days",
        "start_date": "one_month",
    }
    assert solve("utilitarian", f).terms == {
        "salary": "60k",
        "remote_days": "four_days",
        "start_date": "one_month",
    }
    assert solve("egalitarian", f).terms == {
        "salary": "60k",
        "remote_days": "two_days",
        "start_date": "two_weeks",
    }


# -- ties -------------------------------------------------------------------------------------
def test_ties_go_to_the_smallest_outcome_index():
    # Issue "z" matters to nobody: every deal has a twin with identical utilities.
    s = ng.Scenario(
        "ties",
        (ng.Issue("x", ("a", "b", "c")), ng.Issue("z", ("p", "q"))),
        (
            ng.Party("A", {"x": 1}),
            ng.Party("B", {"x": 1}, {"x": {"a": 1.0, "b": 0.5, "c": 0.0}}),
        ),
    )
    f = enumerate_frontier(s)
    assert f.n_tied == f.size
    for fn in SOLUTIONS.values():
        assert fn(f).terms["z"] == "p"
    # Without levels: the first row.
    U = np.array([[0.5, 0.5], [0.5, 0.5]])
    for name in SOLUTIONS:
        assert solution_index(name, U, [0.0, 0.0]) == 0
        assert solution_index(name, U, [0.0, 0.0], levels=np.array([[1, 0], [0, 1]])) == 1


def test_nash_degenerate_rule_counts_gainers_first():
    # No deal gives both parties a positive gain: maximise the number who gain, then the product.
    U = np.array([[0.0, 0.0], [0.0, 0.45], [0.4, 0.0], [0.0, 0.9], [0.1, 0.0]])
    # One gainer each; normalised gains 0.5, 1, 1, 0.25: rows 2 and 3 tie (each gives its
    # party all it can get; the raw gains would favour 0.9), the first wins.
    assert nash_index(U, [0.0, 0.0]) == 2
    # Rescaling a party does not change the choice.
    assert nash_index(U * [10.0, 1.0], [0.0, 0.0]) == 2
    # A party that can gain nothing anywhere drops out of the product.
    U = np.array([[0.2, 0.0, 0.3], [0.25, 0.0, 0.25], [0.3, 0.0, 0.1]])
    assert nash_index(U, [0.0, 0.0, 0.0]) == 1


def test_ks_leaves_out_parties_without_gain_and_breaks_ties_by_sum():
    U = np.array([[0.5, 0.2, 0.0], [0.5, 0.4, 0.0], [0.2, 0.5, 0.0]])
    # ideal (0.5, 0.5, 0): party 3 is left out; min ratios 0.4, 0.8, 0.4
    assert kalai_smorodinsky_index(U, [0.0, 0.0, 0.0]) == 1
    U = np.array([[0.5, 0.5], [0.6, 0.5], [0.27, 1.0]])  # rows 0 and 1: min ratio 0.5
    assert kalai_smorodinsky_index(U, [0.0, 0.0]) == 1  # larger sum of ratios


def test_egalitarian_is_leximin_and_utilitarian_ties_by_leximin():
    U = np.array([[0.2, 0.9, 0.5], [0.2, 0.6, 0.7], [0.1, 1.0, 1.0]])
    assert egalitarian_index(U, np.zeros(3)) == 1  # (0.2, 0.6, 0.7) beats (0.2, 0.5, 0.9)
    U = np.array([[1.0, 0.0], [0.4, 0.6], [0.7, 0.3]])
    assert utilitarian_index(U, [0.0, 0.0]) == 1


# -- axioms -----------------------------------------------------------------------------------
def frontier_utilities(s):
    f = enumerate_frontier(s)
    return f.utilities, s.reservations


@given(
    scenarios(),
    st.sampled_from([0.1, 0.5, 3.0, 17.0]),
    st.sampled_from([-5.0, 0.0, 2.5]),
    st.data(),
)
def test_nash_invariant_to_positive_affine_rescaling(s, a, b, data):
    U, d = frontier_utilities(s)
    if U.shape[0] == 0:
        return
    j = data.draw(st.integers(0, U.shape[1] - 1))
    U2, d2 = U.copy(), d.copy()
    U2[:, j] = a * U[:, j] + b
    d2[j] = a * d[j] + b
    power = s.powers
    assert nash_index(U2, d2) == nash_index(U, d)
    assert nash_index(U2, d2, power) == nash_index(U, d, power)
    # Kalai-Smorodinsky is scale invariant too.
    assert kalai_smorodinsky_index(U2, d2) == kalai_smorodinsky_index(U, d)


@given(scenarios(), st.sampled_from([0.5, 1.0, 2.0, 7.0]))
def test_asymmetric_nash_with_equal_powers_is_nash(s, c):
    f = enumerate_frontier(s)
    if f.is_empty:
        return
    P = len(s.parties)
    assert asymmetric_nash(f, [c] * P) == nash(f)
    assert asymmetric_nash(f, {name: c for name in s.party_names}) == nash(f)


@given(st.lists(st.tuples(st.integers(0, 16), st.integers(0, 16)), min_size=1, max_size=12))
def test_nash_symmetric_on_symmetric_problems(points):
    # A symmetric problem: the set is closed under swapping the parties, d on the diagonal.
    pts = {(a / 16, b / 16) for a, b in points} | {(b / 16, a / 16) for a, b in points}
    U = np.array(sorted(pts))
    d = np.array([0.0, 0.0])
    k = nash_index(U, d)
    swapped = nash_index(U[:, ::-1], d)
    # The solution of the swapped problem is the swap of the solution.
    np.testing.assert_array_equal(U[:, ::-1][swapped], U[k][::-1])
    # The Nash product is symmetric, so the best value is attained by (x, y) and (y, x) alike;
    # if only one utility vector attains it, it is on the diagonal.
    G = U - d
    best = np.isclose(G.prod(axis=1), G[k].prod(), rtol=1e-12, atol=0)
    if G[k].prod() > 0 and best.sum() == 1:
        assert U[k][0] == U[k][1]


def test_nash_pareto_optimal_among_arrays():
    rng = np.random.default_rng(3)
    for _ in range(50):
        U = rng.random((30, 3))
        k = nash_index(U, np.zeros(3))
        assert not (np.all(U >= U[k], axis=1) & np.any(U > U[k], axis=1)).any()


def test_ks_individual_monotonicity_constructed():
    """Kalai-Smorodinsky 1975: if the set grows so that party 2's best utility at every level
    of party 1's rises while the ideal of party 1 stays, party 2 does not lose."""
    d = np.array([0.0, 0.0])
    S = np.array([[1.0, 0.0], [0.6, 0.5], [0.0, 1.0]])
    k = kalai_smorodinsky_index(S, d)
    assert S[k].tolist() == [0.6, 0.5]
    # Raise party 2's utility above u1 = 0.55 (ideal of party 1 still 1, of party 2 still 1).
    S2 = np.vstack([S, [[0.55, 0.7]]])
    k2 = kalai_smorodinsky_index(S2, d)
    assert S2[k2][1] >= S[k][1]
    assert S2[k2].tolist() == [0.55, 0.7]
    # (Nash's choice moves the same way here.)
    assert S2[nash_index(S2, d)][1] >= S[nash_index(S, d)][1]


def test_ks_on_a_scenario_frontier():
    f = enumerate_frontier(ng.load_scenario("textbook_two_party"))
    deal = kalai_smorodinsky(f)
    d, ideal = f.disagreement, f.ideal
    ratios = (f.utilities - d) / (ideal - d)
    assert ((deal.utilities - d) / (ideal - d)).min() == pytest.approx(ratios.min(axis=1).max())


def test_check_power_errors():
    with pytest.raises(NegotiationError, match="> 0"):
        check_power([1.0, -1.0], 2, ["A", "B"])
    with pytest.raises(NegotiationError, match="one value per party"):
        check_power([1.0], 2)
    with pytest.raises(NegotiationError, match="unknown parties"):
        check_power({"C": 1.0}, 2, ["A", "B"])
    with pytest.raises(NegotiationError, match="one value per party"):
        nash_index(np.ones((2, 2)), [0.0, 0.0, 0.0])


def test_inputs_not_mutated():
    U = np.array([[0.2, 0.8], [0.6, 0.5]])
    d = np.array([0.1, 0.1])
    U0, d0 = U.copy(), d.copy()
    for name in SOLUTIONS:
        solution_index(name, U, d, power=[1.0, 2.0])
    np.testing.assert_array_equal(U, U0)
    np.testing.assert_array_equal(d, d0)
