"""The engineering fields with a published specification, as data (Q&A Q5)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class FieldSpec:
    """A field that may be evaluated."""

    code: str
    name_zh: str
    name_en: str


def bundled_fields() -> list[FieldSpec]:
    """The fields listed in the bundled data file."""
    text = resources.files("capeval.states").joinpath("data/fields.toml").read_text(encoding="utf-8")
    return [FieldSpec(**entry) for entry in tomllib.loads(text)["field"]]
