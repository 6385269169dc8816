"""evaluate(), repair() and the exact counting behind ranks, against brute force."""

from __future__ import annotations

import json

import numpy as np
import pytest
from contracts import EVALUATION_KEYS
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import scenarios

import negotiation as ng
from negotiation.engine.counting import count_at_least, n_outcomes, party_components
from negotiation.engine.evaluate import evaluate
from negotiation.engine.repair import repair
from negotiation.model.issues import Issue
from negotiation.model.party import Party
from negotiation.model.proposals import Proposal, ProposalError
from negotiation.model.scenario import Scenario, reservation_tolerance


def _all(s: Scenario):
    levels = s.space.enumerate()
    return levels, s.utilities(levels), s.space.allowed_mask(levels)


def _complete(s: Scenario, row) -> Proposal:
    return Proposal("p", s.space.deal(row), by=(s.party_names[0],))


@settings(max_examples=40)
@given(scenarios(max_issues=4), st.data())
def test_counting_matches_brute_force(s, data):
    levels, u, allowed = _all(s)
    p = data.draw(st.integers(0, len(s.parties) - 1))
    comps = party_components(s, p)
    assert n_outcomes(comps) == int(allowed.sum())
    pool = np.concatenate([u[allowed, p], [u[:, p].min() - 1, u[:, p].max() + 1]])
    t = float(data.draw(st.sampled_from(sorted(set(pool.tolist())))))
    tol = float(reservation_tolerance(t))
    assert count_at_least(comps, t - tol) == int((u[allowed, p] >= t - tol).sum())


@settings(max_examples=30)
@given(scenarios(max_issues=4, max_levels=3), st.data())
def test_scorecard_matches_brute_force(s, data):
    levels, u, allowed = _all(s)
    k = data.draw(st.integers(0, levels.shape[0] - 1))
    row = levels[k]
    card = evaluate(s, _complete(s, row)).scorecards[0]
    # utilities and acceptance
    assert card.utilities == {p: float(x) for p, x in zip(s.party_names, u[k], strict=True)}
    acc = s.acceptable(levels[k : k + 1], u[k : k + 1])[0] & allowed[k]
    assert card.accepted_by == [p for p, a in zip(s.party_names, acc, strict=True) if a]
    feasible = s.feasible_mask(levels, u)
    assert card.feasible == bool(feasible[k])
    # ranks: exact competition rank over the allowed outcomes
    for p, name in enumerate(s.party_names):
        tol = float(reservation_tolerance(u[k, p]))
        col = u[allowed, p]
        better = int((col > u[k, p] + tol).sum())
        assert card.ranks[name]["rank"] == better + 1
        assert card.ranks[name]["n_tied"] == int((np.abs(col - u[k, p]) <= tol).sum())
        assert card.ranks[name]["n_allowed"] == int(allowed.sum())
    # efficiency against a brute-force dominance check over the feasible set
    F = u[feasible]
    dom = np.all(F >= u[k], axis=1) & np.any(F > u[k], axis=1)
    assert card.efficient == (bool(feasible[k]) and not dom.any())
    if dom.any():
        assert card.dominated_by, "a dominated proposal lists its Pareto improvements"
        for d in card.dominated_by:
            du = np.array([d["utilities"][p] for p in s.party_names])
            assert np.all(du >= u[k]) and np.any(du > u[k])
    # red lines crossed
    red = s.red_line_mask(levels[k : k + 1])[0]
    crossed = {r["party"] for r in card.red_lines_crossed if not r.get("soft")}
    assert crossed == {p for p, x in zip(s.party_names, red, strict=True) if x}
    assert set(card.to_dict()) >= EVALUATION_KEYS


