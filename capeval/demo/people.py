"""Deterministic fictitious people for the demo: workgroup staff, examiners and applicants.

Everything is invented: names come from common Chinese name pools, ID numbers are well formed but made up,
e-mail addresses use ``example.*`` domains only, and self-statements are assembled from field-specific
templates (see `capeval.demo.statements`). The pools live in `data/people.toml`. The same seed always gives
the same people.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from capeval.demo.statements import AREA_HEADINGS, Author, build_statement, shorten
from capeval.demo.vocabulary import people_words, statement_words
from capeval.states.identity import id_check_character

__all__ = [
    "AREA_HEADINGS",
    "FIELD_CODES",
    "LEVELS",
    "DemoApplicant",
    "DemoPerson",
    "demo_applicants",
    "demo_examiners",
    "demo_federation",
    "demo_workgroup",
    "id_check_character",
    "short_statement",
]

FIELD_CODES: tuple[str, ...] = ("electrical", "mechanical", "civil", "ict")
LEVELS: tuple[str, ...] = ("apprentice", "professional", "senior")

_WORKGROUP_SIZE = 3
_EXAMINER_COUNT = 8
FEDERATION_SIZES: dict[str, int] = {
    "secretariat": 2,
    "review_committee": 7,
    "impartiality_committee": 9,
    "supervision_committee": 3,
    "presidium": 5,
}
"""How many people the federation's secretariat and each of its bodies has in the story."""


@dataclass(frozen=True)
class DemoPerson:
    """A fictitious person: workgroup staff, examiner or applicant."""

    name: str
    id_number: str
    email: str
    employer: str
    birth_year: int
    gender: str
    language: str


@dataclass(frozen=True)
class DemoApplicant:
    """A fictitious applicant with a complete self-statement."""

    person: DemoPerson
    field_code: str
    level: str
    self_statement: str


def _id_number(rng: random.Random, birth_year: int, gender: str) -> str:
    area = rng.choice(people_words().area_codes)
    start = date(birth_year, 1, 1)
    birthday = start + timedelta(days=rng.randrange((date(birth_year + 1, 1, 1) - start).days))
    sequence = rng.randrange(0, 500) * 2 + 1 if gender == "male" else rng.randrange(1, 500) * 2
    first17 = f"{area}{birthday:%Y%m%d}{sequence:03d}"
    return first17 + id_check_character(first17)


class _PersonFactory:
    """Draws people from one random stream, keeping names, IDs and e-mails distinct."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._names: set[str] = set()
        self._ids: set[str] = set()
        self._emails: set[str] = set()

    def _name(self, gender: str) -> tuple[str, str, str]:
        rng, pools = self._rng, people_words().names
        male = gender == "male"
        while True:
            surname = rng.choice(pools.compound_surnames if rng.random() < 0.07 else pools.surnames)
            if rng.random() < 0.75:
                given = rng.choice(pools.male_given if male else pools.female_given)
            else:
                given = rng.choice(pools.male_single if male else pools.female_single)
            name = surname[0] + given[0]
            if name not in self._names:
                self._names.add(name)
                return name, surname[1], given[1]

    def _email(self, surname: str, given: str, birth_year: int, domain: str) -> str:
        rng = self._rng
        style = rng.randrange(5)
        if style == 0:
            local = f"{surname}{given}"
        elif style == 1:
            local = f"{given}.{surname}"
        elif style == 2:
            local = f"{surname}.{given}"
        elif style == 3:
            local = f"{surname}{given}{birth_year % 100:02d}"
        else:
            local = f"{surname}_{given[0]}{rng.randint(1, 99)}"
        email = f"{local}@{domain}"
        while email in self._emails:
            email = f"{local}{rng.randint(2, 999)}@{domain}"
        self._emails.add(email)
        return email

    def make(
        self, *, birth_year: int, gender: str, employer: str, language: str, domain: str | None = None
    ) -> DemoPerson:
        name, surname_py, given_py = self._name(gender)
        id_number = _id_number(self._rng, birth_year, gender)
        while id_number in self._ids:
            id_number = _id_number(self._rng, birth_year, gender)
        self._ids.add(id_number)
        email = self._email(surname_py, given_py, birth_year, domain or self._rng.choice(people_words().email_domains))
        return DemoPerson(
            name=name,
            id_number=id_number,
            email=email,
            employer=employer,
            birth_year=birth_year,
            gender=gender,
            language=language,
        )


def _factory(seed: int) -> tuple[_PersonFactory, random.Random]:
    rng = random.Random(f"capeval-demo:{seed}:people")
    return _PersonFactory(rng), rng


def _make_workgroup(factory: _PersonFactory, rng: random.Random) -> list[DemoPerson]:
    societies = rng.sample(people_words().workgroup_employers, _WORKGROUP_SIZE)
    return [
        factory.make(
            birth_year=rng.randint(1978, 1996),
            gender=rng.choice(("male", "female")),
            employer=society,
            language="zh-CN",
        )
        for society in societies
    ]


def _make_examiners(factory: _PersonFactory, rng: random.Random) -> list[DemoPerson]:
    employers = [e for field in FIELD_CODES for e in rng.sample(people_words().examiner_employers[field], 2)]
    english = rng.randrange(_EXAMINER_COUNT)
    return [
        factory.make(
            birth_year=rng.randint(1960, 1976),
            gender="female" if rng.random() < 0.3 else "male",
            employer=employer,
            language="en" if index == english else "zh-CN",
        )
        for index, employer in enumerate(employers)
    ]


def demo_workgroup(seed: int = 7) -> list[DemoPerson]:
    """Return the three society workgroup staff members for ``seed``."""
    factory, rng = _factory(seed)
    return _make_workgroup(factory, rng)


def demo_examiners(seed: int = 7) -> list[DemoPerson]:
    """Return eight examiners (senior engineers and professors, two per field) for ``seed``."""
    factory, rng = _factory(seed)
    _make_workgroup(factory, rng)
    return _make_examiners(factory, rng)


def demo_applicants(count: int = 20, seed: int = 7) -> list[DemoApplicant]:
    """Return ``count`` applicants with full self-statements for ``seed``.

    Fields rotate through electrical, mechanical, civil and ICT; most applicants are at the
    professional level, with apprentice and senior applicants mixed in. Names and ID numbers
    are distinct from each other and from the workgroup and examiners of the same seed.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    factory, rng = _factory(seed)
    _make_workgroup(factory, rng)
    _make_examiners(factory, rng)
    return _make_applicants(factory, rng, count, seed)


