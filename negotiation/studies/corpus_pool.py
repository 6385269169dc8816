"""A few long-lived forked workers that run one function over many items, each item within a
time and a memory budget (the corpus study's runner: :mod:`negotiation.studies.corpus`).

Why long-lived: forking a process that has imported numpy, scipy and the engine costs tens of
milliseconds of page copying; the GENIUS corpus has ~170 domains of a few milliseconds each, so
one fork per domain cost more than the analyses. Here ``jobs`` workers are forked once and fed
items one at a time over a pipe; a worker is replaced only when an item breaks a budget.

Budgets, per item:

* **time**: the parent stops (kills) a worker whose item has run ``timeout`` seconds and
  records a :class:`Failure`; a fresh worker takes the next item;
* **memory**: before each item the worker sets its soft address-space limit (``RLIMIT_AS``) to
  its current size plus ``max_memory`` MB, so every item gets the same headroom whatever the
  items before it left behind; a :class:`MemoryError` that reaches the worker's loop ends the
  item (recorded as a :class:`Failure`) and the worker (a fresh one takes over).

Results come back in the items' order whatever order the workers finish in.
"""

from __future__ import annotations

import multiprocessing
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

__all__ = ["Failure", "run_pool", "address_space"]


@dataclass(frozen=True)
class Failure:
    """An item without a result: ``status`` (``"skipped"`` or ``"error"``), the reason, and the
    seconds it ran."""

    status: str
    reason: str
    seconds: float = 0.0


def address_space() -> int:
    """This process's virtual memory size in bytes (``VmSize``), 0 where unknown."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _cap(max_memory: int) -> None:
    """Soft address-space limit: the current size plus ``max_memory`` MB (hard limit kept)."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = address_space() + int(max_memory) * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):  # pragma: no cover - the platform refuses: run uncapped
        pass


def _serve(conn, fn: Callable[[Any], Any], max_memory: int | None) -> None:
    """Worker loop: receive ``(k, item)``, send ``(k, fn(item))``; ``None`` ends the loop."""
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        k, item = msg
        if max_memory is not None:
            _cap(max_memory)
        t0 = time.perf_counter()
        try:
            out: Any = fn(item)
        except MemoryError:
            out = Failure("skipped", f"memory budget of {max_memory:,} MB exceeded")
            conn.send((k, out))
            return  # a fresh worker takes the next item
        except BaseException as err:  # reported as the item's result, never raised here
            out = Failure("error", f"unexpected {type(err).__name__}: {err}")
        if isinstance(out, Failure):
            out = Failure(out.status, out.reason, time.perf_counter() - t0)
        conn.send((k, out))


@dataclass
class _Worker:
    proc: Any
    conn: Any
    job: tuple[int, float] | None = field(default=None)  # (item index, start time)

    def stop(self, kill: bool = False) -> None:
        if kill and self.proc.is_alive():
            self.proc.kill()
        else:
            try:
                self.conn.send(None)
            except (OSError, ValueError):
                pass
        self.conn.close()
        self.proc.join(5)
        if self.proc.is_alive():  # pragma: no cover - did not leave when asked
            self.proc.kill()
            self.proc.join(5)


def _spawn(fn: Callable[[Any], Any], max_memory: int | None) -> _Worker:
    ctx = multiprocessing.get_context("fork")
    mine, theirs = ctx.Pipe(duplex=True)
    proc = ctx.Process(target=_serve, args=(theirs, fn, max_memory), daemon=True)
    proc.start()
    theirs.close()
    return _Worker(proc, mine)


# size: one scheduling loop (dispatch, wait, collect, replace a broken worker) reads best whole
def run_pool(
    items: Sequence[Any],
    fn: Callable[[Any], Any],
    *,
    jobs: int = 2,
    timeout: float | None = None,
    max_memory: int | None = None,
    stop: Callable[[list[Any]], bool] | None = None,
    done: Callable[[int], None] | None = None,
    order: Sequence[int] | None = None,
) -> list[Any]:
    """``[fn(item) for item in items]`` in up to ``jobs`` forked workers, within the budgets.

    Parameters
    ----------
    items, fn
        What to run; ``fn`` is inherited by the forked workers (no pickling); its results are
        sent back through a pipe (picklable).
    jobs
        Workers at once (at least 1).
    timeout
        Seconds per item (``None``: no limit). An item over it gets a :class:`Failure`.
    max_memory
        Megabytes of address space per item above the worker's size when the item starts
        (``None``: no limit).
    stop
        Called with the results so far (``None`` where not done) before each new item is
        started; ``True`` starts no more (the unstarted items' results stay ``None``).
    done
        Called with the index of each item as it finishes (e.g. to advance a progress bar).
    order
        The order in which to start the items (a permutation of their indices; default: as
        given). The results keep the items' order.

    Returns
    -------
    list
        Per item, ``fn(item)``, a :class:`Failure`, or ``None`` (not started, see ``stop``).

    Examples
    --------
    >>> run_pool([1, 2, 3], lambda x: x * x, jobs=2)
    [1, 4, 9]
    """
    results: list[Any] = [None] * len(items)
    pending = deque(range(len(items)) if order is None else order)
    if sorted(pending) != list(range(len(items))):
        raise ValueError("order must be a permutation of the items' indices")
    slots: list[_Worker | None] = [None] * max(1, int(jobs))

    def finish(k: int, value: Any) -> None:
        results[k] = value
        if done is not None:
            done(k)

    try:
        while True:
            for s, w in enumerate(slots):
                if (w is None or w.job is None) and pending and not (stop and stop(results)):
                    if w is None:
                        w = slots[s] = _spawn(fn, max_memory)
                    k = pending.popleft()
                    w.conn.send((k, items[k]))
                    w.job = (k, time.perf_counter())
            busy = [w for w in slots if w is not None and w.job is not None]
            if not busy:
                break
            now = time.perf_counter()
            wait_for = None
            if timeout is not None:
                wait_for = max(0.0, min(w.job[1] + timeout - now for w in busy if w.job))
            ready = wait([w.conn for w in busy], wait_for)
            now = time.perf_counter()
            for s, w in enumerate(slots):
                if w is None or w.job is None:
                    continue
                k, t0 = w.job
                if w.conn in ready:
                    try:
                        kk, value = w.conn.recv()
                    except (EOFError, OSError):  # the worker died (killed over its memory)
                        w.proc.join(5)
                        reason = f"the worker stopped (exit code {w.proc.exitcode})"
                        if max_memory is not None:
                            reason += f", most likely over the memory budget of {max_memory:,} MB"
                        finish(k, Failure("skipped", reason, now - t0))
                        w.stop(kill=True)
                        slots[s] = None
                        continue
                    finish(kk, value)
                    w.job = None
                    if not w.proc.is_alive() or isinstance(value, Failure):
                        w.stop(kill=not w.proc.is_alive())
                        slots[s] = None
                elif timeout is not None and now - t0 >= timeout:
                    w.stop(kill=True)
                    slots[s] = None
                    finish(
                        k, Failure("skipped", f"time budget of {timeout:g} s exceeded", now - t0)
                    )
    finally:
        for w in slots:
            if w is not None:
                w.stop(kill=w.job is not None)
    return results
