"""Printing for the CLI: JSON for scripts, aligned text for people."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any

import click


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {key: _plain(item) for key, item in dataclasses.asdict(value).items()}
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def emit_json(value: Any) -> None:
    """Print `value` as JSON (dates as ISO strings, Chinese kept readable)."""
    click.echo(json.dumps(_plain(value), ensure_ascii=False, indent=2))


def format_table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> list[str]:
    """Rows as aligned text lines under a header; wide (CJK) characters count double."""
    if not rows:
        return ["(nothing)"]
    text_rows = [[_cell(row.get(column)) for column in columns] for row in rows]
    widths = [max(_width(column), *(_width(r[i]) for r in text_rows)) for i, column in enumerate(columns)]
    return [
        "  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() for row in [list(columns), *text_rows]
    ]


def emit_table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    """Print rows as an aligned table with a header."""
    for line in format_table(rows, columns):
        click.echo(line)


def _cell(value: Any) -> str:
    value = _plain(value)
    return "-" if value is None or value == "" else str(value)


def _width(text: str) -> int:
    return sum(2 if ord(char) > 0x2E7F else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
