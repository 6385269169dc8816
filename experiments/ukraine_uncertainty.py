"""Which deal terms are robust when the parties' weights and walk-away values are uncertain?

    python experiments/ukraine_uncertainty.py [--quick] [--samples N] [--out DIR]

Monte Carlo over the ukraine_2025 scenario: every party's weights drawn from a Dirichlet around
the analyst's estimates (concentration 50) and reservations within +-0.05. Reports how often each
level of each issue is in the Nash deal, how often the baseline Nash deal stays Pareto-feasible,
and which inputs move the outcome most (rank correlations, and a one-at-a-time tornado). Writes
``samples.csv``, ``level_probabilities.csv``, ``tornado.csv`` and figures to
``results/ukraine_uncertainty/``. A model for analysis, not a forecast.
"""

from __future__ import annotations

from collections.abc import Sequence

from _common import parse_args, save_figure

import negotiation as ng
from negotiation.plots import plot_level_frequencies, plot_tornado
from negotiation.studies import (
    level_probabilities,
    monte_carlo_samples,
    read_input,
    robustness,
    run_sweep,
    tornado,
)
from negotiation.studies.sweep import influence

NAME = "ukraine_uncertainty"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(
        NAME,
        __doc__.splitlines()[0],
        argv,
        extra=lambda p: p.add_argument("--samples", type=int, default=2000),
    )
    scenario = ng.load_scenario("ukraine_2025")
    n = 60 if args.quick else args.samples
    samples = monte_carlo_samples(
        scenario, n, seed=args.seed, concentration=50, reservation_spread=0.05
    )
    rows = run_sweep(
        scenario,
        samples,
        out=args.out / "samples.csv",
        workers=1 if args.quick else None,
        progress=not args.quick,
    )
    valid = rows[rows["valid"].astype(bool)]
    print(
        f"{len(rows)} samples: {len(valid)} valid, {int(valid['agreement'].sum())} with a zone "
        "of agreement"
    )
    print(f"the baseline Nash deal stays Pareto-feasible in {robustness(rows):.1%} of them")
    probs = level_probabilities(rows, "nash")
    probs.to_csv(args.out / "level_probabilities.csv", index=False)
    print("\nNash deal terms, most likely level and its probability:")
    for issue, group in probs.groupby("issue", sort=False):
        top = group.sort_values("probability", ascending=False).iloc[0]
        verdict = "robust" if top["probability"] >= 0.9 else "uncertain"
        print(f"  {issue:26s} {top['level']:32s} {top['probability']:6.1%}  {verdict}")
    print("\nInputs that move the Nash utilities most (Spearman rho):")
    print(influence(rows, "nash").head(6).to_string(float_format="%+.2f"))
    ranges = {}
    for party in scenario.party_names:
        r = read_input(scenario, f"{party}/reservation")
        ranges[f"{party}/reservation"] = (r - 0.05, r + 0.05)
    p = scenario.party_names.index("Ukraine")
    for issue, w in zip(scenario.issue_names, scenario.weights[p], strict=True):
        if w > 0:
            raw = read_input(scenario, f"Ukraine/weights/{issue}")
            ranges[f"Ukraine/weights/{issue}"] = (raw * 0.5, raw * 1.5)
    table = tornado(scenario, ranges, solution="nash", party="Ukraine")
    table.to_csv(args.out / "tornado.csv", index=False)
    labels = {i.name: i.display for i in scenario.issues}
    paths = save_figure(
        plot_level_frequencies(probs, issues=labels).figure, args.out / "nash_level_frequencies"
    )
    paths += save_figure(
        plot_tornado(table, solution="nash", issues=labels).figure, args.out / "tornado_ukraine"
    )
    print(f"\nwrote {args.out / 'samples.csv'}, tables and {len(paths)} figure files in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
