"""The input corpus: malformed scenario files (TOML, GENIUS XML, GeniusWeb JSON) as a table.

Each :class:`Case` starts from a small *valid* scenario in one of the three formats and breaks
it one way (a replaced snippet, an appended table, a whole file). ``expect`` lists the words the
error message must contain besides the name of the file at fault (the party, issue or level, or
what is wrong). The base scenarios themselves load and analyse cleanly (tested), so every case
fails because of its one change.

Only :func:`write_case` touches the file system, and only under the folder it is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Case", "CASES", "BASES", "write_case"]


@dataclass(frozen=True)
class Case:
    """One malformed input.

    Parameters
    ----------
    id
        Short unique name (also the test id).
    format
        ``"toml"``, ``"genius"`` or ``"geniusweb"``.
    files
        File name -> content (text, or bytes written as they are).
    entry
        What is passed to ``negotiation analyze``: a file name of ``files`` or ``"."`` (the folder).
    fault
        The file name the message must contain.
    expect
        Further substrings the message must contain.
    """

    id: str
    format: str
    files: dict[str, str | bytes] = field(hash=False)
    entry: str
    fault: str
    expect: tuple[str, ...] = ()


def write_case(case: Case, folder: Path) -> Path:
    """Write the case's files into ``folder`` (created) and return the path to analyse."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in case.files.items():
        target = folder / name
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return folder if case.entry == "." else folder / case.entry


# -- TOML ------------------------------------------------------------------------------------
TOML_BASE = r"""name = "corpus base"
description = "A small valid scenario that the corpus breaks one way at a time."
sources = ["written for the robustness tests"]

[agreement]
quota = 2
veto = ["Buyer"]

[[issue]]
name = "price"
label = "Price"
levels = ["low", "mid", "high"]

[[issue]]
name = "share"
label = "Share"
range = [0.0, 100.0]
unit = "%"

[[constraint]]
price = ["high"]
share = { min = 95.0, max = 100.0 }

[[party]]
name = "Buyer"
reservation = 0.1
power = 1.0
discount = 0.9
weights = { price = 2, share = 1 }

[party.values]
price = { low = 1.0, mid = 0.5, high = 0.0 }
share = [[0.0, 0.0], [100.0, 1.0]]

[[party.red_line]]
price = ["high"]
share = { min = 90.0, max = 100.0 }

[[party.bonus]]
price = ["mid"]
value = 0.05

[[party]]
name = "Seller"
reservation = 0.2
weights = { price = 1, share = 1 }

[party.values]
price = { low = 0.0, mid = 0.5, high = 1.0 }
share = [[0.0, 1.0], [50.0, 0.4], [100.0, 0.0]]

[[party]]
name = "Broker"
points = { price = { low = 10, mid = 20, high = 0 } }
reservation = 5
"""

TOML_FILE = "corpus_case.toml"


def _toml(id: str, text: str | bytes, *expect: str) -> Case:
    return Case(f"toml-{id}", "toml", {TOML_FILE: text}, TOML_FILE, TOML_FILE, expect)


def _sub(id: str, old: str, new: str, *expect: str) -> Case:
    """The base with the one occurrence of ``old`` replaced by ``new``."""
    if TOML_BASE.count(old) != 1:
        raise AssertionError(f"corpus case {id}: {old!r} is not unique in the base")
    return _toml(id, TOML_BASE.replace(old, new), *expect)


def _add(id: str, extra: str, *expect: str) -> Case:
    """The base with ``extra`` appended (it lands in the last table, the Broker's)."""
    return _toml(id, TOML_BASE + extra, *expect)


BUYER_W = "weights = { price = 2, share = 1 }"
BUYER_V = "price = { low = 1.0, mid = 0.5, high = 0.0 }"
BUYER_S = "share = [[0.0, 0.0], [100.0, 1.0]]"
BUYER_RL = 'price = ["high"]\nshare = { min = 90.0, max = 100.0 }'
BROKER_P = "points = { price = { low = 10, mid = 20, high = 0 } }"
DEEP = "[" * 30_000 + "]" * 30_000

