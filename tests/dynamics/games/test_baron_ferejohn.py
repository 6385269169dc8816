"""Baron–Ferejohn bargaining: closed forms, stationarity conditions, scenarios."""

import numpy as np
import pytest

import negotiation as ng
from negotiation.dynamics.games import (
    baron_ferejohn,
    divide_the_dollar,
    divide_the_dollar_closed_form,
    stationary_equilibrium,
)
from negotiation.dynamics.games.lp import best_lottery
from negotiation.dynamics.games.stationary import responder_coalitions as _coalitions
from negotiation.engine.deal import Deal
from negotiation.errors import ScenarioError

UKRAINE = ng.load_scenario("ukraine_2025")
TEXTBOOK = ng.load_scenario("textbook_two_party")


@pytest.mark.parametrize(
    "n,q,delta",
    [
        (3, None, 0.9),
        (3, 2, 0.9),
        (5, 3, 0.8),
        (7, 4, 0.95),
        (4, 2, 0.6),
        (6, 6, 0.99),
        (2, None, 0.5),
        (9, 5, 0.7),
    ],
)
def test_symmetric_divide_the_dollar_closed_form(n, q, delta):
    eq = divide_the_dollar(n, q, delta)
    cf = divide_the_dollar_closed_form(n, q, delta)
    assert eq.converged
    assert np.allclose(eq.values, 1.0 / n, atol=1e-9)
    for i in range(n):
        gains = eq.proposer_gains[i]
        assert gains[i] == pytest.approx(cf["proposer"], abs=1e-9)
        # Each of the others is a partner with probability (q-1)/(n-1) and gets delta / n then.
        qq = n if q is None else q
        others = np.delete(gains, i)
        assert np.allclose(others, cf["partner"] * (qq - 1) / (n - 1), atol=1e-9)
        for coal, _ in eq.coalitions[i]:
            assert len(coal) == qq - 1


@pytest.mark.parametrize("p", [[0.5, 0.3, 0.2], [0.7, 0.1, 0.1, 0.1], [0.25, 0.75]])
@pytest.mark.parametrize("delta", [0.5, 0.9, 0.99])
def test_unanimity_values_equal_recognition(p, delta):
    """Under unanimity and a common discount, each player's value is its recognition
    probability (v_i = p_i(1 - delta(1 - v_i)) + (1 - p_i) delta v_i  =>  v_i = p_i)."""
    eq = divide_the_dollar(len(p), None, delta, recognition=p)
    assert eq.converged
    assert np.allclose(eq.values, p, atol=1e-9)


def check_stationary(eq, G, p, q, delta, tol=1e-6):
    """v = sum_i p_i (gains when i proposes), and each proposer gets the best any coalition of
    ``q - 1`` others can give it when every member is paid its price ``delta_j v_j``; the
    coalitions it mixes over are (near-)cheapest."""
    v = eq.values
    assert np.allclose(p @ eq.proposer_gains, v, atol=tol)
    k = len(v)
    for i in range(k):
        value = {
            c: best_lottery(G[:, i], G[:, list(c)], delta[list(c)] * v[list(c)])[1]
            for c in _coalitions(k, i, q, ())
        }
        best = max(value.values())
        assert eq.proposer_gains[i, i] == pytest.approx(best, abs=tol)
        for coal, prob in eq.coalitions[i]:
            if prob > 1e-3:
                assert value[coal] >= best - 1e-5


@pytest.mark.parametrize(
    "p,q,delta",
    [
        ([0.5, 0.3, 0.2], 2, 0.9),
        ([0.3, 0.25, 0.2, 0.15, 0.1], 3, 0.9),
        ([0.25] * 4, 3, [0.9, 0.8, 0.7, 0.95]),
    ],
)
def test_asymmetric_quota_games_are_stationary(p, q, delta):
    n = len(p)
    eq = divide_the_dollar(n, q, delta, recognition=p)
    assert eq.converged, eq.residual
    d = np.broadcast_to(np.asarray(delta, float), (n,))
    check_stationary(eq, np.eye(n), np.array(p), q, d)
    assert eq.values.sum() == pytest.approx(1.0, abs=1e-7)


def test_three_player_majority_known_values():
    """p = (.5, .3, .2), q = 2, delta = .9: v = (11/31, 10/31, 10/31) (the two weaker players
    end up equally cheap; the strong one mixes between them)."""
    eq = divide_the_dollar(3, 2, 0.9, recognition=[0.5, 0.3, 0.2])
    assert np.allclose(eq.values, [11 / 31, 10 / 31, 10 / 31], atol=1e-6)


