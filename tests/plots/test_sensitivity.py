"""Sensitivity line plots (:mod:`negotiation.plots.sensitivity`)."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from plot_helpers import render

from negotiation.errors import NegotiationError
from negotiation.plots import plot_sensitivity, plot_tornado
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
