"""The few settings every command reads before it runs, read without pydantic; the parsers of dates they share.

A command without a database (`capeval rules list`, `capeval calendar ...`, `capeval cpd evaluate`) needs
only the language, the debug switch, the policy file, the clock and the database URL. `LightSettings.read`
takes them from the options and the `CAPEVAL_*` variables when every value it meets is one it can judge
exactly as `capeval.settings.Settings` would; for anything else (another variable, a value it is unsure
of, a bad one) it answers None and the caller loads the full `Settings`, whose errors are then the ones
the user sees. So the light path never accepts what the full one refuses, nor refuses anything itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Literal, get_args

from capeval.states.bounds import checked_day
from capeval.states.errors import CapevalError, InputError

DEFAULT_DATABASE_FILE = "capeval.db"
DEFAULT_DATABASE_URL = f"sqlite:///{DEFAULT_DATABASE_FILE}"
ENV_PREFIX = "CAPEVAL_"
Language = Literal["en", "zh-CN"]
"""The languages capeval speaks; `Settings.lang` is one of them."""
LANGUAGES: tuple[str, ...] = get_args(Language)
TRUE_WORDS = frozenset({"1", "on", "t", "true", "y", "yes"})
FALSE_WORDS = frozenset({"0", "off", "f", "false", "n", "no"})
"""The spellings of a boolean pydantic accepts from a variable (any case), each read the same way here."""
TEXT_FIELDS = frozenset({"database_url", "id_key"})
PATH_FIELDS = frozenset({"policy_file", "id_key_file"})
LIGHT_FIELDS = TEXT_FIELDS | PATH_FIELDS | {"now", "lang", "debug"}
"""The settings read here; a variable for any other makes the caller load the full settings."""


def parse_moment(text: str) -> datetime:
    """An ISO date or date-time; without a zone it is read in Asia/Shanghai (a bare date means 09:00)."""
    from capeval.states.calendar import SHANGHAI

    value = text.strip()
    try:
        if len(value) == 10:
            moment = datetime.combine(date.fromisoformat(value), time(9, 0), tzinfo=SHANGHAI)
        else:
            moment = datetime.fromisoformat(value)
    except ValueError:
        raise InputError("moment_malformed", text=text) from None
    checked_day(moment.date(), "date")
    return moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)


def parse_day(text: str) -> date:
    """An ISO calendar date such as 2026-10-01, in the years capeval works with (`states/bounds.py`)."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise InputError("day_malformed", text=text) from None
    return checked_day(day, "date")


class _Unsure(Exception):
    """A value the light reader leaves to the full settings."""


@dataclass(frozen=True)
class LightSettings:
    """The language, debug switch, policy file, clock and database URL of a command, as `Settings` has them."""

    database_url: str = DEFAULT_DATABASE_URL
    now: datetime | None = None
    policy_file: Path | None = None
    lang: str = "en"
    debug: bool = False

    @classmethod
    def read(cls, environ: Mapping[str, str], **options: str | None) -> LightSettings | None:
        """The settings from `options` (None: not given) over `environ`'s `CAPEVAL_*` variables, or None when
        only the full `Settings` can say (see the module's docstring)."""
        values: dict[str, str] = {}
        for key, value in environ.items():
            if not key.upper().startswith(ENV_PREFIX) or value == "":
                continue
            name = key[len(ENV_PREFIX) :].lower()
            if key != key.upper() or name not in LIGHT_FIELDS:
                return None
            values[name] = value
        values.update({name: value for name, value in options.items() if value is not None})
        try:
            for name in PATH_FIELDS & values.keys():
                _path(values[name])
            return cls(
                database_url=values.get("database_url", DEFAULT_DATABASE_URL),
                now=_moment(values["now"]) if "now" in values else None,
                policy_file=_path(values["policy_file"]) if "policy_file" in values else None,
                lang=_language(values.get("lang", "en")),
                debug=_switch(values.get("debug", "false")),
            )
        except _Unsure:
            return None


def _moment(text: str) -> datetime:
    try:
        return parse_moment(text)
    except CapevalError:
        raise _Unsure from None


def _path(text: str) -> Path:
    if text == "" or "\x00" in text:
        raise _Unsure
    return Path(text)


def _language(text: str) -> str:
    if text not in LANGUAGES:
        raise _Unsure
    return text


def _switch(text: str) -> bool:
    word = text.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise _Unsure
