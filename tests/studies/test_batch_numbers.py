"""The group's numbers set column by column (studies/numbers.py) equal the sample-by-sample loop."""

from __future__ import annotations

import numpy as np
import pytest

import negotiation as ng
from negotiation.studies import numbers
from negotiation.studies.inputs import parse_path
from negotiation.studies.numbers import Numbers
from negotiation.studies.sweep import monte_carlo_samples


def _parsed(s, samples):
    cache = {}
    return [
        [(cache.setdefault(k, parse_path(k, s)), float(v)) for k, v in x.items()] for x in samples
    ]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_columns_equal_the_loop(monkeypatch, seed):
    s = ng.load_scenario("textbook_two_party")
    a, b = s.party_names
    issue = s.issue_names[0]
    level = s.issues[0].levels[0]
    paths = [
        f"{a}/reservation",
        f"{a}/power",
        f"{b}/discount",
        f"{a}/weights/{issue}",
        f"{b}/values/{issue}/{level}",
    ]
    rng = np.random.default_rng(seed)
    bad = [np.nan, np.inf, -np.inf, -1.0, 0.0, 1.5, 2.0]
    samples = [
        {p: float(rng.choice(bad)) if rng.random() < 0.3 else float(rng.random()) for p in paths}
        for _ in range(40)
    ]
    parsed = _parsed(s, samples)
    fast = Numbers(s, parsed)
    assert numbers._columns(parsed) is not None
    monkeypatch.setattr(numbers, "_columns", lambda parsed: None)
    slow = Numbers(s, parsed)
    assert 0 < fast.ok.sum() < len(samples)  # valid and invalid samples both drawn
    assert np.array_equal(fast.ok, slow.ok)
    ok = fast.ok
    for name in ("tables", "reservations", "powers", "coef"):
        assert np.array_equal(getattr(fast, name)[ok], getattr(slow, name)[ok]), name
    assert fast.same_values == slow.same_values


def test_ukraine_columns_equal_the_loop(monkeypatch):
    s = ng.load_scenario("ukraine_2025")
    parsed = _parsed(s, monte_carlo_samples(s, 50, seed=4))
    fast = Numbers(s, parsed)
    monkeypatch.setattr(numbers, "_columns", lambda parsed: None)
    slow = Numbers(s, parsed)
    assert fast.ok.all() and slow.ok.all()
    assert np.array_equal(fast.tables, slow.tables)
    assert np.array_equal(fast.reservations, slow.reservations)


def test_different_paths_use_the_loop():
    s = ng.load_scenario("textbook_two_party")
    a = s.party_names[0]
    parsed = _parsed(s, [{f"{a}/reservation": 0.1}, {f"{a}/power": 2.0}])
    assert numbers._columns(parsed) is None
    num = Numbers(s, parsed)
    assert num.reservations[0, 0] == 0.1 and num.powers[1, 0] == 2.0
