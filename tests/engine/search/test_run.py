"""Tests of the frontier search engine against enumeration and an O(N^2) brute force."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import integer_scenarios, scenarios

import negotiation.engine.search as search_module
import negotiation.engine.search.count as search_count
from negotiation import load_scenario
from negotiation.engine.frontier import enumerate_frontier
from negotiation.engine.pareto import pareto_mask
from negotiation.engine.search import count_allowed, search_frontier
from negotiation.engine.tolerance import utility_tolerance
from negotiation.errors import NegotiationError, NotApplicableError, ScenarioError
from negotiation.model.issues import Issue
from negotiation.model.party import Party
from negotiation.model.scenario import AgreementRule, Scenario, reservation_tolerance

# ---------------------------------------------------------------------------------------------
# References and helpers
# ---------------------------------------------------------------------------------------------


def brute_frontier(s: Scenario) -> tuple[np.ndarray, np.ndarray]:
    """Pareto-feasible outcomes by the definition: enumerate, mask, pairwise dominance."""
    levels = s.space.enumerate()
    u = s.utilities(levels)
    r = s.reservations
    ok = s.space.allowed_mask(levels)
    ok &= ~s.red_line_mask(levels).any(axis=1)
    ok &= (u >= r - reservation_tolerance(r)).all(axis=1)
    levels, u = levels[ok], u[ok]
    # Computed utilities closer than the tie tolerance count as equal (exact utilities of the
    # random scenarios are multiples of 1/(8 W) or integers: far apart at that scale).
    tol = utility_tolerance(s)
    ge = (u[:, None, :] >= u[None, :, :] - tol).all(axis=2)  # ge[y, x]: y >= x everywhere
    gt = (u[:, None, :] > u[None, :, :] + tol).any(axis=2)
    dominated = (ge & gt).any(axis=0)
    return levels[~dominated], u[~dominated]


def as_set(levels: np.ndarray) -> set[tuple[int, ...]]:
    return {tuple(int(v) for v in row) for row in levels}


def random_scenario(
    parties: int,
    issues: int,
    levels: int,
    seed: int,
    *,
    clauses: bool = False,
    reservation: float = 0.0,
) -> Scenario:
    """Dirichlet weights, uniform values; optionally random constraints, red lines, bonuses."""
    rng = np.random.default_rng(seed)
    iss = tuple(Issue(f"i{k}", tuple(f"l{j}" for j in range(levels))) for k in range(issues))

    def clause(m: int) -> dict:
        ks = sorted(rng.choice(issues, m, replace=False))
        return {
            iss[k].name: tuple(
                iss[k].levels[j] for j in sorted(rng.choice(levels, levels // 2, replace=False))
            )
            for k in ks
        }

    ps = []
    for p in range(parties):
        w = rng.dirichlet(np.ones(issues))
        ps.append(
            Party(
                f"P{p}",
                {i.name: float(w[k]) for k, i in enumerate(iss)},
                {
                    i.name: dict(zip(i.levels, map(float, rng.random(levels)), strict=True))
                    for i in iss
                },
                reservation=reservation,
                red_lines=(clause(2),) if clauses else (),
                bonuses=((clause(2), float(rng.choice([-0.05, 0.05]))),) if clauses else (),
            )
        )
    cons = tuple(clause(2) for _ in range(2)) if clauses else ()
    return Scenario(f"random{parties}x{issues}", iss, tuple(ps), constraints=cons)


def check_same_as_enumeration(s: Scenario) -> None:
    e = enumerate_frontier(s)
    f = search_frontier(s)
    assert f.engine == "search"
    assert np.array_equal(f.levels, e.levels)  # same outcomes, same (index) order
    assert np.array_equal(f.utilities, e.utilities)  # bit-identical utilities
    assert (f.n_outcomes, f.n_allowed, f.n_feasible) == (e.n_outcomes, e.n_allowed, e.n_feasible)
    assert f.n_feasible_exact
    assert f.is_empty == e.is_empty
    if e.is_empty:
        assert f.diagnostics["message"] == e.diagnostics["message"]


# ---------------------------------------------------------------------------------------------
# Exactness on random small scenarios
# ---------------------------------------------------------------------------------------------


@given(scenarios())
def test_search_equals_enumeration_and_brute_force(s):
    check_same_as_enumeration(s)
    levels, u = brute_frontier(s)
    f = search_frontier(s)
    assert as_set(f.levels) == as_set(levels)
    order = np.lexsort(levels.T[::-1])
    assert np.array_equal(f.utilities, u[order])


@given(integer_scenarios())
def test_search_equals_enumeration_on_points_scenarios_with_many_ties(s):
    check_same_as_enumeration(s)
    levels, _ = brute_frontier(s)
    assert as_set(search_frontier(s).levels) == as_set(levels)


@settings(max_examples=25)
@given(scenarios(min_issues=4, max_issues=6, max_levels=3))
def test_search_equals_enumeration_on_larger_spaces(s):
    check_same_as_enumeration(s)


@given(scenarios(reservations=False, red_lines=False))
def test_count_allowed_is_exact(s):
    levels = s.space.enumerate()
    assert count_allowed(s) == int(s.space.allowed_mask(levels).sum())


def test_near_ties_that_rounding_breaks_are_kept():
    """Scores on a grid of tenths: sums of different scores tie in exact arithmetic and are
    rounded apart or together depending on the order. A plain issue-by-issue filter returns 3
    of these 4 frontier outcomes; the search keeps near-ties and matches enumeration."""
    iss = tuple(Issue(f"i{k}", ("l0", "l1")) for k in range(3))
    a = Party(
        "A",
        {"i0": 1, "i1": 2, "i2": 4},
        {"i0": {"l0": 0.6, "l1": 0.8}, "i1": {"l0": 0.8, "l1": 0.9}, "i2": {"l0": 0.4, "l1": 0.0}},
    )
    b = Party(
        "B",
        {"i0": 4, "i1": 1, "i2": 4},
        {"i0": {"l0": 0.4, "l1": 0.2}, "i1": {"l0": 1.0, "l1": 0.2}, "i2": {"l0": 0.1, "l1": 0.0}},
    )
    s = Scenario("tenths", iss, (a, b))
    assert search_frontier(s).size == enumerate_frontier(s).size == 4
    check_same_as_enumeration(s)


def test_many_tie_prone_scenarios_match_enumeration():
    """Seeded sweep of two-party scenarios with values in tenths and small integer weights
    (where rounding ties are frequent)."""
    rng = np.random.default_rng(11)
    for _ in range(150):
        n = int(rng.integers(3, 7))
        iss = tuple(Issue(f"i{k}", ("l0", "l1", "l2")) for k in range(n))
        ps = tuple(
            Party(
                name,
                {i.name: int(rng.integers(1, 8)) for i in iss},
                {i.name: {lv: int(rng.integers(0, 11)) / 10 for lv in i.levels} for i in iss},
                reservation=float(rng.choice([0.0, 0.4])),
            )
            for name in "AB"
        )
        try:
            s = Scenario("tenths", iss, ps)
        except ScenarioError:
            continue
        check_same_as_enumeration(s)


def test_clauses_over_distant_issues_match_enumeration():
    for seed in range(3):
        s = random_scenario(3, 7, 3, seed, clauses=True, reservation=0.3)
        check_same_as_enumeration(s)


@pytest.mark.parametrize("name", ["ukraine_2025", "textbook_two_party"])
def test_bundled_scenarios(name):
    check_same_as_enumeration(load_scenario(name))


# ---------------------------------------------------------------------------------------------
# Rules, errors, inputs
# ---------------------------------------------------------------------------------------------


def test_quota_rule_is_not_applicable():
    s = random_scenario(3, 3, 2, 0)
    with pytest.raises(NotApplicableError, match="enumeration engine"):
        search_frontier(s, rule=AgreementRule(quota=2))
    # a quota equal to the number of parties is unanimity
    assert search_frontier(s, rule=AgreementRule(quota=3)).size == enumerate_frontier(s).size


def test_continuous_scenario_is_not_applicable():
    iss = (Issue("x", (), range=(0.0, 1.0)),)
    s = Scenario("c", iss, (Party("A", {"x": 1}), Party("B", {"x": 1})))
    with pytest.raises(NotApplicableError, match="discretize"):
        search_frontier(s)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"epsilon": 0},
        {"epsilon": -1.0},
        {"epsilon": "x"},
        {"max_frontier": 0},
        {"max_frontier": 2.5},
    ],
)
def test_bad_options(kwargs):
    with pytest.raises(ScenarioError):
        search_frontier(random_scenario(2, 3, 2, 0), **kwargs)


def test_deterministic_and_inputs_untouched():
    s = random_scenario(3, 12, 4, 5, clauses=True)
    tables = [t.copy() for t in s.tables]
    a, b = search_frontier(s), search_frontier(s)
    assert np.array_equal(a.levels, b.levels) and np.array_equal(a.utilities, b.utilities)
    assert a.n_feasible == b.n_feasible
    assert all(np.array_equal(t, u) for t, u in zip(tables, s.tables, strict=True))


def test_progress_bar(capsys):
    f = search_frontier(random_scenario(2, 5, 3, 0), progress=True)
    assert f.size > 0
    assert "5/5" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# Empty feasible sets
# ---------------------------------------------------------------------------------------------


def _opposed(n_issues: int) -> Scenario:
    iss = tuple(Issue(f"i{k}", ("a", "b", "c", "d")) for k in range(n_issues))
    w = {i.name: 1 for i in iss}
    inverse = {i.name: {"a": 1.0, "b": 0.6, "c": 0.3, "d": 0.0} for i in iss}
    return Scenario(
        "opposed",
        iss,
        (
            Party("A", w, reservation=0.6),
            Party("B", w, inverse, reservation=0.6),
            Party("C", w, reservation=0.1, red_lines=({"i0": ("a",), "i1": ("a",)},)),
        ),
    )


def test_empty_small_space_diagnosed_like_enumeration():
    s = _opposed(4)
    f = search_frontier(s)
    assert f.is_empty and f.n_feasible == 0 and f.n_feasible_exact
    assert f.diagnostics == enumerate_frontier(s).diagnostics
    assert f.diagnostics["blocking_parties"] == ["A", "B"]
    with pytest.raises(NegotiationError):
        f.require_nonempty()


def test_empty_huge_space_names_blocking_parties():
    s = _opposed(30)
    f = search_frontier(s)
    assert f.is_empty and f.n_feasible == 0 and f.n_outcomes == 4**30
    assert f.n_allowed == 4**30
    assert f.diagnostics["blocking_parties"] == ["A", "B"]
    assert "['A', 'B']" in f.diagnostics["message"]


# ---------------------------------------------------------------------------------------------
# Spaces far too large to enumerate
# ---------------------------------------------------------------------------------------------


def check_huge(s: Scenario, n_sample: int = 20_000) -> None:
    f = search_frontier(s)
    assert f.size > 0 and f.n_outcomes == s.space.cardinality
    # every returned outcome is feasible, with the engine's utilities
    assert np.array_equal(f.utilities, s.utilities(f.levels))
    assert s.feasible_mask(f.levels, f.utilities).all()
    # no returned point dominates another
    assert pareto_mask(f.utilities, tol=f.tolerance).all()
    # no sampled feasible outcome dominates a frontier point
    sample = s.space.sample(n_sample, seed=1)
    u = s.utilities(sample)
    u = u[s.feasible_mask(sample, u)]
    for chunk in np.array_split(u, max(1, u.shape[0] // 2000)):
        ge = (chunk[:, None, :] >= f.utilities[None, :, :]).all(axis=2)
        gt = (chunk[:, None, :] > f.utilities[None, :, :]).any(axis=2)
        assert not (ge & gt).any()
    # without clauses or reservations, each party's best outcome is on the frontier
    if not s.constraints and not any(p.red_lines or p.bonuses for p in s.parties):
        best = np.zeros(len(s.parties))
        for t in s.tables:
            best += t.max(axis=0)
        assert np.array_equal(f.utilities.max(axis=0), best)
    if s.space.cardinality > search_module.EXACT_COUNT_LIMIT:
        assert not f.n_feasible_exact and f.n_feasible >= f.size
        assert f.diagnostics["n_feasible_estimate"]["samples"] == search_module.FEASIBLE_SAMPLE


def test_two_parties_thirty_issues():
    check_huge(random_scenario(2, 30, 4, 0))


def test_three_parties_twelve_issues():
    check_huge(random_scenario(3, 12, 4, 1))


def test_four_parties_with_clauses_and_reservations():
    check_huge(random_scenario(4, 11, 4, 2, clauses=True, reservation=0.3))


def test_huge_frontier_agrees_with_enumeration_on_a_prefix_of_issues():
    """Restricted to its first issues a huge scenario is enumerable: both engines agree."""
    s = random_scenario(3, 8, 4, 3, clauses=True, reservation=0.2)
    check_same_as_enumeration(s)


# ---------------------------------------------------------------------------------------------
# Ties and the expansion cap
# ---------------------------------------------------------------------------------------------


def _indifferent(n_cared: int, n_free: int, levels: int = 2) -> Scenario:
    iss = tuple(
        Issue(f"i{k}", tuple(f"l{j}" for j in range(levels))) for k in range(n_cared + n_free)
    )
    cared = [i.name for i in iss[:n_cared]]
    opposite = {n: {f"l{j}": 1 - j / (levels - 1) for j in range(levels)} for n in cared}
    return Scenario(
        "indifferent",
        iss,
        (Party("A", {n: 1 for n in cared}), Party("B", {n: 1 for n in cared}, opposite)),
    )


def test_issue_nobody_cares_about_multiplies_ties():
    s = _indifferent(2, 3)
    f = search_frontier(s)
    check_same_as_enumeration(s)
    # 3 distinct vectors; the middle one has 2 outcomes on the cared issues; x 2^3 free levels
    assert len(np.unique(f.utilities, axis=0)) == 3
    assert f.size == (1 + 2 + 1) * 2**3
    assert f.n_tied == f.size


def test_cap_truncates_ties_but_keeps_every_vector():
    s = _indifferent(2, 40)
    f = search_frontier(s, max_frontier=50)
    assert f.diagnostics["truncated"]
    assert f.diagnostics["n_frontier_outcomes"] == 4 * 2**40
    assert f.diagnostics["n_frontier_vectors"] == 3
    assert 3 <= f.size <= 50
    assert len(np.unique(f.utilities, axis=0)) == 3
    assert pareto_mask(f.utilities, tol=f.tolerance).all()
    with pytest.raises(NegotiationError, match="max_frontier"):
        search_frontier(s, max_frontier=2)


# ---------------------------------------------------------------------------------------------
# Epsilon-Pareto
# ---------------------------------------------------------------------------------------------


def check_epsilon(s: Scenario, eps: float) -> None:
    exact = search_frontier(s)
    thin = search_frontier(s, epsilon=eps)
    assert thin.epsilon == eps
    assert as_set(thin.levels) <= as_set(exact.levels)
    if exact.is_empty:
        assert thin.is_empty
        return
    covered = (thin.utilities[None, :, :] >= exact.utilities[:, None, :] - eps).all(axis=2)
    assert covered.any(axis=1).all()


@settings(max_examples=40)
@given(scenarios(), st.sampled_from([0.01, 0.1, 0.3]))
def test_epsilon_guarantee_small(s, eps):
    check_epsilon(s, eps)


def test_epsilon_guarantee_and_thinning_large():
    s = random_scenario(3, 16, 4, 4)
    check_epsilon(s, 0.02)
    assert search_frontier(s, epsilon=0.05).size < search_frontier(s).size


# ---------------------------------------------------------------------------------------------
# The n_feasible estimate
# ---------------------------------------------------------------------------------------------


def test_feasible_estimate_is_close_to_the_exact_count(monkeypatch):
    s = random_scenario(3, 7, 4, 6, clauses=True, reservation=0.35)
    exact = enumerate_frontier(s)
    monkeypatch.setattr(search_count, "EXACT_COUNT_LIMIT", 10)
    f = search_frontier(s)
    assert not f.n_feasible_exact
    assert f.n_allowed == exact.n_allowed
    est = f.diagnostics["n_feasible_estimate"]
    assert abs(f.n_feasible - exact.n_feasible) <= 5 * est["stderr"] + 1
    assert np.array_equal(f.levels, exact.levels)


def test_count_feasible_can_be_skipped():
    s = random_scenario(2, 6, 3, 7)
    f = search_frontier(s, count_feasible=False)
    assert f.n_feasible is None and not f.n_feasible_exact
    assert f.n_allowed == s.space.cardinality
    assert np.array_equal(f.levels, enumerate_frontier(s).levels)


# ---------------------------------------------------------------------------------------------
# The benchmark runs (quick mode) and agrees with enumeration
# ---------------------------------------------------------------------------------------------


def test_benchmark_quick_mode(capsys, monkeypatch):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[3] / "benchmarks" / "bench_search.py"
    spec = importlib.util.spec_from_file_location("bench_search", path)
    bench = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "bench_search", bench)  # dataclasses look the module up
    spec.loader.exec_module(bench)
    assert bench.main(["--quick", "--no-peers"]) == 0
    out = capsys.readouterr().out
    assert "identical: yes" in out and "NO" not in out
