"""The click type of a record id argument: a whole number 1 to 2^63-1, else one line naming the argument."""

from __future__ import annotations

from typing import Any

import click

from capeval.states.bounds import checked_id

_MOST_DIGITS = 4000
"""Beyond this many digits Python's int() refuses a text; such a number is out of range anyway."""


class RecordId(click.ParamType[int]):
    """An id of a case, task or interview (`states/bounds.py`): checked before any lookup."""

    name = "id"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        where = param.human_readable_name if param is not None else "id"
        if isinstance(value, int) and not isinstance(value, bool):
            return checked_id(value, where)
        text = str(value).strip()
        digits = text.removeprefix("-")
        if not (digits.isascii() and digits.isdigit()):
            self.fail(f"'{value}' is not a whole number", param, ctx)
        if len(digits) > _MOST_DIGITS:
            return checked_id(10**_MOST_DIGITS, where)
        return checked_id(int(text), where)


RECORD_ID = RecordId()
