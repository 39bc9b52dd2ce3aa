"""Read the files people hand to capeval (JSON or TOML) into commands, naming any field that is wrong."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from capeval.states.commands import ApplicantDetails, CreateApplication, EvidenceRef
from capeval.states.errors import InputError
from capeval.states.identity import normalize_id_number
from capeval.states.levels import Level, Route
from capeval.states.text import checked_email, checked_name

from .input_files import read_data, read_text
from .work_experience import experience_periods


def read_document(path: Path) -> dict[str, Any]:
    """Parse a .json or .toml file into a mapping through the one file reader; any problem is one InputError."""
    document = read_data(path)
    if not isinstance(document, dict):
        raise InputError("document_top_level", path=path)
    return document


class Fields:
    """Typed access to a mapping that names the offending field in every error."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, Mapping):
            raise InputError("document_not_table", where=where)
        self.data, self.where = data, where

    def _missing(self, key: str) -> InputError:
        return InputError("document_field_required", where=self.where, key=key)

    def text(self, key: str, default: str | None = None, *, allow_empty: bool = False) -> str:
        value = self.data.get(key, default)
        if value is None:
            raise self._missing(key)
        if not isinstance(value, str) or (not allow_empty and not value.strip()):
            raise InputError("document_field_not_text", where=self.where, key=key)
        return value

    def name(self, key: str = "name") -> str:
        """A person's name: one line, no control characters, at most the directory's length."""
        return checked_name(self.text(key), f"{self.where}: {key}")

    def email(self, key: str = "email", default: str | None = None) -> str:
        """An email address of the form name@example.org (empty only when `default` is "")."""
        value = self.text(key, default, allow_empty=default == "")
        if default == "" and not value.strip():
            return ""
        return checked_email(value, f"{self.where}: {key}")

    def optional_text(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        return self.text(key)

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise InputError("document_field_not_boolean", where=self.where, key=key)
        return value

    def day(self, key: str, default: date | None = None) -> date:
        value = self.data.get(key, default)
        if value is None:
            raise self._missing(key)
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise InputError("document_field_not_date", where=self.where, key=key, value=repr(value)) from None

    def choice(self, key: str, options: type[Level] | type[Route], default: str | None = None) -> Any:
        raw = self.text(key, default)
        try:
            return options(raw)
        except ValueError:
            allowed = [option.value for option in options]
            raise InputError(
                "document_field_not_choice", where=self.where, key=key, value=raw, choices=allowed
            ) from None

    def items(self, key: str) -> list[Fields]:
        value = self.data.get(key, [])
        if not isinstance(value, list):
            raise InputError("document_field_not_list", where=self.where, key=key)
        return [Fields(item, f"{self.where}: {key}[{index}]") for index, item in enumerate(value)]

    def section(self, key: str) -> Fields:
        if key not in self.data:
            raise self._missing(key)
        return Fields(self.data[key], f"{self.where}: {key}")


def evidence_refs(fields: Fields, key: str = "evidence") -> tuple[EvidenceRef, ...]:
    """The evidence list of a document: kind, the file (or a bare reference) and an optional description.

    A `file` is read and kept by `case_documents.application_with_files`; here it is the reference."""
    return tuple(
        EvidenceRef(
            kind=item.text("kind"),
            reference=_evidence_reference(item),
            description=item.text("description", "", allow_empty=True),
        )
        for item in fields.items(key)
    )


def _evidence_reference(item: Fields) -> str:
    file = item.optional_text("file")
    if file is not None:
        return file
    if item.data.get("reference") is None:
        raise InputError("document_evidence_unnamed", where=item.where)
    return item.text("reference")


def application_command(document: Mapping[str, Any], *, origin: str) -> CreateApplication:
    """A CreateApplication from an application file (see README, "Application files")."""
    fields = Fields(document, origin)
    applicant = fields.section("applicant")
    details = ApplicantDetails(
        name=applicant.name(),
        id_number=_checked_id_number(applicant),
        email=applicant.email(),
        language=applicant.text("language", "zh-CN"),
        employer=applicant.text("employer", "", allow_empty=True),
        username=applicant.text("username", "", allow_empty=True),
    )
    statement = fields.data.get("self_statement")
    statement_file = fields.optional_text("self_statement_file")
    if statement is None and statement_file is not None:
        path = Path(origin).parent / statement_file
        if not path.is_file():
            raise InputError("document_statement_file_missing", where=origin, name=statement_file)
        statement = read_text(path)
    if not isinstance(statement, str):
        raise InputError("document_statement_missing", where=origin)
    return CreateApplication(
        applicant=details,
        society_code=fields.text("society"),
        field_code=fields.text("field"),
        level=fields.choice("level", Level),
        route=fields.choice("route", Route, Route.STANDARD.value),
        self_statement=statement,
        evidence=evidence_refs(fields),
        commitment_signed=fields.flag("commitment_signed"),
        international_title=fields.optional_text("international_title"),
        international_title_issuer=fields.optional_text("international_title_issuer"),
        international_title_expires_on=_optional_date(fields, "international_title_expires_on"),
        batch=fields.text("batch", "", allow_empty=True),
        work_experience=experience_periods(fields),
    )


def _optional_date(fields: Fields, key: str) -> date | None:
    text = fields.optional_text(key)
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError("document_field_not_iso_date", where=fields.where, key=key, value=repr(text)) from None


def _checked_id_number(applicant: Fields) -> str:
    try:
        return normalize_id_number(applicant.text("id_number"))
    except InputError as error:
        if applicant.where in str(error):
            raise
        raise InputError(
            "document_field_invalid", where=applicant.where, key="id_number", problem=error.problem
        ) from None
