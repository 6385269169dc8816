"""Markers, labels and axis notes of the solution figures (issue 18: figures)."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.text import Text

import negotiation as ng
from negotiation.dynamics.games.registry import MODELS, equilibria_summary
from negotiation.engine.analysis import analyze
from negotiation.engine.solutions import SOLUTIONS
from negotiation.plots import plot_parallel_from_analysis, plot_utility_space
from negotiation.plots.colors import (
    SOLUTION_LINESTYLES,
    SOLUTION_MARKERS,
    distinct_linestyles,
    distinct_markers,
    marker_key,
    pretty_level,
    solution_label,
)

matplotlib.use("Agg")


def _registry_names():
    return list(SOLUTIONS) + [marker_key(m) for m in MODELS] + ["simulated"]


def test_every_solution_and_model_of_the_registries_has_its_own_marker_and_style():
    names = _registry_names()
    assert all(n in SOLUTION_MARKERS for n in names), set(names) - set(SOLUTION_MARKERS)
    assert all(n in SOLUTION_LINESTYLES for n in names)
    assert len({SOLUTION_MARKERS[n] for n in names}) == len(names)
    assert len({str(SOLUTION_LINESTYLES[n]) for n in names}) == len(names)


@given(
    st.lists(
        st.sampled_from(_registry_names() + ["rubinstein (B first)", "x", "y"]),
        max_size=12,
        unique=True,
    )
)
@settings(max_examples=60, deadline=None)
def test_distinct_markers_never_repeat_within_a_figure(names):
    m = distinct_markers(names)
    ls = distinct_linestyles(names)
    assert list(m) == names
    assert len(set(m.values())) == len(names)
    assert len({str(v) for v in ls.values()}) == len(names)


def test_labels_as_written_and_proper_names_capitalised():
    assert solution_label("equilibrium: Rubinstein equilibrium (Employer first)") == (
        "Rubinstein equilibrium (Employer first)"
    )
    assert solution_label("equilibrium: baron_ferejohn") == "Baron–Ferejohn equilibrium"
    assert solution_label("kalai_smorodinsky") == "Kalai–Smorodinsky"
    assert pretty_level("returned_to_ukraine") == "returned to Ukraine"
    assert pretty_level("russia_keeps") == "Russia keeps"


def _equilibrium_markers(scenario):
    eq = equilibria_summary(scenario)
    out = {}
    for res in eq.values():
        if isinstance(res, dict) and isinstance(res.get("agreement"), dict):
            u = res["agreement"]["utilities"]
            out["equilibrium: " + res["label"]] = [u[p] for p in scenario.party_names]
    return out


def _boxes_overlap(a, b):
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def test_textbook_figure_distinct_markers_and_labels_that_do_not_collide():
    s = ng.load_scenario("textbook_two_party")
    a = analyze(s)
    sols = {**{k: v for k, v in a.solutions.items()}, **_equilibrium_markers(s)}
    levels = s.space.enumerate()
    U = s.utilities(levels)
    ax = plot_utility_space(
        a.frontier.utilities,
        outcomes=U,
        feasible=s.feasible_mask(levels, U),
        disagreement=s.reservations,
        solutions=sols,
        parties=list(s.party_names),
    )
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    points = [ln for ln in ax.lines if (ln.get_gid() or "").startswith("solution:")]
    markers = [ln.get_marker() for ln in points]
    assert len(set(markers)) == len(markers), markers
    eq = [ln for ln in points if "equilibrium" in ln.get_gid().lower()]
    assert len(eq) == 3  # Rubinstein either way round and Baron-Ferejohn: three markers
    labels = [t for t in ax.texts if t.get_gid() == "solution-label"]
    assert len(labels) == len(points)
    boxes = [Text.get_window_extent(t, renderer) for t in labels]  # the text, not its leader
    axbox = ax.get_window_extent(renderer)
    for i, b in enumerate(boxes):
        assert axbox.x0 <= b.x0 and b.x1 <= axbox.x1 and axbox.y0 <= b.y0 and b.y1 <= axbox.y1
        for c in boxes[i + 1 :]:
            assert not _boxes_overlap(b, c), (labels[i].get_text(), b, c)
    # every label is near its marker: within 100 points (a leader line joins the far ones)
    for t, b in zip(labels, boxes, strict=True):
        px, py = ax.transData.transform(t.xy)
        cx = min(max(px, b.x0), b.x1)
        cy = min(max(py, b.y0), b.y1)
        assert np.hypot(px - cx, py - cy) <= 100 * fig.dpi / 72, t.get_text()
    # the capitals are kept
    texts = " ".join(t.get_text() for t in labels)
    assert "Rubinstein equilibrium (Employer first)" in texts
    assert "Baron–Ferejohn" in texts
    plt.close(fig)


def test_parallel_coordinates_tell_the_equilibria_apart():
    s = ng.load_scenario("ukraine_2025")
    a = analyze(s)
    ax = plot_parallel_from_analysis(a, extra_solutions=_equilibrium_markers(s))
    lines = [ln for ln in ax.lines if (ln.get_gid() or "").startswith("solution:")]
    styles = [
        (
            ln.get_marker(),
            str(ln.get_linestyle()),
            str(ln.get_dashes() if hasattr(ln, "get_dashes") else ln._dash_pattern),
        )
        for ln in lines
    ]
    assert len({m for m, _, _ in styles}) == len(lines)
    assert len({(ln._unscaled_dash_pattern) for ln in lines}) == len(lines)
    plt.close(ax.figure)


def test_axis_notes_say_why_utilities_pass_1_and_name_points_scales():
    ax = plot_utility_space(
        [[0.2, 40.0], [1.1, 10.0]],
        parties=["Ann", "Bob"],
        axis_notes={"Ann": "above 1: bonuses", "Bob": "points"},
    )
    assert ax.get_xlabel() == "Utility of Ann (above 1: bonuses)"
    assert ax.get_ylabel() == "Utility of Bob (points)"
    plt.close(ax.figure)
