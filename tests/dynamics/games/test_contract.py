"""The games' shared result contract (:class:`negotiation.dynamics.games.base.GameResult`),
checked over every model of the registry.

For each model in :data:`MODELS` on random valid scenarios (hypothesis) and on the bundled
``textbook_two_party``: the result is a :class:`GameResult`, names its model, its ``to_dict()``
survives strict JSON (no NaN, no numpy types) and keeps ``"model"`` and ``"parties"``, and every
utility it reports lies within that party's range over the allowed outcomes, found by brute
force over the whole outcome space (tolerance ``1e-9`` times the utilities' scale).
"""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from strategies import scenarios

import negotiation as ng
from negotiation.dynamics.games.base import GameResult
from negotiation.dynamics.games.registry import MODELS, solve_equilibrium
from negotiation.errors import NegotiationError


def _allowed_range(scenario) -> tuple[np.ndarray, np.ndarray]:
    """Each party's smallest and largest utility over the allowed outcomes (brute force)."""
    rows = np.array(list(itertools.product(*(range(len(i.levels)) for i in scenario.issues))))
    rows = rows[scenario.space.allowed_mask(rows)]
    U = scenario.utilities(rows)
    return U.min(axis=0), U.max(axis=0)


#: Lighter options on random scenarios: the demand game over 3 deals with the exact pure
#: equilibria only (nashpy's enumerations on degenerate random games are slow; they are
#: checked in test_normal_form.py).
LIGHT = {"demand-game": {"n_demands": 3, "methods": "pure"}}


def _check(model: str, scenario, **options) -> None:
    try:
        result = solve_equilibrium(model, scenario, **options)
    except NegotiationError:
        return  # nothing feasible, a quota the model refuses: a clear error is the contract
    assert isinstance(result, GameResult)
    assert result.model == model
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert data["model"] == model
    if model != "coalitions":  # the coalition analysis has no players: every party takes part
        assert set(data["parties"]) <= set(scenario.party_names)
    assert isinstance(result.summary(), str)
    lo, hi = _allowed_range(scenario)
    tol = 1e-9 * max(1.0, float(np.abs(hi).max()), float(np.abs(lo).max()))
    assert set(result.utilities) <= set(scenario.party_names)
    for name, u in result.utilities.items():
        p = scenario.party_names.index(name)
        assert lo[p] - tol <= u <= hi[p] + tol, (model, name, u, lo[p], hi[p])


@pytest.mark.parametrize("model", sorted(MODELS))
def test_every_model_keeps_the_contract_on_the_textbook(model):
    scenario = ng.load_scenario("textbook_two_party")
    _check(model, scenario)
    if model != "coalitions":  # two parties: the coalition analysis is for three or more
        # The textbook has an agreement under every model: the contract is not checked vacuously.
        assert solve_equilibrium(model, scenario).utilities


@pytest.mark.parametrize("model", sorted(MODELS))
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios(min_parties=2, max_parties=3, max_issues=2, max_levels=3))
def test_every_model_keeps_the_contract_on_random_scenarios(model, scenario):
    # Two-party models play the first two parties (the registry's rule).
    _check(model, scenario, **LIGHT.get(model, {}))
