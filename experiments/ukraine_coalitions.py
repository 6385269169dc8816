"""What can subsets of the parties agree on, and at what cost to the others?

    python experiments/ukraine_coalitions.py [--quick] [--out DIR]

For every coalition of the ukraine_2025 parties: whether its members alone have a zone of
agreement, how many of those deals all outsiders reject, the coalition's own Nash deal and each
outsider's gain or loss there against its walk-away value; Shapley values and the core of the
induced game. Writes ``coalitions.csv`` and ``shapley.csv`` to ``results/ukraine_coalitions/``.
A model for analysis, not a forecast.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from _common import parse_args

import negotiation as ng
from negotiation.dynamics.games import coalitions

NAME = "ukraine_coalitions"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(NAME, __doc__.splitlines()[0], argv)
    scenario = ng.load_scenario("ukraine_2025")
    result = coalitions(scenario)
    table = result.table()
    table.to_csv(args.out / "coalitions.csv", index=False)
    shapley = pd.DataFrame(
        {
            "shapley": result.shapley,
            "power_index": result.power,
            "shapley_unrestricted": result.shapley_unrestricted,
        }
    )
    shapley.to_csv(args.out / "shapley.csv")
    with pd.option_context("display.width", 160, "display.max_columns", 12):
        print(table.to_string(index=False, float_format="%.3f", max_colwidth=40))
    print(
        "\nShapley values: 'shapley' of v (the joint normalised gain of the coalitions that can"
        "\nimpose a deal) and 'power_index' (Shapley-Shubik: how often a party turns a losing"
        "\ncoalition into a winning one) are equal for all under unanimity, where every party is a"
        "\nveto player; 'shapley_unrestricted' (as if any coalition could impose its deal) shows"
        "\nwho adds most to what coalitions could agree on:"
    )
    print(shapley.to_string(float_format="%.3f"))
    print(f"\nwrote {args.out / 'coalitions.csv'} and {args.out / 'shapley.csv'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
