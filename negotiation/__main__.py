"""``python -m negotiation`` runs the command line."""

import sys

from negotiation.cli import main

sys.exit(main())
