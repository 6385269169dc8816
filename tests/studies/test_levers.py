"""Levers: each lever and each pair applied, ranked by effect; the `levers` and `evaluate` CLIs."""

from __future__ import annotations

import json

import pytest
from contracts import EVALUATION_KEYS

import negotiation as ng
from negotiation.cli import main
from negotiation.model.levers import Change, Lever
from negotiation.studies.levers import lever_effects

SMALL = """
name = "small"
[[issue]]
name = "x"
levels = ["a", "b", "c"]
[[issue]]
name = "y"
levels = ["p", "q"]
[[party]]
name = "A"
reservation = 0.8
weights = { x = 1, y = 1 }
[[party]]
name = "B"
reservation = 0.5
weights = { x = 1, y = 1 }
values = { x = { a = 1.0, b = 0.5, c = 0.0 }, y = { p = 1.0, q = 0.0 } }
[[lever]]
name = "a_softens"
[[lever.change]]
party = "A"
reservation = -0.55
[[lever]]
name = "b_power"
[[lever.change]]
party = "B"
power = 3
"""


def _brute_feasible(s) -> int:
    levels = s.space.enumerate()
    return int(s.feasible_mask(levels).sum())


def test_lever_opening_the_zone_ranks_first():
    s = ng.loads_scenario(SMALL)
    # A's utility: (x index/2 + y index)/2 ... A needs 0.8: only x=c,y=q (1.0); B gets 0 there.
    assert _brute_feasible(s) == 0
    study = lever_effects(s)
    assert [e.name for e in study.effects][:2] in (
        ["a_softens", "a_softens + b_power"],
        ["a_softens + b_power", "a_softens"],
    )
    top = study.effects[0]
    assert top.opens_zone
    assert top.n_feasible == _brute_feasible(s.levers[0].apply(s))
    last = study.effects[-1]
    assert last.name == "b_power" and not last.zone_open and last.n_feasible == 0
    data = study.to_json()
    json.dumps(data, allow_nan=False)
    assert [e["rank"] for e in data["levers"]] == [1, 2, 3]


def test_an_invalid_variant_counts_as_a_closed_zone():
    s = ng.loads_scenario(SMALL)
    up = Lever("up", (Change("B", reservation=5.0),))
    (e,) = lever_effects(s.levers[0].apply(s), [up], pairs=False).effects
    assert e.closes_zone and e.error and "reservation" in e.error


def test_levers_cli_on_the_bundled_scenario(capsys):
    assert main(["levers", "ukraine_2025", "--json", "--no-pairs"]) == 0
    data = json.loads(capsys.readouterr().out)
    names = {lv.name for lv in ng.load_scenario("ukraine_2025").levers}
    assert {tuple(e["levers"]) for e in data["levers"]} == {(n,) for n in names}
    assert main(["levers", "ukraine_2025", "--no-pairs", "--quiet"]) == 0
    assert "ranked by effect" in capsys.readouterr().out


def test_levers_cli_without_levers_exits_2(capsys):
    assert main(["levers", "textbook_two_party"]) == 2
    err = capsys.readouterr().err
    assert "no [[lever]]" in err and "Traceback" not in err


def test_evaluate_cli_contract(capsys, tmp_path):
    assert main(["evaluate", "ukraine_2025", "--json", "--repair"]) == 0
    data = json.loads(capsys.readouterr().out)
    s = ng.load_scenario("ukraine_2025")
    assert data["scenario"] == "ukraine_2025"
    assert [p["name"] for p in data["proposals"]] == [p.name for p in s.proposals]
    keys = EVALUATION_KEYS
    for p in data["proposals"]:
        assert keys <= set(p)
        assert set(p["accepted_by"]) | set(p["rejected_by"]) == set(s.party_names)
        assert "repair" in p
    # a proposal file and a --deal
    f = tmp_path / "plan.toml"
    f.write_text('name = "plan"\n[terms]\ndonbas = "freeze_current_line"\n', encoding="utf-8")
    assert (
        main(
            [
                "evaluate",
                "ukraine_2025",
                "--proposal",
                str(f),
                "--deal",
                "donbas=ukraine_withdraws",
                "--json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert [p["name"] for p in data["proposals"]] == ["plan", "deal"]
    assert any(r["party"] == "Ukraine" for r in data["proposals"][1]["red_lines_crossed"])


@pytest.mark.parametrize(
    "argv, words",
    [
        (["--deal", "donbas=nowhere"], "proposal 'deal': issue 'donbas': level 'nowhere'"),
        (["--proposal", "no_such_plan"], "proposal 'no_such_plan'"),
        (["--deal", "donbas"], "issue=level"),
    ],
)
def test_evaluate_cli_errors_exit_2(capsys, argv, words):
    assert main(["evaluate", "ukraine_2025", *argv]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err and err.count("\n") == 1
