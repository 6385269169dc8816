"""Shared helpers of the robustness corpus: run the command line in a subprocess, bounded.

``run_cli(*args)`` runs ``python -m negotiation ARGS`` in a fresh process with a wall-time limit
(:data:`TIME_LIMIT` seconds) and an address-space limit (:data:`MEMORY_LIMIT` bytes, through
``resource.setrlimit`` where the platform has it), and returns a :class:`CliRun` with the exit
code, stdout and stderr. A command that overruns is killed and reported as ``timed_out``.
``run_many`` runs several at once (the machine's cores are few, but most of a run is start-up).
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

#: Seconds a single command line may take (start-up under load included).
TIME_LIMIT = 120.0
#: Bytes of address space a single command line may use.
MEMORY_LIMIT = 3 * 1024**3


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: a long robustness scenario (kill -9, big sweeps)")


@dataclass(frozen=True)
class CliRun:
    args: tuple[str, ...]
    code: int | None
    out: str
    err: str
    timed_out: bool = False

    def one_clean_error(self) -> str | None:
        """``None`` if this is a clean usage error (exit 2, one line on stderr, no traceback);
        otherwise why not."""
        if self.timed_out:
            return f"timed out after {TIME_LIMIT} s"
        if self.code != 2:
            return f"exit code {self.code}, expected 2; stderr: {self.err[-500:]!r}"
        if "Traceback" in self.err or "Traceback" in self.out:
            return f"a traceback: {self.err[-800:]!r}"
        lines = [line for line in self.err.splitlines() if line.strip()]
        if len(lines) != 1:
            return f"{len(lines)} lines on stderr, expected one: {self.err[-800:]!r}"
        return None


def _limits():  # pragma: no cover - runs in the child
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ImportError, ValueError, OSError):
        pass


def run_cli(*args: str, cwd: str | Path | None = None, timeout: float = TIME_LIMIT) -> CliRun:
    """Run ``python -m negotiation *args`` in a subprocess, bounded in time and memory."""
    env = dict(os.environ, PYTHONWARNINGS="ignore", MPLBACKEND="Agg", NO_COLOR="1")
    env.pop("PYTHONSTARTUP", None)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "negotiation", *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            preexec_fn=_limits if os.name == "posix" else None,
        )
    except subprocess.TimeoutExpired as exc:
        return CliRun(tuple(args), None, str(exc.stdout or ""), str(exc.stderr or ""), True)
    return CliRun(tuple(args), proc.returncode, proc.stdout, proc.stderr)


def run_many(commands, cwd: str | Path | None = None, workers: int = 4) -> list[CliRun]:
    """Run several command lines concurrently; results in the order given."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda a: run_cli(*a, cwd=cwd), commands))


@pytest.fixture(scope="session")
def cli():
    """The :func:`run_cli` helper, as a fixture (``cli.many`` is :func:`run_many`)."""
    run_cli.many = run_many  # type: ignore[attr-defined]
    return run_cli
