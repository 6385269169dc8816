"""Output folders of the command line: never lose or silently overwrite a user's file.

Rules (the faces layer applies them before any work starts):

* ``--out`` must be a folder that exists or can be created and is writable; a file, a
  read-only place or a path like ``/proc/self/x`` is refused with one message.
* A run may replace only files that *this tool* wrote: the folder keeps a manifest,
  ``.negotiation-files.json``, of every file a run wrote with its size and modification time.
  An existing file the run would write that is not in the manifest, or that changed since (a
  user edited ``report.md``, or put their own ``frontier.csv`` there), is *foreign*: the run
  refuses, naming the files, unless ``--force``.
* :func:`snapshot` and :func:`written_since` tell which files a run wrote (the report's "Files"
  section lists exactly those, nothing else that happens to be in the folder); they live in
  :mod:`negotiation.report.files` (the report sits below the command line) and are re-exported
  here.

Examples
--------
>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as d:
...     out = prepare_out_dir(d)
...     before = snapshot(out)
...     _ = (out / "report.md").write_text("# hi")
...     record_written(out, written_since(out, before))
...     check_overwrite(out, is_report_file, force=False)   # ours: may be replaced
...     _ = (out / "report.md").write_text("# edited by hand")
...     check_overwrite(out, is_report_file, force=False)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
negotiation.errors.NegotiationError: ... would overwrite 1 file this tool did not write (report.md); ...
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from negotiation.errors import NegotiationError
from negotiation.report.files import MANIFEST, snapshot, written_since
from negotiation.report.files import file_stat as _stat

__all__ = [
    "MANIFEST",
    "REPORT_FILES",
    "check_overwrite",
    "is_report_file",
    "prepare_out_dir",
    "record_written",
    "snapshot",
    "written_since",
]

#: Files a report (``analyze --out``, ``report --out``) may write at the top of its folder.
REPORT_FILES = frozenset(
    {
        "analysis.json",
        "frontier.csv",
        "solutions.csv",
        "lotteries.csv",
        "report.md",
        "report.html",
        "sensitivity_tornado.csv",
        "sensitivity_sweep.csv",
        "sensitivity_monte_carlo.csv",
        "level_frequencies.csv",
        "simulation.json",
        "simulation_trace.csv",
    }
)


def is_report_file(rel: str) -> bool:
    """Whether a report may write the file at ``rel`` (a path relative to its folder)."""
    if rel in REPORT_FILES:
        return True
    parts = rel.split("/")
    return (
        len(parts) == 2
        and parts[0] == "figures"
        and rel.rsplit(".", 1)[-1]
        in (
            "png",
            "svg",
            "pdf",
        )
    )


def prepare_out_dir(path: str | Path, option: str = "--out") -> Path:
    """Create the folder ``path`` if needed and check that it is a writable folder."""
    out = Path(path)
    if out.exists() and not out.is_dir():
        raise NegotiationError(f"{option} {out}: exists and is not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise NegotiationError(
            f"{option} {out}: cannot create the folder: {err.strerror}"
        ) from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise NegotiationError(f"{option} {out}: the folder is not writable")
    return out


def _manifest(folder: Path) -> dict[str, list[int]]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    return files if isinstance(files, dict) else {}


def record_written(folder: str | Path, files: Iterable[str]) -> None:
    """Add ``files`` (relative paths just written) to the folder's manifest."""
    root = Path(folder)
    known = _manifest(root)
    for rel in files:
        st = _stat(root / rel)
        if st is not None:
            known[rel] = st
    known = {k: v for k, v in known.items() if (root / k).is_file()}
    tmp = root / f".{MANIFEST}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps({"files": known}, indent=0, sort_keys=True), encoding="utf-8")
    os.replace(tmp, root / MANIFEST)


def check_overwrite(
    folder: str | Path, would_write: Callable[[str], bool], *, force: bool, option: str = "--out"
) -> None:
    """Refuse if the run would overwrite a file of ``folder`` that this tool did not write.

    ``would_write(rel)`` says whether the run may write the relative path ``rel``. A file
    counts as the tool's own when the manifest records it with its present size and time.
    """
    root = Path(folder)
    if force or not root.is_dir():
        return
    known = _manifest(root)
    foreign = [
        rel
        for rel, st in sorted(snapshot(root).items())
        if would_write(rel) and known.get(rel) != st
    ]
    if foreign:
        shown = ", ".join(foreign[:8]) + (
            f", ... ({len(foreign) - 8} more)" if len(foreign) > 8 else ""
        )
        raise NegotiationError(
            f"{option} {root}: would overwrite {len(foreign)} file"
            f"{'s' if len(foreign) != 1 else ''} this tool did not write ({shown}); "
            "choose another folder, or pass --force to overwrite"
        )
