"""``negotiation corpus``: every domain within a time and a memory budget (worker processes).

The work of one domain is replaced (monkeypatched, inherited by the forked worker) by something
that sleeps or allocates too much: the run must go on and say why that domain was skipped.
"""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import numpy as np
import pytest

from negotiation.cli import main
from negotiation.studies import corpus as study

FIX = Path(__file__).parents[1] / "formats" / "fixtures"  # shared with other tests and docs
needs_fork = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="budgets need fork"
)


def _sleeper(*args, **kwargs):
    time.sleep(60)


def _hog(*args, **kwargs):
    return np.ones(2**28)  # 2 GB of float64


@needs_fork
def test_time_budget_skips_with_the_reason(monkeypatch):
    monkeypatch.setattr(study, "analyse_domain", _sleeper)
    t = time.perf_counter()
    rows = study.run_corpus(FIX, timeout=0.5, max_memory=None, progress=False)
    assert rows and all(r["status"] == "skipped" for r in rows)
    assert all("time budget of 0.5 s exceeded" in r["reason"] for r in rows)
    assert time.perf_counter() - t < 60 * len(rows)  # the sleepers were stopped


@needs_fork
def test_memory_budget_skips_with_the_reason(monkeypatch):
    monkeypatch.setattr(study, "analyse_domain", _hog)
    rows = study.run_corpus(FIX, timeout=None, max_memory=256, progress=False)
    assert rows and all(r["status"] == "skipped" for r in rows)
    assert all("memory budget of 256 MB" in r["reason"] for r in rows)


@needs_fork
def test_budgeted_rows_equal_in_process_rows():
    a = study.run_corpus(FIX, progress=False)
    b = study.run_corpus(FIX, timeout=None, max_memory=None, progress=False)
    strip = ("load_seconds", "analysis_seconds")
    assert [{k: v for k, v in r.items() if k not in strip} for r in a] == [
        {k: v for k, v in r.items() if k not in strip} for r in b
    ]


@pytest.mark.parametrize(
    "option",
    [
        ["--timeout", "0"],
        ["--timeout", "nan"],
        ["--max-memory", "-1"],
        ["--max-enumerate", "-1"],
        ["--jobs", "0"],
    ],
)
def test_bad_budget_options_exit_2(option, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["corpus", str(FIX), "--out", str(tmp_path), *option])
    assert exc.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


@needs_fork
def test_pool_rows_equal_one_worker_rows_in_domain_order():
    one = study.run_corpus(FIX, progress=False, jobs=1)
    two = study.run_corpus(FIX, progress=False, jobs=2)
    strip = ("load_seconds", "analysis_seconds")
    assert len(one) > 2
    assert [{k: v for k, v in r.items() if k not in strip} for r in one] == [
        {k: v for k, v in r.items() if k not in strip} for r in two
    ]


@needs_fork
def test_pool_time_budget_stops_each_sleeper(monkeypatch):
    monkeypatch.setattr(study, "analyse_domain", _sleeper)
    rows = study.run_corpus(FIX, timeout=0.5, max_memory=None, progress=False, jobs=2)
    assert len(rows) == len(study.find_genius_domains(FIX))
    assert all("time budget of 0.5 s exceeded" in r["reason"] for r in rows)


@needs_fork
def test_cli_jobs_option_writes_the_same_table(tmp_path):
    assert main(["corpus", str(FIX), "--out", str(tmp_path / "one"), "--jobs", "1"]) == 0
    assert main(["corpus", str(FIX), "--out", str(tmp_path / "two"), "--jobs", "2"]) == 0

    def table(folder):
        import csv

        with open(folder / "genius_corpus.csv", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        return [{k: v for k, v in r.items() if not k.endswith("_seconds")} for r in rows]

    assert table(tmp_path / "one") == table(tmp_path / "two")
    assert len(table(tmp_path / "one")) > 2
