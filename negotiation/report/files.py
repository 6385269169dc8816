"""Which files a run wrote: snapshots of a folder and the difference since one.

The report's "Files" section lists exactly the files its run wrote (nothing else that happens to
be in the folder), and the command line records them in the folder's manifest
(:mod:`negotiation.cli.outdir`, which re-exports these functions). A file counts as written when
it is new or its ``(mtime_ns, size, inode)`` changed.

Examples
--------
>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as d:
...     before = snapshot(d)
...     _ = (pathlib.Path(d) / "report.md").write_text("# hi")
...     written_since(d, before)
['report.md']
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["MANIFEST", "file_stat", "snapshot", "written_since"]

#: The manifest of files written by this tool, kept in each output folder (never "written").
MANIFEST = ".negotiation-files.json"


def file_stat(path: Path) -> list[int] | None:
    """``[mtime_ns, size, inode]`` of ``path``, or ``None`` when it cannot be read."""
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_mtime_ns, st.st_size, st.st_ino]


def snapshot(folder: str | Path) -> dict[str, list[int]]:
    """``{relative path: [mtime_ns, size, inode]}`` of every file under ``folder``."""
    root = Path(folder)
    out: dict[str, list[int]] = {}
    if not root.is_dir():
        return out
    for p in root.rglob("*"):
        if p.is_file():
            st = file_stat(p)
            if st is not None:
                out[p.relative_to(root).as_posix()] = st
    return out


def written_since(folder: str | Path, before: dict[str, list[int]]) -> list[str]:
    """Files under ``folder`` created or rewritten since ``before = snapshot(folder)``."""
    now = snapshot(folder)
    return sorted(k for k, st in now.items() if before.get(k) != st and k != MANIFEST)
