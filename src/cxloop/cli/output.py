"""Printing results: Rich tables for people, JSON for programs."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel
from rich.console import Console

console = Console(highlight=False)


def print_json(data: Any) -> None:
    """Print ``data`` (a pydantic model or plain data) as JSON on stdout."""
    if isinstance(data, BaseModel):
        text = data.model_dump_json(indent=2)
    else:
        text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    print(text)
