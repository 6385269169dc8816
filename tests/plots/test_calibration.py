"""Calibration intervals (:mod:`negotiation.plots.calibration`)."""

from __future__ import annotations

from types import SimpleNamespace

import matplotlib
import numpy as np
import pytest
from plot_helpers import render

from negotiation.errors import NegotiationError
from negotiation.plots.calibration import plot_intervals

matplotlib.use("Agg")


def _calibration(bounds):
    return SimpleNamespace(
        names=["A/reservation", "A/weights/x", "B/reservation"],
        prior_bounds=np.array([[0.0, 1.0], [0.0, 1.0], [0.0, 1.0]]),
        bounds=bounds,
        shipped=np.array([0.3, 0.5, 0.2]),
        scenario=SimpleNamespace(name="toy"),
        evidence=[object()],
    )


def test_only_narrowed_parameters_are_drawn():
    # A's reservation narrowed to [0.2, 0.4]; its weight moved by 0.005 (< 0.01: unchanged)
    cal = _calibration(np.array([[0.2, 0.4], [0.005, 1.0], [0.0, 1.0]]))
    ax = plot_intervals(cal)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A: reservation"]
    ax = plot_intervals(cal, changed_only=False, parties=["A"])
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert sorted(labels) == ["A: reservation", "A: weight of x"]
    render(ax.figure)


def test_an_infeasible_calibration_is_a_clear_error():
    with pytest.raises(NegotiationError, match="infeasible"):
        plot_intervals(_calibration(None))