@settings(max_examples=40)
@given(scenarios(max_issues=4, max_levels=3), st.data())
def test_repair_is_minimal_against_brute_force(s, data):
    levels, u, allowed = _all(s)
    n_fix = data.draw(st.integers(1, len(s.issues)))
    fixed_issues = data.draw(st.permutations(range(len(s.issues))))[:n_fix]
    row = levels[data.draw(st.integers(0, levels.shape[0] - 1))]
    terms = {s.issues[i].name: s.issues[i].levels[int(row[i])] for i in fixed_issues}
    by = data.draw(st.sets(st.sampled_from(s.party_names), max_size=2))
    prop = Proposal("p", terms, by=tuple(sorted(by)))
    feasible = s.feasible_mask(levels, u)
    changes = (levels[:, fixed_issues] != row[fixed_issues]).sum(axis=1)
    authors = [s.party_names.index(b) for b in prop.by] or list(range(len(s.parties)))
    for method in ("enumerate", "search"):
        r = repair(s, prop, method=method)
        if not feasible.any():
            assert r.n_changes is None
            continue
        best = int(changes[feasible].min())
        assert r.n_changes == best, method
        minimal = feasible & (changes == best)
        top = float(u[minimal][:, authors].sum(axis=1).max())
        d = r.deals[0]
        assert d["authors_utility"] == pytest.approx(top, abs=1e-12)
        y = s.space.encode(d["deal"])
        assert feasible[s.space.indices_of(y[None, :])[0]]
        assert len(d["changes"]) == best
        if method == "enumerate":
            assert r.n_minimal == int(minimal.sum())


@settings(max_examples=25)
@given(scenarios(max_issues=4, max_levels=3), st.data())
def test_repair_for_a_subset_of_parties(s, data):
    levels, u, allowed = _all(s)
    subset = sorted(data.draw(st.sets(st.sampled_from(s.party_names), min_size=1)))
    row = levels[data.draw(st.integers(0, levels.shape[0] - 1))]
    prop = _complete(s, row)
    idx = [s.party_names.index(p) for p in subset]
    ok = allowed & s.acceptable(levels, u)[:, idx].all(axis=1)
    changes = (levels != row).sum(axis=1)
    for method in ("enumerate", "search"):
        r = repair(s, prop, parties=subset, method=method)
        if not ok.any():
            assert r.n_changes is None
        else:
            assert r.n_changes == int(changes[ok].min())


@settings(max_examples=25)
@given(scenarios(max_issues=4, max_levels=3), st.data())
def test_open_proposal_completions(s, data):
    levels, u, allowed = _all(s)
    i = data.draw(st.integers(0, len(s.issues) - 1))
    lv = data.draw(st.integers(0, s.issues[i].size - 1))
    prop = Proposal("open", {s.issues[i].name: s.issues[i].levels[lv]})
    card = evaluate(s, prop).scorecards[0]
    if len(s.issues) == 1:
        assert card.complete
        return
    sel = levels[:, i] == lv
    feasible = s.feasible_mask(levels, u)
    assert card.completions["n_completions"] == int((sel & allowed).sum())
    assert card.completions["n_feasible"] == int((sel & feasible).sum())
    if not (sel & allowed).any():
        assert card.accepted_by == [] and card.notes
        return
    for p, name in enumerate(s.party_names):
        assert card.utility_range[name][1] == pytest.approx(u[sel & allowed, p].max(), abs=1e-9)
        acc = (sel & allowed & s.acceptable(levels, u)[:, p]).any()
        assert (name in card.accepted_by) == bool(acc)


def test_ranks_count_exactly_in_a_space_too_large_to_enumerate():
    # 30 issues x 4 levels, values linear: utility = sum of level indices / 90 for party A.
    issues = tuple(Issue(f"i{k}", ("a", "b", "c", "d")) for k in range(30))
    s = Scenario(
        "big",
        issues,
        (
            Party("A", {i.name: 1 for i in issues}),
            Party(
                "B",
                {i.name: 1 for i in issues},
                {i.name: {"a": 1, "b": 0.6, "c": 0.3, "d": 0} for i in issues},
            ),
        ),
    )
    prop = Proposal("p", {i.name: ("b" if k < 15 else "a") for k, i in enumerate(issues)})
    card = evaluate(s, prop, analysis=ng.analyze(s, engine="search", lotteries=False)).scorecards[0]
    # A's utility is (sum of level indices)/90: the proposal's sum is 15. Closed form for the
    # number of outcomes with index sum > 15: coefficients of (1+x+x^2+x^3)^30.
    poly = np.array([1], dtype=object)
    for _ in range(30):
        poly = np.convolve(poly, np.array([1, 1, 1, 1], dtype=object))
    assert card.ranks["A"]["n_better"] == int(sum(poly[16:]))
    assert card.ranks["A"]["n_tied"] == int(poly[15])
    assert card.ranks["A"]["n_allowed"] == 4**30


