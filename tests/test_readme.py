"""README is the front door: its commands and its example must work as written."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import negotiation as ng

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.S)


def test_exactly_two_setup_commands_and_ci_runs_the_test_one():
    commands = [b.strip() for b in blocks("bash")]
    assert len(commands) == 2, commands
    main_cmd, test_cmd = commands
    assert "negotiation analyze" in main_cmd and "pip install" in main_cmd
    assert "pytest" in test_cmd and "pip install" in test_cmd
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_cmd in ci, "the CI script must run README's test command verbatim"


def test_scenario_example_loads(tmp_path):
    (example,) = [b for b in blocks("toml") if "[[party]]" in b]
    scenario = ng.loads_scenario(example, file="README example")
    assert scenario.party_names == ("Ukraine", "Russia")
    assert scenario.is_continuous
    assert scenario.agreement.quota == 2
    again = ng.loads_scenario(ng.dumps_scenario(scenario))
    assert again == scenario


def _cli() -> list[str]:
    exe = Path(sys.executable).with_name("negotiation")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "negotiation"]


def test_main_command_runs_on_default_scenario(tmp_path):
    """The first README command's job, in a subprocess, as a user runs it."""
    main_cmd = blocks("bash")[0]
    args = main_cmd.split("negotiation analyze", 1)[1].split()
    out = tmp_path / "out"
    args = [str(out) if a == "negotiation-output" else a for a in args]
    proc = subprocess.run(
        [*_cli(), "analyze", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert proc.returncode == 0, proc.stderr
    assert "ukraine_2025" in proc.stdout
    assert "not a forecast" in proc.stdout
    data = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    assert data["scenario"] == "ukraine_2025" and data["n_pareto"] > 0


def test_bad_input_exits_2_without_traceback(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'name = "b"\n[[issue]]\nname = "x"\nlevels = ["a", "b"]\n'
        '[[party]]\nname = "P"\nweights = { x = -1 }\n',
        encoding="utf-8",
    )
    proc = subprocess.run([*_cli(), "analyze", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert f"{bad}: party 'P': issue 'x': weight is negative" in proc.stderr
