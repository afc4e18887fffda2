"""Checking a parsed rule against the fields it may use, and compiling it into Ibis.

A rule compiles into a boolean Ibis expression over the feature table of
:mod:`cxloop.understand.segments.fields`; every value in it is an Ibis literal, so a string in a
rule is always compared as a value and never becomes part of a query's text.

Comparisons follow two-valued logic: a customer with no value for a field (no NPS answer, no
order) matches no comparison on it, and *does* match its negation (``not nps <= 6`` holds for a
customer who never answered). ``nps is null`` asks for the missing value itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import ibis
import ibis.expr.types as ir

from cxloop.understand.segments.behaviour import TableGetter
from cxloop.understand.segments.fields import (
    ATTRIBUTE_KEY,
    FUNCTIONS,
    CallKey,
    FieldType,
    FunctionSpec,
    feature_table,
    field_type,
    valid_field_names,
)
from cxloop.understand.segments.options import SegmentOptions
from cxloop.understand.segments.rule_parser import (
    BoolOp,
    Call,
    Compare,
    Field,
    In,
    IsNull,
    Literal,
    Node,
    Not,
    Operand,
    RuleError,
    parse_rule,
)

MAX_DAYS = 36_500
_ORDERING = {"<", "<=", ">", ">="}


@dataclass(frozen=True)
class Vocabulary:
    """The fields and functions a rule may use: a segment rule reads a customer's features,
    a case rule (:mod:`cxloop.act.rule_fields`) a piece of feedback and its customer."""

    field_type: Callable[[str], FieldType | None]
    functions: Mapping[str, FunctionSpec]
    field_names: Callable[[], list[str]] = field(default=valid_field_names)


#: the segment rule language's fields and functions
SEGMENT_VOCABULARY = Vocabulary(field_type, FUNCTIONS, valid_field_names)


@dataclass(frozen=True)
class CheckedRule:
    """A parsed rule whose fields and calls are known good, with what it needs."""

    text: str
    tree: Node
    fields: frozenset[str]
    calls: tuple[CallKey, ...]
    vocabulary: Vocabulary = SEGMENT_VOCABULARY

    def predicate(self, features: ir.Table) -> ir.BooleanValue:
        """The rule as a boolean expression over ``features``."""
        return _Compiler(self, features).node(self.tree)

    def members(self, table: TableGetter, options: SegmentOptions) -> ir.Table:
        """The ``customer_id`` of every customer matching the rule at ``options.as_of``."""
        features = feature_table(table, options, set(self.fields), list(self.calls))
        return features.filter(self.predicate(features)).select("customer_id")


def check_rule(text: str, vocabulary: Vocabulary = SEGMENT_VOCABULARY) -> CheckedRule:
    """Parse ``text`` and check its fields, functions and types (those of ``vocabulary``:
    by default the segment rule language's).

    Raises
    ------
    RuleError
        Pointing at the mistake; an unknown field lists the valid ones.

    Examples
    --------
    >>> sorted(check_rule('nps <= 6 and orders_90d >= 2').fields)
    ['nps', 'orders_90d']
    """
    tree = parse_rule(text)
    checker = _Checker(text, vocabulary)
    checker.node(tree)
    return CheckedRule(
        text, tree, frozenset(checker.fields), tuple(checker.calls.values()), vocabulary
    )


def _literal_type(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "string"


class _Checker:
    def __init__(self, text: str, vocabulary: Vocabulary) -> None:
        self.text = text
        self.vocabulary = vocabulary
        self.fields: set[str] = set()
        self.calls: dict[tuple[str, tuple[str | int, ...]], CallKey] = {}

    def fail(self, message: str, position: int) -> None:
        raise RuleError(message, self.text, position)

    def node(self, node: Node) -> None:
        if isinstance(node, BoolOp):
            for item in node.items:
                self.node(item)
        elif isinstance(node, Not):
            self.node(node.item)
        elif isinstance(node, Compare):
            left, right = self.operand(node.left), self.operand(node.right)
            if isinstance(node.left, Literal) and isinstance(node.right, Literal):
                self.fail("compare a field with a value, not two values", node.position)
            self.compatible(left, right, node.right.position)
            for side, other in ((node.left, right), (node.right, left)):
                if isinstance(side, Literal) and other == "timestamp":
                    self.date(side)
            if node.op in _ORDERING and "boolean" in (left, right):
                self.fail(f"{node.op!r} does not order true and false", node.position)
        elif isinstance(node, In):
            kind = self.operand(node.operand)
            if isinstance(node.operand, Literal):
                self.fail("'in' needs a field on its left", node.position)
            if kind == "timestamp":
                self.fail("compare times with <, <=, >, >= and a date, not 'in'", node.position)
            for value in node.values:
                self.compatible(kind, _literal_type(value.value), value.position)
        elif isinstance(node, IsNull):
            self.operand(node.operand)
            if isinstance(node.operand, Literal):
                self.fail("'is null' needs a field on its left", node.position)
        else:
            self.fail("a condition needs a comparison, e.g. 'nps <= 6'", node.position)

    def date(self, literal: Literal) -> None:
        try:
            date.fromisoformat(str(literal.value))
        except ValueError:
            self.fail(f"{literal.value!r} is not a date (YYYY-MM-DD)", literal.position)

    def compatible(self, left: str, right: str, position: int) -> None:
        if left == right or {left, right} == {"timestamp", "string"}:
            return
        self.fail(f"cannot compare a {left} with a {right}", position)

    def operand(self, operand: Operand) -> str:
        if isinstance(operand, Literal):
            return _literal_type(operand.value)
        if isinstance(operand, Field):
            kind = self.vocabulary.field_type(operand.name)
            if kind is None:
                hint = (
                    f"; functions are called with parentheses: {operand.name}(…)"
                    if operand.name in self.vocabulary.functions
                    else ""
                )
                self.fail(
                    f"unknown field {operand.name!r}{hint}; valid fields: "
                    f"{', '.join(self.vocabulary.field_names())}",
                    operand.position,
                )
            self.fields.add(operand.name)
            return str(kind)
        return self.call(operand)

    def call(self, call: Call) -> str:
        functions = self.vocabulary.functions
        spec = functions.get(call.name)
        if spec is None:
            signatures = ", ".join(f.signature for f in functions.values())
            self.fail(f"unknown function {call.name!r}; valid functions: {signatures}",
                      call.position)  # fmt: skip
            raise AssertionError("unreachable")
        required = sum(1 for *_, needed in spec.arguments if needed)
        if not required <= len(call.args) <= len(spec.arguments):
            self.fail(f"{spec.signature} takes {required}"
                      + (f" to {len(spec.arguments)}" if required < len(spec.arguments) else "")
                      + f" argument(s), got {len(call.args)}", call.position)  # fmt: skip
        args: list[str | int] = []
        for (name, kind, _), arg in zip(spec.arguments, call.args, strict=False):
            if _literal_type(arg.value) != kind:
                self.fail(f"argument {name!r} of {call.name}() must be a {kind}", arg.position)
            if kind == "number":
                if not isinstance(arg.value, int) or not 1 <= arg.value <= MAX_DAYS:
                    self.fail(f"{name!r} must be a whole number of days from 1 to {MAX_DAYS}",
                              arg.position)  # fmt: skip
                args.append(int(arg.value))  # type: ignore[arg-type]
            else:
                if not str(arg.value):
                    self.fail(f"argument {name!r} of {call.name}() is empty", arg.position)
                if call.name == "attribute" and not ATTRIBUTE_KEY.match(str(arg.value)):
                    self.fail("an attribute key has letters, digits and _ only", arg.position)
                args.append(str(arg.value))
        key = (call.name, tuple(args))
        if key not in self.calls:
            digest = hashlib.sha1(repr(key).encode()).hexdigest()[:10]
            self.calls[key] = CallKey(call.name, tuple(args), f"_{call.name}_{digest}")
        return spec.returns


class _Compiler:
    def __init__(self, rule: CheckedRule, features: ir.Table) -> None:
        self.rule = rule
        self.features = features
        self.columns = {(c.name, c.args): c.column for c in rule.calls}

    def node(self, node: Node) -> ir.BooleanValue:
        if isinstance(node, BoolOp):
            parts = [self.node(item) for item in node.items]
            out = parts[0]
            for part in parts[1:]:
                out = (out & part) if node.op == "and" else (out | part)
            return out
        if isinstance(node, Not):
            return ~self.node(node.item)
        if isinstance(node, Compare):
            left, right = self.value(node.left), self.value(node.right)
            left, right = self.align(node.left, left, node.right, right)
            result = {
                "==": left == right, "!=": left != right, "<": left < right,
                "<=": left <= right, ">": left > right, ">=": left >= right,
            }[node.op]  # fmt: skip
            return result.fill_null(False)  # type: ignore[no-any-return]
        if isinstance(node, In):
            value = self.value(node.operand)
            values = [v.value for v in node.values]
            result = value.isin(values)  # type: ignore[attr-defined]
            result = result.fill_null(False)
            return ~result if node.negated else result  # type: ignore[no-any-return]
        if isinstance(node, IsNull):
            value = self.value(node.operand)
            return value.notnull() if node.negated else value.isnull()  # type: ignore[no-any-return]
        raise AssertionError(f"unchecked node {node!r}")

    def value(self, operand: Operand) -> ir.Value:
        if isinstance(operand, Literal):
            return ibis.literal(operand.value)
        if isinstance(operand, Field):
            return self.features[operand.name]
        args = tuple(int(a.value) if isinstance(a.value, int) else str(a.value)  # type: ignore[arg-type]
                     for a in operand.args)  # fmt: skip
        return self.features[self.columns[(operand.name, args)]]

    def align(
        self, left_node: Operand, left: ir.Value, right_node: Operand, right: ir.Value
    ) -> tuple[ir.Value, ir.Value]:
        """A string compared with a timestamp field is read as a date (``YYYY-MM-DD``)."""
        if isinstance(right_node, Literal) and self.is_timestamp(left_node):
            return left, self.moment(right_node)
        if isinstance(left_node, Literal) and self.is_timestamp(right_node):
            return self.moment(left_node), right
        return left, right

    def is_timestamp(self, operand: Operand) -> bool:
        kind = self.rule.vocabulary.field_type
        return isinstance(operand, Field) and kind(operand.name) == "timestamp"

    def moment(self, literal: Literal) -> ir.Value:
        day = date.fromisoformat(str(literal.value))  # checked by _Checker.date
        stamp = datetime(day.year, day.month, day.day, tzinfo=UTC)
        return ibis.literal(stamp, type="timestamp('UTC')")


__all__ = ["SEGMENT_VOCABULARY", "CheckedRule", "FieldType", "Vocabulary", "check_rule"]
