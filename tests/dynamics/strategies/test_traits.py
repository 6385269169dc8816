"""Each registered strategy's declared traits match its behaviour; the filter selects by them.

Every check iterates over :data:`STRATEGIES`, so a strategy added to the registry is checked too:

* ``stochastic`` False <=> the same trace under every seed (against a deterministic opponent);
* ``time_dependent`` <=> some response to the same offers changes with the time fraction alone;
* ``concedes`` <=> the own utility of its offers falls against an opponent that never moves;
* ``uses_opponent_model`` <=> after a run it holds a frequency model fed with the others' offers.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pytest

from negotiation import load_scenario
from negotiation.dynamics.protocols import simulate
from negotiation.dynamics.strategies import (
    STRATEGIES,
    HardLiner,
    OpponentModelAgent,
    RandomAgent,
    Strategy,
    Traits,
    UnknownTraitError,
    Zeuthen,
    filtered,
)
from negotiation.dynamics.strategies.opponent_model import FrequencyModel, ModelTracker
from negotiation.errors import NegotiationError

sys.path.insert(0, str(Path(__file__).resolve().parent))
from agent_helpers import SCENARIO, fresh_view, probes  # noqa: E402

NAMES = sorted(STRATEGIES)


def responses(cls: type[Strategy], time: float) -> list:
    """A fresh agent (fresh view, seed 0) for each probe state at ``time``."""
    return [cls(fresh_view()).respond(s) for s in probes(fresh_view(), time)]


@pytest.mark.parametrize("name", NAMES)
def test_time_dependent_trait_matches_behaviour(name):
    cls = STRATEGIES[name]
    by_time = [responses(cls, t) for t in (0.0, 0.3, 0.6, 0.95)]
    changes = any(r != by_time[0] for r in by_time[1:])
    assert changes == cls.traits.time_dependent, by_time


def trace(name: str, seed: int, opponent: str = "linear") -> list:
    r = simulate(SCENARIO, "alternating", (name, opponent), seed=seed, rounds=40)
    return [(e.proposer, tuple(e.levels), tuple(sorted(e.responses.items()))) for e in r.trace] + [
        r.end
    ]


@pytest.mark.parametrize("name", NAMES)
def test_stochastic_trait_matches_behaviour(name):
    cls = STRATEGIES[name]
    runs = [trace(name, seed) for seed in range(4)]
    same = all(r == runs[0] for r in runs[1:])
    assert same == (not cls.traits.stochastic)


def own_offer_utilities(name: str) -> np.ndarray:
    scenario = load_scenario(SCENARIO)
    r = simulate(scenario, "alternating", (name, "hardliner"), seed=0, rounds=40)
    me = scenario.party_names[0]
    rows = np.array([e.levels for e in r.trace if e.proposer == me])
    return scenario.utilities(rows)[:, 0]


@pytest.mark.parametrize("name", NAMES)
def test_concedes_trait_matches_behaviour(name):
    u = own_offer_utilities(name)
    assert u.size >= 2
    assert bool(u.min() < u[0] - 1e-9) == STRATEGIES[name].traits.concedes


def models_of(agent: Strategy) -> list[FrequencyModel]:
    """The frequency models an agent holds (directly or in a ModelTracker)."""
    out = []
    for value in vars(agent).values():
        if isinstance(value, FrequencyModel):
            out.append(value)
        elif isinstance(value, ModelTracker):
            out += list(value.models.values())
    return out


@pytest.mark.parametrize("name", NAMES)
def test_uses_opponent_model_trait_matches_behaviour(name):
    scenario = load_scenario(SCENARIO)
    r = simulate(scenario, "alternating", (name, "hardliner"), seed=0, rounds=20)
    agent = r.players[scenario.party_names[0]]
    fed = [m for m in models_of(agent) if m.n_offers > 0]
    assert bool(fed) == STRATEGIES[name].traits.uses_opponent_model


# -- the traits record and the filter -----------------------------------------------------------
def test_traits_are_frozen_and_read_like_a_mapping():
    t = OpponentModelAgent.traits
    assert isinstance(t, Traits)
    assert dict(t) == {
        "concedes": True,
        "uses_opponent_model": True,
        "stochastic": False,
        "time_dependent": True,
    }
    with pytest.raises(dataclasses.FrozenInstanceError):
        t.stochastic = True  # type: ignore[misc]
    with pytest.raises(KeyError):
        t["nice"]


def test_a_dict_of_traits_is_frozen_with_the_rest_false():
    class Gambler(Strategy):
        name = "gambler"
        traits = {"stochastic": True}  # type: ignore[assignment]

    assert Gambler.traits == Traits(stochastic=True)
    assert Gambler.traits["concedes"] is False


def test_an_unknown_or_non_boolean_trait_is_refused_naming_the_strategy():
    with pytest.raises(UnknownTraitError, match="Nice: unknown trait 'nice'"):

        class Nice(Strategy):
            traits = {"nice": True}  # type: ignore[assignment]

    with pytest.raises(UnknownTraitError, match="trait 'stochastic' must be True or False"):

        class Vague(Strategy):
            traits = {"stochastic": "sometimes"}  # type: ignore[assignment]

    assert issubclass(UnknownTraitError, NegotiationError)


def test_filtered_selects_by_declared_traits():
    # Expected sets from the strategies' documented behaviour (module docstrings).
    assert filtered(stochastic=True) == [RandomAgent]
    assert set(filtered(uses_opponent_model=True)) == {Zeuthen, OpponentModelAgent}
    assert filtered(concedes=False) == [HardLiner]
    assert filtered(time_dependent=False) == [HardLiner]
    assert filtered(stochastic=False, uses_opponent_model=True) == [Zeuthen, OpponentModelAgent]
    assert filtered() == list(STRATEGIES.values())
    assert filtered({"r": RandomAgent, "h": HardLiner}, stochastic=False) == [HardLiner]
    with pytest.raises(UnknownTraitError, match="unknown trait 'deterministic'"):
        filtered(deterministic=True)
