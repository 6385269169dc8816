"""The batched picks (studies/pick_batch.py) against the exact per-sample pick (studies/pick.py).

A batched pick may refuse (``-1``: the per-sample path decides), but a pick it returns must be the
row :func:`pick_deals` returns, on frontiers built to tie: repeated utilities, values a few ulps
or a fraction of the tie tolerance apart, reservations that leave parties without a gain.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import negotiation as ng
from negotiation.model.issues import Issue
from negotiation.model.party import Party
from negotiation.model.scenario import Scenario
from negotiation.studies import batch_rows
from negotiation.studies.batch import evaluate_samples
from negotiation.studies.pick import pick_deals
from negotiation.studies.pick_batch import pick_segments
from negotiation.studies.sample import DEFAULT_SOLUTIONS
from negotiation.studies.sweep import evaluate_sample, monte_carlo_samples

NAMES = DEFAULT_SOLUTIONS


def structure(P: int, observer: int | None = None) -> Scenario:
    """A scenario with ``P`` parties (party ``observer`` an observer): the solutions' columns."""
    issue = Issue("i", ("a", "b"))
    parties = tuple(
        Party(f"P{p}", {"i": 1.0}, values={"i": {"a": 0.0, "b": 1.0}}, observer=p == observer)
        for p in range(P)
    )
    return Scenario("s", (issue,), parties)


GRID = [0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0]
NUDGE = [0.0, 0.0, 0.0, 1e-16, -2e-16, 3e-11, -3e-11, 9e-11, 2e-10, -1e-9]


@st.composite
def near(draw, grid=GRID) -> float:
    x = draw(st.sampled_from(grid)) + draw(st.sampled_from(NUDGE))
    for _ in range(draw(st.integers(0, 2))):  # a few ulps
        x = float(np.nextafter(x, draw(st.sampled_from([-np.inf, np.inf]))))
    return x