TOML_CASES = [
    # the scenario table
    _sub("name-number", 'name = "corpus base"', "name = 5", "scenario name", "string"),
    _sub("name-empty", 'name = "corpus base"', 'name = ""', "name"),
    _sub("name-escape", 'name = "corpus base"', r'name = "corpus\u001b[2J"', "U+001B"),
    _sub("name-missing", 'name = "corpus base"\n', "", "name"),
    _sub(
        "description-inline-table",
        'description = "A small valid scenario that the corpus breaks one way at a time."',
        "description = {a = 1}",
        "description",
    ),
    _sub(
        "description-bell",
        'description = "A small valid',
        r'description = "A \u0007small valid',
        "description",
        "U+0007",
    ),
    _sub(
        "sources-int",
        'sources = ["written for the robustness tests"]',
        "sources = 5",
        "sources",
        "list",
    ),
    _sub(
        "sources-list-of-numbers",
        'sources = ["written for the robustness tests"]',
        "sources = [1, 2]",
        "source",
        "string",
    ),
    _sub(
        "sources-escape",
        'sources = ["written for the robustness tests"]',
        r'sources = ["see \u001b]0;title\u0007"]',
        "source",
        "U+001B",
    ),
    _sub("unknown-top-key", 'name = "corpus base"', 'name = "corpus base"\ncolour = 1', "colour"),
    _toml("issue-number", 'name = "x"\nissue = 5\n', "[[issue]]"),
    _toml("issue-string", 'name = "x"\nissue = "price"\n', "[[issue]]"),
    _toml(
        "issue-single-table", 'name = "x"\n[issue]\nname = "price"\nlevels = ["a"]\n', "[[issue]]"
    ),
    _toml("issue-list-of-numbers", 'name = "x"\nissue = [1, 2]\n', "[[issue]]", "table"),
    _toml("party-number", 'name = "x"\nparty = 5\n', "[[party]]"),
    _toml("constraint-number", 'name = "x"\nconstraint = 5\n', "[[constraint]]"),
    _toml("constraint-list-of-numbers", 'name = "x"\nconstraint = [5]\n', "constraint"),
    _sub(
        "agreement-number",
        '[agreement]\nquota = 2\nveto = ["Buyer"]\n',
        "agreement = 5\n",
        "[agreement]",
    ),
    _sub("quota-bool", "quota = 2", "quota = true", "quota", "True"),
    _sub("quota-float", "quota = 2", "quota = 1.5", "quota", "1.5"),
    _sub("quota-string", "quota = 2", 'quota = "2"', "quota"),
    _sub("quota-zero", "quota = 2", "quota = 0", "quota", "from 1 to 3"),
    _sub("quota-too-big", "quota = 2", "quota = 9", "quota", "from 1 to 3"),
    _sub("veto-unknown-string", 'veto = ["Buyer"]', 'veto = "Nobody"', "party 'Nobody'", "veto"),
    _sub("veto-number", 'veto = ["Buyer"]', "veto = 5", "veto", "list"),
    _sub("veto-list-of-numbers", 'veto = ["Buyer"]', "veto = [5]", "veto", "string"),
    _sub("veto-escape", 'veto = ["Buyer"]', r'veto = ["Buy\u001ber"]', "veto", "U+001B"),
    _sub("agreement-unknown-key", "quota = 2", "quota = 2\nmajority = true", "majority"),
    # issues
    _sub("issue-name-newline", 'name = "price"', r'name = "price\n"', r"price\n", "identifier"),
    _sub("issue-name-number", 'name = "price"', "name = 5", "identifier"),
    _sub("issue-name-upper", 'name = "price"', 'name = "Price"', "'Price'", "identifier"),
    _sub("issue-name-missing", 'name = "price"\n', "", "[[issue]]", "name"),
    _sub(
        "issue-unknown-key",
        'label = "Price"',
        'label = "Price"\nlvls = ["a"]',
        "issue 'price'",
        "lvls",
    ),
    _sub(
        "issue-range-and-levels",
        'unit = "%"',
        'unit = "%"\nlevels = ["a", "b"]',
        "issue 'share'",
        "both levels and a range",
    ),
    _sub(
        "levels-string",
        'levels = ["low", "mid", "high"]',
        'levels = "low mid high"',
        "issue 'price'",
        "levels",
    ),
    _sub("levels-number", 'levels = ["low", "mid", "high"]', "levels = 5", "issue 'price'"),
    _sub(
        "levels-empty",
        'levels = ["low", "mid", "high"]',
        "levels = []",
        "issue 'price'",
        "no levels",
    ),
    _sub(
        "levels-numbers",
        'levels = ["low", "mid", "high"]',
        "levels = [1, 2, 3]",
        "issue 'price'",
        "level names",
    ),
    _sub(
        "levels-duplicate",
        'levels = ["low", "mid", "high"]',
        'levels = ["low", "mid", "low"]',
        "issue 'price'",
        "level 'low'",
        "duplicate",
    ),
    _sub(
        "level-bell",
        'levels = ["low", "mid", "high"]',
        r'levels = ["lo\u0007w", "mid", "high"]',
        "issue 'price'",
        "U+0007",
    ),
    _sub(
        "level-bidi",
        'levels = ["low", "mid", "high"]',
        r'levels = ["low", "mid", "hi\u202egh"]',
        "issue 'price'",
        "U+202E",
    ),
    _sub(
        "level-newline",
        'levels = ["low", "mid", "high"]',
        r'levels = ["low", "mid\n", "high"]',
        "issue 'price'",
        "U+000A",
    ),
    _sub("label-number", 'label = "Price"', "label = 5", "issue 'price'", "label"),
    _sub("label-escape", 'label = "Price"', r'label = "Price\u001b[2J"', "issue 'price'", "U+001B"),
    _sub("label-table", 'label = "Price"', "label = {a = 1}", "issue 'price'", "label"),
    _sub("unit-number", 'unit = "%"', "unit = 5", "issue 'share'", "unit"),
    _sub("unit-escape", 'unit = "%"', r'unit = "%\u0000"', "issue 'share'", "U+0000"),
    _sub(
        "range-strings",
        "range = [0.0, 100.0]",
        'range = ["a", "b"]',
        "issue 'share'",
        "range bound",
    ),
    _sub("range-one", "range = [0.0, 100.0]", "range = [1.0]", "issue 'share'", "range"),
    _sub(
        "range-reversed",
        "range = [0.0, 100.0]",
        "range = [5.0, 1.0]",
        "issue 'share'",
        "low < high",
    ),
    _sub("range-nan", "range = [0.0, 100.0]", "range = [nan, 1.0]", "issue 'share'", "finite"),
    _sub("range-inf", "range = [0.0, 100.0]", "range = [0.0, inf]", "issue 'share'", "finite"),
    _sub("range-string", "range = [0.0, 100.0]", 'range = "0-100"', "issue 'share'", "range"),
    _sub("range-bools", "range = [0.0, 100.0]", "range = [false, true]", "issue 'share'", "number"),
    _sub("issue-duplicate", 'name = "share"', 'name = "price"', "issue 'price'", "duplicate"),
    _sub(
        "levels-too-many",
        'levels = ["low", "mid", "high"]',
        "levels = [" + ", ".join(f'"l{k}"' for k in range(100_001)) + "]",
        "issue 'price'",
        "100000",
    ),
    _toml("deep-arrays", 'name = "x"\nsources = ' + DEEP + "\n", "nested"),
    _toml(
        "deep-inline-tables",
        'name = "x"\nsources = ' + "{a=" * 30_000 + "1" + "}" * 30_000 + "\n",
        "nested",
    ),
    # parties
    _sub("party-name-number", 'name = "Buyer"', "name = 5", "party name"),
    _sub(
        "party-name-escape",
        'name = "Seller"',
        r'name = "Sel\u001b[2J\u0007ler"',
        "party name",
        "U+001B",
    ),
    _sub("party-name-newline", 'name = "Seller"', r'name = "Seller\n"', "party name", "U+000A"),
    _sub("party-name-empty", 'name = "Seller"', 'name = "  "', "party name"),
    _sub("party-name-missing", 'name = "Broker"\n', "", "[[party]]", "name"),
    _sub("party-duplicate", 'name = "Broker"', 'name = "Seller"', "party 'Seller'", "duplicate"),
    _sub(
        "party-unknown-key",
        'name = "Broker"',
        'name = "Broker"\nwieghts = {}',
        "party 'Broker'",
        "wieghts",
    ),
    _sub("weights-string", BUYER_W, 'weights = "abc"', "party 'Buyer'", "weights"),
    _sub("weights-list", BUYER_W, "weights = [1, 2]", "party 'Buyer'", "weights"),
    _sub("weights-number", BUYER_W, "weights = 5", "party 'Buyer'", "weights"),
    _sub(
        "weight-string",
        BUYER_W,
        'weights = { price = "abc", share = 1 }',
        "party 'Buyer'",
        "issue 'price'",
        "weight",
    ),
    _sub(
        "weight-bool",
        BUYER_W,
        "weights = { price = true, share = 1 }",
        "party 'Buyer'",
        "issue 'price'",
        "True",
    ),
    _sub(
        "weight-negative",
        BUYER_W,
        "weights = { price = -1, share = 1 }",
        "party 'Buyer'",
        "issue 'price'",
        "negative",
    ),
    _sub(
        "weight-nan",
        BUYER_W,
        "weights = { price = nan, share = 1 }",
        "party 'Buyer'",
        "issue 'price'",
        "finite",
    ),
    _sub(
        "weight-inf",
        BUYER_W,
        "weights = { price = inf, share = 1 }",
        "party 'Buyer'",
        "issue 'price'",
        "finite",
    ),
    _sub(
        "weight-list",
        BUYER_W,
        "weights = { price = [1], share = 1 }",
        "party 'Buyer'",
        "issue 'price'",
        "number",
    ),
    _sub(
        "weight-unknown-issue",
        BUYER_W,
        "weights = { nope = 1, share = 1 }",
        "party 'Buyer'",
        "issue 'nope'",
        "unknown issue",
    ),
    _sub("weights-zero", BUYER_W, "weights = { price = 0, share = 0 }", "party 'Buyer'", "zero"),
    _sub(
        "values-number",
        "[party.values]\n" + BUYER_V + "\n" + BUYER_S,
        "values = 5",
        "party 'Buyer'",
        "values",
    ),
    _sub(
        "values-list",
        "[party.values]\n" + BUYER_V + "\n" + BUYER_S,
        "values = [1, 2]",
        "party 'Buyer'",
        "values",
    ),
    _sub(
        "values-discrete-list",
        BUYER_V,
        "price = [1.0, 0.5, 0.0]",
        "party 'Buyer'",
        "issue 'price'",
        "values",
    ),
    _sub("values-discrete-string", BUYER_V, 'price = "abc"', "party 'Buyer'", "issue 'price'"),
    _sub(
        "value-above-one",
        BUYER_V,
        "price = { low = 1.5, mid = 0.5, high = 0.0 }",
        "party 'Buyer'",
        "issue 'price'",
        "level 'low'",
        "[0, 1]",
    ),
    _sub(
        "value-string",
        BUYER_V,
        'price = { low = "x", mid = 0.5, high = 0.0 }',
        "party 'Buyer'",
        "issue 'price'",
        "level 'low'",
    ),
    _sub(
        "value-nan",
        BUYER_V,
        "price = { low = nan, mid = 0.5, high = 0.0 }",
        "party 'Buyer'",
        "issue 'price'",
        "level 'low'",
        "finite",
    ),
    _sub(
        "value-bool",
        BUYER_V,
        "price = { low = true, mid = 0.5, high = 0.0 }",
        "party 'Buyer'",
        "issue 'price'",
        "level 'low'",
    ),
    _sub(
        "value-table",
        BUYER_V,
        "price = { low = {a = 1}, mid = 0.5, high = 0.0 }",
        "party 'Buyer'",
        "issue 'price'",
        "level 'low'",
    ),
    _sub(
        "value-unknown-level",
        BUYER_V,
        "price = { low = 1.0, mid = 0.5, top = 0.0 }",
        "party 'Buyer'",
        "issue 'price'",
        "level 'top'",
    ),
    _sub(
        "value-missing-level",
        BUYER_V,
        "price = { low = 1.0, mid = 0.5 }",
        "party 'Buyer'",
        "issue 'price'",
        "high",
    ),
    _sub(
        "values-unknown-issue", BUYER_V, "colour = { red = 1.0 }", "party 'Buyer'", "issue 'colour'"
    ),
    _sub(
        "points-continuous-table",
        BUYER_S,
        "share = { a = 1 }",
        "party 'Buyer'",
        "issue 'share'",
        "points",
    ),
    _sub("points-not-pairs", BUYER_S, "share = [1, 2]", "party 'Buyer'", "issue 'share'", "[x, v]"),
    _sub(
        "points-string",
        BUYER_S,
        'share = [[0.0, "a"], [100.0, 1.0]]',
        "party 'Buyer'",
        "issue 'share'",
        "number",
    ),
    _sub("points-one", BUYER_S, "share = [[0.0, 0.0]]", "party 'Buyer'", "issue 'share'", "two"),
    _sub(
        "points-short-span",
        BUYER_S,
        "share = [[0.0, 0.0], [50.0, 1.0]]",
        "party 'Buyer'",
        "issue 'share'",
        "span",
    ),
    _sub(
        "points-nan",
        BUYER_S,
        "share = [[0.0, 0.0], [100.0, nan]]",
        "party 'Buyer'",
        "issue 'share'",
        "finite",
    ),
    _sub(
        "points-above-one",
        BUYER_S,
        "share = [[0.0, 0.0], [100.0, 2.0]]",
        "party 'Buyer'",
        "issue 'share'",
        "[0, 1]",
    ),
    _sub(
        "points-unsorted",
        BUYER_S,
        "share = [[0.0, 0.0], [100.0, 1.0], [50.0, 1.0]]",
        "party 'Buyer'",
        "issue 'share'",
        "increasing",
    ),
    _sub("points-deep", BUYER_S, "share = " + DEEP, "nested"),
    _sub("score-list", BROKER_P, "points = [1, 2]", "party 'Broker'", "points"),
    _sub("score-number", BROKER_P, "points = 5", "party 'Broker'", "points"),
    _sub(
        "score-issue-list",
        BROKER_P,
        "points = { price = [10, 20, 0] }",
        "party 'Broker'",
        "issue 'price'",
        "points",
    ),
    _sub(
        "score-string",
        BROKER_P,
        'points = { price = { low = "a", mid = 20, high = 0 } }',
        "party 'Broker'",
        "issue 'price'",
        "level 'low'",
    ),
    _sub(
        "score-missing-level",
        BROKER_P,
        "points = { price = { low = 10, mid = 20 } }",
        "party 'Broker'",
        "issue 'price'",
        "high",
    ),
    _sub(
        "score-inf",
        BROKER_P,
        "points = { price = { low = inf, mid = 20, high = 0 } }",
        "party 'Broker'",
        "issue 'price'",
        "level 'low'",
        "finite",
    ),
    _sub(
        "score-and-weights",
        BROKER_P,
        BROKER_P + "\nweights = { price = 1 }",
        "party 'Broker'",
        "either points or weights",
    ),
    _sub(
        "score-continuous",
        BROKER_P,
        "points = { share = { a = 1 } }",
        "party 'Broker'",
        "issue 'share'",
        "discrete",
    ),
    _sub(
        "reservation-string",
        "reservation = 0.1",
        'reservation = "high"',
        "party 'Buyer'",
        "reservation",
    ),
    _sub(
        "reservation-bool",
        "reservation = 0.1",
        "reservation = true",
        "party 'Buyer'",
        "reservation",
    ),
    _sub("reservation-nan", "reservation = 0.1", "reservation = nan", "party 'Buyer'", "finite"),
    _sub(
        "reservation-unreachable",
        "reservation = 0.1",
        "reservation = 5.0",
        "party 'Buyer'",
        "reservation",
    ),
    _sub("power-zero", "power = 1.0", "power = 0.0", "party 'Buyer'", "power"),
    _sub("power-negative", "power = 1.0", "power = -1", "party 'Buyer'", "power"),
    _sub("power-inf", "power = 1.0", "power = inf", "party 'Buyer'", "power"),
    _sub("power-string", "power = 1.0", 'power = "strong"', "party 'Buyer'", "power"),
    _sub("discount-zero", "discount = 0.9", "discount = 0.0", "party 'Buyer'", "discount"),
    _sub("discount-above-one", "discount = 0.9", "discount = 1.5", "party 'Buyer'", "discount"),
    _sub("discount-list", "discount = 0.9", "discount = [0.9]", "party 'Buyer'", "discount"),
    _add("red-line-number", "red_line = 5\n", "party 'Broker'", "[[party.red_line]]"),
    _add("red-line-list-of-numbers", "red_line = [5]\n", "party 'Broker'", "table"),
    _sub(
        "red-line-string-level",
        BUYER_RL,
        'price = "high"',
        "party 'Buyer'",
        "issue 'price'",
        "red line",
    ),
    _sub(
        "red-line-empty-levels",
        BUYER_RL,
        "price = []",
        "party 'Buyer'",
        "issue 'price'",
        "red line",
    ),
    _sub(
        "red-line-unknown-level",
        BUYER_RL,
        'price = ["top"]',
        "party 'Buyer'",
        "issue 'price'",
        "level 'top'",
    ),
    _sub("red-line-unknown-issue", BUYER_RL, 'colour = ["red"]', "party 'Buyer'", "issue 'colour'"),
    _sub(
        "red-line-bound-string",
        BUYER_RL,
        'share = { min = "a", max = 100.0 }',
        "party 'Buyer'",
        "issue 'share'",
        "min",
    ),
    _sub(
        "red-line-bound-missing",
        BUYER_RL,
        "share = { min = 90.0 }",
        "party 'Buyer'",
        "issue 'share'",
        "{min, max}",
    ),
    _sub(
        "red-line-bounds-reversed",
        BUYER_RL,
        "share = { min = 60.0, max = 40.0 }",
        "party 'Buyer'",
        "issue 'share'",
        "min <= max",
    ),
    _sub(
        "red-line-bound-nan",
        BUYER_RL,
        "share = { min = nan, max = 100.0 }",
        "party 'Buyer'",
        "issue 'share'",
        "finite",
    ),
    _sub(
        "red-line-bound-bool",
        BUYER_RL,
        "share = { min = true, max = 100.0 }",
        "party 'Buyer'",
        "issue 'share'",
        "number",
    ),
    _sub(
        "red-line-list-on-continuous",
        BUYER_RL,
        'share = ["a"]',
        "party 'Buyer'",
        "issue 'share'",
        "{min, max}",
    ),
    _sub(
        "red-line-extra-bound-key",
        BUYER_RL,
        "share = { min = 1.0, max = 2.0, step = 1 }",
        "party 'Buyer'",
        "issue 'share'",
        "{min, max}",
    ),
    _sub("bonus-no-value", "value = 0.05", "", "party 'Buyer'", "value"),
    _sub("bonus-value-string", "value = 0.05", 'value = "x"', "party 'Buyer'", "bonus value"),
    _sub(
        "bonus-value-nan", "value = 0.05", "value = nan", "party 'Buyer'", "bonus value", "finite"
    ),
    _add("bonus-number", "bonus = 5\n", "party 'Broker'", "[[party.bonus]]"),
    _sub(
        "constraint-level-number",
        'price = ["high"]\nshare = { min = 95.0',
        "price = 5\nshare = { min = 95.0",
        "issue 'price'",
        "constraint",
    ),
    _sub(
        "constraint-unknown-level",
        'price = ["high"]\nshare = { min = 95.0',
        'price = ["top"]\nshare = { min = 95.0',
        "issue 'price'",
        "level 'top'",
    ),
    # bytes and syntax
    _toml("syntax-error", TOML_BASE + "this is = = not toml\n", "TOML syntax error"),
    _toml("not-utf8", TOML_BASE.encode("utf-8").replace(b"Broker", b"Br\xffker"), "UTF-8"),
    _toml("utf16", TOML_BASE.encode("utf-16"), "UTF-8"),
    _toml("empty", "", "name"),
    _toml("nul-bytes", b"\x00" * 64, "TOML syntax error"),
]


