"""Puts this folder on sys.path, so that the test modules can import :mod:`plot_helpers`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
