"""The Python API as a notebook user meets it (issue 18): ``dir()``, reprs."""

from __future__ import annotations

import negotiation as ng


def test_simulate_is_listed_and_loads():
    assert "simulate" in dir(ng)
    assert callable(ng.simulate)


def test_scenario_repr_is_a_summary():
    s = ng.load_scenario("textbook_two_party")
    text = repr(s)
    assert text.startswith("Scenario('textbook_two_party', parties=['Candidate', 'Employer']")
    assert f"outcomes={s.space.cardinality}" in text
    assert "Party(" not in text and len(text) < 300
