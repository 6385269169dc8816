"""The command line as users meet it (issue 18): usage on bad flags, --json everywhere a command
computes something, the same analysis options, output fitted to the terminal, wording, units,
progress only on a terminal. Each test runs the real command in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "formats" / "fixtures"


def cli(*args: str, cwd: Path | None = None, columns: int | None = None, check_rc: int | None = 0):
    env = dict(os.environ)
    env.pop("COLUMNS", None)
    if columns:
        env["COLUMNS"] = str(columns)
    run = subprocess.run(
        [sys.executable, "-m", "negotiation", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=600,
    )
    if check_rc is not None:
        assert run.returncode == check_rc, (run.returncode, run.stdout[-2000:], run.stderr[-2000:])
    return run


def test_a_bad_flag_points_at_the_subcommands_usage():
    # one line (issue 12: one clear message), naming the sub-command and its own --help
    # (issue 18: not the top-level usage)
    for command in ("analyze", "equilibrium", "sweep", "report"):
        run = cli(command, "--no-such-flag", check_rc=2)
        assert run.stderr.startswith(f"negotiation {command}: error:")
        assert f"see 'negotiation {command} --help'" in run.stderr
        assert "usage: negotiation COMMAND" not in run.stderr and len(run.stderr.splitlines()) == 1
        assert "unrecognized arguments: --no-such-flag" in run.stderr
        assert "Traceback" not in run.stderr


def test_equilibrium_takes_veto_like_analyze():
    run = cli(
        "equilibrium",
        "textbook_two_party",
        "--model",
        "baron-ferejohn",
        "--veto",
        "Employer",
        "--json",
    )
    assert json.loads(run.stdout)["model"] == "baron-ferejohn"
    bad = cli("equilibrium", "textbook_two_party", "--veto", "Employer", check_rc=2)
    assert bad.stderr.count("\n") == 1 and "--veto does not apply to the rubinstein" in bad.stderr
    unknown = cli(
        "equilibrium", "textbook_two_party", "--model", "finite", "--veto", "Nobody", check_rc=2
    )
    assert "Nobody" in unknown.stderr and "Traceback" not in unknown.stderr


def test_sweep_json_summary(tmp_path):
    run = cli(
        "sweep",
        "textbook_two_party",
        "--grid",
        "Candidate/reservation=0.3:0.4:3",
        "--out",
        str(tmp_path / "s"),
        "--workers",
        "1",
        "--json",
    )
    data = json.loads(run.stdout)
    assert data["samples"] == 3 and data["valid"] == 3
    assert {r["issue"] for r in data["nash_levels"]} == {"salary", "remote_days", "start_date"}
    assert Path(data["csv"]).is_file()
    assert run.stderr == ""  # no progress bar when stderr is not a terminal


def test_report_json_index_and_no_progress_off_a_terminal(tmp_path):
    out = tmp_path / "r"
    run = cli(
        "report",
        "textbook_two_party",
        "--out",
        str(out),
        "--formats",
        "png",
        "--no-sensitivity",
        "--no-simulation",
        "--json",
    )
    index = json.loads(run.stdout)
    assert Path(index["report"]).name == "report.html" and Path(index["report"]).is_file()
    assert {Path(p).name for p in index["tables"]} >= {"frontier.csv", "solutions.csv"}
    assert all(Path(p).is_file() for p in index["figures"]["png"])
    assert "it/s" not in run.stderr and "figure/s" not in run.stderr


def test_corpus_json_table(tmp_path):
    run = cli(
        "corpus", str(FIXTURES / "discrete"), "--out", str(tmp_path / "c"), "--json", check_rc=None
    )
    assert run.returncode in (0, 1), run.stderr
    data = json.loads(run.stdout)
    assert data["domains"] == len(data["rows"]) >= 1
    assert Path(data["csv"]).is_file()


@pytest.mark.parametrize("columns", [80, 120])
def test_analyze_fits_the_terminal_and_json_keeps_everything(columns):
    run = cli("analyze", "ukraine_2025", columns=columns)
    widest = max(len(line) for line in run.stdout.splitlines())
    assert widest <= columns, [line for line in run.stdout.splitlines() if len(line) > columns]
    data = json.loads(cli("analyze", "ukraine_2025", "--json").stdout)
    assert set(data["solutions"]) == {
        "nash",
        "asymmetric_nash",
        "kalai_smorodinsky",
        "egalitarian",
        "utilitarian",
    }


ONE_ISSUE = """
name = "one"
[[issue]]
name = "price"
range = [0.0, 100.0]
unit = "%"
[[party]]
name = "A"
reservation = {reservation}
weights = {{ price = 1 }}
[[party]]
name = "B"
weights = {{ price = 1 }}
[party.values]
price = [[0, 1.0], [100, 0.0]]
"""


def test_wording_and_units(tmp_path):
    path = tmp_path / "one.toml"
    path.write_text(ONE_ISSUE.format(reservation=0.2), encoding="utf-8")
    out = cli("analyze", str(path)).stdout
    assert "(2 parties, 1 issue)" in out
    assert "no two with the same utilities" in out
    assert "60%" in out  # the Nash split of a linear pie with A's reservation 0.2, in its unit
    path.write_text(ONE_ISSUE.format(reservation=50), encoding="utf-8")
    bad = cli("analyze", str(path), check_rc=2)
    assert "reservation 50 is above the best utility any outcome can give (1)" in bad.stderr
    assert "finer resolution" not in bad.stderr


def test_sweep_takes_the_analysis_options(tmp_path):
    bad = cli(
        "sweep", "textbook_two_party", "--veto", "Nobody", "--out", str(tmp_path / "x"), check_rc=2
    )
    assert "Nobody" in bad.stderr and "Traceback" not in bad.stderr
    assert not (tmp_path / "x" / "sweep.csv").exists()
    usage = cli("sweep", "--help").stdout
    for option in ("--engine", "--quota", "--veto", "--json"):
        assert option in usage
