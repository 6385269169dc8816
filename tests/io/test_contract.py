"""Contract tests over every registered reader and writer (negotiation.io.READERS / WRITERS).

Every writer round-trips: write, then read back, gives the same utilities on every outcome (the
scenario is in GENIUS form -- each party's best level of each issue valued 1 -- so that the
GENIUS files, which normalise so, keep the numbers exactly). Every reader refuses a broken file
with a :class:`ScenarioError` whose message starts with the file's path. A new registry entry
without a case here fails :func:`test_every_format_has_a_case`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import negotiation as ng
from negotiation.errors import ScenarioError
from negotiation.io import READERS, WRITERS, load_scenario, save_scenario

#: A scenario every writer can express: weights and values only, best level valued 1.
SCENARIO = ng.loads_scenario(
    """
name = "contract"

[[issue]]
name = "price"
levels = ["low", "mid", "high"]

[[issue]]
name = "delivery"
levels = ["slow", "fast"]

[[party]]
name = "buyer"
reservation = 0.2
weights = { price = 0.75, delivery = 0.25 }
[party.values]
price = { low = 1, mid = 0.5, high = 0 }
delivery = { slow = 0, fast = 1 }

[[party]]
name = "seller"
reservation = 0.3
discount = 0.9
weights = { price = 0.5, delivery = 0.5 }
[party.values]
price = { low = 0, mid = 0.625, high = 1 }
delivery = { slow = 1, fast = 0.375 }
"""
)

#: For each reader: a broken file's name and content (each must fail to parse or validate).
BROKEN = {
    "genius": ("domain.xml", "<negotiation_template><utility_space>"),
    "geniusweb": ("profile.json", '{"LinearAdditiveUtilitySpace": {\n  "name": }'),
    "spatial": ("data.csv", "Actor,Capability,Position,Salience\nA,not-a-number,50,1\n"),
    "toml": ("scenario.toml", "name = \n"),
}

#: For each writer: the path it is given (genius writes a folder).
TARGET = {"toml": "out.toml", "genius": "out"}


def test_every_format_has_a_case():
    assert {r.name for r in READERS} == set(BROKEN)
    assert {w.name for w in WRITERS} == set(TARGET)


@pytest.mark.parametrize("writer", [w.name for w in WRITERS])
def test_every_writer_round_trips(tmp_path: Path, writer: str):
    path = tmp_path / TARGET[writer]
    written = save_scenario(SCENARIO, path, format=writer)
    back = load_scenario(written if writer == "toml" else path)
    every = SCENARIO.space.enumerate()
    assert back.party_names == SCENARIO.party_names
    # utilities are sums of weight x value with values on a grid of eighths: the data scale is
    # 1, and both files carry the numbers exactly (GENIUS writes floats with repr)
    np.testing.assert_allclose(back.utilities(every), SCENARIO.utilities(every), rtol=0, atol=1e-12)
    np.testing.assert_allclose(
        [p.reservation for p in back.parties], [p.reservation for p in SCENARIO.parties], atol=1e-12
    )


@pytest.mark.parametrize("writer", [w.name for w in WRITERS])
def test_every_writer_refuses_to_replace_a_users_file(tmp_path: Path, writer: str):
    path = tmp_path / TARGET[writer]
    if writer == "genius":
        path.mkdir()
        mine = path / "notes.txt"
    else:
        mine = path
    mine.write_text("my own notes\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="overwrite=True"):
        save_scenario(SCENARIO, path, format=writer)
    assert mine.read_text(encoding="utf-8") == "my own notes\n"
    save_scenario(SCENARIO, path, format=writer, overwrite=True)
    assert load_scenario(path if writer == "genius" else path).party_names == ("buyer", "seller")


@pytest.mark.parametrize("reader", sorted(BROKEN))
def test_every_reader_names_the_file_of_a_broken_file(tmp_path: Path, reader: str):
    name, text = BROKEN[reader]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    entry = next(r for r in READERS if r.name == reader)
    assert entry.takes(path)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(info.value).startswith(f"{path}: ")
