"""The diagnosis of an empty zone: conflicting sets minimal and complete (brute force)."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import scenarios

import negotiation as ng
from negotiation.engine.diagnosis import _diagnose_large, demands, diagnose, diagnosis_text
from negotiation.model.issues import Issue
from negotiation.model.party import Party
from negotiation.model.scenario import Scenario, reservation_tolerance


def _satisfied(s: Scenario, subset: set[int]) -> np.ndarray:
    """Brute force: which outcomes satisfy every demand in ``subset``."""
    ds = demands(s)
    levels = s.space.enumerate()
    u = s.utilities(levels)
    ok = np.ones(levels.shape[0], dtype=bool)
    for b in subset:
        d = ds[b]
        if d.kind == "constraint":
            ok &= ~s.constraint_clauses[d.index].match(levels, s.space.sizes)
        elif d.kind == "red_line":
            p = s.party_names.index(d.party)
            ok &= ~s.red_line_clauses[p][d.index].match(levels, s.space.sizes)
        else:
            p = s.party_names.index(d.party)
            r = s.reservations[p]
            ok &= u[:, p] >= r - reservation_tolerance(r)
    return ok


@st.composite
def often_empty(draw):
    """Random scenarios whose reservations are raised towards each party's best allowed
    utility, so that the zone of agreement is often empty (and the demands few)."""
    s = draw(scenarios(max_issues=3, max_levels=3, max_parties=3))
    levels = s.space.enumerate()
    u = s.utilities(levels)
    ok = s.space.allowed_mask(levels)
    red = s.red_line_mask(levels)
    for p, party in enumerate(s.parties):
        best = u[ok & ~red[:, p], p].max()
        lo = min(float(party.reservation), float(best))
        frac = draw(st.sampled_from([0.0, 0.5, 0.8, 0.95, 1.0]))
        s = s.with_party(party.name, reservation=lo + frac * (float(best) - lo))
    return s


@settings(max_examples=60)
@given(often_empty())
def test_conflicting_sets_are_exactly_the_minimal_infeasible_subsets(s):
    empty = not s.feasible_mask(s.space.enumerate()).any()
    d = diagnose(s)
    assert d["empty"] == empty
    ds = demands(s)
    n = len(ds)
    if not empty or n > 10:
        return
    brute = set()
    for k in range(1, n + 1):
        for combo in itertools.combinations(range(n), k):
            c = set(combo)
            if any(b <= c for b in brute):
                continue
            if not _satisfied(s, c).any():
                brute.add(frozenset(c))
    # compared as texts: duplicate demands (two equal constraints) share a text, and each
    # conflicting set is one of the minimal sets up to such duplicates
    got = sorted(tuple(sorted(x["text"] for x in cs)) for cs in d["conflicting_sets"])
    assert set(got) == {tuple(sorted(ds[b].text for b in c)) for c in brute}
    assert len(got) == len(brute)
    assert d["complete"]
    # fewest violations: brute force
    levels = s.space.enumerate()
    viol = np.zeros(levels.shape[0], dtype=int)
    for b in range(n):
        viol += ~_satisfied(s, {b})
    assert d["fewest_violations"]["count"] == viol.min()
    assert d["fewest_violations"]["n_deals"] == int((viol == viol.min()).sum())
    assert diagnosis_text(d).startswith("Why no deal")


def _clash() -> Scenario:
    issues = (Issue("land", ("keep", "split", "give")), Issue("money", ("lo", "hi")))
    return Scenario(
        "clash",
        issues,
        (
            Party("A", {"land": 1, "money": 1}, red_lines=({"land": ("keep", "split")},)),
            Party(
                "B",
                {"land": 1, "money": 1},
                {"land": {"keep": 1.0, "split": 0.5, "give": 0.0}, "money": {"lo": 1.0, "hi": 0.0}},
                red_lines=({"land": ("give",)},),
                reservation=0.2,
            ),
        ),
    )


def test_two_red_lines_clash_and_the_search_filter_finds_them():
    s = _clash()
    d = diagnose(s)
    assert [sorted(x["text"] for x in cs) for cs in d["conflicting_sets"]] == [
        sorted(["A's red line on land in {keep, split}", "B's red line on land = give"])
    ]
    large = _diagnose_large(s, demands(s))
    assert {x["text"] for x in large["conflicting_sets"][0]} == {
        x["text"] for x in d["conflicting_sets"][0]
    }
    # price of B's line: the best deal across it (land=give) gives B 0.5 (money lo) >= 0.2
    prices = {p["party"]: p for p in d["red_line_prices"]}
    assert prices["B"]["best_utility_across"] == 0.5
    assert abs(prices["B"]["surplus"] - 0.3) < 1e-12


def test_analyze_shows_the_diagnosis_in_text_and_json():
    a = ng.analyze(_clash())
    assert a.is_empty
    assert "Why no deal" in a.summary()
    assert a.to_dict()["diagnosis"]["conflicting_sets"]
    assert "diagnosis" not in ng.analyze("textbook_two_party").to_json()
