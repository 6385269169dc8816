"""Read the forecasting field's CSV files: the BDM CSV and KTAB's SMP CSV.

**BDM CSV** (Bueno de Mesquita's expected utility data, one issue): a header
``Actor,Capability,Position,Salience`` and one row per actor, e.g. the EU car-emissions data of
BDM 1994 (``negotiation/forecast/data/eu_car_emissions.csv``). The issue is named after the
file. Positions are in any units; they are mapped to the 0--100 continuum by the smallest and
largest position in the file (``scale``; a file where every actor holds the same position is
centred at 50). Salience is on BDM's 0--100 scale, or on 0--1 when no value exceeds 1.

**SMP CSV** (the KAPSARC Toolkit for Behavioral Analysis, Spatial Model of Politics): an
optional first line ``scenario name,description,number of actors,number of dimensions``, then
a header ``Actor,Description,Power,<dimension 1>,<salience 1>,...`` and one row per actor with
its power, then a position and a salience per dimension, both on 0--100 (KTAB's own bounds,
which are checked here too; an actor's saliences sum to at most 100).

Both become a :class:`~negotiation.model.spatial.SpatialProblem`. Errors name the file, the row
(1-based, as a spreadsheet shows it) and the column.

References
----------
.. [BuenoDeMesquita1994] Bueno de Mesquita, "Political forecasting: an expected utility method"
   (1994). Full entry: docs/references.md.
.. [WLE2015] Wise, Lumley, Efird et al., "KTAB: the KAPSARC Toolkit for Behavioral Analysis" (2015);
   KTAB ``SMPModel::readCSVStream``. Full entry: docs/references.md.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np

from negotiation.errors import ScenarioError
from negotiation.io.genius.names import issue_identifier
from negotiation.io.genius.xml import MAX_FILE_BYTES
from negotiation.model.spatial import SpatialProblem

__all__ = ["read_rows", "load_bdm_csv", "load_smp_csv", "BDM_HEADER"]

#: The header of a BDM CSV file (compared case-insensitively).
BDM_HEADER = ("actor", "capability", "position", "salience")


def read_rows(path: Path, *, delimiter: str = ",") -> list[list[str]]:
    """The rows of a small text table (UTF-8, at most ``MAX_FILE_BYTES``), blank rows kept."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ScenarioError(f"file is larger than {MAX_FILE_BYTES} bytes", file=str(path))
        text = path.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise ScenarioError(f"cannot read: {err.strerror or err}", file=str(path)) from None
    except UnicodeDecodeError:
        raise ScenarioError("is not UTF-8 text", file=str(path)) from None
    return [[f.strip() for f in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def number(text: str, path: Path, row: int, column: str, *, low=None, high=None) -> float:
    """``text`` as a finite float within ``[low, high]``; else a ScenarioError naming the cell."""
    try:
        x = float(text)
    except ValueError:
        raise ScenarioError(
            f"row {row}, column {column!r}: not a number: {text!r}", file=str(path)
        ) from None
    if not math.isfinite(x):
        raise ScenarioError(f"row {row}, column {column!r}: not finite: {text!r}", file=str(path))
    if (low is not None and x < low) or (high is not None and x > high):
        raise ScenarioError(
            f"row {row}, column {column!r}: {x:g} is outside [{low:g}, {high:g}]", file=str(path)
        )
    return x


def _data_rows(rows: list[list[str]], start: int) -> list[tuple[int, list[str]]]:
    return [(k + 1, r) for k, r in enumerate(rows) if k >= start and any(r)]


def load_bdm_csv(path: str | Path) -> SpatialProblem:
    """Read a BDM CSV file (see the module docstring).

    Examples
    --------
    >>> from importlib import resources
    >>> p = load_bdm_csv(resources.files("negotiation") / "forecast/data/eu_car_emissions.csv")
    >>> len(p.actors), p.issues, p.scale.tolist()
    (10, ('eu_car_emissions',), [[4.0, 10.0]])
    """
    path = Path(str(path))
    rows = read_rows(path)
    if not rows or tuple(h.lower() for h in rows[0][:4]) != BDM_HEADER:
        raise ScenarioError(
            "row 1: a BDM CSV file starts with the header Actor,Capability,Position,Salience",
            file=str(path),
        )
    actors, cap, pos, sal = [], [], [], []
    for r, row in _data_rows(rows, 1):
        if len(row) < 4 or not row[0]:
            raise ScenarioError(
                f"row {r}: needs 4 fields (actor, capability, position, salience), got {len(row)}",
                file=str(path),
            )
        if row[0] in actors:
            raise ScenarioError(
                f"row {r}, column 'Actor': {row[0]!r} is listed twice", file=str(path)
            )
        actors.append(row[0])
        cap.append(number(row[1], path, r, "Capability", low=0.0))
        pos.append(number(row[2], path, r, "Position"))
        sal.append(number(row[3], path, r, "Salience", low=0.0, high=100.0))
    if len(actors) < 2:
        raise ScenarioError("needs at least two actors", file=str(path))
    x = np.array(pos)
    lo, hi = float(x.min()), float(x.max())
    if hi == lo:
        lo, hi = lo - 1.0, hi + 1.0
    s = np.array(sal)
    if s.max() > 1.0:
        s = s / 100.0
    name = issue_identifier(path.stem)
    return SpatialProblem(
        name=name,
        actors=tuple(actors),
        issues=(name,),
        positions=((x - lo) / (hi - lo) * 100.0)[:, None],
        capability=np.array(cap)[:, None],
        salience=s[:, None],
        scale=np.array([[lo, hi]]),
        labels=(path.stem,),
        file=str(path),
        sources=(f"BDM CSV file {path.name}",),
    )


def load_smp_csv(path: str | Path) -> SpatialProblem:
    """Read a KTAB SMP CSV file (see the module docstring).

    Examples
    --------
    >>> import tempfile, os
    >>> text = "Actor,Description,Power,Tax,Sal1\\nA,left,10,20,80\\nB,right,30,90,50\\n"
    >>> with tempfile.TemporaryDirectory() as d:
    ...     f = os.path.join(d, "smp.csv"); _ = open(f, "w").write(text)
    ...     p = load_smp_csv(f)
    >>> p.issues, p.positions.tolist(), p.salience.tolist()
    (('tax',), [[20.0], [90.0]], [[0.8], [0.5]])
    """
    path = Path(str(path))
    rows = read_rows(path)
    start, declared = 0, None
    if rows and rows[0] and rows[0][0].lower() != "actor":
        head = rows[0]
        if len(head) < 4:
            raise ScenarioError(
                "row 1: expected 'name,description,actors,dimensions' or the Actor header",
                file=str(path),
            )
        declared = (
            int(number(head[2], path, 1, "actors", low=1)),
            int(number(head[3], path, 1, "dimensions", low=1)),
        )
        start = 1
    if len(rows) <= start or [h.lower() for h in rows[start][:3]] != [
        "actor",
        "description",
        "power",
    ]:
        raise ScenarioError(
            f"row {start + 1}: the header must start with Actor,Description,Power", file=str(path)
        )
    header = [h for h in rows[start] if h]
    dims = (len(header) - 3) // 2
    if dims < 1 or len(header) != 3 + 2 * dims:
        raise ScenarioError(
            f"row {start + 1}: after Actor,Description,Power the header needs pairs of "
            f"position and salience columns, got {len(header) - 3} columns",
            file=str(path),
        )
    if declared and declared[1] != dims:
        raise ScenarioError(
            f"row 1 declares {declared[1]} dimensions, the header has {dims}", file=str(path)
        )
    names = header[3::2]
    idents: list[str] = []
    for nm in names:
        idents.append(issue_identifier(nm, idents))
    actors, cap, pos, sal = [], [], [], []
    for r, row in _data_rows(rows, start + 1):
        fields = row[: 3 + 2 * dims]
        if len(fields) < 3 + 2 * dims or not fields[0]:
            raise ScenarioError(
                f"row {r}: needs {3 + 2 * dims} fields (actor, description, power and a "
                f"position and a salience per dimension), got {len(row)}",
                file=str(path),
            )
        if fields[0] in actors:
            raise ScenarioError(
                f"row {r}, column 'Actor': {fields[0]!r} is listed twice", file=str(path)
            )
        actors.append(fields[0])
        cap.append(number(fields[2], path, r, "Power", low=0.0))
        p_row, s_row = [], []
        for d in range(dims):
            p_row.append(number(fields[3 + 2 * d], path, r, header[3 + 2 * d], low=0.0, high=100.0))
            s_row.append(number(fields[4 + 2 * d], path, r, header[4 + 2 * d], low=0.0, high=100.0))
        if sum(s_row) > 100.0 + 1e-9:
            raise ScenarioError(
                f"row {r}: the saliences of {fields[0]!r} sum to {sum(s_row):g}, more than 100",
                file=str(path),
            )
        pos.append(p_row)
        sal.append(s_row)
    if declared and declared[0] != len(actors):
        raise ScenarioError(
            f"row 1 declares {declared[0]} actors, the file has {len(actors)}", file=str(path)
        )
    if len(actors) < 2:
        raise ScenarioError("needs at least two actors", file=str(path))
    m = dims
    return SpatialProblem(
        name=issue_identifier(rows[0][0] if declared else path.stem, fallback="smp"),
        actors=tuple(actors),
        issues=tuple(idents),
        positions=np.array(pos),
        capability=np.repeat(np.array(cap)[:, None], m, axis=1),
        salience=np.array(sal) / 100.0,
        scale=np.tile([0.0, 100.0], (m, 1)),
        labels=tuple(names),
        file=str(path),
        sources=(f"KTAB SMP CSV file {path.name}",),
    )
