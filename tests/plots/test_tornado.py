"""The tornado chart (:mod:`negotiation.plots.tornado`)."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from plot_helpers import render

from negotiation.plots.tornado import plot_tornado

matplotlib.use("Agg")


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
