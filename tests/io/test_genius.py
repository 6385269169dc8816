"""Tests of the GENIUS XML reader and writer (negotiation.io.genius) and the corpus run.

The reader is checked against an independent re-implementation of GENIUS's own evaluators
(``genius_utility`` below, written from the Java sources' formulas) on every outcome of small
hand-written fixtures (tests/formats/fixtures/, our own making).
"""

from __future__ import annotations

import importlib.util
import sys
import warnings
import xml.etree.ElementTree as StdET  # only on our own trusted fixtures, as a reference
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import integer_scenarios, scenarios

import negotiation
from negotiation.errors import ScenarioError
from negotiation.io import genius
from negotiation.io.genius import GeniusWarning, issue_identifier, load_genius, save_genius
from negotiation.io.genius.names import _natural_key
from negotiation.model.issues import IDENTIFIER, Issue
from negotiation.model.party import Party
from negotiation.model.scenario import Scenario

FIX = Path(__file__).parents[1] / "formats" / "fixtures"  # shared with other tests and docs
ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "genius-domains"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="the GENIUS corpus is not here")


# -- an independent reference: GENIUS's evaluators, straight from the formulas ---------------
def _clip(x):
    return min(1.0, max(0.0, x))


def genius_utility(profile: Path, values_by_index: dict[int, object]) -> float:
    """GENIUS's utility of a bid (issue number -> value) under a profile, uncapped for
    additive profiles (so that weights that do not sum to 1 can be compared), capped at 1 for
    constraint-based ones (as NonlinearUtilitySpace does)."""
    root = StdET.parse(profile).getroot()
    util = root.find(".//utility")
    if util is not None:
        top = float(util.get("maxutility"))

        def ufun(node, factor):
            total = 0.0
            for child in node:
                if child.tag == "hyperRectangle":
                    u = float(child.get("utility")) * float(child.get("weight", 1))
                    inc, exc = child.findall("INCLUDES"), child.findall("EXCLUDES")
                    inside = [
                        int(b.get("min"))
                        <= values_by_index[int(b.get("index"))]
                        <= int(b.get("max"))
                        for b in (inc or exc)
                    ]
                    if not inc and not exc:
                        total += u
                    elif inc:
                        total += u if all(inside) else 0.0
                    else:
                        total += 0.0 if all(inside) else u
                elif child.tag == "ufun":
                    total += ufun(child, float(child.get("weight", 1)))
            return total * factor

        return min(1.0, ufun(util.find("ufun"), 1.0) / top)
    weights = {int(w.get("index")): float(w.get("value")) for w in root.iter("weight")}
    total = 0.0
    for iss in root.iter("issue"):
        k = int(iss.get("index"))
        if k not in weights:
            continue
        x = values_by_index[k]
        kind = iss.get("type")
        ev = iss.find("evaluator")
        if kind == "discrete":
            evals = {it.get("value"): float(it.get("evaluation")) for it in iss.findall("item")}
            top = max(evals.values())
            e = 0.0 if top < 1e-5 else evals[str(x)] / top
        elif kind == "integer":
            e = _clip(
                float(ev.get("offset")) + float(ev.get("slope")) * (x - int(iss.get("lowerbound")))
            )
        else:
            f = ev.get("ftype")
            p = [float(ev.get(f"parameter{j}", "nan")) for j in range(3)]
            if f == "linear":
                e = _clip(p[1] * x + p[0])
            elif f == "constant":
                e = p[0]
            else:  # triangular (lower, upper, top)
                lo, hi, t = p
                e = (
                    0.0
                    if x < lo
                    else (x - lo) / (t - lo)
                    if x < t
                    else 1 - (x - t) / (hi - t)
                    if x < hi
                    else 0.0
                )
        total += weights[k] * e
    return total


def _bid(scenario: Scenario, row) -> dict[int, object]:
    """Our level row as GENIUS values by issue number (1-based, in domain order)."""
    out = {}
    for i, (issue, k) in enumerate(zip(scenario.issues, row, strict=True)):
        level = issue.levels[k]
        out[i + 1] = int(level) if level.lstrip("-").isdigit() else level
    return out


