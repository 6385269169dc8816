"""The report's sentences (negotiation.report.prose): numbers in words and the main trade-offs,
checked against values worked out by hand or by brute force over the scenario file."""

from __future__ import annotations

import numpy as np
import pytest
from brute_force import best, brute_force

import negotiation as ng
from negotiation.engine.analysis import analyze
from negotiation.report import describe_trade_offs
from negotiation.report.prose import join_words, num, pct, prose_name, signed


@pytest.fixture(scope="module")
def textbook():
    return analyze(ng.load_scenario("textbook_two_party"))


def test_numbers_in_words():
    assert num(2 / 3) == "0.667" and num(0.5, 1) == "0.5"
    assert signed(0.25) == "+0.250" and signed(-0.25) == "\u22120.250"  # a real minus sign
    assert pct(0) == "0%" and pct(0.5) == "50%" and pct(0.00012) == "0.012%"
    assert join_words([]) == "" and join_words(["a"]) == "a" and join_words("ab") == "a and b"
    assert prose_name("egalitarian") == "egalitarian" and prose_name("kalai_smorodinsky")[0] == "K"


def test_trade_offs_are_generated_from_the_numbers(textbook):
    """The textbook case by hand: weights 5/4/2 (Candidate) and 3/3/5 (Employer) over 11.
    Nash 60k / two days / one month: Candidate 8.85/11, Employer 8.15/11; utilitarian
    60k / four days / one month: Candidate 10.25/11, Employer 6.95/11. Moving from Nash to
    utilitarian: Candidate +1.4/11 = +0.127, Employer -1.2/11 = -0.109."""
    text = describe_trade_offs(textbook)
    joined = "\n".join(text)
    assert (
        "The Nash and the utilitarian deals differ on 1 issue: Remote days per week (two days "
        "under Nash, four days under utilitarian)" in joined
    )
    assert "Candidate (+0.127) gains utility; Employer (\u22120.109) loses" in joined
    # the only differing issue decides; its swing in scores: Candidate 4/11 x (1 - 0.65),
    # Employer 3/11 x (0.3 - 0.7), in all 2.6/11
    assert (
        "The deciding issue is **Remote days per week**: switching it alone moves the parties' "
        "scores by Employer \u22120.109 and Candidate +0.127 (the largest swing, 0.236 in total)"
    ) in joined
    # the salary is the same in every Pareto-feasible deal (the scenario file's comment)
    assert "Every Pareto-feasible deal has Annual salary: 60k" in joined


def test_closest_to_the_reservation_against_the_brute_force(textbook):
    """Under each distinct deal, the party with the smallest gain, its utility, gain and share
    of the most it could gain on the frontier: all from tests/brute_force.py."""
    bf = brute_force("textbook_two_party")
    names = list(bf["utilities"])
    text = describe_trade_offs(textbook)
    for rule, label in (("utilitarian", "utilitarian"), ("egalitarian", "egalitarian")):
        k = best(bf, rule)
        gains = [bf["utilities"][p][k] - bf["reservations"][p] for p in names]
        q = int(np.argmin(gains))
        p = names[q]
        ideal = max(bf["utilities"][p][j] for j in bf["pareto"])
        share = gains[q] / (ideal - bf["reservations"][p])
        sentence = (
            f"Under {label}, **{p}** is closest to its reservation value: "
            f"{bf['utilities'][p][k]:.3f}, +{gains[q]:.3f} above {bf['reservations'][p]:.3f} "
            f"({100 * share:.3g}% of the most it could gain in a feasible deal)."
        )
        assert sentence in text, (sentence, text)
    # by hand: utilitarian leaves Employer 6.95/11 - 0.45 = 0.182 of 9.8/11 - 0.45 = 0.441
    assert any(
        line.startswith("Under utilitarian, **Employer**") and "41.2%" in line for line in text
    )


def test_deciding_issue_is_the_largest_score_swing():
    a = analyze(ng.load_scenario("ukraine_2025"), lotteries=False)
    s = a.scenario
    text = "\n".join(describe_trade_offs(a))
    la, lb = a.solutions["nash"].levels, a.solutions["utilitarian"].levels
    diff = [i for i in range(len(s.issues)) if la[i] != lb[i]]
    swing = [np.abs(s.tables[i][lb[i]] - s.tables[i][la[i]]).sum() for i in diff]
    decides = s.issues[diff[int(np.argmax(swing))]].display
    assert f"**{decides}**" in text
    assert "pick the same deal" in text


def test_an_empty_zone_has_no_trade_off():
    s = ng.loads_scenario(
        """
name = "empty"
[[issue]]
name = "x"
levels = ["a", "b"]
[[party]]
name = "A"
reservation = 0.9
weights = { x = 1 }
values = { x = { a = 1.0, b = 0.0 } }
[[party]]
name = "B"
reservation = 0.9
weights = { x = 1 }
values = { x = { a = 0.0, b = 1.0 } }
"""
    )
    assert describe_trade_offs(analyze(s)) == [
        "No outcome is feasible, so there is no trade-off to describe."
    ]


def test_mixed_scales_are_never_added_in_the_text(tmp_path):
    """Issue 12, item 16: a points-scored party beside weighted ones: no total across scales."""
    text = """
name = "mixed"
[[issue]]
name = "x"
levels = ["a", "b", "c"]
[[issue]]
name = "y"
levels = ["p", "q"]
[[party]]
name = "W"
reservation = 0.1
weights = { x = 1, y = 1 }
[[party]]
name = "S"
reservation = 10
[party.points]
x = { a = 60, b = 30, c = 0 }
y = { p = 0, q = 40 }
"""
    a = analyze(ng.loads_scenario(text))
    lines = " ".join(describe_trade_offs(a))
    assert "decid" in lines, lines  # the solutions differ on x: a deciding issue is named
    assert "in total" not in lines and "relative to each party's own scale" in lines
