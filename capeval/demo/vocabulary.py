"""The demo's words, read once from the TOML files in `capeval/demo/data`.

`people.toml` holds the name pools, ID-number area codes, e-mail domains and employers; `fields.toml` the
words of each engineering field; `projects.toml` the project templates; `statements.toml` the sentence
templates of a self-statement and the words that depend on the level; `cast.toml` who is who in the story;
`review_pool.toml` the examiners the review scene adds.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

Pool = tuple[tuple[str, str], ...]
"""(hanzi, pinyin) pairs."""


def data_file(name: str) -> dict[str, Any]:
    """One TOML file of the demo's data folder."""
    text = resources.files("capeval.demo").joinpath("data", name).read_text(encoding="utf-8")
    return tomllib.loads(text)


def _strings(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(str(item) for item in items)


def _pool(text: str) -> Pool:
    pairs = (item.split(":") for item in text.split())
    return tuple((hanzi, pinyin) for hanzi, pinyin in pairs)


@dataclass(frozen=True)
class NamePools:
    """Surnames and given names, each with its pinyin for e-mail addresses."""

    surnames: Pool
    compound_surnames: Pool
    male_given: Pool
    female_given: Pool
    male_single: Pool
    female_single: Pool


@dataclass(frozen=True)
class PeopleWords:
    """What a fictitious person is drawn from."""

    area_codes: tuple[str, ...]
    email_domains: tuple[str, ...]
    names: NamePools
    workgroup_employers: tuple[str, ...]
    examiner_employers: Mapping[str, tuple[str, ...]]
    applicant_employers: Mapping[str, tuple[str, ...]]
    federation_employers: tuple[str, ...]


@cache
def people_words() -> PeopleWords:
    """`people.toml`."""
    raw = data_file("people.toml")
    employers = raw["employers"]
    return PeopleWords(
        area_codes=_strings(raw["area_codes"]),
        email_domains=_strings(raw["email_domains"]),
        names=NamePools(**{key: _pool(text) for key, text in raw["names"].items()}),
        workgroup_employers=_strings(employers["workgroup"]),
        examiner_employers={field: _strings(items) for field, items in employers["examiner"].items()},
        applicant_employers={field: _strings(items) for field, items in employers["applicant"].items()},
        federation_employers=_strings(employers["federation"]),
    )


@dataclass(frozen=True)
class FieldWords:
    """The words of one engineering field that a self-statement is assembled from."""

    name: str
    work: tuple[str, ...]
    universities: tuple[str, ...]
    majors: tuple[str, ...]
    knowledge: tuple[str, ...]
    standards: tuple[str, ...]
    tools: tuple[str, ...]
    disciplines: tuple[str, ...]
    partners: tuple[str, ...]
    ethics: tuple[str, ...]
    trends: tuple[str, ...]
    self_learn: tuple[str, ...]
    topics: tuple[str, ...]
    confs: tuple[str, ...]
    certs: tuple[str, ...]
    rd: tuple[str, ...]


@cache
def field_words() -> Mapping[str, FieldWords]:
    """`fields.toml`, by field code."""
    return {
        code: FieldWords(name=words.pop("name"), **{key: _strings(items) for key, items in words.items()})
        for code, words in data_file("fields.toml").items()
    }


@dataclass(frozen=True)
class ProjectTemplate:
    """A project a statement may describe; its {placeholders} are filled from `params`."""

    title: str
    duty: str
    scale: str
    tasks: tuple[str, ...]
    result: str
    params: Mapping[str, Sequence[Any]]
    since: int


@dataclass(frozen=True)
class Projects:
    """The project templates by field, and the cities they may be placed in."""

    cities: tuple[str, ...]
    by_field: Mapping[str, tuple[ProjectTemplate, ...]]


def _options(spec: Any, shared: Mapping[str, tuple[str, ...]]) -> Sequence[Any]:
    if isinstance(spec, str):
        return shared[spec]
    if isinstance(spec, dict):
        return range(spec["start"], spec["stop"], spec.get("step", 1))
    return tuple(spec)


@cache
def projects() -> Projects:
    """`projects.toml`: params are a list to choose from, a {start, stop, step} range, or a shared list's name."""
    raw = data_file("projects.toml")
    shared = {"cities": _strings(raw.pop("cities")), "provinces": _strings(raw.pop("provinces"))}
    by_field = {
        code: tuple(
            ProjectTemplate(
                title=item["title"],
                duty=item["duty"],
                scale=item["scale"],
                tasks=_strings(item["tasks"]),
                result=item["result"],
                params={key: _options(spec, shared) for key, spec in item["params"].items()},
                since=int(item["since"]),
            )
            for item in items
        )
        for code, items in raw.items()
    }
    return Projects(shared["cities"], by_field)


@dataclass(frozen=True)
class Degree:
    """A degree: the age at graduation and the word for its studies."""

    age: int
    studies: str


@dataclass(frozen=True)
class LevelWords:
    """What depends on the level applied for."""

    name: str
    titles: tuple[str, ...]
    roles: tuple[str, ...]
    work_years: tuple[int, int]
    birth_years: tuple[int, int]
    learning: tuple[str, ...]
    leadership: tuple[str, ...]


@dataclass(frozen=True)
class StatementWords:
    """The sentence templates of a self-statement."""

    numerals: str
    headings: tuple[str, ...]
    intros: tuple[str, ...]
    knowledge_openers: tuple[str, ...]
    role_sentences: tuple[str, ...]
    knowledge_extras: tuple[str, ...]
    ethics: tuple[str, ...]
    team: tuple[str, ...]
    learning: tuple[str, ...]
    closings: tuple[str, ...]
    degrees: Mapping[str, Degree]
    levels: Mapping[str, LevelWords]


def _level(raw: dict[str, Any]) -> LevelWords:
    low, high = raw["work_years"]
    earliest, latest = raw["birth_years"]
    return LevelWords(
        name=raw["name"],
        titles=_strings(raw["titles"]),
        roles=_strings(raw["roles"]),
        work_years=(int(low), int(high)),
        birth_years=(int(earliest), int(latest)),
        learning=_strings(raw["learning"]),
        leadership=_strings(raw["leadership"]),
    )


@cache
def statement_words() -> StatementWords:
    """`statements.toml`."""
    raw = data_file("statements.toml")
    degrees = {name: Degree(int(item["age"]), item["studies"]) for name, item in raw.pop("degrees").items()}
    levels = {code: _level(item) for code, item in raw.pop("levels").items()}
    numerals = raw.pop("numerals")
    return StatementWords(
        numerals=numerals,
        degrees=degrees,
        levels=levels,
        **{key: _strings(items) for key, items in raw.items()},
    )
