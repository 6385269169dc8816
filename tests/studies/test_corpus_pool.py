"""The corpus's worker pool (negotiation.studies.corpus_pool): order, budgets, replacement."""

from __future__ import annotations

import multiprocessing
import os
import time

import numpy as np
import pytest

from negotiation.studies.corpus_pool import Failure, run_pool

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="the pool needs fork"
)


def _work(x):
    if x == "sleep":
        time.sleep(60)
    if x == "hog":
        return float(np.ones(2**28).sum())  # 2 GB of float64
    if x == "boom":
        raise RuntimeError("boom")
    return (x, os.getpid())


def test_results_in_item_order_from_few_workers():
    items = list(range(20))
    out = run_pool(items, _work, jobs=2)
    assert [v for v, _ in out] == items
    assert len({pid for _, pid in out}) <= 2  # long-lived: not one process per item
    assert os.getpid() not in {pid for _, pid in out}


def test_budgets_fail_one_item_and_the_run_goes_on():
    items = [1, "hog", 2, "sleep", 3, "boom", 4]
    out = run_pool(items, _work, jobs=2, timeout=3.0, max_memory=256)
    assert [v for v, _ in (out[0], out[2], out[4], out[6])] == [1, 2, 3, 4]
    assert out[1] == Failure("skipped", "memory budget of 256 MB exceeded", out[1].seconds)
    assert out[3].status == "skipped" and out[3].reason == "time budget of 3 s exceeded"
    assert out[5].status == "error" and "RuntimeError: boom" in out[5].reason


def test_stop_starts_no_more_items():
    out = run_pool(list(range(10)), _work, jobs=1, stop=lambda r: r[2] is not None)
    assert [v for v, _ in out[:3]] == [0, 1, 2]
    assert out[3:] == [None] * 7


def test_memory_headroom_is_per_item_not_cumulative():
    # Each item holds ~150 MB while it runs; ten of them in one worker under a 256 MB budget.
    def hold(_):
        a = np.ones(150 * 2**20 // 8)
        return float(a[0])

    out = run_pool(list(range(10)), hold, jobs=1, max_memory=256)
    assert out == [1.0] * 10


def test_start_order_does_not_change_the_result_order():
    started = []

    def note(x):
        return (x, os.getpid())

    out = run_pool(
        list(range(8)), note, jobs=1, order=[7, 6, 5, 4, 3, 2, 1, 0], done=started.append
    )
    assert [v for v, _ in out] == list(range(8))
    assert started == [7, 6, 5, 4, 3, 2, 1, 0]
    with pytest.raises(ValueError, match="permutation"):
        run_pool([1, 2], note, order=[0, 0])


def test_size_hint_puts_the_big_space_first(tmp_path):
    from negotiation.studies.corpus import _largest_first

    def domain(name, levels):
        issues = "".join(
            f'<issue name="i{k}" type="discrete">' + "<item />" * levels + "</issue>"
            for k in range(4)
        )
        path = tmp_path / name / f"{name}.xml"
        path.parent.mkdir()
        path.write_text(
            f"<negotiation_template><objective>{issues}</objective></negotiation_template>"
        )
        return path

    paths = [domain("small", 2), domain("big", 30), domain("mid", 6)]
    assert _largest_first(paths) == [1, 2, 0]
