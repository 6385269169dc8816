"""Helpers for the before/after benchmarks: load a module as it was at an earlier commit, and
run a call in a child process with a time limit (an old version may hang)."""

from __future__ import annotations

import importlib.util
import multiprocessing as mp
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_old(module_path: str, rev: str, name: str):
    """The module file ``module_path`` (e.g. ``negotiation/engine/lotteries.py``) as at git
    revision ``rev``, imported under ``name`` (its absolute imports use today's package).
    Returns ``None`` when git or the revision is not available."""
    try:
        src = subprocess.run(
            ["git", "show", f"{rev}:{module_path}"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    path = Path(tempfile.mkdtemp()) / f"{name}.py"
    path.write_text(src, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def _child(q, fn, args):
    t = time.perf_counter()
    try:
        fn(*args)
        q.put(time.perf_counter() - t)
    except Exception as err:  # noqa: BLE001 - report what the old version did
        q.put(f"{type(err).__name__}")


def timed(fn, *args, timeout: float = 60.0) -> str:
    """Wall-clock time of ``fn(*args)`` in a child process (fork), or why it did not finish."""
    out = _run_child(_child, fn, args, timeout)
    return f"{out:.3f} s" if isinstance(out, float) else out


def old_package(rev: str) -> Path | None:
    """The ``negotiation`` package as at git revision ``rev``, unpacked into a temporary folder
    (returned; ``None`` when git or the revision is not available). Use it in a child process
    through :func:`use_package`, so that every module (``lotteries.py`` and what it imports)
    is the old one."""
    import io
    import tarfile

    try:
        data = subprocess.run(
            ["git", "archive", rev, "negotiation"], cwd=ROOT, check=True, capture_output=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    folder = Path(tempfile.mkdtemp())
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def use_package(folder: Path) -> None:
    """In this (child) process, import ``negotiation`` from ``folder`` from now on: today's
    modules are forgotten and the editable install's finder is bypassed. Objects built before
    (a frontier) keep today's classes: the old code reads them by their attributes."""
    for name in [m for m in sys.modules if m == "negotiation" or m.startswith("negotiation.")]:
        del sys.modules[name]
    sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in str(f).lower()]
    sys.path.insert(0, str(folder))


def _child_result(q, fn, args):
    try:
        q.put(fn(*args))
    except Exception as err:  # noqa: BLE001 - report what the old version did
        q.put(f"{type(err).__name__}: {err}"[:60])


def in_child(fn, *args, timeout: float = 60.0):
    """``fn(*args)`` in a child process (fork): its result, or a string saying why there is
    none (killed after ``timeout`` seconds, crashed, or the exception)."""
    return _run_child(_child_result, fn, args, timeout)


def _run_child(target, fn, args, timeout: float):
    """Run ``target(queue, fn, args)`` in a forked child; what it put on the queue, or why
    nothing: killed after ``timeout`` seconds, or crashed."""
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    proc = ctx.Process(target=target, args=(q, fn, args))
    proc.start()
    proc.join(timeout)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return f"> {timeout:.0f} s (killed)"
    return q.get() if not q.empty() else "crashed"
