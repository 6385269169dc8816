"""One bibliography: docs/references.md holds every work that negotiation/ and docs/ cite.

Docstrings cite by key (``.. [Key] ...`` labels in numpy *References* sections and ``[Key]_`` in
the text); docs pages link to ``references.md#key``. Every key used must have an entry, and every
entry must be used somewhere, so the bibliography neither misses nor hoards works.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "negotiation"
DOCS = ROOT / "docs"
BIBLIOGRAPHY = DOCS / "references.md"

ENTRY = re.compile(r"^### (\S+)\s*$", re.MULTILINE)
LABEL = re.compile(r"^\s*\.\. \[([^\]\s]+)\]", re.MULTILINE)
CITATION = re.compile(r"\[([A-Za-z][A-Za-z0-9]*)\]_")
DOC_LINK = re.compile(r"references\.md#([A-Za-z0-9_-]+)")
KEY = re.compile(r"^[A-Za-z]+[0-9]{4}[a-z]?$|^[A-Z][A-Za-z]+$")


def _entries() -> list[str]:
    return ENTRY.findall(BIBLIOGRAPHY.read_text(encoding="utf-8"))


def _package_keys() -> dict[str, set[str]]:
    """Every ``.. [Key]`` label and ``[Key]_`` citation in the package, by module."""
    found: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        keys = set(LABEL.findall(text)) | set(CITATION.findall(text))
        if keys:
            found[str(path.relative_to(ROOT))] = keys
    return found


def _doc_anchors() -> dict[str, set[str]]:
    """Every ``references.md#anchor`` link in docs/ (the bibliography's own links included)."""
    return {
        path.name: set(DOC_LINK.findall(path.read_text(encoding="utf-8")))
        for path in sorted(DOCS.glob("*.md"))
        if path != BIBLIOGRAPHY
    }


def test_entries_are_unique_alphabetical_keys() -> None:
    entries = _entries()
    assert len(entries) > 50
    duplicates = [k for k, n in Counter(e.lower() for e in entries).items() if n > 1]
    assert duplicates == []
    assert entries == sorted(entries, key=str.lower)
    assert [e for e in entries if not KEY.match(e)] == []


def test_every_entry_has_a_reference_and_a_use_line() -> None:
    text = BIBLIOGRAPHY.read_text(encoding="utf-8")
    blocks = re.split(r"^### ", text, flags=re.MULTILINE)[1:]
    for block in blocks:
        key, _, body = block.partition("\n")
        assert re.search(r"\b(1[6-9][0-9]{2}|20[0-9]{2})\b|https://", body), key
        assert "\nUsed in: " in body, key


def test_every_package_citation_has_an_entry() -> None:
    entries = set(_entries())
    missing = {
        module: sorted(keys - entries) for module, keys in _package_keys().items() if keys - entries
    }
    assert missing == {}


def test_every_docs_link_points_to_an_entry() -> None:
    anchors = {e.lower() for e in _entries()}
    missing = {
        page: sorted(links - anchors) for page, links in _doc_anchors().items() if links - anchors
    }
    assert missing == {}


def test_every_entry_is_cited() -> None:
    cited = set().union(*_package_keys().values())
    linked = set().union(*_doc_anchors().values())
    unused = [e for e in _entries() if e not in cited and e.lower() not in linked]
    assert unused == []


def test_labels_are_unique_within_a_docstring() -> None:
    """Sphinx refuses a citation label defined twice in one docstring."""
    repeated = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for doc in re.findall(r'"""(.*?)"""', path.read_text(encoding="utf-8"), re.DOTALL):
            for key, n in Counter(LABEL.findall(doc)).items():
                if n > 1:
                    repeated.append(f"{path.relative_to(ROOT)}: {key}")
    assert repeated == []


def test_bibliography_is_linked_from_the_docs_index_and_readme() -> None:
    assert "(references.md)" in (DOCS / "index.md").read_text(encoding="utf-8")
    assert "(docs/references.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_registered_solution_names_an_entry() -> None:
    """The registry's ``reference`` metadata (shown by ``repr`` and the docs) uses the keys too."""
    from negotiation.engine.solutions import SOLUTIONS

    entries = set(_entries())
    missing = {name: s.reference for name, s in SOLUTIONS.items() if s.reference not in entries}
    assert not missing, f"solutions whose reference is not in docs/references.md: {missing}"
