"""Calibration to evidence: the consistent set, minimal conflicts, the sampler."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation.engine.calibrate import (
    MARGIN,
    acceptance,
    calibrate,
    evidence_rows,
    feasible,
)
from negotiation.model.evidence import Evidence, EvidenceError, loads_evidence
from negotiation.model.issues import Issue
from negotiation.model.party import Party
from negotiation.model.scenario import Scenario
from negotiation.studies.inputs import apply_inputs


# -- random problems with known true parameters ------------------------------------------------
@st.composite
def problems(draw):
    """A small scenario (2 parties, 2-4 issues of 2-3 levels, random values with distinct
    levels) whose true weights and reservations are drawn too."""
    n_issues = draw(st.integers(2, 4))
    sizes = [draw(st.integers(2, 3)) for _ in range(n_issues)]
    issues = tuple(Issue(f"i{k}", tuple(f"l{j}" for j in range(m))) for k, m in enumerate(sizes))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    parties = []
    for name in ("A", "B"):
        w = rng.dirichlet(np.ones(n_issues))
        values = {
            iss.name: {
                lv: float(v)
                for lv, v in zip(
                    iss.levels, rng.permutation(np.linspace(0, 1, iss.size)), strict=True
                )
            }
            for iss in issues
        }
        parties.append(
            Party(
                name,
                weights={i.name: float(x) for i, x in zip(issues, w, strict=True)},
                values=values,
                reservation=float(rng.uniform(0.1, 0.7)),
            )
        )
    return Scenario("random", issues, tuple(parties)), rng


def truth(s: Scenario) -> np.ndarray:
    out = []
    for p in range(len(s.parties)):
        out += [*s.weights[p], s.reservations[p]]
    return np.array(out)


def evidence_from_truth(s: Scenario, rng: np.random.Generator, n: int) -> list[Evidence]:
    """Items that hold for the true parameters (strict ones by more than the margin)."""
    out: list[Evidence] = []
    w = s.weights
    k = 0
    while len(out) < n and k < 20 * n:
        k += 1
        p = int(rng.integers(len(s.parties)))
        party = s.parties[p].name
        kind = rng.choice(["accept", "prefers", "weight_order", "bounds", "package"])
        name = f"e{len(out) + 1}"
        if kind == "accept":
            x = [int(rng.integers(i.size)) for i in s.issues]
            terms = {i.name: i.levels[j] for i, j in zip(s.issues, x, strict=True)}
            u = s.utilities(np.array([x]))[0, p]
            r = s.reservations[p]
            if u >= r:
                out.append(Evidence(name, party, "accepts", terms, source="truth"))
            elif u <= r - 2 * MARGIN:
                out.append(Evidence(name, party, "rejects", terms, source="truth"))
        elif kind == "prefers":
            i = int(rng.integers(len(s.issues)))
            a, b = rng.choice(s.issues[i].size, 2, replace=False)
            v = s.values(p, i)
            if w[p, i] * (v[a] - v[b]) >= 2 * MARGIN:
                lv = s.issues[i].levels
                out.append(
                    Evidence(
                        name,
                        party,
                        "prefers",
                        {"issue": s.issues[i].name, "better": lv[a], "worse": lv[b]},
                        source="t",
                    )
                )
        elif kind == "weight_order":
            a, b = rng.choice(len(s.issues), 2, replace=False)
            if w[p, a] >= w[p, b] + 2 * MARGIN:
                out.append(
                    Evidence(
                        name,
                        party,
                        "weight_order",
                        {"more": s.issues[a].name, "less": s.issues[b].name},
                        source="t",
                    )
                )
        elif kind == "bounds":
            i = int(rng.integers(len(s.issues)))
            lo = max(0.0, w[p, i] - rng.uniform(0, 0.3))
            out.append(
                Evidence(
                    name,
                    party,
                    "bounds",
                    {"weight": s.issues[i].name, "min": lo, "max": w[p, i] + rng.uniform(0, 0.3)},
                    source="t",
                )
            )
        else:
            xa = [int(rng.integers(i.size)) for i in s.issues]
            xb = [int(rng.integers(i.size)) for i in s.issues]
            ua, ub = s.utilities(np.array([xa, xb]))[:, p]
            if ua >= ub + 2 * MARGIN:
                ta = {i.name: i.levels[j] for i, j in zip(s.issues, xa, strict=True)}
                tb = {i.name: i.levels[j] for i, j in zip(s.issues, xb, strict=True)}
                out.append(
                    Evidence(name, party, "prefers", {"better": ta, "worse": tb}, source="t")
                )
    return out


@settings(max_examples=20, deadline=None)
@given(problems(), st.integers(1, 12))
def test_truth_stays_inside_and_bounds_nest(problem, n):
    s, rng = problem
    items = evidence_from_truth(s, rng, n)
    theta = truth(s)
    previous = None
    for m in range(len(items) + 1):
        cal = calibrate(s, items[:m])
        assert cal.feasible
        assert cal.polytope.contains(theta, tol=1e-9)
        assert np.all(cal.bounds[:, 0] <= theta + 1e-7) and np.all(theta <= cal.bounds[:, 1] + 1e-7)
        assert cal.shipped_inside and not cal.violated()
        if previous is not None:  # more evidence: every interval inside the previous one
            assert np.all(cal.bounds[:, 0] >= previous[:, 0] - 1e-7)
            assert np.all(cal.bounds[:, 1] <= previous[:, 1] + 1e-7)
        previous = cal.bounds


@settings(max_examples=20, deadline=None)
@given(problems(), st.integers(2, 10), st.integers(0, 2**32 - 1))
def test_conflict_is_minimal(problem, n, seed):
    """Random (often contradictory) weight orders and bounds: when the set is empty the
    reported conflict is infeasible and every proper subset of it is feasible."""
    s, _ = problem
    rng = np.random.default_rng(seed)
    items = []
    for k in range(n):
        party = "A" if rng.random() < 0.7 else "B"
        a, b = rng.choice(len(s.issues), 2, replace=False)
        if rng.random() < 0.6:
            spec = {"more": s.issues[a].name, "less": s.issues[b].name}
            items.append(Evidence(f"e{k}", party, "weight_order", spec, source="t"))
        else:
            lo = float(rng.uniform(0, 0.8))
            items.append(
                Evidence(
                    f"e{k}",
                    party,
                    "bounds",
                    {"weight": s.issues[a].name, "min": lo, "max": lo + 0.2},
                    source="t",
                )
            )
    cal = calibrate(s, items, bounds=False)
    prior, rows = evidence_rows(s, items)

    def ok(names):
        idx = [k for k, e in enumerate(items) if e.name in names]
        if not idx:
            return True
        return feasible(
            prior.add(
                np.vstack([rows[k][0] for k in idx]), np.concatenate([rows[k][1] for k in idx])
            )
        )

    if cal.feasible:
        assert ok({e.name for e in items})
        return
    conflict = set(cal.conflict)
    assert conflict and not ok(conflict)
    for drop in conflict:
        assert ok(conflict - {drop})


def test_opposite_weight_orders_are_the_conflict():
    s = _two_issue_scenario()
    ev = loads_evidence(
        """
