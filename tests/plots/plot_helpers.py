"""Helpers shared by the figure tests (importable because ``conftest.py`` puts this folder on
sys.path)."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import matplotlib.pyplot as plt

import negotiation as ng
from negotiation.engine.analysis import analyze


def render(fig) -> None:
    """Save ``fig`` as PNG and SVG (both must be well formed), then close it."""
    png, svg = io.BytesIO(), io.BytesIO()
    fig.savefig(png, format="png", dpi=150)
    fig.savefig(svg, format="svg")
    plt.close(fig)
    assert png.getvalue().startswith(b"\x89PNG\r\n\x1a\n")
    assert ET.fromstring(svg.getvalue()).tag.endswith("svg")


def gid(artists, name):
    """The artists with the gid ``name`` (a trailing ``*``: whose gid starts with the rest)."""
    if name.endswith("*"):
        return [a for a in artists if (a.get_gid() or "").startswith(name[:-1])]
    return [a for a in artists if a.get_gid() == name]


def analysed_outcomes(scenario: str):
    """``(analysis, utilities of every outcome, feasible mask)`` of a bundled scenario."""
    s = ng.load_scenario(scenario)
    a = analyze(s)
    levels = s.space.enumerate()
    U = s.utilities(levels)
    return a, U, s.feasible_mask(levels, U)
