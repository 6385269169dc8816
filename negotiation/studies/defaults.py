"""Defaults shared by the sweeps and the report (a light module: the command line reads these
when it builds its options, before it imports any computation)."""

#: Monte Carlo samples of ``negotiation sweep`` and of the report's uncertainty section: the same
#: default in both, so that the same seed and N give the same level probabilities.
DEFAULT_SAMPLES = 1000

#: ``negotiation corpus --quick``: analyse this many small domains ...
QUICK_DOMAINS = 6
#: ... of at most this many outcomes.
QUICK_MAX_OUTCOMES = 5_000

#: Per-domain budgets of ``negotiation corpus``: seconds and megabytes (address space above the
#: parent's) for loading and analysing one domain in its worker process.
DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_MEMORY = 2048
