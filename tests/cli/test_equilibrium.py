"""``negotiation equilibrium``: the JSON contract, readable output, exit codes."""

import json
import math
import sys
from pathlib import Path

import pytest

import negotiation as ng
from negotiation.cli import main
from negotiation.dynamics import equilibria_summary
from negotiation.dynamics.games import baron_ferejohn, rubinstein

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "dynamics"))
from games_helpers import DEADLOCK_TOML  # noqa: E402


def run_json(capsys, *args):
    code = main(["equilibrium", *args, "--json"])
    out = capsys.readouterr().out
    assert code == 0
    return json.loads(out)


def check_agreement(agreement, parties):
    assert isinstance(agreement, dict)
    assert ("deal" in agreement) != ("mixture" in agreement)
    if "mixture" in agreement:
        assert sum(m["probability"] for m in agreement["mixture"]) == pytest.approx(1.0)
        assert all(isinstance(m["deal"], dict) for m in agreement["mixture"])
    assert set(parties) <= set(agreement["utilities"])


def test_rubinstein_json_contract(capsys):
    data = run_json(capsys, "--model", "rubinstein")
    assert data["model"] == "rubinstein"
    assert data["parties"] == ["Russia", "Ukraine"]
    check_agreement(data["agreement"], data["parties"])
    assert set(data["agreement"]["utilities"]) == set(ng.load_scenario("ukraine_2025").party_names)
    data = run_json(
        capsys,
        "ukraine_2025",
        "--model",
        "rubinstein",
        "--parties",
        "Ukraine,United States",
        "--proposer",
        "United States",
        "--breakdown",
        "0.1",
        "--discount",
        "Ukraine=0.8",
    )
    assert data["proposer"] == "United States"
    assert data["discounts"]["Ukraine"] == pytest.approx(0.72)


@pytest.mark.parametrize("model", ["finite", "baron-ferejohn", "demand-game", "coalitions"])
def test_other_models_json(capsys, model):
    extra = ["--horizon", "3"] if model == "finite" else []
    extra += ["--demands", "4"] if model == "demand-game" else []
    data = run_json(capsys, "--model", model, *extra)
    assert data["model"] == model
    check_agreement(data["agreement"], data["parties"])
    if model == "demand-game":
        assert data["equilibria"] and all("strategies" in e for e in data["equilibria"])


def test_lottery_agreement_json(capsys):
    data = run_json(capsys, "textbook_two_party", "--model", "rubinstein")
    assert "mixture" in data["agreement"] and len(data["agreement"]["mixture"]) == 2
    assert data["nash_solution"] is not None


def test_readable_output(capsys):
    assert main(["equilibrium", "textbook_two_party"]) == 0
    out = capsys.readouterr().out
    assert "Rubinstein" in out and "not a forecast" in out


@pytest.mark.parametrize(
    "args,message",
    [
        (["--parties", "Russia,Mars"], "unknown party"),
        (["--parties", "Russia"], "at least two"),
        (["--discount", "Russia=0"], "discount must be in (0, 1]"),
        (["--discount", "Russia=1.5"], "discount must be in (0, 1]"),
        (["--discount", "Russia"], "NAME=VALUE"),
        (["--breakdown", "1"], "breakdown"),
        (["--model", "coalitions", "--horizon", "3"], "do not apply"),
        (["--model", "finite", "--horizon", "0"], "horizon"),
        (["--proposer", "Europe"], "unknown party"),
        (["--parties", "Russia,Ukraine,United States"], "2-party model"),
    ],
)
def test_bad_input_exits_2(capsys, args, message):
    assert main(["equilibrium", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_empty_frontier_exits_2(capsys, tmp_path):
    path = tmp_path / "deadlock.toml"
    path.write_text(DEADLOCK_TOML, encoding="utf-8")
    assert main(["equilibrium", str(path)]) == 2
    assert "no feasible outcome" in capsys.readouterr().err


def test_argparse_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["equilibrium", "--model", "poker"])
    assert exc.value.code == 2


def test_equilibria_summary_for_the_lead():
    """Each entry is the model it names, run as documented in ``equilibria_summary``: Rubinstein
    between the first two parties of the file (Russia, Ukraine) each proposing first,
    Baron-Ferejohn among all four with equal recognition, and one coalition entry per pair of
    parties (C(4, 2) = 6) whose counts are brute-forced over the whole outcome space."""
    scenario = ng.load_scenario("ukraine_2025")
    s = equilibria_summary(scenario)
    json.dumps(s, allow_nan=False)
    models = {k: v for k, v in s.items() if isinstance(v, dict)}
    assert set(models) == {"rubinstein", "rubinstein_reversed", "baron_ferejohn"}
    pair = ("Russia", "Ukraine")
    for key, first in (("rubinstein", "Russia"), ("rubinstein_reversed", "Ukraine")):
        r = rubinstein(scenario, pair, proposer=first)
        assert s[key]["parties"] == list(pair) and s[key]["proposer"] == first
        assert s[key]["agreement"] == r.to_dict()["agreement"]
        assert s[key]["label"] == f"Rubinstein equilibrium ({first} first)"
    bf = baron_ferejohn(scenario)
    assert s["baron_ferejohn"]["parties"] == list(scenario.party_names)
    assert s["baron_ferejohn"]["values"] == pytest.approx(bf.values)
    assert s["baron_ferejohn"]["converged"] is True
    assert s["baron_ferejohn"]["label"] == "Baron–Ferejohn equilibrium"
    levels = scenario.space.enumerate()
    levels = levels[scenario.space.allowed_mask(levels)]
    acc = scenario.acceptable(levels, scenario.utilities(levels))
    names = list(scenario.party_names)
    assert len(s["coalitions"]) == math.comb(len(names), 2)
    for entry in s["coalitions"]:
        members = [names.index(m) for m in entry["members"]]
        outs = [p for p in range(len(names)) if p not in members]
        ok = acc[:, members].all(axis=1)
        assert entry["can_agree"] == bool(ok.any())
        assert entry["n_acceptable"] == int(ok.sum())
        assert entry["n_against_outsiders"] == int((ok & ~acc[:, outs].any(axis=1)).sum())
    assert "Baron-Ferejohn" in s["text"]
