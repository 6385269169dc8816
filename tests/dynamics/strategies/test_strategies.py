"""Strategies: a shared check over every registered strategy, each family's defining behaviour,
the opponent model's learning, and a user-written strategy."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import spearmanr

from negotiation import Issue, Party, Scenario, load_scenario
from negotiation.dynamics.protocols import simulate
from negotiation.dynamics.protocols.session import Session
from negotiation.dynamics.strategies import (
    STRATEGIES,
    Accept,
    Boulware,
    Conceder,
    FrequencyModel,
    HardLiner,
    Linear,
    OpponentModelAgent,
    Strategy,
    TimeDependent,
    TitForTat,
    UnknownStrategyError,
    get_strategy,
)
from negotiation.dynamics.strategies.base import DEFAULT_TRAITS
from negotiation.dynamics.strategies.time_dependent import concession_target
from negotiation.dynamics.strategies.zeuthen import zeuthen_risk
from negotiation.errors import NegotiationError, NotApplicableError

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from games_helpers import split  # noqa: E402


def weighted(true_w, n_levels: int = 5) -> Scenario:
    """A learns B's weights: opposed linear values, B's weights ``true_w``, A's reversed."""
    k = len(true_w)
    levels = tuple(f"l{j}" for j in range(n_levels))
    issues = tuple(Issue(f"i{i}", levels) for i in range(k))
    up = {lv: j / (n_levels - 1) for j, lv in enumerate(levels)}
    down = {lv: 1 - j / (n_levels - 1) for j, lv in enumerate(levels)}
    wa = {f"i{i}": float(w) for i, w in enumerate(true_w[::-1])}
    wb = {f"i{i}": float(w) for i, w in enumerate(true_w)}
    return Scenario(
        "weighted",
        issues,
        (
            Party("A", wa, {i.name: up for i in issues}, reservation=0.2),
            Party("B", wb, {i.name: down for i in issues}, reservation=0.2),
        ),
    )


def view_of(scenario: Scenario, party: int = 0, rounds: int = 10):
    """The AgentView a protocol would give ``party``."""
    captured = {}

    def grab(view):
        captured[view.party] = view
        return Linear(view)

    Session(scenario, (0, 1), (grab, grab), seed=0, rounds=rounds, protocol="alternating")
    return captured[party]


# -- the shared check over every registered strategy ------------------------------------------------
SETTINGS = [
    ("textbook", lambda: load_scenario("textbook_two_party"), None),
    ("split", lambda: split(n=11, k=2, ra=0.2, rb=0.3), None),
    ("ukraine", lambda: load_scenario("ukraine_2025"), ("Ukraine", "Russia")),
]


@pytest.mark.parametrize("name", sorted(STRATEGIES))
@pytest.mark.parametrize("where", [s[0] for s in SETTINGS])
def test_every_strategy_is_deterministic_stays_in_the_space_and_rational(name, where):
    _, build, parties = next(s for s in SETTINGS if s[0] == where)
    scenario = build()
    table = parties or scenario.party_names[:2]
    idx = [scenario.party_names.index(p) for p in table]
    for opponent in (name, "linear"):
        for protocol in ("alternating", "mediated"):
            runs = [
                simulate(scenario, protocol, (name, opponent), seed=7, rounds=40, parties=table)
                for _ in range(2)
            ]
            r = runs[0]
            assert runs[1].to_json() == r.to_json(), "not deterministic under a seed"
            assert r.end != "failure", r.reason
            rows = np.array([e.levels for e in r.trace])
            assert scenario.space.allowed_mask(rows).all()
            # Offers by a party are acceptable to it (never below its reservation).
            acc = scenario.acceptable(rows)
            for e, ok in zip(r.trace, acc, strict=True):
                if e.proposer in table:
                    assert ok[scenario.party_names.index(e.proposer)]
            if r.agreement is not None:
                row = np.asarray(r.agreement.levels)[None, :]
                assert scenario.acceptable(row)[0, idx].all()


@pytest.mark.parametrize("name", sorted(STRATEGIES))
def test_every_strategy_declares_its_name_and_traits(name):
    cls = get_strategy(name)
    assert cls.name == name and issubclass(cls, Strategy)
    assert set(DEFAULT_TRAITS) <= set(cls.traits)
    assert cls.__doc__


