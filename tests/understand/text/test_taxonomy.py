"""Theme taxonomies: the shipped defaults, a project's files over them, and errors that say
where a file is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxloop.demo.comments import THEMES
from cxloop.errors import ConfigError
from cxloop.project import init_project
from cxloop.understand.text.taxonomy import load_taxonomy


def write(project: Path, language: str, text: str) -> Path:
    path = project / "themes" / f"{language}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_cover_the_demo_themes_in_every_language() -> None:
    taxonomy = load_taxonomy(None)
    assert set(taxonomy.languages) == {"en", "es", "zh"}
    ids = {lang: {t.id for t in taxonomy.themes(lang)} for lang in taxonomy.languages}
    assert ids["en"] == ids["es"] == ids["zh"]
    assert set(THEMES) <= ids["en"]
    assert len(ids["en"]) > len(THEMES)  # and common CX themes beyond the demo's
    assert taxonomy.label("returns", "es") == "Devoluciones y reembolsos"
    assert taxonomy.label("returns", "zh") == "退货与退款"
    assert taxonomy.label("returns", "fr") == "Returns and refunds"
    assert taxonomy.label("no_such_theme") == "no_such_theme"


def test_a_project_adds_replaces_and_extends_themes(tmp_path: Path) -> None:
    write(
        tmp_path,
        "en",
        """
language: en
themes:
  parking: [car park, parking]
  price:
    label: Prices
    keywords: [price]
  delivery:
    extend: true
    phrases: [click and collect]
""",
    )
    taxonomy = load_taxonomy(tmp_path)
    themes = {t.id: t for t in taxonomy.themes("en")}
    assert themes["parking"].keywords == ("car park", "parking")
    assert themes["parking"].label == "Parking"
    assert themes["price"].keywords == ("price",) and themes["price"].phrases == ()
    assert themes["delivery"].label == "Delivery"
    assert "courier*" in themes["delivery"].keywords
    assert themes["delivery"].phrases[-1] == "click and collect"
    assert {t.id for t in taxonomy.themes("es")} == {t.id for t in load_taxonomy(None).themes("es")}


def test_include_defaults_false_keeps_only_the_file(tmp_path: Path) -> None:
    write(tmp_path, "en", "language: en\ninclude_defaults: false\nthemes:\n  a: [x]\n")
    write(tmp_path, "fr", "language: fr\nthemes:\n  livraison: [livraison, colis]\n")
    taxonomy = load_taxonomy(tmp_path)
    assert [t.id for t in taxonomy.themes("en")] == ["a"]
    assert [t.id for t in taxonomy.themes("fr")] == ["livraison"]
    assert "delivery" in {t.id for t in taxonomy.themes("zh")}
    assert [t.id for t in load_taxonomy(tmp_path, defaults=False).themes("zh")] == []


def test_the_starter_project_has_valid_taxonomies(tmp_path: Path) -> None:
    init_project(tmp_path / "p")
    taxonomy = load_taxonomy(tmp_path / "p")
    for language in ("en", "es", "zh"):
        assert "gift_cards" in {t.id for t in taxonomy.themes(language)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "language: en\nthemes:\n  Bad-Id: [x]\n",
            ":3: themes.Bad-Id.[key]: Value error, theme id 'Bad-Id'",
        ),
        ("language: en\nthemes:\n  a:\n    keywords: 5\n", ":4: themes.a.keywords: "),
        ("language: en\nthemes:\n  a:\n    keyword: [x]\n", ":4: themes.a.keyword: Extra inputs"),
        (
            "language: en\nthemes:\n  a:\n    label: A\n",
            ":3: themes.a: Value error, a theme needs at least one keyword",
        ),
        ("language: en\nthemes:\n  a: [re*fund]\n", "'*' is allowed only at the end"),
        ("language: en\nthemes:\n  a: ['  ']\n", "empty keyword or phrase"),
        ("language: es\nthemes: {}\n", ":1: language: 'es' does not match the file name"),
        ("themes:\n  a: [x]\n", ":1: language: Field required"),
        ("language: und\nthemes: {}\n", ":1: language: Value error, 'und' (undetermined)"),
        ("language: en\nthemes:\n  a: [x\n", ": invalid YAML"),
    ],
)
def test_errors_name_the_file_line_and_field(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, "en", text)
    with pytest.raises(ConfigError) as caught:
        load_taxonomy(tmp_path)
    assert str(path) in caught.value.message
    assert expected in caught.value.message
