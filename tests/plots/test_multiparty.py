"""Three or more parties: the pairwise matrix and the parallel coordinates."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from matplotlib.collections import LineCollection
from plot_helpers import analysed_outcomes, gid, render
from strategies import scenarios

from negotiation.engine.analysis import analyze
from negotiation.engine.pareto import pareto_mask
from negotiation.errors import NegotiationError
from negotiation.plots import (
    plot_deal_table_from_analysis,
    plot_gains_from_analysis,
    plot_pairwise,
    plot_pairwise_from_analysis,
    plot_parallel,
    plot_parallel_from_analysis,
    plot_utility_space_from_analysis,
)

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def ukraine():
    return analysed_outcomes("ukraine_2025")


def test_pairwise_matrix_has_one_panel_per_pair(ukraine):
    a, U, feasible = ukraine
    fig = plot_pairwise_from_analysis(a, outcomes=U, feasible=feasible, title="pairs")
    panels = [ax for ax in fig.axes if gid(ax.lines, "frontier")]
    assert len(panels) == 6  # 4 parties: 4 * 3 / 2 pairs
    for ax in panels:
        (front,) = gid(ax.lines, "frontier")
        assert len(front.get_xdata()) == a.frontier.size
    names = list(a.scenario.party_names)
    xlabels = {ax.get_xlabel() for ax in panels} - {""}
    ylabels = {ax.get_ylabel() for ax in panels} - {""}
    assert xlabels == set(names[:3]) and ylabels == set(names[1:])
    # one shared legend naming every party's reservation and the solutions
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    assert len(legends) == 1
    texts = [t.get_text() for t in legends[0].get_texts()]
    assert set(names) <= set(texts)
    assert any("Utilitarian" in t for t in texts) and any("Nash" in t for t in texts)
    render(fig)


def test_pairwise_two_parties_and_zoom():
    F = np.array([[0.2, 0.9], [0.5, 0.6], [0.9, 0.1]])
    fig = plot_pairwise(F, disagreement=[0.1, 0.1], solutions={"nash": F[1]}, zoom=True)
    panels = [ax for ax in fig.axes if gid(ax.lines, "frontier")]
    assert len(panels) == 1
    render(fig)


def test_parallel_one_line_per_frontier_deal(ukraine):
    a, _, _ = ukraine
    ax = plot_parallel_from_analysis(a)
    (lc,) = gid(ax.collections, "frontier")
    assert isinstance(lc, LineCollection)
    assert len(lc.get_segments()) == a.frontier.size
    # each axis named by its party, with the party's scale note under it (bonuses, points)
    assert [t.get_text().split("\n(")[0] for t in ax.get_xticklabels()] == list(
        a.scenario.party_names
    )
    # coincident solutions share one line; the labels name them all
    lines = gid(ax.lines, "solution:*")
    names = [n for line in lines for n in line.get_gid()[9:].split("+")]
    assert sorted(names) == sorted(a.solutions)
    labels = " ".join(t.get_text() for t in ax.texts if t.get_gid() == "solution-label")
    assert "Utilitarian" in labels and "Kalai–Smorodinsky" in labels
    assert len(gid(ax.lines, "reservation")) == 4
    render(ax.figure)


def test_parallel_large_frontier_is_thinned_and_scales():
    rng = np.random.default_rng(0)
    U = rng.random((20_000, 3))
    F = U[pareto_mask(U)]
    ax = plot_parallel(F, max_lines=300, scale="per_axis", parties=["A", "B", "C"])
    (lc,) = gid(ax.collections, "frontier")
    assert len(lc.get_segments()) == min(300, len(F))
    legend = " ".join(t.get_text() for t in ax.get_legend().get_texts())
    if len(F) > 300:
        assert f"showing 300 of {len(F)}" in legend
    render(ax.figure)
    points = np.array([[0.0, 10.0, 100.0], [1.0, 0.0, 300.0]])
    ax = plot_parallel(points)  # very different ranges: each axis its own
    assert ax.get_ylabel().startswith("Utility (each axis")
    plt.close(ax.figure)
    with pytest.raises(NegotiationError, match="scale"):
        plot_parallel(points, scale="log")
    plt.close("all")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(min_parties=2, max_parties=4, max_issues=3, max_levels=3))
def test_every_figure_on_random_scenarios(scenario):
    a = analyze(scenario, lotteries=False)
    levels = scenario.space.enumerate()
    U = scenario.utilities(levels)
    feasible = scenario.feasible_mask(levels, U)
    ax = plot_utility_space_from_analysis(a, outcomes=U, feasible=feasible)
    (front,) = gid(ax.lines, "frontier") or [None]
    assert (front is None and a.frontier.is_empty) or len(front.get_xdata()) == a.frontier.size
    plt.close(ax.figure)
    if len(scenario.parties) >= 3:
        fig = plot_pairwise_from_analysis(a, outcomes=U, feasible=feasible)
        assert (
            sum(
                bool(gid(x.lines, "frontier")) or a.frontier.is_empty
                for x in fig.axes
                if x.get_visible()
            )
            >= 1
        )
        plt.close(fig)
    if a.frontier.is_empty:
        return
    ax = plot_parallel_from_analysis(a)
    assert len(gid(ax.collections, "frontier")[0].get_segments()) == a.frontier.size
    plt.close(ax.figure)
    fig = plot_deal_table_from_analysis(a)
    assert len([t for t in fig.axes[0].texts if t.get_gid() == "cell"]) % len(scenario.issues) == 0
    plt.close(fig)
    ax = plot_gains_from_analysis(a)
    plt.close(ax.figure)
