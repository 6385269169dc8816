"""Bad command lines: each ends in exit 2 with one message naming the bad option or value.

Every command line runs in its own subprocess (``conftest.run_cli``: bounded in time and
memory) exactly as a user would type it. The whole corpus runs concurrently in a module-scoped
fixture; each case is then checked on its own: exit code 2, one line on stderr that names the
option (or the file) at fault, no traceback, nothing on stdout.
"""

from __future__ import annotations

import os

import pytest

from negotiation.cli import SUBCOMMANDS, main

TP = "textbook_two_party"

#: (command line, text the one error line must contain). Paths are relative to a scratch folder
#: holding ``existing.txt`` (a file), ``foreign_report/report.md`` (a user's file) and
#: ``foreign_sweep/sweep.csv`` (a CSV no sweep wrote).
CASES: list[tuple[tuple[str, ...], str]] = [
    # --out at a file, an impossible place, or over a user's files (items 4 and 10)
    (("analyze", TP, "--out", "existing.txt"), "existing.txt"),
    (("analyze", TP, "--out", "/proc/self/x"), "/proc/self/x"),
    (("analyze", TP, "--out", "existing.txt/sub"), "existing.txt/sub"),
    (("report", TP, "--out", "existing.txt"), "existing.txt"),
    (("report", TP, "--out", "/proc/self/x", "--quiet"), "/proc/self/x"),
    (("report", TP, "--out", "foreign_report", "--quiet"), "report.md"),
    (("analyze", TP, "--out", "foreign_report"), "report.md"),
    (("sweep", TP, "--samples", "3", "--out", "existing.txt"), "existing.txt"),
    (("sweep", TP, "--samples", "3", "--out", "/proc/self/x"), "/proc/self/x"),
    (("sweep", TP, "--samples", "3", "--workers", "1", "--out", "foreign_sweep"), "sweep.csv"),
    # sweep sizes and numbers (items 10 and 11)
    (("sweep", TP, "--samples", "0", "--out", "D"), "--samples"),
    (("sweep", "--samples", "-5"), "--samples"),
    (("sweep", "--samples", "3e8"), "--samples"),
    (("sweep", "--samples", "300000000"), "--samples"),
    (("sweep", "--samples", "abc"), "--samples"),
    (("sweep", "--samples", "1.5"), "--samples"),
    (("sweep", TP, "--grid", "P/reservation=0:1:0"), "--grid"),
    (("sweep", TP, "--grid", "Candidate/reservation=0:1:0"), "--grid"),
    (("sweep", TP, "--grid", "Candidate/reservation=0:1:-3"), "--grid"),
    (("sweep", TP, "--grid", "Candidate/reservation=nan:1:3"), "--grid"),
    (("sweep", TP, "--grid", "Candidate/reservation=0:inf:3"), "--grid"),
    (("sweep", TP, "--grid", "Candidate/reservation=0:1:100000000"), "--grid"),
    (
        (
            "sweep",
            TP,
            "--grid",
            "Candidate/reservation=0:1:1000",
            "--grid",
            "Employer/reservation=0:1:1001",
        ),
        "--grid",
    ),
    (("sweep", TP, "--grid", "Candidate/reservation"), "--grid"),
    (("sweep", TP, "--grid", "Candidate/reservation=0.1,inf"), "--grid"),
    (("sweep", TP, "--grid", "Candidate/reservation=a,b"), "--grid"),
    (("sweep", "--workers", "-1"), "--workers"),
    (("sweep", "--workers", "0"), "--workers"),
    (("sweep", "--workers", "100000"), "--workers"),
    (("sweep", "--spread", "inf"), "--spread"),
    (("sweep", "--spread", "nan"), "--spread"),
    (("sweep", "--spread", "-0.1"), "--spread"),
    (("sweep", "--concentration", "0"), "--concentration"),
    (("sweep", "--concentration", "nan"), "--concentration"),
    (("sweep", "--seed", "-1"), "--seed"),
    (("sweep", TP, "--samples", "3", "--dask", "notanaddress", "--out", "D2"), "--dask"),
    (("sweep", TP, "--samples", "3", "--dask", "127.0.0.1:9", "--out", "D3"), "--dask"),
    (("sweep", TP, "--samples", "3", "--parties", "Nobody", "--out", "D4"), "Nobody"),
    # analysis options
    (("analyze", "--resolution", "100000000"), "--resolution"),
    (("analyze", "--resolution", "10^8"), "--resolution"),
    (("analyze", "--resolution", "1"), "--resolution"),
    (("analyze", "--max-deals", "-1"), "--max-deals"),
    (("analyze", "--epsilon", "nan"), "--epsilon"),
    (("analyze", "--epsilon", "-1"), "--epsilon"),
    (("analyze", "--quota", "0"), "--quota"),
    (("analyze", "--seed", "-1"), "--seed"),
    (("analyze", "--engine", "warp"), "--engine"),
    # the report
    (("report", "--dpi", "100000"), "--dpi"),
    (("report", "--dpi", "0"), "--dpi"),
    (("report", "--max-outcomes", "0"), "--max-outcomes"),
    (("report", "--max-outcomes", "1e12"), "--max-outcomes"),
    (("report", "--formats", "gif"), "--formats"),
    (("report", "--seed", "-1"), "--seed"),
    # simulate and equilibrium
    (("simulate", "--rounds", "1000000000"), "--rounds"),
    (("simulate", "--rounds", "10^9"), "--rounds"),
    (("simulate", "--rounds", "0"), "--rounds"),
    (("simulate", "--seed", "-1"), "--seed"),
    (("simulate", "--resolution", "0"), "--resolution"),
    (("equilibrium", "--model", "finite", "--horizon", "10000000"), "--horizon"),
    (("equilibrium", "--breakdown", "nan"), "breakdown"),
    (("equilibrium", "--demands", "0"), "--demands"),
    (("equilibrium", "--demands", "100000"), "--demands"),
    (("equilibrium", "--resolution", "100000000"), "--resolution"),
]


