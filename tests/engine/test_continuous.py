"""Exact continuous solutions: closed forms, and fine grids converging to them."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import negotiation as ng
from negotiation.engine.continuous import (
    CONTINUOUS_SOLUTIONS,
    ContinuousProblem,
    continuous_solutions,
    continuous_utilities,
    solve_continuous,
)
from negotiation.engine.frontier import enumerate_frontier
from negotiation.engine.solutions import SOLUTIONS
from negotiation.errors import InfeasibleError, NegotiationError, NotApplicableError, ScenarioError
from negotiation.model.scenario import AgreementRule

DOWN = ((0.0, 1.0), (100.0, 0.0))


def pie(power_a=1.0, power_b=1.0, res_a=0.0, res_b=0.0, red_lines_b=(), constraints=()):
    """Split the pie: A's share in [0, 100], both value it linearly (A up, B down)."""
    return ng.Scenario(
        "pie",
        (ng.Issue("share", range=(0.0, 100.0), unit="%"),),
        (
            ng.Party("A", {"share": 1}, power=power_a, reservation=res_a),
            ng.Party(
                "B",
                {"share": 1},
                {"share": DOWN},
                power=power_b,
                reservation=res_b,
                red_lines=red_lines_b,
            ),
        ),
        constraints=constraints,
    )


# -- closed forms -----------------------------------------------------------------------------
def test_split_the_pie_symmetric():
    sols = continuous_solutions(pie())
    for name in CONTINUOUS_SOLUTIONS:
        assert sols[name].x["share"] == pytest.approx(50.0, abs=1e-7), name
        np.testing.assert_allclose(sols[name].utilities, [0.5, 0.5], atol=1e-9)
    assert sols["nash"].objective == pytest.approx(0.25)


@pytest.mark.parametrize("alpha", [(1.0, 1.0), (2.0, 1.0), (1.0, 3.0), (0.5, 4.5), (7.0, 2.0)])
def test_split_the_pie_asymmetric_nash_shares(alpha):
    # maximise a log x + b log(1 - x): x = a / (a + b)
    sol = solve_continuous(pie(*alpha), "asymmetric_nash")
    assert sol.x["share"] / 100 == pytest.approx(alpha[0] / sum(alpha), abs=1e-8)
    # power given explicitly overrides the scenario's
    sol = solve_continuous(pie(), "asymmetric_nash", power=list(alpha))
    assert sol.x["share"] / 100 == pytest.approx(alpha[0] / sum(alpha), abs=1e-8)


@pytest.mark.parametrize("d", [(0.1, 0.0), (0.2, 0.3), (0.0, 0.45)])
def test_split_the_pie_with_reservations(d):
    # Nash: maximise (x - dA)(1 - x - dB): x = (1 + dA - dB) / 2; egalitarian the same point.
    # KS: ideal (1 - dB, 1 - dA), gains proportional to (1 - dA - dB) each: the same point too.
    sols = continuous_solutions(pie(res_a=d[0], res_b=d[1]))
    x = (1 + d[0] - d[1]) / 2
    for name in ("nash", "egalitarian", "kalai_smorodinsky"):
        assert sols[name].x["share"] / 100 == pytest.approx(x, abs=1e-8), name


def test_red_line_on_a_continuous_issue_splits_the_interval():
    # B never accepts 45..70: allowed [0, 45) U (70, 100]; Nash 0.45*0.55 beats 0.7*0.3.
    s = pie(red_lines_b=({"share": (45.0, 70.0)},))
    sol = solve_continuous(s, "nash")
    assert sol.x["share"] == pytest.approx(45.0, abs=1e-7)
    # A constraint forbidding 0..60 for everybody: Nash, egalitarian and utilitarian (whose
    # sum is constant, so the leximin tie-break decides) stop at the cut ...
    s = pie(constraints=({"share": (0.0, 60.0)},))
    for name in ("nash", "asymmetric_nash", "egalitarian", "utilitarian"):
        assert solve_continuous(s, name).x["share"] == pytest.approx(60.0, abs=1e-7), name
    # ... while KS scales by the new ideal (1, 0.4): x = (1 - x) / 0.4, x = 1 / 1.4.
    ks = solve_continuous(s, "kalai_smorodinsky")
    assert ks.x["share"] / 100 == pytest.approx(1 / 1.4, abs=1e-9)