def demo_federation(applicants: int = 20, seed: int = 7) -> dict[str, list[DemoPerson]]:
    """Return the federation's people for ``seed``: its secretariat and the members of each body.

    They are drawn after the workgroup, the examiners and ``applicants`` applicants, so adding them
    changes nobody else.
    """
    factory, rng = _factory(seed)
    _make_workgroup(factory, rng)
    _make_examiners(factory, rng)
    _make_applicants(factory, rng, applicants, seed)
    employers = people_words().federation_employers
    return {
        body: [
            factory.make(
                birth_year=rng.randint(1958, 1980),
                gender="female" if rng.random() < 0.35 else "male",
                employer=rng.choice(employers),
                language="zh-CN",
            )
            for _ in range(size)
        ]
        for body, size in FEDERATION_SIZES.items()
    }


def _make_applicants(factory: _PersonFactory, rng: random.Random, count: int, seed: int) -> list[DemoApplicant]:
    plan_rng = random.Random(f"capeval-demo:{seed}:plan:{count}")
    fields = [FIELD_CODES[i % len(FIELD_CODES)] for i in range(count)]
    level_cycle = ("professional", "apprentice", "senior", "professional", "professional")
    levels = [level_cycle[i % len(level_cycle)] for i in range(count)]
    plan_rng.shuffle(fields)
    plan_rng.shuffle(levels)
    english = set(plan_rng.sample(range(count), count // 8))

    applicants: list[DemoApplicant] = []
    for index, (field_code, level) in enumerate(zip(fields, levels)):
        person = factory.make(
            birth_year=rng.randint(*statement_words().levels[level].birth_years),
            gender="female" if rng.random() < 0.35 else "male",
            employer=rng.choice(people_words().applicant_employers[field_code]),
            language="en" if index in english else "zh-CN",
        )
        statement_rng = random.Random(f"capeval-demo:{seed}:statement:{person.id_number}")
        author = Author(person.name, person.employer, person.birth_year)
        statement = build_statement(statement_rng, author, field_code, level)
        applicants.append(DemoApplicant(person, field_code, level, statement))
    return applicants


def short_statement(applicant: DemoApplicant) -> str:
    """Return a deliberately too-short first draft (about 600-900 characters) of the statement.

    The draft reuses the opening and the first sentences of each competence area of the
    applicant's full statement, so it is recognisably the same person's text.
    """
    return shorten(applicant.self_statement, f"capeval-demo:short:{applicant.person.id_number}")
