"""Rubinstein alternating offers: closed form, fixed-point equations, the Nash limits."""

import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import negotiation as ng
from negotiation.dynamics.games import (
    ConcaveFrontier,
    hull_nash,
    project,
    rubinstein,
    rubinstein_spe,
    split_the_pie_share,
)
from negotiation.engine.deal import Deal, Lottery
from negotiation.errors import InfeasibleError, NotApplicableError, ScenarioError

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from games_helpers import deadlock, hull_max, pie  # noqa: E402

UKRAINE = ng.load_scenario("ukraine_2025")
TEXTBOOK = ng.load_scenario("textbook_two_party")
PIE = ConcaveFrontier.from_points(np.array([[0.0, 1.0], [1.0, 0.0]]))


@pytest.mark.parametrize("d1,d2", [(0.9, 0.8), (0.5, 0.5), (0.99, 0.3), (0.2, 0.95), (0.97, 0.9)])
def test_split_the_pie_closed_form(d1, d2):
    x, y = rubinstein_spe(PIE, (d1, d2))
    assert x == pytest.approx((1 - d2) / (1 - d1 * d2), abs=1e-13)
    assert y == pytest.approx(d1 * (1 - d2) / (1 - d1 * d2), abs=1e-13)
    # On a scenario: a 101-level pie, the agreement is a lottery of two adjacent shares (or one).
    r = rubinstein(pie(101, d1, d2))
    assert r.utilities["A"] == pytest.approx(split_the_pie_share(d1, d2), abs=1e-12)
    assert r.utilities["B"] == pytest.approx(1 - split_the_pie_share(d1, d2), abs=1e-12)
    if isinstance(r.agreement, Lottery):
        assert len(r.agreement.deals) == 2
        k = sorted(int(d.levels[0]) for d in r.agreement.deals)
        assert k[1] - k[0] == 1  # adjacent deals
        assert np.isclose(r.agreement.probabilities.sum(), 1.0)
    # B proposing first gets the proposer's share with the roles swapped.
    rb = rubinstein(pie(101, d1, d2), proposer="B")
    assert rb.utilities["B"] == pytest.approx(split_the_pie_share(d2, d1), abs=1e-12)


def test_two_deal_pie_is_a_lottery():
    r = rubinstein(pie(2, 0.9, 0.9))
    assert isinstance(r.agreement, Lottery)
    p = dict(
        zip([d.terms["share"] for d in r.agreement.deals], r.agreement.probabilities, strict=False)
    )
    assert p["s1"] == pytest.approx(1 / 1.9, abs=1e-12)
    assert r.to_dict()["agreement"]["mixture"]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0.0, 1.0), st.floats(0.0, 1.0)), min_size=1, max_size=10),
    st.floats(0.01, 0.999),
    st.floats(0.01, 0.999),
)
def test_fixed_point_equations_on_random_frontiers(raw, d1, d2):
    from negotiation.engine.pareto import pareto_mask

    P = np.unique(np.round(np.array(raw), 6), axis=0)
    P = P[pareto_mask(P)]
    f = ConcaveFrontier.from_points(P)
    x, y = rubinstein_spe(f, (d1, d2))
    xb, yb = float(f.phi(x)), float(f.phi(y))
    assert f.a_min - 1e-12 <= y <= x + 1e-12 <= f.a_max + 2e-12
    # Responders are indifferent (or get the least the frontier allows).
    assert xb == pytest.approx(max(d2 * yb, f.b_min), abs=1e-10)
    assert y == pytest.approx(max(d1 * x, f.a_min), abs=1e-10)


@pytest.mark.parametrize("scenario,pair", [(TEXTBOOK, None), (UKRAINE, ("Russia", "Ukraine"))])
def test_equal_patience_limit_is_nash_of_the_hull(scenario, pair):
    proj = project(scenario, pair, exactly=2)
    hull = proj.hull()
    na, nb = hull_max(np.column_stack([hull.a, hull.b]))
    errors = []
    for delta in (0.9, 0.99, 0.999, 0.9999):
        r = rubinstein(scenario, pair, discounts=[delta, delta])
        g = np.array([r.utilities[p] for p in proj.players]) - proj.disagreement[list(proj.index)]
        errors.append(np.abs(g - [na, nb]).max())
    assert errors[-1] < 1e-3
    assert errors[-1] < errors[0]