def test_bonus_on_an_interval():
    # A gets a bonus of 0.3 when its share is in [10, 20]: Nash then picks 20
    # (0.5 * 0.8 = 0.4 > 0.25).
    s = ng.Scenario(
        "pie_bonus",
        (ng.Issue("share", range=(0.0, 100.0)),),
        (
            ng.Party("A", {"share": 1}, bonuses=(({"share": (10.0, 20.0)}, 0.3),)),
            ng.Party("B", {"share": 1}, {"share": DOWN}),
        ),
    )
    sol = solve_continuous(s, "nash")
    assert sol.x["share"] == pytest.approx(20.0, abs=1e-7)
    np.testing.assert_allclose(sol.utilities, [0.5, 0.8], atol=1e-9)
    np.testing.assert_allclose(continuous_utilities(s, sol.x), sol.utilities, atol=1e-9)


# -- grids converge to the exact answer -------------------------------------------------------
def two_issue_scenario():
    """Two continuous issues with concave and non-concave piecewise-linear values, a discrete
    issue, a red line mixing both kinds, and reservations that do not bind at the optimum."""
    return ng.Scenario(
        "contract",
        (
            ng.Issue("price", range=(0.0, 10.0)),
            ng.Issue("days", range=(0.0, 30.0)),
            ng.Issue("warranty", ("none", "basic", "full")),
        ),
        (
            ng.Party(
                "Buyer",
                {"price": 3, "days": 1, "warranty": 1},
                {
                    "price": ((0, 1.0), (4, 0.8), (10, 0.0)),
                    "days": ((0, 0.0), (10, 0.7), (30, 1.0)),
                    "warranty": {"none": 0.0, "basic": 1.0, "full": 0.5},
                },
                reservation=0.3,
                power=2.0,
            ),
            ng.Party(
                "Seller",
                {"price": 2, "days": 2, "warranty": 1},
                {
                    "price": ((0, 0.0), (10, 1.0)),
                    "days": ((0, 1.0), (20, 0.6), (30, 0.0)),
                    "warranty": {"none": 1.0, "basic": 0.0, "full": 0.6},
                },
                reservation=0.35,
                red_lines=({"price": (0.0, 2.5), "warranty": ("full",)},),
            ),
        ),
    )


def grid_objective(name, u, d, ideal, power):
    g = u - d
    if name == "nash":
        return float(np.prod(g))
    if name == "asymmetric_nash":
        return float(np.prod(g**power))
    if name == "egalitarian":
        return float(g.min())
    if name == "utilitarian":
        return float(u.sum())
    return float((g / (ideal - d)).min())


def lipschitz_bound(s, resolution):
    """Largest change of any party's utility when every continuous issue moves to the nearest
    grid point (half a grid step): sum over issues of weight * steepest slope * step / 2."""
    bound = 0.0
    for p, party in enumerate(s.parties):
        total = 0.0
        for c, issue in enumerate(s.issues):
            if not issue.is_continuous:
                continue
            pts = np.array(party.values[issue.name])
            slope = np.abs(np.diff(pts[:, 1]) / np.diff(pts[:, 0])).max()
            step = (issue.range[1] - issue.range[0]) / (resolution - 1)
            total += s.weights[p, c] * slope * step / 2
        bound = max(bound, total)
    return bound


def test_fine_grids_converge_to_the_exact_solution():
    s = two_issue_scenario()
    problem = ContinuousProblem(s)
    exact = {n: problem.solve(n) for n in CONTINUOUS_SOLUTIONS}
    d, ideal, power = s.reservations, problem.ideal, s.powers
    errors = {n: [] for n in CONTINUOUS_SOLUTIONS}
    for resolution in (11, 41, 161, 641):
        f = enumerate_frontier(s.discretize(resolution))
        delta = lipschitz_bound(s, resolution)
        for name in CONTINUOUS_SOLUTIONS:
            grid = SOLUTIONS[name](f)
            e = grid_objective(name, exact[name].utilities, d, ideal, power)
            gv = grid_objective(name, grid.utilities, d, ideal, power)
            err = e - gv
            assert err >= -1e-9, (name, resolution)  # grid deals are feasible deals
            # Within the grid-spacing bound: rounding the exact deal to the grid moves every
            # utility by at most delta (and the rounded deal stays feasible here).
            if name in ("egalitarian",):
                assert err <= delta + 1e-12, (name, resolution, err, delta)
            elif name == "utilitarian":
                assert err <= 2 * delta + 1e-12
            elif name == "kalai_smorodinsky":
                assert err <= delta / (ideal - d).min() + 1e-12
            else:  # products of gains <= 1: each factor moves by <= delta
                assert err <= 2 * delta * max(power) * 1.01 + 1e-12
            errors[name].append(err)
    for name, errs in errors.items():
        assert errs[-1] <= errs[0], name
        assert errs[-1] < 2e-4, (name, errs)


