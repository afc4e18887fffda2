"""Recording and reading the actions of the "you said, we did" page.

Every change is a new version row in ``public_actions`` (append-only, like cases): adding an
action writes its first version; publishing, withdrawing it or moving its status on writes the
next. An action is its latest version. Texts are checked here (languages, lengths, a title in
at least one language) so the CLI, the analyst's form and any other caller refuse the same
things with the same messages.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta

import ibis

from cxloop.domain.public_action import (
    ACTION_LANGUAGES,
    ACTION_STATUSES,
    MAX_DESCRIPTION,
    MAX_TITLE,
    PublicAction,
)
from cxloop.errors import NotFoundError, UsageError
from cxloop.storage import Warehouse

_COLUMNS = ("action_id", "ts", "theme", "titles", "descriptions", "action_date", "status",
            "published", "author")  # fmt: skip


def _texts(field: str, texts: dict[str, str], limit: int) -> dict[str, str]:
    out: dict[str, str] = {}
    for language, text in texts.items():
        if language not in ACTION_LANGUAGES:
            raise UsageError(
                f"{field}: language {language!r}; use one of {', '.join(ACTION_LANGUAGES)}"
            )
        text = (text or "").strip()
        if len(text) > limit:
            raise UsageError(f"{field} ({language}): at most {limit} characters, got {len(text)}")
        if text:
            out[language] = text
    return out


def _status(status: str) -> str:
    if status not in ACTION_STATUSES:
        raise UsageError(f"status: {status!r}; use one of {', '.join(ACTION_STATUSES)}")
    return status


def add_action(
    warehouse: Warehouse,
    *,
    theme: str,
    titles: dict[str, str],
    author: str,
    descriptions: dict[str, str] | None = None,
    action_date: date | None = None,
    status: str = "planned",
    themes: list[str] | None = None,
    now: datetime | None = None,
    action_id: str | None = None,
) -> PublicAction:
    """Record a new action, unpublished.

    Parameters
    ----------
    theme
        The theme id the action answers (``delivery``); with ``themes``, one of them.
    titles, descriptions
        Language (en, es, zh) → text; a title in at least one language is required.
    author
        Who enters it (``user:<email>``, ``cli:<login>``); never shown on the public page.
    action_date
        When it was (or will be) done; default: today.
    status
        planned, in_progress or done.
    themes
        The theme ids there are (the project's taxonomy), to refuse a theme nobody raises.
    now, action_id
        When it is recorded (default: now) and its id (default: a new random one); a data
        generator that must be reproducible passes both.

    Raises
    ------
    UsageError
        A field is not valid; the message names it.
    """
    theme = theme.strip()
    if not theme:
        raise UsageError("theme: say which theme the action answers")
    if themes is not None and theme not in themes:
        raise UsageError(f"theme: no theme {theme!r} (themes: {', '.join(sorted(themes))})")
    checked_titles = _texts("title", titles, MAX_TITLE)
    if not checked_titles:
        raise UsageError("title: give the action a title in at least one language")
    now = now or datetime.now(UTC)
    action = PublicAction(
        action_id=action_id or f"act_{uuid.uuid4().hex[:16]}",
        theme=theme,
        titles=checked_titles,
        descriptions=_texts("description", descriptions or {}, MAX_DESCRIPTION),
        action_date=action_date or now.date(),
        status=_status(status),  # type: ignore[arg-type]
        published=False,
        author=author,
        updated_at=now,
    )
    _append(warehouse, action)
    return action


def change_action(
    warehouse: Warehouse,
    action_id: str,
    author: str,
    *,
    published: bool | None = None,
    status: str | None = None,
    now: datetime | None = None,
) -> PublicAction:
    """Publish or withdraw an action, or move its status on; returns it as it is now."""
    with warehouse.transaction():
        current = get_action(warehouse, action_id)
        changes: dict[str, object] = {"author": author}
        if published is not None:
            changes["published"] = published
        if status is not None:
            changes["status"] = _status(status)
        when = now or datetime.now(UTC)
        if when <= current.updated_at:
            when = current.updated_at + timedelta(microseconds=1)
        changes["updated_at"] = when
        action = current.model_copy(update=changes)
        _append(warehouse, action)
    return action


def _append(warehouse: Warehouse, action: PublicAction) -> None:
    warehouse.append_rows(
        "public_actions",
        [
            {
                "action_version_id": f"av_{uuid.uuid4().hex}",
                "action_id": action.action_id,
                "ts": action.updated_at,
                "theme": action.theme,
                "titles": json.dumps(action.titles, ensure_ascii=False, sort_keys=True),
                "descriptions": json.dumps(action.descriptions, ensure_ascii=False, sort_keys=True),
                "action_date": action.action_date,
                "status": action.status,
                "published": action.published,
                "author": action.author,
            }
        ],
    )


def list_actions(warehouse: Warehouse, *, published_only: bool = False) -> list[PublicAction]:
    """Every action as it stands now, newest date first (only published ones on request)."""
    t = warehouse.table("public_actions")
    latest = t.mutate(
        _n=ibis.row_number().over(
            group_by=t.action_id, order_by=[ibis.desc(t.ts), ibis.desc(t.action_version_id)]
        )
    )
    latest = latest.filter(latest._n == 0)
    if published_only:
        latest = latest.filter(latest.published)
    rows = warehouse.to_pyarrow(
        latest.order_by([ibis.desc(latest.action_date), ibis.desc(latest.ts)]).select(*_COLUMNS)
    ).to_pylist()
    return [_action(row) for row in rows]


def get_action(warehouse: Warehouse, action_id: str) -> PublicAction:
    """One action as it stands now; NotFoundError when there is none with this id."""
    t = warehouse.table("public_actions")
    rows = warehouse.to_pyarrow(
        t.filter(t.action_id == action_id)
        .order_by([ibis.desc(t.ts), ibis.desc(t.action_version_id)])
        .limit(1)
        .select(*_COLUMNS)
    ).to_pylist()
    if not rows:
        raise NotFoundError(f"no action {action_id!r}")
    return _action(rows[0])


def _action(row: dict[str, object]) -> PublicAction:
    return PublicAction.model_validate(
        {
            **row,
            "titles": json.loads(str(row["titles"] or "{}")),
            "descriptions": json.loads(str(row["descriptions"] or "{}")),
            "published": bool(row["published"]),
            "updated_at": row["ts"],
        }
    )
