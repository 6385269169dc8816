"""Moved to :mod:`negotiation.io.spatial`; kept so that documented imports keep working."""

from negotiation.io.spatial import *  # noqa: F403
from negotiation.io.spatial import __all__ as __all__
