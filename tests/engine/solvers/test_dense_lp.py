"""The certified dense simplex of the column-generation masters (issue 17): a programme solved by
hand, random masters against HiGHS (optimal value and dual prices to 1e-9, the LP tolerance),
infeasible programmes left to HiGHS, and the lottery solutions unchanged within 1e-8 whether
the masters go through it or through HiGHS."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from negotiation.engine.frontier import enumerate_frontier
from negotiation.engine.lotteries import LOTTERY_SOLUTIONS
from negotiation.engine.solvers import simplex
from negotiation.engine.solvers.dense_lp import dense_simplex, dense_simplex_warm
from negotiation.model.issues import Issue
from negotiation.model.party import Party
from negotiation.model.scenario import Scenario


def four_party_frontier(reservation: float = 0.3):
    """A fresh frontier (the lottery results are cached per frontier) of a seeded 4-party,
    5-issue scenario whose reservations exclude some allowed deals (so the cut binds)."""
    rng = np.random.default_rng(4)
    iss = tuple(Issue(f"i{k}", tuple(f"l{j}" for j in range(4))) for k in range(5))
    ps = tuple(
        Party(
            f"P{p}",
            {i.name: float(w) for i, w in zip(iss, rng.dirichlet(np.ones(5)), strict=True)},
            {
                i.name: dict(zip(i.levels, rng.random(4).round(3).tolist(), strict=True))
                for i in iss
            },
            reservation=reservation,
        )
        for p in range(4)
    )
    return enumerate_frontier(Scenario("four", iss, ps))


def test_a_programme_by_hand():
    # min -x - 2y - 0z s.t. x + y + z = 1, x - y + s = 0.2 (s slack): the vertex y = 1
    c = np.array([-1.0, -2.0, 0.0, 0.0])
    A = np.array([[1.0, 1.0, 1.0, 0.0], [1.0, -1.0, 0.0, 1.0]])
    x, lam = dense_simplex(c, A, np.array([1.0, 0.2]))
    np.testing.assert_allclose(x, [0.0, 1.0, 0.0, 1.2], atol=1e-12)
    assert float(c @ x) == -2.0
    np.testing.assert_allclose(lam, [-2.0, 0.0], atol=1e-12)  # d fun / d b


def test_an_infeasible_programme_is_left_to_highs():
    A = np.array([[1.0, 1.0]])
    assert dense_simplex(np.array([1.0, 1.0]), A, np.array([-1.0])) is None


#: Random master programmes: a seed, k parties, n columns, integer (degenerate) gains or not.
MASTERS = given(
    seed=st.integers(0, 2**32 - 1),
    k=st.integers(1, 5),
    n=st.integers(2, 40),
    int_data=st.booleans(),
)


def master_problem(seed: int, k: int, n: int, int_data: bool):
    """SimplexLP's master programme (max t s.t. G^T p >= t s + lo, p on the simplex) in
    equality form on random (also integer, so degenerate) gains: the generator after drawing,
    the gains ``G``, the floors ``lo`` and ``c, A, b``. Variables: p (n), t+, t-, slacks (k); rows: -G^T p + s t + slack = -lo,
    sum p = 1."""
    rng = np.random.default_rng(seed)
    G = rng.integers(-3, 4, (n, k)).astype(float) if int_data else rng.standard_normal((n, k))
    s = rng.random(k) + 0.1
    lo = -np.abs(rng.standard_normal(k))
    top = np.hstack([-G.T, s[:, None], -s[:, None], np.eye(k)])
    A = np.vstack([top, np.r_[np.ones(n), np.zeros(k + 2)]])
    b = np.r_[-lo, 1.0]
    c = np.r_[np.zeros(n), -1.0, 1.0, np.zeros(k)]
    return rng, G, lo, c, A, b


@settings(max_examples=60, deadline=None)
@MASTERS
def test_masters_agree_with_highs(seed, k, n, int_data):
    """The master programme of SimplexLP (max t s.t. G^T p >= t s + lo, p on the simplex) in
    equality form, on random (also integer, so degenerate) gains: same optimal value as HiGHS
    and the returned point and prices certify it."""
    rng, G, lo, c, A, b = master_problem(seed, k, n, int_data)
    ref = linprog(c, A_eq=A, b_eq=b, bounds=(0, None), method="highs")
    out = dense_simplex(c, A, b)
    if ref.status != 0:
        assert out is None
        return
    if out is None:  # allowed (HiGHS then decides), but not on these well-posed programmes
        raise AssertionError("not certified")
    x, lam = out
    assert abs(float(c @ x) - ref.fun) <= 1e-9 * max(1.0, abs(ref.fun))
    assert float(lam @ b) == np.float64(lam @ b)  # finite
    assert abs(float(lam @ b) - float(c @ x)) <= 1e-9 * max(1.0, abs(ref.fun))  # strong duality
    assert (c - lam @ A).min() >= -1e-9


def test_lottery_solutions_same_within_the_lp_tolerance(monkeypatch):
    """Every lottery solution of a 4-party scenario gives the same expected utilities (to the
    LP tolerance 1e-8) with the dense masters and with HiGHS alone."""
    real, solved = simplex.SimplexLP._dense, []

    def spy(self, *args):
        out = real(self, *args)
        solved.append(out is not None)
        return out

    monkeypatch.setattr(simplex.SimplexLP, "_dense", spy)
    now = {n: fn(four_party_frontier()).utilities for n, fn in LOTTERY_SOLUTIONS.items()}
    assert sum(solved) >= 3  # the masters did go through the dense simplex
    monkeypatch.setattr(simplex.SimplexLP, "_dense", lambda self, *a: None)
    old = {n: fn(four_party_frontier()).utilities for n, fn in LOTTERY_SOLUTIONS.items()}
    for name in now:
        np.testing.assert_allclose(now[name], old[name], atol=1e-8, rtol=0, err_msg=name)


@settings(max_examples=60, deadline=None)
@MASTERS
def test_warm_starts_reach_the_same_optimum(seed, k, n, int_data):
    """From any starting bases (random ones: singular, infeasible or feasible; the crash basis
    of a deal and every slack; a function that makes one), the same optimal value as HiGHS:
    a start that does not fit is skipped, and a path the certificate refuses is redone from
    phase I."""
    rng, G, lo, c, A, b = master_problem(seed, k, n, int_data)
    ref = linprog(c, A_eq=A, b_eq=b, bounds=(0, None), method="highs")
    assert ref.status == 0  # t is free: always feasible and bounded (t <= max gains / s)
    ncol = A.shape[1]
    crash = np.r_[int(np.argmax((G - lo).min(axis=1))), np.arange(ncol - k, ncol)]
    starts = [rng.choice(ncol, k + 1, replace=False) for _ in range(2)]
    for basis in (None, crash, starts, [lambda: None, lambda: crash]):
        out = dense_simplex_warm(c, A, b, basis)
        assert out is not None
        x, lam, opt = out
        assert abs(float(c @ x) - ref.fun) <= 1e-9 * max(1.0, abs(ref.fun))
        assert sorted(set(opt.tolist())) == sorted(opt.tolist()) and opt.size == k + 1
        np.testing.assert_allclose(A[:, opt] @ x[opt], b, atol=1e-9)  # x is basic in opt
        # restarting from the optimal basis: no pivot needed, the same point
        again = dense_simplex_warm(c, A, b, opt)
        assert again is not None
        np.testing.assert_allclose(again[0], x, atol=1e-12)
