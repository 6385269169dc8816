"""The players' Pareto set, its hull and the exact Nash solution on it, against brute force."""

import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import negotiation as ng
from negotiation.dynamics.games.projection import (
    ConcaveFrontier,
    hull_nash,
    pattern_deals,
    project,
    resolve_discounts,
)
from negotiation.errors import InfeasibleError, NotApplicableError, ScenarioError

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from games_helpers import brute_pair_points, deadlock, hull_max  # noqa: E402
from strategies import scenarios  # noqa: E402

UKRAINE = ng.load_scenario("ukraine_2025")


@pytest.mark.parametrize("feasible_for", ["all", "players"])
@pytest.mark.parametrize("pair", [("Russia", "Ukraine"), ("United States", "Russia")])
def test_projection_matches_brute_force(pair, feasible_for):
    proj = project(UKRAINE, pair, feasible_for=feasible_for)
    got = np.unique(np.round(proj.utilities[:, list(proj.index)], 12), axis=0)
    assert np.array_equal(got, brute_pair_points(UKRAINE, pair, feasible_for))
    # Every deal's reported utilities are the scenario's, for every party.
    assert np.allclose(proj.utilities, UKRAINE.utilities(proj.levels))
    if feasible_for == "all":
        assert UKRAINE.feasible_mask(proj.levels, proj.utilities).all()


@settings(max_examples=40, deadline=None)
@given(scenarios(min_parties=2, max_parties=3, max_issues=3))
def test_projection_random_scenarios(scenario):
    players = scenario.party_names[:2]
    try:
        proj = project(scenario, players)
    except InfeasibleError:
        levels = scenario.space.enumerate()
        assert not scenario.feasible_mask(levels).any()
        return
    got = np.unique(np.round(proj.utilities[:, list(proj.index)], 12), axis=0)
    assert np.array_equal(got, brute_pair_points(scenario, players))
    hull = proj.hull()
    G = proj.gains
    # Every deal lies on or under the hull frontier, and the frontier is concave.
    assert np.all(G[:, 1] <= hull.phi(G[:, 0]) + 1e-12)
    slopes = np.diff(hull.b) / np.diff(hull.a) if len(hull.a) > 1 else np.zeros(0)
    assert np.all(np.diff(slopes) <= 1e-9)


def test_players_and_errors():
    with pytest.raises(NotApplicableError, match="choose 2"):
        project(UKRAINE, exactly=2)
    with pytest.raises(ScenarioError, match="unknown party"):
        project(UKRAINE, ("Russia", "Mars"))
    with pytest.raises(ScenarioError, match="at least two"):
        project(UKRAINE, ("Russia",))
    with pytest.raises(ScenarioError, match="twice"):
        project(UKRAINE, ("Russia", "Russia"))
    with pytest.raises(InfeasibleError):
        project(deadlock())
    with pytest.raises(ScenarioError, match="feasible_for"):
        project(UKRAINE, ("Russia", "Ukraine"), feasible_for="some")
    assert project(UKRAINE, "Russia, Ukraine").players == ("Russia", "Ukraine")


def test_discounts():
    d = resolve_discounts(UKRAINE, ("Russia", "Ukraine"), breakdown=0.1)
    assert np.allclose(d, 0.9 * np.array([0.97, 0.9]))
    d = resolve_discounts(UKRAINE, ("Russia", "Ukraine"), {"Ukraine": 0.5})
    assert np.allclose(d, [0.97, 0.5])
    for bad in (0.0, -0.1, 1.5, float("nan")):
        with pytest.raises(ScenarioError, match="party 'Russia'.*discount"):
            resolve_discounts(UKRAINE, ("Russia", "Ukraine"), {"Russia": bad})
    with pytest.raises(ScenarioError, match="breakdown"):
        resolve_discounts(UKRAINE, ("Russia", "Ukraine"), breakdown=1.0)
    with pytest.raises(ScenarioError, match="not a player"):
        resolve_discounts(UKRAINE, ("Russia", "Ukraine"), {"United States": 0.5})


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0.0, 1.0), st.floats(0.0, 1.0)), min_size=1, max_size=12),
    st.floats(0.2, 5.0),
)
def test_hull_nash_against_dense_sampling(raw, alpha):
    P = np.unique(np.round(np.array(raw), 6), axis=0)
    from negotiation.engine.pareto import pareto_mask

    P = P[pareto_mask(P)]
    P = P[(P > 0).all(axis=1)]
    if len(P) == 0:
        return
    hull = ConcaveFrontier.from_points(P)
    x = hull_nash(hull, (alpha, 1.0))
    V = np.column_stack([hull.a, hull.b])
    bx, by = hull_max(V, (alpha, 1.0), n=20001)

    def obj(a, b):
        return alpha * np.log(a) + np.log(b)

    assert obj(x, float(hull.phi(x))) >= obj(bx, by) - 1e-9


def test_locate_gives_lottery_weights():
    hull = ConcaveFrontier.from_points(np.array([[0.0, 1.0], [0.5, 0.8], [1.0, 0.0]]))
    w = hull.locate(0.25)
    assert np.allclose(w, [0.5, 0.5, 0.0])
    assert np.isclose(w @ np.array([0.0, 0.5, 1.0]), 0.25)


def test_pattern_deals_counts_cover_the_space():
    pdl = pattern_deals(UKRAINE)
    levels = UKRAINE.space.enumerate()
    allowed = UKRAINE.space.allowed_mask(levels)
    assert sum(pdl.counts.values()) == int(allowed.sum())
    # Within a pattern no kept outcome dominates another.
    for code in np.unique(pdl.codes):
        U = pdl.utilities[pdl.codes == code]
        from negotiation.engine.pareto import brute_force_pareto_mask

        assert brute_force_pareto_mask(U).all()