@st.composite
def segment(draw, P: int) -> tuple[np.ndarray, np.ndarray]:
    """Utilities (``n x P``) with planted ties and near-ties, and distinct level rows."""
    n = draw(st.integers(1, 9))
    rows = [[draw(near()) for _ in range(P)] for _ in range(n)]
    for _ in range(draw(st.integers(0, 3))):  # exact copies: ties to the last bit
        k = draw(st.integers(0, len(rows) - 1))
        rows.insert(draw(st.integers(0, len(rows))), list(rows[k]))
    codes = draw(st.permutations(range(49)))[: len(rows)]
    levels = np.array([[c // 7, c % 7] for c in codes], dtype=np.int64)
    return np.array(rows), levels


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_batched_picks_equal_pick_deals_on_tie_prone_frontiers(data):
    P = data.draw(st.integers(2, 4))
    observer = data.draw(st.sampled_from([None, *range(P)])) if P >= 3 else None
    s = structure(P, observer)
    segs = data.draw(st.lists(segment(P), min_size=1, max_size=5))
    U = np.vstack([u for u, _ in segs])
    levels = np.vstack([lv for _, lv in segs])
    bounds = np.concatenate([[0], np.cumsum([len(u) for u, _ in segs])])
    S = len(segs)
    R = np.array([[data.draw(near([-0.5, 0.0, 0.1, 0.3])) for _ in range(P)] for _ in range(S)])
    A = np.array(
        [[data.draw(st.sampled_from([0.5, 1.0, 2.0, 1e300])) for _ in range(P)] for _ in range(S)]
    )
    got = pick_segments(s, NAMES, U, bounds, R, A)
    assert got.shape == (S, len(NAMES))
    for k in range(S):
        lo, hi = bounds[k], bounds[k + 1]
        want = pick_deals(s, NAMES, levels[lo:hi], U[lo:hi], reservations=R[k], powers=A[k])
        for j, name in enumerate(NAMES):
            if got[k, j] >= 0:
                assert lo <= got[k, j] < hi
                assert got[k, j] - lo == want[name], (name, k)


def test_ties_go_to_the_exact_path_and_clear_picks_do_not():
    s = structure(2)
    clear = np.array([[1.0, 0.0], [0.6, 0.55], [0.0, 1.0]])
    # every rule ties between rows 0 and 1 (mirror images), and rows 0/2 of the last segment
    # differ by less than the tie tolerance
    tied = np.array([[0.75, 0.25], [0.25, 0.75]])
    near_tie = np.array([[0.5, 0.5 + 5e-11], [0.5 + 5e-11, 0.5], [0.1, 0.2]])
    U = np.vstack([clear, tied, near_tie])
    bounds = np.array([0, 3, 5, 8])
    R, A = np.zeros((3, 2)), np.ones((3, 2))
    got = pick_segments(s, NAMES, U, bounds, R, A)
    assert (got[0] == 1).all()  # row 1: the best by every rule, no tie
    assert (got[1] == -1).all()
    assert (got[2] == -1).all()


def test_empty_segments_and_unknown_rules_pick_nothing():
    s = structure(2)
    U = np.array([[1.0, 0.2], [0.3, 0.9]])
    bounds = np.array([0, 0, 2, 2])  # samples 0 and 2 have no frontier
    got = pick_segments(s, NAMES, U, bounds, np.zeros((3, 2)), np.ones((3, 2)))
    assert (got[0] == -1).all() and (got[2] == -1).all()
    assert (got[1] >= 0).all()


@pytest.mark.parametrize("name", ["ukraine_2025", "textbook_two_party"])
def test_real_frontiers_are_picked_in_batch(name):
    s = ng.load_scenario(name)
    fronts = []
    for x in monte_carlo_samples(s, 6, seed=11):
        f = ng.analyze(ng.studies.inputs.apply_inputs(s, x)).frontier
        fronts.append((f, f.scenario))
    fronts = [(f, v) for f, v in fronts if not f.is_empty]
    U = np.vstack([f.utilities for f, _ in fronts])
    bounds = np.concatenate([[0], np.cumsum([f.size for f, _ in fronts])])
    R = np.vstack([v.reservations for _, v in fronts])
    A = np.vstack([v.powers for _, v in fronts])
    got = pick_segments(s, NAMES, U, bounds, R, A)
    for k, (f, v) in enumerate(fronts):
        want = pick_deals(v, NAMES, f.levels, f.utilities)
        assert (got[k] - bounds[k]).tolist() == [want[n] for n in NAMES]


def test_a_tie_through_every_key_takes_the_exact_pick_in_the_sweep(monkeypatch):
    # Two mirror-image deals: every rule ties on every key, only the outcome index decides;
    # the batch must hand the sample to pick_deals, and the rows stay identical.
    issue = Issue("i", ("a", "b"))
    parties = (
        Party("P0", {"i": 1.0}, values={"i": {"a": 0.75, "b": 0.25}}),
        Party("P1", {"i": 1.0}, values={"i": {"a": 0.25, "b": 0.75}}),
    )
    s = Scenario("tied", (issue,), parties)
    calls: list[tuple[str, ...]] = []
    real = batch_rows.pick_deals

    def spy(d, names, *a, **k):
        calls.append(tuple(names))
        return real(d, names, *a, **k)

    monkeypatch.setattr(batch_rows, "pick_deals", spy)
    samples = [{f"P{p}/reservation": r for p in (0, 1)} for r in (0.0, 0.1)]
    got = evaluate_samples(s, samples)
    monkeypatch.undo()
    assert calls == [NAMES, NAMES]
    assert got == [evaluate_sample(s, x) for x in samples]
    assert got[0]["utilitarian.deal.i"] == "a"


def test_a_tie_broken_by_a_later_key_is_picked_in_batch(monkeypatch):
    # The utility sums tie (1 = 1 = 1), the leximin order of the gains decides: no exact pick.
    issue = Issue("i", ("a", "b", "c"))
    parties = (
        Party("P0", {"i": 1.0}, values={"i": {"a": 1.0, "b": 0.0, "c": 0.5}}),
        Party("P1", {"i": 1.0}, values={"i": {"a": 0.0, "b": 1.0, "c": 0.5}}),
    )
    s = Scenario("tied", (issue,), parties)
    monkeypatch.setattr(batch_rows, "pick_deals", lambda *a, **k: pytest.fail("exact pick"))
    samples = [{"P0/reservation": 0.0}, {"P0/reservation": -0.1}]
    got = evaluate_samples(s, samples)
    monkeypatch.undo()
    assert got == [evaluate_sample(s, x) for x in samples]
    assert got[0]["utilitarian.deal.i"] == "c"


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from([-1.0, 0.0, -0.0, 0.5, 2.0, np.inf]), min_size=10, max_size=10),
        min_size=1,
        max_size=12,
    )
)
def test_the_sorting_network_sorts_as_np_sort(columns):
    from negotiation.studies.pick_batch import _sorted

    G = [np.array(c) for c in columns]
    want = np.sort(np.stack(G, axis=1), axis=1)
    got = np.stack(_sorted(G), axis=1)
    assert np.array_equal(got, want)
