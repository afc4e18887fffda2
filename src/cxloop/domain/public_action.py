"""Actions a company took on what its customers raised, for the "you said, we did" page.

An analyst enters an action (a theme, a title and a description in each language, a date, a
status) and publishes it; only published actions reach the public page. Actions change over
time (planned → in progress → done, published, withdrawn), so each change is a new row of
``public_actions`` and an action is its latest row. See docs/you-said-we-did.md.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

ActionStatus = Literal["planned", "in_progress", "done"]
ACTION_STATUSES: tuple[str, ...] = ("planned", "in_progress", "done")
#: the languages an action's title and description may be written in
ACTION_LANGUAGES: tuple[str, ...] = ("en", "es", "zh")
MAX_TITLE = 200
MAX_DESCRIPTION = 2_000


class PublicAction(BaseModel):
    """One action as it stands now (its latest version)."""

    action_id: str
    theme: str
    titles: dict[str, str] = Field(description="Language → title; at least one.")
    descriptions: dict[str, str] = Field(default_factory=dict)
    action_date: date
    status: ActionStatus
    published: bool
    author: str = Field(description="Who entered or last changed it (never shown publicly).")
    updated_at: datetime

    def title(self, language: str) -> str:
        """The title in ``language``, else in English, else in any language it has."""
        return _pick(self.titles, language)

    def description(self, language: str) -> str:
        """The description in ``language``, else English, else any; '' when it has none."""
        return _pick(self.descriptions, language)


def _pick(texts: dict[str, str], language: str) -> str:
    for code in (language, "en", *sorted(texts)):
        if texts.get(code):
            return texts[code]
    return ""
