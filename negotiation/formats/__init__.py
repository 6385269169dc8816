"""Interchange formats: read and write negotiation domains made by other tools.

* :mod:`negotiation.formats.genius` -- GENIUS XML domains and profiles (the ANAC competitions
  2010-2019 and much of the negotiation literature): :func:`load_genius`, :func:`save_genius`.
* :mod:`negotiation.formats.geniusweb` -- GeniusWeb JSON profiles (linear additive):
  :func:`load_geniusweb`.
* :mod:`negotiation.formats.spatial` -- the political forecasting field's spatial data (BDM
  CSV and KTAB SMP CSV in :mod:`~negotiation.formats.spatial_csv`, Decide input in
  :mod:`~negotiation.formats.decide`): :func:`load_spatial`.

:func:`negotiation.load_scenario` dispatches ``.xml`` files and folders to :func:`load_genius`.
Reading never executes or resolves anything from a file: XML is parsed with ``defusedxml`` with
document type declarations (hence entity expansion and external entities) refused.
"""

from negotiation.formats.genius import (
    GeniusWarning,
    find_genius_domains,
    issue_identifier,
    load_genius,
    save_genius,
)
from negotiation.formats.geniusweb import load_geniusweb
from negotiation.formats.spatial import load_spatial

__all__ = [
    "GeniusWarning",
    "find_genius_domains",
    "issue_identifier",
    "load_genius",
    "load_geniusweb",
    "load_spatial",
    "save_genius",
]
