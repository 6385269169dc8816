"""Moved to :mod:`negotiation.io`; kept so that documented imports keep working."""

from negotiation.io import (
    GeniusWarning,
    find_genius_domains,
    issue_identifier,
    load_genius,
    load_geniusweb,
    load_spatial,
    save_genius,
)

__all__ = [
    "GeniusWarning",
    "find_genius_domains",
    "issue_identifier",
    "load_genius",
    "load_geniusweb",
    "load_spatial",
    "save_genius",
]
