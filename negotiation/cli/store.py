"""The sweep's result store: one CSV file, its metadata sidecar and a lock, with safe resume.

A sweep (:func:`negotiation.studies.sweep.run_sweep` with ``out``, ``negotiation sweep``) appends
one row per sample to a CSV file as batches complete (:func:`stored_sweep`), so that an
interrupted sweep resumes where it stopped. This module owns that file and its rules (it is a
face: the studies layer computes rows and never writes files):

**One schema per sweep, fixed before the first row.** The columns are ``sample``, the input
paths of all samples (in order of first appearance), then the output columns of one evaluation
of the base scenario (a *probe*). Every row, valid or not, is written in exactly these columns
(missing values empty), so a batch that starts with an invalid sample can never shift values
under the wrong headers. A row with a column outside the schema is an error, never written.

**Complete batches, appended in one write.** Each batch becomes one block of CSV text (rows
ending in CRLF, as RFC 4180 has it, so that every ``\r`` or ``\n`` in a value is quoted) written
with a single ``write`` on a file opened for appending, then flushed to disk (``fsync``). A run
killed mid-write (``kill -9``, power loss) can leave at most one torn last row; resume detects
it (a last line without its newline, or a record with the wrong number of fields) and drops it,
rewriting the file atomically (a temporary file, then ``os.replace``). The sample of a dropped
row is simply evaluated again. A malformed row *before* the last one is not a torn write: the
store refuses to touch such a file.

**A lock for the life of the run.** ``FILE.lock`` is held with ``fcntl.flock`` (an advisory lock
the kernel releases when the process dies, so a run killed with ``kill -9`` leaves no live
lock). A second writer on the same file refuses with the pid of the holder. A lock file left
by a dead run is taken over, with a note saying so.

**Nothing overwritten that the sweep did not write.** The sidecar ``FILE.meta.json`` records
the sweep's signature (a SHA-256 of the scenario, the samples and the options) and its columns.
An existing CSV without a sidecar, or written by a different sweep, is refused (naming the
file) unless ``overwrite=True``. The same sweep resumes without it.

Examples
--------
>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as d:
...     path = pathlib.Path(d) / "sweep.csv"
...     with SweepStore(path, signature="abc", columns=["sample", "x"]) as store:
...         store.append([{"sample": 0, "x": 1.5}, {"sample": 1}])
...     print(path.read_text(), end="")
sample,x
0,1.5
1,
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import socket
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from negotiation.errors import NegotiationError
from negotiation.model.scenario import Scenario

__all__ = [
    "SweepStore",
    "StoreError",
    "StoreWarning",
    "repair_csv",
    "stored_sweep",
    "LOCK_SUFFIX",
    "META_SUFFIX",
]

META_SUFFIX = ".meta.json"
LOCK_SUFFIX = ".lock"
FORMAT_VERSION = 3
#: Rows end in CRLF (RFC 4180): the csv writer then quotes every field holding a ``\r`` or
#: ``\n``; with a bare ``\n`` it would leave a ``\r`` unquoted, and readers split the row there.
EOL = "\r\n"

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]  # no advisory locks there


class StoreError(NegotiationError):
    """The sweep's output file cannot be used safely (locked, foreign, corrupted, unwritable)."""


class StoreWarning(UserWarning):
    """Something the user should know about the store (a stale lock taken over, a torn row)."""


def _pid_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - someone else's live process
        return True
    except OSError:  # pragma: no cover
        return False
    return True


class _Lock:
    """An exclusive, non-blocking lock on ``path`` for the life of a run."""

    def __init__(self, path: Path, target: Path) -> None:
        self.path, self.target = path, target
        self.fd: int | None = None

    def _holder(self) -> dict[str, Any]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            return {}

    def acquire(self) -> None:
        for _ in range(10):
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as err:
                raise StoreError(
                    f"{self.path}: cannot create the lock file: {err.strerror}"
                ) from None
            locked = False
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    locked = True
                except BlockingIOError:
                    os.close(fd)
                    holder = self._holder()
                    who = f"pid {holder['pid']}" if "pid" in holder else "another process"
                    if holder.get("host") not in (None, socket.gethostname()):
                        who += f" on {holder['host']}"
                    raise StoreError(
                        f"{self.target} is being written by another run ({who}, lock "
                        f"{self.path}); wait for it to finish or write to another --out"
                    ) from None
                except OSError:  # pragma: no cover - a file system without flock: pid check
                    pass
            if locked:
                # The file may have been unlinked by its previous holder after we opened it.
                try:
                    same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
                except FileNotFoundError:
                    same = False
                if not same:
                    os.close(fd)
                    continue
            else:  # pragma: no cover - no flock: a pid check
                holder = self._holder()
                pid = holder.get("pid")
                if isinstance(pid, int) and pid != os.getpid() and _pid_running(pid):
                    os.close(fd)
                    raise StoreError(
                        f"{self.target} is being written by another run (pid {pid}, lock "
                        f"{self.path}); wait for it to finish or write to another --out"
                    )
            old = self._holder()
            pid = old.get("pid")
            if isinstance(pid, int) and pid != os.getpid():
                warnings.warn(
                    f"{self.path}: took over a stale lock left by pid {pid} (no longer running)",
                    StoreWarning,
                    stacklevel=4,
                )
            info = json.dumps({"pid": os.getpid(), "host": socket.gethostname()}).encode()
            os.ftruncate(fd, 0)
            os.pwrite(fd, info, 0)
            self.fd = fd
            return
        raise StoreError(f"{self.path}: could not take the lock (it keeps changing)")

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            os.unlink(self.path)
        except OSError:
            pass
        os.close(self.fd)  # closing releases the flock
        self.fd = None


