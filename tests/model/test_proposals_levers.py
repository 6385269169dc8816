"""Proposals, levers and soft red lines as data: parsing, validation, round trips."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from strategies import scenarios

import negotiation as ng
from negotiation.engine.frontier import enumerate_frontier
from negotiation.engine.search import search_frontier
from negotiation.errors import ScenarioError
from negotiation.model.levers import Change, Lever, LeverError
from negotiation.model.proposals import ProposalError, load_proposal, parse_deal

TOML = """
name = "t"
[[issue]]
name = "x"
levels = ["a", "b", "c"]
[[issue]]
name = "y"
levels = ["p", "q"]
[[party]]
name = "A"
reservation = 0.2
weights = { x = 1, y = 1 }
[[party.red_line]]
x = ["a"]
[[party.red_line]]
y = ["q"]
penalty = 0.25
[[party]]
name = "B"
weights = { x = 1, y = 1 }
values = { x = { a = 1.0, b = 0.5, c = 0.0 } }
[[proposal]]
name = "first"
label = "The first plan"
by = "A"
source = "a quote"
date = "2025-08"
terms = { x = "b" }
[[lever]]
name = "squeeze"
source = "analyst's assumption"
[[lever.change]]
party = "A"
reservation = -0.1
[[lever.change]]
party = "B"
power = 2.0
"""


def test_scenario_file_carries_proposals_levers_and_soft_red_lines():
    s = ng.loads_scenario(TOML)
    a = s.party("A")
    assert a.red_lines == ({"x": ("a",)},)
    assert a.soft_red_lines == (({"y": ("q",)}, 0.25),)
    # the soft line is a bonus of -penalty in the compiled scenario
    assert [b.value for b in s.bonuses[0]] == [-0.25]
    (p,) = s.proposals
    assert (p.name, p.display, p.by, p.source, p.date, p.terms) == (
        "first",
        "The first plan",
        ("A",),
        "a quote",
        "2025-08",
        {"x": "b"},
    )
    assert p.open_issues(s) == ("y",)
    (lever,) = s.levers
    v = lever.apply(s)
    assert v.party("A").reservation == pytest.approx(0.1) and v.party("B").power == 2.0
    assert s.party("A").reservation == 0.2  # input not mutated
    # save and load again: equal
    assert ng.loads_scenario(ng.dumps_scenario(s)) == s


@pytest.mark.parametrize(
    "bad, match",
    [
        ('terms = { z = "a" }', "proposal 'bad': issue 'z': unknown issue"),
        ('terms = { x = "zz" }', "proposal 'bad': issue 'x': level 'zz': unknown level"),
        ('by = "Nobody"\nterms = {}', "proposal 'bad': party 'Nobody'"),
        ('terms = { x = "a" }\ncolour = "red"', "proposal 'bad': unknown key"),
    ],
)
def test_bad_proposals_name_the_proposal(bad, match):
    text = TOML + f'\n[[proposal]]\nname = "bad"\n{bad}\n'
    with pytest.raises(ProposalError, match=match):
        ng.loads_scenario(text, file="s.toml")


def test_bad_levers_are_refused():
    s = ng.loads_scenario(TOML)
    with pytest.raises(LeverError, match="unknown party"):
        Lever("l", (Change("Z", reservation=1.0),)).check(s)
    with pytest.raises(LeverError, match="no .hard. red line on this issue"):
        Lever("l", (Change("B", drop_red_line="x"),)).apply(s)
    with pytest.raises(LeverError, match="needs a penalty"):
        Lever("l", (Change("A", soften_red_line="x"),)).check(s)


def test_deal_syntax_and_proposal_file(tmp_path):
    assert parse_deal(" x = b ,y=q").terms == {"x": "b", "y": "q"}
    with pytest.raises(ProposalError, match="issue=level"):
        parse_deal("x")
    with pytest.raises(ProposalError, match="twice"):
        parse_deal("x=a,x=b")
    f = tmp_path / "plan.toml"
    f.write_text('by = ["A"]\nsource = "mine"\n[terms]\nx = "c"\n', encoding="utf-8")
    p = load_proposal(f)
    assert (p.name, p.by, p.terms) == ("plan", ("A",), {"x": "c"})
    p.check(ng.loads_scenario(TOML))


def test_soften_and_drop_levers():
    s = ng.loads_scenario(TOML)
    soft = Lever("s", (Change("A", soften_red_line="x", penalty=0.5),)).apply(s)
    assert soft.party("A").red_lines == ()
    assert ({"x": ("a",)}, 0.5) in soft.party("A").soft_red_lines
    dropped = Lever("d", (Change("A", drop_red_line=["x"]),)).apply(s)
    assert dropped.party("A").red_lines == () and len(dropped.party("A").soft_red_lines) == 1


def _with(s, p, **changes):
    parties = tuple(replace(q, **changes) if k == p else q for k, q in enumerate(s.parties))
    return replace(s, parties=parties)


@settings(max_examples=30)
@given(scenarios(max_issues=3, bonuses=False), st.data())
def test_soft_red_line_is_exactly_a_negative_bonus(s, data):
    p = data.draw(st.integers(0, len(s.parties) - 1))
    issue = s.issues[data.draw(st.integers(0, len(s.issues) - 1))]
    level = issue.levels[data.draw(st.integers(0, issue.size - 1))]
    penalty = data.draw(st.sampled_from([0.125, 0.25]))
    party = s.parties[p]
    clause = {issue.name: (level,)}
    try:
        soft = _with(s, p, soft_red_lines=((clause, penalty),))
    except ScenarioError:  # the penalty puts the party's reservation out of reach
        assume(False)
    bonus = _with(s, p, bonuses=((clause, -penalty),))
    levels = s.space.enumerate()
    assert np.array_equal(soft.utilities(levels), bonus.utilities(levels))
    m = levels[:, s.issue_names.index(issue.name)] == issue.level_index(level)
    assert np.allclose(soft.utilities(levels)[:, p], s.utilities(levels)[:, p] - penalty * m)
    e, f = enumerate_frontier(soft), search_frontier(soft)
    assert np.array_equal(e.levels, f.levels) and np.array_equal(e.utilities, f.utilities)
    assert party.soft_red_lines == ()