def test_unknown_strategy():
    with pytest.raises(UnknownStrategyError, match="the strategies are: boulware"):
        get_strategy("tit-for-tat")
    assert issubclass(UnknownStrategyError, NegotiationError)


# -- time-dependent ---------------------------------------------------------------------------------
def test_concession_target_closed_form():
    for t in np.linspace(0, 1, 11):
        for e in (0.2, 1.0, 2.0):
            assert concession_target(t, 0.9, 0.3, e) == pytest.approx(0.9 - 0.6 * t ** (1 / e))
    assert concession_target(0.0, 1, 0, 0.2) == 1.0 and concession_target(1.0, 1, 0, 0.2) == 0.0
    mid = [concession_target(0.5, 1, 0, cls.e) for cls in (Boulware, Linear, Conceder)]
    assert mid[0] > mid[1] > mid[2]


def test_time_dependent_parameters():
    v = view_of(split(ra=0.25))
    agent = TimeDependent(v, e=3.0)
    assert agent.exponent == 3.0 and agent.floor == pytest.approx(0.25)
    assert TimeDependent(v, floor=0.5).target(1.0) == pytest.approx(0.5)
    with pytest.raises(NotApplicableError, match="e must be > 0"):
        TimeDependent(v, e=0)
    # a bad parameter inside a run ends that run with a record
    r = simulate(split(), agents=(functools.partial(TimeDependent, e=-1), "linear"))
    assert r.end == "failure" and "e must be > 0" in r.reason


def test_boulware_holds_out_longer_than_a_conceder():
    s = split(n=41, ra=0.1, rb=0.1)
    early_b = simulate(s, agents=("boulware", "hardliner"), rounds=40).trace
    early_c = simulate(s, agents=("conceder", "hardliner"), rounds=40).trace
    # A's own utility of its offer at mid-run
    mid_b = [e.utilities["A"] for e in early_b if e.proposer == "A"][10]
    mid_c = [e.utilities["A"] for e in early_c if e.proposer == "A"][10]
    assert mid_b > mid_c


# -- hard-liner --------------------------------------------------------------------------------------
def test_hardliner_always_demands_its_best_and_never_accepts_below_its_floor():
    s = split(n=21, ra=0.2, rb=0.2)
    r = simulate(s, agents=(functools.partial(HardLiner, floor=0.9), "conceder"), seed=0)
    offers = [e.utilities["A"] for e in r.trace if e.proposer == "A"]
    assert offers and all(u == pytest.approx(1.0) for u in offers)
    assert r.agreement is None  # the conceder never gives it 0.9 (its floor is 0.2)
    v = view_of(s)
    assert HardLiner(v).floor == pytest.approx(0.2 + 0.75 * 0.8)
    assert HardLiner(v, floor=0.0).floor == pytest.approx(0.2)  # never below the reservation


# -- tit for tat ----------------------------------------------------------------------------------------
def test_tit_for_tat_reciprocates():
    s = split(n=41, ra=0.0, rb=0.0)
    vs_hard = simulate(s, agents=("tit_for_tat", "hardliner"), rounds=60)
    vs_conc = simulate(s, agents=("tit_for_tat", "conceder"), rounds=60)
    own = lambda r: [e.utilities["A"] for e in r.trace if e.proposer == "A"]  # noqa: E731
    # against a party that never concedes, it concedes only its small unconditional step
    assert min(own(vs_hard)) >= 1.0 - 0.25 - 0.05
    # against a conceder it gives back much more
    assert min(own(vs_conc)[:15]) < min(own(vs_hard)[:15])
    assert vs_conc.end == "agreement"


def test_two_reciprocators_meet_in_the_middle():
    r = simulate(split(n=21, k=2), agents=("tit_for_tat", "tit_for_tat"))
    assert r.end == "agreement" and abs(r.utilities["A"] - 0.5) <= 0.1


# -- Zeuthen ------------------------------------------------------------------------------------------
def test_zeuthen_risk():
    assert float(zeuthen_risk(0.8, 0.2)) == pytest.approx(0.75)
    assert float(zeuthen_risk(0.8, 0.2, disagreement=0.4)) == 1.0  # clipped: worse than no deal
    assert float(zeuthen_risk(0.3, 0.1, disagreement=0.4)) == 0.0
    np.testing.assert_allclose(zeuthen_risk(np.array([1.0, 0.5]), 0.25), [0.75, 0.5])


