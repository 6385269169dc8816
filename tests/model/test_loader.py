"""Loading, validating and saving scenario files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from strategies import integer_scenarios, scenarios

import negotiation as ng
from negotiation.errors import ScenarioError

GOOD = """
name = "toy"
description = "a toy"
sources = ["made up"]

[[issue]]
name = "x"
label = "The X"
levels = ["a", "b", "c"]

[[issue]]
name = "y"
levels = ["p", "q"]

[[constraint]]
x = ["a"]
y = ["q"]

[[party]]
name = "A"
reservation = 0.2
power = 2.0
discount = 0.9
weights = { x = 3, y = 1 }

[party.values]
x = { a = 0.0, b = 0.5, c = 1.0 }

[[party.red_line]]
x = ["c"]
y = ["p"]

[[party.bonus]]
x = ["b"]
y = ["q"]
value = 0.05

[[party]]
name = "B"
weights = { x = 1 }
[party.values]
x = { a = 1.0, b = 0.5, c = 0.0 }
"""


def load(text: str) -> ng.Scenario:
    return ng.loads_scenario(text, file="test.toml")


def test_good_scenario_loads_with_defaults():
    s = load(GOOD)
    assert s.name == "toy" and s.sources == ("made up",)
    assert s.party_names == ("A", "B")
    a, b = s.parties
    assert (a.reservation, a.power, a.discount) == (0.2, 2.0, 0.9)
    assert (b.reservation, b.power, b.discount) == (0.0, 1.0, 1.0)
    np.testing.assert_allclose(s.weights, [[0.75, 0.25], [1.0, 0.0]])
    # y is unlisted in A's values: linear in level order.
    np.testing.assert_allclose(s.values(0, 1), [0.0, 1.0])


def test_utilities_match_hand_computation():
    s = load(GOOD)
    levels = np.array([[1, 1], [2, 0], [0, 0]])
    u = s.utilities(levels)
    # A: 0.75*0.5 + 0.25*1 + bonus 0.05 = 0.675 ; 0.75*1 + 0 = 0.75 ; 0
    np.testing.assert_allclose(u[:, 0], [0.675, 0.75, 0.0])
    np.testing.assert_allclose(u[:, 1], [0.5, 0.0, 1.0])
    # red line of A: x=c and y=p
    assert s.red_line_mask(levels)[:, 0].tolist() == [False, True, False]
    # constraint x=a & y=q forbidden
    assert s.space.allowed_mask(np.array([[0, 1], [0, 0]])).tolist() == [False, True]
    feasible = s.feasible_mask(levels)
    assert feasible.tolist() == [True, False, False]  # A's reservation 0.2 fails row 3


def test_exactly_at_reservation_is_acceptable_after_normalisation():
    # weights 1,1,1 normalise to thirds: 1/3+1/3+1/3 may not be exactly 1.0 in floats.
    text = """
name = "t"
[[issue]]
name = "a"
levels = ["n", "y"]
[[issue]]
name = "b"
levels = ["n", "y"]
[[issue]]
name = "c"
levels = ["n", "y"]
[[party]]
name = "P"
reservation = 1.0
weights = { a = 1, b = 1, c = 1 }
[[party]]
name = "Q"
weights = { a = 1 }
"""
    s = load(text)
    levels = np.array([[1, 1, 1]])
    assert s.acceptable(levels)[0, 0]


def test_points_party_sums_exact_integers():
    text = """
name = "scorable"
[[issue]]
name = "x"
levels = ["a", "b"]
[[issue]]
name = "y"
levels = ["a", "b"]
[[party]]
name = "P"
reservation = 30
points = { x = { a = 10, b = 25 }, y = { a = 0, b = 5 } }
[[party]]
name = "Q"
weights = { x = 1 }
"""
    s = load(text)
    u = s.utilities(s.space.enumerate())
    assert u[:, 0].tolist() == [10.0, 15.0, 25.0, 30.0]
    assert s.acceptable(s.space.enumerate())[:, 0].tolist() == [False, False, False, True]


def test_round_trip_bundled_and_file(tmp_path: Path):
    for name in ng.bundled_scenarios():
        s = ng.load_scenario(name)
        path = ng.save_scenario(s, tmp_path / f"{name}.toml")
        again = ng.load_scenario(path)
        assert again == s
    s = load(GOOD)
    assert ng.loads_scenario(ng.dumps_scenario(s)) == s


@given(scenarios())
def test_round_trip_random(s):
    assert ng.loads_scenario(ng.dumps_scenario(s)) == s


@given(integer_scenarios())
def test_round_trip_random_points(s):
    assert ng.loads_scenario(ng.dumps_scenario(s)) == s


def test_bundled_by_name_and_path():
    s = ng.load_scenario("ukraine_2025")
    assert ng.load_scenario(s.file) == s
    assert "ukraine_2025" in ng.bundled_scenarios()


def test_continuous_issue_discretises_and_round_trips():
    text = """