# -- GENIUS XML ------------------------------------------------------------------------------
G_DOMAIN = """<?xml version="1.0" encoding="UTF-8"?>
<negotiation_template>
  <utility_space number_of_issues="2">
    <objective index="0" etype="objective" type="objective" name="Corpus">
      <issue index="1" name="Delivery" type="discrete" etype="discrete" vtype="discrete">
        <item index="1" value="express"/>
        <item index="2" value="standard"/>
      </issue>
      <issue index="2" name="Quantity" type="integer" etype="integer" vtype="integer" lowerbound="1" upperbound="5"/>
    </objective>
  </utility_space>
</negotiation_template>
"""

G_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<utility_space>
  <objective index="0" etype="objective" type="objective" name="Corpus">
    <issue index="1" name="Delivery" type="discrete" etype="discrete" vtype="discrete">
      <item index="1" value="express" evaluation="{e1}"/>
      <item index="2" value="standard" evaluation="{e2}"/>
    </issue>
    <issue index="2" name="Quantity" type="integer" etype="integer" vtype="integer" lowerbound="1" upperbound="5">
      <evaluator ftype="linear" offset="{off}" slope="{slope}"/>
    </issue>
    <weight index="1" value="0.4"/>
    <weight index="2" value="0.6"/>
  </objective>
  <discount_factor value="0.9"/>
  <reservation value="0.2"/>
