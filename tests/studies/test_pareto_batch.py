"""Every sample's Pareto filter at once (studies/pareto_batch.py) and its use in the batched sweep.

References: the engine's brute-force filter per segment, the definition of a tie-free sample
by brute force over all pairs, and the per-sample sweep path on tie-prone scenarios (decimal
weights and values whose normalised sums tie within a few ulps).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from strategies import scenarios

import negotiation as ng
from negotiation.engine.pareto import brute_force_pareto_mask
from negotiation.engine.tolerance import utility_tolerance
from negotiation.errors import ScenarioError
from negotiation.model.issues import Issue
from negotiation.model.party import Party
from negotiation.model.scenario import Scenario
from negotiation.studies import batch, candidates
from negotiation.studies.batch import evaluate_samples
from negotiation.studies.inputs import apply_inputs
from negotiation.studies.numbers import Numbers
from negotiation.studies.pareto_batch import segment_pareto_mask, tie_free
from negotiation.studies.sweep import evaluate_sample, monte_carlo_samples


@st.composite
def segmented(draw, tie_prone: bool):
    """Concatenated utility matrices of a few samples (``M x P``) and their bounds."""
    P = draw(st.integers(1, 4))
    sizes = draw(st.lists(st.integers(0, 25), min_size=1, max_size=6))
    if tie_prone:  # few distinct values: many copies, equal sums, weak dominance
        value = st.sampled_from([0.0, 0.1, 0.2, 0.3, 0.5, 1.0])
    else:
        value = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
    U = np.array(
        draw(
            st.lists(
                st.lists(value, min_size=P, max_size=P), min_size=sum(sizes), max_size=sum(sizes)
            )
        ),
        dtype=float,
    ).reshape(sum(sizes), P)
    return U, np.concatenate(([0], np.cumsum(sizes)))


@settings(max_examples=200)
@given(segmented(tie_prone=True) | segmented(tie_prone=False), st.none() | st.integers(1, 20))
def test_segment_mask_is_the_brute_force_frontier_of_each_sample(data, champions):
    # None: moocore per segment (the default); a number: the numpy champion rounds
    U, bounds = data
    got = segment_pareto_mask(U, bounds, champions=champions)
    for s in range(bounds.size - 1):
        lo, hi = bounds[s], bounds[s + 1]
        assert np.array_equal(got[lo:hi], brute_force_pareto_mask(U[lo:hi]))


def test_equal_float_sums_with_the_dominator_after():
    # (1, 2**-60) dominates (1, 0), but both float sums are 1.0 and the dominated row comes
    # first in the (stable) sum order: the last pass over equal sums must drop it.
    U = np.array([[1.0, 0.0], [1.0, 2.0**-60], [0.0, 0.5]])
    assert U[0].sum() == U[1].sum()
    for champions in (None, 1, 2, 16):
        got = segment_pareto_mask(U, np.array([0, 3]), champions=champions)
        assert got.tolist() == [False, True, True]


@settings(max_examples=150)
@given(segmented(tie_prone=True), st.sampled_from([0.0, 1e-17, 0.04, 0.05, 0.1, 0.3]))
def test_tie_free_is_the_pairwise_definition(data, scale):
    U, bounds = data
    U = U + np.arange(U.size).reshape(U.shape) % 3 * 0.02  # near values, some within tol
    S, P = bounds.size - 1, U.shape[1]
    tol = np.full((S, P), scale)
    got = tie_free(U, bounds, tol)
    for s in range(S):
        X = U[bounds[s] : bounds[s + 1]]
        d = X[:, None, :] - X[None, :, :]
        bad = (d > 0) & (d <= 2 * tol[s])
        assert got[s] == (not bad.any())


# -- the batched sweep on tie-prone scenarios ------------------------------------------------
def same_row(a: dict, b: dict) -> bool:
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


def tie_prone_scenario(n_issues: int, reservations: tuple[float, ...]) -> Scenario:
    """Decimal values 0.1/0.2/0.3 under equal weights: sums of thirds that tie in exact
    arithmetic come out a few ulps apart in float64 (0.1/3 + 0.2/3 vs 0.3/3 + 0)."""
    levels = ("a", "b", "c", "d")
    issues = tuple(Issue(f"i{k}", levels) for k in range(n_issues))
    vals = [(0.0, 0.1, 0.2, 0.3), (0.3, 0.2, 0.1, 0.0), (0.1, 0.3, 0.0, 0.2)]
    parties = tuple(
        Party(
            f"P{p}",
            {f"i{k}": 1.0 for k in range(n_issues)},
            values={
                f"i{k}": dict(zip(levels, vals[(p + k) % 3], strict=True)) for k in range(n_issues)
            },
            reservation=r,
        )
        for p, r in enumerate(reservations)
    )
    return Scenario("ties", issues, parties)


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_rows_identical_on_tie_prone_samples(data):
    n_issues = data.draw(st.integers(2, 4))
    P = data.draw(st.integers(2, 3))
    s = tie_prone_scenario(n_issues, tuple([0.0] * P))
    grid = st.sampled_from([0.1, 0.2, 0.3, 0.6, 1.0])
    samples = []
    for _ in range(data.draw(st.integers(1, 6))):
        x = {}
        for p in range(P):
            for k in range(n_issues):
                x[f"P{p}/weights/i{k}"] = data.draw(grid)
            x[f"P{p}/reservation"] = data.draw(st.sampled_from([0.0, 0.05, 0.1, 0.15]))
        samples.append(x)
    ref = [evaluate_sample(s, x) for x in samples]
    got = evaluate_samples(s, samples)
    for a, b in zip(got, ref, strict=True):
        assert same_row(a, b), (a, b)


def test_tie_prone_samples_take_the_per_sample_filter(monkeypatch):
    # equal weights: the thirds tie within ulps, so these samples are not tie-free
    s = tie_prone_scenario(3, (0.0, 0.0))
    calls = []
    real = batch._frontier_rows
    monkeypatch.setattr(batch, "_frontier_rows", lambda *a: calls.append(1) or real(*a))
    samples = [{"P0/reservation": 0.0}, {"P0/reservation": 0.05}]
    got = evaluate_samples(s, samples)
    assert calls  # the tolerant (per-sample) filter decided
    assert all(same_row(a, evaluate_sample(s, x)) for a, x in zip(got, samples, strict=True))


def test_ukraine_samples_are_tie_free_and_skip_the_per_sample_filter(monkeypatch):
    s = ng.load_scenario("ukraine_2025")
    samples = monte_carlo_samples(s, 12, seed=5)
    monkeypatch.setattr(batch, "_frontier_rows", lambda *a: pytest.fail("per-sample filter"))
    rows = evaluate_samples(s, samples)
    monkeypatch.undo()
    assert all(same_row(a, evaluate_sample(s, x)) for a, x in zip(rows, samples, strict=True))


@settings(max_examples=30)
@given(st.data())
def test_group_tolerances_equal_the_variants(data):
    s = data.draw(scenarios(max_issues=4, max_levels=4))
    samples = monte_carlo_samples(s, 6, seed=data.draw(st.integers(0, 10**6)))
    plan = candidates.make_plan(s, ("nash",), None, "auto", None)
    assume(plan is not None)
    groups, parsed = batch._group(plan, samples)
    checked = 0
    for members in groups.values():
        num = Numbers(plan.discrete, [parsed[k] for k in members])
        tol = batch._tolerances(num.tables, plan.discrete, num.sizes)
        for j, k in enumerate(members):
            try:
                variant = apply_inputs(s, samples[k])
            except ScenarioError:
                continue
            if num.ok[j]:
                assert np.array_equal(
                    tol[j],
                    utility_tolerance(variant.discretize() if variant.is_continuous else variant),
                )
                checked += 1
    assume(checked)


def test_validity_beyond_the_rows_the_first_party_accepts(monkeypatch):
    # Opposed parties with high reservations: no deal, but both reservations are reachable. The
    # second party's best lies outside the rows the first accepts, so validity needs its full
    # screen; the samples stay batched (valid, no agreement), rows identical.
    s = tie_prone_scenario(3, (0.0, 0.0))
    full = []
    real = batch._screen
    monkeypatch.setattr(
        batch,
        "_screen",
        lambda *a, **k: (full.append(1) if k.get("samples") is not None else 0) or real(*a, **k),
    )
    monkeypatch.setattr(batch, "evaluate_sample", lambda *a, **k: pytest.fail("per-sample"))
    samples = [{"P0/reservation": r, "P1/reservation": r} for r in (0.25, 0.28)]
    got = evaluate_samples(s, samples)
    monkeypatch.undo()
    assert full
    assert not any(r["agreement"] for r in got)
    assert all(same_row(a, evaluate_sample(s, x)) for a, x in zip(got, samples, strict=True))


@settings(max_examples=200)
@given(segmented(tie_prone=True) | segmented(tie_prone=False))
def test_maximiser_screen_keeps_every_frontier_row_and_copy(data):
    # the screen before moocore: a superset of each sample's frontier (copies of a frontier
    # row, even of a champion, all kept), and a dropped row is dominated within its sample
    from negotiation.studies.pareto_batch import _screen_by_maximisers

    U, bounds = data
    if U.shape[1] < 2:
        return
    alive = _screen_by_maximisers(U, bounds)
    for s in range(bounds.size - 1):
        lo, hi = bounds[s], bounds[s + 1]
        front = brute_force_pareto_mask(U[lo:hi])
        assert np.all(alive[lo:hi][front])
        for x in U[lo:hi][~alive[lo:hi]]:
            assert np.any(np.all(U[lo:hi] >= x, axis=1) & np.any(U[lo:hi] > x, axis=1))


def test_maximiser_screen_drops_dominated_rows_and_keeps_copies_of_the_champion():
    from negotiation.studies.pareto_batch import _screen_by_maximisers

    U = np.array([[1.0, 1.0], [1.0, 1.0], [0.5, 1.0], [0.0, 0.0], [2.0, 0.0], [0.0, 3.0]])
    alive = _screen_by_maximisers(U, np.array([0, 4, 6]))
    assert alive.tolist() == [True, True, False, False, True, True]
