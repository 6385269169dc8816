"""The corpus's negmas cross-check (negotiation.studies.negmas_check)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from negotiation.io.genius import load_genius
from negotiation.studies.negmas_check import _affine_residual, format_utilities, negmas_check

FIX = Path(__file__).parents[1] / "formats" / "fixtures"
finite = st.floats(-10, 10, allow_nan=False)
#: Distinct points on a 0.01 grid in [-10, 10]: their images under a x + b (a >= 0.1) stay
#: distinct in floating point, so "decreasing" is a property of the data, not of rounding.
points = st.lists(st.integers(-1000, 1000), min_size=3, max_size=30, unique=True).map(
    lambda k: [v / 100 for v in k]
)


@given(points, st.floats(0.1, 10), finite)
def test_an_increasing_affine_image_has_no_residual(x, a, b):
    x = np.array(x)
    assert _affine_residual(x, a * x + b) < 1e-9


@given(points, st.floats(0.1, 10), finite)
def test_a_decreasing_image_is_never_affine_agreement(x, a, b):
    x = np.array(x)
    assert _affine_residual(x, -a * x + b) == np.inf


def test_utilities_are_written_with_ten_significant_digits():
    assert format_utilities(np.array([2 / 3, 1.0, 0.0])) == "0.6666666667;1;0"


def test_without_negmas_the_note_says_so(monkeypatch):
    monkeypatch.setitem(sys.modules, "negmas", None)  # import negmas -> ImportError
    out = negmas_check(FIX / "discrete" / "holiday_domain.xml", None, None)
    assert out == {
        "negmas_reader": "",
        "negmas_frontier": "",
        "negmas_nash": "",
        "negmas_note": "negmas not importable",
    }


def test_agrees_with_negmas_on_a_fixture_domain():
    pytest.importorskip("negmas")
    from negotiation.engine.analysis import analyze

    domain = FIX / "discrete" / "holiday_domain.xml"
    scenario = load_genius(domain)
    out = negmas_check(domain, scenario, analyze(scenario, lotteries=False, continuous=False))
    # negmas keeps the raw discrete evaluations GENIUS divides by the largest: a
    # different but explained reading; on our utilities its frontier and Nash point agree.
    assert out["negmas_reader"] == "negmas conventions"
    assert (out["negmas_frontier"], out["negmas_nash"]) == ("agree", "agree")


def test_continuous_domains_are_not_cross_checked():
    pytest.importorskip("negmas")
    scenario = load_genius(FIX / "real" / "share_domain.xml")
    out = negmas_check(FIX / "real" / "share_domain.xml", scenario, None)
    assert out["negmas_note"] == "continuous issues: not cross-checked"