def _check_against_reference(folder: Path) -> Scenario:
    s = load_genius(folder)
    levels = s.space.enumerate()
    ours = s.utilities(levels)
    profiles = [Path(p) for p in s.sources[1:]]
    for k, row in enumerate(levels):
        bid = _bid(s, row)
        for p, prof in enumerate(profiles):
            assert ours[k, p] == pytest.approx(genius_utility(prof, bid), abs=1e-12), (prof, bid)
    return s


# -- reading ---------------------------------------------------------------------------------
def test_discrete_fixture_labels_names_and_values():
    s = _check_against_reference(FIX / "discrete")
    assert s.party_names == ("buyer", "seller")
    assert [i.name for i in s.issues] == ["destination", "length_of_stay", "hotel_class_stars"]
    assert [i.label for i in s.issues] == ["Destination", "Length of stay", "Hotel class (stars)"]
    assert s.issues[0].levels == ("Rome", "New York", "Kyoto (Japan)")
    assert s.issues[2].levels == ("**", "****")
    buyer, seller = s.parties
    # evaluation / max evaluation of the issue
    assert buyer.values["destination"] == {"Rome": 0.5, "New York": 1.0, "Kyoto (Japan)": 0.25}
    assert buyer.values["length_of_stay"]["3 days"] == pytest.approx(0.1)
    assert (buyer.reservation, buyer.discount) == (0.3, 0.8)
    # GENIUS: a discount factor of 0 means none; a missing reservation is 0
    assert (seller.reservation, seller.discount) == (0.0, 1.0)
    np.testing.assert_allclose(s.weights, [[0.5, 0.3, 0.2], [0.2, 0.6, 0.2]])


def test_integer_fixture_is_linear_between_bounds_and_clipped():
    s = _check_against_reference(FIX / "integer")
    assert s.name == "Supply contract" and s.description == "A made-up supply contract."
    price, qty, _ = s.issues
    assert price.levels == ("10", "11", "12", "13", "14") and price.label == "Price [EUR/unit]"
    assert qty.levels == ("-2", "-1", "0", "1", "2")
    buyer, seller = s.parties
    np.testing.assert_allclose(
        list(buyer.values["price_eur_unit"].values()), [1, 0.75, 0.5, 0.25, 0]
    )
    # offset 0.3 + 0.3 * (x + 2), clipped at 1
    np.testing.assert_allclose(list(buyer.values["quantity"].values()), [0.3, 0.6, 0.9, 1.0, 1.0])
    # offset -0.5 + 0.5 * (x + 2), clipped at 0
    np.testing.assert_allclose(list(seller.values["quantity"].values()), [0, 0, 0.5, 1, 1])
    assert buyer.reservation == pytest.approx(0.25) and buyer.discount == 0.9


def test_real_fixture_piecewise_linear_matches_genius_evaluators():
    s = load_genius(FIX / "real")
    share, duration, venue = s.issues
    assert share.is_continuous and share.range == (0.0, 100.0) and share.label == "Share (%)"
    assert duration.range == (1.0, 10.0) and not venue.is_continuous
    first, second = (Path(p) for p in s.sources[1:])
    for p, prof in enumerate((first, second)):
        party = s.parties[p]
        for issue in (share, duration):
            pts = np.array(party.values[issue.name])
            xs = np.linspace(*issue.range, 181)
            ours = np.interp(xs, pts[:, 0], pts[:, 1])
            k = s.issue_names.index(issue.name) + 1
            ref = []
            for x in xs:
                bid = {1: 0.0, 2: 1.0, 3: "here", k: float(x)}
                other = {1: 0.0, 2: 1.0, 3: "here"}
                w = s.weights[p, k - 1]
                ref.append((genius_utility(prof, bid) - genius_utility(prof, other)) / w)
            base = np.interp(issue.range[0], pts[:, 0], pts[:, 1])
            np.testing.assert_allclose(ours - base, ref, atol=1e-12)
    assert first.name == "share_first.xml"
    assert s.parties[0].values["share"] == ((0.0, 0.0), (20.0, 0.0), (100.0, 1.0))
    assert s.parties[1].values["duration"] == ((1.0, 0.4), (10.0, 0.4))
    # the triangle (2, 12, top 4) seen on [1, 10]
    assert s.parties[0].values["duration"] == ((1.0, 0.0), (2.0, 0.0), (4.0, 1.0), (10.0, 0.25))
    # a continuous GENIUS scenario analyses (on a grid)
    assert negotiation.load_scenario(FIX / "real").discretize(5).space.cardinality == 50


