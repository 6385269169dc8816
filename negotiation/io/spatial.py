"""Pick the reader of a spatial data file (BDM CSV, KTAB SMP CSV or Decide) by its content.

``.csv`` and ``.txt`` files are sniffed: a first non-blank line starting with a Decide row
marker (``#A``, ``#P``, ...) is a Decide file; a header starting ``Actor,Capability`` a BDM
CSV (``Actor,Capability,Position,Salience``); a header (or, after KTAB's scenario line, a second line) starting with
``Actor,Description,Power`` an SMP CSV. Anything else is refused with a message listing the
three formats.
"""

from __future__ import annotations

from pathlib import Path

from negotiation.errors import ScenarioError
from negotiation.io.decide import is_decide_text, load_decide
from negotiation.io.spatial_csv import BDM_HEADER, load_bdm_csv, load_smp_csv
from negotiation.model.scenario import Scenario
from negotiation.model.spatial import SpatialProblem

__all__ = ["load_spatial", "load_spatial_scenario", "SPATIAL_SUFFIXES"]

#: File suffixes read as spatial data by :func:`negotiation.load_scenario`.
SPATIAL_SUFFIXES = (".csv", ".txt", ".tsv")


def load_spatial(path: str | Path) -> SpatialProblem:
    """Read a BDM CSV, KTAB SMP CSV or Decide file into a :class:`SpatialProblem`."""
    path = Path(str(path))
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as fh:
            head = fh.read(4096)
    except OSError as err:
        raise ScenarioError(f"cannot read: {err.strerror or err}", file=str(path)) from None
    if is_decide_text(head):
        return load_decide(path)
    lines = [ln for ln in head.splitlines() if ln.strip()]
    first = [f.strip().lower() for f in lines[0].split(",")] if lines else []
    second = [f.strip().lower() for f in lines[1].split(",")] if len(lines) > 1 else []
    if tuple(first[:2]) == BDM_HEADER[:2]:  # the reader checks the rest of the header
        return load_bdm_csv(path)
    if first[:3] == ["actor", "description", "power"] or second[:3] == [
        "actor",
        "description",
        "power",
    ]:
        return load_smp_csv(path)
    raise ScenarioError(
        "not a recognised spatial data file: expected a BDM CSV (header "
        "Actor,Capability,Position,Salience), a KTAB SMP CSV (header "
        "Actor,Description,Power,...) or a Decide file (#A/#P/#M/#D rows)",
        file=str(path),
    )


def load_spatial_scenario(path: Path) -> Scenario:
    """A spatial data file read as a scenario (:meth:`SpatialProblem.to_scenario`)."""
    return load_spatial(path).to_scenario()
