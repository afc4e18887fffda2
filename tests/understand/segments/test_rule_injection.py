"""Hostile rules: SQL fragments, attribute access and calls outside the grammar never reach a
query; the parser refuses each with a message that says what it found and where.

Both vocabularies are tried: segment rules (``check_rule``) and case rules
(``check_case_rule``), which reuse the same parser. Quoted SQL that stays a string literal is
covered by ``test_rule_parser.py`` and ``test_rule_compiler.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from act.case_data import DETRACTOR_RULE
from cxloop.act.rule_fields import check_case_rule
from cxloop.act.rules import load_rule
from cxloop.errors import ConfigError
from cxloop.understand.segments import RuleError, check_rule, load_segments

CHECKERS: dict[str, Callable[[str], object]] = {"segment": check_rule, "case": check_case_rule}

HOSTILE = [
    # SQL fragments outside a string
    ("nps > 1; DROP TABLE customers", 8, "unexpected character ';'"),
    ("nps > 1 -- and the rest is a comment", 9, "unexpected character '-'"),
    ("nps > 1 /* comment */", 9, "unexpected character '/'"),
    ("nps > 1 UNION SELECT * FROM users", 22, "unexpected character '*'"),
    ("nps > (SELECT max(nps) FROM feedback)", 7, "expected a field, a function or a value"),
    ("nps > 1 OR 1=1", 12, "compare a field with a value, not two values"),
    ('language == "es" || 1', 18, "unexpected character '|'"),
    ("`nps` > 1", 1, "unexpected character '`'"),
    ("customers.nps > 1", 10, "unexpected character '.'"),
    ("nps > 0x10", 8, "expected 'and', 'or' or the end of the rule, found 'x10'"),
    # Python attribute access and dunders
    ("nps.__class__ == 1", 4, "unexpected character '.'"),
    ("().__class__.__bases__ == 1", 3, "unexpected character '.'"),
    ("__class__ == 1", 1, "unknown field '__class__'"),
    ("lambda: 1", 7, "unexpected character ':'"),
    ("nps > 1 and {}", 13, "unexpected character '{'"),
    # calls that are not in the grammar
    ("__import__('os') == 1", 1, "unknown function '__import__'"),
    ("eval('1+1') == 2", 1, "unknown function 'eval'"),
    ("exec('x') == 1", 1, "unknown function 'exec'"),
    ("os.system('ls') == 0", 3, "unexpected character '.'"),
    ("read_csv('/etc/passwd') > 1", 1, "unknown function 'read_csv'"),
    ("getattr(nps, '__class__') == 1", 9, "expected a number or a string, found 'nps'"),
    ("attribute(\"x'; DROP TABLE t; --\") == 'x'", 11, "an attribute key has letters, digits"),
]


@pytest.mark.parametrize("vocabulary", sorted(CHECKERS))
@pytest.mark.parametrize(("rule", "column", "reason"), HOSTILE)
def test_the_parser_refuses_hostile_rules_where_they_go_wrong(
    vocabulary: str, rule: str, column: int, reason: str
) -> None:
    with pytest.raises(RuleError) as caught:
        CHECKERS[vocabulary](rule)
    error = caught.value
    assert reason in error.reason
    assert (error.line, error.column) == (1, column), error.describe()
    assert error.describe().startswith(f"line 1, column {column}: ")


def test_a_hostile_segment_file_names_the_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "segments"
    folder.mkdir()
    path = folder / "evil.yaml"
    path.write_text("id: evil\nname: Evil\nrule: __import__('os') == 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"{path}:3: rule: line 1, column 1: unknown function"):
        load_segments(tmp_path)


def test_a_hostile_case_rule_file_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "evil.yaml"
    evil = DETRACTOR_RULE.replace("when: nps <= 6", "when: nps <= 6; DELETE FROM cases")
    path.write_text(evil, encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"{path}:3: when: line 1, column 9: unexpected"):
        load_rule(path)