def test_three_party_domain_loads_every_party():
    s = _check_against_reference(FIX / "three_party")
    assert s.party_names == ("party 1", "party 2", "party 3")
    np.testing.assert_allclose(s.reservations, [0.2, 0.1, 0.0])


def test_constraint_profiles_become_bonuses_and_match_genius_on_every_outcome():
    with pytest.warns(GeniusWarning, match="never hold"):
        s = _check_against_reference(FIX / "constraint")
    one, two = s.parties
    assert one.scored_in_points and not one.weights
    assert set(one.points) == {"x1"} and set(one.points["x1"].values()) == {0.0}
    assert (one.reservation, one.discount, two.reservation) == (0.4, 0.5, 0.25)
    # EXCLUDES: c - c [x in box]; the bound-less rectangle adds to the constant term
    clauses = dict((tuple(sorted(c.items())), v) for c, v in one.bonuses)
    assert clauses[(("x1", ("0", "1", "2", "3")),)] == pytest.approx(0.4)
    assert clauses[(("x2", ("1", "2")),)] == pytest.approx(-0.3)
    # nested ufun weight 0.5; rectangle weight 0.8
    assert clauses[(("x2", ("3",)),)] == pytest.approx(0.2)
    assert clauses[(("x1", ("2", "3")), ("x2", ("0",)))] == pytest.approx(0.1)
    u = s.utilities(s.space.enumerate())
    np.testing.assert_allclose(u.max(axis=0), [1.0, 1.0])


def test_load_scenario_and_the_cli_accept_folders_and_domain_files(capsys):
    by_folder = negotiation.load_scenario(FIX / "discrete")
    by_file = negotiation.load_scenario(FIX / "discrete" / "holiday_domain.xml")
    assert by_folder.issues == by_file.issues and by_folder.parties == by_file.parties
    from negotiation.cli import main

    assert main(["analyze", str(FIX / "three_party")]) == 0
    out = capsys.readouterr().out
    assert "party 1" in out


def test_explicit_profiles_and_names():
    s = load_genius(
        FIX / "three_party" / "Triad.xml",
        profiles=["Triad_util3.xml", "Triad_util1.xml"],
        names=["C", "A"],
    )
    assert s.party_names == ("C", "A")
    np.testing.assert_allclose(s.reservations, [0.0, 0.2])


def test_agents_in_the_domain_give_files_order_and_names(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    text = (FIX / "discrete" / "holiday_domain.xml").read_text()
    text = text.replace(
        "<negotiation_template>",
        '<negotiation_template>\n<agent name="Seller Co." utility_space="holiday_seller.xml"/>'
        '\n<agent name="Buyer" utility_space="etc/templates/holiday_buyer.xml"/>',
    )
    (d / "holiday_domain.xml").write_text(text)
    for f in ("holiday_buyer.xml", "holiday_seller.xml"):
        (d / f).write_text((FIX / "discrete" / f).read_text())
    (d / "unrelated_notes.txt").write_text("not xml")
    (d / "pareto.xml").write_text("0.5, 1.0\n1.0, 0.5\n")  # ANAC 2014 style: not XML at all
    s = load_genius(d)
    assert s.party_names == ("Seller Co.", "Buyer")
    assert s.parties[1].reservation == 0.3


# -- errors ----------------------------------------------------------------------------------
def _folder(tmp_path: Path, domain: str | None = None, **profiles: str) -> Path:
    d = tmp_path / "dom"
    d.mkdir(exist_ok=True)
    (d / "dom_domain.xml").write_text(
        domain or (FIX / "discrete" / "holiday_domain.xml").read_text()
    )
    for name, text in profiles.items():
        (d / f"dom_{name}.xml").write_text(text)
    return d


BUYER = (FIX / "discrete" / "holiday_buyer.xml").read_text()


def test_malformed_xml_names_file_and_line():
    with pytest.raises(ScenarioError, match=r"holiday_seller\.xml: malformed XML at line 7"):
        load_genius(FIX / "malformed")


@pytest.mark.parametrize("name, why", [("bomb.xml", "entity"), ("external.xml", "external entity")])
def test_entity_bombs_and_external_entities_are_refused(name, why):
    with pytest.raises(ScenarioError, match=rf"{name}: refused to read: .*{why}"):
        load_genius(FIX / name)


def test_a_bomb_among_the_profiles_is_refused(tmp_path):
    d = _folder(
        tmp_path,
        buyer=BUYER,
        evil=(FIX / "bomb.xml").read_text().replace("negotiation_template", "utility_space"),
    )
    with pytest.raises(ScenarioError, match=r"dom_evil\.xml: refused to read"):
        load_genius(d)


def test_missing_profiles(tmp_path):
    with pytest.raises(ScenarioError, match="missing profile file 'nope.xml'"):
        load_genius(FIX / "discrete" / "holiday_domain.xml", profiles=["nope.xml"])
    d = _folder(tmp_path)
    with pytest.raises(ScenarioError, match="no profile files"):
        load_genius(d)
    with pytest.raises(ScenarioError, match="no such file"):
        load_genius(tmp_path / "absent")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ScenarioError, match="no GENIUS domain file"):
        load_genius(tmp_path / "empty")


