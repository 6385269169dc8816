"""Moved to :mod:`negotiation.io.decide`; kept so that documented imports keep working."""

from negotiation.io.decide import *  # noqa: F403
from negotiation.io.decide import __all__ as __all__
