"""Loading ``rules/*.yaml``: each file one case rule, its conditions checked on load.

A mistake names the file and the line: ``rules/x.yaml:3: when: line 1, column 1: unknown
field 'nsp'; valid fields: …``, with the condition's line and a caret under the mistake.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from cxloop.act.rule_fields import check_case_rule
from cxloop.domain.case import CaseRule
from cxloop.domain.definitions import load_definition, read_yaml
from cxloop.errors import ConfigError
from cxloop.understand.segments.rule_compiler import CheckedRule
from cxloop.understand.segments.rule_parser import RuleError

RULES_DIR = "rules"


@dataclass(frozen=True)
class LoadedRule:
    """A rule with its condition and its routes' conditions checked."""

    definition: CaseRule
    condition: CheckedRule
    routes: tuple[CheckedRule, ...]

    @property
    def id(self) -> str:
        return self.definition.id


def _value_lines(path: Path) -> dict[tuple[str | int, ...], int]:
    """The file line where each scalar value starts (a block scalar: the line below)."""
    node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    out: dict[tuple[str | int, ...], int] = {}

    def walk(n: yaml.Node, at: tuple[str | int, ...]) -> None:
        if isinstance(n, yaml.MappingNode):
            for key, value in n.value:
                walk(value, (*at, key.value))
        elif isinstance(n, yaml.SequenceNode):
            for k, item in enumerate(n.value):
                walk(item, (*at, k))
        else:
            line = n.start_mark.line + 1
            out[at] = line + 1 if getattr(n, "style", None) in ("|", ">") else line

    if node is not None:
        walk(node, ())
    return out


def load_rule(path: str | Path) -> LoadedRule:
    """Load one rule file and check its conditions.

    Raises
    ------
    ConfigError
        Naming the file, the line and the field.
    """
    path = Path(path)
    definition = load_definition(path, CaseRule)
    lines = _value_lines(path)

    def checked(text: str, at: tuple[str | int, ...], name: str) -> CheckedRule:
        try:
            return check_case_rule(text)
        except RuleError as exc:
            line = lines.get(at, 1) + exc.line - 1
            raise ConfigError(
                exc.describe(f"{path}:{line}: {name}: "), details=exc.details
            ) from exc

    condition = checked(definition.when, ("when",), "when")
    routes = tuple(
        checked(route.when, ("then", "routes", k, "when"), f"then.routes.{k}.when")
        for k, route in enumerate(definition.then.routes)
    )
    return LoadedRule(definition.model_copy(update={"path": str(path)}), condition, routes)


def rule_files(project: Path) -> list[Path]:
    """The project's ``rules/*.yaml`` and ``*.yml`` files, sorted; files holding nothing but
    comments (the starter's examples) are left out."""
    folder = project / RULES_DIR
    if not folder.is_dir():
        return []
    files = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
    return [f for f in files if read_yaml(f)[0] is not None]


def load_rules(project: Path, *, enabled_only: bool = True) -> list[LoadedRule]:
    """Every rule of the project, by id; two files with the same id is an error."""
    loaded: dict[str, LoadedRule] = {}
    for path in rule_files(project):
        rule = load_rule(path)
        if rule.id in loaded:
            other = loaded[rule.id].definition.path
            raise ConfigError(f"{path}:1: id: {rule.id!r} is already the id of {other}")
        loaded[rule.id] = rule
    rules = [loaded[k] for k in sorted(loaded)]
    return [r for r in rules if r.definition.enabled] if enabled_only else rules