@pytest.mark.parametrize("rates", [(1.0, 2.0), (3.0, 1.0)])
def test_unequal_rates_limit_is_asymmetric_nash(rates):
    """delta_i = exp(-r_i D), D -> 0: asymmetric Nash with powers 1 / r_i (BRW 1986)."""
    proj = project(UKRAINE, ("Russia", "Ukraine"))
    hull = proj.hull()
    powers = (1 / rates[0], 1 / rates[1])
    na, nb = hull_max(np.column_stack([hull.a, hull.b]), powers)
    assert hull_nash(hull, powers) == pytest.approx(na, abs=1e-5)
    D = 1e-5
    r = rubinstein(UKRAINE, ("Russia", "Ukraine"), discounts=np.exp(-np.array(rates) * D))
    gain = r.utilities["Russia"] - UKRAINE.party("Russia").reservation
    assert gain == pytest.approx(na, abs=1e-3)


def test_patient_players():
    r = rubinstein(TEXTBOOK, discounts=[1.0, 1.0])
    assert r.limit and "limit" in r.notes[0]
    assert np.allclose(r.agreement.utilities, r.nash.utilities)
    with pytest.raises(NotApplicableError, match="discounts are 1"):
        rubinstein(TEXTBOOK, discounts=[1.0, 1.0], when_patient="error")
    # With breakdown risk the discounts are below 1 again: a unique equilibrium.
    assert not rubinstein(TEXTBOOK, discounts=[1.0, 1.0], breakdown=0.01).limit
    # Only the first is patient: it gets its best deal.
    r = rubinstein(pie(11, 1.0, 0.5))
    assert r.utilities["A"] == pytest.approx(1.0)


def test_outside_option_principle():
    """Split the pie, common delta: B's outside option binds only above delta / (1 + delta)."""
    d = 0.9
    low = rubinstein(pie(2, d, d), outside_options={"B": 0.3})
    assert low.utilities["A"] == pytest.approx(1 / (1 + d), abs=1e-12)
    high = rubinstein(pie(2, d, d), outside_options={"B": 0.6})
    assert high.utilities["B"] == pytest.approx(0.6, abs=1e-12)
    none = rubinstein(pie(2, d, d), outside_options={"A": 0.7, "B": 0.6})
    assert none.agreement is None and none.to_dict()["agreement"] is None


def test_multiparty_projection_reports_everybody():
    r = rubinstein(UKRAINE, ("Russia", "Ukraine"), proposer="Ukraine")
    assert set(r.utilities) == set(UKRAINE.party_names)
    deals = r.agreement.deals if isinstance(r.agreement, Lottery) else (r.agreement,)
    probs = r.agreement.probabilities if isinstance(r.agreement, Lottery) else np.ones(1)
    expected = sum(p * d.utilities for p, d in zip(probs, deals, strict=False))
    assert np.allclose(expected, r.agreement.utilities)
    assert UKRAINE.feasible_mask(np.array([d.levels for d in deals])).all()
    # The first proposer does at least as well as when it responds.
    r2 = rubinstein(UKRAINE, ("Russia", "Ukraine"), proposer="Russia")
    assert r2.utilities["Russia"] >= r.utilities["Russia"]
    assert isinstance(r2.offers["Ukraine"], (Deal, Lottery))
    assert "Rubinstein" in r2.summary()


def test_errors():
    with pytest.raises(NotApplicableError):
        rubinstein(UKRAINE)
    with pytest.raises(ScenarioError, match="proposer"):
        rubinstein(UKRAINE, ("Russia", "Ukraine"), proposer="United States")
    with pytest.raises(ScenarioError, match="unknown party"):
        rubinstein(UKRAINE, ("Russia", "Ukraine"), proposer="Mars")
    with pytest.raises(ScenarioError, match="discount"):
        rubinstein(TEXTBOOK, discounts=[0.0, 0.9])
    with pytest.raises(ScenarioError, match="discount"):
        rubinstein(TEXTBOOK, discounts={"Employer": 1.2})
    with pytest.raises(InfeasibleError):
        rubinstein(deadlock())
