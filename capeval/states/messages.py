"""The message catalog: every error code with its English and zh-CN message and hint.

The catalog is the TOML files of `states/messages/`, one per area; each table is a code:

    [reason_required]
    en = "a reason is required to {action}"
    zh-CN = "{action}需要填写理由"
    hint.en = "give a reason"
    hint.zh-CN = "请填写理由"

Parameters are written `{name}`; lists are joined, dates written in ISO form, enums by their value.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import date
from enum import Enum
from functools import cache
from importlib import resources
from typing import Any, Protocol

LANGUAGES = ("en", "zh-CN")
DEFAULT_LANGUAGE = "en"
_SEPARATORS = {"en": ", ", "zh-CN": "、"}
_REASON_SEPARATORS = {"en": "; ", "zh-CN": "；"}


class _Renderable(Protocol):
    def message(self, language: str = "en") -> str: ...


@cache
def catalog() -> dict[str, dict[str, Any]]:
    """Every code of every catalog file (a code defined twice is a bug and raises)."""
    entries: dict[str, dict[str, Any]] = {}
    folder = resources.files("capeval.states").joinpath("messages")
    for item in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if not item.name.endswith(".toml"):
            continue
        for code, entry in tomllib.loads(item.read_text(encoding="utf-8")).items():
            if code in entries:
                raise RuntimeError(f"message code '{code}' is defined twice (second time in {item.name})")
            entries[code] = entry
    return entries


def language_of(value: str | None) -> str:
    """ "zh-CN" for any Chinese language tag, else English."""
    return "zh-CN" if value and value.lower().startswith("zh") else DEFAULT_LANGUAGE


def _value(value: Any, language: str) -> str:
    if hasattr(value, "message") and callable(value.message):
        return str(value.message(language))
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        items = [_value(item, language) for item in value]
        if items and all(hasattr(item, "message") for item in value):
            return _REASON_SEPARATORS[language].join(items)
        return _SEPARATORS[language].join(items)
    return str(value)


def _render(template: str, params: Mapping[str, Any], language: str) -> str:
    return template.format_map({name: _value(value, language) for name, value in params.items()})


def render_message(code: str, params: Mapping[str, Any], language: str = DEFAULT_LANGUAGE) -> str:
    """The message of `code` in `language` (English when the catalog has no translation)."""
    language = language_of(language)
    entry = catalog().get(code)
    if entry is None:
        return _uncoded_text(code)
    return _render(entry.get(language) or entry["en"], params, language)


def _uncoded_text(text: str) -> str:
    """Transitional: an error still raised with its English text instead of a code shows that text."""
    return text


def render_hint(code: str, params: Mapping[str, Any], language: str = DEFAULT_LANGUAGE) -> str | None:
    """The hint of `code` in `language`, or None when the catalog gives none."""
    language = language_of(language)
    hints = catalog().get(code, {}).get("hint")
    if not hints:
        return None
    return _render(hints.get(language) or hints["en"], params, language)
