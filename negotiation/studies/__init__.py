"""The studies layer: sweeps over uncertain inputs (grids, Monte Carlo) and their summaries."""

from negotiation.studies.inputs import apply_inputs, parse_path, read_input
from negotiation.studies.sweep import (
    grid_samples,
    level_probabilities,
    monte_carlo_samples,
    robustness,
    run_sweep,
    tornado,
)

__all__ = [
    "apply_inputs",
    "grid_samples",
    "level_probabilities",
    "monte_carlo_samples",
    "parse_path",
    "read_input",
    "robustness",
    "run_sweep",
    "tornado",
]
