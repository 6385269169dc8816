"""The ``negotiation simulate`` command: summary, JSON, defaults, listing and exit codes."""

from __future__ import annotations

import json

import pytest

from negotiation.cli import main
from negotiation.dynamics.protocols import simulate


def run(capsys, *argv):
    try:
        code = main(["simulate", *argv])
    except SystemExit as exc:  # argparse's own usage errors (bounds of numeric options)
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_ukraine_example(capsys):
    code, out, err = run(
        capsys,
        "ukraine_2025",
        "--protocol",
        "alternating",
        "--agents",
        "boulware,conceder",
        "--parties",
        "Russia,Ukraine",
        "--seed",
        "1",
    )
    assert code == 0 and not err
    assert out.startswith(
        "alternating negotiation on 'ukraine_2025' (seed 1): Russia (boulware), Ukraine (conceder)"
    )
    assert "round   0  Russia" in out
    r = simulate(
        "ukraine_2025", agents=("boulware", "conceder"), parties=("Russia", "Ukraine"), seed=1
    )
    if r.agreement is not None:
        assert f"agreement after {r.rounds} rounds:" in out
        for issue, level in r.agreement.terms.items():
            assert issue in out and level in out
        assert "(not at the table)" in out
    else:
        assert "no agreement" in out


def test_json_output(capsys):
    code, out, _ = run(
        capsys,
        "ukraine_2025",
        "--protocol",
        "alternating",
        "--agents",
        "boulware,conceder",
        "--seed",
        "1",
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert {"protocol", "agents", "agreement", "rounds", "trace"} <= set(data)
    assert data["protocol"] == "alternating"
    assert data["agents"] == {"Russia": "boulware", "Ukraine": "conceder"}
    assert data["rounds"] == len(data["trace"])
    expected = simulate("ukraine_2025", agents=("boulware", "conceder"), seed=1).to_json()
    assert data == json.loads(json.dumps(expected))
    if data["agreement"] is not None:
        assert set(data["agreement"]) >= {"deal", "utilities"}


def test_defaults_other_protocols_and_options(capsys):
    code, out, _ = run(capsys, "--rounds", "20")  # ukraine_2025, Russia vs Ukraine
    assert code == 0 and "Russia (boulware), Ukraine (conceder)" in out
    code, out, _ = run(
        capsys, "textbook_two_party", "--protocol", "mediated", "--agents", "linear", "--all-rounds"
    )
    assert code == 0 and "mediator" in out and "... " not in out
    code, out, _ = run(capsys, "--protocol", "stacked", "--agents", "conceder", "--rounds", "30")
    assert code == 0 and "European allies (conceder)" in out


def test_listing(capsys):
    code, out, _ = run(capsys, "--list")
    assert code == 0
    for name in (
        "alternating",
        "stacked",
        "mediated",
        "boulware",
        "tit_for_tat",
        "zeuthen",
        "opponent_model",
        "hardliner",
    ):
        assert name in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--agents", "boulware,nope"], "unknown strategy 'nope'"),
        (["--protocol", "auction"], "unknown protocol 'auction'"),
        (["--parties", "Russia,Kyiv"], "unknown party 'Kyiv'"),
        (["--protocol", "stacked", "--agents", "boulware,conceder"], "2 agents given for 4"),
        (["no_such_scenario"], "no such scenario"),
        (["--rounds", "0"], "--rounds: must be"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and not out
    assert err.startswith("negotiation simulate: error: ") and message in err
    assert "Traceback" not in err


def test_the_docs_examples_run(capsys):
    """The Python blocks of docs/simulation.md and docs/howto-add-a-strategy.md run as written."""
    import re
    from pathlib import Path

    from negotiation.dynamics.strategies import STRATEGIES

    docs = Path(__file__).resolve().parents[2] / "docs"
    saved = dict(STRATEGIES)
    try:
        for page in ("simulation.md", "howto-add-a-strategy.md"):
            text = (docs / page).read_text(encoding="utf-8")
            for block in re.findall(r"```python\n(.*?)```", text, flags=re.S):
                exec(compile(block, f"{page} example", "exec"), {"__name__": "docs_example"})
    finally:
        STRATEGIES.clear()
        STRATEGIES.update(saved)
    out = capsys.readouterr().out
    assert "agreement after" in out and "gambler" in out
