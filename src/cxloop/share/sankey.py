"""A Sankey diagram laid out on the server: node rectangles and link bands as SVG geometry.

Vega-Lite has no Sankey mark, so the page draws this one as inline SVG from the positions
computed here (no script, nothing fetched). Pure: columns of nodes and the links between them
in, coordinates and SVG path data out; labels come in already translated.

Layout: one column per step, the same touchpoint order in every column (the busiest first), node
heights proportional to journeys on one scale for the whole chart; links leave a node from its
top in the order of their targets and enter the next column in the order of their sources, so
bands do not cross inside a node. What ends at a node (drop-off) is drawn as a grey stub
beside its lower part.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cxloop.share.charts import PALETTE

NODE_WIDTH = 14.0
NODE_GAP = 10.0
STUB_WIDTH = 18.0
MIN_HEIGHT = 1.0
DROP_COLOUR = "#9CA3AF"


@dataclass(frozen=True)
class SankeyNodeInput:
    step: int
    key: str
    label: str
    value: int
    ended: int = 0


@dataclass(frozen=True)
class SankeyLinkInput:
    step: int
    source: str
    target: str
    value: int


@dataclass(frozen=True)
class SankeyNode:
    """A placed node: its rectangle, its drop-off stub and its label position."""

    step: int
    key: str
    label: str
    value: int
    ended: int
    x: float
    y: float
    width: float
    height: float
    colour: str
    stub_y: float
    stub_height: float
    label_x: float
    label_y: float
    label_anchor: str
    show_label: bool


@dataclass(frozen=True)
class SankeyLink:
    """A placed link band: SVG path data, its colour and what it carries."""

    step: int
    source: str
    target: str
    source_label: str
    target_label: str
    value: int
    path: str
    colour: str


@dataclass(frozen=True)
class SankeyLayout:
    width: float
    height: float
    nodes: list[SankeyNode]
    links: list[SankeyLink]
    columns: list[tuple[int, float]]
    """(step, x of the column's centre) for column headings"""


def touchpoint_colours(order: Sequence[str]) -> dict[str, str]:
    """One colour per touchpoint, in ``order`` (Okabe & Ito's palette, then repeating)."""
    return {key: PALETTE[i % (len(PALETTE) - 1)] for i, key in enumerate(order)}


def _band(x0: float, y0: float, x1: float, y1: float, thickness: float) -> str:
    """A band of ``thickness`` from (x0, y0) to (x1, y1) (top edges), with cubic curves."""
    mid = (x0 + x1) / 2
    return (
        f"M{x0:.1f},{y0:.1f} C{mid:.1f},{y0:.1f} {mid:.1f},{y1:.1f} {x1:.1f},{y1:.1f} "
        f"L{x1:.1f},{y1 + thickness:.1f} C{mid:.1f},{y1 + thickness:.1f} {mid:.1f},"
        f"{y0 + thickness:.1f} {x0:.1f},{y0 + thickness:.1f} Z"
    )


def sankey_layout(
    nodes: Sequence[SankeyNodeInput],
    links: Sequence[SankeyLinkInput],
    *,
    width: float = 760.0,
    height: float = 360.0,
    label_room: float = 110.0,
    colours: Mapping[str, str] | None = None,
) -> SankeyLayout:
    """Place ``nodes`` in columns by step and route ``links`` between them.

    Examples
    --------
    >>> layout = sankey_layout(
    ...     [SankeyNodeInput(1, "web", "Web", 10, 4), SankeyNodeInput(2, "billing", "Billing", 6)],
    ...     [SankeyLinkInput(1, "web", "billing", 6)], width=400, height=200)
    >>> [round(n.height) for n in layout.nodes], len(layout.links)
    ([200, 120], 1)
    """
    steps = sorted({n.step for n in nodes})
    if not steps:
        return SankeyLayout(width, height, [], [], [])
    totals: dict[str, int] = defaultdict(int)
    for n in nodes:
        totals[n.key] += n.value
    order = sorted(totals, key=lambda k: (-totals[k], k))
    rank = {key: i for i, key in enumerate(order)}
    palette = dict(colours) if colours else touchpoint_colours(order)
    by_step: dict[int, list[SankeyNodeInput]] = defaultdict(list)
    for n in nodes:
        by_step[n.step].append(n)
    for column in by_step.values():
        column.sort(key=lambda n: rank[n.key])
    scale = min(
        (height - NODE_GAP * (len(column) - 1)) / max(1, sum(n.value for n in column))
        for column in by_step.values()
    )
    usable = width - label_room - NODE_WIDTH - STUB_WIDTH
    spacing = usable / max(1, len(steps) - 1)
    x_of = {step: i * spacing for i, step in enumerate(steps)}
    placed: dict[tuple[int, str], SankeyNode] = {}
    for step in steps:
        y = 0.0
        for n in by_step[step]:
            h = max(MIN_HEIGHT, n.value * scale)
            stub = n.ended * scale
            last = step == steps[-1]
            x = x_of[step]
            placed[(step, n.key)] = SankeyNode(
                step=step, key=n.key, label=n.label, value=n.value, ended=n.ended, x=x, y=y,
                width=NODE_WIDTH, height=h, colour=palette.get(n.key, DROP_COLOUR),
                stub_y=y + h - stub, stub_height=stub,
                label_x=x + NODE_WIDTH + (STUB_WIDTH if last or stub > 0 else 0) + 4,
                label_y=y + h / 2, label_anchor="start", show_label=h >= 9,
            )  # fmt: skip
            y += h + NODE_GAP
    out_offset: dict[tuple[int, str], float] = defaultdict(float)
    in_offset: dict[tuple[int, str], float] = defaultdict(float)
    routed = [
        link for link in links
        if (link.step, link.source) in placed and (link.step + 1, link.target) in placed
    ]  # fmt: skip
    routed.sort(key=lambda link: (link.step, rank[link.source], rank[link.target]))
    bands = []
    for link in routed:
        source = placed[(link.step, link.source)]
        target = placed[(link.step + 1, link.target)]
        thickness = link.value * scale
        y0 = source.y + out_offset[(link.step, link.source)]
        y1 = target.y + in_offset[(link.step + 1, link.target)]
        out_offset[(link.step, link.source)] += thickness
        in_offset[(link.step + 1, link.target)] += thickness
        bands.append(SankeyLink(
            step=link.step, source=link.source, target=link.target,
            source_label=source.label, target_label=target.label, value=link.value,
            path=_band(source.x + NODE_WIDTH, y0, target.x, y1, thickness),
            colour=source.colour,
        ))  # fmt: skip
    columns = [(step, x_of[step] + NODE_WIDTH / 2) for step in steps]
    return SankeyLayout(width, height, list(placed.values()), bands, columns)
