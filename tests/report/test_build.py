"""build_report: the files, the sections, the numbers in them, and that the HTML opens."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from brute_force import best, brute_force

import negotiation as ng
from negotiation.cli import main
from negotiation.engine.analysis import analyze
from negotiation.model import Issue, Party, Scenario
from negotiation.report import FORECAST_NOTE, build_report

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


def test_json_and_tables_match_a_brute_force(textbook_report):
    """analysis.json, frontier.csv and solutions.csv against every one of the 36 outcomes
    evaluated from the TOML file's numbers by tests/brute_force.py (not by the package)."""
    out, _ = textbook_report
    bf = brute_force("textbook_two_party")
    data = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    assert data["n_outcomes"] == len(bf["outcomes"]) == 36  # 4 x 3 x 3
    assert data["n_feasible"] == len(bf["feasible"]) == 19  # the scenario file's comment
    assert data["n_pareto"] == len(bf["pareto"]) == 5
    names = list(bf["utilities"])
    frontier = pd.read_csv(out / "frontier.csv")
    got = sorted(
        tuple(row[i] for i in ("salary", "remote_days", "start_date"))
        for _, row in frontier.iterrows()
    )
    want = sorted(tuple(bf["outcomes"][k].values()) for k in bf["pareto"])
    assert got == want
    for k in bf["pareto"]:  # each frontier row's utilities, to float64 round-off
        row = frontier[
            (frontier["remote_days"] == bf["outcomes"][k]["remote_days"])
            & (frontier["start_date"] == bf["outcomes"][k]["start_date"])
        ]
        for p in names:
            assert float(row[p].iloc[0]) == pytest.approx(bf["utilities"][p][k], abs=1e-12)
    solutions = pd.read_csv(out / "solutions.csv", index_col=0)  # one row per solution
    for rule in ("nash", "utilitarian", "egalitarian"):
        k = best(bf, rule)
        assert data["solutions"][rule]["deal"] == bf["outcomes"][k], rule
        for p in names:
            assert data["solutions"][rule]["utilities"][p] == pytest.approx(
                bf["utilities"][p][k], abs=1e-12
            )
            assert solutions.loc[rule, f"{p} utility"] == pytest.approx(
                bf["utilities"][p][k], abs=1e-12
            )
        assert (
            dict(solutions.loc[rule, ["salary", "remote_days", "start_date"]]) == bf["outcomes"][k]
        )
    # by hand (weights 5/4/2 and 3/3/5 over 11): Nash = 60k, two days, one month
    assert data["solutions"]["nash"]["utilities"]["Candidate"] == pytest.approx(8.85 / 11)
    assert data["solutions"]["nash"]["utilities"]["Employer"] == pytest.approx(8.15 / 11)


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
    import negotiation.dynamics.games as games

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
    assert dom.count("<img") == 9
    console = [line for line in run.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert not console, console
