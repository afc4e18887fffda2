"""The server-side Sankey layout: columns by step, one scale, bands that fit their nodes, and
drop-off stubs; the moments-of-truth chart spec is valid Vega-Lite."""

from __future__ import annotations

import json
import re
from pathlib import Path

import altair
import jsonschema
import pytest

from cxloop.share.moments_chart import moments_of_truth_chart
from cxloop.share.sankey import SankeyLinkInput, SankeyNodeInput, sankey_layout

SCHEMA = Path(altair.__file__).parent / "vegalite" / "v6" / "schema" / "vega-lite-schema.json"

NODES = [
    SankeyNodeInput(1, "web", "Web", 60, 20),
    SankeyNodeInput(1, "app", "App", 40, 40),
    SankeyNodeInput(2, "billing", "Billing", 40, 0),
    SankeyNodeInput(3, "delivery", "Delivery", 40, 40),
]
LINKS = [
    SankeyLinkInput(1, "web", "billing", 40),
    SankeyLinkInput(2, "billing", "delivery", 40),
    SankeyLinkInput(1, "app", "nowhere", 5),  # no such node: left out
]


def _numbers(path: str) -> list[float]:
    return [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", path)]


def test_columns_scale_and_order() -> None:
    layout = sankey_layout(NODES, LINKS, width=500, height=220, label_room=100)
    by_key = {(n.step, n.key): n for n in layout.nodes}
    web, app = by_key[(1, "web")], by_key[(1, "app")]
    # one scale for the chart: the fullest column (100 journeys, one gap) fills the height
    scale = (220 - 10) / 100
    assert web.height == pytest.approx(60 * scale) and app.height == pytest.approx(40 * scale)
    assert web.y == 0 and app.y == pytest.approx(web.height + 10)  # busiest touchpoint on top
    assert by_key[(2, "billing")].height == pytest.approx(40 * scale)
    assert [x for _, x in layout.columns] == sorted(x for _, x in layout.columns)
    assert {n.x for n in layout.nodes if n.step == 1} == {0.0}
    last = max(n.x + n.width for n in layout.nodes)
    assert last <= 500 - 100  # room for the last column's labels
    # drop-off stubs sit at the bottom of their node and are as tall as what ends there
    assert web.stub_height == pytest.approx(20 * scale)
    assert web.stub_y + web.stub_height == pytest.approx(web.y + web.height)
    assert by_key[(2, "billing")].stub_height == 0


def test_links_leave_and_enter_their_nodes() -> None:
    layout = sankey_layout(NODES, LINKS, width=500, height=220, label_room=100)
    assert [(k.source, k.target) for k in layout.links] == [
        ("web", "billing"), ("billing", "delivery"),
    ]  # fmt: skip
    web = next(n for n in layout.nodes if n.key == "web")
    billing = next(n for n in layout.nodes if n.key == "billing")
    band = layout.links[0]
    numbers = _numbers(band.path)
    x0, y0, x1, y1 = numbers[0], numbers[1], numbers[6], numbers[7]
    assert x0 == pytest.approx(web.x + web.width, abs=0.05) and y0 == pytest.approx(web.y)
    assert x1 == pytest.approx(billing.x, abs=0.05) and y1 == pytest.approx(billing.y, abs=0.05)
    assert numbers[9] - numbers[7] == pytest.approx(billing.height, abs=0.1)  # band thickness
    assert band.colour == web.colour and band.source_label == "Web"


def test_no_nodes_is_an_empty_layout() -> None:
    layout = sankey_layout([], [])
    assert layout.nodes == [] and layout.links == [] and layout.columns == []


def test_moments_chart_is_valid_vega_lite() -> None:
    spec = moments_of_truth_chart(
        [{"touchpoint": "Delivery", "effect": -2.4, "low": -2.6, "high": -2.2, "exposed": 756},
         {"touchpoint": "Web", "effect": -0.3, "low": -0.6, "high": -0.1, "exposed": 194}],
        locale={"number": {"decimal": ",", "thousands": ".", "grouping": [3],
                           "currency": ["", " €"]}},
    )  # fmt: skip
    jsonschema.validate(spec, json.loads(SCHEMA.read_text()))
    dots = spec["layer"][2]
    assert dots["mark"]["type"] == "circle"
    assert spec["layer"][1]["encoding"]["y"]["sort"] == ["Delivery", "Web"]
    assert spec["config"]["locale"]["number"]["decimal"] == ","
