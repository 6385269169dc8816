"""Sweeps: inputs, samples, determinism across executors, resuming, summaries."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

import negotiation as ng
from negotiation.errors import NegotiationError, ScenarioError
from negotiation.studies import (
    apply_inputs,
    grid_samples,
    level_probabilities,
    monte_carlo_samples,
    read_input,
    robustness,
    run_sweep,
    tornado,
)
from negotiation.studies.sweep import influence


@pytest.fixture(scope="module")
def textbook():
    return ng.load_scenario("textbook_two_party")


@pytest.fixture(scope="module")
def ukraine():
    return ng.load_scenario("ukraine_2025")


def test_apply_inputs_changes_only_what_is_named(textbook):
    s = apply_inputs(
        textbook,
        {
            "Candidate/reservation": 0.4,
            "Employer/weights/salary": 9,
            "Candidate/values/salary/56k": 0.5,
        },
    )
    assert s.party("Candidate").reservation == 0.4
    assert s.party("Employer").weights["salary"] == 9
    assert s.party("Candidate").values["salary"]["56k"] == 0.5
    assert textbook.party("Candidate").reservation == 0.35  # input not mutated
    assert read_input(s, "Employer/weights/salary") == 9
    assert read_input(s, "Candidate/values/salary/56k") == 0.5


def test_red_line_switch(textbook):
    off = apply_inputs(textbook, {"Employer/red_line/0": 0})
    assert off.party("Employer").red_lines == ()
    assert apply_inputs(textbook, {"Employer/red_line/0": 1}) == textbook


@pytest.mark.parametrize(
    "path,pattern",
    [
        ("Nobody/reservation", "unknown party"),
        ("Candidate/colour", "not one of"),
        ("Candidate/weights/nope", "unknown issue"),
        ("Employer/red_line/5", "no red line number 5"),
        ("Candidate/values/salary/99k", "unknown level"),
    ],
)
def test_bad_paths_fail_clearly(textbook, path, pattern):
    with pytest.raises(ScenarioError, match=pattern):
        apply_inputs(textbook, {path: 1.0})


def test_grid_is_cartesian(textbook):
    g = grid_samples(
        textbook, {"Candidate/reservation": [0.3, 0.35, 0.4], "Employer/power": [1, 2]}
    )
    assert len(g) == 6 and g[0] == {"Candidate/reservation": 0.3, "Employer/power": 1.0}


def test_monte_carlo_is_seeded_and_centred(ukraine):
    a = monte_carlo_samples(ukraine, 400, seed=3, concentration=100)
    b = monte_carlo_samples(ukraine, 400, seed=3, concentration=100)
    assert a == b
    assert a != monte_carlo_samples(ukraine, 400, seed=4, concentration=100)
    w = np.array(
        [
            [s[f"Ukraine/weights/{i}"] for i in ukraine.issue_names if f"Ukraine/weights/{i}" in s]
            for s in a
        ]
    )
    p = ukraine.party_names.index("Ukraine")
    w0 = ukraine.weights[p][ukraine.weights[p] > 0]
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    np.testing.assert_allclose(w.mean(axis=0), w0, atol=0.01)
    r = np.array([s["Ukraine/reservation"] for s in a])
    assert r.min() >= 0.45 and r.max() <= 0.55


def test_same_rows_whichever_executor(textbook, tmp_path):
    samples = monte_carlo_samples(textbook, 30, seed=1)
    serial = run_sweep(textbook, samples, workers=1, progress=False)
    threads = run_sweep(
        textbook, samples, executor=ThreadPoolExecutor(2), batch_size=4, progress=False
    )
    processes = run_sweep(textbook, samples, workers=2, batch_size=7, progress=False)
    pd.testing.assert_frame_equal(serial, threads)
    pd.testing.assert_frame_equal(serial, processes)
    assert list(serial["sample"]) == list(range(30))
    assert serial["valid"].all()


def test_dask_local_cluster_gives_the_same_rows(textbook):
    distributed = pytest.importorskip("distributed")
    samples = monte_carlo_samples(textbook, 12, seed=2)
    serial = run_sweep(textbook, samples, workers=1, progress=False)
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        on_dask = run_sweep(textbook, samples, executor=client, batch_size=5, progress=False)
    pd.testing.assert_frame_equal(serial, on_dask)


def test_resume_after_interruption(textbook, tmp_path):
    samples = monte_carlo_samples(textbook, 20, seed=5)
    out = tmp_path / "sweep.csv"
    full = run_sweep(textbook, samples, workers=1, progress=False)
    # Simulate an interruption: keep the header and the first 8 rows only.
    run_sweep(textbook, samples, workers=1, out=out, progress=False)
    lines = out.read_text().splitlines()
    out.write_text("\n".join(lines[:9]) + "\n")
    resumed = run_sweep(textbook, samples, workers=1, out=out, progress=False)
    assert len(resumed) == 20
    pd.testing.assert_series_equal(resumed["nash.u.Candidate"], full["nash.u.Candidate"])
    assert len(pd.read_csv(out)) == 20
    with pytest.raises(NegotiationError, match="different sweep"):
        run_sweep(textbook, samples[:5], workers=1, out=out, progress=False)


def test_invalid_samples_are_recorded_not_raised(textbook):
    rows = run_sweep(textbook, [{"Candidate/reservation": 5.0}, {}], workers=1, progress=False)
    assert rows["valid"].tolist() == [False, True]
    assert "no outcome can reach it" in rows["error"][0]


def test_summaries(ukraine):
    samples = monte_carlo_samples(ukraine, 40, seed=0, concentration=30)
    rows = run_sweep(ukraine, samples, workers=1, progress=False)
    probs = level_probabilities(rows, "nash")
    sums = probs.groupby("issue")["probability"].sum()
    np.testing.assert_allclose(sums.values, 1.0)
    assert 0.0 <= robustness(rows) <= 1.0
    inf = influence(rows, "nash")
    assert set(inf.columns) == set(ukraine.party_names)
    assert inf.abs().max(axis=1).is_monotonic_decreasing


def test_tornado_orders_by_swing(textbook):
    t = tornado(
        textbook,
        {
            "Candidate/reservation": (0.2, 0.5),
            "Employer/power": (0.5, 2.0),
            "Candidate/weights/salary": (1, 9),
        },
        solution="nash",
        party="Candidate",
    )
    assert list(t["swing"].fillna(-1)) == sorted(t["swing"].fillna(-1), reverse=True)
    assert set(t["input"]) == {
        "Candidate/reservation",
        "Employer/power",
        "Candidate/weights/salary",
    }
    # Nash ignores power: no swing from it.
    assert t.set_index("input").loc["Employer/power", "swing"] == 0


def test_iter_sweep_yields_rows_skips_finished_samples_and_writes_nothing(
    textbook, tmp_path, monkeypatch
):
    from negotiation.studies.sweep import evaluate_sample, iter_sweep, sweep_options

    monkeypatch.chdir(tmp_path)
    samples = monte_carlo_samples(textbook, 12, seed=2)
    options = sweep_options(textbook)
    batches = list(
        iter_sweep(textbook, samples, options, skip={0, 5}, workers=1, batch_size=4, progress=False)
    )
    assert [len(b) for b in batches] == [4, 4, 2]  # 10 samples left, in batches of 4
    rows = [row for b in batches for row in b]
    assert [r["sample"] for r in rows] == [k for k in range(12) if k not in (0, 5)]
    for row in rows:  # each row is the reference evaluation of its sample
        want = evaluate_sample(textbook, samples[row["sample"]], baseline=options["baseline"])
        assert {k: v for k, v in row.items() if k != "sample"} == want
    assert list(tmp_path.iterdir()) == []  # no file written
