"""``save_scenario`` never drops a file's comments silently (issue 18)."""

from __future__ import annotations

import pytest

import negotiation as ng
from negotiation.errors import ScenarioError
from negotiation.model.comments import comment_lines


def test_refuses_to_replace_a_commented_file_and_says_why(tmp_path):
    s = ng.load_scenario("ukraine_2025")
    original = s.file
    text = open(original, encoding="utf-8").read()
    assert comment_lines(text)  # the bundled file cites its sources in comments
    target = tmp_path / "ukraine.toml"
    target.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError, match="comment line"):
        ng.save_scenario(s, target)
    assert target.read_text(encoding="utf-8") == text  # untouched
    ng.save_scenario(s, target, overwrite=True)
    assert ng.load_scenario(target) == s


def test_new_file_and_identical_resave(tmp_path):
    s = ng.load_scenario("textbook_two_party")
    path = ng.save_scenario(s, tmp_path / "a" / "t.toml")
    before = path.read_text(encoding="utf-8")
    assert ng.save_scenario(s, path) == path  # same content: nothing to lose
    assert path.read_text(encoding="utf-8") == before
    other = ng.load_scenario("ukraine_2025")
    with pytest.raises(ScenarioError, match="exists"):
        ng.save_scenario(other, path)


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ('a = "x # y"\n', []),
        ("a = 'x # y' # z\n", [1]),
        ('a = """\n# in a string\n"""\n# out\n', [4]),
        ('a = "esc \\" # still in"\n', []),
        ("[t] # table\nb = [1, # one\n 2]\n", [1, 2]),
    ],
)
def test_comment_lines_against_hand_counts(text, lines):
    assert comment_lines(text) == lines
