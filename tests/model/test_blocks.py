"""Block evaluation of the outcome space is bit-identical to row-by-row evaluation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from strategies import integer_scenarios, scenarios

from negotiation.model.blocks import evaluate_blocks, split_point


@pytest.mark.parametrize("chunk", [1, 5, 64, 1 << 18])
@given(s=scenarios(max_issues=5))
def test_blocks_equal_reference(s, chunk):
    blocks = list(evaluate_blocks(s, chunk))
    levels = s.space.enumerate()
    u = np.concatenate([b.utilities for b in blocks])
    assert np.array_equal(u, s.utilities(levels))  # bit-identical, not just close
    assert np.array_equal(np.concatenate([b.allowed for b in blocks]), s.space.allowed_mask(levels))
    assert np.array_equal(np.concatenate([b.red for b in blocks]), s.red_line_mask(levels))
    assert np.array_equal(np.concatenate([b.indices for b in blocks]), np.arange(len(levels)))


@given(integer_scenarios(max_issues=4))
def test_blocks_points(s):
    u = np.concatenate([b.utilities for b in evaluate_blocks(s, 3)])
    assert np.array_equal(u, s.utilities(s.space.enumerate()))


def test_split_point():
    assert split_point((4, 4, 4), 16) == 1
    assert split_point((4, 4, 4), 1000) == 0
    assert split_point((4, 4, 4), 2) == 2
