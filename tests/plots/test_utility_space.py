"""The two-party utility space: draws every outcome, the frontier, the solutions."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.collections import PolyCollection
from plot_helpers import analysed_outcomes, gid, render

import negotiation as ng
from negotiation.engine.analysis import analyze
from negotiation.engine.pareto import pareto_mask
from negotiation.errors import NegotiationError
from negotiation.plots import plot_utility_space, plot_utility_space_from_analysis
from negotiation.plots.utility_space import staircase_points

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def textbook():
    return analysed_outcomes("textbook_two_party")


def test_small_scenario_draws_everything(textbook):
    a, U, feasible = textbook
    ax = plot_utility_space_from_analysis(a, outcomes=U, feasible=feasible)
    f = a.frontier
    (front,) = gid(ax.lines, "frontier")
    assert len(front.get_xdata()) == f.size
    np.testing.assert_array_equal(front.get_xdata(), f.utilities[:, 0])
    # the Candidate has bonuses: its axis says why its utility can pass 1
    assert ax.get_xlabel() == "Utility of Candidate (above 1: bonuses)"
    assert ax.get_ylabel() == "Utility of Employer"
    # every solution has a marker; coincident ones share it and its label
    marked = [n for line in gid(ax.lines, "solution:*") for n in line.get_gid()[9:].split("+")]
    assert sorted(marked) == sorted(a.solutions)
    labels = " ".join(t.get_text() for t in ax.texts if t.get_gid() == "solution-label")
    for name in ("Nash", "Asymmetric Nash", "Kalai–Smorodinsky", "Egalitarian", "Utilitarian"):
        assert name in labels
    # few outcomes: points, feasible ones separate; two reservation lines in party colours
    (other,) = gid(ax.collections, "outcomes")
    (feas,) = gid(ax.collections, "feasible")
    assert len(other.get_offsets()) == (~feasible).sum()
    assert len(feas.get_offsets()) == feasible.sum()
    assert len(gid(ax.lines, "reservation")) == 2
    assert len(gid(ax.lines, "frontier-staircase")) == 1
    render(ax.figure)


def test_legend_outside_and_labels_inside(textbook):
    a, U, feasible = textbook
    ax = plot_utility_space_from_analysis(a, outcomes=U, feasible=feasible)
    fig = ax.figure
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    axbox = ax.get_window_extent(renderer)
    legbox = ax.get_legend().get_window_extent(renderer)
    assert legbox.x0 >= axbox.x1 - 1  # the legend never covers the data
    boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_gid() == "solution-label"]
    for box in boxes:
        assert box.x0 >= axbox.x0 - 1 and box.x1 <= axbox.x1 + 1
        assert box.y0 >= axbox.y0 - 1 and box.y1 <= axbox.y1 + 1
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            assert not boxes[i].overlaps(boxes[j])
    plt.close(fig)


def test_million_outcomes_as_density():
    rng = np.random.default_rng(1)
    U = rng.random((1_000_000, 2))
    feasible = U.sum(axis=1) > 1.3
    F = U[feasible][pareto_mask(U[feasible])]
    ax = plot_utility_space(
        F,
        outcomes=U,
        feasible=feasible,
        disagreement=[0.3, 0.3],
        solutions={"nash": F[np.argmax(np.prod(F - 0.3, axis=1))]},
        parties=["A", "B"],
    )
    (dens,) = gid(ax.collections, "outcomes")
    (feas,) = gid(ax.collections, "feasible")
    assert isinstance(dens, PolyCollection) and len(dens.get_offsets()) < 10_000  # hexagons
    assert dens.get_array().sum() == (~feasible).sum()  # every point counted once
    assert feas.get_array().sum() == feasible.sum()
    assert dens.get_rasterized()  # vector output stays small
    (front,) = gid(ax.lines, "frontier")
    assert len(front.get_xdata()) == len(F)
    render(ax.figure)


def test_projection_and_zoom_for_more_parties():
    s = ng.load_scenario("ukraine_2025")
    a = analyze(s, lotteries=False)
    levels = s.space.enumerate()
    U = s.utilities(levels)
    feasible = s.feasible_mask(levels, U)
    ax = plot_utility_space_from_analysis(a, outcomes=U, feasible=feasible, pair=(1, 3), zoom=True)
    from negotiation.plots import scale_notes

    notes = scale_notes(s)  # e.g. a party with bonuses: its axis says why it can pass 1

    def label(p):
        return f"Utility of {p}" + (f" ({notes[p]})" if p in notes else "")

    assert ax.get_xlabel() == label("Ukraine") and ax.get_ylabel() == label("European allies")
    lo, hi = ax.get_xlim()
    # zoomed: the window holds the frontier and the feasible outcomes, not the whole space
    assert lo <= a.frontier.utilities[:, 1].min() and hi >= a.frontier.utilities[:, 1].max()
    assert lo > U[:, 1].min()
    (front,) = gid(ax.lines, "frontier")
    assert len(front.get_xdata()) == a.frontier.size
    render(ax.figure)


def test_extra_points_and_empty_frontier():
    ax = plot_utility_space(
        np.zeros((0, 2)),
        outcomes=[[0.1, 0.2], [0.3, 0.1]],
        feasible=[False, False],
        disagreement=[0.5, 0.5],
        extra_points={"simulated": [[0.2, 0.2], [0.25, 0.15]]},
    )
    assert gid(ax.lines, "frontier") == []
    (pts,) = gid(ax.lines, "points:simulated")
    assert len(pts.get_xdata()) == 2
    render(ax.figure)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"frontier": [[0.1, 0.2, 0.3]], "pair": (0, 0)}, "two different parties"),
        ({"frontier": [[0.1]]}, "at least two parties"),
        ({"frontier": [[0.1, 0.2]], "disagreement": [0.1]}, "2 entries"),
        ({"frontier": [[0.1, np.nan]]}, "NaN"),
        (
            {"frontier": [[0.1, 0.2]], "outcomes": [[0.1, 0.2]], "feasible": [True, False]},
            "feasible mask",
        ),
        ({"frontier": [[0.1, 0.2]], "parties": ["A"]}, "party names"),
        ({"frontier": [[0.1, 0.2]], "legend": "left"}, "legend"),
    ],
)
def test_bad_input_is_a_clear_error(kwargs, match):
    frontier = kwargs.pop("frontier")
    with pytest.raises(NegotiationError, match=match):
        plot_utility_space(frontier, **kwargs)
    plt.close("all")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=1, max_size=30))
def test_staircase_is_the_two_dimensional_frontier(points):
    P = np.array(points, dtype=float)
    x, y = staircase_points(P[:, 0], P[:, 1])
    unique = np.unique(P, axis=0)
    brute = [tuple(p) for p in unique if not any((q >= p).all() and (q > p).any() for q in unique)]
    assert sorted(zip(x.tolist(), y.tolist(), strict=True)) == sorted(brute)
    assert np.all(np.diff(x) > 0) and np.all(np.diff(y) < 0)
