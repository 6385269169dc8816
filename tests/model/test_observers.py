"""Observers (issue 18): a party declared ``observer = true`` is scored and shown, but is not
part of the agreement rule, the Nash product, or Baron-Ferejohn's proposers and voters."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import negotiation as ng
from negotiation.dynamics.games.baron_ferejohn import baron_ferejohn
from negotiation.engine.analysis import analyze
from negotiation.errors import NegotiationError, ScenarioError

TALKS = """
name = "talks"
[[issue]]
name = "enrichment"
levels = ["none", "low", "medium", "high"]
[[issue]]
name = "sanctions"
levels = ["kept", "eased", "lifted"]
[[party]]
name = "West"
reservation = 0.3
weights = {{ enrichment = 2, sanctions = 1 }}
[party.values]
enrichment = {{ none = 1.0, low = 0.7, medium = 0.3, high = 0.0 }}
sanctions = {{ kept = 1.0, eased = 0.5, lifted = 0.0 }}
[[party]]
name = "Iran"
reservation = 0.3
weights = {{ enrichment = 1, sanctions = 2 }}
[party.values]
enrichment = {{ none = 0.0, low = 0.4, medium = 0.8, high = 1.0 }}
sanctions = {{ kept = 0.0, eased = 0.6, lifted = 1.0 }}
[[party]]
name = "Israel"
reservation = 0.9
{observer}weights = {{ enrichment = 1 }}
[party.values]
enrichment = {{ none = 1.0, low = 0.2, medium = 0.0, high = 0.0 }}
[[party.red_line]]
sanctions = ["lifted"]
"""


@pytest.fixture(scope="module")
def talks(tmp_path_factory):
    path = tmp_path_factory.mktemp("obs") / "talks.toml"
    path.write_text(TALKS.format(observer="observer = true\n"), encoding="utf-8")
    return ng.load_scenario(path)


def _without_observer(s):
    return dataclasses.replace(s, parties=s.parties[:2], file=None)


def test_observer_is_loaded_saved_and_shown(talks, tmp_path):
    assert [p.observer for p in talks.parties] == [False, False, True]
    assert talks.deciders == (0, 1)
    again = ng.load_scenario(ng.save_scenario(talks, tmp_path / "again.toml"))
    assert again == talks
    assert "observer" in talks._repr_html_()


def test_feasible_set_ignores_the_observer_and_nash_leaves_it_out(talks):
    levels = talks.space.enumerate()
    U = talks.utilities(levels)
    acc = talks.acceptable(levels, U)
    # brute force: feasible = acceptable to West and Iran, whatever Israel thinks
    assert np.array_equal(talks.feasible_mask(levels, U), acc[:, :2].all(axis=1))
    assert not acc[:, 2].all()  # Israel's reservation and red line would bind otherwise
    a = analyze(talks)
    two = analyze(_without_observer(talks))
    assert a.sizes["n_feasible"] == two.sizes["n_feasible"]
    for name in ("nash", "asymmetric_nash"):
        assert a.solutions[name].terms == two.solutions[name].terms, name
    # brute-force Nash over the two bargaining parties
    ok = acc[:, :2].all(axis=1)
    gains = np.prod(U[ok][:, :2] - talks.reservations[:2], axis=1)
    best = levels[ok][np.argmax(gains)]
    assert a.solutions["nash"].levels.tolist() == best.tolist()
    # Israel is scored and shown
    data = a.to_dict()
    assert "Israel" in data["solutions"]["nash"]["utilities"]


def test_baron_ferejohn_has_no_observer_among_proposers(talks):
    bf = baron_ferejohn(talks)
    assert bf.players == ("West", "Iran")
    two = baron_ferejohn(_without_observer(talks))
    assert bf.values == pytest.approx(two.values)
    with pytest.raises(ScenarioError, match="observers"):
        baron_ferejohn(talks, parties=("West", "Israel"))


def test_bad_observer_declarations(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(TALKS.format(observer='observer = "yes"\n'), encoding="utf-8")
    with pytest.raises(ScenarioError, match="observer must be true or false"):
        ng.load_scenario(path)
    text = TALKS.format(observer="observer = true\n") + '\n[agreement]\nveto = ["Israel"]\n'
    path.write_text(text, encoding="utf-8")
    with pytest.raises(NegotiationError, match="observer cannot hold a veto"):
        ng.load_scenario(path)


def test_summary_marks_the_observer(talks):
    text = analyze(talks).summary()
    assert "Israel (observer)" in text


def test_nash_over_lotteries_leaves_the_observer_out(talks):
    a = analyze(talks)
    two = analyze(_without_observer(talks))
    for name in ("nash", "asymmetric_nash"):
        np.testing.assert_allclose(
            a.lotteries[name].utilities[:2], two.lotteries[name].utilities, atol=1e-9
        )
