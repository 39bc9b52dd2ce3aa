"""Render an outbox message to a subject, a plain-text body and an HTML body.

There is one Jinja2 environment (StrictUndefined: a missing context key is an error, never a blank). Each
message is one template per language, `templates/<language>/<name>.j2`, with a `subject` and a `body`
block; it is loaded twice, as `text:…` and as `html:…`, and only the HTML one is autoescaped. Blank lines
in a body separate paragraphs; lines starting with "- " are list items.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, Environment, StrictUndefined, TemplateNotFound, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from capeval.states.calendar import SHANGHAI
from capeval.states.errors import InputError
from capeval.states.fields import bundled_fields
from capeval.states.stored_reasons import reason_text

DEFAULT_LANGUAGE = "zh-CN"
LANGUAGES = ("zh-CN", "en")
FORMATS = ("text", "html")
_TEMPLATES = resources.files("capeval.notifications").joinpath("templates")


@dataclass(frozen=True)
class RenderedMessage:
    """A message ready to send."""

    subject: str
    text: str
    html: str


def language_of(value: str | None) -> str:
    """The template language for a recipient's `language`: English if they chose it, else Simplified Chinese."""
    return "en" if (value or "").lower().startswith("en") else DEFAULT_LANGUAGE


def template_names() -> list[str]:
    """Every message template (those of the default language), sorted."""
    folder = _TEMPLATES.joinpath(DEFAULT_LANGUAGE)
    return sorted(entry.name[: -len(".j2")] for entry in folder.iterdir() if entry.name.endswith(".j2"))


class _Loader(BaseLoader):
    """`text:<path>` and `html:<path>` both read `templates/<path>.j2`; layouts are `<format>:layout`.

    With an overrides folder, `<format>:@<CODE>/<path>` reads `<folder>/<CODE>/<path>.j2` instead: a
    society's own wording (its layout is `<format>:@<CODE>/layout`, falling back to the bundled one).
    """

    def __init__(self, overrides: Path | None = None) -> None:
        self.overrides = overrides

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Any]:
        fmt, _, path = template.partition(":")
        if fmt not in FORMATS or not path:
            raise TemplateNotFound(template)
        if path.startswith("@") and self.overrides is not None:
            code, _, rest = path[1:].partition("/")
            own = self.overrides / code / (f"layout.{fmt}.j2" if rest == "layout" else f"{rest}.j2")
            if own.is_file():
                mtime = own.stat().st_mtime
                return own.read_text(encoding="utf-8"), str(own), lambda: own.stat().st_mtime == mtime
            if rest != "layout":
                raise TemplateNotFound(template)
            path = rest
        source = _TEMPLATES.joinpath(f"layout.{fmt}.j2" if path == "layout" else f"{path}.j2")
        if not source.is_file():
            raise TemplateNotFound(template)
        return source.read_text(encoding="utf-8"), f"{path}.j2", lambda: True


@cache
def _labels() -> dict[str, dict[str, dict[str, str]]]:
    labels = tomllib.loads(_TEMPLATES.joinpath("labels.toml").read_text(encoding="utf-8"))
    for spec in bundled_fields():
        labels["zh-CN"].setdefault("field", {})[spec.code] = spec.name_zh
        labels["en"].setdefault("field", {})[spec.code] = spec.name_en
    return labels


@pass_context
def _label(context: Context, value: Any, kind: str) -> str:
    """A code shown in the reader's language (a stage, level, field, deadline kind …); unknown codes as is."""
    table = _labels()[context["language"]].get(kind, {})
    return table.get(str(value), str(value))


@pass_context
def _reason(context: Context, value: Any) -> str:
    """A recorded reason in the reader's language: capeval's own reasons are stored coded, a person's as typed."""
    return reason_text(str(value or ""), context["language"])


@pass_context
def _day(context: Context, value: Any) -> str:
    """A date the way the reader writes it: 2026年3月2日 / 2 March 2026."""
    day = value.date() if isinstance(value, datetime) else value
    day = day if isinstance(day, date) else date.fromisoformat(str(value)[:10])
    if context["language"] == "en":
        return f"{day.day} {day.strftime('%B')} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"


@pass_context
def _moment(context: Context, value: Any) -> str:
    """A date and time in Asia/Shanghai the way the reader writes it."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is not None:
        moment = moment.astimezone(SHANGHAI)
    clock = moment.strftime("%H:%M")
    return f"{_day(context, moment.date())} {clock}" + (
        " (Beijing time)" if context["language"] == "en" else "（北京时间）"
    )


def _paragraphs(body: str) -> Markup:
    """HTML paragraphs and lists from an already escaped body."""
    parts: list[str] = []
    for block in re.split(r"\n\s*\n", str(body).strip()):
        lines = [line.strip() for line in block.strip().splitlines() if line.strip()]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            parts.append("<ul>" + "".join(f"<li>{line[2:]}</li>" for line in lines) + "</ul>")
        else:
            parts.append("<p>" + "<br>\n".join(lines) + "</p>")
    return Markup("\n".join(parts))


@cache
def environment(overrides: Path | None = None) -> Environment:
    """The one Jinja2 environment of capeval's messages (one per overrides folder)."""
    env = Environment(
        loader=_Loader(overrides),
        undefined=StrictUndefined,
        autoescape=lambda name: name is not None and name.startswith("html:"),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=True,
    )
    env.filters.update(label=_label, reason=_reason, day=_day, moment=_moment, paragraphs=_paragraphs, e=escape)
    return env


def override_file(overrides: Path | None, society: str | None, language: str, template: str) -> Path | None:
    """The society's own file for `template` in `language`, if it has one."""
    if overrides is None or not society:
        return None
    own = overrides / society / language_of(language) / f"{template}.j2"
    return own if own.is_file() else None


def render(
    template: str,
    language: str | None,
    context: Mapping[str, Any],
    *,
    society: str | None = None,
    overrides: Path | None = None,
) -> RenderedMessage:
    """Render `template` in the recipient's language; InputError names an unknown template or missing key.

    With `society` and an `overrides` folder, the society's own template (and layout) is used where it has
    one; it is checked first (see `overrides.check_override`) and a broken one is refused, never sent.
    """
    lang = language_of(language)
    env = environment(overrides)
    variables = {**context, "language": lang}
    own = override_file(overrides, society, lang, template)
    if overrides is not None and society:
        from .overrides import check_society

        check_society(overrides, society, template, lang, own)
    prefix = f"@{society}/" if society and overrides is not None else ""
    layout = f"{prefix}layout"
    name = f"{prefix}{lang}/{template}" if own is not None else f"{lang}/{template}"
    try:
        text_template = env.get_template(f"text:{name}")
        html_template = env.get_template(f"html:{name}")
        subject = "".join(text_template.blocks["subject"](text_template.new_context(variables)))
        text = text_template.render(variables, layout=f"text:{layout}")
        html = html_template.render(variables, layout=f"html:{layout}")
    except TemplateNotFound:
        raise InputError("template_unknown", template=template) from None
    except Exception as error:  # jinja2's UndefinedError and template errors; a context value of the wrong form
        if type(error).__module__.startswith("jinja2") or isinstance(error, TypeError | ValueError):
            raise InputError("template_failed", template=template, language=lang, error=str(error)) from None
        raise
    return RenderedMessage(" ".join(subject.split()), _tidy(text), html.strip() + "\n")


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"