[[evidence]]
name = "a_first"
source = "t"
party = "A"
weight_order = {more = "x", less = "y"}
[[evidence]]
name = "harmless"
source = "t"
party = "B"
bounds = {reservation = true, max = 0.9}
[[evidence]]
name = "y_first"
source = "t"
party = "A"
weight_order = {more = "y", less = "x"}
"""
    )
    cal = calibrate(s, ev)
    assert not cal.feasible
    assert cal.conflict == ("a_first", "y_first")
    with pytest.raises(Exception, match="contradictory"):
        cal.sample(10)


def _two_issue_scenario(bonus: float = 0.0) -> Scenario:
    issues = (Issue("x", ("a", "b", "c")), Issue("y", ("p", "q")))
    a = Party(
        "A",
        weights={"x": 2, "y": 1},
        values={"x": {"a": 0.0, "b": 0.5, "c": 1.0}, "y": {"p": 1.0, "q": 0.0}},
        reservation=0.3,
        bonuses=(({"x": ("c",), "y": ("p",)}, bonus),) if bonus else (),
    )
    b = Party(
        "B", weights={"x": 1, "y": 1}, values={"x": {"a": 1.0, "b": 0.5, "c": 0.0}}, reservation=0.2
    )
    return Scenario("two", issues, (a, b))


def test_linear_utility_matches_the_scenario_with_bonuses():
    """coef . theta + const (the calibration's reading of a complete package) is the
    scenario's own utility with those parameters applied, bonus included; acceptance agrees."""
    from negotiation.engine.calibrate import _Layout

    s = _two_issue_scenario(bonus=0.15)
    cal = calibrate(s, [])
    samples, _ = cal.sample(30, seed=3)
    x = np.array([[d[k] for k in cal.names] for d in samples])
    lay = _Layout(s)
    for terms in ({"x": "c", "y": "p"}, {"x": "b", "y": "q"}, {"x": "a", "y": "p"}):
        coef, const, crosses = lay.package(0, terms)
        assert not crosses
        acc = acceptance(s, x, cal.names, terms, "A")
        for row, sample, a in zip(x, samples, acc, strict=True):
            variant = apply_inputs(s, sample)
            u = variant.utilities(variant.space.encode(terms)[None, :])[0, 0]
            assert row @ coef + const == pytest.approx(u, abs=1e-12)
            assert a == bool(variant.acceptable(variant.space.encode(terms)[None, :])[0, 0])


def test_open_proposal_reads_the_best_completion():
    s = _two_issue_scenario()
    # A rejects {x = c} (y open): even A's best completion y = p (value 1) is below r
    ev = [Evidence("r", "A", "rejects", {"x": "c"}, source="t")]
    cal = calibrate(s, ev)
    # u(c, p) = w_x + w_y = 1 <= r - eps, so r >= 1 + eps: feasible only by the prior r <= 1
    assert not cal.feasible


def test_red_lines_explain_rejections_and_forbid_acceptance():
    s = _two_issue_scenario()
    s = s.with_party("A", red_lines=({"x": ("a",)},))
    rej = calibrate(s, [Evidence("r", "A", "rejects", {"x": "a", "y": "p"}, source="t")])
    free = calibrate(s, [])
    np.testing.assert_allclose(rej.bounds, free.bounds)
    acc = calibrate(s, [Evidence("a", "A", "accepts", {"x": "a", "y": "p"}, source="t")])
    assert not acc.feasible and acc.conflict == ("a",)


def test_value_bounds_check_the_fixed_values():
    s = _two_issue_scenario()
    good = Evidence(
        "g", "A", "bounds", {"value": "x", "level": "b", "min": 0.4, "max": 0.6}, source="t"
    )
    bad = Evidence("b", "A", "bounds", {"value": "x", "level": "b", "min": 0.7}, source="t")
    assert calibrate(s, [good]).feasible
    cal = calibrate(s, [good, bad])
    assert cal.conflict == ("b",)


def test_proposed_implies_preferred_to_rejected():
    s = _two_issue_scenario()
    s = s.with_party("B", values={"x": {"a": 1.0, "b": 0.5, "c": 0.0}, "y": {"p": 1.0, "q": 0.0}})
    # B proposed P = (a, q) and rejected Q = (b, p): u(P) = w_x, u(Q) = 0.5 w_x + (1 - w_x).
    # accepted: w_x >= r; rejected: 1 - 0.5 w_x <= r - eps; preferred: w_x >= 1 - 0.5 w_x.
    # Hence w_x >= 1 - 0.5 w_x + eps, i.e. w_x >= 2 (1 + eps) / 3, and r in [1 - w_x/2 + eps, w_x].
    ev = [
        Evidence("p", "B", "proposed", {"x": "a", "y": "q"}, source="t"),
        Evidence("r", "B", "rejects", {"x": "b", "y": "p"}, source="t"),
    ]
    cal = calibrate(s, ev)
    wx = cal.names.index("B/weights/x")
    r = cal.names.index("B/reservation")
    assert cal.bounds[wx, 0] == pytest.approx(2 * (1 + MARGIN) / 3, abs=1e-7)
    assert cal.bounds[wx, 1] == pytest.approx(1.0, abs=1e-7)
    assert cal.bounds[r, 0] == pytest.approx(0.5 + MARGIN, abs=1e-7)  # at w_x = 1
    # proposing alone: only w_x >= r, no lower bound on w_x
    alone = calibrate(s, ev[:1])
    assert alone.bounds[wx, 0] == pytest.approx(0.0, abs=1e-7)


# -- the sampler --------------------------------------------------------------------------------
def test_sampler_deterministic_under_a_seed():
    s = _two_issue_scenario()
    cal = calibrate(s, [Evidence("w", "A", "weight_order", {"more": "x", "less": "y"}, source="t")])
    a, _ = cal.sample(50, seed=7)
    b, _ = cal.sample(50, seed=7)
    c, _ = cal.sample(50, seed=8)
    assert a == b and a != c
    theta = np.array([[d[k] for k in cal.names] for d in a])
    assert all(cal.polytope.contains(t) for t in theta)


# -- evidence errors ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('party = "Z"\nweight_order = {more = "x", less = "y"}', "party 'Z'"),
        ('party = "A"\nweight_order = {more = "x", less = "w"}', "issue 'w'"),
        ('party = "A"\nprefers = {issue = "x", better = "zz", worse = "a"}', "level 'zz'"),
        ('party = "A"\nrejects = "nope"', "unknown proposal 'nope'"),
        ('party = "A"\nbounds = {weight = "x", min = 0.6, max = 0.2}', "empty interval"),
        ('party = "A"\naccepts = "p"\nrejects = "p"', "exactly one"),
    ],
)
def test_bad_evidence_is_named(text, needle):
    s = _two_issue_scenario()
    with pytest.raises(EvidenceError, match="evidence 'e1'") as err:
        calibrate(s, loads_evidence(f'[[evidence]]\nsource = "s"\n{text}\n', file="ev.toml"))
    assert needle in str(err.value) and "ev.toml" in str(err.value)


def test_every_parameter_combination_in_bounds_is_consistent_brute_force():
    """Brute force on a grid: the LP bounds of w_x under 'A prefers x=c to x=b' and a
    reservation bound equal the extreme grid points satisfying every item."""
    s = _two_issue_scenario()
    ev = [
        Evidence("p", "A", "accepts", {"x": "b", "y": "q"}, source="t"),  # 0.5 w_x >= r
        Evidence("b", "A", "bounds", {"reservation": True, "min": 0.2}, source="t"),
    ]
    cal = calibrate(s, ev)
    ok = [
        wx
        for wx, r in itertools.product(np.linspace(0, 1, 1001), np.linspace(0, 1, 1001))
        if 0.5 * wx >= r >= 0.2
    ]
    j = cal.names.index("A/weights/x")
    assert cal.bounds[j, 0] == pytest.approx(min(ok), abs=2e-3)
    assert cal.bounds[j, 1] == pytest.approx(max(ok), abs=2e-3)
