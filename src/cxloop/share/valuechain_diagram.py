"""The value chain's path diagram as server-side SVG: a box per construct, an arrow per path.

Constructs are laid out top to bottom by their depth in the path graph (the longest route
from a construct with no predecessor), side by side within a row, so a chain reads downwards
and fits beside its table. An arrow between neighbouring rows is straight; one that skips rows
bends to the right, around the boxes between. Each arrow carries its coefficient and bootstrap
interval; an arrow whose interval excludes zero is drawn solid, others dashed and grey, and its
width grows with the size of the coefficient. Each endogenous box shows its R². Every text is
escaped; the caller passes labels already translated.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from cxloop.domain.valuechain import ValueChainFit

BOX_W, BOX_H, GAP_X, GAP_Y, PAD, LABEL_W, BEND = 170, 56, 60, 64, 12, 150, 70


def _depths(fit: ValueChainFit) -> dict[str, int]:
    names = [c.name for c in fit.constructs]  # topological order
    depth = dict.fromkeys(names, 0)
    for name in names:
        for path in fit.paths:
            if path.target == name:
                depth[name] = max(depth[name], depth[path.source] + 1)
    return depth


def path_diagram_svg(
    fit: ValueChainFit,
    *,
    title: str,
    r2_label: str,
    number: Callable[[float], str],
    labels: dict[str, str] | None = None,
) -> str:
    """The diagram as an ``<svg>`` element (a string of safe, escaped markup).

    Parameters
    ----------
    fit
        The fitted model.
    title
        The accessible title of the image.
    r2_label
        "R²" in the reader's language.
    number
        Formats a coefficient (the reader's locale, two decimals).
    labels
        Construct name → the name to show (defaults to the name).
    """
    labels = labels or {}
    depth = _depths(fit)
    rows: dict[int, list[str]] = {}
    for c in fit.constructs:
        rows.setdefault(depth[c.name], []).append(c.name)
    widest = max(len(v) for v in rows.values())
    skips = max((depth[p.target] - depth[p.source] for p in fit.paths), default=1)
    content_w = widest * BOX_W + (widest - 1) * GAP_X
    width = PAD * 2 + content_w + LABEL_W + (BEND * (skips - 1) if skips > 1 else 0)
    height = PAD * 2 + len(rows) * BOX_H + (len(rows) - 1) * GAP_Y
    place: dict[str, tuple[float, float]] = {}
    for row, names in rows.items():
        offset = (content_w - (len(names) * BOX_W + (len(names) - 1) * GAP_X)) / 2
        for col, name in enumerate(names):
            place[name] = (PAD + offset + col * (BOX_W + GAP_X), PAD + row * (BOX_H + GAP_Y))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="path-diagram" role="img" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" aria-labelledby="path-diagram-title">',
        f'<title id="path-diagram-title">{escape(title)}</title>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="5" '
        'markerHeight="5" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
        'fill="context-stroke"/></marker></defs>',
    ]
    for path in fit.paths:
        sx, sy = place[path.source]
        tx, ty = place[path.target]
        x1, y1, x2, y2 = sx + BOX_W / 2, sy + BOX_H, tx + BOX_W / 2, ty
        span = depth[path.target] - depth[path.source]
        if span > 1:  # bend right, around the rows between
            x1, y1, x2, y2 = sx + BOX_W, sy + BOX_H / 2, tx + BOX_W, ty + BOX_H / 2
            bulge = max(x1, x2) + BEND * span
            geometry = (
                f'd="M {x1:.1f} {y1:.1f} Q {bulge:.1f} {(y1 + y2) / 2:.1f} {x2:.1f} {y2:.1f}"'
            )
            shape, lx, ly = "path", (x1 + x2) / 4 + bulge / 2, (y1 + y2) / 2
        else:
            geometry = f'x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"'
            shape, lx, ly = "line", (x1 + x2) / 2 + 10, (y1 + y2) / 2
        significant = (
            path.ci_low is not None
            and path.ci_high is not None
            and (path.ci_low > 0 or path.ci_high < 0)
        )
        stroke = 1.5 + 4 * min(abs(path.coef), 1.0)
        style = "significant" if significant else "uncertain"
        parts.append(
            f'<g class="path-arrow {style}"><{shape} {geometry} fill="none" '
            f'stroke-width="{stroke:.1f}" marker-end="url(#arrow)"/>'
            f'<text x="{lx:.1f}" y="{ly - 2:.1f}" class="coef">{escape(number(path.coef))}</text>'
        )
        if path.ci_low is not None and path.ci_high is not None:
            interval = f"[{number(path.ci_low)}, {number(path.ci_high)}]"
            parts.append(
                f'<text x="{lx:.1f}" y="{ly + 13:.1f}" class="interval">{escape(interval)}</text>'
            )
        parts.append("</g>")
    for c in fit.constructs:
        x, y = place[c.name]
        parts.append(
            f'<g class="construct"><rect x="{x:.1f}" y="{y:.1f}" width="{BOX_W}" height="{BOX_H}" '
            'rx="8"/>'
            f'<text x="{x + BOX_W / 2:.1f}" y="{y + 23:.1f}" class="name">'
            f"{escape(labels.get(c.name, c.name))}</text>"
        )
        if c.r2 is not None:
            parts.append(
                f'<text x="{x + BOX_W / 2:.1f}" y="{y + 43:.1f}" class="r2">'
                f"{escape(r2_label)} = {escape(number(c.r2))}</text>"
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
