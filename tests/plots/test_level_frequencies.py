"""Level frequencies (:mod:`negotiation.plots.level_frequencies`)."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from plot_helpers import render

from negotiation.plots.level_frequencies import plot_level_frequencies

matplotlib.use("Agg")


def test_level_frequencies_stack_to_one():
    t = pd.DataFrame(
        {
            "issue": ["x", "x", "x", "y"],
            "level": ["b", "a", "c_level", "only"],
            "probability": [0.5, 0.45, 0.05, 1.0],
        }
    )
    ax = plot_level_frequencies(
        t, issues={"y": "Why", "x": "Ex"}, levels={"x": ["a", "b", "c_level"]}
    )
    assert [x.get_text() for x in ax.get_yticklabels()] == ["Why", "Ex"]
    seg = {p.get_gid(): p for p in ax.patches}
    assert set(seg) == {"x=a", "x=b", "x=c_level", "y=only"}
    assert seg["x=a"].get_x() == 0 and seg["x=b"].get_x() == pytest.approx(0.45)  # level order
    assert seg["x=c_level"].get_x() + seg["x=c_level"].get_width() == pytest.approx(1.0)
    texts = " ".join(x.get_text() for x in ax.texts)
    assert "also: c level 5%" in texts  # too narrow to label inside
    render(ax.figure)
    counts = pd.DataFrame({"issue": ["x", "x"], "level": ["a", "b"], "count": [3, 1]})
    ax = plot_level_frequencies(counts)
    assert {p.get_gid(): round(p.get_width(), 2) for p in ax.patches} == {"x=a": 0.75, "x=b": 0.25}
    plt.close(ax.figure)


def test_level_colour_follows_the_level_not_its_position_and_notes_stay_inside():
    t = pd.DataFrame(
        {
            "issue": ["x", "x", "y", "y", "y"],
            "level": ["freeze", "withdraw", "withdraw", "freeze", "rare_with_a_long_name"],
            "probability": [0.6, 0.4, 0.5, 0.47, 0.03],
        }
    )
    ax = plot_level_frequencies(
        t,
        levels={"x": ["freeze", "withdraw"], "y": ["rare_with_a_long_name", "withdraw", "freeze"]},
    )
    color = {p.get_gid(): p.get_facecolor() for p in ax.patches}
    assert color["x=freeze"] == color["y=freeze"]
    assert color["x=withdraw"] == color["y=withdraw"]
    assert color["x=freeze"] != color["x=withdraw"]
    fig = ax.figure
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    (note,) = [x for x in ax.texts if x.get_gid() == "also"]
    assert "rare with a long name 3%" in note.get_text().replace("\n", " ")
    box, figbox = note.get_window_extent(r), fig.bbox
    assert figbox.x0 <= box.x0 and box.x1 <= figbox.x1, (box, figbox)
    plt.close(fig)
