"""The negotiation trace."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from plot_helpers import render

from negotiation.errors import NegotiationError
from negotiation.plots import plot_trace, plot_trace_from_records, plot_trace_from_result

matplotlib.use("Agg")


def gid(ax, name):
    return [line for line in ax.lines if line.get_gid() == name]


def test_small_trace_own_and_other_offers():
    U = [[0.9, 0.2], [0.3, 0.8], [0.8, 0.4], [0.4, 0.7], [0.7, 0.6]]
    props = ["A", "B", "A", "B", "A"]
    ax = plot_trace(
        range(5), U, proposers=props, parties=["A", "B"], agreement_round=4, reservations=[0.5, 0.5]
    )
    (own_a,) = gid(ax, "own:A")
    (other_a,) = gid(ax, "other:A")
    assert len(own_a.get_xdata()) == 3 and len(other_a.get_xdata()) == 2
    (line_a,) = gid(ax, "party:A")
    np.testing.assert_allclose(line_a.get_ydata(), [0.9, 0.8, 0.7])  # A's concessions
    (agree,) = gid(ax, "agreement")
    assert agree.get_xdata()[0] == 4
    stars = [line for line in ax.lines if (line.get_gid() or "").startswith("agreement:")]
    assert sorted(s.get_ydata()[0] for s in stars) == [0.6, 0.7]
    assert ax.get_xlabel() == "Round" and ax.get_ylabel() == "Utility of the offer"
    render(ax.figure)


def test_long_trace_without_agreement_and_shared_rounds():
    T = 3000
    rng = np.random.default_rng(0)
    U = rng.random((T, 3))
    rounds = np.repeat(np.arange(T // 3), 3)  # three offers a round
    ax = plot_trace(
        rounds, U, proposers=["mediator"] * T, parties=["A", "B", "C"], end_reason="deadline"
    )
    (line,) = gid(ax, "party:A")
    assert len(line.get_xdata()) == T  # nobody proposed: the line goes through every offer
    assert np.all(np.diff(line.get_xdata()) > 0)  # offers of one round spread inside it
    assert not gid(ax, "own:A")  # no markers on a long trace
    assert any("no agreement: deadline" in t.get_text() for t in ax.texts)
    render(ax.figure)


def test_records_and_frames():
    recs = [
        {"round": k, "proposer": "AB"[k % 2], "utilities": {"A": 1 - k / 10, "B": k / 10}}
        for k in range(6)
    ]
    ax = plot_trace_from_records(recs, agreement_round=5)
    assert {line.get_gid() for line in ax.lines} >= {"party:A", "party:B", "agreement"}
    plt.close(ax.figure)
    frame = pd.DataFrame(
        {"round": [0, 1], "proposer": ["A", "B"], "u[A]": [1.0, 0.2], "u[B]": [0.1, 0.9]}
    )
    ax = plot_trace_from_records(frame)
    assert len(gid(ax, "party:B")[0].get_xdata()) == 1
    plt.close(ax.figure)
    with pytest.raises(NegotiationError, match="rounds"):
        plot_trace([0, 1], [[0.1, 0.2]], parties=["A", "B"])


def test_simulation_result():
    import negotiation as ng
    from negotiation.dynamics.protocols import simulate

    s = ng.load_scenario("ukraine_2025")
    result = simulate(s, "alternating", ("boulware", "conceder"), seed=0, rounds=60)
    ax = plot_trace_from_result(result)
    n = sum(
        len(line.get_xdata())
        for line in ax.lines
        if line.get_gid() in ("own:Russia", "other:Russia")
    )
    assert n == len(result.trace)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "United States (not at the table)" in legend  # bilateral: the others are affected only
    if result.agreement is not None:
        assert gid(ax, "agreement")
    render(ax.figure)
