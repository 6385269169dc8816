"""The shape of a format registry: a :class:`Reader` or :class:`Writer` per format, and look-up.

A registry is a plain tuple of entries (:data:`negotiation.io.READERS`,
:data:`negotiation.io.WRITERS`); look-up walks it in order, so an earlier entry wins, and a
caller can pass its own tuple (a copy with one more entry) to :func:`find_reader` and
:func:`find_writer`. Adding a format is one module with its read (or write) function plus one
entry in the tuple.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from negotiation.errors import ScenarioError
from negotiation.model.scenario import Scenario

__all__ = ["Reader", "Writer", "find_reader", "find_writer"]


@dataclass(frozen=True)
class Reader:
    """One readable format.

    Attributes
    ----------
    name
        Short name (``"toml"``, ``"genius"``, ...).
    suffixes
        File suffixes it reads, lower case with the dot (``(".xml",)``).
    read
        ``read(path) -> Scenario``; errors are :class:`ScenarioError` naming the file.
    description
        One line for people (listed by :func:`negotiation.io.describe_formats`).
    sniff
        ``sniff(path) -> bool``, asked only when the suffix matches: does the file's content
        belong to this format? (Two formats sharing a suffix tell themselves apart here.)
        ``None``: the suffix is enough.
    folders
        Whether it reads a folder (a domain and its profiles).
    """

    name: str
    suffixes: tuple[str, ...]
    read: Callable[[Path], Scenario]
    description: str
    sniff: Callable[[Path], bool] | None = None
    folders: bool = False

    def takes(self, path: Path) -> bool:
        """Whether this reader reads ``path`` (a folder, or a file by suffix and sniff)."""
        if path.is_dir():
            return self.folders
        if path.suffix.lower() not in self.suffixes:
            return False
        return self.sniff is None or self.sniff(path)


@dataclass(frozen=True)
class Writer:
    """One writable format.

    Attributes
    ----------
    name
        Short name, also what ``save_scenario(..., format=name)`` takes.
    suffixes
        Suffixes of a target path that select it (``()``: by name only, e.g. a folder).
    write
        ``write(scenario, path, *, overwrite) -> Path`` (the main file written). It never
        replaces a file it did not write unless ``overwrite`` is true.
    description
        One line for people.
    """

    name: str
    suffixes: tuple[str, ...]
    write: Callable[..., Path]
    description: str


_Entry = TypeVar("_Entry", Reader, Writer)


def find_reader(path: Path, readers: Sequence[Reader], *, default: str) -> Reader:
    """The first reader in ``readers`` that takes ``path``, else the one named ``default``.

    Examples
    --------
    >>> from negotiation.io import READERS
    >>> find_reader(Path("domain.xml"), READERS, default="toml").name
    'genius'
    >>> find_reader(Path("scenario.cfg"), READERS, default="toml").name
    'toml'
    """
    for reader in readers:
        if reader.takes(path):
            return reader
    return _named(readers, default, "reader")


def find_writer(
    path: Path, writers: Sequence[Writer], *, format: str | None = None, default: str
) -> Writer:
    """The writer named ``format``; else the first whose suffixes hold ``path``'s, else ``default``.

    Raises
    ------
    ScenarioError
        ``format`` names no writer (the message lists them).

    Examples
    --------
    >>> from negotiation.io import WRITERS
    >>> find_writer(Path("out/deal"), WRITERS, format="genius", default="toml").name
    'genius'
    >>> find_writer(Path("s.toml"), WRITERS, default="toml").name
    'toml'
    """
    if format is not None:
        return _named(writers, format, "writer", file=str(path))
    for writer in writers:
        if path.suffix.lower() in writer.suffixes:
            return writer
    return _named(writers, default, "writer", file=str(path))


def _named(entries: Sequence[_Entry], name: str, kind: str, file: str | None = None) -> _Entry:
    for entry in entries:
        if entry.name == name:
            return entry
    raise ScenarioError(
        f"no scenario {kind} named {name!r} (known: {', '.join(e.name for e in entries)})",
        file=file,
    )