def test_two_zeuthen_agents_reach_the_nash_point_on_a_symmetric_problem():
    # Harsanyi (1956): Zeuthen's principle leads to the Nash solution, here (0.5, 0.5).
    for k in (1, 2):
        r = simulate(split(n=11, k=k), agents=("zeuthen", "zeuthen"))
        assert r.end == "agreement"
        assert r.utilities == pytest.approx({"A": 0.5, "B": 0.5})


# -- opponent model --------------------------------------------------------------------------------------
def test_frequency_model_basics():
    m = FrequencyModel((3, 4))
    np.testing.assert_allclose(m.weights, [0.5, 0.5])
    for row in ([2, 0], [2, 1], [2, 3], [2, 1], [2, 2]):
        m.update(row)
    assert m.weights.sum() == pytest.approx(1.0) and m.weights[0] > m.weights[1]
    assert m.values[0].tolist() == pytest.approx([1 / 6, 1 / 6, 1.0])
    assert all(v.max() == 1.0 and v.min() > 0 for v in m.values)
    u = m.utilities(np.array([[2, 1], [0, 0]]))
    assert u[0] > u[1] and np.all((u >= 0) & (u <= 1))
    assert len(m.weight_history) == 5


def test_opponent_model_learns_the_weights_on_a_long_run():
    true_w = np.array([0.35, 0.25, 0.2, 0.12, 0.08])
    s = weighted(true_w)
    r = simulate(s, agents=("opponent_model", "random"), rounds=1000, seed=0)
    model = r.players["A"].models[1]
    history = np.array(model.weight_history)
    assert history.shape[0] > 200
    error = np.abs(history - true_w).sum(axis=1)  # L1 error of the weight estimate
    assert error[-1] < 0.5 * error[0]
    early, late = error[:20].mean(), error[-100:].mean()
    assert late < early
    assert spearmanr(model.weights, true_w).statistic >= 0.8
    assert np.argmax(model.weights) == 0


def test_opponent_model_proposes_what_the_other_side_likes_among_equal_offers():
    # Issue x0 matters to A only, x1 to B only: a good model lets A concede on x1 first.
    levels = tuple(f"l{j}" for j in range(5))
    issues = (Issue("x0", levels), Issue("x1", levels))
    up = {lv: j / 4 for j, lv in enumerate(levels)}
    down = {lv: 1 - j / 4 for j, lv in enumerate(levels)}
    s = Scenario(
        "logroll",
        issues,
        (
            Party("A", {"x0": 0.7, "x1": 0.3}, {"x0": up, "x1": up}),
            Party("B", {"x0": 0.3, "x1": 0.7}, {"x0": down, "x1": down}),
        ),
    )
    r = simulate(s, agents=("opponent_model", "linear"), rounds=60, seed=0)
    assert r.end == "agreement"
    assert sum(r.utilities.values()) > 1.2  # an integrative deal, not a 50/50 split


def test_opponent_model_agent_parameters():
    v = view_of(split())
    agent = OpponentModelAgent(v, e=1.0, window=0.2)
    assert agent.exponent == 1.0 and agent.band == 0.2 and set(agent.models) == {1}
    with pytest.raises(NotApplicableError):
        OpponentModelAgent(v, e=0.0)


# -- a user-written strategy (the example in docs/howto-add-a-strategy.md) ---------------------------
class Halfway(Strategy):
    """Concede linearly, but never below halfway between the best and the reservation."""

    name = "halfway"

    def respond(self, state):
        v = self.view
        target = v.u_max - 0.5 * (v.u_max - v.reservation) * state.time
        if self.accepts(state, target):
            return Accept()
        return self.offer_near(target, state)


def test_a_user_strategy_in_a_few_lines():
    r = simulate("textbook_two_party", agents=(Halfway, "conceder"), seed=0)
    assert r.agents == {"Candidate": "halfway", "Employer": "conceder"}
    assert r.end == "agreement"
    v = view_of(load_scenario("textbook_two_party"))
    assert r.utilities["Candidate"] >= v.u_max - 0.5 * (v.u_max - v.reservation) - 1e-9
    assert TitForTat.traits["concedes"] and not HardLiner.traits["concedes"]
