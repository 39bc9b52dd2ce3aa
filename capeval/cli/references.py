"""`case_ref`: the click parameter type of every case the CLI takes, an id (`4`) or a reference (`DES-2026-0004`)."""

from __future__ import annotations

from typing import Any

import click

from capeval.services.references import case_id_for

from .ids import RECORD_ID


class CaseRef(click.ParamType):  # type: ignore[type-arg]
    """A case id or a case reference, turned into the case id (a reference is looked up in the database)."""

    name = "CASE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        text = str(value).strip()
        if isinstance(value, int) or text.removeprefix("-").isdigit():
            return RECORD_ID.convert(value, param, ctx)
        from .main import AppContext

        app = ctx.find_object(AppContext) if ctx is not None else None
        if app is None:
            self.fail(f"{value!r} is not a case id", param, ctx)
        return case_id_for(app.runtime, text)


case_ref = CaseRef()