def test_exact_matches_a_fine_grid_on_a_two_dimensional_red_line():
    # A red line on a box of two continuous issues (x in [20, 60] and y in [30, 80]).
    s = ng.Scenario(
        "box",
        (ng.Issue("x", range=(0.0, 100.0)), ng.Issue("y", range=(0.0, 100.0))),
        (
            ng.Party("A", {"x": 2, "y": 1}),
            ng.Party(
                "B",
                {"x": 1, "y": 2},
                {"x": DOWN, "y": ((0.0, 1.0), (50.0, 0.8), (100.0, 0.0))},
                red_lines=({"x": (20.0, 60.0), "y": (30.0, 80.0)},),
            ),
        ),
    )
    exact = continuous_solutions(s)
    f = enumerate_frontier(s.discretize(101))
    d = s.reservations
    for name in ("nash", "egalitarian", "utilitarian"):
        grid = SOLUTIONS[name](f)
        e = grid_objective(name, exact[name].utilities, d, None, s.powers)
        gv = grid_objective(name, grid.utilities, d, None, s.powers)
        assert -1e-9 <= e - gv <= 0.02, name
        # The exact deal crosses no red line.
        x, y = exact[name].x["x"], exact[name].x["y"]
        assert not (20 < x < 60 and 30 < y < 80)


def test_continuous_utilities_agree_with_the_discretised_scenario():
    s = two_issue_scenario()
    g = s.discretize(11)
    levels = g.space.enumerate()
    U = g.utilities(levels)
    rng = np.random.default_rng(0)
    for row in rng.choice(len(levels), size=20, replace=False):
        deal = g.space.deal(levels[row])
        x = {k: (float(v) if k != "warranty" else v) for k, v in deal.items()}
        np.testing.assert_allclose(continuous_utilities(s, x), U[row], atol=1e-12)


def test_points_party_with_mixed_issues():
    s = ng.Scenario(
        "mixed_points",
        (ng.Issue("share", range=(0.0, 1.0)), ng.Issue("venue", ("here", "there"))),
        (
            ng.Party("A", {"share": 1, "venue": 1}, {"venue": {"here": 1.0, "there": 0.0}}),
            ng.Party("B", {"share": 1}, {"share": ((0.0, 1.0), (1.0, 0.0))}),
            ng.Party("C", points={"venue": {"here": 3, "there": 5}}, reservation=4),
        ),
    )
    sol = solve_continuous(s, "nash")
    assert sol.x["venue"] == "there"  # C needs 'there' to reach its reservation
    # Nash: maximise (x / 2) (1 - x) (5 - 4): x = 0.5 ('there' is worth nothing to A)
    assert sol.x["share"] == pytest.approx(0.5, abs=1e-8)


# -- errors -----------------------------------------------------------------------------------
def test_refusals_and_errors():
    s = pie()
    with pytest.raises(NotApplicableError, match="unanimity"):
        ContinuousProblem(s, rule=AgreementRule(quota=1))
    with pytest.raises(NotApplicableError, match="max_subproblems"):
        ContinuousProblem(two_issue_scenario(), max_subproblems=2)
    with pytest.raises(NotApplicableError, match="no continuous issue"):
        ContinuousProblem(ng.load_scenario("textbook_two_party"))
    with pytest.raises(NegotiationError, match="known: nash"):
        solve_continuous(s, "median")
    infeasible = pie(res_a=0.7, res_b=0.7)
    with pytest.raises(InfeasibleError, match="no feasible deal"):
        solve_continuous(infeasible, "nash")
    with pytest.raises(NegotiationError, match="outside"):
        continuous_utilities(s, {"share": 120.0})


