"""US pressure on the Ukraine 2025 talks, lever by lever: the scenario's own sourced what-ifs.

    python experiments/ukraine_us_pressure.py [--quick] [--out DIR]

Applies every ``[[lever]]`` of ``ukraine_2025`` (US support withdrawn, Europe doing more,
sanctions strengthened, the US backing Russia's demands, Ukraine's Donbas line softened), each
alone and in pairs (``--quick``: alone), and ranks them by effect
(:func:`negotiation.studies.levers.lever_effects`): does the zone of agreement open or close,
how the feasible count changes, which solution terms change. For each variant also the
Russia-Ukraine Rubinstein equilibrium. Writes ``levers.json``, ``levers.csv`` and figures to
``results/ukraine_us_pressure/``. The lever sizes are the analyst's assumptions (see the
scenario file): a model for analysis, not a forecast.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import pandas as pd
from _common import parse_args, save_figure

import negotiation as ng
from negotiation.dynamics.games import rubinstein
from negotiation.engine.analysis import analyze
from negotiation.plots import plot_gains
from negotiation.studies.levers import lever_effects

NAME = "ukraine_us_pressure"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(NAME, __doc__.splitlines()[0], argv)
    scenario = ng.load_scenario("ukraine_2025")
    study = lever_effects(scenario, pairs=not args.quick, progress=not args.quick)
    print(study.summary())
    rows = []
    b = study.baseline
    r0 = rubinstein(b.frontier.scenario, ("Russia", "Ukraine"), frontier=b.frontier)
    equilibria = {"baseline": list(r0.utilities.values())}
    for k, e in enumerate(study.effects, 1):
        row = {"rank": k, "levers": e.name, "zone_open": e.zone_open, "n_feasible": e.n_feasible}
        variant = scenario
        for lever in e.levers:
            variant = lever.apply_unchecked(variant)
        if e.zone_open:
            a = analyze(variant, lotteries=False, continuous=False)
            r = rubinstein(a.scenario, ("Russia", "Ukraine"), frontier=a.frontier)
            row.update({f"rubinstein.u.{p}": u for p, u in r.utilities.items()})
            row.update({f"nash.u.{p}": u for p, u in e.solutions["nash"]["utilities"].items()})
            if len(e.levers) == 1:
                equilibria[e.levers[0].name] = list(r.utilities.values())
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame.to_csv(args.out / "levers.csv", index=False)
    (args.out / "levers.json").write_text(
        json.dumps(study.to_json(), indent=2, ensure_ascii=False, allow_nan=False),
        encoding="utf-8",
    )
    print(frame.to_string(index=False, float_format="%.3f"))
    ax = plot_gains(
        equilibria,
        disagreement=scenario.reservations,
        parties=list(scenario.party_names),
        title="Rubinstein equilibrium (Russia vs Ukraine) under each lever alone",
    )
    paths = save_figure(ax.figure, args.out / "rubinstein_under_levers")
    print(
        f"\nwrote {args.out / 'levers.csv'}, levers.json and {len(paths)} figure files in {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
