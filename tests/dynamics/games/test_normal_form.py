"""nashpy games: validation, cross-checked equilibria, the demand game, accept or hold out."""

import itertools
import sys
from pathlib import Path

import nashpy
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import negotiation as ng
from negotiation.dynamics.games import (
    accept_holdout,
    demand_game,
    is_equilibrium,
    project,
    pure_equilibria,
    solve_demand_game,
    solve_normal_form,
    to_nashpy_game,
)
from negotiation.errors import ScenarioError

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from games_helpers import pie  # noqa: E402

UKRAINE = ng.load_scenario("ukraine_2025")
TEXTBOOK = ng.load_scenario("textbook_two_party")


def test_to_nashpy_game_validates():
    g = to_nashpy_game([[1, 2], [3, 4]], [[0, 0], [1, 1]])
    assert isinstance(g, nashpy.Game)
    with pytest.raises(ScenarioError, match="shape"):
        to_nashpy_game(np.zeros((2, 2)), np.zeros((2, 3)))
    with pytest.raises(ScenarioError, match="non-finite entry at row 1, column 0"):
        to_nashpy_game([[1, 2], [np.nan, 4]], np.zeros((2, 2)))
    with pytest.raises(ScenarioError, match="2-D"):
        to_nashpy_game([1, 2], [1, 2])
    with pytest.raises(ScenarioError, match="2-D"):
        to_nashpy_game(np.zeros((0, 2)), np.zeros((0, 2)))
    with pytest.raises(ScenarioError, match="numbers"):
        to_nashpy_game([["a"]], [[1]])


def test_classic_games():
    mp = solve_normal_form([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], players=("A", "B"))
    (eq,) = mp.equilibria
    assert not eq.pure and eq.strategies["A"] == pytest.approx({"r0": 0.5, "r1": 0.5})
    assert set(eq.methods) >= {"support", "vertex", "lemke-howson"}
    bos = solve_normal_form(
        [[2, 0], [0, 1]],
        [[1, 0], [0, 2]],
        row_labels=("opera", "match"),
        column_labels=("opera", "match"),
    )
    assert len(bos.equilibria) == 3 and len(bos.pure) == 2
    assert all(bos.cross_check.values())
    mixed = [e for e in bos.equilibria if not e.pure][0]
    assert mixed.strategies["row"]["opera"] == pytest.approx(2 / 3)


@pytest.mark.parametrize("seed", range(25))
def test_pure_equilibria_brute_force(seed):
    rng = np.random.default_rng(seed)
    m, n = rng.integers(1, 5, size=2)
    A, B = rng.integers(0, 4, size=(2, m, n)).astype(float)
    ref = [
        (i, j)
        for i, j in itertools.product(range(m), range(n))
        if A[i, j] >= A[:, j].max() and B[i, j] >= B[i, :].max()
    ]
    assert pure_equilibria(A, B) == ref


@pytest.mark.parametrize("seed", range(40))
def test_nondegenerate_games_cross_check(seed):
    """Random (almost surely non-degenerate) games: vertex enumeration finds an odd number of
    equilibria (Wilson's oddness theorem), support enumeration and Lemke–Howson find a subset
    (see NormalFormSolution.cross_check for why support enumeration can miss one), and the
    pure equilibria agree with the exact enumeration."""
    rng = np.random.default_rng(seed)
    m, n = rng.integers(2, 6, size=2)
    A, B = rng.random((2, m, n))
    sol = solve_normal_form(A, B)
    assert sol.cross_check["support <= vertex"]
    assert sol.cross_check["lemke-howson <= vertex"]
    assert sol.cross_check["pure: support == exact"]
    assert sol.cross_check["pure: vertex == exact"]
    assert len(sol.equilibria) % 2 == 1
    for e in sol.equilibria:
        assert is_equilibrium(A, B, e.row, e.column)
        assert "vertex" in e.methods


def test_cross_check_agrees_on_square_example():
    A = np.array([[3.0, 1.0, 0.5], [0.2, 2.0, 1.1], [1.5, 0.3, 2.2]])
    B = np.array([[1.0, 0.4, 2.1], [2.3, 1.2, 0.1], [0.2, 2.5, 1.3]])
    sol = solve_normal_form(A, B)
    assert sol.cross_check["support == vertex"]


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


def test_accept_holdout():
    deal = {"salary": "60k", "remote_days": "two_days", "start_date": "one_month"}
    r = accept_holdout(TEXTBOOK, deal)
    assert r.self_enforcing and r.strict and r.undominated and not r.unique
    assert all(r.accept_dominant.values())
    assert r.solution.cross_check["pure: support == exact"]
    # A large hold-out premium makes holding out pay: not self-enforcing.
    r = accept_holdout(TEXTBOOK, deal, premium={"Employer": 0.5})
    assert not r.self_enforcing and not r.accept_dominant["Employer"]
    # A deal below the Employer's reservation is never self-enforcing.
    bad = {"salary": "64k", "remote_days": "two_days", "start_date": "three_months"}
    assert not accept_holdout(TEXTBOOK, bad).self_enforcing
    d = accept_holdout(UKRAINE, deal_of(UKRAINE), ("Russia", "Ukraine")).to_dict()
    assert d["self_enforcing"] and d["equilibria"]
    with pytest.raises(ScenarioError, match="non-player"):
        accept_holdout(TEXTBOOK, deal, premium={"Nobody": 1.0})


def deal_of(scenario):
    from negotiation.engine.frontier import enumerate_frontier

    return enumerate_frontier(scenario).deal(0)


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


def test_resolve_methods_and_bounds():
    from negotiation.dynamics.games.normal_form import (
        MAX_ENUMERATION,
        METHODS,
        enumeration_size,
        resolve_methods,
    )
    from negotiation.errors import NotApplicableError

    assert enumeration_size(11, 11) == 705_432  # the 503 s run of the issue
    assert resolve_methods("auto", 3, 4) == METHODS
    assert resolve_methods("auto", 60, 60) == ()
    assert resolve_methods("pure", 3, 3) == () and resolve_methods("all", 2, 2) == METHODS
    assert resolve_methods("support, lemke-howson", 3, 3) == ("support", "lemke-howson")
    assert resolve_methods(("lemke-howson",), 101, 101) == ("lemke-howson",)
    with pytest.raises(NotApplicableError, match="MAX_ENUMERATION"):
        resolve_methods("support", 11, 11)
    with pytest.raises(NotApplicableError, match="vertex"):
        solve_normal_form(np.eye(12), np.eye(12), methods=("vertex",))
    with pytest.raises(ScenarioError, match="unknown methods"):
        resolve_methods("simplex", 2, 2)
    assert enumeration_size(7, 7) <= MAX_ENUMERATION < enumeration_size(8, 8)


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
    from negotiation.model.loader import save_scenario

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
