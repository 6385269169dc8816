"""Reading and writing scenario files: one module per format, one registry entry per format.

:data:`READERS` and :data:`WRITERS` list the formats; :func:`load_scenario` and
:func:`save_scenario` look a path up there (by folder, suffix and, where two formats share a
suffix, a sniff of the content) -- no format is named anywhere else.

* :mod:`negotiation.io.toml` -- the package's own TOML scenario files (the default).
* :mod:`negotiation.io.genius` -- GENIUS XML domains and profiles (the ANAC competitions
  2010-2019 and much of the negotiation literature): :func:`load_genius`, :func:`save_genius`.
* :mod:`negotiation.io.geniusweb` -- GeniusWeb JSON profiles (linear additive):
  :func:`load_geniusweb`.
* :mod:`negotiation.io.spatial` -- the political forecasting field's spatial data (BDM CSV and
  KTAB SMP CSV in :mod:`~negotiation.io.spatial_csv`, Decide input in
  :mod:`~negotiation.io.decide`): :func:`load_spatial`.

Reading never executes or resolves anything from a file: TOML is data, XML is parsed with
``defusedxml`` with document type declarations (hence entity expansion and external entities)
refused, and every file is read with a size bound (:func:`~negotiation.io.reading.read_bounded`).

To add a format: write ``negotiation/io/<format>.py`` with ``read(path) -> Scenario`` (errors
are :class:`~negotiation.errors.ScenarioError` naming the file) and add one :class:`Reader`
(or :class:`Writer`) line below.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from negotiation.io.bundled import bundled_scenarios, resolve
from negotiation.io.genius import (
    GeniusWarning,
    find_genius_domains,
    issue_identifier,
    load_genius,
    save_genius,
)
from negotiation.io.genius.write import write_genius_folder
from negotiation.io.geniusweb import load_geniusweb
from negotiation.io.registry import Reader, Writer, find_reader, find_writer
from negotiation.io.spatial import SPATIAL_SUFFIXES, load_spatial, load_spatial_scenario
from negotiation.io.toml import dumps_scenario, load_toml, loads_scenario, save_toml
from negotiation.model.scenario import Scenario

__all__ = [
    "READERS",
    "WRITERS",
    "GeniusWarning",
    "Reader",
    "Writer",
    "bundled_scenarios",
    "dumps_scenario",
    "find_genius_domains",
    "issue_identifier",
    "load_genius",
    "load_geniusweb",
    "load_scenario",
    "load_spatial",
    "loads_scenario",
    "save_genius",
    "save_scenario",
]

#: The readable formats, in look-up order (the first that takes a path reads it).
READERS: tuple[Reader, ...] = (
    Reader("genius", (".xml",), load_genius, "GENIUS XML domain (file or folder)", folders=True),
    Reader("geniusweb", (".json",), load_geniusweb, "GeniusWeb JSON profile"),
    Reader("spatial", SPATIAL_SUFFIXES, load_spatial_scenario, "BDM / KTAB SMP CSV, Decide"),
    Reader("toml", (".toml",), load_toml, "negotiation scenario (TOML)"),
)

#: The writable formats (``save_scenario(..., format=name)``; else by the target's suffix).
WRITERS: tuple[Writer, ...] = (
    Writer("toml", (".toml",), save_toml, "negotiation scenario (TOML)"),
    Writer("genius", (), write_genius_folder, "GENIUS XML domain and profiles (a folder)"),
)

#: What a path no reader or writer claims is taken to be (any other suffix: TOML, as always).
DEFAULT_FORMAT = "toml"


def load_scenario(source: str | Path, *, readers: Sequence[Reader] = READERS) -> Scenario:
    """Load a scenario from a file path, or a bundled scenario by name.

    The format is looked up in ``readers`` (default :data:`READERS`): a GENIUS domain (an
    ``.xml`` file or a folder holding one) is read by :mod:`negotiation.io.genius`, a GeniusWeb
    ``.json`` profile by :mod:`negotiation.io.geniusweb`, a spatial data file
    (``.csv``/``.txt``/``.tsv``: BDM CSV, KTAB SMP CSV or Decide) by
    :mod:`negotiation.io.spatial`, anything else as TOML (:mod:`negotiation.io.toml`).

    Raises
    ------
    ScenarioError
        With the file, party, issue and level of the first problem found.

    Examples
    --------
    >>> load_scenario("ukraine_2025").party_names[:2]
    ('Russia', 'Ukraine')
    """
    path = resolve(source)
    return find_reader(path, readers, default=DEFAULT_FORMAT).read(path)


def save_scenario(
    scenario: Scenario,
    path: str | Path,
    *,
    overwrite: bool = False,
    format: str | None = None,
    writers: Sequence[Writer] = WRITERS,
) -> Path:
    """Write ``scenario`` to ``path`` in the format named ``format`` (default: by suffix, TOML).

    An existing file is never replaced silently: unless ``overwrite=True`` each writer refuses
    with a :class:`~negotiation.errors.ScenarioError` (see :func:`negotiation.io.toml.save_toml`,
    :func:`negotiation.io.genius.write.write_genius_folder`). Returns the (main) file written.
    """
    path = Path(path)
    writer = find_writer(path, writers, format=format, default=DEFAULT_FORMAT)
    return writer.write(scenario, path, overwrite=overwrite)
