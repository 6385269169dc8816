"""The deal table figure."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from plot_helpers import render

import negotiation as ng
from negotiation.engine.analysis import analyze
from negotiation.errors import NegotiationError
from negotiation.plots import plot_deal_table, plot_deal_table_from_analysis
from negotiation.plots.deal_table import level_goodness

matplotlib.use("Agg")


def texts(fig, gid):
    """Texts of the table with the given gid, line breaks (wrapping) undone."""
    return [t.get_text().replace("\n", " ") for t in fig.axes[0].texts if t.get_gid() == gid]


def test_goodness_is_relative_to_worst_and_best_level():
    t = np.array([[0.0, 0.2, 1.0], [0.5, 0.2, 3.0], [1.0, 0.2, 2.0]])
    (g,) = level_goodness([t])
    np.testing.assert_allclose(g[:, 0], [0.0, 0.5, 1.0])
    assert np.isnan(g[:, 1]).all()  # indifferent: no bar
    np.testing.assert_allclose(g[:, 2], [0.0, 1.0, 0.5])


def test_solutions_table_of_the_textbook():
    s = ng.load_scenario("textbook_two_party")
    a = analyze(s)
    fig = plot_deal_table_from_analysis(a, title="Deals")
    # Nash = asymmetric Nash = Kalai-Smorodinsky share a row: 3 distinct deals x 3 issues
    assert len(texts(fig, "cell")) == 9
    assert texts(fig, "issue") == [i.display for i in s.issues] + ["Utility"]
    rows = texts(fig, "deal")
    assert any("Nash" in r and "Kalai" in r for r in rows) and "Utilitarian" in rows
    assert "two days" in texts(fig, "cell")  # underscores become spaces
    bars = [p for p in fig.axes[0].patches if (p.get_gid() or "").startswith("bar:")]
    assert len(bars) == 9 * 2  # every cell: one bar per party (both parties care about every issue)
    assert {b.get_gid() for b in bars} == {"bar:Candidate", "bar:Employer"}
    # the issues on which the deals differ are bold, the others not
    weights = {
        t.get_text().replace("\n", " "): t.get_fontweight()
        for t in fig.axes[0].texts
        if t.get_gid() == "cell"
    }
    assert weights["60k"] == "normal" and weights["four days"] == "bold"
    assert len(texts(fig, "utility")) == 3 * 2
    render(fig)


def test_frontier_rows_orientation_and_party_shading():
    s = ng.load_scenario("ukraine_2025")
    a = analyze(s, lotteries=False)
    fig = plot_deal_table_from_analysis(
        a, rows="frontier", color_by="Ukraine", issues_as="rows", max_rows=6
    )
    assert len(texts(fig, "cell")) == 6 * len(s.issues)
    assert texts(fig, "issue")[: len(s.issues)] == [i.display for i in s.issues]
    assert len(fig.axes) == 2  # the table and the colour bar
    render(fig)
    fig = plot_deal_table_from_analysis(a)  # auto: issues as rows, one column per distinct deal
    distinct = {tuple(d.terms.values()) for d in a.solutions.values()}
    assert len(texts(fig, "deal")) == len(distinct)
    render(fig)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"levels": [[0, 5]]}, "out of range"),
        ({"levels": [[0, 1]], "issues": ["A"]}, "issue labels"),
        ({"levels": [[0, 1]], "color_by": "Zed"}, "color_by"),
        ({"levels": [[0, 1]], "issues_as": "diagonal"}, "issues_as"),
        ({"levels": [[0.5, 1]]}, "integer"),
    ],
)
def test_bad_input(kwargs, match):
    base = {
        "issues": ["A", "B"],
        "level_names": [["a", "b"], ["c", "d"]],
        "scores": [np.eye(2), np.eye(2)],
        "parties": ["P", "Q"],
    }
    base.update(kwargs)
    levels = base.pop("levels")
    with pytest.raises(NegotiationError, match=match):
        plot_deal_table(levels, **base)
    plt.close("all")


def test_units_of_continuous_issues_are_shown():
    s = ng.loads_scenario(
        """
name = "pie"
[[issue]]
name = "share"
range = [0.0, 100.0]
unit = "%"
[[issue]]
name = "fund"
range = [0.0, 10.0]
unit = "bn EUR"
[[party]]
name = "A"
weights = { share = 1, fund = 1 }
[[party]]
name = "B"
weights = { share = 1, fund = 1 }
[party.values]
share = [[0, 1.0], [100, 0.0]]
"""
    )
    fig = plot_deal_table_from_analysis(analyze(s, resolution=5))
    texts = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
    assert any(t.endswith("%") and t[:-1].replace(".", "").isdigit() for t in texts), texts
    assert any(t.endswith(" bn EUR") for t in texts), texts
    plt.close(fig)
