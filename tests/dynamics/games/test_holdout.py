"""Accept or hold out (holdout.py)."""

import sys
from pathlib import Path

import pytest

import negotiation as ng
from negotiation.dynamics.games import (
    accept_holdout,
)
from negotiation.errors import ScenarioError

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

UKRAINE = ng.load_scenario("ukraine_2025")
TEXTBOOK = ng.load_scenario("textbook_two_party")


def test_accept_holdout():
    deal = {"salary": "60k", "remote_days": "two_days", "start_date": "one_month"}
    r = accept_holdout(TEXTBOOK, deal)
    assert r.self_enforcing and r.strict and r.undominated and not r.unique
    assert all(r.accept_dominant.values())
    assert r.solution.cross_check["pure: support == exact"]
    # A large hold-out premium makes holding out pay: not self-enforcing.
    r = accept_holdout(TEXTBOOK, deal, premium={"Employer": 0.5})
    assert not r.self_enforcing and not r.accept_dominant["Employer"]
    # A deal below the Employer's reservation is never self-enforcing.
    bad = {"salary": "64k", "remote_days": "two_days", "start_date": "three_months"}
    assert not accept_holdout(TEXTBOOK, bad).self_enforcing
    d = accept_holdout(UKRAINE, deal_of(UKRAINE), ("Russia", "Ukraine")).to_dict()
    assert d["self_enforcing"] and d["equilibria"]
    with pytest.raises(ScenarioError, match="non-player"):
        accept_holdout(TEXTBOOK, deal, premium={"Nobody": 1.0})


def deal_of(scenario):
    from negotiation.engine.frontier import enumerate_frontier

    return enumerate_frontier(scenario).deal(0)
