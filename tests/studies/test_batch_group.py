"""Grouping sweep samples (batch._group): the shared-layout parse equals the path-by-path one."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import negotiation as ng
from negotiation.studies import batch, batch_groups, candidates
from negotiation.studies.numbers import Numbers, _columns
from negotiation.studies.sweep import monte_carlo_samples

S = ng.load_scenario("ukraine_2025_hardline")
PLAN = candidates.make_plan(S, ("nash",), None, "auto", None)
PARTY = S.parties[0]
PATHS = [
    f"{PARTY.name}/reservation",
    *(f"{PARTY.name}/red_line/{k}" for k in range(len(PARTY.red_lines))),
    f"{PARTY.name}/weights/{S.issue_names[0]}",
    f"{PARTY.name}/power",
]
VALUES = [0.0, 0.5, -0.5, 1.5, 2.5, 0.49, 1.0, float("nan"), float("inf")]


def by_path(samples):
    """_group's answer computed sample by sample with _parse_one (the reference)."""
    groups, parsed, paths = {}, [], {}
    for k, x in enumerate(samples):
        entry = batch_groups._parse_one(x, paths, PLAN.scenario, PLAN.scenario.party_names)
        parsed.append(entry[1] if entry is not None else None)
        if entry is not None:
            groups.setdefault(entry[0], []).append(k)
    return groups, parsed


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(VALUES), min_size=len(PATHS), max_size=len(PATHS)),
        min_size=1,
        max_size=8,
    ),
    st.booleans(),
)
def test_layout_parse_equals_the_path_by_path_parse(values, bad_path):
    assert PARTY.red_lines  # red-line switches are drawn (half-way values round to even)
    keys = PATHS + (["Nobody/reservation"] if bad_path else [])
    samples = [dict(zip(keys, v + [0.0] * bad_path, strict=True)) for v in values]
    groups, parsed = batch._group(PLAN, samples)
    want_groups, want_parsed = by_path(samples)
    assert groups == want_groups
    assert parsed == want_parsed
    ok = [p for p in parsed if p is not None]
    if ok:  # one shared layout: the numbers are set column by column
        assert _columns(ok) is not None
        Numbers(PLAN.discrete, ok)


def test_a_value_that_is_not_a_number_is_refused_as_before():
    with pytest.raises(ValueError):
        batch._group(PLAN, [{PATHS[0]: "abc"}])


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 9), st.booleans())
def test_a_part_of_numbers_is_the_numbers_of_its_samples(seed, cut, values_move):
    s = ng.load_scenario("textbook_two_party")
    samples = monte_carlo_samples(s, 10, seed=seed)
    party, issue = s.parties[0], s.issues[0]
    for k, x in enumerate(samples):  # some samples move a value (so need the one-hot screen)
        if values_move and k % 3 == 0:
            x[f"{party.name}/values/{issue.name}/{issue.levels[0]}"] = 0.5
    plan = candidates.make_plan(s, ("nash",), None, "auto", None)
    _, parsed = batch._group(plan, samples)
    whole = Numbers(plan.discrete, parsed)
    for lo, hi in [(0, cut), (cut, 10)]:
        alone, part = Numbers(plan.discrete, parsed[lo:hi]), whole.part(lo, hi)
        assert part.same_values == alone.same_values
        for name in ("ok", "moved", "coef", "tables", "reservations", "powers"):
            assert np.array_equal(getattr(part, name), getattr(alone, name), equal_nan=True)