def test_repair_by_search_on_a_large_space_agrees_with_closed_form():
    issues = tuple(Issue(f"i{k}", ("a", "b", "c")) for k in range(24))
    s = Scenario(
        "wide",
        issues,
        (
            Party("A", {i.name: 1 for i in issues}, reservation=0.5),
            Party(
                "B",
                {i.name: 1 for i in issues},
                {i.name: {"a": 1, "b": 0.5, "c": 0} for i in issues},
                reservation=0.25,
            ),
        ),
    )
    # All "a": A gets 0 < 0.5. Each change a->c gives A 1/24; a->b gives 1/48 and B loses 1/48.
    # A needs 12/24: twelve changes to "c" (B then gets 0.5 >= 0.25) is the fewest.
    r = repair(s, Proposal("p", {i.name: "a" for i in issues}, by=("B",)))
    assert r.method == "search" and r.n_changes == 12
    assert all(c["to"] == "c" for c in r.deals[0]["changes"])


def test_errors_name_the_proposal():
    s = ng.load_scenario("textbook_two_party")
    with pytest.raises(ProposalError, match="proposal 'x': issue 'nope'"):
        evaluate(s, Proposal("x", {"nope": "a"}))
    with pytest.raises(ProposalError, match="proposal 'y': issue 'salary': level 'zzz'"):
        evaluate(s, Proposal("y", {"salary": "zzz"}))
    with pytest.raises(ProposalError, match="party 'Nobody'"):
        evaluate(s, Proposal("z", {"salary": "60k"}, by=("Nobody",)))


def test_evaluation_json_is_serialisable():
    ev = evaluate("textbook_two_party", {"salary": "60k"}, repair=True)
    data = ev.to_json()
    json.dumps(data, allow_nan=False)
    assert data["scenario"] == "textbook_two_party"
    assert set(data["proposals"][0]) >= EVALUATION_KEYS


def test_rank_estimate_when_exact_counting_is_refused(monkeypatch):
    import negotiation.engine.ranks as ev_mod
    from negotiation.errors import NotApplicableError

    def refuse(*args, **kwargs):
        raise NotApplicableError("too many partial sums (test)")

    monkeypatch.setattr(ev_mod, "count_at_least", refuse)
    monkeypatch.setattr(ev_mod, "RANK_ENUMERATE", 0)  # no enumeration either: the estimate
    s = ng.load_scenario("textbook_two_party")
    levels, u, allowed = _all(s)
    k = 5
    card = evaluate(s, _complete(s, levels[k])).scorecards[0]
    for p, name in enumerate(s.party_names):
        rk = card.ranks[name]
        assert rk["exact"] is False and rk["n_allowed"] == int(allowed.sum())
        share = float((u[allowed, p] > u[k, p] + 1e-9).mean())
        se = max(rk["percentile_standard_error"], 1e-3)
        assert abs(rk["percentile"] - 100 * (1 - share)) <= 5 * se
    assert any("estimated" in n for n in card.notes)


@settings(max_examples=30)
@given(scenarios(max_issues=4, max_levels=3), st.data())
def test_restricted_scenario_keeps_utilities_and_feasibility(s, data):
    from negotiation.errors import ScenarioError
    from negotiation.model.proposals import restrict

    levels, u, allowed = _all(s)
    i = data.draw(st.integers(0, len(s.issues) - 1))
    lv = data.draw(st.integers(0, s.issues[i].size - 1))
    sel = levels[:, i] == lv
    feasible = s.feasible_mask(levels, u)
    try:
        r = restrict(s, {i: lv})
    except ScenarioError:  # no completion reaches some reservation, or all are forbidden
        assert not (sel & feasible).any()
        return
    sub = levels[sel].copy()
    sub[:, i] = 0
    assert np.array_equal(r.utilities(sub), u[sel])  # bit-identical
    assert np.array_equal(r.feasible_mask(sub), feasible[sel])


def test_rank_by_enumeration_when_counting_is_refused(monkeypatch):
    import negotiation.engine.ranks as ev_mod
    from negotiation.errors import NotApplicableError

    def refuse(*args, **kwargs):
        raise NotApplicableError("too many partial sums (test)")

    s = ng.load_scenario("textbook_two_party")
    levels, u, allowed = _all(s)
    exact = evaluate(s, _complete(s, levels[7])).scorecards[0].ranks
    monkeypatch.setattr(ev_mod, "count_at_least", refuse)
    enumerated = evaluate(s, _complete(s, levels[7])).scorecards[0].ranks
    assert enumerated == exact
