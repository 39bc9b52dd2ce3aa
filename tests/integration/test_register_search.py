"""The public register found by part of a name, number, society or field, paged and in words; a society's
people with their roles."""

from __future__ import annotations

import pytest

from capeval.services.directory import load_directory
from capeval.services.public_register import register_labels, search_register
from capeval.services.runtime import Runtime
from capeval.services.society_people import society_people
from capeval.states.application import Action
from capeval.states.errors import InputError, NotFoundError

from ..factories import act, id_number, society_document, submitted_case

NAMES = {1: "周明", 2: "周丽华", 3: "李周", 4: "王强", 5: "Anna Zhou"}


def load_named_society(runtime: Runtime) -> None:
    document = society_document(list(NAMES))
    for entry, name in zip(document["member"], NAMES.values(), strict=True):
        entry["name"] = name
    load_directory(runtime, document, origin="test directory")


def registered(runtime: Runtime, serial: int) -> str:
    case_id = submitted_case(runtime, serial)
    for action in (Action.ACCEPT_FOR_REVIEW, Action.PASS_MATERIAL_REVIEW, Action.APPROVE, Action.REGISTER):
        outcome = act(runtime, case_id, action)
    return str(outcome.registration_number)


@pytest.fixture
def register(runtime: Runtime) -> dict[str, str]:
    load_named_society(runtime)
    return {NAMES[serial]: registered(runtime, serial) for serial in NAMES}


def test_part_of_a_name_finds_every_holder_bearing_it_in_number_order(
    runtime: Runtime, register: dict[str, str]
) -> None:
    page = search_register(runtime, name="周")
    assert [row.name for row in page.rows] == ["周明", "周丽华", "李周"]
    assert [row.registration_number for row in page.rows] == sorted(register[n] for n in ("周明", "周丽华", "李周"))
    assert page.next_after is None
    assert search_register(runtime, name="周", society="ces").rows == page.rows
    assert search_register(runtime, name="周", field="electrical").rows == page.rows
    assert search_register(runtime, name="%").rows == []
    assert [row.name for row in search_register(runtime, name="zhou").rows] == ["Anna Zhou"]


def test_a_search_is_paged_by_registration_number(runtime: Runtime, register: dict[str, str]) -> None:
    first = search_register(runtime, name="周", limit=2)
    assert len(first.rows) == 2 and first.next_after == first.rows[-1].registration_number
    second = search_register(runtime, name="周", limit=2, after=first.next_after)
    assert [row.name for row in second.rows] == ["李周"] and second.next_after is None
    whole = search_register(runtime, society="CES", limit=100)
    assert {row.name for row in whole.rows} == set(NAMES.values())


def test_a_row_shows_what_the_public_may_see_in_words_and_nothing_internal(
    runtime: Runtime, register: dict[str, str]
) -> None:
    [row] = search_register(runtime, number=register["王强"]).rows
    assert (row.name, row.level, row.field, row.society, row.status) == (
        "王强",
        "professional",
        "electrical",
        "CES",
        "active",
    )
    assert [(change.change, change.status) for change in row.changes] == [("issue", "active")]
    assert register_labels(row, "zh-CN") == {
        "level": "专业工程会员",
        "field": row.field_name_zh,
        "society": "中国电工技术学会",
        "status": "有效",
    }
    assert register_labels(row, "en")["society"] == "China Electrotechnical Society"
    shown = repr(row)
    for hidden in ("approval of case", id_number(4), "p4@example.cn", "王秘书", "diploma"):
        assert hidden not in shown


def test_a_search_without_criteria_or_with_unknown_codes_is_refused(runtime: Runtime, register: dict[str, str]) -> None:
    with pytest.raises(InputError) as empty:
        search_register(runtime, field="electrical")
    assert empty.value.code == "register_search_empty"
    for limit in (0, 101):
        with pytest.raises(InputError):
            search_register(runtime, name="周", limit=limit)
    with pytest.raises(InputError) as society:
        search_register(runtime, name="周", society="XYZ")
    assert society.value.code == "register_society_unknown" and "CES" in society.value.text("en")
    with pytest.raises(InputError) as field:
        search_register(runtime, name="周", field="nuclear")
    assert field.value.code == "register_field_unknown" and "electrical" in field.value.text("en")
    with pytest.raises(InputError) as both:
        search_register(runtime, name="周", number=register["周明"])
    assert both.value.code == "register_lookup_both"
    with pytest.raises(NotFoundError) as number:
        search_register(runtime, number="CE-CES-ELEC-1999-00001")
    assert number.value.code == "register_certificate_missing"


def test_a_societys_people_are_listed_with_their_roles_page_by_page(runtime: Runtime) -> None:
    load_named_society(runtime)
    everyone = society_people(runtime, "CES", limit=200)
    by_name = {row.name: row for row in everyone.rows}
    assert by_name["王秘书"].staff_roles == ("workgroup",)
    assert [(f.field, f.level) for f in by_name["赵考官"].examiner_fields] == [("electrical", "senior")]
    assert by_name["周明"].membership == "active" and by_name["周明"].staff_roles == ()
    assert "秘书处员" not in by_name and "审议委员1" not in by_name
    assert everyone.next_after is None
    pages, after = [], 0
    while True:
        page = society_people(runtime, "CES", limit=2, after=after)
        pages.append([row.name for row in page.rows])
        if page.next_after is None:
            break
        after = page.next_after
    assert [name for names in pages for name in names] == [row.name for row in everyone.rows]
    assert all(len(names) <= 2 for names in pages)
    with pytest.raises(NotFoundError):
        society_people(runtime, "XYZ")


def test_one_character_of_a_surname_finds_its_holders_within_a_society(
    runtime: Runtime, register: dict[str, str]
) -> None:
    """The finding: `register lookup --name 周 --society DES` found nothing although 周 held certificates."""
    page = search_register(runtime, name="周", society="CES", field="electrical")
    assert {row.name for row in page.rows} == {"周明", "周丽华", "李周"}
    assert [row.name for row in search_register(runtime, name="强").rows] == ["王强"]
