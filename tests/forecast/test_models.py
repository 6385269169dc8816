"""The forecasting models: closed forms, brute force, invariances and determinism."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation.errors import NegotiationError
from negotiation.forecast import DYNAMIC, FORECASTS, forecast
from negotiation.forecast.base import weighted_median
from negotiation.forecast.eum import expected_utilities, risk_exponents
from negotiation.forecast.votes import victory_probabilities

ROUNDS = {"eum": 4, "exchange": 3, "pce": 30}


@st.composite
def problems(draw, max_actors=6, max_issues=3, grid=False):
    """Valid spatial problems: positions in [0, 100], capability > 0, salience in (0, 1]."""
    n = draw(st.integers(2, max_actors))
    m = draw(st.integers(1, max_issues))
    if grid:  # positions on a coarse grid make ties likely
        pos = st.sampled_from([0.0, 25.0, 50.0, 75.0, 100.0])
    else:
        pos = st.floats(0, 100, allow_nan=False).map(lambda v: round(v, 2))  # data precision
    x = np.array(draw(st.lists(st.lists(pos, min_size=m, max_size=m), min_size=n, max_size=n)))
    c = np.array(draw(st.lists(st.floats(0.05, 10), min_size=n, max_size=n)))
    s = np.array(
        draw(st.lists(st.lists(st.floats(0.05, 1), min_size=m, max_size=m), min_size=n, max_size=n))
    )
    return x, c, s


def brute_condorcet_winners(x: np.ndarray, w: np.ndarray) -> set[float]:
    """Positions no other position beats in a weighted pairwise vote (single-peaked |x - y|)."""
    winners = set()
    for y in x:
        beaten = False
        for z in x:
            for_z = w[np.abs(x - z) < np.abs(x - y)].sum()
            for_y = w[np.abs(x - y) < np.abs(x - z)].sum()
            if for_z > for_y + 1e-12 * w.sum():
                beaten = True
        if not beaten:
            winners.add(float(y))
    return winners


@given(problems())
def test_compromise_is_the_weighted_mean(p):
    x, c, s = p
    r = forecast("compromise", x, c, s)
    for d in range(x.shape[1]):
        w = c * s[:, d]
        expected = sum(w[i] * x[i, d] for i in range(len(w))) / sum(w)
        assert r.forecast[d] == pytest.approx(expected, rel=1e-12, abs=1e-9)


@given(problems(grid=True))
def test_median_is_a_condorcet_winner_by_brute_force(p):
    x, c, s = p
    r = forecast("median", x, c, s)
    for d in range(x.shape[1]):
        assert r.forecast[d] in brute_condorcet_winners(x[:, d], c * s[:, d])


def test_median_closed_form_and_tie_convention():
    # weights 1, 1 | 2: cumulative 1, 2 reaches half (2) exactly at the second position
    x = np.array([[10.0], [20.0], [90.0]])
    assert weighted_median(x, np.array([[1.0], [1.0], [2.0]]))[0] == 20.0
    assert weighted_median(x, np.array([[1.0], [1.0], [2.1]]))[0] == 90.0


@pytest.mark.parametrize("name", sorted(FORECASTS))
@settings(max_examples=15)
@given(p=problems(), data=st.data())
def test_invariant_under_relabelling_actors(name, p, data):
    x, c, s = p
    perm = np.array(data.draw(st.permutations(range(x.shape[0]))))
    kw = {"rounds": ROUNDS[name]} if name in DYNAMIC else {}
    a = forecast(name, x, c, s, **kw)
    b = forecast(name, x[perm], c[perm], s[perm], **kw)
    if name == "exchange" and _exchange_ties(a):
        return  # equal gains are ordered by creation order, which relabelling changes
    np.testing.assert_allclose(a.history, b.history, rtol=1e-9, atol=1e-7)


def _exchange_ties(r) -> bool:
    gains = [g for rnd in r.details["realised"] for *_, g in rnd]
    gains = np.sort(np.array(gains))
    return bool(np.any(np.diff(gains) <= 1e-9 * max(1.0, gains.max(initial=0))))


@pytest.mark.parametrize("name", sorted(FORECASTS))
@settings(max_examples=15)
@given(p=problems(), k=st.floats(0.01, 100))
def test_invariant_under_scaling_capabilities(name, p, k):
    x, c, s = p
    kw = {"rounds": ROUNDS[name]} if name in DYNAMIC else {}
    a = forecast(name, x, c, s, **kw)
    b = forecast(name, x, c * k, s, **kw)
    if name == "exchange" and _exchange_ties(a):
        return
    np.testing.assert_allclose(a.history, b.history, rtol=1e-8, atol=1e-6)


@pytest.mark.parametrize("name", sorted(FORECASTS))
def test_deterministic_and_inputs_untouched(name):
    rng = np.random.default_rng(7)
    x = rng.uniform(0, 100, (6, 3))
    c, s = rng.uniform(0.1, 1, 6), rng.uniform(0.1, 1, (6, 3))
    copies = (x.copy(), c.copy(), s.copy())
    a, b = forecast(name, x, c, s), forecast(name, x, c, s)
    np.testing.assert_array_equal(a.history, b.history)
    np.testing.assert_array_equal(a.positions, b.positions)
    for before, after in zip(copies, (x, c, s), strict=True):
        np.testing.assert_array_equal(before, after)
    assert a.history.shape[1] == 3 and a.positions.shape[1:] == (6, 3)
    np.testing.assert_array_equal(a.forecast, a.history[-1])


@pytest.mark.parametrize(
    "args, match",
    [
        (([[1.0], [2.0]], [1.0], [[1.0], [1.0]]), "capability has 1 entries"),
        (([[1.0], [2.0]], [1.0, -1.0], [[1.0], [1.0]]), "capability must be >= 0"),
        (([[1.0], [2.0]], [1.0, 1.0], [[1.5], [1.0]]), r"salience must be in \[0, 1\]"),
        (([[1.0], [np.nan]], [1.0, 1.0], [[1.0], [1.0]]), "finite"),
        (([[1.0], [2.0]], [0.0, 0.0], [[1.0], [1.0]]), "zero weight"),
    ],
)
def test_bad_inputs_are_refused(args, match):
    with pytest.raises(NegotiationError, match=match):
        forecast("compromise", *args)


def test_unknown_model_and_bad_rounds():
    with pytest.raises(NegotiationError, match="unknown forecasting model"):
        forecast("oracle", [[1.0], [2.0]], [1, 1], [[1.0], [1.0]])
    with pytest.raises(NegotiationError, match="rounds"):
        forecast("eum", [[1.0], [2.0]], [1, 1], [[1.0], [1.0]], rounds=0)


# -- the building blocks, by hand ---------------------------------------------------------------
def test_victory_probabilities_by_hand():
    x, w = np.array([0.0, 30.0, 100.0]), np.array([2.0, 1.0, 1.0])
    P = victory_probabilities(x, w)
    # 0 vs 30: actor 0 votes 2*30 for 0; actors 1, 2 vote 1*30 and 1*30 for 30
    assert P[0, 1] == pytest.approx(60 / 120)
    # 30 vs 100: actor 0 votes 2*70, actor 1 1*70 for 30; actor 2 1*70 for 100
    assert P[1, 2] == pytest.approx(210 / 280)
    np.testing.assert_allclose(P + P.T, 1.0)


@given(problems(max_issues=1))
def test_risk_exponents_lie_in_the_risk_range(p):
    x, c, s = p
    P = victory_probabilities(x[:, 0], c * s[:, 0])
    eu = expected_utilities(x[:, 0], s[:, 0], P, 50.0, np.ones(len(c)))
    r = risk_exponents(eu)
    assert np.all(r >= 0.5 - 1e-12) and np.all(r <= 2 + 1e-12)


def test_expected_utility_by_hand():
    # two actors at 0 and 100 (dx = 1), r = 1, Q = 1: U_s = 2, U_f = -2, U_sq = 0
    x, s = np.array([0.0, 100.0]), np.array([1.0, 0.5])
    P = victory_probabilities(x, np.array([3.0, 1.0]))  # P01 = 3/4
    eu = expected_utilities(x, s, P, 0.0, np.ones(2))
    assert eu[0, 1] == pytest.approx(0.5 * (0.75 * 2 - 0.25 * 2) + 0.5 * 2)
    assert eu[1, 0] == pytest.approx(1.0 * (0.25 * 2 - 0.75 * 2))
    # Q = 0, T = 1: minus U_b, U_b = 2 - 4 (0.5 - 0.25 (|x_i - mu| + dx))
    eu0 = expected_utilities(x, s, P, 0.0, np.ones(2), Q=0.0)
    ub0 = 2 - 4 * (0.5 - 0.25 * (0 + 1))
    assert eu0[0, 1] == pytest.approx(0.5 * (0.75 * 2 - 0.25 * 2) + 0.5 * 2 - ub0)


def test_eum_capitulation_compromise_and_confrontation():
    from negotiation.forecast.eum import eum

    # a strong, salient actor and a weak one that hardly cares: the weak one gives in
    r = eum([[0.0], [100.0]], [10.0, 1.0], [[1.0], [0.1]], rounds=1)
    assert r.positions[1, 1, 0] == 0.0
    assert sum(r.details["moves"][0].values()) == 1


def test_pce_two_equal_actors_and_stationarity():
    r = forecast("pce", [[0.0], [100.0]], [1, 1], [[1.0], [1.0]])
    assert r.details["probabilities"] == [[0.5], [0.5]]
    rng = np.random.default_rng(3)
    x, c, s = rng.uniform(0, 100, (5, 1)), rng.uniform(0.1, 1, 5), rng.uniform(0.1, 1, (5, 1))
    r = forecast("pce", x, c, s, rounds=500)
    p = np.array(r.details["probabilities"])[:, 0]
    assert p.sum() == pytest.approx(1.0)
    P = victory_probabilities(x[:, 0], c * s[:, 0])
    M = P / P.sum(axis=0, keepdims=True)
    np.testing.assert_allclose(M @ p, p, atol=1e-10)
    assert r.forecast[0] == pytest.approx(p @ x[:, 0])


def test_exchange_by_hand():
    """Two actors, two issues, each moves on the issue it cares less about.

    O_p = (0 * .9 * 1 + 100 * .2 * 1) / 1.1 = 18.18: actor 0 left on p, right on q; actor 1 the
    mirror image: groups b and c, they trade. Actor 0 (ratio .9/.2 > .2/.9) supplies q.
    Y = actor 1 moves all the way on p (100 -> 0): e_p = 100 * .2 / 1.1;
    e_q = e_p (s_Yp + s_Xp) / (s_Yq + s_Xq) = e_p; X's shift = e_q * 1.1 / .2 = 100, exactly
    to Y's position: both move fully, and the outcomes are 0 on both issues.
    """
    r = forecast(
        "exchange", [[0.0, 100.0], [100.0, 0.0]], [1, 1], [[0.9, 0.2], [0.2, 0.9]], rounds=1
    )
    assert r.details["exchanges"] == [1]
    np.testing.assert_allclose(r.history[1], [0.0, 0.0], atol=1e-12)
    ((a, sup, y, b, sup2, y2, gain),) = r.details["realised"][0]
    assert (a, sup, b, sup2) == (0, 1, 1, 0) and y == pytest.approx(0) and y2 == pytest.approx(0)
    assert gain == pytest.approx(abs(100 * 0.2 / 1.1 * (0.9 - 0.2)))


@settings(max_examples=25)
@given(problems(max_actors=5, max_issues=3))
def test_exchange_gains_are_equal_for_both_sides(p):
    from negotiation.forecast.exchange import candidate_exchanges

    x, c, s = p
    w = c[:, None] * s
    D = w.sum(axis=0)
    for e in candidate_exchanges(x, c, s):
        X, Y = e.X, e.Y
        ep = abs(Y.y - Y.x) * w[Y.a, Y.sup] / D[Y.sup]  # outcome shift on p (Y's supply)
        eq = abs(X.y - X.x) * w[X.a, X.sup] / D[X.sup]
        gx = ep * s[X.a, X.dem] - eq * s[X.a, X.sup]
        gy = eq * s[Y.a, Y.dem] - ep * s[Y.a, Y.sup]
        assert gx == pytest.approx(gy, rel=1e-7, abs=1e-9)
        assert abs(gx) == pytest.approx(e.gain, rel=1e-7, abs=1e-9)


def _offers_by_loop(x, eu):
    """Step 7 of the EUM written as the plain double loop (a brute force of the vectorised
    choice): each j takes, of the offers that move it, the least move, then the largest EU_ij,
    then the lowest i."""
    n = len(x)
    new = x.copy()
    for j in range(n):
        best = None
        for i in range(n):
            if i == j or eu[i, j] <= 0:
                continue
            e_ij, e_ji = eu[i, j], eu[j, i]
            if e_ji > 0:
                if e_ij <= e_ji:
                    continue
                target = x[i]
            elif abs(e_ji) < e_ij:
                target = x[j] + (x[i] - x[j]) * abs(e_ji / e_ij)
            else:
                target = x[i]
            key = (abs(target - x[j]), -e_ij, i, target)
            if best is None or key[:3] < best[:3]:
                best = key
        if best is not None:
            new[j] = best[3]
    return new


@settings(max_examples=40)
@given(problems(max_actors=7, max_issues=1, grid=True))
def test_eum_offer_choice_matches_the_loop(p):
    from negotiation.forecast.eum import _round

    x, c, s = p
    x, s = x[:, 0], s[:, 0]
    w = c * s
    mu = float(weighted_median(x[:, None], w[:, None])[0])
    P = victory_probabilities(x, w)
    r = risk_exponents(expected_utilities(x, s, P, mu, np.ones(len(x))))
    eu = expected_utilities(x, s, P, mu, r)
    new, _, _ = _round(x, c, s, Q=1.0, T=1.0, scale=100.0)
    np.testing.assert_allclose(new, _offers_by_loop(x, eu), rtol=0, atol=1e-12)
