"""Fixed party colours and solution styles."""

from __future__ import annotations

import re

from matplotlib.colors import to_rgb

from negotiation.plots.colors import (
    OKABE_ITO,
    PARTY_PALETTE,
    party_colors,
    pretty_level,
    solution_label,
    solution_linestyle,
    solution_marker,
)


def test_colours_fixed_by_party_order():
    names = ["Russia", "Ukraine", "United States", "European allies"]
    a = party_colors(names)
    assert list(a) == names
    assert a == party_colors(list(names))  # deterministic
    # the same party order gives the same colour whatever else is plotted
    assert party_colors(names[:2]) == {k: a[k] for k in names[:2]}
    # first eight colours are the Okabe-Ito palette, all distinct
    assert set(PARTY_PALETTE[:8]) == set(OKABE_ITO.values())
    many = party_colors([f"P{k}" for k in range(len(PARTY_PALETTE))])
    assert len(set(many.values())) == len(PARTY_PALETTE)
    for c in many.values():
        assert re.fullmatch(r"#[0-9A-F]{6}", c)
        to_rgb(c)


def test_yellow_is_not_among_the_first_parties():
    # yellow is hard to see on white: it comes after seven other colours
    assert "#F0E442" not in party_colors([f"P{k}" for k in range(7)]).values()


def test_solution_labels_markers_and_levels():
    assert solution_label("nash") == "Nash"
    assert solution_label("kalai_smorodinsky") == "Kalai–Smorodinsky"
    assert solution_label("my_rule") == "My rule"
    assert solution_marker("nash") == "*"
    assert solution_marker("equilibrium: rubinstein") == "X"
    assert solution_marker("other", 0) != solution_marker("other", 1)
    assert solution_linestyle("nash") == "-"
    assert pretty_level("all_for_all_including_children") == "all for all including children"
