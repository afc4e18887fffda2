"""The rule grammar: good rules parse; each mistake is reported where it is, with a caret."""

from __future__ import annotations

import pytest

from cxloop.understand.segments.rule_parser import (
    BoolOp,
    Call,
    Compare,
    Field,
    In,
    IsNull,
    Literal,
    Not,
    RuleError,
    parse_rule,
    tokenize,
)


def test_and_binds_tighter_than_or() -> None:
    tree = parse_rule("nps <= 6 or csat <= 2 and orders_90d >= 2")
    assert isinstance(tree, BoolOp) and tree.op == "or"
    assert isinstance(tree.items[1], BoolOp) and tree.items[1].op == "and"


def test_the_issue_example() -> None:
    tree = parse_rule('nps <= 6 and orders_90d >= 2 and language in ["es", "zh"]')
    assert isinstance(tree, BoolOp) and len(tree.items) == 3
    first, _, last = tree.items
    assert first == Compare("<=", Field("nps", 0), Literal(6, 7), 0)
    assert isinstance(last, In) and [v.value for v in last.values] == ["es", "zh"]


def test_parentheses_not_functions_and_null_tests() -> None:
    tree = parse_rule("NOT (nps >= 9 OR ladder is null) and events('Referral Sent', 365) > 0")
    assert isinstance(tree, BoolOp)
    negated, call = tree.items
    assert isinstance(negated, Not) and isinstance(negated.item, BoolOp)
    assert isinstance(negated.item.items[1], IsNull)
    assert isinstance(call, Compare) and call.left == Call(
        "events", (Literal("Referral Sent", 44), Literal(365, 61)), 37
    )


def test_not_in_is_not_null_and_single_equals() -> None:
    tree = parse_rule("country not in ['US'] and nps is not null and language = 'es'")
    assert isinstance(tree, BoolOp)
    assert tree.items[0].negated and tree.items[1].negated  # type: ignore[union-attr]
    assert tree.items[2].op == "=="  # type: ignore[union-attr]


def test_numbers_and_escapes() -> None:
    tokens = tokenize(r"x >= -1.5e2 and y == 'it\'s \"q\"'")
    assert tokens[2].value == -150.0
    assert tokens[6].value == 'it\'s "q"'


@pytest.mark.parametrize(
    ("rule", "column", "reason"),
    [
        ("nps <=", 7, "expected a field, a function or a value, found the end of the rule"),
        ("nps <= 6 and", 13, "found the end of the rule"),
        ("nps <= 6 nps", 10, "expected 'and', 'or' or the end of the rule, found 'nps'"),
        ('language in ["es"', 18, "expected ',' or ']'"),
        ("language in []", 14, "the list is empty"),
        ("language in 'es'", 13, "expected '[' to start a list"),
        ("(nps <= 6", 10, "expected ')'"),
        ("nps @ 6", 5, "unexpected character '@'"),
        ("language == 'es", 13, "unterminated string"),
        ("name == 'a\\qb'", 11, "unknown escape \\q"),
        ("nps is 6", 8, "expected 'null' after 'is'"),
        ("events('x', nps)", 13, "expected a number or a string"),
        ("", 1, "the rule is empty"),
    ],
)
def test_each_error_points_at_its_position(rule: str, column: int, reason: str) -> None:
    with pytest.raises(RuleError) as caught:
        parse_rule(rule)
    error = caught.value
    assert error.column == column, error.describe()
    assert reason in error.reason
    lines = error.describe().splitlines()
    assert lines[0] == f"line 1, column {column}: {error.reason}"
    assert lines[2].index("^") - 4 == column - 1


def test_errors_on_later_lines_give_line_and_column() -> None:
    with pytest.raises(RuleError) as caught:
        parse_rule("nps <= 6\nand orders_90d >=\n")
    assert (caught.value.line, caught.value.column) == (2, 18)
    assert caught.value.describe().splitlines()[1] == "    and orders_90d >="


def test_deep_nesting_is_refused_not_a_crash() -> None:
    with pytest.raises(RuleError, match="nested more than"):
        parse_rule("(" * 200 + "nps > 1" + ")" * 200)
    with pytest.raises(RuleError, match="nested more than"):
        parse_rule("not " * 200 + "nps > 1")


@pytest.mark.parametrize(
    "text",
    ["x'); DROP TABLE customers; --", "' OR 1=1 --", 'a" or "1"="1', "%s", "{0}", "\\\\"],
)
def test_strings_with_sql_stay_one_literal(text: str) -> None:
    quoted = "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
    tree = parse_rule(f"language == {quoted}")
    assert isinstance(tree, Compare) and tree.right == Literal(text, 12)
