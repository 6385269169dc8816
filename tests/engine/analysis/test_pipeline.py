"""analyze(): engines, sizes, the JSON shape, the summary, empty feasible sets."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from strategies import scenarios

import negotiation as ng
from negotiation.engine.analysis import Analysis, analyze
from negotiation.engine.frontier import enumerate_frontier
from negotiation.engine.solutions import SOLUTIONS
from negotiation.errors import InfeasibleError, NegotiationError
from negotiation.model.scenario import AgreementRule

SPEC_KEYS = {
    "scenario",
    "parties",
    "issues",
    "n_outcomes",
    "n_feasible",
    "n_pareto",
    "pareto",
    "solutions",
}


def nozopa():
    return ng.Scenario(
        "nozopa",
        (ng.Issue("x", ("a", "b", "c")),),
        (
            ng.Party("A", {"x": 1}, reservation=0.8),
            ng.Party("B", {"x": 1}, {"x": {"a": 1.0, "b": 0.5, "c": 0.0}}, reservation=0.6),
        ),
    )


def check_json(data: dict, analysis: Analysis) -> None:
    assert SPEC_KEYS <= set(data)
    text = json.dumps(data, allow_nan=False)
    assert json.loads(text) == data
    s = analysis.scenario
    assert data["scenario"] == s.name
    assert data["parties"] == list(s.party_names)
    assert data["issues"] == list(s.issue_names)
    assert data["n_pareto"] == analysis.frontier.size
    for entry in data["pareto"]:
        assert set(entry["deal"]) == set(s.issue_names)
        assert set(entry["utilities"]) == set(s.party_names)
        assert all(isinstance(v, str) for v in entry["deal"].values())
        assert all(isinstance(v, float) for v in entry["utilities"].values())
    for name, entry in data["solutions"].items():
        assert name in SOLUTIONS
        assert {"deal", "utilities"} <= set(entry)
    for name, entry in data["lottery_solutions"].items():
        assert name in SOLUTIONS
        assert sum(m["probability"] for m in entry["mixture"]) == pytest.approx(1.0)
        assert len(entry["mixture"]) <= len(s.parties)


def test_ukraine_scenario():
    a = analyze("ukraine_2025")
    assert a.engine == "enumerate"
    assert not a.is_empty and a.sizes["n_feasible"] > 0
    assert set(a.solutions) == set(SOLUTIONS)
    assert set(a.lotteries) == set(SOLUTIONS)
    data = a.to_dict()
    check_json(data, a)
    assert set(data["solutions"]) == {
        "nash",
        "kalai_smorodinsky",
        "egalitarian",
        "utilitarian",
        "asymmetric_nash",
    }
    # derived independently of the scenario file's comments: the product of the level counts
    assert data["n_outcomes"] == math.prod(i.size for i in a.scenario.issues)
    assert not data["pareto_truncated"]
    assert len(data["pareto"]) == data["n_pareto"]
    text = a.summary()
    for word in ("ukraine_2025", "Nash", "Kalai-Smor.", "egalitarian", "utilitarian", "Russia"):
        assert word in text
    assert "worst feasible" in text


def test_textbook_scenario_expected_numbers():
    a = analyze(ng.load_scenario("textbook_two_party"))
    assert a.sizes["n_outcomes"] == 36
    assert a.sizes["n_feasible"] == 19
    assert a.sizes["n_pareto"] == 5
    assert a.solutions["nash"].terms == {
        "salary": "60k",
        "remote_days": "two_days",
        "start_date": "one_month",
    }
    frame = a.solutions_frame(layout="terms")
    assert list(frame.columns) == list(SOLUTIONS)
    assert frame.loc["remote_days", "utilitarian"] == "four_days"
    # by hand from the scenario file: weights 5/4/2 of 11, values 60k 0.95, two_days 0.65,
    # one_month 0.75 (no bonus applies)
    assert frame.loc["Candidate utility", "nash"] == pytest.approx(
        (5 * 0.95 + 4 * 0.65 + 2 * 0.75) / 11
    )
    typed = a.solutions_frame()
    assert list(typed.index) == list(SOLUTIONS)
    assert typed.loc["utilitarian", "remote_days"] == "four_days"
    assert typed["Candidate utility"].dtype == np.float64
    assert list(typed["remote_days"].cat.categories) == list(a.scenario.issue("remote_days").levels)
    assert typed["Employer utility"].tolist() == [
        float(d.utilities[1]) for d in a.solutions.values()
    ]
    table = a.to_frame()
    assert list(table.columns) == ["salary", "remote_days", "start_date", "Candidate", "Employer"]
    assert len(table) == 5
    check_json(a.to_dict(), a)


def test_infeasible_scenario_is_reported_not_raised():
    a = analyze(nozopa())
    assert a.is_empty and a.solutions == {} and a.lotteries == {}
    data = a.to_dict()
    check_json(data, a)
    assert data["pareto"] == [] and data["solutions"] == {}
    assert data["n_feasible"] == 0
    assert "zone of agreement" in data["feasible_empty_reason"]
    assert data["blocking_parties"] == ["A", "B"]
    assert data["ideal"] == {"A": None, "B": None}
    text = a.summary()
    assert "No feasible deal" in text and "Why:" in text
    # Only where a single deal is demanded:
    with pytest.raises(InfeasibleError):
        SOLUTIONS["nash"](a.frontier)


def test_max_deals_truncates_and_says_so():
    a = analyze("ukraine_2025", lotteries=False)
    data = a.to_dict(max_deals=3)
    assert data["pareto_truncated"] is True
    assert len(data["pareto"]) == 3 and data["n_pareto_listed"] == 3
    assert data["n_pareto"] == a.frontier.size > 3
    assert data["lottery_solutions"] == {}
    assert a.to_dict(max_deals=10_000)["pareto_truncated"] is False
    with pytest.raises(NegotiationError, match="max_deals"):
        a.to_dict(max_deals=-1)


def test_epsilon_thins_the_frontier_but_keeps_exact_solutions():
    exact = analyze("ukraine_2025", lotteries=False)
    thin = analyze("ukraine_2025", epsilon=0.05, lotteries=False)
    assert thin.frontier.size < exact.frontier.size
    assert thin.frontier.epsilon == 0.05 and thin.n_pareto_exact == exact.frontier.size
    for name in SOLUTIONS:
        assert thin.solutions[name] == exact.solutions[name]
    # The guarantee: every exact frontier point is within epsilon of a listed one.
    U, V = exact.frontier.utilities, thin.frontier.utilities
    covered = np.all(V[None, :, :] >= U[:, None, :] - 0.05 - 1e-12, axis=2).any(axis=1)
    assert covered.all()
    data = thin.to_dict()
    assert data["epsilon"] == 0.05 and data["n_pareto_exact"] == exact.frontier.size
    with pytest.raises(NegotiationError, match="epsilon"):
        analyze("ukraine_2025", epsilon=-1.0)


def test_quota_rule():
    s = ng.load_scenario("ukraine_2025")
    unanimous = analyze(s, lotteries=False)
    quota = analyze(s, rule=AgreementRule(quota=3, veto=("Ukraine",)), lotteries=False)
    assert quota.engine == "enumerate"
    assert quota.sizes["n_feasible"] >= unanimous.sizes["n_feasible"]
    assert quota.to_dict()["rule"] == {"quota": 3, "veto": ["Ukraine"]}
    assert "at least 3 of 4 parties accept, vetoes: Ukraine" in quota.summary()
    with pytest.raises(ng.ScenarioError, match="unknown party"):
        analyze(s, rule=AgreementRule(quota=3, veto=("Nobody",)))


def test_worst_feasible_is_the_minimum_over_the_feasible_set():
    s = ng.load_scenario("ukraine_2025")
    a = analyze(s, lotteries=False)
    levels = s.space.enumerate()
    U = s.utilities(levels)
    U = U[s.feasible_mask(levels, U)]
    assert list(a.worst_feasible.values()) == pytest.approx(list(U.min(axis=0)))
    assert list(a.best_feasible.values()) == pytest.approx(list(U.max(axis=0)))
    assert a.to_dict()["worst_feasible"] == a.worst_feasible


def test_bad_arguments():
    with pytest.raises(NegotiationError, match="unknown engine"):
        analyze("textbook_two_party", engine="magic")
    with pytest.raises(NegotiationError, match="unknown solution"):
        analyze("textbook_two_party", solutions=["nash", "median"])
    a = analyze("textbook_two_party", solutions=["nash"], lotteries=False)
    assert list(a.solutions) == ["nash"]


def test_continuous_scenario_gets_exact_solutions():
    s = ng.Scenario(
        "pie",
        (ng.Issue("share", range=(0.0, 100.0), unit="%"), ng.Issue("venue", ("here", "there"))),
        (
            ng.Party("A", {"share": 1, "venue": 1}, reservation=0.2),
            ng.Party("B", {"share": 2}, {"share": ((0, 1.0), (100, 0.0))}, reservation=0.3),
        ),
    )
    a = analyze(s, resolution=11)
    assert a.resolution == 11 and a.frontier.scenario.space.sizes == (11, 2)
    assert set(a.continuous) == set(SOLUTIONS)
    # Exact: A = 0.5 + 0.005 x, B = 1 - 0.01 x over d = (0.2, 0.3): Nash at x = 5.
    assert a.continuous["nash"].x["share"] == pytest.approx(5.0, abs=1e-7)
    data = a.to_dict()
    check_json(data, a)
    assert data["resolution"] == 11
    assert data["continuous_solutions"]["nash"]["deal"]["venue"] == "there"
    assert "Exact continuous solutions" in a.summary()
    # A quota rule: exact continuous solutions refused, the grid still analysed.
    b = analyze(s, resolution=11, rule=AgreementRule(quota=1), lotteries=False)
    assert b.continuous == {} and any("unanimity" in n for n in b.notes)


@settings(max_examples=30)
@given(scenarios())
def test_analyze_agrees_with_the_engine_and_solutions(s):
    a = analyze(s)
    f = enumerate_frontier(s)
    np.testing.assert_array_equal(a.frontier.levels, f.levels)
    assert a.sizes["n_feasible"] == f.n_feasible
    for name, deal in a.solutions.items():
        assert deal == SOLUTIONS[name](f)
    check_json(a.to_dict(), a)
    a.summary()


def test_auto_engine_picks_by_size():
    s = ng.load_scenario("ukraine_2025")
    small = analyze(s, lotteries=False)
    big = analyze(s, max_enumerate=1000, lotteries=False)
    # Above max_enumerate the search runs; both engines give the same frontier.
    assert small.engine == "enumerate" and big.engine == "search"
    a = small.frontier
    b = big.frontier
    key = lambda fr: sorted(map(tuple, fr.levels.tolist()))  # noqa: E731
    assert key(a) == key(b)
    for name in SOLUTIONS:
        assert big.solutions[name] == small.solutions[name]


def test_engines_agree_on_a_medium_scenario():
    rng = np.random.default_rng(11)
    issues = tuple(ng.Issue(f"i{k}", tuple(f"l{j}" for j in range(4))) for k in range(8))
    parties = tuple(
        ng.Party(
            f"P{p}",
            {i.name: int(rng.integers(1, 5)) for i in issues},
            {i.name: {lv: float(rng.integers(0, 9)) / 8 for lv in i.levels} for i in issues},
            reservation=0.3,
        )
        for p in range(3)
    )
    s = ng.Scenario("medium", issues, parties)
    e = analyze(s, engine="enumerate", lotteries=False)
    f = analyze(s, engine="search", lotteries=False)
    assert e.engine == "enumerate" and f.engine == "search"
    key = lambda fr: sorted(map(tuple, fr.levels.tolist()))  # noqa: E731
    assert key(e.frontier) == key(f.frontier)
    for name in SOLUTIONS:
        assert e.solutions[name] == f.solutions[name]


def test_search_engine_with_epsilon():
    a = analyze("ukraine_2025", engine="search", epsilon=0.05, lotteries=False)
    assert a.engine == "search" and a.frontier.epsilon == 0.05
    text = a.summary()
    assert "epsilon-Pareto subset" in text
    data = a.to_dict()
    json.dumps(data, allow_nan=False)
    assert data["solutions_exact"] is (a.frontier.epsilon is None)


# ---------------------------------------------------------------------------------------------
# Engine choice (negotiation.engine.select) and --no-lotteries
# ---------------------------------------------------------------------------------------------


def test_no_lotteries_flag_skips_lottery_solutions(capsys):
    import json

    from negotiation.cli import main

    assert main(["analyze", "textbook_two_party", "--json", "--no-lotteries"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["lottery_solutions"] == {} and data["solutions"]["nash"]["deal"]
    assert main(["analyze", "textbook_two_party", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["lottery_solutions"]


def test_to_json_is_the_text_the_cli_prints_and_to_dict_the_data():
    import subprocess
    import sys

    a = analyze(ng.load_scenario("textbook_two_party"))
    text = a.to_json()
    assert isinstance(text, str) and json.loads(text) == a.to_dict()
    out = subprocess.run(
        [sys.executable, "-m", "negotiation", "analyze", "textbook_two_party", "--json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    cli = json.loads(out)
    cli.pop("equilibria", None)  # the games layer's addition
    from negotiation.engine.analysis import json_text

    assert json_text(cli) + "\n" == text + "\n"


def test_html_reprs_are_compact_summaries():
    s = ng.load_scenario("textbook_two_party")
    a = analyze(s)
    html = a._repr_html_()
    assert "textbook_two_party" in html and "<table>" in html and "Candidate" in html
    assert f"{a.sizes['n_pareto']:,} Pareto-feasible" in html
    assert len(html) < 3000  # a summary, not a dump
    sh = s._repr_html_()
    assert "textbook_two_party" in sh and "Candidate" in sh and "remote_days" in sh
    assert "Party(" not in sh and len(sh) < 6000
