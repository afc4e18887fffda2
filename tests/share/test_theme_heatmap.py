"""The theme × sentiment heat map spec: its data, order, labels and size."""

from __future__ import annotations

import pandas as pd
import vl_convert

from cxloop.share.charts import chart_locale
from cxloop.share.theme_heatmap import theme_sentiment_heatmap


def matrix(themes: dict[str, tuple[int, int, int]]) -> pd.DataFrame:
    frame = pd.DataFrame(
        list(themes.values()), columns=["negative", "neutral", "positive"], index=list(themes)
    )
    frame["total"] = frame.sum(axis=1)
    return frame


def test_cells_labels_and_order() -> None:
    spec = theme_sentiment_heatmap(
        matrix({"delivery": (5, 1, 0), "价格": (0, 2, 7)}),
        sentiment_labels=["Negativo", "Neutro", "Positivo"],
        theme_title="Tema",
        description="Mapa de calor",
        locale=chart_locale("es"),
    )
    values = spec["data"]["values"]
    assert values[:3] == [
        {"theme": "delivery", "sentiment": "Negativo", "count": 5},
        {"theme": "delivery", "sentiment": "Neutro", "count": 1},
        {"theme": "delivery", "sentiment": "Positivo", "count": 0},
    ]
    cells, numbers = spec["layer"]
    assert cells["mark"]["type"] == "rect" and numbers["mark"]["type"] == "text"
    assert cells["encoding"]["y"]["sort"] == ["delivery", "价格"]
    assert cells["encoding"]["x"]["sort"] == ["Negativo", "Neutro", "Positivo"]
    assert cells["encoding"]["y"]["title"] == "Tema"
    assert cells["encoding"]["color"]["scale"]["domain"] == [0, 7]
    assert spec["description"] == "Mapa de calor"
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    svg = vl_convert.vegalite_to_svg(spec)
    assert "delivery" in svg and "价格" in svg


def test_only_the_most_mentioned_themes_are_drawn() -> None:
    many = matrix({f"theme{i:02d}": (i, 0, 0) for i in range(30, 0, -1)})
    spec = theme_sentiment_heatmap(many, max_themes=20)
    themes = {row["theme"] for row in spec["data"]["values"]}
    assert len(themes) == 20 and "theme30" in themes and "theme01" not in themes
    assert spec["height"] == 34 * 20


def test_an_all_zero_matrix_still_has_a_scale() -> None:
    spec = theme_sentiment_heatmap(matrix({"app": (0, 0, 0)}))
    assert spec["layer"][0]["encoding"]["color"]["scale"]["domain"] == [0, 1]
