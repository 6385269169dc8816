"""Coalitions: zones of agreement against brute force, Shapley values, the core."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from strategies import scenarios

import negotiation as ng
from negotiation.dynamics.games import coalitions, core, shapley_values
from negotiation.engine.frontier import enumerate_frontier
from negotiation.errors import ScenarioError
from negotiation.model.scenario import AgreementRule

UKRAINE = ng.load_scenario("ukraine_2025")


def shapley_by_permutations(v, n):
    phi = np.zeros(n)
    for perm in itertools.permutations(range(n)):
        mask = 0
        for i in perm:
            phi[i] += v[mask | (1 << i)] - v[mask]
            mask |= 1 << i
    return phi / math.factorial(n)


@pytest.mark.parametrize("seed", range(10))
def test_shapley_against_permutations(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 6))
    v = rng.random(1 << n)
    v[0] = 0.0
    phi = shapley_values(v)
    assert np.allclose(phi, shapley_by_permutations(v, n))
    assert phi.sum() == pytest.approx(v[-1])  # efficiency


def test_core_known_games():
    glove = np.zeros(8)
    glove[0b011] = glove[0b101] = glove[0b111] = 1.0
    c = core(glove)
    assert c.nonempty and np.allclose(c.point, [1, 0, 0]) and c.epsilon <= 1e-9
    assert np.allclose(c.bounds, [[1, 1], [0, 0], [0, 0]], atol=1e-9)
    majority = np.array([0, 0, 0, 1, 0, 1, 1, 1], dtype=float)
    c = core(majority)
    # Maschler-Peleg-Shapley: x(S) >= v(S) - eps; the majority game needs eps = 1/3 > 0
    assert not c.nonempty and c.epsilon == pytest.approx(1 / 3)
    convex = np.array([len(bin(m)) - 2 and bin(m).count("1") ** 2 for m in range(16)], float)
    c = core(convex)  # v(S) = |S|^2 is convex: the Shapley value is in the core
    phi = shapley_values(convex)
    for m in range(1, 16):
        members = [i for i in range(4) if (m >> i) & 1]
        assert phi[members].sum() >= convex[m] - 1e-9
    assert c.nonempty


def brute_zones(scenario):
    levels = scenario.space.enumerate()
    allowed = scenario.space.allowed_mask(levels)
    levels = levels[allowed]
    U = scenario.utilities(levels)
    acc = scenario.acceptable(levels, U)
    return levels, U, acc


def test_ukraine_zones_against_brute_force():
    a = coalitions(UKRAINE)
    levels, U, acc = brute_zones(UKRAINE)
    d = UKRAINE.reservations
    ideal = np.array([U[acc[:, p], p].max() for p in range(4)])
    g = (U - d) / (ideal - d)
    for mask, rep in a.reports.items():
        members = [p for p in range(4) if (mask >> p) & 1]
        outs = [p for p in range(4) if p not in members]
        ok = acc[:, members].all(axis=1)
        assert rep.n_acceptable == int(ok.sum())
        if outs:
            against = ok & ~acc[:, outs].any(axis=1)
            assert rep.n_against_outsiders == int(against.sum())
        else:  # the grand coalition has no outsiders to reject anything
            against = np.zeros_like(ok)
            assert rep.n_against_outsiders is None
            assert "rejected by every outsider" not in rep.summary()
        # S's Nash deal maximises the product of the members' normalised gains (brute force).
        assert rep.can_agree == bool(ok.any())
        if not ok.any():
            assert rep.best is None
            continue
        prod = np.prod(np.clip(g[ok][:, members], 0, None), axis=1)
        got_g = (rep.best.utilities - d) / (ideal - d)
        assert np.prod(np.clip(got_g[members], 0, None)) == pytest.approx(prod.max())
        # Its best deal against the outsiders exists exactly when some acceptable outcome is
        # rejected by every outsider; it is one of them and maximises the same product there.
        assert (rep.best_against is not None) == bool(against.any())
        if against.any():
            assert not UKRAINE.acceptable(rep.best_against.levels[None, :])[0][outs].any()
            best_g = (rep.best_against.utilities - d) / (ideal - d)
            prod_against = np.prod(np.clip(g[against][:, members], 0, None), axis=1)
            assert np.prod(np.clip(best_g[members], 0, None)) == pytest.approx(prod_against.max())
    # Under unanimity the grand coalition's zone is the feasible set, counted by the frontier
    # engine independently of the acceptance patterns.
    assert a.coalition(UKRAINE.party_names).n_acceptable == enumerate_frontier(UKRAINE).n_feasible


def test_can_us_and_russia_agree_what_ukraine_and_europe_reject():
    rep = coalitions(UKRAINE).coalition(("Russia", "United States"))
    assert rep.can_agree and rep.n_against_outsiders > 0
    outs = rep.outsiders_at_best_against
    assert set(outs) == {"Ukraine", "European allies"}
    assert not any(v["accepts"] for v in outs.values())
    text = rep.summary()
    assert "Russia + United States" in text and "Ukraine" in text


def test_unanimity_makes_everybody_needed():
    a = coalitions(UKRAINE)
    n = 4
    assert np.allclose(list(a.power.values()), 1 / n)
    assert np.allclose(list(a.shapley.values()), a.value[-1] / n)
    assert a.core.nonempty
    assert a.to_dict()["agreement"]["deal"]


def test_quota_rule_changes_who_wins():
    a = coalitions(UKRAINE, rule=AgreementRule(quota=3))
    for mask, rep in a.reports.items():
        assert rep.wins == (len(rep.members) >= 3)
        if not rep.wins:
            assert a.value[mask] == 0.0 and a.simple[mask] == 0.0
    assert sum(a.power.values()) == pytest.approx(1.0)
    with pytest.raises(ScenarioError):
        a.coalition(("Russia", "Mars"))


@settings(max_examples=25, deadline=None)
@given(scenarios(min_parties=3, max_parties=3, max_issues=3))
def test_random_scenarios_counts(scenario):
    a = coalitions(scenario)
    levels, U, acc = brute_zones(scenario)
    for mask, rep in a.reports.items():
        members = [p for p in range(3) if (mask >> p) & 1]
        assert rep.n_acceptable == int(acc[:, members].all(axis=1).sum())
        assert rep.can_agree == (rep.best is not None)


def test_least_core_sign_follows_maschler_peleg_shapley():
    # three-player game with a large core: v(i) = 0, v(pairs) = 0.3, v(N) = 1
    v = np.zeros(8)
    v[0b011] = v[0b101] = v[0b110] = 0.3
    v[0b111] = 1.0
    c = core(v)
    # by symmetry x = (1/3, 1/3, 1/3): the pairs get 2/3 - 0.3, singletons 1/3: min excess 1/3
    assert c.nonempty and c.epsilon == pytest.approx(-1 / 3)
    from negotiation.dynamics.games.coalitions import _core_words

    assert "non-empty" in _core_words(c) and "-0.3333 <= 0" in _core_words(c)


def test_unanimity_shapley_values_equal_but_the_unrestricted_ones_discriminate():
    a = coalitions(UKRAINE)
    assert len({round(v, 9) for v in a.shapley.values()}) == 1
    assert len({round(v, 9) for v in a.power.values()}) == 1
    # brute force of v0: the largest sum of normalised gains over S's zone, any coalition
    levels, U, acc = brute_zones(UKRAINE)
    d = UKRAINE.reservations
    ideal = np.array([U[acc[:, p], p].max() for p in range(4)])
    g = (U - d) / (ideal - d)
    v0 = np.zeros(16)
    for m in range(1, 16):
        members = [p for p in range(4) if (m >> p) & 1]
        ok = acc[:, members].all(axis=1)
        if ok.any():
            v0[m] = g[ok][:, members].sum(axis=1).max()
    expected = shapley_by_permutations(v0, 4)
    assert np.allclose(list(a.shapley_unrestricted.values()), expected)
    assert "the next line does discriminate" in a.summary()
