"""Risk of breakdown: effective discounts and the shares' response."""

import sys
from pathlib import Path

import numpy as np
import pytest

import negotiation as ng
from negotiation.dynamics.games import breakdown_table, rubinstein
from negotiation.errors import ScenarioError

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from games_helpers import pie  # noqa: E402

TEXTBOOK = ng.load_scenario("textbook_two_party")


def test_pure_breakdown_on_the_pie():
    """delta = 1, breakdown p: the effective discount is 1 - p and the proposer gets
    (1 - (1 - p)) / (1 - (1 - p)^2) = 1 / (2 - p)."""
    grid = [0.01, 0.1, 0.3, 0.5, 0.9]
    t = breakdown_table(pie(2, 1.0, 1.0), probabilities=grid)
    assert np.allclose(t["utility A"], [1 / (2 - p) for p in grid], atol=1e-12)
    assert np.allclose(t["discount B"], [1 - p for p in grid])
    assert (np.diff(t["share A"]) > 0).all()  # more risk, more first-mover advantage


def test_small_breakdown_risk_gives_nash():
    """Binmore, Rubinstein & Wolinsky (1986): with pure breakdown risk p -> 0, the agreement
    tends to the Nash solution."""
    r = rubinstein(TEXTBOOK, discounts=[1.0, 1.0], breakdown=1e-6)
    assert np.allclose(r.agreement.utilities, r.nash.utilities, atol=1e-5)


def test_table_matches_the_model():
    t = breakdown_table(TEXTBOOK, probabilities=[0.0, 0.2])
    r = rubinstein(TEXTBOOK, breakdown=0.2)
    row = t.iloc[1]
    for p in TEXTBOOK.party_names:
        assert row[f"utility {p}"] == pytest.approx(r.utilities[p])
        assert row[f"discount {p}"] == pytest.approx(0.8 * TEXTBOOK.party(p).discount)
    assert list(t.columns[:1]) == ["breakdown"]


def test_baron_ferejohn_table():
    t = breakdown_table(TEXTBOOK, model="baron-ferejohn", probabilities=[0.0, 0.5])
    assert len(t) == 2 and "share Employer" in t.columns


def test_errors():
    with pytest.raises(ScenarioError, match="breakdown"):
        breakdown_table(TEXTBOOK, probabilities=[1.0])
    with pytest.raises(ScenarioError, match="model"):
        breakdown_table(TEXTBOOK, model="chess")
    with pytest.raises(ScenarioError, match="no fixed proposer"):
        breakdown_table(TEXTBOOK, model="baron-ferejohn", proposer="Employer")
