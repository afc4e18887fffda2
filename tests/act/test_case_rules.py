"""Case rules: the feedback vocabulary of the rule language, and rule files checked with
file:line errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from act.case_data import BILLING_RULE, DETRACTOR_RULE, write_rules
from cxloop.act.rule_fields import check_case_rule
from cxloop.act.rules import load_rule, load_rules
from cxloop.errors import ConfigError
from cxloop.project import starter_files
from cxloop.understand.segments import RuleError, check_rule


def test_the_feedback_vocabulary_has_its_own_fields_and_functions() -> None:
    rule = check_case_rule('nps <= 6 and theme("billing") == 1 and country in ["US"]')
    assert rule.fields == {"nps", "country"}
    assert [c.name for c in rule.calls] == ["theme"]
    for text in ("sentiment == 'negative'", "measure == 'csat' and score <= 2", "clv >= 1000",
                 "touchpoint == 'web' and language == 'zh'", 'attribute("tier") == "gold"',
                 "intent == 'issue'", "ts >= '2026-01-01'"):  # fmt: skip
        check_case_rule(text)
    with pytest.raises(RuleError, match="unknown field 'orders_90d'.*valid fields: feedback_id"):
        check_case_rule("orders_90d >= 2")  # a segment field, not a feedback field
    with pytest.raises(RuleError, match=r"theme\(theme\) takes 1 argument"):
        check_case_rule('theme("billing", 30) == 1')
    # the segment language keeps its own vocabulary
    with pytest.raises(RuleError, match="unknown field 'sentiment'"):
        check_rule("sentiment == 'negative'")


def test_a_rule_file_loads_with_its_routes(tmp_path: Path) -> None:
    write_rules(tmp_path, detractor=DETRACTOR_RULE, billing=BILLING_RULE)
    rules = load_rules(tmp_path)
    assert [r.id for r in rules] == ["billing_complaint", "detractor"]
    detractor = rules[1]
    assert detractor.definition.then.sla_hours == 48 and len(detractor.routes) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (DETRACTOR_RULE.replace("nps <= 6", "nsp <= 6"), r"x\.yaml:3: when: line 1, column 1: "
         r"unknown field 'nsp'"),
        (BILLING_RULE.replace("and theme", "and thme"), r"x\.yaml:4: when: line 2, column 5: "
         r"unknown function 'thme'"),
        (DETRACTOR_RULE.replace('theme("billing") == 1', "language = = 'x'"),
         r"x\.yaml:10: then\.routes\.0\.when: line 1, column 12: "),
        (DETRACTOR_RULE.replace("priority: high", "priority: asap"), r"x\.yaml:7: then\.priority"),
        (DETRACTOR_RULE.replace("sla_hours: 48", "sla_hours: 0"), r"x\.yaml:12: then\.sla_hours"),
        (DETRACTOR_RULE.replace("topic: detractor", "topic: Big Topic"), r"x\.yaml:6: then\.topic"),
    ],
)  # fmt: skip
def test_a_mistake_names_the_file_line_and_field(tmp_path: Path, text: str, expected: str):
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=expected):
        load_rule(path)


def test_two_rules_with_one_id_are_refused(tmp_path: Path) -> None:
    write_rules(tmp_path, a=DETRACTOR_RULE, b=DETRACTOR_RULE)
    with pytest.raises(ConfigError, match=r"b\.yaml:1: id: 'detractor' is already the id of"):
        load_rules(tmp_path)


def test_the_starter_examples_are_comments_that_load_once_uncommented(tmp_path: Path) -> None:
    examples = {k: v for k, v in starter_files().items() if k.startswith("rules/")}
    assert len(examples) == 3
    for rel, text in examples.items():
        target = tmp_path / rel
        target.parent.mkdir(exist_ok=True)
        target.write_text(text, encoding="utf-8")
    assert load_rules(tmp_path) == []  # nothing but comments: no rule is on
    for rel, text in examples.items():
        body = [re.sub(r"^# ?", "", line) for line in text.splitlines() if line.startswith("# ")]
        start = next(k for k, line in enumerate(body) if line.startswith("id:"))
        (tmp_path / rel).write_text("\n".join(body[start:]) + "\n", encoding="utf-8")
    ids = [r.id for r in load_rules(tmp_path)]
    assert ids == ["billing_complaint", "detractor_follow_up", "high_value_at_risk"]
