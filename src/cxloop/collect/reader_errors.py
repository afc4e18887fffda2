"""Turn pyarrow's and the OS's read errors into one-line messages that name the file."""

from __future__ import annotations

from pathlib import Path

from cxloop.errors import DataError

__all__ = ["cannot_be_read", "one_line", "shorten"]


def cannot_be_read(path: Path, exc: BaseException) -> DataError:
    """The error for a file that could not be read at all (missing bytes, corrupt gzip...)."""
    return DataError(f"{path}: cannot be read ({one_line(exc)})")


def one_line(exc: BaseException) -> str:
    """An exception's message on one short line, without pyarrow's parser prefixes."""
    message = str(exc).strip() or type(exc).__name__
    for prefix in ("CSV parse error: ", "JSON parse error: "):
        message = message.removeprefix(prefix)
    return shorten(" ".join(message.split()))


def shorten(text: str, limit: int = 200) -> str:
    """``text`` cut to ``limit`` characters, ending in an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
