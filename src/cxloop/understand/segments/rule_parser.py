"""The segment rule language: a tokenizer and a recursive-descent parser into a small syntax tree.

Grammar (keywords are case-insensitive)::

    rule       := or_expr END
    or_expr    := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | comparison
    comparison := operand [ OP operand | ["not"] "in" list | "is" ["not"] "null" ]
    operand    := NUMBER | STRING | "true" | "false" | NAME | NAME "(" [literal ("," literal)*] ")"
                | "(" or_expr ")"
    list       := "[" [literal ("," literal)*] "]"
    OP         := "==" | "=" | "!=" | "<" | "<=" | ">" | ">="

Strings are in double or single quotes with backslash escapes; they stay values all the way to
the warehouse (Ibis literals), never text pasted into a query. Every node keeps the position of
its first character so that later stages (unknown fields, type mismatches) can point at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cxloop.errors import ConfigError

KEYWORDS = {"and", "or", "not", "in", "is", "null", "true", "false"}
COMPARISONS = ("==", "!=", "<=", ">=", "=", "<", ">")
MAX_RULE_LENGTH = 4_000
MAX_DEPTH = 50
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>-?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?)
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>==|!=|<=|>=|=|<|>)
  | (?P<punct>[(),\[\]])
    """,
    re.VERBOSE,
)
_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "'": "'"}

Literal_ = str | float | int | bool | None


class RuleError(ConfigError):
    """A rule that cannot be parsed or compiled; ``position`` is the offset it points at."""

    def __init__(self, message: str, rule: str, position: int) -> None:
        self.reason = message
        self.rule = rule
        self.position = max(0, min(position, len(rule)))
        super().__init__(self.describe(), details={"position": self.position})

    @property
    def line(self) -> int:
        """1-based line of the position within the rule."""
        return self.rule.count("\n", 0, self.position) + 1

    @property
    def column(self) -> int:
        """1-based column of the position within its line."""
        start = self.rule.rfind("\n", 0, self.position) + 1
        return self.position - start + 1

    def describe(self, prefix: str = "") -> str:
        """``prefix`` + ``line L, column C: reason``, then the rule's line and a caret under it."""
        start = self.rule.rfind("\n", 0, self.position) + 1
        end = self.rule.find("\n", self.position)
        text = self.rule[start : end if end >= 0 else len(self.rule)]
        where = f"{prefix}line {self.line}, column {self.column}: {self.reason}"
        return f"{where}\n    {text}\n    {' ' * (self.position - start)}^"


@dataclass(frozen=True)
class Token:
    kind: str  # number, string, name, keyword, op, punct, end
    text: str
    position: int
    value: Literal_ = None


@dataclass(frozen=True)
class Literal:
    """A constant: a number, a string, true/false."""

    value: Literal_
    position: int


@dataclass(frozen=True)
class Field:
    """A field of the customer's features (``nps``, ``language``, ``orders_90d``)."""

    name: str
    position: int


@dataclass(frozen=True)
class Call:
    """A function of literal arguments (``events("Referral Sent", 365)``)."""

    name: str
    args: tuple[Literal, ...]
    position: int


@dataclass(frozen=True)
class Compare:
    op: str
    left: Operand
    right: Operand
    position: int


@dataclass(frozen=True)
class In:
    operand: Operand
    values: tuple[Literal, ...]
    negated: bool
    position: int


@dataclass(frozen=True)
class IsNull:
    operand: Operand
    negated: bool
    position: int


@dataclass(frozen=True)
class Not:
    item: Node
    position: int


@dataclass(frozen=True)
class BoolOp:
    op: str  # "and" | "or"
    items: tuple[Node, ...]
    position: int


Operand = Literal | Field | Call
Node = Compare | In | IsNull | Not | BoolOp | Operand


def tokenize(rule: str) -> list[Token]:
    """The tokens of ``rule``, ending with an ``end`` token; a stray character is an error."""
    tokens: list[Token] = []
    pos = 0
    while pos < len(rule):
        match = _TOKEN.match(rule, pos)
        if match is None:
            if rule[pos] in "\"'":
                raise RuleError("unterminated string", rule, pos)
            raise RuleError(f"unexpected character {rule[pos]!r}", rule, pos)
        kind = match.lastgroup or ""
        text = match.group()
        if kind == "number":
            value: Literal_ = float(text) if any(c in text for c in ".eE") else int(text)
            tokens.append(Token("number", text, pos, value))
        elif kind == "string":
            tokens.append(Token("string", text, pos, _unquote(text, rule, pos)))
        elif kind == "name":
            lower = text.lower()
            if lower in KEYWORDS:
                tokens.append(Token("keyword", lower, pos))
            else:
                tokens.append(Token("name", text, pos))
        elif kind in ("op", "punct"):
            tokens.append(Token(kind, text, pos))
        pos = match.end()
    tokens.append(Token("end", "", len(rule.rstrip())))
    return tokens


def _unquote(text: str, rule: str, pos: int) -> str:
    out, i = [], 1
    while i < len(text) - 1:
        char = text[i]
        if char == "\\":
            escaped = text[i + 1]
            if escaped not in _ESCAPES:
                raise RuleError(f"unknown escape \\{escaped} in a string", rule, pos + i)
            out.append(_ESCAPES[escaped])
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


