"""The one HiGHS wrapper: optimum and infeasibility of small programmes solved by hand, and the
fallback order on numerical trouble."""

from __future__ import annotations

import numpy as np
from scipy.optimize import OptimizeResult

from negotiation.engine.solvers import lp
from negotiation.engine.solvers.lp import HIGHS_OPTIONS, linprog_highs


def test_a_small_programme_by_hand():
    # max x + 2y s.t. x + y <= 4, x <= 3, y <= 2.5: the vertex (1.5, 2.5), value 6.5
    res = linprog_highs(
        np.array([-1.0, -2.0]),
        A_ub=np.array([[1.0, 1.0]]),
        b_ub=np.array([4.0]),
        bounds=[(0, 3), (0, 2.5)],
    )
    assert res.status == 0
    np.testing.assert_allclose(res.x, [1.5, 2.5], atol=1e-10)
    assert -res.fun == 6.5


def test_infeasible_is_status_2_without_a_retry(monkeypatch):
    calls = []
    real = lp.linprog

    def spy(*args, **kwargs):
        calls.append(kwargs["method"])
        return real(*args, **kwargs)

    monkeypatch.setattr(lp, "linprog", spy)
    res = linprog_highs(
        np.zeros(1),
        A_ub=np.array([[1.0]]),
        b_ub=np.array([-1.0]),
        attempts=(("highs-ds", HIGHS_OPTIONS), ("highs", None)),
    )  # x <= -1 with x >= 0
    assert res.status == 2 and calls == ["highs-ds"]


def test_numerical_trouble_falls_back_in_order(monkeypatch):
    calls = []

    def troubled(*args, method, options, **kwargs):
        calls.append((method, options))
        return OptimizeResult(status=4 if len(calls) == 1 else 0, x=np.zeros(1))

    monkeypatch.setattr(lp, "linprog", troubled)
    res = linprog_highs(np.zeros(1), attempts=(("highs-ds", HIGHS_OPTIONS), ("highs", None)))
    assert res.status == 0
    assert calls == [("highs-ds", dict(HIGHS_OPTIONS)), ("highs", None)]
