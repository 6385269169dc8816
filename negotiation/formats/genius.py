"""Moved to :mod:`negotiation.io.genius`; kept so that documented imports keep working."""

from negotiation.io.genius import *  # noqa: F403
from negotiation.io.genius import __all__ as __all__
from negotiation.io.genius.names import _natural_key as _natural_key
from negotiation.io.genius.xml import _load_xml as _load_xml
