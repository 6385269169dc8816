"""Moved to :mod:`negotiation.io.spatial_csv`; kept so that documented imports keep working."""

from negotiation.io.spatial_csv import *  # noqa: F403
from negotiation.io.spatial_csv import __all__ as __all__
from negotiation.io.spatial_csv import number as number
