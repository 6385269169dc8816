"""The report's uncertainty section and `negotiation sweep` agree: one default, same draws.

Issue 18: the report used 40 samples and `negotiation sweep` 1,000, so their level
probabilities differed (85% vs 90% for one level of the Ukraine case) although both draw from the
same distribution with the same seed (the report's 40 draws are the sweep's first 40). Now both
take :data:`DEFAULT_SAMPLES`, the report takes ``samples``/``--samples``, and it says how many.
"""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

import negotiation as ng
from negotiation.cli import main
from negotiation.report import build_report
from negotiation.studies.sweep import (
    DEFAULT_SAMPLES,
    level_probabilities,
    monte_carlo_samples,
    run_sweep,
)


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    cols = ["issue", "level", "probability", "count"]
    return frame[cols].sort_values(["issue", "level"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    build_report(
        "textbook_two_party",
        out,
        formats=("png",),
        seed=3,
        samples=60,
        simulation=False,
        equilibria=False,
    )
    return out


def test_report_level_probabilities_equal_the_sweeps(report_dir):
    s = ng.load_scenario("textbook_two_party")
    rows = run_sweep(s, monte_carlo_samples(s, 60, seed=3), workers=1, progress=False)
    expected = _sorted(level_probabilities(rows, "nash"))
    got = _sorted(pd.read_csv(report_dir / "level_frequencies.csv"))
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_report_states_sample_size_and_seed(report_dir):
    text = (report_dir / "report.md").read_text(encoding="utf-8")
    assert "60 random variants of the scenario (seed 3;" in text
    assert "`negotiation sweep --samples 60 --seed 3`" in text
    mc = pd.read_csv(report_dir / "sensitivity_monte_carlo.csv")
    assert len(mc) == 60


def test_sweep_cli_and_report_cli_agree(tmp_path):
    sweep_out, report_out = tmp_path / "sweep", tmp_path / "report"
    args = ["--samples", "30", "--seed", "7", "--quiet"]
    assert main(["sweep", "textbook_two_party", "--out", str(sweep_out), *args]) == 0
    assert (
        main(
            [
                "report",
                "textbook_two_party",
                "--out",
                str(report_out),
                "--formats",
                "png",
                "--no-simulation",
                "--no-equilibria",
                *args,
            ]
        )
        == 0
    )
    from_sweep = _sorted(level_probabilities(pd.read_csv(sweep_out / "sweep.csv"), "nash"))
    from_report = _sorted(pd.read_csv(report_out / "level_frequencies.csv"))
    pd.testing.assert_frame_equal(from_report, from_sweep, check_dtype=False)


def test_one_default_for_both_commands():
    from negotiation.cli import build_parser

    parser = build_parser()
    for command in (["sweep"], ["report"], ["analyze"]):
        assert parser.parse_args(command).samples == DEFAULT_SAMPLES
    assert DEFAULT_SAMPLES >= 1000


@pytest.mark.parametrize("command", ["report", "analyze"])
def test_bad_sample_size_is_a_clear_error(command, tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "negotiation",
            command,
            "textbook_two_party",
            "--out",
            str(tmp_path / "r"),
            "--samples",
            "0",
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "--samples: must be from 1 to" in proc.stderr and "got 0" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "r" / "report.html").exists()


def test_build_report_refuses_a_bad_sample_size(tmp_path):
    with pytest.raises(ng.NegotiationError, match="samples must be a whole number >= 1"):
        build_report("textbook_two_party", tmp_path, samples=0)


def test_build_report_bounds_the_sample_size(tmp_path):
    with pytest.raises(ng.NegotiationError, match="run `negotiation sweep` for more"):
        build_report("textbook_two_party", tmp_path, samples=10**9)
    assert not (tmp_path / "report.html").exists()
