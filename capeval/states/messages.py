"""The message catalog: every error code with its English and zh-CN message and hint.

The catalog is the TOML files of `states/messages/`, one per area; each table is a code:

    [reason_required]
    en = "a reason is required to {action}"
    zh-CN = "{action}需要填写理由"
    hint.en = "give a reason"
    hint.zh-CN = "请填写理由"

Parameters are written `{name}`; lists are joined, dates written in ISO form, enums by their value, and a
coded problem inside the parameters (a guard's reason) is rendered with its own message and hint, a
`Term` (a level, a kind of evidence) with its message alone.

An edge may word a code its own way (the CLI names its flags): it passes `Wording`, English and zh-CN
templates by code, that take the place of the catalog's message or hint.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from functools import cache
from typing import Any, Protocol, runtime_checkable

LANGUAGES = ("en", "zh-CN")
DEFAULT_LANGUAGE = "en"
_SEPARATORS = {"en": ", ", "zh-CN": "、"}
_REASON_SEPARATORS = {"en": "; ", "zh-CN": "；"}
_HINT_SEPARATORS = {"en": "; ", "zh-CN": "；"}

Templates = Mapping[str, Mapping[str, str]]
"""Templates by code, then by language: `{"reason_required": {"en": "give one with --reason"}}`."""


@runtime_checkable
class Coded(Protocol):
    """Anything that carries a catalog code and its parameters (a Problem, an error)."""

    @property
    def code(self) -> str: ...

    @property
    def params(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class Wording:
    """An edge's own templates, used instead of the catalog's where it has one for the code and language."""

    messages: Templates = field(default_factory=dict)
    hints: Templates = field(default_factory=dict)


CATALOG_WORDING = Wording()


@dataclass(frozen=True)
class Term:
    """A word of the catalog used inside a message (a level, a kind of evidence): its message, no hint."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


@cache
def catalog() -> dict[str, dict[str, Any]]:
    """Every code of every catalog file (a code defined twice is a bug and raises)."""
    from importlib import resources  # on first use: commands that print no message never load it

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


class _Params(dict[str, str]):
    def __missing__(self, name: str) -> str:
        return "{" + name + "}"


def _value(value: Any, language: str, wording: Wording) -> str:
    if isinstance(value, Term):
        return render_message(value.code, value.params, language, wording)
    if isinstance(value, Coded) and not isinstance(value, Enum):
        return render_text(value.code, value.params, language, wording)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        items = [_value(item, language, wording) for item in value]
        if items and all(isinstance(item, Coded) and not isinstance(item, Term) for item in value):
            return _REASON_SEPARATORS[language].join(items)
        return _SEPARATORS[language].join(items)
    return str(value)


def _render(template: str, params: Mapping[str, Any], language: str, wording: Wording) -> str:
    return template.format_map(_Params({name: _value(value, language, wording) for name, value in params.items()}))


def _template(entry: Mapping[str, Any] | None, own: Mapping[str, str] | None, language: str) -> str | None:
    if own and own.get(language):
        return own[language]
    if not entry:
        return None
    found = entry.get(language) or entry.get(DEFAULT_LANGUAGE)
    return str(found) if found else None


def render_message(
    code: str, params: Mapping[str, Any], language: str = DEFAULT_LANGUAGE, wording: Wording = CATALOG_WORDING
) -> str:
    """The message of `code` in `language` (English when the catalog has no translation)."""
    language = language_of(language)
    template = _template(catalog().get(code), wording.messages.get(code), language)
    if template is None:
        return _uncoded_text(code)
    return _render(template, params, language, wording)


def _uncoded_text(text: str) -> str:
    """Transitional: an error still raised with its English text instead of a code shows that text."""
    return text


def render_hint(
    code: str, params: Mapping[str, Any], language: str = DEFAULT_LANGUAGE, wording: Wording = CATALOG_WORDING
) -> str | None:
    """The hint of `code` in `language`, or None when neither the edge nor the catalog gives one."""
    language = language_of(language)
    template = _template(catalog().get(code, {}).get("hint"), wording.hints.get(code), language)
    return None if template is None else _render(template, params, language, wording)


def render_text(
    code: str, params: Mapping[str, Any], language: str = DEFAULT_LANGUAGE, wording: Wording = CATALOG_WORDING
) -> str:
    """The message followed by its hint: `<message>; <hint>` (the message alone when there is no hint)."""
    message = render_message(code, params, language, wording)
    hint = render_hint(code, params, language, wording)
    return f"{message}{_HINT_SEPARATORS[language_of(language)]}{hint}" if hint else message
