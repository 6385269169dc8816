"""The rows built together for a batch's tie-free samples (studies/batch_rows.py) equal the
per-sample reference rows: with an observer, a baseline, held samples flushed in parts."""

from __future__ import annotations

import numpy as np
import pytest

import negotiation as ng
from negotiation.model.issues import Issue
from negotiation.model.party import Party
from negotiation.model.scenario import Scenario
from negotiation.studies import batch, batch_rows
from negotiation.studies.batch import evaluate_samples
from negotiation.studies.sweep import evaluate_sample, monte_carlo_samples


def with_observer() -> Scenario:
    levels = ("low", "mid", "high")
    issues = tuple(Issue(f"i{k}", levels) for k in range(3))
    rng = np.random.default_rng(7)

    def party(name: str, **kw) -> Party:
        values = {f"i{k}": dict(zip(levels, rng.random(3).round(3), strict=True)) for k in range(3)}
        weights = {f"i{k}": float(w) for k, w in enumerate(rng.random(3).round(2) + 0.1)}
        return Party(name, weights, values=values, reservation=0.2, **kw)

    parties = (party("A"), party("B", power=2.0), party("Watcher", observer=True))
    return Scenario("watched", issues, parties)


@pytest.mark.parametrize("hold", [2, 4096])
def test_lean_rows_equal_the_reference_rows(monkeypatch, hold):
    s = with_observer()
    samples = monte_carlo_samples(s, 12, seed=3)
    baseline = {"i0": "mid", "i1": "low", "i2": "high"}
    built = []
    real = batch_rows.build_rows
    monkeypatch.setattr(batch_rows, "LEAN_SAMPLES", hold)
    monkeypatch.setattr(batch, "SCREEN_GROUP", 3)  # steps of 3 samples
    monkeypatch.setattr(batch_rows, "build_rows", lambda *a: built.append(len(a[2])) or real(*a))
    got = evaluate_samples(s, samples, baseline=baseline)
    monkeypatch.undo()
    assert sum(built) > 0  # the lean rows ran
    if hold == 2:  # flushed after each step (3 samples >= 2 held)
        assert built == [3, 3, 3, 3]
    else:  # all at the end, once
        assert built == [12]
    want = [evaluate_sample(s, x, baseline=baseline) for x in samples]
    assert got == want
    assert [list(r) for r in got] == [list(r) for r in want]  # the same key order


def test_lean_rows_on_ukraine_with_a_baseline():
    s = ng.load_scenario("ukraine_2025")
    baseline = dict(ng.analyze(s, lotteries=False).solutions["nash"].terms)
    samples = monte_carlo_samples(s, 8, seed=21)
    got = evaluate_samples(s, samples, baseline=baseline)
    want = [evaluate_sample(s, x, baseline=baseline) for x in samples]
    assert got == want
    assert any(r["baseline_pareto"] for r in got)


def test_held_frontier_rows_are_bounded(monkeypatch):
    s = with_observer()
    samples = monte_carlo_samples(s, 12, seed=3)
    built = []
    real = batch_rows.build_rows
    monkeypatch.setattr(batch_rows, "LEAN_ROWS", 1)  # any held row: build at the next step's end
    monkeypatch.setattr(batch, "SCREEN_GROUP", 4)
    monkeypatch.setattr(batch_rows, "build_rows", lambda *a: built.append(len(a[2])) or real(*a))
    got = evaluate_samples(s, samples)
    monkeypatch.undo()
    assert built == [4, 4, 4]
    assert got == [evaluate_sample(s, x) for x in samples]


@pytest.mark.parametrize("numbers_group", [1, 5, 1024])
def test_numbers_set_for_several_screen_groups_give_the_same_rows(monkeypatch, numbers_group):
    s = with_observer()
    samples = monte_carlo_samples(s, 11, seed=8)
    name, issue = s.parties[1].name, s.issues[2]
    for k in (2, 7):  # two samples move a value: their screen group needs the one-hot screen
        samples[k][f"{name}/values/{issue.name}/{issue.levels[1]}"] = 0.9
    monkeypatch.setattr(batch, "SCREEN_GROUP", 2)
    monkeypatch.setattr(batch, "NUMBERS_GROUP", numbers_group)
    got = evaluate_samples(s, samples)
    monkeypatch.undo()
    assert got == [evaluate_sample(s, x) for x in samples]
