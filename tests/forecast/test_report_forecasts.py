"""The report's Forecasts section and the forecast figure."""

from __future__ import annotations

import json

import matplotlib
import numpy as np
import pytest

from negotiation.errors import NegotiationError
from negotiation.forecast import FORECASTS
from negotiation.plots.forecast import plot_forecast_paths
from negotiation.report import build_report

matplotlib.use("Agg")


def test_report_has_a_forecasts_section(tmp_path):
    path = build_report(
        "textbook_two_party",
        tmp_path,
        formats=("png",),
        sensitivity=False,
        simulation=False,
        equilibria=False,
    )
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "## Forecasts" in md and "figures/forecasts.png" in md
    assert (tmp_path / "figures" / "forecasts.png").read_bytes().startswith(b"\x89PNG")
    data = json.loads((tmp_path / "analysis.json").read_text(encoding="utf-8"))
    assert set(data["forecasts"]) == set(FORECASTS)
    for entry in data["forecasts"].values():
        assert {"model", "issues", "deal", "utilities"} <= set(entry)
    assert path.name == "report.html"


def test_plot_shapes_and_errors():
    fig = plot_forecast_paths(
        {"eum": np.array([[10.0, 50.0], [20.0, 60.0]]), "median": [[15.0, 55.0]]},
        ["a", "b"],
        start=[[0.0, 100.0], [30.0, 40.0]],
        parties=["P", "Q"],
        levels=[[0, 50, 100], [0, 100]],
        level_names=[["lo", "mid", "hi"], ["no", "yes"]],
    )
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 2
    assert [t.get_text() for t in fig.axes[1].get_yticklabels()] == ["no", "yes"]
    with pytest.raises(NegotiationError, match="rounds x 2"):
        plot_forecast_paths({"eum": [[1.0]]}, ["a", "b"])
