"""Finite-horizon bargaining: backward induction against a brute-force game-tree search."""

import itertools
import sys
from pathlib import Path

import numpy as np
import pytest

import negotiation as ng
from negotiation.dynamics.games import backward_induction, finite_horizon, rubinstein
from negotiation.engine.deal import Deal
from negotiation.errors import ScenarioError

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from games_helpers import pie  # noqa: E402

UKRAINE = ng.load_scenario("ukraine_2025")
TEXTBOOK = ng.load_scenario("textbook_two_party")


def tree(G, delta, T, order, z, quota=None, t=0):
    """Subgame-perfect payoffs by explicit game-tree search: in round t the proposer tries every
    deal; the responders vote one after another (each knowing how the later ones vote), a tie
    counts as acceptance; the deal passes with ``quota - 1`` acceptances (all, by default)."""
    K, k = G.shape
    if t == T:
        return delta**T * z, None
    cont, _ = tree(G, delta, T, order, z, quota, t + 1)
    prop = order[t % len(order)]
    responders = [i for i in range(k) if i != prop]
    need = len(responders) if quota is None else quota - 1
    P = G * delta**t

    def vote(x, j, yes):
        if j == len(responders):
            return P[x] if yes >= need else cont
        i = responders[j]
        acc = vote(x, j + 1, yes + 1)
        rej = vote(x, j + 1, yes)
        return acc if acc[i] >= rej[i] else rej

    best, arg = cont, None
    for x in range(K):
        out = vote(x, 0, 0)
        if out[prop] > best[prop] + 1e-12:
            best, arg = out, x
    return best, arg


@pytest.mark.parametrize("seed", range(40))
def test_backward_induction_matches_tree_search(seed):
    rng = np.random.default_rng(seed)
    k = int(rng.integers(2, 4))
    K = int(rng.integers(1, 6))
    T = int(rng.integers(1, 4))
    G = rng.random((K, k))
    delta = rng.uniform(0.3, 1.0, k)
    order = list(rng.permutation(k))
    z = rng.uniform(-0.2, 0.6, k) if seed % 3 == 0 else np.zeros(k)
    quota = int(rng.integers(2, k + 1)) if (seed % 4 == 1 and k == 3) else None
    bi = backward_induction(G, delta, T, order, deadline_gains=z, quota=quota)
    ref, arg = tree(G, delta, T, order, z, quota)
    assert np.allclose(bi.values[0], ref, atol=1e-12)
    first = bi.proposals[0]
    assert (first is None) == (arg is None)
    if arg is not None:
        assert int(np.argmax(first)) == arg


def test_lotteries_long_horizon_converge_to_rubinstein():
    fin = finite_horizon(UKRAINE, ("Russia", "Ukraine"), horizon=240, lotteries=True)
    inf = rubinstein(UKRAINE, ("Russia", "Ukraine"))
    for p in UKRAINE.party_names:
        assert fin.utilities[p] == pytest.approx(inf.utilities[p], abs=1e-6)


def test_ultimatum_and_pie():
    # One round: the proposer takes everything the responder's deadline value allows.
    r = finite_horizon(pie(11, 0.9, 0.9), horizon=1)
    assert r.round == 0 and r.utilities["A"] == pytest.approx(1.0)
    # Two rounds, B proposes last: A offers B delta_B * 1 (rounded to the grid in B's favour).
    r = finite_horizon(pie(11, 0.9, 0.8), horizon=2)
    assert r.utilities["B"] == pytest.approx(0.8)
    r = finite_horizon(pie(11, 0.9, 0.8), horizon=2, proposer="B")
    assert r.order == ("B", "A")
    assert r.utilities["A"] == pytest.approx(0.9)  # A's continuation: 0.9 of the whole pie


