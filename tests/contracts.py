"""JSON contracts the issues spell out, written once for the tests that check them.

These are the issue's words, not the code's: a test compares what the code writes with them.
"""

#: Keys every scored proposal carries (``negotiation evaluate --json``, the scorecard's
#: ``to_dict()``, the levers study's proposals); issue 14.
EVALUATION_KEYS = frozenset(
    {
        "name",
        "terms",
        "utilities",
        "reservations",
        "accepted_by",
        "rejected_by",
        "red_lines_crossed",
        "constraints_crossed",
        "ranks",
        "efficient",
        "dominated_by",
        "distance_to_frontier",
        "distance_to_solutions",
        "completions",
    }
)
