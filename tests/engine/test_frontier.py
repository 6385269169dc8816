"""The enumeration engine against an O(N^2) brute-force reference."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from strategies import integer_scenarios, scenarios

import negotiation as ng
from negotiation.engine.frontier import enumerate_frontier
from negotiation.engine.tolerance import utility_tolerance
from negotiation.model.scenario import AgreementRule


def brute_force(s, rule=None):
    """The definition, with computed utilities closer than the scenario's tie tolerance counted
    as equal: ``y`` dominates ``x`` iff ``y >= x - tol`` everywhere and ``y > x + tol`` once
    (the random scenarios' exact utilities are multiples of 1/(8 W), far apart at that scale)."""
    levels = s.space.enumerate()
    u = s.utilities(levels)
    tol = utility_tolerance(s)
    feasible = s.feasible_mask(levels, u, rule)
    idx = np.flatnonzero(feasible)
    keep = []
    for a in idx:
        dominated = np.any(
            np.all(u[idx] >= u[a] - tol, axis=1) & np.any(u[idx] > u[a] + tol, axis=1)
        )
        if not dominated:
            keep.append(a)
    return np.array(keep, dtype=np.int64), int(feasible.sum())


def check(s, rule=None, chunk=1 << 18):
    f = enumerate_frontier(s, rule=rule, chunk_size=chunk)
    expected, n_feasible = brute_force(s, rule)
    assert np.array_equal(s.space.indices_of(f.levels), expected)
    assert f.n_feasible == n_feasible
    np.testing.assert_array_equal(f.utilities, s.utilities(f.levels))
    if n_feasible == 0:
        assert f.is_empty and f.diagnostics["message"]


@given(scenarios())
def test_matches_brute_force(s):
    check(s)
    check(s, chunk=3)


@given(integer_scenarios())
def test_matches_brute_force_with_ties(s):
    check(s, chunk=5)


@given(scenarios(min_parties=3, max_parties=4))
def test_quota_rule_matches_brute_force(s):
    rule = AgreementRule(quota=len(s.parties) - 1, veto=(s.party_names[0],))
    check(s, rule)


#: Bundled scenarios shipped on purpose with an empty zone (their diagnosis is the point).
EMPTY_ON_PURPOSE = {"ukraine_2025_hardline"}


def test_bundled_scenarios_have_a_zone_of_agreement():
    for name in ng.bundled_scenarios():
        f = enumerate_frontier(ng.load_scenario(name))
        if name in EMPTY_ON_PURPOSE:
            assert f.is_empty and f.n_feasible == 0
            continue
        assert f.size > 0 and f.n_feasible >= f.size
        assert np.all(f.utilities >= f.disagreement - 1e-9)


def test_empty_feasible_set_is_explained():
    s = ng.load_scenario("textbook_two_party")
    s = s.with_party("Candidate", reservation=0.99)
    f = enumerate_frontier(s)
    assert f.is_empty and f.n_feasible == 0
    assert "Candidate" in f.diagnostics["message"]
    assert "Candidate" in f.diagnostics["blocking_parties"]
    assert f.diagnostics["acceptable_counts"]["Candidate"] < 5


def test_tie_groups_with_tolerance():
    from negotiation.engine.frontier import tie_groups

    U = np.array([[0.95, 0.1], [0.9500000000000001, 0.1], [0.5, 0.1]])
    assert tie_groups(U).tolist() == [1, 2, 0]
    assert tie_groups(U, np.array([1e-12, 1e-12])).tolist() == [1, 1, 0]
