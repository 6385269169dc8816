"""Sensitivity figures: line plots, tornado chart, level frequencies."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from plot_helpers import render

from negotiation.errors import NegotiationError
from negotiation.plots import input_label, plot_level_frequencies, plot_sensitivity, plot_tornado
from negotiation.plots.colors import party_colors

matplotlib.use("Agg")


def sweep_table(n: int = 9) -> pd.DataFrame:
    x = np.linspace(0.2, 0.6, n)
    deal = np.where(x < 0.35, "low", np.where(x < 0.5, "mid", "high"))
    return pd.DataFrame(
        {
            "A/reservation": x,
            "valid": True,
            "agreement": x < 0.58,
            "nash.deal.price": np.where(x < 0.58, deal, None),
            "nash.deal.date": np.where(x < 0.58, "soon", None),
            "nash.u.A": np.where(x < 0.58, 0.5 + x / 2, np.nan),
            "nash.u.B": np.where(x < 0.58, 0.9 - x / 2, np.nan),
        }
    )


def test_input_labels():
    assert input_label("Ukraine/discount") == "Ukraine: discount factor"
    assert input_label("Ukraine/red_line/0") == "Ukraine: red line 0 (on/off)"
    assert input_label("oddly named") == "oddly named"


def test_line_plot_marks_deal_changes_and_gaps():
    df = sweep_table()
    ax = plot_sensitivity(
        df,
        "A/reservation",
        colors=party_colors(["A", "B"]),
        reservations={"A": 0.3, "B": 0.4},
        issues={"price": "Price"},
    )
    lines = {
        line.get_gid(): line for line in ax.lines if (line.get_gid() or "").startswith("party:")
    }
    assert set(lines) == {"party:A", "party:B"}
    assert len(lines["party:A"].get_xdata()) == len(df)
    assert lines["party:A"].get_color().upper() == party_colors(["A", "B"])["A"]
    changes = [line for line in ax.lines if line.get_gid() == "deal-change"]
    assert len(changes) == 2  # low -> mid -> high; the no-agreement end is a gap, not a change
    (listing,) = [t for t in ax.texts if t.get_gid() == "deal-changes"]
    assert "Price: low \u2192 mid" in listing.get_text()
    assert [p for p in ax.patches if p.get_gid() == "no-agreement"]
    assert ax.get_xlabel() == "A: reservation value"
    assert "Nash" in ax.get_ylabel()
    # the swept party's own reservation is the diagonal
    (diag,) = [
        line
        for line in ax.lines
        if line.get_gid() == "reservation" and len(line.get_xdata()) == len(df)
    ]
    np.testing.assert_allclose(diag.get_ydata(), diag.get_xdata())
    render(ax.figure)


def test_line_plot_with_repeated_inputs_draws_a_band():
    df = pd.concat(
        [sweep_table(), sweep_table().assign(**{"nash.u.A": lambda d: d["nash.u.A"] + 0.05})]
    )
    ax = plot_sensitivity(df, "A/reservation", parties=["B", "A"], colors=party_colors(["A", "B"]))
    assert ax.collections  # min-max bands
    assert not [line for line in ax.lines if line.get_gid() == "deal-change"]
    plt.close(ax.figure)
    with pytest.raises(NegotiationError, match="no column"):
        plot_sensitivity(df, "B/power")
    plt.close("all")


def test_tornado_sorted_bars_and_ends():
    t = pd.DataFrame(
        {
            "input": ["A/reservation", "B/weights/price", "B/power"],
            "low": [0.2, 1.0, 0.5],
            "high": [0.4, 3.0, 2.0],
            "u_low": [0.50, 0.58, 0.6],
            "u_high": [0.72, np.nan, 0.6],
            "u_base": [0.6] * 3,
            "party": ["A"] * 3,
            "swing": [0.22, np.nan, 0.0],
            "deal_changes": [True, False, False],
        }
    )
    ax = plot_tornado(t, solution="nash", issues={"price": "Price"})
    labels = [x.get_text() for x in ax.get_yticklabels()]
    assert labels == ["A: reservation value *", "B: weight of Price", "B: bargaining power"]
    bars = {p.get_gid(): p for p in ax.patches if p.get_gid()}
    assert bars["low:A/reservation"].get_width() == pytest.approx(-0.10)
    assert bars["high:A/reservation"].get_width() == pytest.approx(0.12)
    assert "high:B/weights/price" not in bars  # no agreement at that end
    gids = {x.get_gid() for x in ax.texts}
    assert "none:B/weights/price" in gids and "flat:B/power" in gids
    assert ax.get_xlabel() == "Utility of A under the Nash solution"
    render(ax.figure)


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


def test_real_sweep_results_plot():
    import negotiation as ng
    from negotiation.studies import sweep as sw

    s = ng.load_scenario("textbook_two_party")
    res = sw.run_sweep(
        s,
        sw.grid_samples(s, {"Employer/reservation": [0.3, 0.45, 0.6, 0.75]}),
        workers=1,
        progress=False,
        solutions=["nash"],
        baseline=None,
    )
    ax = plot_sensitivity(res, "Employer/reservation", colors=party_colors(s.party_names))
    assert {line.get_gid() for line in ax.lines if (line.get_gid() or "").startswith("party:")} == {
        "party:Candidate",
        "party:Employer",
    }
    plt.close(ax.figure)
    tor = sw.tornado(
        s,
        {"Employer/reservation": (0.4, 0.6), "Candidate/reservation": (0.3, 0.4)},
        solution="nash",
    )
    ax = plot_tornado(tor, solution="nash")
    assert len(ax.get_yticklabels()) == 2
    plt.close(ax.figure)


def test_tornado_end_at_base_has_no_empty_bar_and_says_no_change():
    t = pd.DataFrame(
        {
            "input": ["A/reservation", "B/power"],
            "low": [0.6, 0.5],
            "high": [0.7, 2.0],
            "u_low": [0.5, 0.58],
            "u_high": [0.6, 0.62],  # the high end of A leaves the output at its base
            "u_base": [0.6, 0.6],
        }
    )
    ax = plot_tornado(t)
    bars = {p.get_gid(): p for p in ax.patches}
    assert "high:A/reservation" not in bars and "low:A/reservation" in bars
    assert all(abs(p.get_width()) > 0 for p in bars.values())
    (same,) = [x for x in ax.texts if x.get_gid() == "same:A/reservation"]
    assert same.get_text() == "0.7: no change"
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
