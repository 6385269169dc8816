"""Moved to :mod:`negotiation.io.geniusweb`; kept so that documented imports keep working."""

from negotiation.io.geniusweb import *  # noqa: F403
from negotiation.io.geniusweb import __all__ as __all__