class _Parser:
    def __init__(self, rule: str) -> None:
        self.rule = rule
        self.tokens = tokenize(rule)
        self.index = 0
        self.depth = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def at(self, kind: str, text: str | None = None) -> bool:
        return self.token.kind == kind and (text is None or self.token.text == text)

    def expect(self, kind: str, text: str, what: str) -> Token:
        if not self.at(kind, text):
            self.fail(f"expected {what}")
        return self.advance()

    def fail(self, expected: str) -> None:
        token = self.token
        found = "the end of the rule" if token.kind == "end" else repr(token.text)
        raise RuleError(f"{expected}, found {found}", self.rule, token.position)

    def parse(self) -> Node:
        if self.token.kind == "end":
            raise RuleError("the rule is empty", self.rule, 0)
        node = self.or_expr()
        if not self.at("end"):
            self.fail("expected 'and', 'or' or the end of the rule")
        return node

    def or_expr(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise RuleError(f"nested more than {MAX_DEPTH} deep", self.rule, self.token.position)
        start = self.token.position
        items = [self.and_expr()]
        while self.at("keyword", "or"):
            self.advance()
            items.append(self.and_expr())
        self.depth -= 1
        return items[0] if len(items) == 1 else BoolOp("or", tuple(items), start)

    def and_expr(self) -> Node:
        start = self.token.position
        items = [self.not_expr()]
        while self.at("keyword", "and"):
            self.advance()
            items.append(self.not_expr())
        return items[0] if len(items) == 1 else BoolOp("and", tuple(items), start)

    def not_expr(self) -> Node:
        if self.at("keyword", "not"):
            start = self.advance().position
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise RuleError(f"nested more than {MAX_DEPTH} deep", self.rule, start)
            item = self.not_expr()
            self.depth -= 1
            return Not(item, start)
        return self.comparison()

    def comparison(self) -> Node:
        if self.at("punct", "("):
            self.advance()
            inner = self.or_expr()
            self.expect("punct", ")", "')'")
            left: Node = inner
        else:
            left = self.operand()
        start = getattr(left, "position", 0)
        if self.at("op"):
            op = self.advance().text
            right = self.operand()
            if not isinstance(left, Literal | Field | Call):
                raise RuleError(f"cannot compare a condition with {op!r}", self.rule, start)
            return Compare("==" if op == "=" else op, left, right, start)
        negated = False
        if self.at("keyword", "not") and self.tokens[self.index + 1].text == "in":
            self.advance()
            negated = True
        if self.at("keyword", "in"):
            self.advance()
            if not isinstance(left, Literal | Field | Call):
                raise RuleError("'in' needs a field on its left", self.rule, start)
            return In(left, self.literal_list(), negated, start)
        if self.at("keyword", "is"):
            self.advance()
            is_not = False
            if self.at("keyword", "not"):
                self.advance()
                is_not = True
            self.expect("keyword", "null", "'null' after 'is'")
            if not isinstance(left, Literal | Field | Call):
                raise RuleError("'is null' needs a field on its left", self.rule, start)
            return IsNull(left, is_not, start)
        return left

    def operand(self) -> Operand:
        token = self.token
        if token.kind in ("number", "string"):
            self.advance()
            return Literal(token.value, token.position)
        if token.kind == "keyword" and token.text in ("true", "false"):
            self.advance()
            return Literal(token.text == "true", token.position)
        if token.kind == "name":
            self.advance()
            if self.at("punct", "("):
                self.advance()
                args: list[Literal] = []
                if not self.at("punct", ")"):
                    args.append(self.literal())
                    while self.at("punct", ","):
                        self.advance()
                        args.append(self.literal())
                self.expect("punct", ")", "',' or ')'")
                return Call(token.text, tuple(args), token.position)
            return Field(token.text, token.position)
        self.fail("expected a field, a function or a value")
        raise AssertionError("unreachable")

    def literal(self) -> Literal:
        token = self.token
        if token.kind in ("number", "string"):
            self.advance()
            return Literal(token.value, token.position)
        if token.kind == "keyword" and token.text in ("true", "false"):
            self.advance()
            return Literal(token.text == "true", token.position)
        self.fail("expected a number or a string")
        raise AssertionError("unreachable")

    def literal_list(self) -> tuple[Literal, ...]:
        self.expect("punct", "[", "'[' to start a list")
        values: list[Literal] = []
        if not self.at("punct", "]"):
            values.append(self.literal())
            while self.at("punct", ","):
                self.advance()
                values.append(self.literal())
        self.expect("punct", "]", "',' or ']'")
        if not values:
            raise RuleError("the list is empty", self.rule, self.tokens[self.index - 1].position)
        return tuple(values)


def parse_rule(rule: str) -> Node:
    """Parse a segment rule into its syntax tree.

    Raises
    ------
    RuleError
        With the line and column of the mistake and a caret under it.

    Examples
    --------
    >>> node = parse_rule('nps <= 6 and language in ["es", "zh"]')
    >>> node.op, len(node.items)
    ('and', 2)
    """
    if len(rule) > MAX_RULE_LENGTH:
        raise RuleError(f"the rule is longer than {MAX_RULE_LENGTH} characters", rule, 0)
    return _Parser(rule).parse()
