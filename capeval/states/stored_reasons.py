"""Reasons capeval itself records (a sweep's), stored coded and shown in the reader's language.

A history line keeps its reason as text. A reason a person typed is stored as typed; one capeval gives is
stored as its catalog code with its parameters (`coded_reason`), e.g. `@lapse_supplement_missed
{"due": "2026-03-04"}`, and shown through the message catalog in English or Chinese (`reason_text`). A
text that is not such a code (a person's reason, a line stored before reasons were coded) is shown as it is.
A parameter may be a catalog word (`Term`, e.g. a level), stored as `{"term": "level_senior"}` and shown in
the reader's language too, or a list of plain values, joined the reader's way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from .messages import Term, catalog, render_message

StoredParam = str | int | Term | list[str] | list[int]

_CODED = re.compile(r"^@([a-z][a-z0-9_]*) (\{.*\})$", re.S)


class StoredReason(NamedTuple):
    """A reason stored coded: its catalog code and parameters."""

    code: str
    params: Mapping[str, Any]


def coded_reason(code: str, **params: StoredParam) -> str:
    """The stored form of the catalog reason `code` with its parameters (plain values, lists of them, words)."""
    for name in [code] + [value.code for value in params.values() if isinstance(value, Term)]:
        if name not in catalog():
            raise KeyError(f"'{name}' is not a code of the message catalog")
    stored = {name: {"term": value.code} if isinstance(value, Term) else value for name, value in params.items()}
    return f"@{code} {json.dumps(stored, ensure_ascii=False, sort_keys=True)}"


def _param(value: Any) -> Any:
    if isinstance(value, Mapping) and set(value) == {"term"} and value["term"] in catalog():
        return Term(str(value["term"]))
    return value


def stored_reason(text: str) -> StoredReason | None:
    """The coded reason `text` stores, or None when it is a text to show as it is."""
    found = _CODED.match(text or "")
    if found is None or found.group(1) not in catalog():
        return None
    try:
        params: Any = json.loads(found.group(2))
    except ValueError:
        return None
    if not isinstance(params, Mapping):
        return None
    return StoredReason(found.group(1), {name: _param(value) for name, value in params.items()})


def reason_text(text: str, language: str) -> str:
    """A stored reason as a reader of `language` ("en" or "zh-CN") reads it."""
    problem = stored_reason(text)
    return text if problem is None else render_message(problem.code, problem.params, language)
