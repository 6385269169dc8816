"""Forecasts on scenarios: the spatial mapping, the forecast deal and its scores; the CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest

import negotiation as ng
from negotiation.cli import main
from negotiation.engine.analysis import analyze
from negotiation.errors import NegotiationError
from negotiation.forecast import FORECASTS
from negotiation.forecast.scenario import forecast_scenario, spatial_inputs

TOML = """
name = "two_issues"

[[issue]]
name = "price"
levels = ["10", "20", "40"]

[[issue]]
name = "terms"
levels = ["short", "medium", "long"]

[[party]]
name = "Buyer"
power = 2.0
weights = { price = 3, terms = 1 }
[party.values]
price = { "10" = 1.0, "20" = 0.5, "40" = 0.0 }
terms = { short = 0.0, medium = 0.2, long = 1.0 }

[[party]]
name = "Seller"
reservation = 0.2
weights = { price = 1, terms = 1 }
[party.values]
price = { "10" = 0.0, "20" = 0.6, "40" = 1.0 }
terms = { short = 1.0, medium = 0.5, long = 0.0 }
"""


@pytest.fixture
def scenario():
    return ng.loads_scenario(TOML)


def test_spatial_mapping_by_hand(scenario):
    p = spatial_inputs(scenario)
    # price: numeric labels 10, 20, 40 -> 0, 33.3, 100; terms: order -> 0, 50, 100
    np.testing.assert_allclose(p.levels[0], [0.0, 100 / 3, 100.0])
    np.testing.assert_allclose(p.levels[1], [0.0, 50.0, 100.0])
    # positions: each party's best level
    np.testing.assert_allclose(p.positions, [[0.0, 100.0], [100.0, 0.0]])
    # salience: score spreads w_i relative to the top issue: buyer .75/.25 -> 1, 1/3
    np.testing.assert_allclose(p.salience, [[1.0, 1 / 3], [1.0, 1.0]])
    np.testing.assert_allclose(p.capability[:, 0], [2.0, 1.0])
    w = spatial_inputs(scenario, salience="weights")
    np.testing.assert_allclose(w.salience[0], [0.75, 0.25])


def test_axis_overrides(scenario):
    p = spatial_inputs(scenario, axis="order")
    np.testing.assert_allclose(p.levels[0], [0.0, 50.0, 100.0])
    v = spatial_inputs(scenario, axis={"price": "values"}, reference="Seller")
    np.testing.assert_allclose(v.levels[0], [0.0, 60.0, 100.0])
    with pytest.raises(NegotiationError, match="unknown axis"):
        spatial_inputs(scenario, axis="diagonal")
    with pytest.raises(NegotiationError, match="numeric level names"):
        spatial_inputs(scenario, axis={"terms": "labels"})
    with pytest.raises(NegotiationError, match="unknown reference party"):
        spatial_inputs(scenario, axis="values", reference="Nobody")


def test_forecast_deal_is_scored_like_any_deal(scenario):
    f = forecast_scenario(scenario, "compromise")
    p = f.problem
    # compromise by hand on price: (0*2*1 + 100*1*1) / (2*1 + 1*1) = 33.3 -> level "20"
    assert f.result.forecast[0] == pytest.approx(100 / 3)
    assert f.deal.terms["price"] == "20"
    # terms: (100*2/3 + 0*1*1) / (2/3 + 1) = 40 -> nearest 50 -> "medium"
    assert f.result.forecast[1] == pytest.approx(40.0)
    assert f.deal.terms["terms"] == "medium"
    levels = np.array([[1, 1]])
    np.testing.assert_allclose(f.deal.utilities, scenario.utilities(levels)[0])
    assert f.feasible == bool(scenario.feasible_mask(levels)[0])
    # distances against a brute force over the whole (small) space
    a = analyze(scenario, lotteries=False)
    F = np.asarray(a.frontier.utilities)
    assert f.distance_to_frontier == pytest.approx(
        np.sqrt(((F - f.deal.utilities) ** 2).sum(1)).min()
    )
    for name, sol in a.solutions.items():
        assert f.distances[name] == pytest.approx(np.linalg.norm(sol.utilities - f.deal.utilities))
    assert p.actors == scenario.party_names


@pytest.mark.parametrize("model", sorted(FORECASTS))
def test_every_model_runs_on_the_bundled_scenario(model):
    f = forecast_scenario(ng.load_scenario("ukraine_2025"), model, rounds=3)
    d = f.to_dict()
    assert d["model"] == model
    assert set(d["issues"]) == set(f.scenario.issue_names)
    for name, entry in d["issues"].items():
        assert 0.0 <= entry["forecast"] <= 100.0
        assert entry["history"][-1] == entry["forecast"]
        assert entry["level"] == d["deal"][name]
    assert set(d["utilities"]) == set(f.scenario.party_names)


@pytest.mark.parametrize("model", sorted(FORECASTS))
def test_cli_json_contract(model, capsys):
    assert (
        main(["forecast", "textbook_two_party", "--model", model, "--rounds", "2", "--json"]) == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert {"model", "issues", "deal", "utilities"} <= set(data)
    for entry in data["issues"].values():
        assert {"forecast", "history"} <= set(entry)


def test_cli_text_and_spatial_file(capsys):
    from importlib import resources

    car = resources.files("negotiation") / "forecast/data/eu_car_emissions.csv"
    assert main(["forecast", str(car), "--model", "median"]) == 0
    out = capsys.readouterr().out
    assert "weighted median voter" in out and "eu_car_emissions" in out
    assert main(["forecast", str(car), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["issues"]["eu_car_emissions"]["forecast_in_file_units"] == pytest.approx(
        7.3899556868
    )


@pytest.mark.parametrize(
    "argv, match",
    [
        (["forecast", "--rounds", "0"], "--rounds must be a positive integer"),
        (["forecast", "nope.toml"], "no such scenario file"),
        (["forecast", "--axis", "values", "--reference", "Nobody"], "unknown reference party"),
    ],
)
def test_cli_errors_exit_2_with_one_line(argv, match, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert match in err and err.count("\n") == 1 and "Traceback" not in err


def test_empty_zone_of_agreement_has_no_distances():
    s = ng.loads_scenario(
        """
name = "deadlock"
[[issue]]
name = "x"
levels = ["a", "b"]
[[party]]
name = "P"
reservation = 0.9
weights = { x = 1 }
values = { x = { a = 1.0, b = 0.0 } }
[[party]]
name = "Q"
reservation = 0.9
weights = { x = 1 }
values = { x = { a = 0.0, b = 1.0 } }
"""
    )
    f = forecast_scenario(s, "compromise")
    assert f.feasible is False
    assert f.distance_to_frontier is None and f.distances == {}
    assert f.to_dict()["distance_to_frontier"] is None
    assert "no frontier" in f.summary()
