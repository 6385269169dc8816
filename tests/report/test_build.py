"""The report: files, sections, generated words, and that the HTML opens in a browser."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import negotiation as ng
from negotiation.cli import main
from negotiation.engine.analysis import analyze
from negotiation.model import Issue, Party, Scenario
from negotiation.report import FORECAST_NOTE, build_report, describe_trade_offs, zone_of_agreement

PNG = b"\x89PNG\r\n\x1a\n"
SECTIONS = [
    "The scenario",
    "Parties",
    "Issues and weights",
    "Red lines and constraints",
    "Sources",
    "The zone of agreement",
    "The utility space",
    "The solutions side by side",
    "The main trade-offs",
    "Equilibria",
    "Sensitivity of the Nash deal",
    "A simulated negotiation",
    "Forecasts",
    "Files",
]


@pytest.fixture(scope="module")
def textbook_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("textbook")
    path = build_report("textbook_two_party", out, formats=("png", "svg", "pdf"))
    return out, path


@pytest.fixture(scope="module")
def ukraine_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("ukraine")
    analysis = analyze(ng.load_scenario("ukraine_2025"))
    path = build_report(analysis, out, sensitivity=False)
    return out, path, analysis


class _Checker(HTMLParser):
    VOID = {"meta", "img", "br", "hr", "link", "input"}

    def __init__(self):
        super().__init__()
        self.stack, self.errors, self.images = [], [], []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs)["src"])
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)


def check_html(path: Path) -> _Checker:
    checker = _Checker()
    checker.feed(path.read_text(encoding="utf-8"))
    assert not checker.errors and not checker.stack, (checker.errors, checker.stack)
    return checker


def test_files_are_written_and_valid(textbook_report):
    out, path = textbook_report
    assert path == out / "report.html"
    for name in (
        "report.md",
        "report.html",
        "analysis.json",
        "frontier.csv",
        "solutions.csv",
        "lotteries.csv",
        "sensitivity_tornado.csv",
        "sensitivity_sweep.csv",
        "level_frequencies.csv",
        "simulation.json",
        "simulation_trace.csv",
    ):
        assert (out / name).is_file(), name
    figures = sorted(p.stem for p in (out / "figures").glob("*.png"))
    assert figures == sorted(
        [
            "utility_space",
            "utility_space_zoom",
            "deal_table",
            "gains",
            "sensitivity_tornado",
            "sensitivity_line",
            "level_frequencies",
            "trace",
            "forecasts",
        ]
    )
    for stem in figures:
        assert (out / "figures" / f"{stem}.png").read_bytes().startswith(PNG)
        assert ET.parse(out / "figures" / f"{stem}.svg").getroot().tag.endswith("svg")
        assert (out / "figures" / f"{stem}.pdf").read_bytes().startswith(b"%PDF")


def test_json_and_tables_match_the_analysis(textbook_report):
    out, _ = textbook_report
    analysis = analyze(ng.load_scenario("textbook_two_party"))
    data = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    expected = analysis.to_dict()
    for key in (
        "scenario",
        "parties",
        "n_outcomes",
        "n_feasible",
        "n_pareto",
        "solutions",
        "pareto",
    ):
        assert data[key] == json.loads(json.dumps(expected[key])), key
    frontier = pd.read_csv(out / "frontier.csv")
    assert len(frontier) == analysis.frontier.size
    solutions = pd.read_csv(out / "solutions.csv", index_col=0)  # one row per solution
    assert solutions.loc["utilitarian", "remote_days"] == "four_days"


def test_markdown_and_html_have_every_section(textbook_report):
    out, path = textbook_report
    md = (out / "report.md").read_text(encoding="utf-8")
    html = path.read_text(encoding="utf-8")
    for title in SECTIONS:
        assert f"## {title}" in md or f"### {title}" in md, title
        assert f">{title}</h" in html, title
    assert FORECAST_NOTE in md and FORECAST_NOTE.replace("'", "&#x27;") in html
    # Markdown refers to the PNG files; the HTML embeds every figure
    refs = [line for line in md.splitlines() if line.startswith("![")]
    assert len(refs) == 9 and all("](figures/" in r for r in refs)
    for r in refs:
        assert (out / r.split("](")[1].rstrip(")")).is_file()
    checker = check_html(path)
    assert len(checker.images) == 9
    assert all(src.startswith("data:image/png;base64,") for src in checker.images)
    # self-contained: nothing loaded from files or the network
    assert "file://" not in html and 'src="http' not in html and "<link" not in html


def test_trade_offs_are_generated_from_the_numbers():
    a = analyze(ng.load_scenario("textbook_two_party"))
    text = describe_trade_offs(a)
    joined = "\n".join(text)
    # Nash: 60k / two days / one month; utilitarian: 60k / four days / one month
    assert (
        "The Nash and the utilitarian deals differ on 1 issue: Remote days per week (two days "
        "under Nash, four days under utilitarian)" in joined
    )
    nash, util = a.solutions["nash"], a.solutions["utilitarian"]
    du = util.utilities - nash.utilities
    assert (
        f"Candidate ({du[0]:+.3f}) gains utility; Employer ({du[1]:+.3f}) loses".replace(
            "-", "\u2212"
        )
        in joined
    )
    assert "The deciding issue is **Remote days per week**" in joined
    # every distinct deal gets its "closest to the reservation" sentence, with the right party
    r = a.scenario.reservations
    for name in ("egalitarian", "utilitarian"):
        d = a.solutions[name]
        k = int(np.argmin(d.utilities - r))
        assert any(
            line.startswith(f"Under {name}, **{a.scenario.party_names[k]}**") for line in text
        )
    # the salary is the same in every Pareto-feasible deal
    assert "Every Pareto-feasible deal has Annual salary: 60k" in joined


def test_deciding_issue_is_the_largest_score_swing(ukraine_report):
    _, _, a = ukraine_report
    s = a.scenario
    text = "\n".join(describe_trade_offs(a))
    la, lb = a.solutions["nash"].levels, a.solutions["utilitarian"].levels
    diff = [i for i in range(len(s.issues)) if la[i] != lb[i]]
    swing = [np.abs(s.tables[i][lb[i]] - s.tables[i][la[i]]).sum() for i in diff]
    decides = s.issues[diff[int(np.argmax(swing))]].display
    assert f"**{decides}**" in text
    assert "pick the same deal" in text


def test_zone_of_agreement_counts():
    s = ng.load_scenario("ukraine_2025")
    levels = s.space.enumerate()
    zone = zone_of_agreement(s, s.utilities(levels), levels)
    f = analyze(s, lotteries=False).frontier
    assert zone["n"] == f.n_outcomes and zone["allowed"] == f.n_allowed
    assert zone["feasible"] == f.n_feasible == int(zone["feasible_mask"].sum())
    assert min(zone["accepts"].values()) >= zone["feasible"]


def test_many_parties_report(ukraine_report):
    out, path, a = ukraine_report
    stems = {p.stem for p in (out / "figures").glob("*.png")}
    assert {"utility_pairs", "utility_pairs_zoom", "parallel", "deal_table", "gains"} <= stems
    assert "sensitivity_tornado" not in stems
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "not a forecast" in md.split("## The scenario")[0]  # prominent: before everything else
    assert "**Ukraine** never accepts Donbas (Donetsk and Luhansk) = Ukraine withdraws." in md
    for party in a.scenario.parties:  # one line per hard red line, none for a party without
        assert md.count(f"**{party.name}** never accepts") == len(party.red_lines)
    assert "i news, 'Putin's price for peace" in md
    assert f"**{a.frontier.size}** of those are **Pareto-feasible**" in md
    check_html(path)


def test_equilibria_section_uses_the_games_module(monkeypatch, tmp_path):
    games = pytest.importorskip("negotiation.dynamics.games")

    def fake_summary(scenario):
        u = {p: 0.7 for p in scenario.party_names}
        return {
            "rubinstein": {
                "parties": list(scenario.party_names),
                "agreement": {"deal": {"salary": "60k"}, "utilities": u},
            },
            "baron_ferejohn": {"parties": [], "agreement": None},
        }

    monkeypatch.setattr(games, "equilibria_summary", fake_summary, raising=False)
    path = build_report(
        "textbook_two_party", tmp_path, formats=("png",), sensitivity=False, simulation=False
    )
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    section = md.split("## Equilibria")[1].split("## ")[0]
    assert (
        "| Rubinstein equilibrium |" in section
        and "| Baron–Ferejohn equilibrium |" in section  # capitals kept
        and "no agreement" in section
    )
    assert json.loads((tmp_path / "analysis.json").read_text())["equilibria"]["rubinstein"]
    assert path.is_file()


def test_empty_zone_of_agreement(tmp_path):
    s = Scenario(
        "empty",
        (Issue("x", ("a", "b", "c")),),
        (
            Party("A", {"x": 1}, reservation=0.6),
            Party("B", {"x": 1}, {"x": {"a": 1.0, "b": 0.5, "c": 0.0}}, reservation=0.6),
        ),
    )
    path = build_report(s, tmp_path, formats=("png",))
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "**The zone of agreement is empty.**" in md
    assert "No outcome is feasible" in md
    assert (tmp_path / "figures" / "utility_space.png").is_file()
    check_html(path)


def test_continuous_scenario(tmp_path):
    s = Scenario(
        "cont",
        (
            Issue("price", label="Price", range=(0.0, 100.0), unit="EUR"),
            Issue("date", ("soon", "late")),
        ),
        (
            Party(
                "Buyer",
                {"price": 2, "date": 1},
                {"price": ((0.0, 1.0), (100.0, 0.0))},
                reservation=0.3,
            ),
            Party(
                "Seller",
                {"price": 1, "date": 1},
                {"date": {"soon": 0.0, "late": 1.0}},
                reservation=0.3,
            ),
        ),
    )
    build_report(s, tmp_path, formats=("png",), sensitivity=False, simulation=False)
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "exact solutions over the continuous ranges" in md and "EUR" in md


def test_command_line(tmp_path, capsys):
    out = tmp_path / "r"
    code = main(
        [
            "report",
            "textbook_two_party",
            "--out",
            str(out),
            "--formats",
            "png",
            "--no-sensitivity",
            "--no-simulation",
            "--no-equilibria",
            "--seed",
            "3",
        ]
    )
    assert code == 0 and (out / "report.html").is_file()
    assert "## Equilibria" not in (out / "report.md").read_text(encoding="utf-8")
    assert "wrote" in capsys.readouterr().out
    assert main(["report", "textbook_two_party", "--out", str(out), "--formats", "gif"]) == 2
    assert "--formats" in capsys.readouterr().err
    assert main(["report", "no_such_scenario", "--out", str(out)]) == 2


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_html_opens_in_headless_chromium(textbook_report):
    _, path = textbook_report
    with tempfile.TemporaryDirectory() as profile:
        run = subprocess.run(
            [
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={profile}",
                "--enable-logging=stderr",
                "--v=0",
                "--dump-dom",
                path.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert run.returncode == 0, run.stderr[-2000:]
    dom = run.stdout
    for title in SECTIONS:
        assert title in dom
    assert dom.count("<img") == 8
    console = [line for line in run.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert not console, console


def test_mixed_scales_are_never_added_in_the_text(tmp_path):
    """Issue 12, item 16: a points-scored party beside weighted ones: no total across scales."""
    from negotiation.report import describe_trade_offs

    text = """
name = "mixed"
[[issue]]
name = "x"
levels = ["a", "b", "c"]
[[issue]]
name = "y"
levels = ["p", "q"]
[[party]]
name = "W"
reservation = 0.1
weights = { x = 1, y = 1 }
[[party]]
name = "S"
reservation = 10
[party.points]
x = { a = 60, b = 30, c = 0 }
y = { p = 0, q = 40 }
"""
    a = analyze(ng.loads_scenario(text))
    lines = " ".join(describe_trade_offs(a))
    assert "decid" in lines, lines  # the solutions differ on x: a deciding issue is named
    assert "in total" not in lines and "relative to each party's own scale" in lines