</utility_space>
"""

G_FILES = {
    "corpus_domain.xml": G_DOMAIN,
    "corpus_buyer.xml": G_PROFILE.format(e1=10, e2=4, off=1.0, slope=-0.25),
    "corpus_seller.xml": G_PROFILE.format(e1=2, e2=8, off=0.0, slope=0.25),
}
G_KEYS = {"domain": "corpus_domain.xml", "buyer": "corpus_buyer.xml", "seller": "corpus_seller.xml"}


def _genius(id: str, key: str, old: str | None, new: str | bytes, *expect: str) -> Case:
    """The GENIUS base with ``old`` replaced by ``new`` in one file (``old=None``: the whole
    file is ``new``)."""
    name = G_KEYS[key]
    files: dict[str, str | bytes] = dict(G_FILES)
    if old is None:
        files[name] = new
    else:
        if files[name].count(old) != 1:  # type: ignore[union-attr]
            raise AssertionError(f"corpus case {id}: {old!r} is not unique in {name}")
        files[name] = files[name].replace(old, new)  # type: ignore[union-attr, arg-type]
    return Case(f"genius-{id}", "genius", files, "corpus_domain.xml", name, expect)


XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>'
G_ITEM = '<item index="2" value="standard"/>'
G_INT = 'lowerbound="1" upperbound="5"/>'
P_W1 = '<weight index="1" value="0.4"/>'
P_EXPRESS = 'value="express" evaluation="10"'
DEEP_UFUN = (
    '<utility_space><utility maxutility="1">'
    + '<ufun type="sum" weight="1" aggregation="sum">' * 20_000
    + "</ufun>" * 20_000
    + "</utility></utility_space>"
)

GENIUS_CASES = [
    _genius(
        "domain-unknown-encoding",
        "domain",
        XML_DECL,
        '<?xml version="1.0" encoding="no-such-codec"?>',
        "encoding",
    ),
    _genius(
        "domain-latin1-declared-utf8-bytes",
        "domain",
        None,
        G_DOMAIN.replace("express", "expr\u00e9ss").encode("latin-1"),
        "XML",
    ),
    _genius("domain-malformed", "domain", "</objective>", "</objectiv>", "malformed XML"),
    _genius(
        "domain-dtd",
        "domain",
        XML_DECL,
        XML_DECL + "<!DOCTYPE x [<!ELEMENT x ANY>]>",
        "document type",
    ),
    _genius(
        "domain-entity-bomb",
        "domain",
        XML_DECL,
        XML_DECL + '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
        "entit",
    ),
    _genius(
        "domain-external-entity",
        "domain",
        XML_DECL,
        XML_DECL + '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
        "external",
    ),
    _genius("domain-not-xml", "domain", None, "hello, world\n", "not an XML file"),
    _genius("domain-empty", "domain", None, "", "not an XML file"),
    _genius(
        "domain-issue-name-tab",
        "domain",
        'name="Delivery" type',
        'name="Deli&#9;very" type',
        "issue #1",
        "U+0009",
    ),
    _genius(
        "domain-issue-name-bidi",
        "domain",
        'name="Delivery" type',
        'name="Deli\u202every" type',
        "issue #1",
        "U+202E",
    ),
    _genius(
        "domain-item-nel",
        "domain",
        G_ITEM,
        '<item index="2" value="stan\u0085dard"/>',
        "Delivery",
        "U+0085",
    ),
    _genius(
        "domain-item-newline",
        "domain",
        G_ITEM,
        '<item index="2" value="stan&#10;dard"/>',
        "Delivery",
        "U+000A",
    ),
    _genius(
        "domain-item-duplicate",
        "domain",
        G_ITEM,
        '<item index="2" value="express"/>',
        "Delivery",
        "express",
        "twice",
    ),
    _genius("domain-item-no-value", "domain", G_ITEM, '<item index="2"/>', "Delivery", "no value"),
    _genius(
        "domain-issue-no-name",
        "domain",
        'name="Delivery" type',
        'name="" type',
        "issue #1",
        "no name",
    ),
    _genius(
        "domain-issue-index-text",
        "domain",
        '<issue index="2" name="Quantity"',
        '<issue index="two" name="Quantity"',
        "Quantity",
        "whole number",
    ),
    _genius(
        "domain-integer-reversed",
        "domain",
        G_INT,
        'lowerbound="5" upperbound="1"/>',
        "Quantity",
        "upperbound",
    ),
    _genius(
        "domain-integer-text",
        "domain",
        G_INT,
        'lowerbound="one" upperbound="5"/>',
        "Quantity",
        "lowerbound",
    ),
    _genius(
        "domain-integer-too-many",
        "domain",
        G_INT,
        'lowerbound="1" upperbound="1000000"/>',
        "Quantity",
        "100000",
    ),
    _genius(
        "domain-integer-huge",
        "domain",
        G_INT,
        'lowerbound="1" upperbound="1' + "0" * 50 + '"/>',
        "Quantity",
        "100000",
    ),
    _genius(
        "domain-issue-type",
        "domain",
        'type="integer" etype="integer" vtype="integer"',
        'type="objective" etype="objective" vtype="objective"',
        "Quantity",
        "not supported",
    ),
    _genius(
        "domain-agent-name-escape",
        "domain",
        "</negotiation_template>",
        '<agent name="Buy&#9;er" utility_space="corpus_buyer.xml"/>'
        '<agent name="Seller" utility_space="corpus_seller.xml"/></negotiation_template>',
        "party name",
        "U+0009",
    ),
    _genius(
        "domain-no-issues",
        "domain",
        None,
        XML_DECL + '<negotiation_template><utility_space><objective index="0" name="d"/>'
        "</utility_space></negotiation_template>",
        "no issues",
    ),
    _genius(
        "profile-weight-text", "buyer", P_W1, '<weight index="1" value="heavy"/>', "weight", "heavy"
    ),
    _genius(
        "profile-weight-nan", "buyer", P_W1, '<weight index="1" value="NaN"/>', "weight", "finite"
    ),
    _genius(
        "profile-weight-inf", "buyer", P_W1, '<weight index="1" value="inf"/>', "weight", "finite"
    ),
    _genius("profile-weight-unknown-issue", "buyer", P_W1, '<weight index="7" value="0.4"/>', "#7"),
    _genius(
        "profile-evaluation-negative",
        "buyer",
        P_EXPRESS,
        'value="express" evaluation="-3"',
        "Delivery",
        "express",
        "negative",
    ),
    _genius(
        "profile-evaluation-text",
        "buyer",
        P_EXPRESS,
        'value="express" evaluation="lots"',
        "Delivery",
        "express",
        "not a number",
    ),
    _genius(
        "profile-evaluation-unknown-value",
        "buyer",
        P_EXPRESS,
        'value="overnight" evaluation="10"',
        "Delivery",
        "overnight",
    ),
    _genius(
        "profile-evaluation-missing",
        "buyer",
        P_EXPRESS,
        'value="express" evaluation=""',
        "Delivery",
        "express",
    ),
    _genius(
        "profile-issue-unknown",
        "buyer",
        '<issue index="2" name="Quantity"',
        '<issue index="9" name="Quantity"',
        "#9",
        "Quantity",
    ),
    _genius(
        "profile-issue-renamed",
        "buyer",
        '<issue index="2" name="Quantity"',
        '<issue index="2" name="Amount"',
        "Amount",
        "Quantity",
    ),
    _genius(
        "profile-reservation-text",
        "buyer",
        '<reservation value="0.2"/>',
        '<reservation value="low"/>',
        "<reservation>",
        "low",
    ),
    _genius(
        "profile-reservation-inf",
        "buyer",
        '<reservation value="0.2"/>',
        '<reservation value="-inf"/>',
        "<reservation>",
        "finite",
    ),
    _genius(
        "profile-evaluator-ftype",
        "buyer",
        '<evaluator ftype="linear" offset="1.0" slope="-0.25"/>',
        '<evaluator ftype="cubic"/>',
        "Quantity",
        "cubic",
    ),
    _genius("profile-slope-nan", "buyer", 'slope="-0.25"', 'slope="nan"', "Quantity", "finite"),
    _genius("profile-malformed", "buyer", "</utility_space>", "</utility_spac>", "malformed XML"),
    _genius(
        "profile-unknown-encoding",
        "seller",
        XML_DECL,
        '<?xml version="1.0" encoding="x-unknown-42"?>',
        "encoding",
    ),
    _genius("profile-deep-ufun", "seller", None, XML_DECL + DEEP_UFUN, "nested"),
    _genius("profile-neither", "seller", None, XML_DECL + "<utility_space/>", "neither"),
]


# -- GeniusWeb JSON ------------------------------------------------------------------------------
GW_DOMAIN = (
    '{"name": "corpusweb", "issuesValues": {'
    '"Colour": {"values": ["red", "blue", "green"]}, '
    '"Amount": {"range": {"low": 0, "high": 10, "step": 5}}}}'
)


def _gw_profile(name: str, red: str, amount: str, weight: str = "0.5") -> str:
    return (
        '{"LinearAdditiveUtilitySpace": {"name": "' + name + '", '
        '"issueWeights": {"Colour": ' + weight + ', "Amount": 0.5}, '
        '"issueUtilities": {'
        '"Colour": {"DiscreteValueSetUtilities": {"valueUtilities": '
        '{"red": ' + red + ', "blue": 0.5, "green": 0}}}, '
        '"Amount": {"NumberValueSetUtilities": {"lowValue": 0, "lowUtility": ' + amount + ", "
        '"highValue": 10, "highUtility": 1}}}, '
        '"reservationBid": {"issuevalues": {"Colour": "green", "Amount": 0}}}}'
    )


GW_FILES = {
    "corpusweb_domain.json": GW_DOMAIN,
    "alice.json": _gw_profile("Alice", "1", "0"),
    "bob.json": _gw_profile("Bob", "0", "1").replace('"highUtility": 1', '"highUtility": 0'),
}
GW_KEYS = {"domain": "corpusweb_domain.json", "alice": "alice.json", "bob": "bob.json"}


def _gw(id: str, key: str, old: str | None, new: str | bytes, *expect: str) -> Case:
    name = GW_KEYS[key]
    files: dict[str, str | bytes] = dict(GW_FILES)
    if old is None:
        files[name] = new
    else:
        if files[name].count(old) != 1:  # type: ignore[union-attr]
            raise AssertionError(f"corpus case {id}: {old!r} is not unique in {name}")
        files[name] = files[name].replace(old, new)  # type: ignore[union-attr, arg-type]
    return Case(f"geniusweb-{id}", "geniusweb", files, ".", name, expect)


A_COLOUR_W = '"Colour": 0.5'
A_RED = '{"red": 1,'
GW_STEP = '"step": 5'

GENIUSWEB_CASES = [
    _gw("malformed", "alice", '"issueWeights"', '"issueWeights" "x"', "malformed JSON"),
    _gw("deep-nesting", "alice", None, "[" * 100_000 + "]" * 100_000, "nested"),
    _gw(
        "step-tiny-exponent",
        "domain",
        GW_STEP,
        '"step": 1E-999999999',
        "Amount",
        "step",
        "outside the range",
    ),
    _gw(
        "high-huge-exponent",
        "domain",
        '"high": 10',
        '"high": 1E+999999999',
        "Amount",
        "high",
        "outside the range",
    ),
    _gw("step-zero", "domain", GW_STEP, '"step": 0', "Amount", "step > 0"),
    _gw(
        "range-reversed",
        "domain",
        '"low": 0, "high": 10',
        '"low": 10, "high": 0',
        "Amount",
        "low <= high",
    ),
    _gw("range-too-many", "domain", GW_STEP, '"step": 0.000001', "Amount", "100000"),
    _gw("range-string-step", "domain", GW_STEP, '"step": "five"', "Amount", "step", "not a number"),
    _gw("range-list", "domain", '{"low": 0, "high": 10, "step": 5}', "[0, 10]", "Amount", "range"),
    _gw("weight-nan", "alice", A_COLOUR_W, '"Colour": NaN', "Colour", "weight", "finite"),
    _gw("weight-infinity", "alice", A_COLOUR_W, '"Colour": Infinity', "Colour", "finite"),
    _gw(
        "weight-huge-exponent",
        "alice",
        A_COLOUR_W,
        '"Colour": 1e999999999',
        "Colour",
        "outside the range",
    ),
    _gw(
        "weight-string", "alice", A_COLOUR_W, '"Colour": "0.5"', "Colour", "weight", "not a number"
    ),
    _gw("weight-bool", "alice", A_COLOUR_W, '"Colour": true', "Colour", "weight", "not a number"),
    _gw("weight-negative", "alice", A_COLOUR_W, '"Colour": -0.5', "Colour", "negative"),
    _gw("weight-object", "alice", A_COLOUR_W, '"Colour": {"w": 1}', "Colour", "weight"),
    _gw("weight-unknown-issue", "alice", A_COLOUR_W, '"Color": 0.5', "Color", "unknown issue"),
    _gw("utility-above-one", "alice", A_RED, '{"red": 1.5,', "Colour", "red", "outside [0, 1]"),
    _gw("utility-string", "alice", A_RED, '{"red": "high",', "Colour", "red", "not a number"),
    _gw("utility-unknown-value", "alice", A_RED, '{"purple": 1,', "Colour", "purple"),
    _gw(
        "utilities-not-object",
        "alice",
        '{"valueUtilities": {"red": 1, "blue": 0.5, "green": 0}}',
        "[1, 0.5, 0]",
        "Colour",
        "valueUtilities",
    ),
    _gw(
        "number-utilities-list",
        "alice",
        '{"lowValue": 0, "lowUtility": 0, "highValue": 10, "highUtility": 1}',
        "[0, 0, 10, 1]",
        "Amount",
        "object",
    ),
    _gw(
        "number-utility-nan",
        "alice",
        '"lowUtility": 0',
        '"lowUtility": NaN',
        "Amount",
        "lowUtility",
        "finite",
    ),
    _gw(
        "issue-name-escape",
        "domain",
        '"Colour": {"values"',
        '"Col\\u001bour": {"values"',
        "issue name",
        "U+001B",
    ),
    _gw("value-bell", "domain", '"blue"', '"bl\\u0007ue"', "Colour", "U+0007"),
    _gw("value-object", "domain", '"blue"', '{"b": 1}', "Colour", "string"),
    _gw("value-bool", "domain", '"blue"', "true", "Colour", "string"),
    _gw("values-duplicate", "domain", '"blue"', '"red"', "Colour", "twice"),
    _gw(
        "values-string",
        "domain",
        '["red", "blue", "green"]',
        '"red blue green"',
        "Colour",
        "non-empty list",
    ),
    _gw("domain-empty", "domain", None, '{"name": "x", "issuesValues": {}}', "issuesValues"),
    _gw(
        "profile-name-escape",
        "alice",
        '"name": "Alice"',
        '"name": "Al\\u001b[2Jice"',
        "profile name",
        "U+001B",
    ),
    _gw(
        "profile-name-object",
        "alice",
        '"name": "Alice"',
        '"name": {"first": "Alice"}',
        "profile name",
        "string",
    ),
    _gw(
        "profile-type",
        "alice",
        '"LinearAdditiveUtilitySpace"',
        '"SumOfGroupsUtilitySpace"',
        "SumOfGroupsUtilitySpace",
    ),
    _gw("profile-top-list", "alice", None, "[1, 2, 3]", "profile"),
    _gw(
        "profile-body-string",
        "alice",
        None,
        '{"LinearAdditiveUtilitySpace": "yes"}',
        "must be an object",
    ),
    _gw(
        "reservation-unknown-value",
        "alice",
        '"Colour": "green"',
        '"Colour": "mauve"',
        "reservationBid",
        "mauve",
    ),
    _gw(
        "reservation-list",
        "alice",
        '{"issuevalues": {"Colour": "green", "Amount": 0}}',
        '{"issuevalues": ["green", 0]}',
        "reservationBid",
    ),
    _gw("not-utf8", "alice", None, b'{"LinearAdditiveUtilitySpace": {"name": "\xff"}}', "UTF-8"),
    _gw("empty-file", "bob", None, "", "malformed JSON"),
]

CASES: list[Case] = TOML_CASES + GENIUS_CASES + GENIUSWEB_CASES

#: The valid bases, one per format (each must load and analyse cleanly).
BASES: list[Case] = [
    Case("toml-base", "toml", {TOML_FILE: TOML_BASE}, TOML_FILE, TOML_FILE),
    Case("genius-base", "genius", dict(G_FILES), "corpus_domain.xml", "corpus_domain.xml"),
    Case("geniusweb-base", "geniusweb", dict(GW_FILES), ".", "alice.json"),
]
