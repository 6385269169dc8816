"""The outcome space: mixed-radix enumeration, decoding, sampling, constraints."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from negotiation.errors import ScenarioError
from negotiation.model import Issue, OutcomeSpace
from negotiation.model.clauses import Clause

sizes_st = st.lists(st.integers(1, 5), min_size=1, max_size=6)


def make_space(sizes, constraints=()):
    issues = tuple(Issue(f"i{k}", tuple(f"l{j}" for j in range(n))) for k, n in enumerate(sizes))
    return OutcomeSpace(issues, tuple(constraints))


@given(sizes_st)
def test_enumeration_and_decoding_agree(sizes):
    space = make_space(sizes)
    levels = space.enumerate()
    assert levels.shape == (space.cardinality, len(sizes))
    # every combination exactly once, in mixed-radix order (last issue fastest)
    assert len({tuple(r) for r in levels}) == space.cardinality
    assert np.array_equal(space.indices_of(levels), np.arange(space.cardinality))
    expected = np.array(list(np.ndindex(*sizes)))
    assert np.array_equal(levels, expected)
    # chunks concatenate to the whole
    chunks = np.concatenate(list(space.chunks(7)))
    assert np.array_equal(chunks, levels)


@given(sizes_st, st.data())
def test_deal_encode_round_trip(sizes, data):
    space = make_space(sizes)
    k = data.draw(st.integers(0, space.cardinality - 1))
    row = space.levels_of(np.array([k]))[0]
    deal = space.deal(row)
    assert np.array_equal(space.encode(deal), row)


def test_sampling_is_seeded_and_respects_constraints():
    space = make_space([3, 3, 2], [Clause.of({0: [0]})])
    a = space.sample(100, seed=7, allowed_only=True)
    b = space.sample(100, seed=7, allowed_only=True)
    assert np.array_equal(a, b)
    assert (a[:, 0] != 0).all()
    assert not np.array_equal(a, space.sample(100, seed=8, allowed_only=True))


def test_errors_are_clear():
    space = make_space([2, 3])
    with pytest.raises(ScenarioError, match="issue 'nope': unknown issue"):
        space.encode({"nope": "x", "i0": "l0", "i1": "l0"})
    with pytest.raises(ScenarioError, match="issue 'i1': level 'l9': unknown level"):
        space.encode({"i0": "l0", "i1": "l9"})
    with pytest.raises(ScenarioError, match="no level for issues"):
        space.encode({"i0": "l0"})
    with pytest.raises(ScenarioError, match="out of range"):
        space.levels_of(np.array([6]))
    huge = make_space([4] * 40)
    assert huge.cardinality == 4**40
    with pytest.raises(ScenarioError, match="too many to index"):
        huge.levels_of(np.array([0]))
