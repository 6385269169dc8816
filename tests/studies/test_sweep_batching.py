"""The sweep's batching: the default batch size, and Monte Carlo draws read once per party."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import negotiation as ng
from negotiation.errors import NegotiationError
from negotiation.studies import monte_carlo_samples, run_sweep
from negotiation.studies.sweep import (
    BATCHES_PER_WORKER,
    MAX_BATCH,
    MIN_BATCH,
    default_batch_size,
    iter_sweep,
    sweep_options,
)


@pytest.fixture(scope="module")
def textbook():
    return ng.load_scenario("textbook_two_party")


@given(st.integers(0, 3_000_000), st.integers(1, 64))
def test_default_batch_size_is_the_smallest_size_with_a_few_batches_per_worker(n, workers):
    b = default_batch_size(n, workers)
    assert MIN_BATCH <= b <= MAX_BATCH
    k = BATCHES_PER_WORKER * workers
    # brute force: the smallest size in [MIN_BATCH, MAX_BATCH] giving at most k batches, or
    # MAX_BATCH when none does
    if MIN_BATCH < b < MAX_BATCH:
        assert math.ceil(n / b) <= k < math.ceil(n / (b - 1))
    elif b == MIN_BATCH:
        assert math.ceil(n / MIN_BATCH) <= k
    else:
        assert math.ceil(n / (MAX_BATCH - 1)) > k


def test_default_batch_size_examples():
    assert default_batch_size(10_000, 2) == 1000  # the issue's benchmark: 10 batches
    assert default_batch_size(2_000, 2) == 250  # 8 batches, 4 per worker
    assert default_batch_size(0, 1) == MIN_BATCH


def test_iter_sweep_default_batches(textbook):
    samples = monte_carlo_samples(textbook, 300, seed=1)
    options = sweep_options(textbook)
    sizes = [len(b) for b in iter_sweep(textbook, samples, options, workers=1, progress=False)]
    assert sizes == [75, 75, 75, 75]  # 300 samples, 1 worker: 4 batches
    skipped = iter_sweep(textbook, samples, options, skip=range(290), workers=1, progress=False)
    assert [len(b) for b in skipped] == [10]  # sized from what is left: one batch


def test_default_batch_size_gives_the_rows_of_any_explicit_size(textbook):
    samples = monte_carlo_samples(textbook, 120, seed=4)
    default = run_sweep(textbook, samples, workers=1, progress=False)
    for size in (1, 7, 1000):
        pd.testing.assert_frame_equal(
            default, run_sweep(textbook, samples, workers=1, batch_size=size, progress=False)
        )


def test_a_store_written_with_one_batch_size_resumes_with_the_default(textbook, tmp_path):
    samples = monte_carlo_samples(textbook, 60, seed=5)
    out = tmp_path / "sweep.csv"
    full = run_sweep(textbook, samples, workers=1, progress=False)
    run_sweep(textbook, samples, workers=1, out=out, batch_size=7, progress=False)
    lines = out.read_text().splitlines()
    out.write_text("\n".join(lines[:22]) + "\n")  # interrupted after 21 rows
    resumed = run_sweep(textbook, samples, workers=1, out=out, progress=False)
    assert len(pd.read_csv(out)) == 60
    pd.testing.assert_series_equal(resumed["nash.u.Candidate"], full["nash.u.Candidate"])


@pytest.mark.parametrize("bad", [0, -3, 2.5, True, "25"])
def test_bad_batch_sizes_are_refused(textbook, bad):
    with pytest.raises(NegotiationError, match="batch_size"):
        run_sweep(textbook, [{}], workers=1, batch_size=bad, progress=False)


def _reference_monte_carlo(scenario, n, seed, concentration=50.0, spread=0.05, ranges=None):
    """The draws as the documented loop makes them: per sample, per party, the Dirichlet
    weights then the uniform reservation, reading everything from the scenario each time."""
    rng = np.random.default_rng(seed)
    samples = []
    for _ in range(n):
        sample = {}
        for name in scenario.party_names:
            party = scenario.party(name)
            w0 = scenario.weights[scenario.party_names.index(name)]
            issues = np.flatnonzero(w0 > 0)
            if concentration is not None and not party.scored_in_points and issues.size > 1:
                w = rng.dirichlet(concentration * w0[issues])
                for i, wi in zip(issues, w, strict=True):
                    sample[f"{name}/weights/{scenario.issue_names[i]}"] = float(wi)
            if ranges and name in ranges:
                sample[f"{name}/reservation"] = float(rng.uniform(*ranges[name]))
            elif spread is not None:
                r0 = float(party.reservation)
                sample[f"{name}/reservation"] = float(rng.uniform(r0 - spread, r0 + spread))
        samples.append(sample)
    return samples


@pytest.mark.parametrize("name", ["ukraine_2025", "textbook_two_party"])
@pytest.mark.parametrize(
    "kw",
    [{}, {"concentration": None}, {"spread": None}, {"concentration": 3.0, "ranges": "last"}],
)
def test_monte_carlo_draws_equal_the_reference_loop(name, kw):
    s = ng.load_scenario(name)
    kw = dict(kw)
    if kw.get("ranges") == "last":
        kw["ranges"] = {s.party_names[-1]: (0.1, 0.4)}
    want = _reference_monte_carlo(s, 50, 7, **kw)
    got = monte_carlo_samples(
        s,
        50,
        seed=7,
        concentration=kw.get("concentration", 50.0),
        reservation_spread=kw.get("spread", 0.05),
        reservations=kw.get("ranges"),
    )
    assert got == want
    assert [list(x) for x in got] == [list(x) for x in want]  # the same keys in the same order
    assert all(type(v) is float for x in got for v in x.values())