def test_a_profile_is_not_a_domain_and_text_is_not_xml(tmp_path):
    with pytest.raises(ScenarioError, match="it is a profile"):
        load_genius(FIX / "discrete" / "holiday_buyer.xml")
    bad = tmp_path / "x.xml"
    bad.write_text("1, 2, 3\n")
    with pytest.raises(ScenarioError, match="not an XML file"):
        load_genius(bad)


@pytest.mark.parametrize(
    "edit, message",
    [
        (
            (
                'index="3" etype="discrete" type="discrete" vtype="discrete" name="Hotel class (stars)"',
                'index="9" etype="discrete" type="discrete" vtype="discrete" name="Pool"',
            ),
            r"unknown issue #9 'Pool'",
        ),
        (('name="Hotel class (stars)"', 'name="Hotel"'), r"issue #3 is named 'Hotel' here but"),
        (
            ('<weight index="3" value="0.2"/>', ""),
            r"no <weight> for issue #3 'Hotel class \(stars\)'",
        ),
        (
            (
                '<weight index="3" value="0.2"/>',
                '<weight index="3" value="0.2"/><weight index="7" value="1"/>',
            ),
            r"refers to issue #7, which the domain",
        ),
        (('value="Rome" evaluation="4"', 'value="Paris" evaluation="4"'), r"unknown value 'Paris'"),
        (('value="Rome" evaluation="4"', 'value="Rome"'), r"no evaluation for values \['Rome'\]"),
        (('<weight index="1" value="0.5"/>', '<weight index="1" value="-0.5"/>'), "negative"),
        (('evaluation="8"', 'evaluation="eight"'), "is not a number"),
    ],
)
def test_profile_errors_name_file_and_issue(tmp_path, edit, message):
    old, new = edit
    assert old in BUYER
    d = _folder(tmp_path, buyer=BUYER.replace(old, new))
    with pytest.raises(ScenarioError, match=message) as err:
        load_genius(d)
    assert "dom_buyer.xml" in str(err.value)


def test_unsupported_constraint_aggregation_is_refused(tmp_path):
    text = (
        (FIX / "constraint" / "profile-2.xml")
        .read_text()
        .replace('aggregation="sum"', 'aggregation="max"')
    )
    d = tmp_path / "c"
    d.mkdir()
    (d / "grid-domain.xml").write_text((FIX / "constraint" / "grid-domain.xml").read_text())
    (d / "profile-1.xml").write_text(text)
    with pytest.raises(
        ScenarioError, match=r"profile-1\.xml: .*aggregation 'max' cannot be written"
    ):
        load_genius(d)


def test_several_domains_in_one_folder(tmp_path):
    d = _folder(tmp_path, buyer=BUYER)
    (d / "other_domain.xml").write_text((FIX / "three_party" / "Triad.xml").read_text())
    with pytest.raises(ScenarioError, match="several domain files"):
        load_genius(d)
    # naming a domain file picks the profiles whose names start like it
    s = load_genius(d / "dom_domain.xml")
    assert s.party_names == ("buyer",)


