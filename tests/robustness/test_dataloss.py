"""Nothing lost, nothing silently wrong: sweeps and reports under kills, torn writes, two writers
and existing files (issue 12, items 1-4 and 7).

Expected rows are never hard-coded: each sweep is compared with the same samples evaluated one
by one, in memory (``evaluate_sample``), so a misaligned, lost or duplicated row shows up as a
difference.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import negotiation as ng
from negotiation.cli import main
from negotiation.cli.store import StoreError, SweepStore, repair_csv
from negotiation.studies.sweep import evaluate_sample, grid_samples, monte_carlo_samples, run_sweep

TP = "textbook_two_party"


@pytest.fixture(scope="module")
def textbook():
    return ng.load_scenario(TP)


def _reference(scenario, samples) -> pd.DataFrame:
    """Each sample evaluated on its own, in memory: the truth a sweep file must hold."""
    rows = []
    deal = ng.analyze(scenario, solutions=["nash"], lotteries=False).solutions["nash"]
    for k, s in enumerate(samples):
        row = {"sample": k}
        row.update(evaluate_sample(scenario, s, baseline=dict(deal.terms)))
        rows.append(row)
    return pd.DataFrame(rows)


def _assert_same_rows(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """Same samples, once each, and the same value in every column of the reference."""
    assert got["sample"].is_unique, "a sample appears twice"
    assert sorted(got["sample"]) == sorted(want["sample"]), "samples lost or added"
    got = got.set_index("sample").sort_index()
    want = want.set_index("sample").sort_index()
    for col in ("valid", "agreement", "n_feasible", "n_pareto", "nash.u.Candidate"):
        a = pd.to_numeric(got[col], errors="coerce").astype(float).to_numpy()
        b = pd.to_numeric(want[col], errors="coerce").astype(float).to_numpy()
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-9, equal_nan=True, err_msg=col)
    for col in [c for c in want.columns if "/" in c]:
        np.testing.assert_allclose(got[col].to_numpy(float), want[col].to_numpy(float))


# -- item 1: one schema per sweep ------------------------------------------------------------------
def test_invalid_samples_first_in_a_batch_do_not_shift_columns(tmp_path, textbook):
    """The issue's case: reservations from 1.5 down to 0; the first samples are invalid."""
    samples = grid_samples(textbook, {"Candidate/reservation": np.linspace(1.5, 0, 60)})
    out = tmp_path / "sweep.csv"
    got = run_sweep(textbook, samples, workers=1, out=out, batch_size=7, progress=False)
    want = _reference(textbook, samples)
    _assert_same_rows(got, want)
    _assert_same_rows(pd.read_csv(out), want)
    assert int(got["agreement"].sum()) == int(want["agreement"].sum())
    with open(out, encoding="utf-8") as fh:
        header = fh.readline()
        assert all(line.count(",") == header.count(",") for line in fh)
    # rerunning the finished sweep reads the file back without error and adds nothing
    again = run_sweep(textbook, samples, workers=1, out=out, batch_size=7, progress=False)
    _assert_same_rows(again, want)


def test_schema_is_fixed_before_the_first_row(tmp_path, textbook):
    samples = grid_samples(textbook, {"Candidate/reservation": [5.0, 0.2]})  # invalid first
    out = tmp_path / "sweep.csv"
    run_sweep(textbook, samples, workers=1, out=out, batch_size=1, progress=False)
    meta = json.loads((tmp_path / "sweep.csv.meta.json").read_text(encoding="utf-8"))
    assert list(pd.read_csv(out).columns) == meta["columns"]
    assert meta["columns"][:2] == ["sample", "Candidate/reservation"]
    assert "nash.u.Employer" in meta["columns"]


def test_a_row_outside_the_schema_is_refused(tmp_path):
    with SweepStore(tmp_path / "s.csv", signature="x", columns=["sample", "a"]) as store:
        with pytest.raises(StoreError, match="outside the sweep's schema"):
            store.append([{"sample": 0, "a": 1, "b": 2}])
    assert (tmp_path / "s.csv").read_bytes() == b"sample,a\r\n"


# -- item 2: torn writes ----------------------------------------------------------------------------
@pytest.mark.parametrize("cut", [1, 5, 17])
def test_resume_after_a_torn_last_row(tmp_path, textbook, cut):
    samples = monte_carlo_samples(textbook, 30, seed=3)
    out = tmp_path / "sweep.csv"
    run_sweep(textbook, samples, workers=1, out=out, batch_size=4, progress=False)
    raw = out.read_bytes()
    out.write_bytes(raw[:-cut])  # a write cut short: the last row loses its end
    with pytest.warns(UserWarning, match="torn last row"):
        got = run_sweep(textbook, samples, workers=1, out=out, batch_size=4, progress=False)
    want = _reference(textbook, samples)
    _assert_same_rows(got, want)
    _assert_same_rows(pd.read_csv(out), want)
    # a second resume finds a clean file
    _assert_same_rows(
        run_sweep(textbook, samples, workers=1, out=out, batch_size=4, progress=False), want
    )


