"""SurveyJS JSON import and export, for interop with the SurveyJS form library and creator.

Scored questions become ``rating`` elements (``rateMin``/``rateMax``), choices ``radiogroup``
and ``checkbox``, open prompts ``comment``; ``show_if`` becomes ``visibleIf``. What SurveyJS
has no word for (the cxloop type, a statement id, a measure, the survey's audience…) travels
in ``cxloop*`` properties, which SurveyJS keeps and ignores, so a round trip loses nothing.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cxloop.collect.surveys.conditions import Condition, parse_condition
from cxloop.collect.surveys.definitions import (
    CHOICE_TYPES,
    OPEN_TYPES,
    SCALES,
    SurveyDefinition,
    SurveyDefinitionError,
    Texts,
)
from cxloop.domain.records import LANGUAGES

_LOCALE_OUT = {"zh": "zh-cn"}
_LOCALE_IN = {"zh-cn": "zh", "zh-hans": "zh", "zh": "zh", "en": "en", "es": "es"}
_VISIBLE_IF = re.compile(
    r"^\s*\{(?P<q>[A-Za-z0-9_]+)\}\s*(?P<op>==|=|!=|<>|<=|>=|<|>|anyof)\s*(?P<v>.+?)\s*$",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]+>")


def _localised(texts: Texts | None, fallback: str) -> Any:
    if not texts:
        return None
    if set(texts) == {fallback}:
        return texts[fallback]
    out: dict[str, str] = {"default": texts[fallback]} if fallback in texts else {}
    for lang, text in texts.items():
        if lang != fallback:
            out[_LOCALE_OUT.get(lang, lang)] = text
    return out


def _condition_out(condition: Condition) -> str:
    def atom(value: object) -> str:
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() else str(value)
        return "'" + str(value).replace("'", "") + "'"

    if condition.op == "in":
        values = condition.value if isinstance(condition.value, tuple) else (condition.value,)
        return f"{{{condition.question}}} anyof [{', '.join(atom(v) for v in values)}]"
    op = "=" if condition.op == "==" else condition.op
    return f"{{{condition.question}}} {op} {atom(condition.value)}"


def to_surveyjs(survey: SurveyDefinition) -> dict[str, Any]:
    """The survey as a SurveyJS JSON document (one page)."""
    fallback = survey.fallback_language
    elements: list[dict[str, Any]] = []
    for q in survey.questions:
        element: dict[str, Any] = {"name": q.id, "title": _localised(q.text, fallback)}
        if q.bounds is not None:
            low, high = q.bounds
            element.update(type="rating", rateMin=low, rateMax=high)
            for key, label in (("minRateDescription", q.low_label), ("maxRateDescription",
                               q.high_label)):  # fmt: skip
                if label:
                    element[key] = _localised(label, fallback)
        elif q.type in CHOICE_TYPES:
            element["type"] = "radiogroup" if q.type == "single" else "checkbox"
            element["choices"] = [
                {"value": o.id, "text": _localised(o.text, fallback)} for o in q.options or []
            ]
        else:
            element["type"] = "comment"
        element["cxloopType"] = q.type
        if q.required:
            element["isRequired"] = True
        if q.condition is not None:
            element["visibleIf"] = _condition_out(q.condition)
        if q.statement:
            element["cxloopStatement"] = q.statement
        if q.measure:
            element["cxloopMeasure"] = q.measure
        elements.append(element)
    document: dict[str, Any] = {
        "locale": _LOCALE_OUT.get(fallback, fallback),
        "title": _localised(survey.title, fallback),
        "cxloop": {
            "id": survey.id,
            "version": survey.version,
            "audience": survey.audience,
            "touchpoint": survey.touchpoint,
            "team": survey.team,
            "languages": survey.languages,
            "anonymous": survey.anonymous,
        },
        "pages": [{"name": "page1", "elements": elements}],
    }
    if survey.intro:
        document["description"] = _localised(survey.intro, fallback)
    if survey.thanks:
        document["completedHtml"] = _localised(
            {k: html.escape(v) for k, v in survey.thanks.items()}, fallback
        )
    return document


class _Reader:
    """Turns one SurveyJS document into definition data, naming where a problem is."""

    def __init__(self, source: str, document: dict[str, Any]) -> None:
        self.source = source
        self.document = document
        meta = document.get("cxloop") if isinstance(document.get("cxloop"), dict) else {}
        self.meta: dict[str, Any] = meta or {}
        locale = str(document.get("locale") or "en").lower()
        self.fallback = _LOCALE_IN.get(locale, "")
        if not self.fallback:
            self.fail("locale", f"locale {locale!r} is not one of {', '.join(LANGUAGES)}")
        self.seen: set[str] = {self.fallback}

    def fail(self, where: str, problem: str) -> None:
        raise SurveyDefinitionError(f"{self.source}: {where}: {problem}")

    def texts(self, value: Any, where: str, *, strip_tags: bool = False) -> Texts | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = {"default": value}
        if not isinstance(value, dict):
            self.fail(where, "expected a text or a {locale: text} object")
        out: Texts = {}
        for key, text in value.items():
            lang = self.fallback if key == "default" else _LOCALE_IN.get(str(key).lower())
            if lang is None or not isinstance(text, str):
                continue  # a language cxloop does not serve
            if strip_tags:
                text = html.unescape(_TAG.sub("", text)).strip()
            out[lang] = text
            self.seen.add(lang)
        return out or None

    def condition(self, text: str, where: str) -> str:
        match = _VISIBLE_IF.match(text)
        if match is None:
            self.fail(where, f"visibleIf {text!r} is not '{{question}} op value'")
            raise AssertionError  # unreachable: fail raises
        op = {"=": "==", "<>": "!="}.get(match["op"].lower(), match["op"].lower())
        value = match["v"]
        if op == "anyof":
            op = "in"
        expression = f"{match['q']} {op} {value}"
        try:
            parse_condition(expression)
        except ValueError as exc:
            self.fail(where, str(exc))
        return expression

    def question(self, element: Any, where: str) -> dict[str, Any]:
        if not isinstance(element, dict) or not element.get("name"):
            self.fail(where, "expected an element with a name")
        name = str(element["name"])
        where = f"{where} {name!r}"
        kind = element.get("type")
        declared = element.get("cxloopType")
        out: dict[str, Any] = {"id": name, "text": self.texts(element.get("title") or name, where)}
        if kind == "rating":
            low = int(element.get("rateMin", 1))
            high = int(element.get("rateMax", low + int(element.get("rateCount", 5)) - 1))
            known = declared or next(
                (t for t, b in SCALES.items() if t == name and b == (low, high)), "rating"
            )
            out["type"] = known
            if known == "rating":
                out["scale"] = {"min": low, "max": high}
            elif SCALES.get(known) != (low, high):
                self.fail(where, f"a {known} question is scored {SCALES.get(known)}")
            for key, field in (("minRateDescription", "low_label"), ("maxRateDescription",
                               "high_label")):  # fmt: skip
                if element.get(key):
                    out[field] = self.texts(element[key], where)
        elif kind in ("radiogroup", "dropdown", "checkbox"):
            out["type"] = "multiple" if kind == "checkbox" else "single"
            options = []
            for choice in element.get("choices") or []:
                value, text = (
                    (choice.get("value"), choice.get("text"))
                    if isinstance(choice, dict)
                    else (choice, None)
                )
                options.append({"id": str(value), "text": self.texts(text or str(value), where)})
            out["options"] = options
        elif kind in ("comment", "text"):
            out["type"] = declared if declared in OPEN_TYPES else "text"
        else:
            self.fail(where, f"element type {kind!r} has no cxloop question type")
        if element.get("isRequired"):
            out["required"] = True
        if element.get("visibleIf"):
            out["show_if"] = self.condition(str(element["visibleIf"]), where)
        if element.get("cxloopStatement"):
            out["statement"] = element["cxloopStatement"]
        if element.get("cxloopMeasure"):
            out["measure"] = element["cxloopMeasure"]
        return out

    def survey(self, default_id: str) -> dict[str, Any]:
        questions = []
        pages = self.document.get("pages")
        if pages is None and "elements" in self.document:
            pages = [{"elements": self.document["elements"]}]
        for p, page in enumerate(pages or []):
            for e, element in enumerate(page.get("elements") or []):
                questions.append(self.question(element, f"pages[{p}].elements[{e}]"))
        data: dict[str, Any] = {
            "id": self.meta.get("id") or default_id,
            "title": self.texts(self.document.get("title") or default_id, "title"),
            "intro": self.texts(self.document.get("description"), "description"),
            "thanks": self.texts(
                self.document.get("completedHtml"), "completedHtml", strip_tags=True
            ),
            "questions": questions,
        }
        for key in ("version", "audience", "touchpoint", "team", "anonymous"):
            if self.meta.get(key) is not None:
                data[key] = self.meta[key]
        order = self.meta.get("languages") or [
            self.fallback,
            *(lang for lang in LANGUAGES if lang != self.fallback),
        ]
        data["languages"] = [lang for lang in order if lang in self.seen]
        return {k: v for k, v in data.items() if v is not None}


def from_surveyjs(document: dict[str, Any], *, source: str = "SurveyJS JSON",
                  default_id: str = "survey") -> SurveyDefinition:  # fmt: skip
    """A survey definition from a SurveyJS JSON document.

    Raises
    ------
    SurveyDefinitionError
        ``source: where: what`` for an element cxloop cannot represent or invalid data.
    """
    if not isinstance(document, dict):
        raise SurveyDefinitionError(f"{source}: expected a JSON object at the top level")
    data = _Reader(source, document).survey(default_id)
    try:
        return SurveyDefinition.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise SurveyDefinitionError(f"{source}: {where}: {first['msg']}") from exc


def read_surveyjs(path: str | Path) -> SurveyDefinition:
    """Import a SurveyJS JSON file; the id defaults to a slug of the file name."""
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SurveyDefinitionError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SurveyDefinitionError(f"{path}: cannot read: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise SurveyDefinitionError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}") from exc
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "survey"
    return from_surveyjs(document, source=str(path), default_id=slug)
