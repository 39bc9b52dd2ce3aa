"""The visitor's language and the words shown for codes: stages, levels, fields, actions, errors."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any

from fastapi import Request

from capeval.states.calendar import SHANGHAI
from capeval.states.errors import CapevalError
from capeval.states.fields import bundled_fields
from capeval.states.messages import catalog, render_message

LANGUAGE_COOKIE = "capeval_lang"
DEFAULT = "zh-CN"
LANGUAGES = ("zh-CN", "en")


def language(request: Request) -> str:
    """`?lang=` first, then the language cookie, then zh-CN."""
    asked = request.query_params.get("lang") or request.cookies.get(LANGUAGE_COOKIE) or DEFAULT
    return "en" if asked.lower().startswith("en") else DEFAULT


@cache
def _labels() -> dict[str, dict[str, dict[str, str]]]:
    shared = resources.files("capeval.notifications").joinpath("templates", "labels.toml")
    own = resources.files("capeval.web").joinpath("labels.toml")
    labels: dict[str, dict[str, dict[str, str]]] = tomllib.loads(shared.read_text(encoding="utf-8"))
    for lang, kinds in tomllib.loads(own.read_text(encoding="utf-8")).items():
        for kind, table in kinds.items():
            labels.setdefault(lang, {}).setdefault(kind, {}).update(table)
    for spec in bundled_fields():
        labels["zh-CN"].setdefault("field", {})[spec.code] = spec.name_zh
        labels["en"].setdefault("field", {})[spec.code] = spec.name_en
    return labels


class _Names(dict[str, str]):
    def __missing__(self, code: str) -> str:
        return code


@cache
def _names(lang: str, kind: str) -> Mapping[str, str]:
    return _Names(_labels()[lang].get(kind, {}))


class Words:
    """The words of one language, as templates use them: `words.ui("search")`, `words.label(stage, "stage")`."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def ui(self, key: str, **params: Any) -> str:
        text = _labels()[self.lang]["ui"][key]
        return text.format(**params) if params else text

    def label(self, value: Any, kind: str) -> str:
        """A code in this language; evidence kinds and review areas from the message catalog's terms."""
        code = str(value)
        if kind in ("evidence", "area", "interview_part") and f"{kind}_{code}" in catalog():
            return render_message(f"{kind}_{code}", {}, self.lang)
        return _labels()[self.lang].get(kind, {}).get(code, code)

    def names(self, kind: str) -> Mapping[str, str]:
        """Every code of one kind with its words in this language, for a page that shows many rows: a code
        without words reads as itself, as `label` gives it (not for the catalog's kinds)."""
        return _names(self.lang, kind)

    def error(self, error: CapevalError) -> str:
        return error.text(self.lang)

    def day(self, value: date | datetime | None) -> str:
        if value is None:
            return "—"
        day = value.astimezone(SHANGHAI).date() if isinstance(value, datetime) else value
        return f"{day.year}年{day.month}月{day.day}日" if self.lang == "zh-CN" else day.isoformat()

    def moment(self, value: datetime) -> str:
        local = value.astimezone(SHANGHAI)
        return f"{self.day(local.date())} {local.strftime('%H:%M')}"