def test_solution_to_dict_is_plain():
    import json

    sol = solve_continuous(two_issue_scenario(), "nash")
    data = sol.to_dict()
    assert set(data) == {"deal", "utilities", "objective"}
    assert json.loads(json.dumps(data)) == data
    assert data["deal"]["warranty"] in ("none", "basic", "full")


# -- random problems: the exact optimum beats every grid point, and the grid gets close ------
@st.composite
def continuous_scenarios(draw):
    n_cont = draw(st.integers(1, 2))
    issues = [ng.Issue(f"c{k}", range=(0.0, 1.0)) for k in range(n_cont)]
    if draw(st.booleans()):
        issues.append(ng.Issue("d0", ("a", "b", "c")))
    n_parties = draw(st.integers(2, 3))
    parties = []
    for p in range(n_parties):
        weights = {i.name: draw(st.integers(1, 4)) for i in issues}
        values = {}
        for i in issues:
            if i.is_continuous:
                n_pts = draw(st.integers(2, 4))
                xs = np.linspace(0.0, 1.0, n_pts)
                vs = [draw(st.integers(0, 8)) / 8 for _ in range(n_pts)]
                values[i.name] = tuple((float(x), float(v)) for x, v in zip(xs, vs, strict=True))
            else:
                values[i.name] = {lv: draw(st.integers(0, 4)) / 4 for lv in i.levels}
        # only valid problems: a reservation within the party's best utility (load refuses more)
        best = sum(
            weights[i.name] * max(v for _, v in values[i.name])
            if i.is_continuous
            else weights[i.name] * max(values[i.name].values())
            for i in issues
        ) / sum(weights.values())
        reservation = min(draw(st.sampled_from([0.0, 0.0, 0.1, 0.3])), best)
        parties.append(ng.Party(f"P{p}", weights, values, reservation=reservation))
    return ng.Scenario("random_continuous", tuple(issues), tuple(parties))


@settings(max_examples=25, deadline=None)
@given(continuous_scenarios())
def test_random_exact_beats_every_grid_point(s):
    try:
        problem = ContinuousProblem(s)
        exact = {
            n: problem.solve(n) for n in ("nash", "egalitarian", "utilitarian", "kalai_smorodinsky")
        }
    except InfeasibleError:
        exact = None
    try:
        g = s.discretize(41)
    except ScenarioError:  # a reservation is out of reach on the grid
        return
    if exact is None:
        levels = g.space.enumerate()
        assert not g.feasible_mask(levels, g.utilities(levels)).any()
        return
    d, ideal = s.reservations, problem.ideal
    levels = g.space.enumerate()
    U = g.utilities(levels)
    U = U[g.feasible_mask(levels, U)]
    if U.shape[0] == 0:
        return
    assert np.all(U.max(axis=0) <= ideal + 1e-9)
    G = U - d
    span = ideal - d
    pos = span > 1e-9
    grid_best = {
        "nash": float(np.prod(np.clip(G[:, pos], 0, None), axis=1).max()),
        "egalitarian": float(G.min(axis=1).max()),
        "utilitarian": float(U.sum(axis=1).max()),
        "kalai_smorodinsky": float((G[:, pos] / span[pos]).min(axis=1).max()) if pos.any() else 0.0,
    }
    step = 1.0 / 40
    for name, sol in exact.items():
        u = sol.utilities
        np.testing.assert_allclose(continuous_utilities(s, sol.x), u, atol=1e-9)
        assert np.all(u >= d - 1e-9)
        gu = u - d
        value = {
            "nash": float(np.prod(np.clip(gu[pos], 0, None))),
            "egalitarian": float(gu.min()),
            "utilitarian": float(u.sum()),
            "kalai_smorodinsky": float((gu[pos] / span[pos]).min()) if pos.any() else 0.0,
        }[name]
        assert value >= grid_best[name] - 1e-9, name
        if not d.any():
            # Rounding the exact deal to the grid moves each utility by at most
            # max slope (<= 8 / (n_pts - 1) / 1 ... <= 3 per unit) * step / 2 per issue.
            delta = 3.0 * step / 2 * len([i for i in s.issues if i.is_continuous])
            P = len(s.parties)
            tol = {"nash": P * delta, "egalitarian": delta, "utilitarian": P * delta}.get(name)
            if tol is not None:
                assert value - grid_best[name] <= tol + 1e-9, name
