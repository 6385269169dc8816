"""The report's Proposals section: scorecard, repairs, the diagnosis of an empty zone, levers."""

from __future__ import annotations

import json

import negotiation as ng
from negotiation.report import build_report


def _build(name, tmp_path):
    path = build_report(
        name, tmp_path, formats=("png",), sensitivity=False, simulation=False, equilibria=False
    )
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    data = json.loads((tmp_path / "analysis.json").read_text(encoding="utf-8"))
    return path, md, data


def test_empty_zone_is_explained_with_the_scorecard_and_levers(tmp_path):
    s = ng.load_scenario("ukraine_2025_hardline")
    path, md, data = _build("ukraine_2025_hardline", tmp_path)
    section = md.split("## Proposals", 1)[1]
    assert "Why there is no deal" in section
    diag = data["diagnosis"]
    for cs in diag["conflicting_sets"]:
        assert " + ".join(d["text"] for d in cs) in section
    assert (tmp_path / "figures" / "scorecard.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [p["name"] for p in data["proposals"]] == [p.name for p in s.proposals]
    assert {e["levers"][0] for e in data["levers"]} == {lv.name for lv in s.levers}
    for p in s.proposals:
        assert p.display in section
    assert "figures/scorecard.png" in path.read_text(encoding="utf-8")


def test_no_section_without_proposals_levers_or_empty_zone(tmp_path):
    _, md, data = _build("textbook_two_party", tmp_path)
    assert "## Proposals" not in md and "proposals" not in data
