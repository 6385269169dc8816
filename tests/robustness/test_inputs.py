"""Robustness of every input path: a corpus of malformed scenario files, loaded from Python and
through the command line.

For each case of :mod:`cases_inputs` (TOML, GENIUS XML, GeniusWeb JSON):

* from Python, ``ng.load_scenario`` raises a :class:`NegotiationError` subclass (never a bare
  ``KeyError``/``TypeError``/``RecursionError``/...) whose message names the file at fault and
  the party, issue, level or value the case breaks;
* through the CLI (``negotiation analyze FILE`` in a subprocess with a time and a memory bound),
  the exit code is 2, stderr is one line with the same names, and there is no traceback. These
  run a Python process per case, so they are marked ``slow`` (they still run by default and in
  CI; ``-m "not slow"`` skips them while developing).

Plus regression tests for the defects of issue 12 (items 5, 8, 9, 11) that need more than "it is
refused": what *is* accepted (a byte-order mark, ``veto = "Buyer"``), and that validation of an
issue with many levels is linear.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import negotiation as ng
from negotiation.errors import NegotiationError, ScenarioError
from negotiation.model.issues import Issue
from negotiation.model.party import Party
from negotiation.model.scenario import AgreementRule, Scenario

sys.path.insert(0, str(Path(__file__).parent))
from cases_inputs import BASES, CASES, TOML_BASE, Case, write_case  # noqa: E402

#: Wall-clock bound of one CLI run (generous: the test machine is shared and loaded).
CLI_TIMEOUT_S = 120
#: Address-space bound of one CLI run (numpy, scipy and matplotlib need a few hundred MB).
CLI_MEMORY_BYTES = 2 * 1024**3

IDS = [c.id for c in CASES]


def test_corpus_is_large_and_covers_every_format():
    formats = {c.format for c in CASES}
    assert formats == {"toml", "genius", "geniusweb"}
    assert len(CASES) >= 120
    assert len(set(IDS)) == len(IDS)
    assert all(sum(c.format == f for c in CASES) >= 30 for f in formats)


@pytest.mark.parametrize("base", BASES, ids=[b.id for b in BASES])
def test_bases_load(base: Case, tmp_path: Path):
    """Each case breaks a valid base: the base itself loads."""
    scenario = ng.load_scenario(write_case(base, tmp_path))
    assert len(scenario.parties) >= 2


# -- in process --------------------------------------------------------------------------------
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_load_refuses_with_named_error(case: Case, tmp_path: Path):
    path = write_case(case, tmp_path / "case")
    with pytest.raises(NegotiationError) as info:
        ng.load_scenario(path)
    message = str(info.value)
    assert type(info.value) is not NegotiationError  # a specific subclass
    assert "\n" not in message.strip(), message
    assert case.fault in message, message
    for word in case.expect:
        assert word in message, f"{word!r} not in {message!r}"


# -- through the command line ---------------------------------------------------------------------
def _limit_memory() -> None:  # runs in the child, before exec
    resource.setrlimit(resource.RLIMIT_AS, (CLI_MEMORY_BYTES, CLI_MEMORY_BYTES))


def _analyze(path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "MPLBACKEND": "Agg"}
    return subprocess.run(
        [sys.executable, "-m", "negotiation", "analyze", str(path), "--quiet"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=CLI_TIMEOUT_S,
        preexec_fn=_limit_memory,
        env=env,
        cwd=path.parent if path.is_file() else path,
    )


@pytest.fixture(scope="module")
def cli_results(tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    """Run ``negotiation analyze`` on every case (and base), a few at a time."""
    root = tmp_path_factory.mktemp("cli_corpus")
    paths = {c.id: write_case(c, root / c.id) for c in [*CASES, *BASES]}
    workers = max(1, min(4, os.cpu_count() or 1))
    with ThreadPoolExecutor(workers) as pool:
        done = dict(zip(paths, pool.map(_analyze, paths.values()), strict=True))
    return done


@pytest.mark.slow
@pytest.mark.parametrize("base", BASES, ids=[b.id for b in BASES])
def test_cli_analyzes_bases(base: Case, cli_results):
    result = cli_results[base.id]
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_cli_refuses_with_one_line(case: Case, cli_results):
    result = cli_results[case.id]
    err = result.stderr
    assert "Traceback" not in err, err[-3000:]
    assert result.returncode == 2, (result.returncode, err[-2000:])
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("negotiation analyze: error: "), lines[0]
    assert case.fault in lines[0], lines[0]
    for word in case.expect:
        assert word in lines[0], f"{word!r} not in {lines[0]!r}"
    # the message is safe to print: no raw control characters reach the terminal
    assert all(ch.isprintable() for ch in lines[0]), repr(lines[0])


# -- regressions that need more than "it is refused" ------------------------------------------
def test_byte_order_mark_is_accepted(tmp_path: Path):
    """Windows Notepad writes a UTF-8 BOM: the file loads exactly like the one without."""
    plain, bom = tmp_path / "plain.toml", tmp_path / "bom.toml"
    plain.write_text(TOML_BASE, encoding="utf-8")
    bom.write_bytes(b"\xef\xbb\xbf" + TOML_BASE.encode("utf-8"))
    assert ng.load_scenario(bom) == ng.load_scenario(plain)
    assert ng.loads_scenario("\ufeff" + TOML_BASE) == ng.loads_scenario(TOML_BASE)


def test_veto_string_is_one_party_name():
    """``veto = "Buyer"`` names one party (like ``sources = "..."``), never B, u, y, e, r."""
    text = TOML_BASE.replace('veto = ["Buyer"]', 'veto = "Buyer"')
    assert ng.loads_scenario(text).agreement.veto == ("Buyer",)
    assert AgreementRule(veto="Buyer").veto == ("Buyer",)


@pytest.mark.parametrize("quota", [True, False])
def test_quota_bool_is_not_a_number(quota: bool):
    """``quota = true`` was read as quota 1 (bool is an int subclass)."""
    text = TOML_BASE.replace("quota = 2", f"quota = {str(quota).lower()}")
    with pytest.raises(ScenarioError, match="quota"):
        ng.loads_scenario(text)
    with pytest.raises(ScenarioError, match="quota"):
        Scenario(
            "s",
            (Issue("x", ("a", "b")),),
            (Party("A", {"x": 1}), Party("B", {"x": 1})),
            agreement=AgreementRule(quota=quota),
        )


def test_range_and_levels_is_refused_not_dropped():
    text = TOML_BASE.replace('unit = "%"', 'unit = "%"\nlevels = ["a", "b"]')
    with pytest.raises(ScenarioError, match="both levels and a range") as info:
        ng.loads_scenario(text, file="s.toml")
    assert info.value.issue == "share" and info.value.file == "s.toml"


@pytest.mark.parametrize("name", ["price\n", "price\r\n", "pri\nce", "price "])
def test_identifier_must_match_whole_name(name: str):
    """``re.match`` with ``$`` let ``"price\\n"`` through."""
    with pytest.raises(ScenarioError, match="identifier"):
        Issue(name, ("a", "b"))


@pytest.mark.parametrize(
    "name", ["Sel\x1b[2J\x07ler", "A\u202eB", "A\u200bB", "A\x85B", "A\u2028B", "A\x00"]
)
def test_party_names_with_control_characters_are_refused(name: str):
    """Terminal escapes, bidi overrides, zero-width and line separators in a party name."""
    with pytest.raises(ScenarioError, match="non-printable character U\\+"):
        Scenario("s", (Issue("x", ("a", "b")),), (Party(name, {"x": 1}), Party("B", {"x": 1})))


@pytest.mark.parametrize("name", ["Société Générale", "Україна", "A\u00a0B", "日本", "Ü-Boot 2"])
def test_printable_unicode_names_are_accepted(name: str):
    s = Scenario(
        "s", (Issue("x", ("a", name), label=name),), (Party(name, {"x": 1}), Party("B", {"x": 1}))
    )
    assert s.party_names[0] == name and s.issues[0].levels[1] == name


def test_description_may_span_lines_but_not_escape():
    ok = ng.loads_scenario(TOML_BASE.replace('description = "A small', 'description = "A\\nsmall'))
    assert "\n" in ok.description
    with pytest.raises(ScenarioError, match="U\\+001B"):
        ng.loads_scenario(TOML_BASE.replace('description = "A small', 'description = "\\u001b'))


class _CountingStr(str):
    """A level name that counts how often it is compared for equality."""

    calls = 0

    def __eq__(self, other):
        _CountingStr.calls += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def test_level_lookup_is_not_quadratic():
    """Validating values for every level of an n-level issue compares O(n) names, not O(n^2)
    (``tuple.index`` made a GENIUS integer issue with 99,999 values take minutes)."""
    n = 3000
    levels = tuple(_CountingStr(f"v{k}") for k in range(n))
    issue = Issue("x", levels)
    values = {f"v{k}": k / (n - 1) for k in range(n)}
    _CountingStr.calls = 0
    s = Scenario("s", (issue,), (Party("A", {"x": 1}, {"x": values}), Party("B", {"x": 1})))
    assert _CountingStr.calls <= 10 * n  # tuple.index would make ~n^2/2 = 4.5 million
    assert s.values(0, 0)[-1] == 1.0


def test_genius_integer_issue_with_99999_values_loads(tmp_path: Path):
    """Item 11: the largest integer issue under the bound loads (linear-time validation)."""
    from cases_inputs import G_FILES

    files = {
        name: text.replace('lowerbound="1" upperbound="5"', 'lowerbound="1" upperbound="99999"')
        for name, text in G_FILES.items()
    }
    path = write_case(Case("big", "genius", files, "corpus_domain.xml", ""), tmp_path)
    s = ng.load_scenario(path)
    quantity = s.issue("quantity")
    assert quantity.size == 99_999 and quantity.levels[-1] == "99999"
    assert quantity.level_index("99999") == 99_998


def test_too_many_levels_is_refused_before_work():
    from negotiation.model.checks import MAX_LEVELS

    with pytest.raises(ScenarioError, match=f"more than the {MAX_LEVELS}"):
        Issue("x", tuple(str(k) for k in range(MAX_LEVELS + 1)))


def test_too_many_issues_and_parties_are_refused():
    from negotiation.model.checks import MAX_ISSUES, MAX_PARTIES

    issues = tuple(Issue(f"i{k}", ("a", "b")) for k in range(MAX_ISSUES + 1))
    with pytest.raises(ScenarioError, match=f"more than the {MAX_ISSUES}"):
        Scenario("s", issues, (Party("A", {"i0": 1}),))
    parties = tuple(Party(f"P{k}", {"x": 1}) for k in range(MAX_PARTIES + 1))
    with pytest.raises(ScenarioError, match=f"more than the {MAX_PARTIES}"):
        Scenario("s", (Issue("x", ("a", "b")),), parties)


def _printable_oracle(text: str) -> bool:
    """Independent statement of the rule: printable for :meth:`str.isprintable`, where every
    kind of space (category Zs) counts as printable too."""
    return "".join(" " if unicodedata.category(c) == "Zs" else c for c in text).isprintable()


@given(name=st.text(min_size=1, max_size=12).filter(lambda s: s.strip()))
@example(name="\U0001f600 b")  # beyond U+FFFF: was saved as a surrogate pair TOML refuses
@example(name="Sel\x1b[2J\x07ler")
def test_names_are_refused_exactly_when_not_printable(name: str):
    """Any party and level name: accepted (and round-tripped through TOML) when printable,
    refused with a :class:`ScenarioError` naming the character otherwise."""
    levels = ("a", name) if name != "a" else ("a", "b")
    build = lambda: Scenario(  # noqa: E731
        "s",
        (Issue("x", levels),),
        (
            Party(name, {"x": 1}, {"x": dict(zip(levels, (0.0, 1.0), strict=True))}),
            Party(name + "2", {"x": 1}),
        ),
    )
    if _printable_oracle(name):
        s = build()
        assert ng.loads_scenario(ng.dumps_scenario(s)) == s
    else:
        with pytest.raises(ScenarioError, match="non-printable character U\\+"):
            build()


@pytest.mark.parametrize("suffix", [".toml", ".xml", ".json"])
def test_a_pipe_is_refused_not_read_forever(suffix: str, tmp_path: Path):
    """A FIFO (or ``/dev/zero``) has no end: reading it hung (or filled the memory) before."""
    fifo = tmp_path / f"scenario{suffix}"
    os.mkfifo(fifo)
    with pytest.raises(ScenarioError, match="not a regular file") as info:
        ng.load_scenario(fifo)
    assert str(fifo) in str(info.value)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_is_refused():
    with pytest.raises(ScenarioError, match="not a regular file"):
        ng.load_scenario("/dev/zero")


def test_a_file_over_the_size_bound_is_refused(tmp_path: Path):
    from negotiation.io.reading import read_bounded

    path = tmp_path / "big.toml"
    path.write_bytes(b"#" * 101)
    with pytest.raises(ScenarioError, match="larger than the 100 bytes"):
        read_bounded(path, limit=100)
    assert read_bounded(path, limit=101) == b"#" * 101
