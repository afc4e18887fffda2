"""Conditional follow-ups: ``show_if: "nps <= 6"`` parsed once, evaluated against answers.

A condition names an earlier question, an operator and a value. It is parsed by a small
tokenizer, never evaluated as Python, so a definition cannot run code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

OPERATORS = ("==", "!=", "<=", ">=", "<", ">", "in")
_PATTERN = re.compile(
    r"^\s*(?P<question>[a-z][a-z0-9_]*)\s*(?P<op>==|!=|<=|>=|<|>|\bin\b)\s*(?P<value>.+?)\s*$"
)
_ATOM = re.compile(r"^(?:-?\d+(?:\.\d+)?|[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')$")

Value = float | str
ConditionValue = Value | tuple[Value, ...]


@dataclass(frozen=True)
class Condition:
    """``question op value``; ``value`` is a tuple for ``in``.

    Examples
    --------
    >>> c = parse_condition("nps <= 6")
    >>> c.holds({"nps": 3}), c.holds({"nps": 9}), c.holds({})
    (True, False, False)
    >>> parse_condition("reason in [price, speed]").holds({"reason": "price"})
    True
    """

    question: str
    op: str
    value: ConditionValue

    def holds(self, answers: dict[str, Any]) -> bool:
        """Whether the condition is true for ``answers`` (an unanswered question: false)."""
        answer = answers.get(self.question)
        if answer is None or answer == "" or answer == []:
            return False
        if self.op == "in":
            values = self.value if isinstance(self.value, tuple) else (self.value,)
            given = answer if isinstance(answer, list) else [answer]
            return any(_same(item, value) for item in given for value in values)
        value = self.value
        if isinstance(value, tuple):
            return False
        if isinstance(answer, list):
            if self.op == "==":
                return any(_same(item, value) for item in answer)
            if self.op == "!=":
                return not any(_same(item, value) for item in answer)
            return False
        if self.op == "==":
            return _same(answer, value)
        if self.op == "!=":
            return not _same(answer, value)
        number = _number(answer)
        if number is None or not isinstance(self.value, float):
            return False
        return {
            "<": number < self.value,
            "<=": number <= self.value,
            ">": number > self.value,
            ">=": number >= self.value,
        }[self.op]


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


def _same(answer: object, value: Value) -> bool:
    if isinstance(value, float):
        return _number(answer) == value
    return str(answer) == value


def _atom(text: str) -> Value:
    text = text.strip()
    if not _ATOM.match(text):
        raise ValueError(f"cannot read the value {text!r}")
    if text[0] in "\"'":
        return text[1:-1]
    try:
        return float(text)
    except ValueError:
        return text


def parse_condition(text: str) -> Condition:
    """Parse ``<question id> <op> <value>``; ``in`` takes a list ``[a, b]``.

    Raises
    ------
    ValueError
        When the text is not a condition (the message says what was expected).
    """
    match = _PATTERN.match(text)
    if match is None:
        raise ValueError(
            f"show_if {text!r} is not '<question id> <op> <value>' with op one of "
            + ", ".join(OPERATORS)
        )
    op, raw = match["op"], match["value"]
    value: ConditionValue
    if op == "in":
        if not (raw.startswith("[") and raw.endswith("]")):
            raise ValueError(f"show_if {text!r}: 'in' needs a list such as [a, b]")
        items = [item for item in raw[1:-1].split(",") if item.strip()]
        if not items:
            raise ValueError(f"show_if {text!r}: the list after 'in' is empty")
        value = tuple(_atom(item) for item in items)
    else:
        value = _atom(raw)
    return Condition(match["question"], op, value)
