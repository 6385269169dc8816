"""Reachability: the exact best utility of a party (component by component) against enumeration,
and the errors a scenario with an unreachable reservation or no allowed outcome gets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from strategies import scenarios

from negotiation import Issue, Party, Scenario
from negotiation.errors import ScenarioError
from negotiation.model.reachability import component_maxima


def close(a: float, b: float) -> bool:
    """Sums of a few terms of magnitude <= 1: agree to 1e-12."""
    return abs(a - b) <= 1e-12 * max(1.0, abs(b))


@settings(max_examples=60)
@given(s=scenarios(max_issues=4, reservations=False))
def test_component_maxima_equal_the_enumerated_maximum(s):
    levels = s.space.enumerate()
    u, allowed, red = s.utilities(levels), s.space.allowed_mask(levels), s.red_line_mask(levels)
    for p in range(len(s.parties)):
        ok = allowed & ~red[:, p]
        best = component_maxima(s, s.constraint_clauses + s.red_line_clauses[p], p)
        assert (best is None) == (not ok.any())
        if best is not None:
            assert close(best, u[ok, p].max())


def test_an_unreachable_reservation_names_the_party_and_the_best_value():
    x = Issue("x", ("a", "b", "c"))
    # B values c at 1, but its red line forbids c: its best allowed outcome is b, worth 0.5.
    with pytest.raises(
        ScenarioError,
        match=r"reservation 0.6 is above the best utility any "
        r"allowed outcome gives \(0.5\)",
    ) as err:
        Scenario(
            "t",
            (x,),
            (
                Party("A", {"x": 1}),
                Party("B", {"x": 1}, reservation=0.6, red_lines=({"x": ("c",)},)),
            ),
        )
    assert err.value.party == "B"


def test_constraints_that_forbid_everything_are_refused():
    x = Issue("x", ("a", "b"))
    with pytest.raises(ScenarioError, match="the constraints forbid every outcome"):
        Scenario("t", (x,), (Party("A", {"x": 1}),), constraints=({"x": ("a", "b")},))


def test_the_continuous_bound_uses_the_best_breakpoint():
    share = Issue("share", range=(0.0, 10.0))
    peak = {"share": ((0.0, 0.0), (5.0, 0.8), (10.0, 0.2))}
    Scenario("ok", (share,), (Party("A", {"share": 1}, peak, reservation=0.8),))
    with pytest.raises(ScenarioError, match=r"any outcome can give \(0.8\)"):
        Scenario("no", (share,), (Party("A", {"share": 1}, peak, reservation=0.81),))
