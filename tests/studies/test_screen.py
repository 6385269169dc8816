"""The batched sweep's screen (studies/screen.py) and exact pair utilities (studies/exact.py).

References: exact rational arithmetic (``fractions``) for the bound that lets the first party's
screen skip rows, on adversarial data whose thresholds sit exactly on (or one ulp from) a row's
utility; a plain loop that adds the tables in issue order for the pair utilities; the
per-sample sweep path for whole rows.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import scenarios

import negotiation as ng
from negotiation.errors import ScenarioError
from negotiation.studies import batch, batch_groups, candidates, screen
from negotiation.studies.batch import evaluate_samples
from negotiation.studies.exact import all_at_least, pair_indices, pair_utilities, prefix_issues
from negotiation.studies.inputs import apply_inputs
from negotiation.studies.numbers import Numbers
from negotiation.studies.screen import (
    design,
    extended,
    narrow,
    prefix_lengths,
    prefix_screen,
    product_t,
    screen_rest,
    sort_rows,
    with_ones,
)
from negotiation.studies.sweep import evaluate_sample, monte_carlo_samples

EPS = float(np.finfo(float).eps)


def same_row(a: dict, b: dict) -> bool:
    """Equal keys in order, equal values (nan equal to nan), equal types."""
    if list(a) != list(b):
        return False
    return all(
        type(a[k]) is type(b[k]) and (a[k] == b[k] or (a[k] != a[k] and b[k] != b[k])) for k in a
    )


def exact_utility(x: np.ndarray, c: np.ndarray, bonus: float) -> Fraction:
    return sum(
        (Fraction(float(a)) * Fraction(float(b)) for a, b in zip(x, c, strict=True)), Fraction(0)
    ) + (Fraction(float(bonus)))


@st.composite
def screen_problems(draw):
    """Rows (values in [0, 1], or large 'points'), bonus sums, a reference, per-sample
    coefficients near it, and thresholds placed exactly on, or one ulp around, some row's
    utility (the adversarial case for a skip)."""
    N = draw(st.integers(1, 30))
    K = draw(st.integers(1, 5))
    S = draw(st.integers(1, 6))
    scale = draw(st.sampled_from([1.0, 1.0, 100.0, 1e-3]))
    # extremes (where the bound is tight) and decimals (whose sums round)
    unit = (
        st.sampled_from([0.0, 1.0, 0.1, 0.3, 1 / 3, 0.7]) | st.floats(0, 1, allow_nan=False)
    ).map(lambda v: v * scale)
    X = np.array(draw(st.lists(unit, min_size=N * K, max_size=N * K))).reshape(N, K)
    X[draw(st.integers(0, N - 1))] = X[0]  # a copy of a row
    bonus = np.array(
        draw(st.lists(st.sampled_from([0.0, 0.1, -0.05, 0.3]), min_size=N, max_size=N))
    )
    weight = st.sampled_from([0.1, 0.2, 0.3, 1 / 3, 1 / 7]) | st.floats(0, 1)
    ref = np.array(draw(st.lists(weight, min_size=K, max_size=K)))
    shift = st.sampled_from([-0.1, 0.1, 0.05, -0.05, 0.2 / 3]) | st.floats(-0.2, 0.2)
    coef = np.clip(
        ref + np.array(draw(st.lists(shift, min_size=S * K, max_size=S * K))).reshape(S, K),
        0,
        None,
    )
    thr = []
    for s in range(S):
        n = draw(st.integers(0, N - 1))
        t = float(exact_utility(X[n], coef[s], bonus[n]))  # nearest float
        thr.append(float(np.nextafter(t, draw(st.sampled_from([-np.inf, np.inf, t])))))
    return X, bonus, ref, coef, np.array(thr)


@settings(max_examples=200, deadline=None)
@given(screen_problems())
def test_the_prefix_never_skips_a_row_that_reaches_the_threshold(problem):
    X, bonus, ref, coef, thr = problem
    rows = sort_rows(X, bonus, float(np.abs(bonus).max()), ref)
    k = prefix_lengths(rows, coef, thr, n_terms=X.shape[1] + 1)
    for s in range(coef.shape[0]):
        for pos in range(int(k[s]), X.shape[0]):
            n = rows.order[pos]
            assert exact_utility(X[n], coef[s], bonus[n]) < Fraction(thr[s]), (s, n)


@pytest.mark.parametrize(
    "X, ref, coef, thr",
    [
        # found by a random search with the slack set to 0: the bound is tight (every value at
        # its issue's extreme in the direction of the shift) and b + D rounds below u
        (
            [[1 / 3, 0.7, 0.2], [0.0, 0.0, 0.2]],
            [1 / 7, 0.2, 0.3],
            [0.24285714285714285, 0.26666666666666666, 0.35],
            0.3376190476190476,
        ),
        ([[0.3, 1.0], [0.1, 1.0]], [0.3, 0.3], [0.4, 0.4], 0.52),
    ],
)
def test_the_slack_covers_the_rounding_of_a_tight_bound(X, ref, coef, thr):
    X, coef = np.array(X), np.array([coef])
    rows = sort_rows(X, np.zeros(len(X)), 0.0, np.array(ref))
    k = prefix_lengths(rows, coef, np.array([thr]), n_terms=X.shape[1] + 1)
    assert exact_utility(X[0], coef[0], 0.0) >= Fraction(thr)
    assert 0 in rows.order[: int(k[0])]


@settings(max_examples=200, deadline=None)
@given(screen_problems())
def test_prefix_screen_and_narrow_keep_every_row_above_the_float_error(problem):
    # The screen is a float product with the bonus as one more column (error <= (K + 2) eps
    # (|x|.|c| + |bonus|)): every row whose exact utility clears the threshold by that much
    # is kept, and no row is kept that falls short of it by more.
    X, bonus, ref, coef, thr = problem
    S, K = coef.shape
    rows = sort_rows(X, bonus, float(np.abs(bonus).max()), ref)
    k = prefix_lengths(rows, coef, thr, n_terms=K + 1)
    alive, maybe = prefix_screen(rows, coef, thr, k)
    assert np.all(np.diff(alive) > 0) and maybe.shape == (S, alive.size)
    dense = np.ones((S, X.shape[0]), dtype=bool)
    narrow(with_ones(coef), extended(X, bonus), thr, dense)
    for s in range(S):
        for n in range(X.shape[0]):
            exact = exact_utility(X[n], coef[s], bonus[n])
            err = 4 * (K + 2) * EPS * (float(np.abs(X[n]) @ np.abs(coef[s])) + abs(bonus[n]))
            if exact >= Fraction(thr[s]) + Fraction(err):
                assert n in alive and maybe[s, list(alive).index(n)], (s, n)
                assert dense[s, n]
            if n in alive and maybe[s, list(alive).index(n)]:
                assert exact >= Fraction(thr[s]) - Fraction(err)
            if dense[s, n]:
                assert exact >= Fraction(thr[s]) - Fraction(err)


def test_product_t_blocks_equal_one_product():
    rng = np.random.default_rng(3)
    C, X = rng.random((7, 12)), rng.random((5000, 12))
    assert np.allclose(product_t(C, X), C @ X.T, rtol=1e-14, atol=0)


# -- exact pair utilities ---------------------------------------------------------------------
@settings(max_examples=150, deadline=None)
@given(st.data())
def test_pair_utilities_are_the_issue_order_sums_bit_for_bit(data):
    sizes = data.draw(st.lists(st.integers(1, 4), min_size=1, max_size=6))
    S, P = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 3))
    n_issues, Lmax = len(sizes), max(sizes)
    entries = st.floats(-1e3, 1e3, allow_nan=False) | st.sampled_from([0.1, 0.2, 0.3, 1 / 3, -0.0])
    T = np.array(
        data.draw(
            st.lists(entries, min_size=S * n_issues * Lmax * P, max_size=S * n_issues * Lmax * P)
        )
    ).reshape(S, n_issues, Lmax, P)
    N = data.draw(st.integers(1, 20))
    levels = np.array(
        [[data.draw(st.integers(0, sizes[i] - 1)) for i in range(n_issues)] for _ in range(N)]
    ).reshape(N, n_issues)
    mask = np.array(data.draw(st.lists(st.booleans(), min_size=N, max_size=N)))
    terms = ((0, 0.7, mask), (P - 1, 1e-17, ~mask))
    M = data.draw(st.integers(0, 40))
    s_idx = np.sort(
        np.array(data.draw(st.lists(st.integers(0, S - 1), min_size=M, max_size=M)), dtype=np.int64)
    )
    n_idx = np.array(
        data.draw(st.lists(st.integers(0, N - 1), min_size=M, max_size=M)), dtype=np.int64
    )
    ref = np.zeros((M, P))
    for m in range(M):
        u = np.zeros(P)
        for i in range(n_issues):
            u += T[s_idx[m], i, levels[n_idx[m], i]]
        for p, value, msk in terms:
            u[p] += value * msk[n_idx[m]]
        ref[m] = u
    cache: dict = {}  # kept with the levels, reused across calls
    for k in [None, *range(1, n_issues + 1), None]:
        got = pair_utilities(T, sizes, levels, terms, s_idx, n_idx, k=k, cache=cache)
        assert got.tobytes() == ref.tobytes(), k
        assert pair_utilities(T, sizes, levels, terms, s_idx, n_idx, k=k).tobytes() == ref.tobytes()


def test_prefix_issues_keeps_the_tables_below_the_pairs():
    assert prefix_issues([3, 3, 2, 2, 3, 6, 3], 28, 28_000) == 6  # 648 combos x 28 <= 28,000
    assert prefix_issues([3, 3, 2], 10, 5) == 1
    assert prefix_issues([2, 2, 2], 1, 10**6) == 3


# -- the batch ------------------------------------------------------------------------------
def test_ukraine_first_party_screen_multiplies_a_fraction_of_the_rows(monkeypatch):
    s = ng.load_scenario("ukraine_2025")
    samples = monte_carlo_samples(s, 30, seed=11)
    seen = []
    real = batch.prefix_screen

    def spy(rows, coef, thr, k):
        seen.append((k.sum(), rows.order.size * coef.shape[0]))
        return real(rows, coef, thr, k)

    monkeypatch.setattr(batch, "prefix_screen", spy)
    got = evaluate_samples(s, samples)
    monkeypatch.undo()
    assert seen and all(work < 0.5 * full for work, full in seen)
    assert all(same_row(a, evaluate_sample(s, x)) for a, x in zip(got, samples, strict=True))


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_rows_identical_with_reservations_exactly_on_an_outcome(data):
    # Weights move (the prefix bound is used), and each sample's reservations sit exactly on
    # the utility of some outcome under that sample's weights: the rows that barely pass
    # must survive the screen, as the per-sample path accepts them.
    s = data.draw(scenarios(max_issues=4, max_levels=4))
    samples = monte_carlo_samples(
        s, data.draw(st.integers(1, 6)), seed=data.draw(st.integers(0, 10**6)), concentration=5.0
    )
    levels = s.space.levels_of(np.arange(s.space.cardinality))
    for x in samples:
        try:
            u = apply_inputs(s, x).utilities(levels)
        except ScenarioError:
            continue
        k = data.draw(st.integers(0, levels.shape[0] - 1))
        for p, party in enumerate(s.parties):
            x[f"{party.name}/reservation"] = float(u[k, p])
    got = evaluate_samples(s, samples)
    assert all(same_row(a, evaluate_sample(s, x)) for a, x in zip(got, samples, strict=True))


# -- the parties after the first (screen_rest) and the design ---------------------------------
@settings(max_examples=60, deadline=None)
@given(st.data())
def test_screen_rest_keeps_every_pair_all_screens_keep(data):
    # Whatever the cost model decides to screen, no pair that every party's full screen keeps
    # is dropped; with screening free, every party runs and the result is the full screen.
    S, N, K, P = (data.draw(st.integers(1, n)) for n in (5, 40, 4, 4))
    rng = np.random.default_rng(data.draw(st.integers(0, 10**6)))
    terms = {p: (rng.random((S, K)), rng.random((N, K))) for p in range(P)}
    thr = rng.random((S, P)) * K * 0.5
    full = np.ones((S, N), dtype=bool)
    for p, (C, Z) in terms.items():
        full &= C @ Z.T >= thr[:, p, None]
    for cost in (0.0, 16.0, 1e9):
        monkey = pytest.MonkeyPatch()
        monkey.setattr(screen, "PAIR_COST", cost)
        alive = data.draw(st.sampled_from([None, np.arange(N)]))
        kept_rows, maybe = screen_rest(terms, thr, np.ones((S, N), dtype=bool), alive)
        monkey.undo()
        rows = np.arange(N) if kept_rows is None else kept_rows
        assert maybe.shape == (S, rows.size)
        assert not (full & ~np.isin(np.arange(N), rows)[None, :]).any()
        assert np.array_equal(maybe & full[:, rows], full[:, rows])
        if cost == 1e9:
            assert np.array_equal(maybe, full[:, rows])


@pytest.mark.parametrize("moving", [False, True])
def test_design_products_are_the_screened_utilities(moving):
    s = ng.load_scenario("ukraine_2025")
    samples = monte_carlo_samples(s, 6, seed=2)
    if moving:  # a value moves: the one-hot design
        issue = s.issues[0]
        for x in samples:
            x[f"{s.party_names[0]}/values/{issue.name}/{issue.levels[0]}"] = 0.5
    plan = candidates.make_plan(s, ("nash",), None, "auto", None)
    groups, parsed = batch_groups.group_samples(plan, samples)
    ((drops, members),) = groups.items()
    cand = candidates.candidate_set(plan, drops)
    num = Numbers(plan.discrete, [parsed[k] for k in members])
    assert num.same_values is not moving
    for p, (C, Z) in enumerate(design(cand, num)):
        want = batch._screen(cand, num, p)
        got = C @ Z.T
        assert np.allclose(got, want, rtol=0, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_pair_indices_and_all_at_least_match_numpy(data):
    S, width, P = (
        data.draw(st.integers(0, 5)),
        data.draw(st.integers(0, 9)),
        data.draw(st.integers(1, 9)),
    )
    maybe = np.array(data.draw(st.lists(st.booleans(), min_size=S * width, max_size=S * width)))
    maybe = maybe.reshape(S, width)
    rows = np.array(
        sorted(data.draw(st.sets(st.integers(0, 99), min_size=width, max_size=width))),
        dtype=np.int64,
    )
    s_idx, n_idx, counts = pair_indices(maybe, rows)
    ref_s, ref_n = np.nonzero(maybe)
    assert s_idx.tolist() == ref_s.tolist() and n_idx.tolist() == rows[ref_n].tolist()
    assert counts.tolist() == maybe.sum(axis=1).tolist()
    M = data.draw(st.integers(0, 6))
    value = st.sampled_from([0.0, -0.0, 0.5, 1.0, np.nan, np.inf])
    u = np.array(data.draw(st.lists(value, min_size=M * P, max_size=M * P))).reshape(M, P)
    low = np.array(data.draw(st.lists(value, min_size=M * P, max_size=M * P))).reshape(M, P)
    assert all_at_least(u, low).tolist() == (u >= low).all(axis=1).tolist()


def test_first_party_chosen_once_per_candidate_set(monkeypatch):
    # The first group of a candidate set ranks every party by its bound's rows to multiply;
    # later groups reuse the choice and compute only that party's prefix lengths.
    s = ng.load_scenario("ukraine_2025")
    samples = monte_carlo_samples(s, 3 * 28, seed=8)
    plan = candidates.make_plan(s, ("nash",), None, "auto", None)
    groups, _ = batch_groups.group_samples(plan, samples)
    ((drops, _members),) = groups.items()
    cand = candidates.candidate_set(plan, drops)
    cand.screen_cache.pop("first party", None)
    calls = []
    real = screen.prefix_lengths
    monkeypatch.setattr(screen, "prefix_lengths", lambda *a, **k: calls.append(1) or real(*a, **k))
    monkeypatch.setattr(batch, "SCREEN_GROUP", 28)
    got = evaluate_samples(s, samples, solutions=("nash",))
    monkeypatch.undo()
    assert cand.screen_cache["first party"] in range(len(s.parties))
    assert len(calls) == len(s.parties) + 2  # all parties once, then one per later group
    assert all(
        same_row(a, evaluate_sample(s, x, solutions=("nash",)))
        for a, x in zip(got[:5], samples[:5], strict=True)
    )