@pytest.fixture(scope="module")
def results(tmp_path_factory, cli):
    """Run every case once, concurrently, in a scratch folder; ``{args: CliRun}``."""
    root = tmp_path_factory.mktemp("cli_args")
    (root / "existing.txt").write_text("a user's file\n", encoding="utf-8")
    (root / "foreign_report").mkdir()
    (root / "foreign_report" / "report.md").write_text("# my own notes\n", encoding="utf-8")
    (root / "foreign_sweep").mkdir()
    (root / "foreign_sweep" / "sweep.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    runs = cli.many([args for args, _ in CASES], cwd=root)
    return root, {run.args: run for run in runs}


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 40
    assert len({args for args, _ in CASES}) == len(CASES)


@pytest.mark.parametrize(("args", "names"), CASES, ids=[" ".join(a) for a, _ in CASES])
def test_bad_command_line_is_one_clean_error(results, args, names):
    _, by_args = results
    run = by_args[args]
    problem = run.one_clean_error()
    assert problem is None, f"negotiation {' '.join(args)}: {problem}"
    assert names in run.err, f"the message does not name {names!r}: {run.err!r}"
    assert run.err.startswith(f"negotiation {args[0]}: error: ")
    assert run.out == ""


def test_nothing_of_the_users_was_touched(results):
    root, _ = results
    assert (root / "existing.txt").read_text(encoding="utf-8") == "a user's file\n"
    assert sorted(os.listdir(root / "foreign_report")) == ["report.md"]
    assert (root / "foreign_report" / "report.md").read_text(encoding="utf-8") == (
        "# my own notes\n"
    )
    assert (root / "foreign_sweep" / "sweep.csv").read_text(encoding="utf-8") == "a,b\n1,2\n"
    # refused runs create no output folders
    for name in ("D", "D2", "D3"):
        assert not (root / name).exists(), name


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write anywhere"
)
def test_read_only_out(tmp_path, capsys):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        assert main(["analyze", TP, "--out", str(ro / "sub")]) == 2
        assert main(["analyze", TP, "--out", str(ro)]) == 2
    finally:
        ro.chmod(0o755)
    assert "ro" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["", *SUBCOMMANDS])
def test_every_help_works(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"] if command else ["--help"])
    assert exc.value.code == 0
    assert "usage:" in capsys.readouterr().out
