"""Every experiment script runs (in its --quick form), so that none can rot."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted(p for p in (ROOT / "experiments").glob("*.py") if not p.name.startswith("_"))


def load(path: Path):
    sys.path.insert(0, str(path.parent))
    try:
        spec = importlib.util.spec_from_file_location(f"experiment_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(path.parent))
    return module


def test_there_are_experiments():
    assert len(SCRIPTS) >= 1


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_experiment_runs_quick(script, tmp_path, capsys):
    module = load(script)
    out = tmp_path / script.stem
    sys.path.insert(0, str(script.parent))
    try:
        code = module.main(["--quick", "--out", str(out)])
    finally:
        sys.path.remove(str(script.parent))
    assert code in (0, None)
    printed = capsys.readouterr().out
    assert str(out) in printed, "an experiment prints where it wrote"
    assert any(out.iterdir()), "an experiment writes its results"
