"""Nash's demand game (demand_game.py): sharp equilibria at the deals, the smoothing refinement
that selects the Nash solution, the demand game at scale and its command-line method option."""

import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import negotiation as ng
from negotiation.dynamics.games import (
    demand_game,
    is_equilibrium,
    project,
    pure_equilibria,
    solve_demand_game,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from games_helpers import pie  # noqa: E402

UKRAINE = ng.load_scenario("ukraine_2025")
TEXTBOOK = ng.load_scenario("textbook_two_party")


def test_sharp_demand_game_equilibria_are_the_deals():
    g = demand_game(UKRAINE, ("Russia", "Ukraine"), n_demands=5)
    pure = set(pure_equilibria(g.A, g.B))
    G = g.projection.gains[g.deals]
    for a, b in G:
        if a > 0 and b > 0:
            i = int(np.argmin(np.abs(g.a - a)))
            j = int(np.argmin(np.abs(g.b - b)))
            assert (i, j) in pure  # each demands exactly what a deal gives it
    # Compatible pairs pay the demands, incompatible ones the reservations.
    d = g.projection.disagreement[list(g.projection.index)]
    assert np.allclose(g.A[~g.compatible], d[0]) and np.allclose(g.B[~g.compatible], d[1])


@pytest.mark.parametrize("scenario,pair", [(TEXTBOOK, None), (UKRAINE, ("Russia", "Ukraine"))])
def test_refinement_selects_the_nash_solution(scenario, pair):
    r = solve_demand_game(scenario, pair, n_demands=5)
    d = r.to_dict()
    assert d["refined_is_nash"]
    assert all(step["is_equilibrium"] for step in d["refinement_path"])
    # Sharp game: support and vertex enumeration agree on the pure equilibria (exact ones).
    assert r.sharp.cross_check["pure: support == exact"]
    assert r.sharp.cross_check["pure: vertex == exact"]
    # Smoothed game (non-degenerate): the two enumerations agree on everything.
    assert r.smoothed.cross_check["support == vertex"]
    # The refined deal sits at or next to the Nash solution of the hull.
    proj = project(scenario, pair, exactly=2)
    rows = {tuple(proj.levels[k]): k for k in range(proj.size)}
    hull_deals = r.hull_nash.deals if hasattr(r.hull_nash, "deals") else (r.hull_nash,)
    ranks = [rows[tuple(x.levels)] for x in hull_deals]
    assert min(abs(rows[tuple(r.agreement.levels)] - k) for k in ranks) <= 1
    assert "demand game" in r.summary()


@settings(max_examples=25, deadline=None)
@given(st.floats(0.02, 1.0), st.integers(2, 6))
def test_smoothed_nash_product_maximiser_is_an_equilibrium(sigma, n):
    """Nash (1953): in the smoothed game each player's payoff is its demand times h, so the
    maximiser of a b h is a pure equilibrium."""
    g = demand_game(pie(21, 0.9, 0.9), n_demands=n, smoothing=sigma)
    prod = g.a[:, None] * g.b[None, :] * g.probability
    i, j = np.unravel_index(int(np.argmax(prod)), prod.shape)
    assert is_equilibrium(g.A, g.B, np.eye(len(g.a))[i], np.eye(len(g.b))[j])


# -- the demand game at scale: method choice and enumeration bounds --------------------------
def many_deals_scenario() -> ng.Scenario:
    """Two parties, seven issues of six levels; on each issue the level utilities lie on the
    concave curve (sqrt(t), sqrt(1 - t)) and the weights differ: over 101 Pareto deals."""
    from negotiation.model.issues import Issue
    from negotiation.model.party import Party

    names = [f"x{k}" for k in range(7)]
    issues = tuple(Issue(n, tuple(f"l{j}" for j in range(6))) for n in names)
    up = {n: {f"l{j}": float(np.sqrt(j / 5)) for j in range(6)} for n in names}
    down = {n: {f"l{j}": float(np.sqrt(1 - j / 5)) for j in range(6)} for n in names}
    a = Party("A", dict(zip(names, (17, 13, 11, 7, 5, 3, 2), strict=True)), up)
    b = Party("B", dict(zip(names, (2, 3, 5, 7, 11, 13, 19), strict=True)), down)
    return ng.Scenario("many_deals", issues, (a, b))


def test_demand_game_with_101_demands_pure_refinement():
    """101 demands: every deal is a pure equilibrium of the sharp game (each demands exactly
    what the deal gives it), and the refinement picks the largest product of gains among the
    chosen deals (brute force here)."""
    s = many_deals_scenario()
    proj = project(s)
    assert proj.size >= 101
    r = solve_demand_game(s, n_demands=101)
    game = r.game
    assert len(game.deals) == 101
    assert len(r.sharp.pure) >= len(game.a)
    assert r.sharp.found == {} and r.notes and "MAX_ENUMERATION" in r.notes[0]
    G = proj.gains[game.deals]
    best = game.deals[np.argmax(G[:, 0] * G[:, 1])]
    np.testing.assert_allclose(r.nash.utilities, proj.utilities[best])
    assert r.to_dict()["refined_is_nash"] and r.to_dict()["methods"] == []


def test_cli_demand_game_method_option(capsys, tmp_path):
    from negotiation.cli import main
    from negotiation.io import save_scenario

    path = save_scenario(many_deals_scenario(), tmp_path / "many.toml")

    assert main(["equilibrium", "textbook_two_party", "--model", "demand-game",
                 "--method", "pure", "--json"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert '"methods": []' in out
    assert main(["equilibrium", "textbook_two_party", "--model", "demand-game",
                 "--demands", "4", "--method", "support,vertex"]) == 0  # fmt: skip
    assert "support" in capsys.readouterr().out
    assert main(["equilibrium", str(path), "--model", "demand-game",
                 "--demands", "20", "--method", "support"]) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert "MAX_ENUMERATION" in err and "Traceback" not in err
    assert main(["equilibrium", "--model", "rubinstein", "--method", "pure"]) == 2
    capsys.readouterr()
    assert main(["equilibrium", str(path), "--model", "demand-game", "--demands", "101"]) == 0
    assert "101 frontier deals" in capsys.readouterr().out