def test_weights_not_summing_to_one_rescale_the_reservation(tmp_path):
    text = BUYER.replace('value="0.5"/>', 'value="0.6"/>').replace(
        '<discount_factor value="0.8"/>', '<discount_factor value="1.5"/>'
    )
    d = _folder(tmp_path, buyer=text)
    with pytest.warns(GeniusWarning) as record:
        s = load_genius(d)
    messages = " ".join(str(w.message) for w in record)
    assert "weights sum to 1.1" in messages and "discount factor 1.5" in messages
    buyer = s.parties[0]
    assert buyer.discount == 1.0
    assert buyer.reservation == pytest.approx(0.3 / 1.1)
    # acceptability is GENIUS's: sum_i w_i v_i >= r  <=>  normalised utility >= r / s
    levels = s.space.enumerate()
    u = s.utilities(levels)[:, 0]
    ref = np.array([genius_utility(d / "dom_buyer.xml", _bid(s, row)) for row in levels])
    np.testing.assert_allclose(u * 1.1, ref, atol=1e-12)
    np.testing.assert_array_equal(u >= buyer.reservation - 1e-12, ref >= 0.3 - 1e-12)


# -- identifiers -----------------------------------------------------------------------------
def test_issue_identifier_examples():
    assert issue_identifier("Size of Fund") == "size_of_fund"
    assert issue_identifier("c1-i10") == "c1_i10"
    assert issue_identifier("2nd round") == "i_2nd_round"
    assert issue_identifier("!!!", fallback="issue_3") == "issue_3"
    assert issue_identifier("a", taken={"a", "a_2"}) == "a_3"


@given(
    st.text(max_size=30), st.sets(st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True), max_size=5)
)
def test_issue_identifier_is_valid_fresh_and_deterministic(label, taken):
    name = issue_identifier(label, taken)
    assert IDENTIFIER.match(name) and name not in taken
    assert name == issue_identifier(label, set(taken))


def test_duplicate_issue_names_are_made_distinct(tmp_path):
    dom = (FIX / "three_party" / "Triad.xml").read_text().replace('name="Music"', 'name="food"')
    prof = (
        (FIX / "three_party" / "Triad_util1.xml").read_text().replace('name="Music"', 'name="food"')
    )
    d = _folder(tmp_path, dom, util1=prof)
    s = load_genius(d)
    assert s.issue_names == ("food", "food_2")
    assert [i.display for i in s.issues] == ["Food", "food"]


# -- writing and round trips -------------------------------------------------------------------
def assert_same(a: Scenario, b: Scenario, tol: float = 1e-12) -> None:
    """Equal issues/levels, normalised weights, values (1e-12), reservations, discounts."""
    assert a.issues == b.issues
    assert a.party_names == b.party_names
    np.testing.assert_allclose(a.reservations, b.reservations, atol=tol)
    np.testing.assert_array_equal(a.discounts, b.discounts)
    np.testing.assert_allclose(a.weights, b.weights, atol=tol)
    for p, (pa, pb) in enumerate(zip(a.parties, b.parties, strict=True)):
        for i, issue in enumerate(a.issues):
            if issue.is_continuous:
                np.testing.assert_allclose(
                    np.array(pa.values[issue.name]), np.array(pb.values[issue.name]), atol=tol
                )
            elif not pa.scored_in_points:
                np.testing.assert_allclose(a.values(p, i), b.values(p, i), atol=tol)
    if not a.is_continuous:
        levels = a.space.enumerate() if a.space.cardinality <= 100_000 else a.space.sample(5000, 0)
        np.testing.assert_allclose(a.utilities(levels), b.utilities(levels), atol=tol)


@pytest.mark.parametrize("fixture", ["discrete", "integer", "real", "three_party", "constraint"])
def test_round_trip_of_the_fixtures(tmp_path, fixture):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeniusWarning)
        s = load_genius(FIX / fixture)
        path = save_genius(s, tmp_path / "out")
        back = load_genius(tmp_path / "out")
        again = load_genius(path)
    assert path.name.endswith("_domain.xml")
    assert back.name == s.name
    assert_same(s, back)
    assert_same(back, again)


def test_written_integer_issues_stay_integer(tmp_path):
    s = load_genius(FIX / "integer")
    path = save_genius(s, tmp_path)
    text = path.read_text()
    assert 'type="integer"' in text and 'lowerbound="10"' in text and 'upperbound="14"' in text
    prof = next(p for p in tmp_path.glob("*_buyer.xml"))
    assert 'slope="-0.25"' in prof.read_text()


