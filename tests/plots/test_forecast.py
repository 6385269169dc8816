"""Forecast paths (:mod:`negotiation.plots.forecast`)."""

from __future__ import annotations

import matplotlib
import numpy as np
from plot_helpers import render

from negotiation.plots.forecast import MODEL_STYLES, plot_forecast_paths

matplotlib.use("Agg")


def test_dynamic_models_are_paths_static_ones_levels_and_starts_ticks():
    eum = np.array([[10.0, 50.0], [20.0, 60.0], [30.0, 65.0]])
    fig = plot_forecast_paths(
        {"eum": eum, "compromise": [[15.0, 55.0]]},
        ["a", "b"],
        start=[[0.0, 100.0], [30.0, 40.0]],
        parties=["P", "Q"],
        issue_labels=["Issue A", "Issue B"],
        columns=3,
    )
    a, b = fig.axes[:2]
    assert [ax.get_title() for ax in (a, b)] == ["Issue A", "Issue B"]
    # EUM: one line through its three rounds; compromise: a horizontal line at its position
    (path,) = [ln for ln in b.lines if len(ln.get_xdata()) == 3]
    assert list(path.get_ydata()) == [50.0, 60.0, 65.0]
    assert any(list(ln.get_ydata()) == [55.0, 55.0] for ln in b.lines)
    # the starts: one tick per actor left of round 0, at its position
    starts = sorted(float(ln.get_ydata()[0]) for ln in b.lines if ln.get_marker() == ">")
    assert starts == [40.0, 100.0]
    assert all(float(ln.get_xdata()[0]) < 0 for ln in b.lines if ln.get_marker() == ">")
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == [
        MODEL_STYLES["eum"][3],
        MODEL_STYLES["compromise"][3],
        "P (start)",
        "Q (start)",
    ]
    assert b.get_xlabel() == "round" and a.get_ylabel() == "position (0-100)"
    render(fig)
