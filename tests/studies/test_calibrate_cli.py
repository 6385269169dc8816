"""The `negotiation calibrate` command and the robust conclusions."""

from __future__ import annotations

import json

import numpy as np
import pytest

from negotiation.cli import main
from negotiation.io import load_scenario
from negotiation.model.evidence import check_evidence, load_evidence

EVIDENCE = """
[[evidence]]
name = "remote"
source = "test"
party = "Candidate"
weight_order = {more = "salary", less = "start_date"}

[[evidence]]
name = "walk"
source = "test"
party = "Employer"
bounds = {reservation = true, min = 0.1, max = 0.5}
"""


def test_bundled_ukraine_evidence_loads_and_holds_for_the_shipped_parameters(capsys):
    items = load_evidence("ukraine_2025_evidence")
    s = load_scenario("ukraine_2025")
    assert len(check_evidence(s, items)) == len(items) > 0
    assert all(e.source and e.quote for e in items)
    assert main(["calibrate", "ukraine_2025", "--samples", "0", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["feasible"] and data["shipped_inside"] and data["violated"] == []
    assert data["n_evidence"] == len(items)
    for p in data["parameters"]:
        lo, hi = p["consistent"]
        plo, phi = p["prior"]
        assert plo - 1e-7 <= lo <= p["shipped"] + 1e-7 and p["shipped"] - 1e-7 <= hi <= phi + 1e-7


def test_full_run_on_a_small_scenario(tmp_path, capsys):
    ev = tmp_path / "ev.toml"
    ev.write_text(EVIDENCE)
    args = ["calibrate", "textbook_two_party", "--evidence", str(ev), "--samples", "80"]
    args += ["--workers", "1", "--json", "--seed", "4", "--out", str(tmp_path / "run")]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    c = data["conclusions"]
    assert c["samples"] == 80 and 0 <= c["agreement"]["probability"] <= 1
    assert c["rhat"] is not None and c["rhat"] < 1.2
    for levels in c["levels"]["nash"].values():
        assert sum(v["probability"] for v in levels.values()) == pytest.approx(1.0)
    walk = [p for p in data["parameters"] if p["parameter"] == "Employer/reservation"][0]
    assert walk["consistent"] == pytest.approx([0.1, 0.5], abs=1e-7)
    assert (tmp_path / "run" / "calibrate.csv").exists()
    # the same seed gives the same conclusions
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["conclusions"] == c


def test_contradiction_is_reported(tmp_path, capsys):
    ev = tmp_path / "ev.toml"
    ev.write_text(
        EVIDENCE
        + '\n[[evidence]]\nname = "clash"\nsource = "t"\nparty = "Employer"\n'
        + "bounds = {reservation = true, min = 0.6}\n"
    )
    assert main(["calibrate", "textbook_two_party", "--evidence", str(ev), "--samples", "10"]) == 0
    out = capsys.readouterr().out
    assert "contradictory" in out and "walk" in out and "clash" in out and "remote" not in out


def test_bad_evidence_exits_2_naming_the_file(tmp_path, capsys):
    ev = tmp_path / "ev.toml"
    ev.write_text(
        '[[evidence]]\nsource = "t"\nparty = "Nobody"\nbounds = {reservation = true, min = 0.1}\n'
    )
    assert main(["calibrate", "textbook_two_party", "--evidence", str(ev)]) == 2
    err = capsys.readouterr().err.strip()
    assert "ev.toml" in err and "party 'Nobody'" in err and "Traceback" not in err
    assert len(err.splitlines()) == 1


def test_plots_are_written_and_never_overwritten(tmp_path, capsys):
    ev = tmp_path / "ev.toml"
    ev.write_text(EVIDENCE)
    figs = tmp_path / "figs"
    args = ["calibrate", "textbook_two_party", "--evidence", str(ev), "--samples", "20"]
    args += ["--workers", "1", "--quiet", "--plots", str(figs)]
    assert main(args) == 0
    assert (figs / "calibration_intervals.png").stat().st_size > 0
    assert main(args) == 2
    assert "--force" in capsys.readouterr().err
    assert main([*args, "--force"]) == 0


def test_acceptance_probabilities_match_a_direct_count():
    """Acceptance per proposal per party equals the share of samples where the party's
    utility of the (complete) proposal, recomputed from the variant scenario, reaches r."""
    from negotiation.engine.calibrate import acceptance, calibrate
    from negotiation.model.evidence import loads_evidence
    from negotiation.studies.inputs import apply_inputs

    s = load_scenario("textbook_two_party")
    cal = calibrate(s, loads_evidence(EVIDENCE))
    samples, _ = cal.sample(40, seed=2)
    x = np.array([[d[k] for k in cal.names] for d in samples])
    terms = {i.name: i.levels[0] for i in s.issues}
    got = acceptance(s, x, cal.names, terms, "Candidate")
    want = [
        bool(apply_inputs(s, d).acceptable(s.space.encode(terms)[None, :])[0, 0]) for d in samples
    ]
    assert got.tolist() == want


def test_evidence_inside_the_scenario_file_is_read(tmp_path, capsys):
    from negotiation.io.bundled import resolve as _resolve

    text = _resolve("textbook_two_party").read_text(encoding="utf-8") + EVIDENCE
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    assert load_scenario(path).name == "textbook_two_party"  # [[evidence]] is a known table
    assert main(["calibrate", str(path), "--samples", "0", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["n_evidence"] == 2
