"""The zone of agreement's counts (negotiation.report.sections.zone), against the engine and a
brute force over the scenario file."""

from __future__ import annotations

from brute_force import brute_force

import negotiation as ng
from negotiation.engine.analysis import analyze
from negotiation.report import zone_of_agreement
from negotiation.report.sections.zone import sample_outcomes


def test_zone_of_agreement_counts():
    s = ng.load_scenario("ukraine_2025")
    levels = s.space.enumerate()
    zone = zone_of_agreement(s, s.utilities(levels), levels)
    f = analyze(s, lotteries=False).frontier
    assert zone["n"] == f.n_outcomes and zone["allowed"] == f.n_allowed
    assert zone["feasible"] == f.n_feasible == int(zone["feasible_mask"].sum())
    assert min(zone["accepts"].values()) >= zone["feasible"]


def test_zone_counts_against_the_brute_force():
    """Textbook case: 36 outcomes, no joint constraint, 19 feasible; a party accepts an
    outcome on its own when it reaches its reservation and crosses none of its red lines."""
    s = ng.load_scenario("textbook_two_party")
    bf = brute_force("textbook_two_party")
    levels = s.space.enumerate()
    zone = zone_of_agreement(s, s.utilities(levels), levels)
    assert zone["n"] == zone["allowed"] == 36
    assert zone["feasible"] == len(bf["feasible"]) == 19
    deals = [{i.name: i.levels[x] for i, x in zip(s.issues, row, strict=True)} for row in levels]
    index = {tuple(d.values()): k for k, d in enumerate(bf["outcomes"])}
    red = {("64k", "four_days")}  # the Employer's only red line (salary and remote days)
    for p in bf["utilities"]:
        accepts = sum(
            bf["utilities"][p][index[tuple(d.values())]] >= bf["reservations"][p]
            and not (p == "Employer" and (d["salary"], d["remote_days"]) in red)
            for d in deals
        )
        assert zone["accepts"][p] == accepts, p
    assert zone["red_line"] == {"Candidate": 0, "Employer": 3}  # 64k + four days x 3 starts


def test_sample_outcomes_enumerates_small_spaces_and_samples_large_ones():
    s = ng.load_scenario("textbook_two_party")
    levels, exact = sample_outcomes(s, 36, seed=0)
    assert exact and levels.shape == (36, 3)
    levels, exact = sample_outcomes(s, 10, seed=0)
    assert not exact and levels.shape == (10, 3)
    again, _ = sample_outcomes(s, 10, seed=0)
    assert (levels == again).all()  # seeded
