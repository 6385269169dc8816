"""Protocols: invariants (offers in the space, agreements feasible, seeds reproduce), known
behaviour (linear agents meet in the middle, a hard-liner gets its floor, no agreement without a
zone of agreement), malformed agents, the trace and its JSON, and bad arguments."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import scenarios

from negotiation import Issue, Party, Scenario, load_scenario
from negotiation.dynamics.protocols import (
    PROTOCOLS,
    SimulationError,
    UnknownProtocolError,
    simulate,
)
from negotiation.dynamics.protocols import session as session_module
from negotiation.dynamics.protocols.mediated import choose_revision
from negotiation.dynamics.strategies import (
    STRATEGIES,
    Accept,
    HardLiner,
    Offer,
    Strategy,
    UnknownStrategyError,
    Walk,
)
from negotiation.errors import NegotiationError, ScenarioError

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from games_helpers import split  # noqa: E402


def three_party() -> Scenario:
    """Three parties, three issues, a constraint and a red line; a non-empty feasible set."""
    issues = tuple(Issue(f"i{k}", ("a", "b", "c")) for k in range(3))
    lin = {"a": 0.0, "b": 0.5, "c": 1.0}
    rev = {"a": 1.0, "b": 0.5, "c": 0.0}
    parties = (
        Party("P", {"i0": 3, "i1": 1, "i2": 1}, {"i0": lin, "i1": lin, "i2": rev}, reservation=0.3),
        Party(
            "Q",
            {"i0": 1, "i1": 3, "i2": 1},
            {"i0": rev, "i1": lin, "i2": lin},
            reservation=0.3,
            red_lines=({"i1": ("a",)},),
        ),
        Party("R", {"i0": 1, "i1": 1, "i2": 3}, {"i0": lin, "i1": rev, "i2": lin}, reservation=0.3),
    )
    return Scenario("three", issues, parties, constraints=({"i0": ("a",), "i2": ("a",)},))


def offers_valid(scenario: Scenario, result) -> None:
    """Every level row in the trace is an allowed outcome of the space."""
    space = scenario.space
    for e in result.trace:
        row = np.array(e.levels)
        assert row.shape == (len(scenario.issues),)
        assert np.all(row >= 0) and np.all(row < np.array(space.sizes))
        assert space.allowed_mask(row[None, :])[0]
        assert space.deal(row) == e.deal


def agreement_feasible(scenario: Scenario, result) -> None:
    """An agreement is allowed and acceptable to every party at the table."""
    if result.agreement is None:
        return
    row = np.asarray(result.agreement.levels)[None, :]
    assert scenario.space.allowed_mask(row)[0]
    acc = scenario.acceptable(row)[0]
    for name in result.parties:
        assert acc[scenario.party_names.index(name)], name
        assert result.acceptable_to[name]
    np.testing.assert_allclose(result.agreement.utilities, scenario.utilities(row)[0])


# -- invariants ---------------------------------------------------------------------------------
NAMES = sorted(STRATEGIES)


@settings(max_examples=30, deadline=None)
@given(
    scenario=scenarios(max_parties=3, max_issues=3, max_levels=4),
    a=st.sampled_from(NAMES),
    b=st.sampled_from(NAMES),
    protocol=st.sampled_from(sorted(PROTOCOLS)),
    seed=st.integers(0, 2**31),
)
def test_invariants_on_random_scenarios(scenario, a, b, protocol, seed):
    table = scenario.party_names[:2] if protocol == "alternating" else scenario.party_names
    agents = [a, b, a, b][: len(table)]
    r1 = simulate(scenario, protocol, agents, seed=seed, rounds=20, parties=table)
    assert r1.end in ("agreement", "deadline", "walk")  # built-in agents never fail
    offers_valid(scenario, r1)
    agreement_feasible(scenario, r1)
    r2 = simulate(scenario, protocol, agents, seed=seed, rounds=20, parties=table)
    assert r2.to_json() == r1.to_json()


def test_same_seed_same_trace_and_stochastic_agents_vary_with_the_seed():
    s = split(n=31, k=2, ra=0.1, rb=0.1)
    one = simulate(s, agents=("random", "random"), seed=3).to_json()
    assert simulate(s, agents=("random", "random"), seed=3).to_json() == one
    others = {
        json.dumps(simulate(s, agents=("random", "random"), seed=k).to_json()["trace"])
        for k in range(4, 10)
    }
    assert len(others | {json.dumps(one["trace"])}) > 1


def test_protocol_seeds_come_from_a_seed_sequence_not_global_state():
    s = split(n=31, k=2)
    np.random.seed(1)  # noqa: NPY002 - legacy global state must not matter
    a = simulate(s, agents="random", seed=5).to_json()
    np.random.seed(2)  # noqa: NPY002
    b = simulate(s, agents="random", seed=5).to_json()
    assert a == b


# -- known behaviour --------------------------------------------------------------------------------
@pytest.mark.parametrize("k", [1, 2, 3])
def test_two_linear_agents_on_a_symmetric_problem_agree_near_the_middle(k):
    r = simulate(split(k=k), agents=("linear", "linear"), seed=0)
    assert r.end == "agreement"
    u = r.utilities
    assert abs(u["A"] - 0.5) <= 0.1 and abs(u["B"] - 0.5) <= 0.1


@pytest.mark.parametrize("floor", [0.6, 0.7, 0.75])
@pytest.mark.parametrize("opponent", ["conceder", "linear"])
def test_a_hardliner_against_a_conceder_gets_about_its_floor(floor, opponent):
    s = split(n=21, ra=0.2, rb=0.2)
    r = simulate(s, agents=(functools.partial(HardLiner, floor=floor), opponent), seed=0)
    assert r.end == "agreement"
    # never below the floor; at most one level step (0.05) above it
    assert floor - 1e-9 <= r.utilities["A"] <= floor + 0.05 + 1e-9


@pytest.mark.parametrize("protocol", sorted(PROTOCOLS))
def test_no_agreement_when_the_feasible_set_is_empty(protocol):
    s = split(n=11, ra=0.7, rb=0.7)  # each can reach 0.7, never both
    for a in NAMES:
        for b in NAMES:
            r = simulate(s, protocol, (a, b), seed=1, rounds=20)
            assert r.agreement is None and r.end in ("deadline", "walk"), (a, b, r.reason)


def test_alternating_time_runs_from_zero_to_one_and_the_last_answer_is_final():
    seen = []

    class Recorder(Strategy):
        name = "recorder"

        def respond(self, state):
            seen.append((self.view.name, state.round, state.time, state.final))
            return self.best_offer(state)

    r = simulate(split(n=5), agents=(Recorder, Recorder), seed=0, rounds=6)
    assert r.end == "deadline" and r.rounds == 6
    assert seen[0] == ("A", 0, 0.0, False)
    assert seen[-1] == ("A", 6, 1.0, True)
    assert [t for _, _, t, _ in seen] == [k / 6 for k in range(7)]
    assert r.trace[-1].responses == {"A": "counter after deadline"}


def test_stacked_needs_everyone_to_accept():
    s = three_party()
    r = simulate(s, "stacked", ("conceder", "linear", "boulware"), seed=2)
    assert r.end == "agreement"
    agreement_feasible(s, r)
    last = r.trace[-1]
    others = [p for p in s.party_names if p != last.proposer]
    assert all(last.responses[p] == "accept" for p in others)


def test_mediated_single_text_records_objections_and_changes():
    s = three_party()
    r = simulate(s, "mediated", "linear", seed=0)
    assert r.end == "agreement"
    agreement_feasible(s, r)
    assert all(e.proposer == "mediator" for e in r.trace)
    objected = [e for e in r.trace if "objections" in e.details]
    assert objected, "the first text should draw objections"
    for e in objected:
        for party, changes in e.details["objections"].items():
            assert e.responses[party] == "object" and changes
    assert set(r.trace[-1].responses.values()) == {"accept"}


def test_mediated_start_options():
    s = three_party()
    a = simulate(s, "mediated", "conceder", seed=0, start="random")
    b = simulate(s, "mediated", "conceder", seed=0, start={"i0": "b", "i1": "b", "i2": "b"})
    assert b.trace[0].deal == {"i0": "b", "i1": "b", "i2": "b"}
    assert (
        a.trace[0].deal == simulate(s, "mediated", "conceder", seed=0, start="random").trace[0].deal
    )
    with pytest.raises(NegotiationError, match="constraint"):
        simulate(s, "mediated", "conceder", start={"i0": "a", "i1": "b", "i2": "a"})
    with pytest.raises(SimulationError, match="start"):
        simulate(s, "mediated", "conceder", start=3.5)


def test_choose_revision_prefers_a_pareto_improvement_and_avoids_red_lines():
    base = np.array([0.5, 0.5])
    U = np.array([[0.9, 0.4], [0.6, 0.6], [0.55, 0.5]])
    assert choose_revision(base, U, np.array([0.6, 0.6])) == 1
    assert choose_revision(base, U, np.array([0.6, 0.6]), red_lines=np.array([0, 1, 0])) == 2


def test_bilateral_talks_inside_a_four_party_scenario():
    s = load_scenario("ukraine_2025")
    r = simulate(s, agents=("boulware", "conceder"), parties=("Russia", "Ukraine"), seed=1)
    assert r.parties == ("Russia", "Ukraine")
    assert set(r.agents) == {"Russia", "Ukraine"}
    offers_valid(s, r)
    agreement_feasible(s, r)
    assert set(r.to_json()["agreement"]["utilities"]) == set(s.party_names)
    assert set(r.acceptable_to) == set(s.party_names)
    # default table: the first two parties
    assert simulate(s, agents=("linear", "linear"), rounds=10).parties == ("Russia", "Ukraine")


def test_sampled_candidates_for_huge_spaces(monkeypatch):
    monkeypatch.setattr(session_module, "MAX_ENUMERATED", 100)
    monkeypatch.setattr(session_module, "SAMPLE_SIZE", 300)
    s = split(n=11, k=3, ra=0.2, rb=0.2)  # 1331 outcomes > 100: sampled
    r1 = simulate(s, agents=("linear", "opponent_model"), seed=4)
    assert r1.end == "agreement"
    offers_valid(s, r1)
    agreement_feasible(s, r1)
    assert simulate(s, agents=("linear", "opponent_model"), seed=4).to_json() == r1.to_json()


# -- the trace and its JSON ---------------------------------------------------------------------------
def test_result_json_shape_and_summary():
    r = simulate("textbook_two_party", agents=("boulware", "conceder"), seed=1)
    data = json.loads(json.dumps(r.to_json()))
    assert {"protocol", "agents", "agreement", "rounds", "trace"} <= set(data)
    assert data["protocol"] == "alternating"
    assert data["agents"] == {"Candidate": "boulware", "Employer": "conceder"}
    assert set(data["agreement"]) >= {"deal", "utilities"}
    assert data["rounds"] == len(data["trace"]) == r.rounds
    first = data["trace"][0]
    assert {"round", "proposer", "deal", "utilities", "responses"} <= set(first)
    assert set(first["utilities"]) == {"Candidate", "Employer"}
    assert "agreement after" in r.summary()
    frame = r.to_frame()
    assert len(frame) == r.rounds and "u[Candidate]" in frame


def test_agents_see_only_their_own_utilities():
    s = split(n=7, k=2, ra=0.1)
    views = {}

    class Spy(Strategy):
        name = "spy"

        def respond(self, state):
            views[self.view.name] = (self.view, state)
            assert state.history.utilities.ndim == 1
            return self.best_offer(state)

    simulate(s, agents=(Spy, Spy), rounds=4)
    for p, name in enumerate(s.party_names):
        view, state = views[name]
        np.testing.assert_array_equal(view.utilities, s.utilities(view.candidates)[:, p])
        np.testing.assert_array_equal(
            state.history.utilities, s.utilities(state.history.levels)[:, p]
        )
        assert not hasattr(view, "scenario")
        assert not view.candidates.flags.writeable and not state.history.levels.flags.writeable


# -- malformed agents -------------------------------------------------------------------------------
def _agent(action_fn, name="bad"):
    class Bad(Strategy):
        def respond(self, state):
            return action_fn(self, state)

    Bad.name = name
    return Bad


def _boom(self, state):
    raise ZeroDivisionError("oops")


MALFORMED = {
    "raises": (_boom, "raised ZeroDivisionError: oops"),
    "returns None": (lambda self, s: None, "returned None"),
    "returns a string": (lambda self, s: "accept", "returned 'accept'"),
    "float levels": (lambda self, s: Offer([0.0]), "integer indices"),
    "bool levels": (lambda self, s: Offer(np.array([True])), "integer indices"),
    "wrong shape": (lambda self, s: Offer([0, 0]), "shape (2,)"),
    "out of range": (lambda self, s: Offer([99]), "level index 99 on issue 'x0'"),
    "negative": (lambda self, s: Offer([-1]), "level index -1"),
    "accepts nothing": (lambda self, s: Accept(), "no offer on the table"),
    "unacceptable offer": (lambda self, s: Offer([0]), "below the reservation value"),
    "writes to the state": (
        lambda self, s: s.history.levels.__setitem__((0, 0), 1),
        "read-only",
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_agent_ends_only_its_own_run(case):
    fn, message = MALFORMED[case]
    s = split(n=11, ra=0.3, rb=0.3)
    first = case in ("accepts nothing", "unacceptable offer", "raises")

    def act(self, state):
        if case == "writes to the state" and len(state.history) == 0:
            return self.best_offer(state)
        return fn(self, state)

    agents = (_agent(act), "linear") if first else ("linear", _agent(act))
    r = simulate(s, agents=agents, seed=0)
    bad = "A" if first else "B"
    assert r.end == "failure" and r.failed == bad and r.agreement is None
    assert r.reason.startswith(f"agent {bad} (bad) failed: ")
    assert message in r.reason
    # the experiment goes on: the next run is fine
    assert simulate(s, agents=("linear", "linear"), seed=0).end == "agreement"


def test_accepting_below_reservation_or_across_a_red_line_is_a_failure():
    s = split(n=11, ra=0.6, rb=0.0)
    r = simulate(s, agents=("linear", _agent(lambda self, st: Accept(), "yes")), seed=0)
    assert r.end == "agreement"  # B accepts A's opening offer: fine for both
    r = simulate(
        s,
        agents=(
            _agent(
                lambda self, st: Accept() if st.offer is not None else self.best_offer(st), "yes"
            ),
            "linear",
        ),
        seed=0,
    )
    assert r.end == "failure" and "accepted an outcome it cannot accept" in r.reason
    red = Scenario(
        "red",
        s.issues,
        (
            s.parties[0].__class__("A", {"x0": 1}, red_lines=({"x0": ("s0",)},)),
            Party("B", {"x0": 1}, {"x0": {f"s{j}": 1 - j / 10 for j in range(11)}}),
        ),
    )
    r = simulate(
        red,
        agents=(
            _agent(lambda self, st: Accept() if st.offer is not None else Offer([5]), "yes"),
            "hardliner",
        ),
        seed=0,
    )
    assert r.end == "failure" and "red lines" in r.reason


def test_a_strategy_that_cannot_be_built_or_walks_away():
    def broken(view):
        raise RuntimeError("no luck")

    r = simulate(split(), agents=(broken, "linear"))
    assert r.end == "failure" and r.rounds == 0
    assert r.reason == "agent A (broken) failed: could not be built: RuntimeError: no luck"
    r = simulate(split(), agents=("linear", _agent(lambda self, st: Walk("bored"), "w")))
    assert r.end == "walk" and r.reason == "B walked away: bored"
    assert r.trace[-1].responses == {"B": "walk"}
    r = simulate(split(), agents=(lambda view: object(), "linear"))
    assert r.end == "failure" and "respond" in r.reason


def test_a_walk_in_the_mediated_protocol():
    r = simulate(three_party(), "mediated", ("linear", _agent(lambda s, st: Walk(), "w"), "linear"))
    assert r.end == "walk" and r.reason == "Q walked away"


# -- bad arguments ---------------------------------------------------------------------------------
def test_bad_arguments_raise_clear_negotiation_errors():
    s = split()
    with pytest.raises(UnknownProtocolError, match="unknown protocol 'bogus'.*alternating"):
        simulate(s, "bogus")
    with pytest.raises(UnknownStrategyError, match="unknown strategy 'nope'.*boulware"):
        simulate(s, agents=("linear", "nope"))
    with pytest.raises(SimulationError, match="unknown party 'C'.*A, B"):
        simulate(s, parties=("A", "C"))
    with pytest.raises(SimulationError, match="listed twice"):
        simulate(s, parties=("A", "A"))
    with pytest.raises(SimulationError, match="3 agents given for 2 parties"):
        simulate(s, agents=("linear", "linear", "linear"))
    with pytest.raises(SimulationError, match="exactly 2 parties"):
        simulate(three_party(), "alternating", "linear", parties=("P", "Q", "R"))
    with pytest.raises(SimulationError, match="rounds"):
        simulate(s, rounds=0)
    with pytest.raises(SimulationError, match="no option"):
        simulate(s, start="neutral")
    with pytest.raises(SimulationError, match="strategy name"):
        simulate(s, agents=("linear", 3))
    continuous = Scenario(
        "c",
        (Issue("share", range=(0.0, 1.0)),),
        (Party("A", {"share": 1}), Party("B", {"share": 1})),
    )
    with pytest.raises(ScenarioError, match="discretise"):
        simulate(continuous)
    for err in (UnknownProtocolError, UnknownStrategyError, SimulationError):
        assert issubclass(err, NegotiationError)
