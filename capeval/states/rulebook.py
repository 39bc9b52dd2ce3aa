"""What every policy of capeval shares: rules declared with the article they come from, overrides read
from one table of the society's TOML policy file by one validator driven by the fields' types, and a
description of every rule for people.

A policy is a frozen dataclass mixing in `RuleBook`; each field is declared with `rule()`. The validator
reads the field's type (`int`, `bool`, `str`, a `Literal` of choices, `tuple[str, ...]`, `tuple[int, ...]`)
and refuses an unknown key or a wrong value in one line naming `table.key` and the expected type. What
types cannot say (the shortest statement no longer than the longest) is a small named check in the policy's
`broken_rules()`.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, Literal, Self, TypeVar, cast, get_args, get_origin, get_type_hints

from .errors import InputError, Problem
from .messages import Term

P = TypeVar("P", bound="RuleBook")


def rule(default: Any, source: str, meaning: str) -> Any:
    """A policy field with its default, the source (article) it comes from, and what it means."""
    return dataclasses.field(default=default, metadata={"source": source, "meaning": meaning})


class RuleBook:
    """Mixin for frozen policy dataclasses whose fields are declared with `rule()`."""

    TABLE: ClassVar[str]
    """The table of the policy file that overrides this policy, e.g. "pipeline" for [pipeline]."""
    NOUN: ClassVar[str] = "rule"
    """How a message names one key of the table ("rule", "review rule", "delivery setting")."""
    LEAST_NUMBER: ClassVar[int] = 0
    """The smallest whole number any rule of this table accepts."""
    GREATEST_NUMBER: ClassVar[int] = 1_000_000
    """The largest whole number any rule of this table accepts: no count of days, minutes, characters or
    people the sources set comes near it, so a larger one is a typo (and would overflow or hang)."""
    NON_EMPTY: ClassVar[bool] = False
    """Whether text and lists of this table must have something in them."""

    def broken_rules(self) -> Iterator[Problem]:
        """The named cross-field checks this policy fails (none by default)."""
        return iter(())

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any], *, origin: str = "policy") -> Self:
        """This policy with the overrides of its table, refusing unknown keys and wrong types in one line."""
        return read_table(cls, values, origin=origin)

    @classmethod
    def from_toml(cls, text: str, *, origin: str) -> Self:
        """Read the overrides in this policy's table of a TOML policy file (the defaults when it has none)."""
        return cls.from_mapping(table_of(parse_toml(text, origin=origin), cls.TABLE, origin=origin), origin=origin)

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
            for f in rules_of(self)
        ]


def rules_of(book: RuleBook | type[RuleBook]) -> tuple[dataclasses.Field[Any], ...]:
    """The rules (dataclass fields) of a policy or policy class."""
    return dataclasses.fields(cast(Any, book))


def parse_toml(text: str, *, origin: str) -> dict[str, Any]:
    """The document of a policy file, or one line saying where it is not TOML."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError("policy_not_toml", origin=origin, detail=str(error)) from None


def table_of(document: Mapping[str, Any], table: str, *, origin: str) -> Mapping[str, Any]:
    """The `[table]` of a policy document; empty when it has none."""
    values = document.get(table, {})
    if not isinstance(values, dict):
        raise InputError("policy_not_a_table", origin=origin, table=table)
    return values


def read_table(policy: type[P], values: Mapping[str, Any], *, origin: str) -> P:
    """The defaults of `policy` with `values` applied: the one validator of every policy table."""
    fields = {f.name: f for f in rules_of(policy)}
    types = get_type_hints(policy)
    changes: dict[str, Any] = {}
    for key, value in values.items():
        if key not in fields:
            raise InputError(
                "policy_unknown_key",
                origin=origin,
                table=policy.TABLE,
                key=key,
                noun=Term("noun_" + policy.NOUN.replace(" ", "_")),
                known=sorted(fields),
            )
        changes[key] = _checked(policy, key, types[key], value, origin)
    result: P = dataclasses.replace(cast(Any, policy()), **changes)
    for problem in result.broken_rules():
        raise InputError(problem.code, origin=origin, table=policy.TABLE, **problem.params)
    return result


def _checked(policy: type[RuleBook], key: str, kind: Any, value: Any, origin: str) -> Any:
    """`value` as the field's type wants it (a list becomes a tuple), or one line naming `table.key`."""
    converted = _convert(policy, kind, value)
    numbers = [item for item in (converted if isinstance(converted, tuple) else (converted,)) if type(item) is int]
    if any(number > policy.GREATEST_NUMBER for number in numbers):
        raise InputError(
            "policy_number_too_large", origin=origin, table=policy.TABLE, key=key, most=policy.GREATEST_NUMBER
        )
    if converted is _WRONG:
        raise InputError(
            "policy_wrong_type",
            origin=origin,
            table=policy.TABLE,
            key=key,
            noun=Term("noun_" + policy.NOUN.replace(" ", "_")),
            expected=expected_type(policy, kind),
            value=shown(value),
        )
    return converted


_WRONG = object()


def _convert(policy: type[RuleBook], kind: Any, value: Any) -> Any:
    origin = get_origin(kind)
    if origin is tuple:
        item_kind = get_args(kind)[0]
        if not isinstance(value, list | tuple) or (policy.NON_EMPTY and not value):
            return _WRONG
        items = [_convert(policy, item_kind, item) for item in value]
        return _WRONG if any(item is _WRONG for item in items) else tuple(items)
    if origin is Literal:
        return value if value in get_args(kind) else _WRONG
    if kind is bool:
        return value if isinstance(value, bool) else _WRONG
    if kind is int:
        whole = isinstance(value, int) and not isinstance(value, bool)
        return value if whole and value >= policy.LEAST_NUMBER else _WRONG
    if kind is str:
        text = isinstance(value, str) and (bool(value.strip()) or not policy.NON_EMPTY)
        return value if text else _WRONG
    raise TypeError(f"{policy.__name__}: rules of type {kind!r} have no reader")


def expected_type(policy: type[RuleBook], kind: Any) -> str:
    """What a value of `kind` looks like, in words ("a whole number >= 0", "a list of strings")."""
    origin = get_origin(kind)
    if origin is tuple:
        items = {int: "whole numbers", str: "strings"}[get_args(kind)[0]]
        return f"a non-empty list of {items}" if policy.NON_EMPTY else f"a list of {items}"
    if origin is Literal:
        return "one of: " + ", ".join(str(choice) for choice in get_args(kind))
    if kind is bool:
        return "true or false"
    if kind is int:
        return f"a whole number >= {policy.LEAST_NUMBER}"
    return "a non-empty string" if policy.NON_EMPTY else "a string"


def shown(value: Any) -> str:
    """A value as the policy file writes it: 'ten', true, [1, 2]."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(shown(item) for item in value) + "]"
    return str(value)
