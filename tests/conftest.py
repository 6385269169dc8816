"""Shared test set-up: tests/ on sys.path (for ``strategies``), a headless matplotlib, and
hypothesis profiles (``ci`` is used when CI=true)."""

import os
import sys
from pathlib import Path

import matplotlib
from hypothesis import HealthCheck, settings

matplotlib.use("Agg")
# pytest-xdist's workers set COLUMNS=80; the command line fits its text to COLUMNS, so drop it
# and let every run (serial or parallel) see the same non-terminal default width.
os.environ.pop("COLUMNS", None)
sys.path.insert(0, str(Path(__file__).parent))

settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "dev", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
