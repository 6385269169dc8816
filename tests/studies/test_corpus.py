"""The corpus study (negotiation.studies.corpus): one row per GENIUS domain.

Expected values are derived independently of the engine: the outcome space of each fixture
domain is enumerated here, the feasible set and its Pareto-feasible points found by plain
pairwise dominance, and the Nash point by maximising the Nash product over them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from negotiation.io.genius import load_genius
from negotiation.studies.corpus import COLUMNS, SOLUTION_NAMES, analyse_domain, summarize

FIX = Path(__file__).parents[1] / "formats" / "fixtures"


def _brute_force(scenario):
    """(Pareto-feasible utility vectors, Nash utility vector) by plain enumeration."""
    levels = scenario.space.enumerate()
    U = scenario.utilities(levels)
    U = U[scenario.feasible_mask(levels, U)]
    keep = [i for i, u in enumerate(U) if not any(np.all(v >= u) and np.any(v > u) for v in U)]
    front = U[keep]
    gains = np.prod(front - scenario.reservations, axis=1)
    return front, front[int(np.argmax(gains))]


@pytest.mark.parametrize(
    "domain",
    ["discrete/holiday_domain.xml", "integer/supply_domain.xml", "three_party/Triad.xml"],
)
def test_row_counts_and_nash_match_brute_force(domain):
    row = analyse_domain(FIX / domain, FIX)
    scenario = load_genius(FIX / domain)
    front, nash_u = _brute_force(scenario)
    assert list(row) == list(COLUMNS)
    assert row["path"] == domain and row["status"] == "analysed"
    assert row["outcomes"] == scenario.space.cardinality
    assert row["n_pareto"] == len(front)  # outcomes, ties included
    got = np.array([float(x) for x in row["nash"].split(";")])
    np.testing.assert_allclose(got, nash_u, rtol=1e-9, atol=1e-9)  # 10 significant digits
    assert all(row[name] for name in SOLUTION_NAMES if name != "asymmetric_nash")


def test_bad_domains_are_rows_with_the_reason_not_exceptions():
    row = analyse_domain(FIX / "malformed" / "holiday_domain.xml", FIX)
    assert row["status"] == "load error" and row["reason"]
    assert str(FIX) not in row["reason"]  # paths in the row are relative to the corpus folder


def test_quick_mode_skips_large_domains_with_the_reason():
    row = analyse_domain(FIX / "integer" / "supply_domain.xml", FIX, max_outcomes=10)
    assert row["status"] == "skipped"
    assert row["reason"] == "quick mode: more than 10 outcomes"
    assert row["n_pareto"] == ""  # not analysed


def test_summary_counts_each_status():
    rows = [
        dict.fromkeys(COLUMNS, "") | {"path": "a.xml", "status": "analysed"},
        dict.fromkeys(COLUMNS, "") | {"path": "b.xml", "status": "skipped", "reason": "big"},
        dict.fromkeys(COLUMNS, "") | {"path": "c.xml", "status": "load error", "reason": "bad"},
    ]
    text = summarize(rows)
    first = text.splitlines()[0]
    assert first == "3 domains: 2 loaded, 1 analysed exactly, 1 skipped, 1 not loaded, 0 errors"
    assert "  skipped: b.xml: big" in text and "  load error: c.xml: bad" in text


def test_old_cli_path_forwards_the_study():
    import negotiation.cli.corpus as face
    import negotiation.studies.corpus as study

    assert face.run_corpus is study.run_corpus and face.COLUMNS is study.COLUMNS
    with pytest.raises(AttributeError):
        face.no_such_name  # noqa: B018
