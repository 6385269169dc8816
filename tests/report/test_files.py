"""Which files a run wrote (negotiation.report.files); re-exported by negotiation.cli.outdir."""

from __future__ import annotations

import os

from negotiation.cli import outdir
from negotiation.report import files
from negotiation.report.files import MANIFEST, snapshot, written_since


def test_new_and_rewritten_files_are_written_unchanged_ones_are_not(tmp_path):
    (tmp_path / "kept.txt").write_text("mine")
    (tmp_path / "again.csv").write_text("old")
    before = snapshot(tmp_path)
    assert set(before) == {"kept.txt", "again.csv"}
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "a.png").write_bytes(b"png")
    (tmp_path / "again.csv").write_text("new, longer")
    (tmp_path / MANIFEST).write_text("{}")  # the manifest is bookkeeping, never "written"
    assert written_since(tmp_path, before) == ["again.csv", "figures/a.png"]


def test_same_size_rewrite_is_seen(tmp_path):
    path = tmp_path / "r.md"
    path.write_text("aaaa")
    before = snapshot(tmp_path)
    st = path.stat()
    path.write_text("bbbb")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert written_since(tmp_path, before) == ["r.md"]


def test_missing_folder_is_empty(tmp_path):
    assert snapshot(tmp_path / "nope") == {}


def test_cli_outdir_re_exports_the_same_functions():
    assert outdir.snapshot is files.snapshot and outdir.written_since is files.written_since
    assert outdir.MANIFEST == files.MANIFEST
