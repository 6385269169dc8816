"""The io layer sits between the model and the engine: model never imports io, io nothing above.

Read from the source (``ast``), so a lazy import inside a function counts too. The only way
the model reaches io is the PEP 562 forwarding of moved names (``importlib`` on first use, in
``model/loader.py`` and ``model/reading.py``), which keeps the documented imports working.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "negotiation"
ABOVE_IO = ("engine", "dynamics", "forecast", "studies", "plots", "report", "cli")


def _imports(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return {m for m in out if m.startswith("negotiation")}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


@pytest.mark.parametrize("path", sorted((PACKAGE / "model").rglob("*.py")), ids=lambda p: p.name)
def test_the_model_never_imports_io(path: Path):
    assert not {m for m in _imports(path) if _layer(m) in ("io", "formats")}


@pytest.mark.parametrize("path", sorted((PACKAGE / "io").rglob("*.py")), ids=lambda p: p.name)
def test_io_imports_nothing_above_it(path: Path):
    assert not {m for m in _imports(path) if _layer(m) in ABOVE_IO}
    assert "negotiation" not in _imports(path)  # the package root imports io: no cycle through it


def test_the_checks_see_imports():
    # the scan is not vacuous: it finds the io reader's own imports
    found = _imports(PACKAGE / "io" / "toml.py")
    assert "negotiation.model.loader" in found and "negotiation.io.reading" in found


def test_genius_and_geniusweb_do_not_import_each_other_both_ways():
    web = _imports(PACKAGE / "io" / "geniusweb.py")
    assert not {m for m in web if m == "negotiation.io.genius" or m.endswith(".read")}
    assert web & {"negotiation.io.genius.names", "negotiation.io.genius.xml"}