name = "pie"
[[issue]]
name = "share"
range = [0.0, 100.0]
unit = "%"
[[party]]
name = "A"
weights = { share = 1 }
[party.values]
share = [[0, 0.0], [50, 0.8], [100, 1.0]]
[[party]]
name = "B"
weights = { share = 1 }
[party.values]
share = [[0, 1.0], [100, 0.0]]
[[party.red_line]]
share = { min = 90.0, max = 100.0 }
"""
    s = load(text)
    assert s.is_continuous
    assert ng.loads_scenario(ng.dumps_scenario(s)) == s
    d = s.discretize(11)
    assert d.issues[0].levels[:3] == ("0", "10", "20")
    u = d.utilities(d.space.enumerate())
    np.testing.assert_allclose(
        u[:, 0], np.interp(np.linspace(0, 100, 11), [0, 50, 100], [0, 0.8, 1])
    )
    assert d.red_line_mask(d.space.enumerate())[:, 1].tolist() == [False] * 9 + [True, True]
    with pytest.raises(ScenarioError, match="continuous"):
        _ = s.space


BAD = [
    ("name = \n", "TOML syntax error.*line 1"),
    ('description = "x"\n', "missing required key 'name'"),
    ('name = "t"\n[[issue]]\nname = "Bad Name"\nlevels=["a"]\n', "not an identifier"),
    (
        'name = "t"\n[[issue]]\nname = "x"\nlevels=["a","a"]\n',
        "issue 'x': level 'a': duplicate level",
    ),
    (
        'name = "t"\n[[issue]]\nname = "x"\nlevels=["a","b"]\n[[issue]]\nname = "x"\nlevels=["a","b"]\n'
        '[[party]]\nname="P"\nweights={x=1}\n',
        "issue 'x': duplicate issue name",
    ),
    ('name = "t"\nbogus = 1\n', r"unknown key\(s\) \['bogus'\]"),
]


def party_text(body: str, name: str = "P") -> str:
    return (
        'name = "t"\n[[issue]]\nname = "x"\nlevels = ["a", "b", "c"]\n'
        '[[issue]]\nname = "y"\nlevels = ["p", "q"]\n'
        f'[[party]]\nname = "{name}"\n{body}\n'
        '[[party]]\nname = "Other"\nweights = { x = 1 }\n'
    )


PARTY_BAD = [
    ("weights = { x = -1, y = 1 }", "party 'P': issue 'x': weight is negative"),
    ("weights = { x = nan, y = 1 }", "party 'P': issue 'x': weight must be finite"),
    ("weights = { x = inf }", "party 'P': issue 'x': weight must be finite"),
    ("weights = { x = 0, y = 0 }", "party 'P': weights are all zero"),
    ("weights = { z = 1 }", "party 'P': issue 'z': unknown issue"),
    ('weights = { x = "heavy" }', "party 'P': issue 'x': weight must be a number"),
    (
        "weights = { x = 1 }\n[party.values]\nx = { a = 0.0, b = 1.5, c = 0.2 }",
        "party 'P': issue 'x': level 'b': value must be in \\[0, 1\\]",
    ),
    (
        "weights = { x = 1 }\n[party.values]\nx = { a = 0.0, b = nan, c = 0.2 }",
        "party 'P': issue 'x': level 'b': value must be finite",
    ),
    (
        "weights = { x = 1 }\n[party.values]\nx = { a = 0.0, zz = 1.0, c = 0.2 }",
        "party 'P': issue 'x': level 'zz': unknown level",
    ),
    (
        "weights = { x = 1 }\n[party.values]\nx = { a = 0.0, c = 0.2 }",
        "party 'P': issue 'x': values missing for levels \\['b'\\]",
    ),
    ("weights = { x = 1 }\nreservation = 1.5", "party 'P': reservation 1.5 is above the best"),
    ("weights = { x = 1 }\nreservation = nan", "party 'P': reservation must be finite"),
    ("weights = { x = 1 }\ndiscount = 0", "party 'P': discount must be in \\(0, 1\\]"),
    ("weights = { x = 1 }\ndiscount = 1.2", "party 'P': discount must be in \\(0, 1\\]"),
    ("weights = { x = 1 }\npower = -1", "party 'P': power must be > 0"),
    (
        'weights = { x = 1 }\n[[party.red_line]]\nx = ["d"]',
        "party 'P': issue 'x': level 'd': unknown level",
    ),
    ('weights = { x = 1 }\n[[party.red_line]]\nw = ["a"]', "party 'P': issue 'w': unknown issue"),
    (
        'weights = { x = 1 }\n[[party.red_line]]\nx = ["a", "b", "c"]',
        "party 'P': the red lines and constraints forbid every outcome",
    ),
    (
        'weights = { x = 1 }\n[[party.bonus]]\nx = ["a"]',
        "party 'P': every \\[\\[party.bonus\\]\\] needs a value",
    ),
    (
        "points = { x = { a = 1, b = 2 } }",
        "party 'P': issue 'x': points missing for levels \\['c'\\]",
    ),
    (
        "points = { x = { a = 1, b = 2, c = 3 } }\nweights = { x = 1 }",
        "party 'P': give either points or weights",
    ),
    ("reservation = 0.1", "party 'P': has no weights"),
    ("weights = { x = 1 }\nsurprise = 1", "party 'P': unknown key"),
]


@pytest.mark.parametrize("text,pattern", BAD)
def test_bad_scenarios_fail_clearly(text, pattern):
    with pytest.raises(ScenarioError, match=pattern) as info:
        load(text)
    assert str(info.value).startswith("test.toml")


@pytest.mark.parametrize("body,pattern", PARTY_BAD)
def test_bad_party_fails_naming_file_party_issue(body, pattern):
    with pytest.raises(ScenarioError, match=pattern) as info:
        load(party_text(body))
    assert str(info.value).startswith("test.toml: ")


def test_duplicate_party_and_constraint_forbidding_everything():
    text = party_text("weights = { x = 1 }", name="Other")
    with pytest.raises(ScenarioError, match="party 'Other': duplicate party name"):
        load(text)
    text = party_text("weights = { x = 1 }") + '[[constraint]]\ny = ["p", "q"]\n'
    with pytest.raises(ScenarioError, match="the constraints forbid every outcome"):
        load(text)


def test_missing_file_names_it():
    with pytest.raises(ScenarioError, match="no-such.toml: no such scenario"):
        ng.load_scenario("no-such.toml")


def test_inputs_not_mutated_and_reservation_unreachable_large_space():
    # 12 issues x 4 levels = 16.7M outcomes: the reachability check works by components.
    issues = [ng.Issue(f"i{k}", ("a", "b", "c", "d")) for k in range(12)]
    weights = {f"i{k}": 1 for k in range(12)}
    parties = [ng.Party("A", weights, reservation=0.99), ng.Party("B", weights)]
    s = ng.Scenario("big", tuple(issues), tuple(parties))
    # the caller's objects are untouched: the same dict, the same values, the same parties
    assert weights == {f"i{k}": 1 for k in range(12)}
    assert parties[0].weights is weights and parties[0].reservation == 0.99
    # the best outcome is worth exactly 1 to A (weights normalised, every issue's best level
    # valued 1): on the 2-issue version of the same party that is checked by enumeration
    small = ng.Scenario(
        "small", tuple(issues[:2]), (ng.Party("A", {"i0": 1, "i1": 1}), ng.Party("B", {"i0": 1}))
    )
    every = np.array([(i, j) for i in range(4) for j in range(4)])
    assert small.utilities(every)[:, 0].max() == pytest.approx(1.0)
    # so a reservation of 1 is reachable, 1.01 is not; neither call changes ``s``
    assert s.with_party("A", reservation=1.0).parties[0].reservation == 1.0
    with pytest.raises(ScenarioError, match="party 'A': reservation 1.01"):
        s.with_party("A", reservation=1.01)
    assert s.parties[0].reservation == 0.99 and s.parties == tuple(parties)


def test_json_files_go_to_the_geniusweb_reader(tmp_path: Path):
    bad = tmp_path / "profile.json"
    bad.write_text('{"LinearAdditiveUtilitySpace": {\n  "name": }', encoding="utf-8")
    with pytest.raises(ScenarioError, match="profile.json"):
        ng.load_scenario(bad)
