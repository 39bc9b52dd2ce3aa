"""What every policy of capeval shares: rules declared with the article they come from, overrides read
from one table of the society's TOML policy file, and a description of every rule for people."""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from typing import Any, ClassVar, Self

from .errors import InputError


def rule(default: Any, source: str, meaning: str) -> Any:
    """A policy field with its default, the source (article) it comes from, and what it means."""
    return dataclasses.field(default=default, metadata={"source": source, "meaning": meaning})


class RuleBook:
    """Mixin for frozen policy dataclasses whose fields are declared with `rule()`."""

    TABLE: ClassVar[str]
    """The table of the policy file that overrides this policy, e.g. "pipeline" for [pipeline]."""

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any], *, origin: str) -> Self:
        raise NotImplementedError

    @classmethod
    def from_toml(cls, text: str, *, origin: str) -> Self:
        """Read the overrides in this policy's table of a TOML policy file (the defaults when it has none)."""
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise InputError(f"{origin}: not valid TOML ({error})") from None
        table = document.get(cls.TABLE, {})
        if not isinstance(table, dict):
            raise InputError(f"{origin}: [{cls.TABLE}] must be a table")
        return cls.from_mapping(table, origin=origin)

    def describe(self) -> list[dict[str, Any]]:
        """Every rule with its current value, default, source and meaning (README and `capeval rules`)."""
        return [
            {
                "rule": f.name,
                "value": getattr(self, f.name),
                "default": f.default,
                "source": f.metadata["source"],
                "meaning": f.metadata["meaning"],
            }
            for f in dataclasses.fields(self)  # type: ignore[arg-type]
        ]