def _atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and ``os.replace`` (all or nothing)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as err:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise StoreError(f"{path}: cannot write: {err.strerror or err}") from None


def _csv_text(rows: Sequence[Sequence[Any]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator=EOL).writerows(rows)
    return buf.getvalue()


def repair_csv(path: str | Path, columns: Sequence[str]) -> int:
    """Drop a torn last row of a sweep CSV (atomically); return how many rows were dropped.

    A torn row is what a write cut short leaves at the end of the file: a last line without its
    terminating newline, or a last record with fewer or more fields than the header. Only the
    last record may be torn; anything malformed earlier raises :class:`StoreError` (the file is
    then left as it is). Duplicate sample numbers raise too.

    Examples
    --------
    >>> import tempfile, pathlib, warnings
    >>> with tempfile.TemporaryDirectory() as d, warnings.catch_warnings(record=True) as notes:
    ...     warnings.simplefilter("always")
    ...     p = pathlib.Path(d) / "s.csv"
    ...     _ = p.write_bytes(b"sample,x\\r\\n0,1.0\\r\\n1,2.")
    ...     dropped = repair_csv(p, ["sample", "x"])
    ...     dropped, p.read_bytes(), len(notes)
    (1, b'sample,x\\r\\n0,1.0\\r\\n', 1)
    """
    path = Path(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        # A cut inside a multi-byte character: only possible in the torn last line.
        cut = raw.rfind(b"\n")
        text = raw[: cut + 1].decode("utf-8", errors="strict") + "\ufffd"
    header = _csv_text([list(columns)])
    first, newline, body = text.partition("\n")
    if not newline:  # nothing but a (partial) header: a run killed while creating the file
        if header.startswith(text):
            _atomic_write(path, header.encode())
            return 0
        first = text
    if next(csv.reader([first.rstrip("\r")]), None) != list(columns):
        raise StoreError(
            f"{path}: its header is not the sweep's columns (a different version or an edited "
            "file); move it away or choose another --out"
        )
    records = list(csv.reader(io.StringIO(body)))
    good: list[list[str]] = []
    dropped = 0
    seen: set[str] = set()
    for k, rec in enumerate(records):
        last = k == len(records) - 1
        ok = len(rec) == len(columns) and rec[0].isdigit()
        if last and not body.endswith("\n"):
            ok = False  # cut before the newline: the row may be incomplete
        if not ok:
            if last:
                dropped += 1
                continue
            raise StoreError(
                f"{path}: row {k + 2} is malformed ({len(rec)} fields, {len(columns)} expected) "
                "and is not the last row, so this is not a torn write; refusing to touch the file"
            )
        if rec[0] in seen:
            raise StoreError(f"{path}: sample {rec[0]} appears twice; refusing to touch the file")
        seen.add(rec[0])
        good.append(rec)
    if dropped:
        _atomic_write(path, (header + _csv_text(good)).encode("utf-8"))
        warnings.warn(
            f"{path}: dropped a torn last row (an interrupted write); its sample is run again",
            StoreWarning,
            stacklevel=3,
        )
    return dropped


class SweepStore:
    """The CSV file of one sweep, locked for the life of a ``with`` block.

    Parameters
    ----------
    path
        The CSV file.
    signature
        Identifies the sweep (scenario, samples, options); stored in the sidecar.
    columns
        The schema: every row is written in these columns, in this order.
    overwrite
        Replace a CSV that has no sidecar or belongs to a different sweep (otherwise refused).
    n_samples
        Recorded in the sidecar, for people.

    Attributes
    ----------
    previous
        The rows already in the file (a resumed sweep), as a DataFrame; empty for a new one.
    finished
        Their sample numbers.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        signature: str,
        columns: Sequence[str],
        overwrite: bool = False,
        n_samples: int | None = None,
    ) -> None:
        self.path = Path(path)
        self.meta_path = self.path.with_name(self.path.name + META_SUFFIX)
        self.signature = signature
        self.columns = list(columns)
        if len(set(self.columns)) != len(self.columns) or self.columns[:1] != ["sample"]:
            raise StoreError(f"bad sweep schema: {self.columns}")
        self.overwrite = overwrite
        self.n_samples = n_samples
        self.previous = pd.DataFrame(columns=self.columns)
        self.finished: set[int] = set()
        self._lock = _Lock(self.path.with_name(self.path.name + LOCK_SUFFIX), self.path)

    # -- life cycle ----------------------------------------------------------------------------
    def __enter__(self) -> SweepStore:
        if self.path.exists() and not self.path.is_file():
            raise StoreError(f"{self.path} exists and is not a file")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreError(f"{self.path.parent}: cannot create: {err.strerror}") from None
        if not os.access(self.path.parent, os.W_OK):
            raise StoreError(f"{self.path.parent}: not writable")
        self._lock.acquire()
        try:
            self._open()
        except BaseException:
            self._lock.release()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self._lock.release()

    def _meta(self) -> dict[str, Any] | None:
        if not self.meta_path.exists():
            return None
        try:
            meta = json.loads(self.meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return meta if isinstance(meta, dict) else None

    def _open(self) -> None:
        meta = self._meta()
        if self.path.exists():
            if meta is None:
                problem = (
                    f"{self.path} exists and was not written by a sweep (no readable "
                    f"{self.meta_path.name}); refusing to replace it: move it away, choose "
                    "another --out, or pass --force (in Python: overwrite=True) to replace it"
                )
            elif meta.get("signature") != self.signature:
                problem = (
                    f"{self.path}: written by a different sweep (scenario, samples or "
                    "options differ); choose another --out, or pass --force "
                    "(in Python: overwrite=True) to replace it"
                )
            elif meta.get("columns") != self.columns:
                problem = (
                    f"{self.path}: written by an older version of the sweep (other "
                    "columns); choose another --out, or pass --force (in Python: overwrite=True)"
                )
            else:
                self._resume()  # the same sweep: resume it, no --force needed
                return
            if not self.overwrite:
                raise StoreError(problem)
        self._create()

    def _create(self) -> None:
        meta = {
            "signature": self.signature,
            "n_samples": self.n_samples,
            "columns": self.columns,
            "format": FORMAT_VERSION,
        }
        # Sidecar first: a run killed between the two writes leaves a sidecar alone (ours).
        _atomic_write(self.meta_path, json.dumps(meta, indent=1).encode("utf-8"))
        _atomic_write(self.path, _csv_text([self.columns]).encode("utf-8"))

    def _resume(self) -> None:
        repair_csv(self.path, self.columns)
        previous = pd.read_csv(self.path)
        if list(previous.columns) != self.columns:  # pragma: no cover - repair_csv checked it
            raise StoreError(f"{self.path}: unexpected columns")
        self.previous = previous
        self.finished = set(previous["sample"].astype(int))

    # -- writing -----------------------------------------------------------------------------------
    def append(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Append complete rows in one write (then ``fsync``); refuse columns off the schema."""
        if not rows:
            return
        known = set(self.columns)
        for row in rows:
            extra = [c for c in row if c not in known]
            if extra:
                raise StoreError(
                    f"sample {row.get('sample')} produced columns outside the sweep's schema "
                    f"{extra}; an extra() function must return the same keys for every sample"
                )
        frame = pd.DataFrame(list(rows)).reindex(columns=self.columns)
        data = frame.to_csv(index=False, header=False, lineterminator=EOL).encode("utf-8")
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
            try:
                view = memoryview(data)
                while view:
                    n = os.write(fd, view)
                    view = view[n:]
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as err:
            raise StoreError(f"{self.path}: cannot append: {err.strerror or err}") from None


def stored_sweep(
    scenario: Scenario,
    samples: Sequence[Mapping[str, float]],
    options: dict[str, Any],
    out: str | Path,
    *,
    overwrite: bool = False,
    **run: Any,
) -> pd.DataFrame:
    """A sweep whose rows are kept in the CSV file ``out`` as batches complete; resumable.

    The rows come from :func:`negotiation.studies.sweep.iter_sweep` (``options`` from
    :func:`~negotiation.studies.sweep.sweep_options`; ``run``: its ``executor``, ``workers``,
    ``batch_size`` and ``progress``). The file is opened as a :class:`SweepStore` whose
    signature and schema are those of the sweep: samples already in it (a resumed sweep) are
    skipped, each new batch is appended in one write. Returns what the file holds, ordered by
    sample number, so that a fresh and a resumed sweep return identical frames.
    """
    from negotiation.studies.sweep import iter_sweep, sweep_frame, sweep_schema, sweep_signature

    store = SweepStore(
        out,
        signature=sweep_signature(scenario, samples, options),
        columns=sweep_schema(scenario, samples, options),
        overwrite=overwrite,
        n_samples=len(samples),
    )
    with store:
        batches = iter_sweep(scenario, samples, options, skip=store.finished, **run)
        with contextlib.closing(batches):
            for rows in batches:
                store.append(rows)
        # The file is the record: return what it holds, in its own types.
        return sweep_frame([pd.read_csv(store.path)])