def test_ukraine_unanimity():
    r = baron_ferejohn(UKRAINE)
    eq = r.equilibrium
    assert eq.converged and eq.smoothing == 0.0
    d = UKRAINE.reservations
    v = np.array([r.values[p] for p in r.players]) - d
    delta = UKRAINE.discounts
    for i, name in enumerate(r.players):
        u = np.array([r.proposer_utilities[name][p] for p in r.players]) - d
        others = np.arange(4) != i
        # Everybody accepts: responders get at least their discounted continuation value.
        assert np.all(u[others] >= delta[others] * v[others] - 1e-8)
        assert u[i] >= v[i] - 1e-8
    # The ex-ante lottery's expected utilities are the values.
    for p in r.players:
        assert r.agreement.utilities[r.players.index(p)] == pytest.approx(r.values[p], abs=1e-7)
    assert r.to_dict()["agreement"]["mixture"]
    assert "Baron-Ferejohn" in r.summary()


def test_recognition_and_quota_options():
    # A player recognised every time makes an ultimatum: it gets its best deal.
    from negotiation.dynamics.games import project

    r = baron_ferejohn(TEXTBOOK, recognition=[1.0, 0.0])
    best = project(TEXTBOOK).utilities[:, 0].max()
    assert r.values["Candidate"] == pytest.approx(best, abs=1e-8)
    # "power": recognition proportional to the parties' bargaining power in the scenario file.
    r = baron_ferejohn(UKRAINE, recognition="power")
    power = {p.name: p.power for p in UKRAINE.parties}
    for name, prob in r.recognition.items():
        assert prob == pytest.approx(power[name] / sum(power.values()))
    q = baron_ferejohn(UKRAINE, quota=3)
    assert q.quota == 3 and q.equilibrium.converged
    with pytest.raises(ScenarioError, match="sum to 1"):
        baron_ferejohn(UKRAINE, recognition=[0.5, 0.5, 0.5, 0.5])
    with pytest.raises(ScenarioError, match="quota"):
        baron_ferejohn(UKRAINE, quota=5)
    with pytest.raises(ScenarioError, match="non-player"):
        baron_ferejohn(UKRAINE, ("Russia", "Ukraine"), recognition={"United States": 1.0})
    with pytest.raises(ScenarioError, match="at least two"):
        divide_the_dollar(1)


def test_pure_deals_option():
    """Without lotteries every proposal is one deal; on the textbook (discounts 0.9 and 0.8)
    each proposer's pure proposal is the frontier deal that is best for it among those giving
    the responder at least its discounted continuation value ``delta_j v_j`` (brute force over
    the players' Pareto set, ties to the deal better for the responder)."""
    from negotiation.dynamics.games import project

    r = baron_ferejohn(TEXTBOOK, lotteries=False)
    assert r.equilibrium.converged
    proj = project(TEXTBOOK)
    G = proj.gains
    d = TEXTBOOK.reservations
    v = np.array([r.values[n] for n in proj.players]) - d
    delta = np.array([r.discounts[n] for n in proj.players])
    for i, name in enumerate(proj.players):
        j = 1 - i
        prop = r.proposals[name]
        assert isinstance(prop, Deal)
        ok = G[:, j] >= delta[j] * v[j] - 1e-9
        own = np.where(ok, G[:, i], -np.inf)
        top = np.flatnonzero(own >= own.max() - 1e-12)
        k = top[np.argmax(G[top, j])]
        assert prop.utilities == pytest.approx(proj.utilities[k])


def test_stationary_equilibrium_validates():
    with pytest.raises(ScenarioError, match="recognition"):
        stationary_equilibrium(np.eye(2), [0.5], [0.9, 0.9])


