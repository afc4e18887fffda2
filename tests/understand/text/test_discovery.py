"""Theme discovery among comments the taxonomy misses, and promoting a theme into a project."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from cxloop.errors import ConfigError, UsageError
from cxloop.project import init_project
from cxloop.understand.text.discovery import DiscoveredTheme, discover_themes, promote_theme
from cxloop.understand.text.taxonomy import load_taxonomy
from cxloop.understand.text.themes import KeywordThemeTagger
from understand.text.theme_data import demo_comments

ASSEMBLY = [
    "The assembly instructions for the wardrobe were impossible to follow.",
    "Assembling the bed frame took me {n} hours, the instructions are useless.",
    "No assembly instructions in the box at all.",
    "Assembly was a nightmare: the holes do not line up.",
    "Please offer an assembly service, I cannot assemble furniture myself.",
    "The instructions show a different model, so assembly took {n} hours.",
    "Self assembly should not need two people and {n} hours.",
    "I gave up on the assembly halfway, the diagrams make no sense.",
]
GIFT_CARDS_ZH = [
    "礼品卡余额不见了，客户说查不到。",
    "生日收到的礼品卡过期了，没有任何提醒。",
    "礼品卡在网上不能使用，只能去实体店。",
    "朋友送的礼品卡激活不了。",
    "礼品卡的余额在哪里查询？",
    "礼品卡不能和优惠券一起用吗",
    "公司发的礼品卡面值{n}元，结果只能买指定商品。",
    "用礼品卡买东西，退的时候钱没有退回礼品卡。",
]


def planted(seed: int = 4) -> tuple[list[str], list[str]]:
    rnd = random.Random(seed)
    texts, languages = [], []
    for language in ("en", "es", "zh"):
        for text, _ in demo_comments(language, 400, seed=seed):
            texts.append(text)
            languages.append(language)
    for _ in range(40):
        texts.append(rnd.choice(ASSEMBLY).format(n=rnd.randint(2, 9)))
        languages.append("en")
    for _ in range(30):
        texts.append(rnd.choice(GIFT_CARDS_ZH).format(n=rnd.choice((100, 200, 500))))
        languages.append("zh")
    return texts, languages


@pytest.fixture(scope="module")
def discovered() -> list[DiscoveredTheme]:
    texts, languages = planted()
    return discover_themes(texts, languages, taxonomy=load_taxonomy(None), random_state=0)


def _about(themes: list[DiscoveredTheme], language: str, stem: str) -> list[DiscoveredTheme]:
    return [t for t in themes if t.language == language and any(stem in w for w in t.terms)]


def test_a_planted_theme_is_found_with_readable_labels(discovered: list[DiscoveredTheme]) -> None:
    # near-identical comments may split a theme in two or three: together they hold it
    assembly = _about(discovered, "en", "assembl")
    assert sum(t.size for t in assembly) >= 30  # of 40
    for theme in assembly:
        assert " / " in theme.label
        assert all("assembl" in e.lower() or "instructions" in e for e in theme.examples)
        assert 0 < theme.share < 1
    biggest = max(assembly, key=lambda t: t.size)
    assert len(biggest.examples) == 3
    gift = _about(discovered, "zh", "卡")
    assert sum(t.size for t in gift) >= 15  # of the 22 or so that no default theme covers
    assert all(t.id.startswith("new_zh_theme") for t in gift)  # no id from Chinese terms
    assert len({t.id for t in discovered}) == len(discovered)
    assert [t.size for t in discovered] == sorted((t.size for t in discovered), reverse=True)


def test_covered_comments_are_left_out(discovered: list[DiscoveredTheme]) -> None:
    tagger = KeywordThemeTagger(load_taxonomy(None))
    for theme in discovered:
        assert all(tagger.tag_one(e, theme.language) == () for e in theme.examples)


def test_without_a_taxonomy_every_comment_counts() -> None:
    texts = ["The courier was late."] * 6 + ["The invoice was wrong."] * 6
    themes = discover_themes(texts, ["en"] * 12, max_themes=2, min_size=3)
    assert {t.terms[0] for t in themes} <= {"courier", "late", "courier late", "invoice", "wrong",
                                            "invoice wrong"}  # fmt: skip
    assert sum(t.size for t in themes) == 12


def test_too_few_comments_give_nothing_and_bad_arguments_are_refused() -> None:
    assert discover_themes(["short"], ["en"]) == []
    assert discover_themes([], []) == []
    with pytest.raises(UsageError, match="2 texts but 1 languages"):
        discover_themes(["a", "b"], ["en"])
    with pytest.raises(UsageError, match="min_size"):
        discover_themes(["a"], ["en"], min_size=1)


def test_promote_writes_the_theme_and_keeps_the_comments(
    tmp_path: Path, discovered: list[DiscoveredTheme]
) -> None:
    init_project(tmp_path)
    path = tmp_path / "themes" / "en.yaml"
    before = path.read_text(encoding="utf-8")
    assembly = max(_about(discovered, "en", "assembl"), key=lambda t: t.size)
    text = "Assembling the cupboard took all day"
    assert KeywordThemeTagger(load_taxonomy(tmp_path)).tag_one(text, "en") == ()
    promoted = promote_theme(
        tmp_path,
        assembly,
        theme_id="assembly",
        label="Assembly",
        keywords=["assembl*", "instructions"],
    )
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n"))  # comments and themes as they were
    assert "# promoted from theme discovery" in after
    assert promoted.path == path and promoted.keywords == ("assembl*", "instructions")
    taxonomy = load_taxonomy(tmp_path)
    assert taxonomy.label("assembly") == "Assembly"
    assert KeywordThemeTagger(taxonomy).tag_one(text, "en") == ("assembly",)
    with pytest.raises(UsageError, match="already exists"):
        promote_theme(tmp_path, assembly, theme_id="assembly")


def test_promote_creates_a_missing_file_and_extends_defaults(
    tmp_path: Path, discovered: list[DiscoveredTheme]
) -> None:
    gift = max(_about(discovered, "zh", "卡"), key=lambda t: t.size)
    promoted = promote_theme(tmp_path, gift, theme_id="gift_cards", keywords=["礼品卡"])
    assert promoted.path == tmp_path / "themes" / "zh.yaml"
    assert promoted.label == gift.label
    assert KeywordThemeTagger(load_taxonomy(tmp_path)).tag_one("礼品卡过期了", "zh") == (
        "gift_cards",
    )
    extended = promote_theme(tmp_path, gift, theme_id="returns", keywords=["退卡"], extend=True)
    assert extended.label == "退货与退款"
    returns = next(t for t in load_taxonomy(tmp_path).themes("zh") if t.id == "returns")
    assert returns.keywords[0] == "退货" and returns.keywords[-1] == "退卡"
    with pytest.raises(UsageError, match="does not exist"):
        promote_theme(tmp_path, gift, theme_id="nothing_here", extend=True)
    with pytest.raises(UsageError, match="must be lower-case"):
        promote_theme(tmp_path, gift, theme_id="Gift Cards")


@pytest.mark.parametrize(
    "text",
    [
        "language: en\n",
        "language: en\nthemes:\n",
        "language: en\nthemes: {}\n# the end\n",
        "language: en\nthemes: {a: [x]}\n",
        "# header\nlanguage: en\nthemes:\n    a:\n        - x\n# trailing comment\n",
        "themes:\n  a:\n    keywords: [x]\n    phrases:\n      - y z\n\n# about b\nlanguage: en\n",
    ],
)
def test_promote_fits_any_layout(tmp_path: Path, text: str) -> None:
    path = tmp_path / "themes" / "en.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    theme = DiscoveredTheme(
        id="parking", language="en", label="parking / car park", terms=("parking", "car park"),
        size=9, share=0.1, examples=(),
    )  # fmt: skip
    promote_theme(tmp_path, theme)
    themes = {t.id: t for t in load_taxonomy(tmp_path, defaults=False).themes("en")}
    assert themes["parking"].keywords == ("parking", "car park")
    if "a:" in text:
        assert "a" in themes
    after = path.read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("#"):
            assert line in after


def test_an_invalid_file_is_reported_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "themes" / "en.yaml"
    path.parent.mkdir()
    path.write_text("language: en\nthemes:\n  a: 5\n", encoding="utf-8")
    theme = DiscoveredTheme(
        id="b", language="en", label="b", terms=("b",), size=5, share=1.0, examples=()
    )
    with pytest.raises(ConfigError, match=r"en.yaml:3: themes.a"):
        promote_theme(tmp_path, theme)
    assert path.read_text(encoding="utf-8") == "language: en\nthemes:\n  a: 5\n"


def test_a_theme_of_undetermined_language_needs_a_language(tmp_path: Path) -> None:
    theme = DiscoveredTheme(
        id="parking", language="und", label="parking", terms=("parking",), size=5, share=1.0,
        examples=(),
    )  # fmt: skip
    with pytest.raises(UsageError, match="cannot write a taxonomy for language 'und'"):
        promote_theme(tmp_path, theme)
    promoted = promote_theme(tmp_path, theme, language="en")
    assert promoted.language == "en" and promoted.path.name == "en.yaml"
    tagger = KeywordThemeTagger(load_taxonomy(tmp_path))
    assert "parking" in tagger.tag_one("no parking at all", "und")