def test_torn_row_at_a_multibyte_character(tmp_path):
    p = tmp_path / "s.csv"
    p.write_bytes("sample,x\r\n0,a\r\n1,é".encode()[:-1])
    with pytest.warns(UserWarning, match="torn last row"):
        assert repair_csv(p, ["sample", "x"]) == 1
    assert p.read_bytes() == b"sample,x\r\n0,a\r\n"


def test_a_malformed_row_before_the_last_is_not_repaired(tmp_path):
    p = tmp_path / "s.csv"
    text = b"sample,x\r\n0,1\r\n1,2,3\r\n2,4\r\n"
    p.write_bytes(text)
    with pytest.raises(StoreError, match="row 3 is malformed"):
        repair_csv(p, ["sample", "x"])
    assert p.read_bytes() == text


def test_duplicate_samples_are_refused(tmp_path):
    p = tmp_path / "s.csv"
    p.write_bytes(b"sample,x\r\n0,1\r\n0,1\r\n")
    with pytest.raises(StoreError, match="twice"):
        repair_csv(p, ["sample", "x"])


# -- item 3: two writers ------------------------------------------------------------------------------
def test_a_second_writer_is_refused(tmp_path, textbook, capsys):
    args = ["sweep", TP, "--samples", "4", "--workers", "1", "--quiet", "--out", str(tmp_path)]
    assert main(args) == 0
    meta = json.loads((tmp_path / "sweep.csv.meta.json").read_text(encoding="utf-8"))
    before = (tmp_path / "sweep.csv").read_bytes()
    # another run holds the lock (the same sweep: it would otherwise resume)
    with SweepStore(tmp_path / "sweep.csv", signature=meta["signature"], columns=meta["columns"]):
        assert main(args) == 2
    err = capsys.readouterr().err
    assert f"being written by another run (pid {os.getpid()}" in err
    assert (tmp_path / "sweep.csv").read_bytes() == before
    assert main(args) == 0  # the lock is gone with its holder


def test_a_stale_lock_is_taken_over_with_a_note(tmp_path, capsys):
    args = ["sweep", TP, "--samples", "4", "--workers", "1", "--quiet", "--out", str(tmp_path)]
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    pid = int(dead.stdout)
    (tmp_path / "sweep.csv.lock").write_text(json.dumps({"pid": pid}), encoding="utf-8")
    assert main(args) == 0
    assert f"stale lock left by pid {pid}" in capsys.readouterr().err
    assert not (tmp_path / "sweep.csv.lock").exists()


