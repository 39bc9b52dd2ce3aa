"""Who is who: the generated people under the keys of `data/cast.toml`, and the cases the demo opened.

Scenes never name a person or a case by its position in a list: they use a key ("yu_qiang"), and the
`Cases` registry maps each case key to the id the database gave it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from capeval.demo.people import (
    DemoApplicant,
    DemoPerson,
    demo_applicants,
    demo_examiners,
    demo_federation,
    demo_workgroup,
)
from capeval.demo.vocabulary import data_file

_T = TypeVar("_T")


def _keyed(names: Mapping[str, str], people: Sequence[_T], person_names: Sequence[str], part: str) -> dict[str, _T]:
    keys = {name: key for key, name in names.items()}
    unnamed = [name for name in person_names if name not in keys]
    if unnamed or len(keys) != len(people):
        raise ValueError(f"cast.toml [{part}] does not match the generated people (unnamed: {', '.join(unnamed)})")
    return {keys[name]: person for name, person in zip(person_names, people)}


@dataclass(frozen=True)
class Cast:
    """Everyone in the story by key, each group in the order it was generated."""

    workgroup: Mapping[str, DemoPerson]
    examiners: Mapping[str, DemoPerson]
    applicants: Mapping[str, DemoApplicant]
    staff: str
    """Key of the workgroup member who acts for the society."""
    federation: Mapping[str, Mapping[str, DemoPerson]]
    """The secretariat and each body of the federation: body -> key -> person."""

    def member(self, body: str, index: int = 0) -> DemoPerson:
        """The `index`-th member of a federation body (or of the secretariat), in generated order."""
        return list(self.federation[body].values())[index]

    def position(self, applicant: str) -> int:
        """Where the applicant stands in the generated order (their member number counts from it)."""
        return list(self.applicants).index(applicant)


def load_cast(seed: int = 7) -> Cast:
    """The people of `seed` under the keys of `cast.toml`; a person the file does not name is an error."""
    raw = data_file("cast.toml")
    workgroup, examiners = demo_workgroup(seed), demo_examiners(seed)
    applicants = demo_applicants(len(raw["applicants"]), seed)
    federation = demo_federation(len(raw["applicants"]), seed)
    return Cast(
        workgroup=_keyed(raw["workgroup"], workgroup, [p.name for p in workgroup], "workgroup"),
        examiners=_keyed(raw["examiners"], examiners, [p.name for p in examiners], "examiners"),
        applicants=_keyed(raw["applicants"], applicants, [a.person.name for a in applicants], "applicants"),
        staff=raw["staff"],
        federation={
            body: _keyed(raw["federation"][body], people, [p.name for p in people], f"federation.{body}")
            for body, people in federation.items()
        },
    )


class Cases:
    """The cases the demo opened: case key -> the id the database gave, and whose case it is."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._applicants: dict[str, str] = {}

    def add(self, key: str, case_id: int, applicant: str) -> None:
        """Record case `key` of `applicant` (an applicant key) under its database id."""
        if key in self._ids:
            raise ValueError(f"case '{key}' is already open")
        self._ids[key] = case_id
        self._applicants[key] = applicant

    def id(self, key: str) -> int:
        """The database id of case `key`."""
        return self._ids[key]

    def applicant(self, key: str) -> str:
        """The applicant key of case `key`."""
        return self._applicants[key]

    def __contains__(self, key: object) -> bool:
        return key in self._ids

    def __iter__(self) -> Iterator[str]:
        """Case keys in the order the cases were opened."""
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)
