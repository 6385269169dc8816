"""Who gains what."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from plot_helpers import render

import negotiation as ng
from negotiation.engine.analysis import analyze
from negotiation.errors import NegotiationError
from negotiation.plots import plot_gains, plot_gains_from_analysis

matplotlib.use("Agg")


def test_bars_reservations_and_labels():
    u = {"nash": [0.6, 0.7], "utilitarian": [0.9, 0.5], "equilibrium": [0.3, 0.8]}
    ax = plot_gains(u, disagreement=[0.4, 0.45], parties=["Ann", "Bob"])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Nash", "Utilitarian", "Equilibrium"]
    gains = [p for p in ax.patches if (p.get_gid() or "").startswith("gain:")]
    losses = [p for p in ax.patches if (p.get_gid() or "").startswith("loss:")]
    assert len(gains) == 5 and len(losses) == 1  # Ann's equilibrium is below her reservation
    tops = sorted(p.get_y() + p.get_height() for p in gains)
    np.testing.assert_allclose(tops, sorted([0.6, 0.7, 0.9, 0.5, 0.8]))
    res = [line for line in ax.lines if line.get_gid() == "reservation"]
    assert len(res) == 6
    np.testing.assert_allclose(sorted({line.get_ydata()[0] for line in res}), [0.4, 0.45])
    values = [t.get_text() for t in ax.texts if t.get_gid() == "value"]
    assert "0.30\n\u22120.10" in values and "0.90\n+0.50" in values
    assert ax.get_ylabel() == "Utility"
    render(ax.figure)


def test_from_analysis_merges_identical_solutions():
    a = analyze(ng.load_scenario("ukraine_2025"))
    ax = plot_gains_from_analysis(a)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    distinct = {tuple(d.utilities) for d in a.solutions.values()}
    assert len(labels) == len(distinct) and "Utilitarian" in labels
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:4] == list(a.scenario.party_names)
    render(ax.figure)
    ax = plot_gains_from_analysis(a, merge_identical=False, show_values=False)
    assert len(ax.get_xticklabels()) == 5
    plt.close(ax.figure)


def test_no_solutions_is_an_error():
    with pytest.raises(NegotiationError, match="no solutions"):
        plot_gains({"nash": None})


def test_mixed_points_and_weighted_parties_share_no_scale():
    from negotiation.plots.gains import mixed_scales

    # a weighted party (0-1) beside a points party (0-90): the points bar is drawn divided by
    # its scale, the numbers stay in points, and the legend says so
    ax = plot_gains(
        {"nash": [0.7, 60.0], "utilitarian": [0.4, 90.0]},
        disagreement=[0.3, 40.0],
        parties=["Weighted", "Scored"],
        scales={"Scored": 90.0},
    )
    tops = {}
    for patch in ax.patches:
        gid = patch.get_gid() or ""
        if gid.startswith(("gain:", "base:")):
            name = gid.split(":", 1)[1]
            tops[name] = max(tops.get(name, 0.0), patch.get_y() + patch.get_height())
    assert tops["Scored"] == pytest.approx(1.0) and tops["Weighted"] == pytest.approx(0.7)
    texts = [t.get_text() for t in ax.texts if t.get_gid() == "value"]
    assert "90.00\n+50.00" in texts and "0.70\n+0.40" in texts
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Scored (÷ 90)" in labels
    assert "rescaled" in ax.get_ylabel()
    plt.close(ax.figure)
    # both parties of the textbook scenario are weighted (no `points` table in its TOML)
    assert mixed_scales(ng.load_scenario("textbook_two_party"), None) is None


#: P scores 10 or 25 on x plus 0 or 5 on y (reservation 10); Q is weighted. Every outcome is
#: feasible (P's four scores 10, 15, 25, 30 are all >= 10; Q's utilities >= 0), so P's best
#: feasible score is 25 + 5 = 30.
MIXED = """
name = "mixed"
[[issue]]
name = "x"
levels = ["a", "b"]
[[issue]]
name = "y"
levels = ["a", "b"]
[[party]]
name = "P"
reservation = 10
points = { x = { a = 10, b = 25 }, y = { a = 0, b = 5 } }
[[party]]
name = "Q"
weights = { x = 1, y = 1 }
values = { x = { a = 1, b = 0 }, y = { a = 0, b = 1 } }
"""


def test_mixed_scales_is_the_points_partys_best_feasible_score():
    from negotiation.plots.gains import mixed_scales

    s = ng.loads_scenario(MIXED)
    assert mixed_scales(s, {"P": 30.0, "Q": 1.0}) == {"P": 30.0}
    # no usable best score: the size of the reservation (at least 1) stands in for it
    assert mixed_scales(s, None) == {"P": 10.0}
    assert mixed_scales(s, {"P": 0.0}) == {"P": 10.0}
    a = analyze(s)
    assert a.best_feasible["P"] == 30.0  # the hand count above
    ax = plot_gains_from_analysis(a)
    assert "P (÷ 30)" in [t.get_text() for t in ax.get_legend().get_texts()]
    # P's bars are its scores over 30: the solutions give P 30 (Nash, utilitarian, ...) or 15
    # (egalitarian: Q's best outcome, x = a and y = b)
    tops = {p.get_y() + p.get_height() for p in ax.patches if (p.get_gid() or "") == "gain:P"}
    assert sorted(tops) == pytest.approx([15 / 30, 30 / 30])
    plt.close(ax.figure)
