"""The lotteries' shared machinery: the candidates (reused from the frontier when the
reservations exclude nothing), and the Nash mixture computed once for equal powers."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from strategies import scenarios

import negotiation as ng
from negotiation.engine.frontier import enumerate_frontier
from negotiation.engine.search import search_frontier
from negotiation.engine.solutions import SOLUTIONS
from negotiation.engine.solutions.lottery import _relaxed, _reservations_bind, lottery_candidates
from negotiation.errors import NotApplicableError


def relaxed_frontier(s, f):
    """What the candidates were before the shortcut: a second search without reservations."""
    try:
        return search_frontier(_relaxed(s), rule=f.rule, epsilon=f.epsilon, count_feasible=False)
    except NotApplicableError:
        return enumerate_frontier(_relaxed(s), rule=f.rule)


@given(s=scenarios(reservations=False, max_parties=3))
@settings(max_examples=60, deadline=None)
def test_without_binding_reservations_the_candidates_are_the_frontier_bit_for_bit(s):
    if not s.agreement.is_unanimity(len(s.parties)):
        return
    f = enumerate_frontier(s)
    if f.is_empty or _reservations_bind(f):
        return
    levels, U, cut = lottery_candidates(f)
    assert levels is f.levels and U is f.utilities and cut  # no second search
    wide = relaxed_frontier(s, f)
    np.testing.assert_array_equal(wide.levels, levels)
    np.testing.assert_array_equal(wide.utilities, U)


def test_binding_reservations_still_widen_the_candidates():
    s = ng.load_scenario("textbook_two_party")
    f = enumerate_frontier(s)
    assert _reservations_bind(f)
    levels, U, _ = lottery_candidates(f)
    wide = relaxed_frontier(s, f)
    np.testing.assert_array_equal(levels, wide.levels)
    assert len(levels) > len(f.levels)


def test_asymmetric_nash_with_equal_powers_is_nash_and_unequal_powers_are_not_confused():
    s = ng.load_scenario("textbook_two_party")
    f = enumerate_frontier(s)
    nash = SOLUTIONS["nash"].lottery(f)
    asym = SOLUTIONS["asymmetric_nash"]
    for equal in ([2.0, 2.0], [1.0, 1.0]):
        lot = asym.lottery(f, equal)
        assert lot is not nash and lot.probabilities is not nash.probabilities
        np.testing.assert_array_equal(lot.probabilities, nash.probabilities)
        assert [d.terms for d in lot.deals] == [d.terms for d in nash.deals]
    strong = asym.lottery(f, [1.0, 8.0]).utilities
    weak = asym.lottery(f, [8.0, 1.0]).utilities
    assert strong[1] > nash.utilities[1] > weak[1]  # more power, more expected utility
    s2 = replace(s, parties=(replace(s.parties[0], power=8.0), s.parties[1]))
    f2 = enumerate_frontier(s2)
    np.testing.assert_allclose(SOLUTIONS["asymmetric_nash"].lottery(f2).utilities, weak)


def test_the_cut_ideal_is_computed_once_and_handed_out_as_copies(monkeypatch):
    """The Nash and KS lotteries of one analysis share the cut hull's ideal point (one LP per
    party): a second call with the same utilities and reservations runs no LP, and changing the
    returned array does not change what the next caller gets."""
    from negotiation.engine.solutions import lottery

    U = np.array([[-2.0, 9.0], [2.0, 8.0], [12.0, 5.0]])  # Nash's (1950) barter, as in the doc
    d = np.array([0.0, 0.0])
    lottery._IDEALS.clear()
    first = lottery.lottery_ideal(U, d)
    first[0] = -1.0
    calls = []
    monkeypatch.setattr(lottery, "_cut_ideal", lambda *a: calls.append(a) or np.zeros(2))
    np.testing.assert_array_equal(lottery.lottery_ideal(U, d), [12.0, 8.5])
    assert calls == []
    lottery.lottery_ideal(U, np.array([0.0, 0.5]))  # another disagreement point: computed
    assert len(calls) == 1
