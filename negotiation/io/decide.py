"""Read the input files of the Decide exchange model (``#A``, ``#P``, ``#M``, ``#D`` rows).

Decide (Stokman's exchange model, https://github.com/foarsitter/decide-exchange-model) reads a
delimited text file (tab, semicolon or comma) in which the first field of each row says what
the row holds:

=====  ==========================================================================
``#A`` an actor: ``#A, key, full name``
``#P`` an issue: ``#P, name, description``
``#M`` a meaningful position of an issue: ``#M, issue, position, meaning``
``#D`` an actor on an issue: ``#D, actor, issue, position, salience, power[, comment]``
``#O``, ``#/``  comments (ignored), as are blank rows
=====  ==========================================================================

As in Decide, each issue's scale runs from its smallest to its largest ``#M`` position (0--100
when it has none) and positions are mapped onto 0--100 by it; salience and power are in
[0, 1] (power up to 100, Decide's bound). Every actor needs a ``#D`` row on every issue (Decide
lets an actor skip an issue; the forecasting models here need the full table, so a missing row
is an error naming the actor and the issue). Errors name the file, the row and the column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from negotiation.errors import ScenarioError
from negotiation.io.genius.names import issue_identifier
from negotiation.io.spatial_csv import number, read_rows
from negotiation.model.spatial import SpatialProblem

__all__ = ["load_decide", "is_decide_text", "ROW_KINDS"]

#: The row markers of the format.
ROW_KINDS = ("#A", "#P", "#M", "#D", "#O", "#/")


def _delimiter(text: str) -> str:
    for line in text.splitlines():
        if line.startswith("#"):
            for d in ("\t", ";", ","):
                if d in line:
                    return d
    return "\t"


def is_decide_text(head: str) -> bool:
    """True when the first non-blank line starts with one of the row markers."""
    for line in head.splitlines():
        if line.strip():
            return line.lstrip().startswith(ROW_KINDS)
    return False


def load_decide(path: str | Path) -> SpatialProblem:
    """Read a Decide input file into a spatial problem (see the module docstring).

    Examples
    --------
    >>> import tempfile, os
    >>> rows = ["#A\\tA\\tActor A", "#A\\tB\\tActor B", "#P\\ttax\\tTax rate",
    ...         "#M\\ttax\\t0\\tnone", "#M\\ttax\\t50\\thigh",
    ...         "#D\\tA\\ttax\\t10\\t0.5\\t1", "#D\\tB\\ttax\\t40\\t1\\t0.5"]
    >>> with tempfile.TemporaryDirectory() as d:
    ...     f = os.path.join(d, "in.txt"); _ = open(f, "w").write("\\n".join(rows))
    ...     p = load_decide(f)
    >>> p.positions.ravel().tolist(), p.scale.tolist()
    ([20.0, 80.0], [[0.0, 50.0]])
    """
    path = Path(str(path))
    try:
        head = path.read_text(encoding="utf-8-sig", errors="replace")[:4096]
    except OSError as err:
        raise ScenarioError(f"cannot read: {err.strerror or err}", file=str(path)) from None
    data = _Rows()
    for r, row in enumerate(read_rows(path, delimiter=_delimiter(head)), start=1):
        if any(row):
            data.add(r, row, path)
    if len(data.actors) < 2 or not data.issues:
        raise ScenarioError("needs at least two #A actors and one #P issue", file=str(path))
    names, idents = list(data.issues), list[str]()
    for nm in names:
        idents.append(issue_identifier(nm, idents))
    x, s, c, scale = _arrays(data, names, path)
    return SpatialProblem(
        name=issue_identifier(path.stem, fallback="decide"),
        actors=tuple(data.actors),
        issues=tuple(idents),
        positions=x,
        capability=c,
        salience=s,
        scale=scale,
        labels=tuple(data.issues[k] or k for k in names),
        file=str(path),
        sources=(f"Decide input file {path.name}",),
    )


@dataclass
class _Rows:
    """What the rows of a Decide file say, as read (row numbers kept for messages)."""

    actors: dict[str, str] = field(default_factory=dict)  # name -> description
    issues: dict[str, str] = field(default_factory=dict)  # name -> description
    marks: dict[str, list[float]] = field(default_factory=dict)  # issue -> #M positions
    cells: dict[tuple[str, str], tuple[int, float, float, float]] = field(default_factory=dict)

    def add(self, r: int, row: list[str], path: Path) -> None:
        """Take row ``r`` (a non-blank row); errors name the row and column."""
        kind = row[0]
        if kind in ("#O", "#/") or kind.startswith("#/"):
            return
        if kind not in ROW_KINDS:
            raise ScenarioError(
                f"row {r}, column 1: unknown row type {kind!r} (expected one of "
                f"{', '.join(ROW_KINDS)})",
                file=str(path),
            )
        need = {"#A": 2, "#P": 2, "#M": 3, "#D": 6}[kind]
        if len(row) < need or not row[1]:
            raise ScenarioError(f"row {r}: a {kind} row needs {need} fields", file=str(path))
        if kind == "#A":
            if row[1] in self.actors:
                raise ScenarioError(
                    f"row {r}, column 2: actor {row[1]!r} is listed twice", file=str(path)
                )
            self.actors[row[1]] = row[2] if len(row) > 2 else row[1]
        elif kind == "#P":
            if row[1] in self.issues:
                raise ScenarioError(
                    f"row {r}, column 2: issue {row[1]!r} is listed twice", file=str(path)
                )
            self.issues[row[1]] = row[2] if len(row) > 2 else row[1]
            self.marks.setdefault(row[1], [])
        elif kind == "#M":
            if row[1] not in self.issues:
                raise ScenarioError(
                    f"row {r}, column 2: issue {row[1]!r} has no #P row above", file=str(path)
                )
            self.marks[row[1]].append(number(row[2], path, r, "position"))
        else:
            self._add_cell(r, row, path)

    def _add_cell(self, r: int, row: list[str], path: Path) -> None:
        actor, issue = row[1], row[2]
        if actor not in self.actors:
            raise ScenarioError(
                f"row {r}, column 2: unknown actor {actor!r} (no #A row)", file=str(path)
            )
        if issue not in self.issues:
            raise ScenarioError(
                f"row {r}, column 3: unknown issue {issue!r} (no #P row)", file=str(path)
            )
        if (actor, issue) in self.cells:
            raise ScenarioError(
                f"row {r}: actor {actor!r} on issue {issue!r} is given twice", file=str(path)
            )
        self.cells[(actor, issue)] = (
            r,
            number(row[3], path, r, "position"),
            number(row[4], path, r, "salience", low=0.0, high=1.0),
            number(row[5], path, r, "power", low=0.0, high=100.0),
        )


def _arrays(
    data: _Rows, names: list[str], path: Path
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Positions (rescaled to 0..100 over each issue's #M range), salience, power, scale."""
    n, m = len(data.actors), len(names)
    x, s, c = np.zeros((n, m)), np.zeros((n, m)), np.zeros((n, m))
    scale = np.zeros((m, 2))
    for d, issue in enumerate(names):
        marks = data.marks[issue]
        lo, hi = (min(marks), max(marks)) if marks else (0.0, 100.0)
        if hi <= lo:
            raise ScenarioError(
                f"issue {issue!r}: its #M positions must span an interval, got [{lo:g}, {hi:g}]",
                file=str(path),
            )
        scale[d] = lo, hi
        for a, actor in enumerate(data.actors):
            if (actor, issue) not in data.cells:
                raise ScenarioError(
                    f"actor {actor!r} has no #D row for issue {issue!r}", file=str(path)
                )
            r, pos, sal, pw = data.cells[(actor, issue)]
            if not lo <= pos <= hi:
                raise ScenarioError(
                    f"row {r}, column 'position': {pos:g} is outside the issue's #M range "
                    f"[{lo:g}, {hi:g}]",
                    file=str(path),
                )
            x[a, d] = (pos - lo) * 100.0 / (hi - lo)
            s[a, d], c[a, d] = sal, pw
    return x, s, c, scale
