"""The studies layer: sweeps over uncertain inputs (grids, Monte Carlo) and their summaries,
strategy tournaments, and the GENIUS corpus run.

The names below are imported on first use (PEP 562): the command line reads
:mod:`negotiation.studies.defaults` without paying for pandas and the engine.
"""

_LAZY = {
    "apply_inputs": "negotiation.studies.inputs",
    "parse_path": "negotiation.studies.inputs",
    "read_input": "negotiation.studies.inputs",
    "grid_samples": "negotiation.studies.sweep",
    "level_probabilities": "negotiation.studies.sweep",
    "monte_carlo_samples": "negotiation.studies.sweep",
    "robustness": "negotiation.studies.sweep",
    "run_sweep": "negotiation.studies.sweep",
    "tornado": "negotiation.studies.sweep",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'negotiation.studies' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