def test_writer_output_is_readable_by_the_reference(tmp_path):
    """What we write means, under GENIUS's own formulas, what our scenario means."""
    s = load_genius(FIX / "integer")
    save_genius(s, tmp_path)
    back = load_genius(tmp_path)
    levels = s.space.enumerate()
    u = s.utilities(levels)
    for p, prof in enumerate(Path(x) for x in back.sources[1:]):
        ref = [genius_utility(prof, _bid(s, row)) for row in levels]
        np.testing.assert_allclose(u[:, p], ref, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(scenarios(red_lines=False, constraints=False, bonuses=False, max_issues=3, max_levels=3))
def test_round_trip_of_random_scenarios_keeps_preferences_and_acceptability(tmp_path_factory, s):
    out = tmp_path_factory.mktemp("rt")
    save_genius(s, out)
    back = load_genius(out)
    assert back.issues == s.issues and back.party_names == s.party_names
    levels = s.space.enumerate()
    u, v = s.utilities(levels), back.utilities(levels)
    for p in range(len(s.parties)):
        # GENIUS normalises each discrete issue by its best value: the same utility up to a
        # positive factor, with the reservation scaled alike.
        c = v[:, p].max() / u[:, p].max() if u[:, p].max() > 0 else 1.0
        np.testing.assert_allclose(v[:, p], c * u[:, p], atol=1e-12)
        assert back.reservations[p] == pytest.approx(c * s.reservations[p], abs=1e-12)
    np.testing.assert_array_equal(s.feasible_mask(levels), back.feasible_mask(levels))


@settings(max_examples=15, deadline=None)
@given(
    integer_scenarios(red_lines=False, constraints=False, bonuses=False, max_issues=3, max_levels=3)
)
def test_points_parties_are_written_as_an_affine_rescaling(tmp_path_factory, s):
    out = tmp_path_factory.mktemp("pts")
    with pytest.warns(GeniusWarning, match="written as a normalised additive profile"):
        save_genius(s, out)
    back = load_genius(out)
    levels = s.space.enumerate()
    u, v = s.utilities(levels), back.utilities(levels)
    lo = np.array([t.min(axis=0) for t in s.tables]).sum(axis=0)
    span = np.array([t.max(axis=0) - t.min(axis=0) for t in s.tables]).sum(axis=0)
    span = np.where(span > 0, span, 1.0)  # a party indifferent to everything: u' = u - lo
    np.testing.assert_allclose(v, (u - lo) / span, atol=1e-12)
    np.testing.assert_allclose(back.reservations, (s.reservations - lo) / span, atol=1e-12)


def test_points_with_bonuses_on_integer_issues_become_constraint_profiles(tmp_path):
    issues = (Issue("a", ("0", "1", "2", "3")), Issue("b", ("5", "6", "7")))
    s = Scenario(
        "toy",
        issues,
        (
            Party(
                "P",
                points={
                    "a": {"0": 0.0, "1": 0.1, "2": 0.0, "3": 0.2},
                    "b": {"5": 0.0, "6": 0.05, "7": 0.0},
                },
                bonuses=(({"a": ("0", "1", "3"), "b": ("5", "7")}, 0.5), ({"b": ("6",)}, -0.1)),
                reservation=0.1,
                discount=0.9,
            ),
            Party("Q", {"a": 1, "b": 2}, reservation=0.2),
        ),
    )
    save_genius(s, tmp_path)
    back = load_genius(tmp_path)
    levels = s.space.enumerate()
    np.testing.assert_allclose(back.utilities(levels), s.utilities(levels), atol=1e-12)
    assert back.parties[0].reservation == 0.1 and back.parties[0].discount == 0.9
    text = next(tmp_path.glob("toy_p.xml")).read_text()
    assert text.count("<hyperRectangle") == 3 + 4 + 1  # table entries, 2x2 boxes, one bonus


def test_writer_refuses_what_genius_cannot_express(tmp_path):
    s = negotiation.load_scenario("ukraine_2025")
    with pytest.raises(ScenarioError, match="GENIUS cannot express .*red lines"):
        save_genius(s, tmp_path / "u")
    issues = (Issue("colour", ("red", "blue")),)
    s = Scenario(
        "t",
        issues,
        (
            Party("A", {"colour": 1}, bonuses=(({"colour": ("red",)}, 0.1),)),
            Party("B", {"colour": 1}),
        ),
    )
    with pytest.raises(ScenarioError, match="needs integer issues"):
        save_genius(s, tmp_path / "b")
    pts = ((0.0, 0.0), (3.0, 0.9), (6.0, 0.2), (10.0, 1.0))
    s = Scenario(
        "c",
        (Issue("x", range=(0.0, 10.0)),),
        (Party("A", {"x": 1}, {"x": pts}), Party("B", {"x": 1})),
    )
    with pytest.raises(ScenarioError, match="cannot be written as a GENIUS real evaluator"):
        save_genius(s, tmp_path / "c")


def test_bundled_scenario_with_drop_unsupported(tmp_path):
    s = negotiation.load_scenario("ukraine_2025")
    with pytest.warns(GeniusWarning, match="left out of the GENIUS files"):
        try:
            save_genius(s, tmp_path, drop_unsupported=True)
        except ScenarioError as err:  # bonus terms on non-integer issues cannot be written
            assert "integer issues" in str(err)
            return
    back = load_genius(tmp_path)
    assert back.issue_names == s.issue_names and back.party_names == s.party_names


# -- the corpus script -------------------------------------------------------------------------
def _corpus_module():
    path = ROOT / "experiments" / "genius_corpus.py"
    sys.path.insert(0, str(path.parent))
    try:
        spec = importlib.util.spec_from_file_location("experiment_genius_corpus_test", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(path.parent))
    return module


def _rows(path: Path) -> list[dict]:
    import csv

    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_corpus_run_on_the_fixtures_reports_every_domain(tmp_path, capsys):
    module = _corpus_module()
    code = module.main([str(FIX), "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0 and str(tmp_path) in out
    rows = {r["path"]: r for r in _rows(tmp_path / "genius_corpus.csv")}
    assert rows["bomb.xml"]["status"] == "load error" and "refused" in rows["bomb.xml"]["reason"]
    assert rows["malformed/holiday_domain.xml"]["status"] == "load error"
    tp = rows["three_party/Triad.xml"]
    assert tp["status"] == "analysed" and tp["parties"] == "3" and tp["outcomes"] == "6"
    assert len(tp["nash"].split(";")) == 3
    assert rows["real/share_domain.xml"]["status"] == "analysed"
    c = rows["constraint/grid-domain.xml"]
    assert c["status"] == "analysed" and c["outcomes"] == "64" and "never hold" in c["warnings"]


@needs_corpus
def test_corpus_quick_on_the_real_corpus(tmp_path, capsys):
    module = _corpus_module()
    code = module.main(["--quick", "--out", str(tmp_path)])
    assert code == 0
    rows = _rows(tmp_path / "genius_corpus.csv")
    analysed = [r for r in rows if r["status"] == "analysed"]
    assert len(analysed) == 6
    for r in analysed:
        assert int(r["n_pareto"]) >= 1 and len(r["nash"].split(";")) == int(r["parties"])
    assert str(tmp_path) in capsys.readouterr().out


@needs_corpus
@pytest.mark.parametrize(
    "folder, parties, size",
    [
        ("anac/y2010/ItexvsCypress", ("Cypress", "Itex"), 180),
        ("anac/y2016/AgentHp2", ("consumer", "producer", "provider"), 7**8),
        ("anac/y2015/group2-dinner", ("party 1", "party 2", "party 3"), None),
        ("other/AMPOvsCity", ("AMPO", "City"), None),
        ("anac/y2014/10issuesDiscountedwithRV", ("party 1", "party 2"), 10**10),
    ],
)
def test_real_corpus_spot_checks(folder, parties, size):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GeniusWarning)
        s = load_genius(CORPUS / folder)
    assert s.party_names == parties
    if size is not None:
        assert s.space.cardinality == size
    if "y2014" in folder:
        assert all(p.bonuses for p in s.parties)
        assert s.discounts.tolist() == [0.5, 0.5] and s.reservations.tolist() == [0.75, 0.75]


def test_find_domains_natural_order():
    found = genius.find_genius_domains(FIX)
    rel = [str(p.relative_to(FIX)) for p in found]
    assert "discrete/holiday_domain.xml" in rel and "bomb.xml" in rel
    assert rel == sorted(rel, key=lambda r: [_natural_key(x) for x in Path(r).parts])


# -- GeniusWeb JSON ----------------------------------------------------------------------------
def _geniusweb_folder(tmp_path: Path) -> Path:
    import json

    domain = {
        "name": "jobs",
        "issuesValues": {
            "lease car": {"values": ["yes", "no"]},
            "salary": {"range": {"low": 2000, "high": 3000, "step": 500}},
        },
    }
    d = tmp_path / "gw"
    d.mkdir()
    (d / "jobs.json").write_text(json.dumps(domain))
    profiles = {
        "employee": (
            {"lease car": 0.25, "salary": 0.75},
            {"yes": 1, "no": 0.2},
            (2000, 0.0, 3000, 1.0),
            {"issuevalues": {"lease car": "no", "salary": 2500}},
        ),
        "employer": (
            {"lease car": 0.5, "salary": 0.5},
            {"yes": 0, "no": 1},
            (2000, 1.0, 3000, 0.5),
            None,
        ),
    }
    for who, (w, car, (lv, lu, hv, hu), res) in profiles.items():
        body = {
            "issueWeights": w,
            "issueUtilities": {
                "lease car": {"DiscreteValueSetUtilities": {"valueUtilities": car}},
                "salary": {
                    "NumberValueSetUtilities": {
                        "lowValue": lv,
                        "lowUtility": lu,
                        "highValue": hv,
                        "highUtility": hu,
                    }
                },
            },
            "domain": domain,
            "name": who,
            "reservationBid": res,
        }
        (d / f"{who}.json").write_text(json.dumps({"LinearAdditiveUtilitySpace": body}))
    return d


def test_geniusweb_profiles(tmp_path):
    d = _geniusweb_folder(tmp_path)
    s = negotiation.load_scenario(d)  # a folder of JSON goes to the GeniusWeb reader
    assert s.name == "jobs" and s.party_names == ("employee", "employer")
    assert s.issue_names == ("lease_car", "salary") and s.issues[0].label == "lease car"
    assert s.issues[1].levels == ("2000", "2500", "3000")
    emp, boss = s.parties
    assert emp.values["salary"] == {"2000": 0.0, "2500": 0.5, "3000": 1.0}
    assert boss.values["salary"] == {"2000": 1.0, "2500": 0.75, "3000": 0.5}
    # the reservation is the utility of the reservation bid
    assert emp.reservation == pytest.approx(0.25 * 0.2 + 0.75 * 0.5) and boss.reservation == 0.0
    u = s.utilities(s.space.encode({"lease_car": "yes", "salary": "3000"})[None, :])
    np.testing.assert_allclose(u, [[1.0, 0.25]])


def test_geniusweb_errors(tmp_path):
    from negotiation.io.geniusweb import load_geniusweb

    d = _geniusweb_folder(tmp_path)
    (d / "broken.json").write_text('{"LinearAdditiveUtilitySpace": {\n  "name": }')
    with pytest.raises(ScenarioError, match=r"broken\.json: malformed JSON at line 2"):
        load_geniusweb(d)
    (d / "broken.json").write_text('{"SumOfGroupsUtilitySpace": {}}')
    with pytest.raises(ScenarioError, match="SumOfGroupsUtilitySpace' is not supported"):
        load_geniusweb(d)
    (d / "broken.json").unlink()
    text = (
        (d / "employer.json")
        .read_text()
        .replace('"issueWeights": {"lease car"', '"issueWeights": {"pension"')
    )
    (d / "employer.json").write_text(text)
    with pytest.raises(ScenarioError, match=r"employer\.json: unknown issue 'pension'"):
        load_geniusweb(d)


def test_corpus_subcommand(tmp_path, capsys):
    from negotiation.cli import main

    assert main(["corpus", str(FIX / "three_party"), "--out", str(tmp_path)]) == 0
    rows = _rows(tmp_path / "genius_corpus.csv")
    assert [r["status"] for r in rows] == ["analysed"]
    assert "1 domains: 1 loaded, 1 analysed exactly" in capsys.readouterr().out
    assert main(["corpus", str(tmp_path / "absent")]) == 2
