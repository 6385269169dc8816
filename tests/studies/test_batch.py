"""The batched sweep evaluation gives exactly the rows of the per-sample path.

The reference is :func:`negotiation.studies.sweep.evaluate_sample` (apply the sample, validate,
``analyze``): every row of :func:`negotiation.studies.batch.evaluate_samples` must equal it key
for key, in the same key order, with bit-identical utilities (``==`` on floats, NaN = NaN).
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import integer_scenarios, scenarios

import negotiation as ng
from negotiation.model.issues import Issue
from negotiation.model.party import Party
from negotiation.model.scenario import AgreementRule, Scenario
from negotiation.studies import batch, candidates
from negotiation.studies.batch import evaluate_samples
from negotiation.studies.numbers import Numbers
from negotiation.studies.sweep import evaluate_sample, monte_carlo_samples, run_sweep


def same_row(a: dict, b: dict) -> bool:
    """Equal keys in the same order; equal values of the same type (NaN equals NaN)."""
    if list(a) != list(b):
        return False
    for k in a:
        x, y = a[k], b[k]
        if type(x) is not type(y):
            return False
        if isinstance(x, float) and math.isnan(x) and math.isnan(y):
            continue
        if x != y:
            return False
    return True


def check(scenario: Scenario, samples: list[dict], **options) -> list[dict]:
    ref = []
    for x in samples:
        ref.append(evaluate_sample(scenario, x, **options))
    got = evaluate_samples(scenario, samples, **options)
    assert len(got) == len(ref)
    for k, (a, b) in enumerate(zip(got, ref, strict=True)):
        assert same_row(a, b), (k, a, b)
    return got


@st.composite
def samples_for(draw, s: Scenario, n_max: int = 8) -> list[dict]:
    """Random samples over every kind of input path, valid and invalid."""
    paths = []
    for party in s.parties:
        paths += [f"{party.name}/reservation", f"{party.name}/power", f"{party.name}/discount"]
        if not party.scored_in_points:
            paths += [f"{party.name}/weights/{i}" for i in s.issue_names]
            for issue in s.issues:
                paths += [f"{party.name}/values/{issue.name}/{lv}" for lv in issue.levels]
        paths += [f"{party.name}/red_line/{k}" for k in range(len(party.red_lines))]
    chosen = draw(st.lists(st.sampled_from(paths), min_size=1, max_size=6, unique=True))
    out = []
    for _ in range(draw(st.integers(1, n_max))):
        sample = {}
        for path in chosen:
            field = path.split("/")[1]
            if field == "reservation":
                v = draw(st.sampled_from([-0.5, 0.0, 0.125, 0.3, 0.5, 0.7, 0.9, 1.5]))
            elif field == "weights":
                v = draw(st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.7, -1.0]))
            elif field == "values":
                v = draw(st.sampled_from([0.0, 0.25, 0.5, 1.0, 1.5]))
            elif field == "red_line":
                v = draw(st.sampled_from([0.0, 1.0]))
            elif field == "power":
                v = draw(st.sampled_from([0.5, 1.0, 3.0, 0.0]))
            else:
                v = draw(st.sampled_from([0.5, 1.0, 1.5]))
            sample[path] = float(v)
        out.append(sample)
    return out


@settings(max_examples=40)
@given(st.data())
def test_same_rows_as_per_sample_path_on_random_scenarios(data):
    s = data.draw(scenarios(max_issues=4, max_levels=4))
    check(s, data.draw(samples_for(s)))


@settings(max_examples=20)
@given(st.data())
def test_same_rows_points_parties(data):
    s = data.draw(integer_scenarios(max_issues=3))
    check(s, data.draw(samples_for(s)))


@settings(max_examples=25)
@given(st.data())
def test_same_rows_under_quota_and_veto(data):
    s = data.draw(scenarios(min_parties=3, max_parties=4, max_issues=3))
    P = len(s.parties)
    quota = data.draw(st.integers(1, P - 1))
    veto = tuple(data.draw(st.lists(st.sampled_from(s.party_names), max_size=1)))
    s = replace(s, agreement=AgreementRule(quota=quota, veto=veto))
    check(s, data.draw(samples_for(s)))


@settings(max_examples=25)
@given(st.data())
def test_monte_carlo_samples_with_baseline(data):
    s = data.draw(scenarios(max_issues=4, reservations=True))
    samples = monte_carlo_samples(s, 12, seed=data.draw(st.integers(0, 10**6)), concentration=5.0)
    a = ng.analyze(s, solutions=["nash"], lotteries=False).solutions.get("nash")
    baseline = dict(a.terms) if a is not None else None
    check(s, samples, baseline=baseline, solutions=("nash", "utilitarian"))


def test_ukraine_monte_carlo_rows_identical():
    s = ng.load_scenario("ukraine_2025")
    samples = monte_carlo_samples(s, 30, seed=3, reservation_spread=0.2)
    baseline = dict(ng.analyze(s, lotteries=False).solutions["nash"].terms)
    rows = check(s, samples, baseline=baseline)
    assert any(r["agreement"] for r in rows)


def test_ukraine_red_lines_values_and_invalid_samples():
    s = ng.load_scenario("ukraine_2025")
    party = next(p for p in s.parties if p.red_lines)  # a party with a red line to move
    issue = s.issues[0]
    samples = [
        {f"{party.name}/red_line/0": 0.0},
        {f"{party.name}/values/{issue.name}/{issue.levels[0]}": 1.0},
        {f"{party.name}/reservation": 50.0},  # unreachable: an invalid row
        {f"{party.name}/weights/{issue.name}": -1.0},  # invalid
        {f"{party.name}/weights/{issue.name}": float("nan")},  # invalid
        {f"{party.name}/nonsense": 1.0},  # a path that does not parse
        {f"{party.name}/reservation": 0.0, f"{party.name}/red_line/0": 1.0},
    ]
    rows = check(s, samples)
    assert [r["valid"] for r in rows] == [True, True, False, False, False, False, True]


def test_continuous_issues():
    issues = (
        Issue("share", range=(0.0, 100.0), unit="%"),
        Issue("x", ("a", "b", "c")),
    )
    parties = (
        Party("A", {"share": 2, "x": 1}, {"share": ((0.0, 0.0), (100.0, 1.0))}, reservation=0.2),
        Party(
            "B",
            {"share": 1, "x": 1},
            {"share": ((0.0, 1.0), (50.0, 0.8), (100.0, 0.0)), "x": {"a": 1.0, "b": 0.5, "c": 0}},
            reservation=0.3,
            red_lines=({"share": (90.0, 100.0)},),
        ),
    )
    s = Scenario("cont", issues, parties)
    samples = monte_carlo_samples(s, 20, seed=1, concentration=10.0, reservation_spread=0.2)
    samples += [{"B/red_line/0": 0.0}, {"A/values/x/b": 0.3}]
    check(s, samples, baseline=None)


def test_extra_and_search_fall_back_to_the_per_sample_path():
    s = ng.load_scenario("textbook_two_party")
    samples = monte_carlo_samples(s, 5, seed=0)

    def extra(analysis):
        return {"n_lottery": len(analysis.lotteries)}

    check(s, samples, extra=extra)
    check(s, samples, engine="search")


def test_weight_normalisation_is_bit_identical_with_many_issues():
    rng = np.random.default_rng(7)
    issues = tuple(Issue(f"i{k}", ("a", "b", "c")) for k in range(13))
    parties = tuple(
        Party(
            f"P{p}",
            {i.name: float(w) for i, w in zip(issues, rng.random(13), strict=True)},
            {i.name: dict(zip(i.levels, map(float, rng.random(3)), strict=True)) for i in issues},
            reservation=0.3,
        )
        for p in range(3)
    )
    s = Scenario("many", issues, parties, constraints=({"i0": ("a",), "i1": ("b", "c")},))
    samples = monte_carlo_samples(s, 6, seed=2, concentration=3.0)
    check(s, samples, solutions=("nash", "egalitarian"))


def test_run_sweep_uses_the_batched_path_and_keeps_rows(tmp_path):
    s = ng.load_scenario("textbook_two_party")
    samples = monte_carlo_samples(s, 40, seed=5, reservation_spread=0.3)
    rows = run_sweep(s, samples, workers=1, progress=False, batch_size=7)
    baseline = dict(ng.analyze(s, lotteries=False).solutions["nash"].terms)
    ref = pd.DataFrame(
        [{"sample": k, **evaluate_sample(s, x, baseline=baseline)} for k, x in enumerate(samples)]
    )
    pd.testing.assert_frame_equal(rows, ref)


def test_candidate_set_is_cached_and_screen_groups_split(monkeypatch):
    s = ng.load_scenario("textbook_two_party")
    samples = monte_carlo_samples(s, 9, seed=4, reservation_spread=0.2)
    monkeypatch.setattr(batch, "SCREEN_GROUP", 2)  # several groups of samples
    check(s, samples)
    n = len(candidates._CACHE)
    check(s, samples)
    assert len(candidates._CACHE) == n


def test_too_large_candidate_set_falls_back(monkeypatch):
    s = ng.load_scenario("textbook_two_party")
    monkeypatch.setattr(candidates, "MAX_CANDIDATES", 1)
    monkeypatch.setattr(candidates, "_CACHE", {})
    check(s, monte_carlo_samples(s, 4, seed=0))


@pytest.mark.parametrize("n", [0, 1])
def test_empty_and_single(n):
    s = ng.load_scenario("textbook_two_party")
    check(s, monte_carlo_samples(s, n, seed=0))


def test_valid_monte_carlo_samples_do_not_fall_back(monkeypatch):
    """The batched path really runs: the per-sample path is called only for invalid samples."""
    import negotiation.studies.batch as batch

    s = ng.load_scenario("ukraine_2025")
    samples = monte_carlo_samples(s, 20, seed=11)
    samples.append({f"{s.party_names[0]}/reservation": 50.0})  # invalid: falls back
    calls = []
    original = batch.evaluate_sample

    def spy(scenario, inputs, **options):
        calls.append(inputs)
        return original(scenario, inputs, **options)

    monkeypatch.setattr(batch, "evaluate_sample", spy)
    rows = evaluate_samples(s, samples)
    assert calls == [samples[-1]]
    assert [r["valid"] for r in rows] == [True] * 20 + [False]


@settings(max_examples=30)
@given(st.data())
def test_sample_tables_are_bit_identical_to_the_validated_variants(data):
    # A batched row hands each sample's score tables (built for the whole group) to its
    # variant instead of letting the variant rebuild them: they must be Scenario.tables exactly.
    from hypothesis import assume

    from negotiation.errors import ScenarioError
    from negotiation.studies.inputs import apply_inputs

    s = data.draw(scenarios(max_issues=4, max_levels=4))
    samples = data.draw(samples_for(s))
    plan = candidates.make_plan(s, ("nash",), None, "auto", None)
    assume(plan is not None)
    groups, parsed = batch._group(plan, samples)
    checked = 0
    for members in groups.values():
        num = Numbers(plan.discrete, [parsed[k] for k in members])
        for j, k in enumerate(members):
            try:
                variant = apply_inputs(s, samples[k])
            except ScenarioError:
                continue
            if not num.ok[j]:
                continue
            for i, table in enumerate(variant.tables):
                assert np.array_equal(num.tables[j, i, : table.shape[0], :], table)
            checked += 1
    assume(checked)


def test_reachability_needs_a_full_screen_only_without_a_feasible_outcome(monkeypatch):
    # Reachability is certified from the exact utilities of each sample's feasible outcomes;
    # only a sample without one gets full screens (at most one per party). Rows identical.
    s = ng.load_scenario("ukraine_2025")
    samples = monte_carlo_samples(s, 40, seed=5)
    samples[3]["Russia/reservation"] = 0.9  # reachable, but no deal is left
    full = []
    real = batch._screen
    monkeypatch.setattr(
        batch,
        "_screen",
        lambda *a, **k: full.append(k["samples"].size) or real(*a, **k),
    )
    got = check(s, samples)
    monkeypatch.undo()
    empty = sum(1 for r in got if r["valid"] and r["n_feasible"] == 0)
    assert empty >= 1
    assert 1 <= sum(full) <= empty * len(s.parties)