# -- at scale: the proposer buys the q - 1 cheapest partners (no coalition enumeration) -------
@pytest.mark.parametrize("n", [15, 51, 101])
def test_majority_divide_the_dollar_at_scale_closed_form(n):
    """Majority rule q = (n + 1) / 2, delta = 0.9: the proposer keeps 1 - delta (n - 1) / (2n),
    each of the (n - 1) / 2 partners gets delta / n (Baron & Ferejohn 1989)."""
    q, delta = (n + 1) // 2, 0.9
    eq = divide_the_dollar(n, q, delta)
    assert eq.converged
    np.testing.assert_allclose(eq.values, 1.0 / n, atol=1e-12)
    for i in (0, n // 2, n - 1):
        g = eq.proposer_gains[i]
        assert g[i] == pytest.approx(1 - delta * (n - 1) / (2 * n), abs=1e-12)
        # every other player is a partner with probability (q - 1) / (n - 1)
        np.testing.assert_allclose(np.delete(g, i), delta / n * (q - 1) / (n - 1), atol=1e-12)
        total = 0.0
        seen = np.zeros(n)
        for coal, pr in eq.coalitions[i]:
            assert len(coal) == q - 1 and i not in coal
            seen[list(coal)] += pr
            total += pr
        assert total == pytest.approx(1.0)
        # the listed coalitions reproduce the inclusion probabilities of the proposal
        np.testing.assert_allclose(np.delete(seen, i), (q - 1) / (n - 1), atol=1e-12)


@pytest.mark.parametrize("seed", range(4))
def test_asymmetric_dollar_matches_brute_force_over_coalitions(seed):
    """Random recognition, discounts and quota: the sorted-price proposer is optimal against
    every coalition (``check_stationary`` enumerates them all with an LP each)."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 7))
    q = int(rng.integers(2, n + 1))
    p = rng.dirichlet(np.ones(n))
    delta = rng.uniform(0.5, 0.99, n)
    eq = divide_the_dollar(n, q, delta, recognition=p)
    assert eq.converged, eq.residual
    check_stationary(eq, np.eye(n), p, q, delta)


def test_too_many_coalitions_over_deals_is_refused():
    from negotiation.dynamics.games.stationary import MAX_COALITIONS
    from negotiation.errors import NotApplicableError

    rng = np.random.default_rng(0)
    G = rng.random((30, 25))  # 25 players, majority: C(24, 12) coalitions over deals
    with pytest.raises(NotApplicableError, match="MAX_COALITIONS"):
        stationary_equilibrium(G, np.full(25, 1 / 25), np.full(25, 0.9), quota=13)
    assert MAX_COALITIONS < 2_704_156


def patient_points_scenario(discount_b: float = 1.0) -> ng.Scenario:
    """Three parties; C scores in points (0-85 like the Ampel 2021 FDP) and never discounts."""
    from negotiation.model.issues import Issue
    from negotiation.model.party import Party

    issues = (Issue("x", ("a", "b", "c")), Issue("y", ("a", "b")))
    parties = (
        Party("A", {"x": 2, "y": 1}, reservation=0.3, discount=0.95),
        Party(
            "B",
            {"x": 1, "y": 2},
            {"x": {"a": 1.0, "b": 0.5, "c": 0.0}},
            reservation=0.2,
            discount=0.9,
        ),  # fmt: skip
        Party(
            "C",
            points={"x": {"a": 40, "b": 25, "c": 0}, "y": {"a": 45, "b": 0}},
            reservation=40.0,
            discount=discount_b,
        ),  # fmt: skip
    )
    return ng.Scenario("patient_points", issues, parties)


@pytest.mark.parametrize("discount", [1.0, 0.99, 0.8])
def test_patient_points_party_stays_in_feasible_range(discount):
    """Issue 12, item 6: a points-scored party with discount 1 crashed the summary and got a
    value above its best feasible utility. Every value lies within the feasible range."""
    from negotiation.dynamics.games import project

    s = patient_points_scenario(discount)
    r = baron_ferejohn(s)
    proj = project(s)
    lo, hi = proj.utilities.min(axis=0), proj.utilities.max(axis=0)
    for j, name in enumerate(s.party_names):
        assert lo[j] - 1e-9 <= r.values[name] <= hi[j] + 1e-9
        for prop_u in r.proposer_utilities.values():
            assert lo[j] - 1e-9 <= prop_u[name] <= hi[j] + 1e-9
    assert r.equilibrium.converged
    text = r.summary()  # used to raise IndexError
    assert "Baron-Ferejohn" in text
    if discount == 1.0:
        assert any("patient" in n for n in r.notes)
        assert r.values["C"] == pytest.approx(hi[2])  # the patient player holds out


def test_every_player_waits_gives_reservations():
    """A stationary profile where nobody ever proposes is worth exactly the reservations, also
    for a perfectly patient player (value iteration alone would keep any value)."""
    from negotiation.dynamics.games.stationary import _values

    p = np.array([0.5, 0.5])
    v = np.array([3.0, 7.0])
    vn, _, gains, _ = _values(p, np.zeros((2, 2)), np.eye(2), np.ones(2), np.ones(2), v, ())
    np.testing.assert_array_equal(vn, [0.0, 0.0])
    np.testing.assert_array_equal(gains, np.zeros((2, 2)))


#: The reproduction file of issue 12, item 6 (three coalition parties, the FDP scored in
#: points with the default discount 1).
AMPEL_2021 = """
# Germany 2021: SPD, Greens and FDP negotiate a "traffic light" coalition agreement.
# All numbers are the analyst's assumptions, loosely informed by the parties' 2021 manifestos
# and the November 2021 coalition agreement ("Mehr Fortschritt wagen"). Not a forecast.
name = "ampel_2021"
description = "Three-party coalition talks (SPD, Greens, FDP) over the minimum wage, the debt brake, the coal exit, a motorway speed limit and the top income-tax rate."
sources = ["party manifestos 2021 (summarised by the analyst)", "analyst's assumptions"]

[[issue]]
name = "minimum_wage"
label = "Minimum wage (EUR/hour)"
levels = ["eur_10_45", "eur_11", "eur_12"]

[[issue]]
name = "debt_brake"
label = "Debt brake"
levels = ["keep", "keep_with_funds", "suspend", "reform"]

[[issue]]
name = "coal_exit"
label = "Coal exit"
levels = ["by_2038", "ideally_2030", "by_2030"]

[[issue]]
name = "speed_limit"
label = "Motorway speed limit"
levels = ["none", "limit_130"]

[[issue]]
name = "top_tax_rate"
label = "Top income-tax rate"
levels = ["cut", "unchanged", "raise"]

[[constraint]]                     # assumption: reforming the debt brake needs a 2/3 majority the coalition lacks
debt_brake = ["reform"]

[[party]]
name = "SPD"
reservation = 0.40
power = 1.3                        # largest party
discount = 0.95
weights = { minimum_wage = 5, debt_brake = 2, coal_exit = 2, speed_limit = 1, top_tax_rate = 3 }

[party.values]
debt_brake = { keep = 0.2, keep_with_funds = 0.8, suspend = 1.0, reform = 1.0 }
coal_exit = { by_2038 = 0.3, ideally_2030 = 1.0, by_2030 = 0.7 }

[[party.red_line]]
minimum_wage = ["eur_10_45"]

[[party]]
name = "Greens"
reservation = 0.35
power = 1.0
discount = 0.9
weights = { minimum_wage = 2, debt_brake = 3, coal_exit = 5, speed_limit = 2, top_tax_rate = 2 }

[party.values]
debt_brake = { keep = 0.0, keep_with_funds = 0.7, suspend = 0.9, reform = 1.0 }

[[party.red_line]]
coal_exit = ["by_2038"]

[[party.bonus]]                    # assumption: climate funds outside the debt brake plus an earlier coal exit
debt_brake = ["keep_with_funds"]
coal_exit = ["ideally_2030", "by_2030"]
value = 0.05

[[party]]
name = "FDP"                       # scored in points (a party programme "score card")
reservation = 40

[party.points]
minimum_wage = { eur_10_45 = 10, eur_11 = 5, eur_12 = 0 }
debt_brake = { keep = 35, keep_with_funds = 25, suspend = 0, reform = 0 }
coal_exit = { by_2038 = 5, ideally_2030 = 5, by_2030 = 0 }
speed_limit = { none = 20, limit_130 = 0 }
top_tax_rate = { cut = 30, unchanged = 20, raise = 0 }

[[party.red_line]]
top_tax_rate = ["raise"]
[[party.red_line]]
debt_brake = ["suspend"]
"""


def test_ampel_2021_patient_points_party(tmp_path):
    """Issue 12, item 6: ``equilibrium ampel_2021.toml --model baron-ferejohn`` crashed with
    IndexError (every proposer "waited" and the FDP's value drifted to 93.4, above its best
    feasible 85). Now: every value within the feasible range, a note on the patient party."""
    from negotiation.dynamics.games import project

    path = tmp_path / "ampel_2021.toml"
    path.write_text(AMPEL_2021, encoding="utf-8")
    s = ng.load_scenario(path)
    r = baron_ferejohn(s)
    U = project(s).utilities
    for j, name in enumerate(s.party_names):
        assert U[:, j].min() - 1e-9 <= r.values[name] <= U[:, j].max() + 1e-9
    assert r.agreement is not None and r.equilibrium.converged
    assert any("patient" in n for n in r.notes)
    assert "when FDP proposes" in r.summary()
