"""Turning a user's mistake into one clear line and a non-zero exit code."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.console import Console

from cxloop.errors import CxloopError

F = TypeVar("F", bound=Callable[..., Any])
_stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def report_errors(func: F) -> F:
    """Wrap a command: a :class:`CxloopError` prints ``error: …`` on stderr and exits."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CxloopError as exc:
            _stderr.print(f"[bold red]error:[/] {_escape(exc.message)}")
            raise typer.Exit(exc.exit_code) from None

    return wrapper  # type: ignore[return-value]


def _escape(text: str) -> str:
    return text.replace("[", "\\[")
