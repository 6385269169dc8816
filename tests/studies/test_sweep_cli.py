"""The `negotiation sweep` command."""

from __future__ import annotations

import pandas as pd
import pytest

from negotiation.cli import main
from negotiation.cli.sweep import parse_grid
from negotiation.errors import NegotiationError


def test_monte_carlo_run_writes_rows_and_resumes(tmp_path, capsys):
    args = [
        "sweep",
        "textbook_two_party",
        "--samples",
        "12",
        "--workers",
        "1",
        "--quiet",
        "--out",
        str(tmp_path),
    ]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "12 samples of 'textbook_two_party'" in out and str(tmp_path / "sweep.csv") in out
    rows = pd.read_csv(tmp_path / "sweep.csv")
    assert len(rows) == 12
    assert main(args) == 0  # resuming a finished sweep adds nothing
    assert len(pd.read_csv(tmp_path / "sweep.csv")) == 12


def test_grid_run(tmp_path, capsys):
    assert (
        main(
            [
                "sweep",
                "textbook_two_party",
                "--grid",
                "Candidate/reservation=0.2:0.4:3",
                "--grid",
                "Employer/power=1,2",
                "--workers",
                "1",
                "--quiet",
                "--out",
                str(tmp_path),
            ]
        )
        == 0
    )
    rows = pd.read_csv(tmp_path / "sweep.csv")
    assert len(rows) == 6
    assert sorted(set(rows["Candidate/reservation"].round(3))) == [0.2, 0.3, 0.4]


def test_parse_grid():
    assert parse_grid(["P/reservation=0:1:3"]) == {"P/reservation": [0.0, 0.5, 1.0]}
    with pytest.raises(NegotiationError, match="expected PATH"):
        parse_grid(["P/reservation"])


def test_bad_input_path_exits_2(tmp_path, capsys):
    code = main(
        [
            "sweep",
            "textbook_two_party",
            "--grid",
            "Nobody/reservation=0.1,0.2",
            "--quiet",
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 2
    assert "party 'Nobody'" in capsys.readouterr().err
