"""Axelrod's conveniences on every registered strategy: params, clone(), reset(), repr."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import pytest

from negotiation.dynamics.strategies import (
    STRATEGIES,
    Boulware,
    HardLiner,
    Strategy,
    TimeDependent,
    TitForTat,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from agent_helpers import fresh_view, probes  # noqa: E402

NAMES = sorted(STRATEGIES)


def play(agent: Strategy) -> list:
    """The agent's responses to a run of probe states at increasing times (it keeps state)."""
    out = []
    for t in (0.0, 0.4, 0.8, 1.0):
        out += [agent.respond(s) for s in probes(agent.view, t)]
    return out


@pytest.mark.parametrize("name", NAMES)
def test_clone_plays_like_a_fresh_agent_with_the_same_parameters(name):
    cls = STRATEGIES[name]
    expected = play(cls(fresh_view(seed=3)))
    used = cls(fresh_view(seed=3))
    play(used)  # run state and rng both advanced
    twin = used.clone(fresh_view(seed=3))
    assert type(twin) is cls and twin is not used
    assert twin.params == used.params
    assert play(twin) == expected


@pytest.mark.parametrize("name", NAMES)
def test_reset_forgets_the_state_of_a_run(name):
    cls = STRATEGIES[name]
    fresh = cls(fresh_view())
    before = {k: repr(v) for k, v in vars(fresh).items()}
    agent = cls(fresh_view())
    first = play(agent)
    agent.reset()
    assert {k: repr(v) for k, v in vars(agent).items()}.keys() == before.keys()
    if not cls.traits.stochastic:  # a stochastic agent's rng lives in its view, not reset
        assert play(agent) == first


def test_params_fill_in_defaults_and_keep_what_was_given():
    view = fresh_view()
    assert HardLiner(view, level=0.5).params == {"floor": None, "level": 0.5}
    assert functools.partial(TitForTat, reciprocity=0.5)(view).params == {
        "reciprocity": 0.5,
        "kindness": 0.25,
        "late": 0.9,
    }
    # TimeDependent reports the exponent in use: Boulware's class default 0.2.
    assert Boulware(view).params == {"e": 0.2, "floor": None}
    assert TimeDependent(view, e=3.0).clone().exponent == 3.0


def test_repr_shows_the_class_the_party_and_the_parameters():
    view = fresh_view()
    assert repr(HardLiner(view, level=0.5)) == "HardLiner(party='Candidate', floor=None, level=0.5)"
    assert repr(Boulware(view)) == "Boulware(party='Candidate', e=0.2, floor=None)"


def test_a_user_strategy_with_its_own_state_is_cloned_and_reset():
    class Counter(Strategy):
        name = "counter"

        def __init__(self, view, start=2):
            super().__init__(view)
            self.start = start
            self.count = start

        def respond(self, state):
            self.count += 1
            self.late = True  # set during the run only
            return self.best_offer(state)

    agent = Counter(fresh_view(), start=5)
    for s in probes(agent.view, 0.5):
        agent.respond(s)
    assert agent.count == 7 and agent.late
    agent.reset()
    assert agent.count == 5 and not hasattr(agent, "late")
    assert agent.clone().count == 5 and repr(agent) == "Counter(party='Candidate', start=5)"
