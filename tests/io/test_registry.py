"""The format registry (negotiation.io.registry, READERS/WRITERS): look-up, and adding a format."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import numpy as np
import pytest

import negotiation as ng
from negotiation.errors import ScenarioError
from negotiation.io import READERS, WRITERS, load_scenario, save_scenario
from negotiation.io.registry import Reader, find_reader, find_writer
from negotiation.model.loader import scenario_from_dict

TOY = """
name = "toy"

[[issue]]
name = "x"
levels = ["a", "b", "c"]

[[issue]]
name = "y"
levels = ["p", "q"]

[[party]]
name = "A"
weights = { x = 3, y = 1 }
[party.values]
x = { a = 0, b = 0.5, c = 1 }
y = { p = 1, q = 0 }

[[party]]
name = "B"
reservation = 0.1
weights = { x = 1, y = 1 }
[party.values]
x = { a = 1, b = 0.25, c = 0 }
y = { p = 0, q = 1 }
"""


# -- adding a format: one function and one registry entry ---------------------------------------
def _read_toy_json(path: Path) -> ng.Scenario:
    """A toy reader: the tables of a scenario file, written as JSON instead of TOML."""
    return scenario_from_dict(json.loads(path.read_text(encoding="utf-8")), str(path))


def _is_toy_json(path: Path) -> bool:
    head = json.loads(path.read_text(encoding="utf-8"))
    return isinstance(head, dict) and "issue" in head and "party" in head


TOY_JSON = Reader("toy-json", (".json",), _read_toy_json, "scenario tables as JSON", _is_toy_json)


def test_a_new_reader_is_one_registry_entry(tmp_path: Path):
    (tmp_path / "toy.toml").write_text(TOY, encoding="utf-8")
    (tmp_path / "toy.json").write_text(json.dumps(tomllib.loads(TOY)), encoding="utf-8")
    readers = (TOY_JSON, *READERS)  # a copy of the registry with one more entry
    from_json = load_scenario(tmp_path / "toy.json", readers=readers)
    from_toml = load_scenario(tmp_path / "toy.toml")
    every = from_toml.space.enumerate()
    np.testing.assert_array_equal(from_json.utilities(every), from_toml.utilities(every))
    # hand-computed: A at (c, p) = (3 * 1 + 1 * 1) / 4 = 1; B at (a, q) = (1 + 1) / 2 = 1
    assert from_json.utilities(from_json.space.encode({"x": "c", "y": "p"})[None])[0, 0] == 1.0
    assert from_json.file == str(tmp_path / "toy.json")
    # the registry itself is untouched: there .json is GeniusWeb, which refuses this file
    assert find_reader(tmp_path / "toy.json", READERS, default="toml").name == "geniusweb"
    with pytest.raises(ScenarioError, match="toy.json"):
        load_scenario(tmp_path / "toy.json")


def test_the_sniff_lets_two_formats_share_a_suffix(tmp_path: Path):
    profile = tmp_path / "profile.json"
    profile.write_text('{"LinearAdditiveUtilitySpace": {}}', encoding="utf-8")
    readers = (TOY_JSON, *READERS)
    assert find_reader(profile, readers, default="toml").name == "geniusweb"
    toy = tmp_path / "toy.json"
    toy.write_text(json.dumps(tomllib.loads(TOY)), encoding="utf-8")
    assert find_reader(toy, readers, default="toml").name == "toy-json"


@pytest.mark.parametrize(
    ("name", "reader"),
    [
        ("d.xml", "genius"),
        ("D.XML", "genius"),
        ("p.json", "geniusweb"),
        ("a.csv", "spatial"),
        ("a.txt", "spatial"),
        ("a.tsv", "spatial"),
        ("s.toml", "toml"),
        ("s.cfg", "toml"),  # any other suffix is read as TOML, as before the registry
        ("s", "toml"),
    ],
)
def test_readers_by_suffix(tmp_path: Path, name: str, reader: str):
    assert find_reader(tmp_path / name, READERS, default="toml").name == reader


def test_a_folder_goes_to_the_folder_reader(tmp_path: Path):
    assert find_reader(tmp_path, READERS, default="toml").name == "genius"


def test_every_entry_has_a_distinct_name_and_a_description():
    for registry in (READERS, WRITERS):
        names = [e.name for e in registry]
        assert len(set(names)) == len(names)
        assert all(e.description for e in registry)
        assert all(s.startswith(".") and s == s.lower() for e in registry for s in e.suffixes)


def test_writers_by_name_suffix_and_default(tmp_path: Path):
    assert find_writer(tmp_path / "s.toml", WRITERS, default="toml").name == "toml"
    assert find_writer(tmp_path / "out", WRITERS, format="genius", default="toml").name == "genius"
    assert find_writer(tmp_path / "s.txt", WRITERS, default="toml").name == "toml"
    with pytest.raises(
        ScenarioError, match=r"no scenario writer named 'yaml' \(known: toml, genius\)"
    ):
        save_scenario(ng.loads_scenario(TOY), tmp_path / "s.yaml", format="yaml")
    assert not (tmp_path / "s.yaml").exists()
