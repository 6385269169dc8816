"""Defaults shared by the sweeps and the report (a light module: the command line reads these
when it builds its options, before it imports any computation)."""

#: Monte Carlo samples of ``negotiation sweep`` and of the report's uncertainty section: the same
#: default in both, so that the same seed and N give the same level probabilities.
DEFAULT_SAMPLES = 1000
