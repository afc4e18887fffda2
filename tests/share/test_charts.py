"""Chart specs are plain, valid Vega-Lite data."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import altair
import jsonschema
import pandas as pd
import pytest

from cxloop.share.charts import PALETTE, axis_date_format, chart_locale, feedback_volume_chart

SCHEMA = json.loads(
    (Path(altair.__file__).parent / "vegalite/v6/schema/vega-lite-schema.json").read_text()
)


def volume(rows: list[tuple[str, str | None, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "week": [date.fromisoformat(w) for w, _, _ in rows],
            "group": [g for _, g, _ in rows],
            "count": [c for _, _, c in rows],
        }
    )


def test_the_spec_is_valid_vega_lite_with_inline_data() -> None:
    frame = volume([("2026-01-05", "English", 3), ("2026-01-05", "Spanish", 2),
                    ("2026-01-12", "English", 4)])  # fmt: skip
    spec = feedback_volume_chart(frame, description="Weekly feedback")
    jsonschema.validate(spec, SCHEMA)
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
    assert spec["data"]["values"] == [
        {"week": "2026-01-05", "group": "English", "count": 3},
        {"week": "2026-01-05", "group": "Spanish", "count": 2},
        {"week": "2026-01-12", "group": "English", "count": 4},
    ]
    assert spec["description"] == "Weekly feedback"
    assert spec["width"] == "container"
    json.dumps(spec)  # JSON-ready as it is


def test_quiet_weeks_keep_their_place_on_the_axis() -> None:
    spec = feedback_volume_chart(volume([("2026-01-05", "a", 1), ("2026-01-26", "a", 2)]))
    weeks = {v["week"]: v["count"] for v in spec["data"]["values"]}
    assert weeks == {"2026-01-05": 1, "2026-01-12": 0, "2026-01-19": 0, "2026-01-26": 2}


def test_groups_keep_their_colour_in_the_order_given() -> None:
    frame = volume([("2026-01-05", "zh", 1), ("2026-01-05", "en", 1), ("2026-01-05", "xx", 1)])
    color = feedback_volume_chart(frame, groups=["en", "es", "zh"])["encoding"]["color"]
    assert color["scale"]["domain"] == ["en", "zh", "xx"]
    assert color["scale"]["range"][:3] == list(PALETTE[:3])


def test_titles_and_locale_are_passed_in() -> None:
    spec = feedback_volume_chart(
        volume([("2026-01-05", "inglés", 1)]),
        week_title="Semana",
        count_title="Opiniones",
        group_title="Idioma",
        locale=chart_locale("es"),
        date_format=axis_date_format("es"),
    )
    jsonschema.validate(spec, SCHEMA)
    assert spec["encoding"]["x"]["title"] == "Semana"
    assert spec["encoding"]["y"]["title"] == "Opiniones"
    assert spec["encoding"]["color"]["title"] == "Idioma"
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["config"]["locale"]["time"]["shortMonths"][0] == "ene"
    assert spec["encoding"]["x"]["axis"]["format"] == "%-d %b"


@pytest.mark.parametrize(("language", "month"), [("en", "January"), ("zh", "一月")])
def test_chart_locales(language: str, month: str) -> None:
    assert chart_locale(language)["time"]["months"][0] == month
    assert chart_locale("xx") == chart_locale("en")


def test_an_empty_frame_gives_an_empty_chart() -> None:
    spec = feedback_volume_chart(volume([]))
    assert spec["data"]["values"] == []
    jsonschema.validate(spec, SCHEMA)