def test_deadline_default_deal():
    best_for_b = {"share": "s0"}
    # With the default deal giving B everything at the deadline, A must concede it all.
    r = finite_horizon(pie(11, 0.9, 1.0), horizon=1, deadline=best_for_b)
    assert r.utilities["B"] == pytest.approx(1.0)
    # A responder who loves the default deal more than any proposal: no agreement before it.
    bi = backward_induction(
        np.array([[1.0, 0.0], [0.5, 0.5]]), [0.9, 0.9], 2, [0], deadline_gains=[0.0, 2.0]
    )
    assert bi.agreement_round is None
    assert np.allclose(bi.values[0], [0.0, 0.81 * 2.0])
    default = Deal(np.array([0]), np.array([0.0, 1.0]), {"share": "s0"}, ("A", "B"))
    assert finite_horizon(pie(3), horizon=1, deadline=default).deadline.startswith("default")


def test_multiparty_scenario():
    r = finite_horizon(UKRAINE, horizon=4)
    assert r.round == 0
    assert UKRAINE.feasible_mask(r.agreement.levels[None, :]).all()
    assert list(r.plan["proposer"]) == list(UKRAINE.party_names)
    d = r.to_dict()
    assert d["agreement"]["deal"] and len(d["plan"]) == 4
    # Under a quota of 3 the deal need not suit everybody.
    q = finite_horizon(UKRAINE, horizon=4, quota=3)
    assert q.quota == 3
    acc = UKRAINE.acceptable(q.agreement.levels[None, :])[0]
    assert acc.sum() >= 3


def test_lottery_brute_force_two_rounds():
    """With lotteries, the last proposer's linear programme has a closed form on a pie."""
    G = np.eye(2)
    bi = backward_induction(G, [0.9, 0.8], 2, [0, 1], lotteries=True)
    # Round 1 (B proposes): B takes all. Round 0: A offers B 0.8 and keeps 0.2.
    assert np.allclose(bi.values[0], [0.2, 0.8])
    assert np.allclose(bi.proposals[0], [0.2, 0.8])


def test_errors():
    with pytest.raises(ScenarioError, match="horizon"):
        finite_horizon(TEXTBOOK, horizon=0)
    with pytest.raises(ScenarioError, match="deadline"):
        finite_horizon(TEXTBOOK, horizon=2, deadline="chaos")
    with pytest.raises(ScenarioError, match="unknown party"):
        finite_horizon(TEXTBOOK, horizon=2, order=["Candidate", "Nobody"])
    with pytest.raises(ScenarioError, match="quota"):
        backward_induction(np.eye(2), [0.9, 0.9], 1, [0], quota=3)
    with pytest.raises(ScenarioError, match="level"):
        finite_horizon(TEXTBOOK, horizon=1, deadline={"salary": "1M"})


def test_all_orders_and_quotas_small():
    """Every proposer order on a 3-player instance agrees with the tree search."""
    rng = np.random.default_rng(7)
    G = rng.random((4, 3))
    for order in itertools.permutations(range(3)):
        for quota in (None, 2, 3):
            bi = backward_induction(G, [0.9, 0.7, 0.8], 3, list(order), quota=quota)
            ref, _ = tree(G, np.array([0.9, 0.7, 0.8]), 3, list(order), np.zeros(3), quota)
            assert np.allclose(bi.values[0], ref, atol=1e-12)


def test_lotteries_with_a_quota():
    """Divide the dollar among three, majority, one round: the proposer needs one partner whose
    continuation is 0, so it keeps everything; with two rounds it pays the cheapest partner."""
    bi = backward_induction(np.eye(3), [0.9, 0.8, 0.7], 1, [0], quota=2, lotteries=True)
    assert np.allclose(bi.values[0], [1.0, 0.0, 0.0])
    bi = backward_induction(np.eye(3), [0.9, 0.8, 0.7], 2, [0, 1], quota=2, lotteries=True)
    # Round 1: player 1 keeps all (discounted: 0.8). Round 0: player 0 buys player 2 (price 0).
    assert np.allclose(bi.values[0], [1.0, 0.0, 0.0])
    bi = backward_induction(np.eye(3), [0.9, 0.8, 0.7], 2, [0, 1], quota=3, lotteries=True)
    assert np.allclose(bi.values[0], [0.2, 0.8, 0.0])
