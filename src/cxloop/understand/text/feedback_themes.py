"""Theme discovery over the analysed feedback that no theme covers, and promotion of a find.

:func:`discover_feedback_themes` hands the redacted text of the feedback whose insight has no
theme (the most recent first, up to ``limit``) to
:func:`~cxloop.understand.text.discovery.discover_themes`; :func:`promote_feedback_theme` runs the
same discovery again (it is repeatable: same data, same seed, same themes) and writes the one an
analyst picked into the project's ``themes/<language>.yaml``. The next ``cxloop text analyze``
sees a new taxonomy digest in the analyser's name and tags all feedback with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir

from cxloop.errors import NotFoundError, UsageError
from cxloop.storage import Warehouse

if TYPE_CHECKING:
    from cxloop.understand.text.discovery import DiscoveredTheme, PromotedTheme

DEFAULT_LIMIT = 20_000


def uncovered_feedback(warehouse: Warehouse, limit: int = DEFAULT_LIMIT) -> ir.Table:
    """The most recent analysed feedback with no theme: ``redacted_text``, ``language``."""
    insights = warehouse.table("feedback_insights")
    feedback = warehouse.table("feedback").select("feedback_id", "ts")
    uncovered = insights.filter(
        (insights.themes.fill_null("[]") == "[]")
        & insights.redacted_text.notnull()
        & (insights.redacted_text.strip().length() > 0)
    )
    joined = uncovered.left_join(feedback, "feedback_id")
    return (
        joined.order_by([ibis.desc(joined.ts), joined.feedback_id])
        .select(
            text=joined.redacted_text,
            language=joined.language.fill_null("und"),
        )
        .limit(limit)
    )


def discover_feedback_themes(
    warehouse: Warehouse,
    project_dir: Path,
    *,
    limit: int = DEFAULT_LIMIT,
    max_themes: int = 8,
    min_size: int = 5,
) -> list[DiscoveredTheme]:
    """Candidate new themes among analysed feedback that matches no theme.

    Parameters
    ----------
    warehouse
        A warehouse whose feedback has been analysed (``cxloop text analyze``).
    project_dir
        The project, whose taxonomy (``themes/*.yaml`` over the defaults) decides what is
        already covered.
    limit
        Look at this many uncovered comments at most, the most recent first.
    max_themes, min_size
        At most this many themes per language, each of at least this many comments.

    Returns
    -------
    list[DiscoveredTheme]
        Largest first, with readable labels, top terms and example (redacted) comments.
    """
    from cxloop.understand.text.discovery import discover_themes
    from cxloop.understand.text.taxonomy import load_taxonomy

    if limit < 1:
        raise UsageError(f"limit must be at least 1, not {limit}")
    rows = warehouse.to_pyarrow(uncovered_feedback(warehouse, limit))
    return list(
        discover_themes(
            rows["text"].to_pylist(),
            rows["language"].to_pylist(),
            taxonomy=load_taxonomy(project_dir),
            max_themes=max_themes,
            min_size=min_size,
        )
    )


def promote_feedback_theme(
    warehouse: Warehouse,
    project_dir: Path,
    discovered_id: str,
    *,
    theme_id: str | None = None,
    label: str | None = None,
    keywords: Sequence[str] | None = None,
    extend: bool = False,
    language: str | None = None,
    limit: int = DEFAULT_LIMIT,
    max_themes: int = 8,
    min_size: int = 5,
) -> PromotedTheme:
    """Write the discovered theme ``discovered_id`` into the project's taxonomy.

    Parameters
    ----------
    discovered_id
        The id :func:`discover_feedback_themes` gave the theme.
    theme_id, label, keywords
        Override the discovered id, label and keywords.
    extend
        Add the keywords to an existing theme with id ``theme_id`` instead.
    language
        The taxonomy file to write to; needed for a theme found among comments of
        undetermined language (``und``).
    limit, max_themes, min_size
        As for :func:`discover_feedback_themes`: the same values find the same themes.

    Raises
    ------
    NotFoundError
        When discovery no longer finds a theme with that id.
    """
    from cxloop.understand.text.discovery import promote_theme

    found = discover_feedback_themes(
        warehouse, project_dir, limit=limit, max_themes=max_themes, min_size=min_size
    )
    chosen = next((t for t in found if t.id == discovered_id), None)
    if chosen is None:
        known = ", ".join(t.id for t in found) or "none"
        raise NotFoundError(
            f"no discovered theme {discovered_id!r} (discovered now: {known}); "
            "run cxloop text themes --discover"
        )
    return promote_theme(
        project_dir,
        chosen,
        theme_id=theme_id,
        label=label,
        keywords=keywords,
        extend=extend,
        language=language,
    )
