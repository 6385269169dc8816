"""Any two-player game with nashpy (bimatrix.py): validation, classic games, pure equilibria
by brute force, cross-checks between the algorithms, the enumeration bound."""

import itertools
import sys
from pathlib import Path

import nashpy
import numpy as np
import pytest

import negotiation as ng
from negotiation.dynamics.games import (
    is_equilibrium,
    pure_equilibria,
    solve_normal_form,
    to_nashpy_game,
)
from negotiation.errors import ScenarioError

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

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
