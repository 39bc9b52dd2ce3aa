"""Tests for the deterministic demo seed data."""

from __future__ import annotations

import re
from datetime import date
from itertools import combinations

import pytest

from capeval.demo.people import (
    DemoApplicant,
    DemoPerson,
    demo_applicants,
    demo_examiners,
    demo_workgroup,
    id_check_character,
    short_statement,
)

HEADINGS = (
    "工程知识与专业能力",
    "工程伦理与职业道德",
    "团队合作与交流能力",
    "持续发展与终身学习能力",
    "组织领导与项目管理能力",
)
EXAMPLE_DOMAINS = ("example.cn", "example.com.cn", "example.com", "example.org.cn", "example.net", "example.org")
AREA_CODES = {
    "110101",
    "110102",
    "110105",
    "110108",
    "120101",
    "310104",
    "310110",
    "310115",
    "440106",
    "440305",
    "320102",
    "320106",
    "330106",
    "510104",
    "510107",
    "420106",
    "420111",
    "610113",
    "370102",
    "500103",
    "430104",
    "410105",
    "350102",
    "230103",
    "210102",
    "340104",
}


def reference_check(first17: str) -> str:
    """Independent MOD 11-2: weight of position i is 2**(17-i) mod 11; check value (12 - S) mod 11."""
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


@pytest.fixture(scope="module")
def applicants() -> list[DemoApplicant]:
    return demo_applicants()


@pytest.fixture(scope="module")
def everyone(applicants: list[DemoApplicant]) -> list[DemoPerson]:
    return demo_workgroup() + demo_examiners() + [a.person for a in applicants]


def test_sizes(applicants: list[DemoApplicant]) -> None:
    assert len(demo_workgroup()) == 3
    assert len(demo_examiners()) == 8
    assert len(applicants) == 20
    assert len(demo_applicants(count=5, seed=3)) == 5
    assert demo_applicants(count=0) == []


def test_deterministic() -> None:
    assert demo_workgroup(11) == demo_workgroup(11)
    assert demo_examiners(11) == demo_examiners(11)
    assert demo_applicants(seed=11) == demo_applicants(seed=11)
    first = demo_applicants(count=4, seed=11)
    assert [short_statement(a) for a in first] == [short_statement(a) for a in demo_applicants(count=4, seed=11)]


def test_seeds_differ() -> None:
    assert demo_applicants(seed=1)[0] != demo_applicants(seed=2)[0]
    assert demo_workgroup(1) != demo_workgroup(2)


def test_names_and_ids_unique(everyone: list[DemoPerson]) -> None:
    assert len({p.name for p in everyone}) == len(everyone)
    assert len({p.id_number for p in everyone}) == len(everyone)
    assert len({p.email for p in everyone}) == len(everyone)


@pytest.mark.parametrize("seed", [0, 1, 2, 42, 2024])
def test_unique_across_seeds(seed: int) -> None:
    people = demo_workgroup(seed) + demo_examiners(seed) + [a.person for a in demo_applicants(seed=seed)]
    assert len({p.name for p in people}) == len(people) == 31
    assert len({p.id_number for p in people}) == len(people)


def test_names_look_chinese(everyone: list[DemoPerson]) -> None:
    for person in everyone:
        assert 2 <= len(person.name) <= 4
        assert all("\u4e00" <= ch <= "\u9fff" for ch in person.name)


def test_check_character_known_example() -> None:
    assert id_check_character("11010519491231002") == "X"
    assert reference_check("11010519491231002") == "X"
    assert id_check_character("44030519900101001") == reference_check("44030519900101001")
    with pytest.raises(ValueError):
        id_check_character("1234")
    with pytest.raises(ValueError):
        id_check_character("1101051949123100X")


def test_id_numbers_well_formed(everyone: list[DemoPerson]) -> None:
    for person in everyone:
        number = person.id_number
        assert re.fullmatch(r"\d{17}[\dX]", number), number
        assert number[:6] in AREA_CODES
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        assert born.year == person.birth_year
        sequence = int(number[14:17])
        assert sequence > 0
        assert person.gender == ("male" if sequence % 2 else "female")
        assert number[17] == reference_check(number[:17]) == id_check_character(number[:17])


def test_emails(everyone: list[DemoPerson]) -> None:
    for person in everyone:
        assert person.email.isascii()
        local, _, domain = person.email.partition("@")
        assert re.fullmatch(r"[a-z][a-z0-9._]*", local), person.email
        assert domain in EXAMPLE_DOMAINS


def test_person_fields(everyone: list[DemoPerson], applicants: list[DemoApplicant]) -> None:
    assert {p.language for p in everyone} <= {"zh-CN", "en"}
    assert sum(p.language == "en" for p in everyone) < len(everyone) // 4
    assert any(p.language == "en" for p in everyone)
    assert {p.gender for p in everyone} == {"male", "female"}
    for person in everyone:
        assert person.employer
        assert 1955 <= person.birth_year <= 2003
    assert {a.field_code for a in applicants} == {"electrical", "mechanical", "civil", "ict"}
    assert {a.level for a in applicants} == {"apprentice", "professional", "senior"}


def test_statements_length_and_headings(applicants: list[DemoApplicant]) -> None:
    for applicant in applicants:
        text = applicant.self_statement
        assert 2000 <= len(text) <= 4000, len(text)
        for heading in HEADINGS:
            assert heading in text
        positions = [text.index(h) for h in HEADINGS]
        assert positions == sorted(positions)
        assert text.count("我") >= 30
        assert "（2）" in text


@pytest.mark.parametrize("seed", [0, 3, 99])
def test_statements_in_range_for_other_seeds(seed: int) -> None:
    for applicant in demo_applicants(count=20, seed=seed):
        assert 2000 <= len(applicant.self_statement) <= 4000
        assert 600 <= len(short_statement(applicant)) <= 900


def test_statements_differ(applicants: list[DemoApplicant]) -> None:
    def sentences(text: str) -> set[str]:
        return {s for s in re.split(r"[。\n]", text) if s.strip()}

    assert len({a.self_statement for a in applicants}) == len(applicants)
    for a, b in combinations(applicants, 2):
        first, second = sentences(a.self_statement), sentences(b.self_statement)
        assert len(first & second) / len(first | second) < 0.4


def test_short_statements(applicants: list[DemoApplicant]) -> None:
    for applicant in applicants:
        draft = short_statement(applicant)
        assert 600 <= len(draft) <= 900, len(draft)
        assert len(draft) < 2000
        assert draft.split("\n\n")[0] == applicant.self_statement.split("\n\n")[0]
