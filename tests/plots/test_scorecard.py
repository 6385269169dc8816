"""The proposals' scorecard (:mod:`negotiation.plots.scorecard`)."""

from __future__ import annotations

import matplotlib
import pytest
from plot_helpers import render

from negotiation.errors import NegotiationError
from negotiation.plots.scorecard import plot_scorecard

matplotlib.use("Agg")


def test_bars_margins_red_lines_and_ranges():
    ax = plot_scorecard(
        ["plan A", "plan B"],
        ["Ann", "Bob"],
        [[0.7, 0.4], [0.2, 0.9]],
        [0.5, 0.3],
        crossed=[[False, True], [False, False]],
        ranges=[[None, (0.35, 0.6)], [None, None]],
        accepted=[False, True],
    )
    bars = {p.get_gid(): p for p in ax.patches if p.get_gid()}
    # one bar per proposal and party, as long as the utility
    assert {g: round(b.get_width(), 6) for g, b in bars.items()} == {
        "bar:plan A:Ann": 0.7,
        "bar:plan A:Bob": 0.4,
        "bar:plan B:Ann": 0.2,
        "bar:plan B:Bob": 0.9,
    }
    texts = [t.get_text() for t in ax.texts]
    # the margin over the reservation, by hand: 0.4 - 0.3 = +0.10, 0.2 - 0.5 = -0.30
    assert "0.40 (+0.10)" in texts and "0.20 (-0.30)" in texts
    assert [t.get_gid() for t in ax.texts if t.get_gid()] == ["redline:plan A:Bob"]
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks == ["plan A\n(rejected)", "plan B\n(acceptable to all)"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[-1] == "range over\ncompletions"  # only because a range was given
    render(ax.figure)


def test_shape_errors():
    with pytest.raises(NegotiationError, match="no proposals"):
        plot_scorecard([], ["A"], [], [0.0])
    with pytest.raises(NegotiationError, match="2 x 2"):
        plot_scorecard(["a", "b"], ["A", "B"], [[0.1, 0.2]], [0.0, 0.0])
