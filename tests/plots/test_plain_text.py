"""Labels are drawn as plain text in every figure (issue 12, item 9): a label such as
``"Cost in $US and $\\nope$"`` is never parsed as TeX, so it neither crashes a figure nor loses
its dollar signs."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import cbook
from matplotlib.text import Text

import negotiation as ng
from negotiation.engine.analysis import analyze
from negotiation.plots import (
    plot_deal_table_from_analysis,
    plot_gains_from_analysis,
    plot_level_frequencies,
    plot_pairwise_from_analysis,
    plot_parallel_from_analysis,
    plot_sensitivity,
    plot_tornado,
    plot_utility_space_from_analysis,
)
from negotiation.plots.colors import plain

matplotlib.use("Agg")

BAD = "Cost in $US and $\\nope$"

SCENARIO = f"""
name = "dollars"
[[issue]]
name = "cost"
label = '{BAD}'
levels = ["low", "mid", "high"]
[[issue]]
name = "speed"
label = "Speed $x$"
levels = ["slow", "fast"]
[[party]]
name = "Buyer $1"
reservation = 0.1
weights = {{ cost = 2, speed = 1 }}
[party.values]
cost = {{ low = 1.0, mid = 0.5, high = 0.0 }}
[[party]]
name = "Seller $2$"
reservation = 0.1
weights = {{ cost = 1, speed = 1 }}
[party.values]
cost = {{ low = 0.0, mid = 0.6, high = 1.0 }}
speed = {{ slow = 1.0, fast = 0.0 }}
[[party]]
name = "Observer $$"
weights = {{ speed = 1 }}
[party.values]
speed = {{ slow = 0.3, fast = 1.0 }}
"""


def _check_plain(fig) -> list[str]:
    """Draw ``fig`` (a broken TeX label raises here) and return every text with a dollar."""
    fig.canvas.draw()
    seen = []
    for t in fig.findobj(Text):
        s = t.get_text()
        if "$" in s:
            assert not (t.get_parse_math() and cbook.is_math_text(s)), f"parsed as TeX: {s!r}"
            seen.append(s)
    plt.close(fig)
    return seen


def _scenario(tmp_path, parties=3):
    path = tmp_path / "dollars.toml"
    text = SCENARIO if parties == 3 else SCENARIO.split('[[party]]\nname = "Observer')[0]
    path.write_text(text, encoding="utf-8")
    return ng.load_scenario(path)


def test_plain_escapes_every_dollar_once():
    assert plain(BAD) == BAD.replace("$", "\\$")
    assert plain(plain(BAD)) == plain(BAD)
    assert not cbook.is_math_text(plain(BAD))


def test_every_analysis_figure_draws_dollar_labels_as_text(tmp_path):
    for n in (2, 3):
        a = analyze(_scenario(tmp_path, n))
        figs = [
            plot_deal_table_from_analysis(a),
            plot_gains_from_analysis(a).figure,
        ]
        if n == 2:
            figs.append(plot_utility_space_from_analysis(a, title=BAD).figure)
        else:
            figs.append(plot_pairwise_from_analysis(a))
            figs.append(plot_parallel_from_analysis(a).figure)
        for fig in figs:
            fig = fig if hasattr(fig, "canvas") else fig.figure
            seen = _check_plain(fig)
            assert any("Buyer" in s for s in seen), "the party name with its dollar is shown"


def test_sweep_figures_draw_dollar_labels_as_text():
    issues = {"cost": BAD}
    t = pd.DataFrame(
        {
            "input": ["Buyer $1/weights/cost", "Seller $2$/reservation"],
            "low": [0.2, 0.5],
            "high": [0.4, 2.0],
            "u_low": [0.5, 0.58],
            "u_high": [0.7, 0.62],
            "u_base": [0.6, 0.6],
            "party": ["Buyer $1", "Buyer $1"],
        }
    )
    seen = _check_plain(plot_tornado(t, issues=issues, title=BAD).figure)
    assert any("Cost in" in s for s in seen)
    lf = pd.DataFrame(
        {"issue": ["cost", "cost"], "level": ["low_$", "mid"], "probability": [0.95, 0.05]}
    )
    seen = _check_plain(plot_level_frequencies(lf, issues=issues, title=BAD).figure)
    assert any("Cost in" in s for s in seen)
    x = np.linspace(0.2, 0.6, 5)
    df = pd.DataFrame(
        {
            "Buyer $1/reservation": x,
            "valid": True,
            "agreement": True,
            "nash.deal.cost": ["low_$"] * 2 + ["mid"] * 3,
            "nash.u.Buyer $1": 0.5 + x / 2,
            "nash.u.Seller $2$": 0.9 - x / 2,
        }
    )
    ax = plot_sensitivity(df, "Buyer $1/reservation", issues=issues, title=BAD)
    assert any("Buyer" in s for s in _check_plain(ax.figure))


def test_report_renders_every_figure_with_dollar_labels(tmp_path):
    from negotiation.report import build_report

    for n in (2, 3):
        out = tmp_path / f"r{n}"
        build_report(_scenario(tmp_path, n), out, formats=("png",))
        figures = sorted(p.stem for p in (out / "figures").glob("*.png"))
        assert "deal_table" in figures and "gains" in figures, figures
        md = (out / "report.md").read_text(encoding="utf-8")
        assert "could not be drawn" not in md