@pytest.mark.slow
def test_kill_9_during_a_sweep_then_resume(tmp_path, textbook):
    """A sweep killed with SIGKILL mid-run resumes to the complete, correct table."""
    n = 600
    cmd = [
        sys.executable,
        "-m",
        "negotiation",
        "sweep",
        TP,
        "--samples",
        str(n),
        "--seed",
        "7",
        "--workers",
        "1",
        "--quiet",
        "--out",
        str(tmp_path),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    csv_path = tmp_path / "sweep.csv"
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline:
            if csv_path.exists() and csv_path.read_bytes().count(b"\n") > 60:
                break
            if proc.poll() is not None:
                pytest.fail(f"the sweep ended before it could be killed: {proc.stderr.read()!r}")
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    partial = csv_path.read_bytes().count(b"\n") - 1
    assert 0 < partial < n, "kill -9 should land mid-sweep"
    assert (tmp_path / "sweep.csv.lock").exists()  # left behind by the killed run
    resumed = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    assert "Traceback" not in resumed.stderr
    samples = monte_carlo_samples(textbook, n, seed=7)
    _assert_same_rows(pd.read_csv(csv_path), _reference(textbook, samples))


# -- item 4: existing files under --out ------------------------------------------------------------
def test_sweep_refuses_a_csv_it_did_not_write(tmp_path, capsys):
    mine = "my,own\n1,2\n"
    (tmp_path / "sweep.csv").write_text(mine, encoding="utf-8")
    args = ["sweep", TP, "--samples", "3", "--workers", "1", "--quiet", "--out", str(tmp_path)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "sweep.csv exists and was not written by a sweep" in err and "--force" in err
    assert (tmp_path / "sweep.csv").read_text(encoding="utf-8") == mine
    assert main([*args, "--force"]) == 0
    assert len(pd.read_csv(tmp_path / "sweep.csv")) == 3


def test_sweep_refuses_another_sweeps_csv_and_resumes_its_own(tmp_path, capsys):
    base = ["sweep", TP, "--workers", "1", "--quiet", "--out", str(tmp_path)]
    assert main([*base, "--samples", "3"]) == 0
    first = (tmp_path / "sweep.csv").read_bytes()
    assert main([*base, "--samples", "3"]) == 0  # the same sweep: resumes, no --force needed
    assert (tmp_path / "sweep.csv").read_bytes() == first
    assert main([*base, "--samples", "5"]) == 2  # a different sweep
    assert "written by a different sweep" in capsys.readouterr().err
    assert (tmp_path / "sweep.csv").read_bytes() == first
    assert main([*base, "--samples", "5", "--force"]) == 0
    assert len(pd.read_csv(tmp_path / "sweep.csv")) == 5


def test_sweep_default_folder_is_named_after_the_sweep(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["sweep", TP, "--samples", "2", "--workers", "1", "--quiet"]) == 0
    assert main(["sweep", TP, "--samples", "3", "--workers", "1", "--quiet"]) == 0
    folders = sorted(p.name for p in (tmp_path / "results").iterdir())
    assert len(folders) == 2 and all(f.startswith(f"sweep-{TP}-") for f in folders)
    assert all(len(f.rsplit("-", 1)[1]) == 8 for f in folders)


def test_report_refuses_to_overwrite_a_users_files(tmp_path, capsys):
    out = tmp_path / "r"
    out.mkdir()
    (out / "frontier.csv").write_text("mine\n", encoding="utf-8")
    args = [
        "report",
        TP,
        "--out",
        str(out),
        "--formats",
        "png",
        "--no-sensitivity",
        "--no-simulation",
        "--no-equilibria",
        "--quiet",
    ]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "frontier.csv" in err and "--force" in err
    assert sorted(os.listdir(out)) == ["frontier.csv"]
    assert main([*args, "--force"]) == 0
    assert (out / "frontier.csv").read_text(encoding="utf-8") != "mine\n"
    assert main(args) == 0  # its own files, unchanged since: may be replaced
    (out / "report.md").write_text("# edited by hand\n", encoding="utf-8")
    assert main(args) == 2
    assert "report.md" in capsys.readouterr().err
    assert (out / "report.md").read_text(encoding="utf-8") == "# edited by hand\n"


def test_analyze_refuses_to_overwrite_a_users_files(tmp_path, capsys):
    (tmp_path / "analysis.json").write_text("{}", encoding="utf-8")
    assert main(["analyze", TP, "--out", str(tmp_path)]) == 2
    assert "analysis.json" in capsys.readouterr().err
    assert (tmp_path / "analysis.json").read_text(encoding="utf-8") == "{}"


# -- item 7: the report lists only what it wrote ---------------------------------------------------
def test_report_files_section_lists_only_this_runs_files(tmp_path):
    out = tmp_path / "r"
    (out / "private").mkdir(parents=True)
    (out / "private" / "diary.txt").write_text("secret", encoding="utf-8")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    args = [
        "report",
        TP,
        "--out",
        str(out),
        "--formats",
        "png",
        "--no-sensitivity",
        "--no-simulation",
        "--no-equilibria",
        "--quiet",
    ]
    assert main(args) == 0
    md = (out / "report.md").read_text(encoding="utf-8")
    files = md.split("## Files", 1)[1]
    assert "diary" not in files and "notes.txt" not in files and "private" not in files
    for name in ("frontier.csv", "analysis.json", "report.md", "report.html"):
        assert f"`{name}`" in files
    # every file named was written by the run
    listed = [
        x.strip("`")
        for x in files.split("Written next to this report: ", 1)[1]
        .split(".\n")[0]
        .rstrip(".")
        .split(", ")
    ]
    assert all((out / x).is_file() for x in listed)


# -- a property: any cut of a sweep file resumes to an exact prefix of its rows ---------------------
_text = st.text(
    alphabet=st.sampled_from(list('ab,"\n\r é€;') + ["\U0001f600"]), min_size=0, max_size=6
)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(_text, st.one_of(st.floats(allow_nan=True, allow_infinity=False), st.none())),
        min_size=1,
        max_size=12,
    ),
    cut_at=st.floats(0, 1),
)
def test_any_cut_resumes_to_an_exact_prefix(tmp_path_factory, rows, cut_at):
    """Write rows (one append each, strings with commas, quotes, newlines and multi-byte
    characters), cut the file at any byte, repair: what remains is exactly the rows that were
    complete before the cut, in order, nothing torn, nothing duplicated."""
    import csv
    import io
    import warnings

    folder = tmp_path_factory.mktemp("cut")
    path = folder / "s.csv"
    columns = ["sample", "label", "x"]
    ends = []
    with SweepStore(path, signature="p", columns=columns) as store:
        header_end = path.stat().st_size
        for k, (label, x) in enumerate(rows):
            store.append([{"sample": k, "label": label, "x": x}])
            ends.append(path.stat().st_size)
    full = path.read_bytes()
    want = list(csv.reader(io.StringIO(full.decode("utf-8"))))[1:]
    cut = header_end + int(cut_at * (len(full) - header_end))
    path.write_bytes(full[:cut])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        repair_csv(path, columns)
    got = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8"))))
    complete = sum(1 for e in ends if e <= cut)
    assert got[0] == columns
    assert got[1:] == want[:complete]
