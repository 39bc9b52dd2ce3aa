"""Test data for examiner review: a society with many examiners, review records, cases in material review."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from capeval.models import Examiner
from capeval.services.directory import load_directory
from capeval.services.runtime import Runtime
from capeval.states.application import Action
from capeval.states.review import ReviewRecord
from capeval.states.review_policy import AREAS

from .factories import FIELD, SOCIETY, act, person, society_document, submitted_case

EXAMINER_SERIAL = 500


def examiner_entry(n: int, employer: str = "", field: str = FIELD, level: str = "senior") -> dict[str, Any]:
    return {
        **person(EXAMINER_SERIAL + n, f"考官{n}"),
        "employer": employer or f"单位{n}",
        "field": field,
        "level": level,
    }


def load_review_society(runtime: Runtime, members: list[int], examiners: int = 4, **employers: str) -> None:
    """A society with `members` and `examiners` examiners (考官1..N, each at their own employer unless given)."""
    document = society_document(members)
    document["examiner"] = [examiner_entry(n, employers.get(f"e{n}", "")) for n in range(1, examiners + 1)]
    document["member"] = [
        {**entry, "employer": employers.get(f"m{i}", "")} for i, entry in zip(members, document["member"], strict=True)
    ]
    load_directory(runtime, document, origin="test directory")


def examiner_id(runtime: Runtime, n: int) -> int:
    """The examiner id of 考官n."""
    from capeval.models import Person

    with runtime.unit_of_work() as uow:
        row = uow.session.exec(
            select(Examiner).join(Person, Person.id == Examiner.person_id).where(Person.name == f"考官{n}")
        ).first()
        assert row is not None and row.id is not None
        return row.id


def examiner_number(runtime: Runtime, examiner: int) -> int:
    """n of 考官n for an examiner id."""
    with runtime.unit_of_work() as uow:
        row = uow.session.get(Examiner, examiner)
        assert row is not None
        person = uow.directory.person(row.person_id)
        assert person is not None
        return int(person.name.removeprefix("考官"))


def case_in_review(runtime: Runtime, serial: int, **options: Any) -> int:
    case_id = submitted_case(runtime, serial, **options)
    act(runtime, case_id, Action.ACCEPT_FOR_REVIEW)
    return case_id


def record(recommendation: str = "pass", *, not_achieved: tuple[str, ...] = (), **extra: Any) -> ReviewRecord:
    areas = {
        area: {"achieved": area not in not_achieved, "justification": f"{area}: 材料中有充分的项目证明"}
        for area in AREAS
    }
    return ReviewRecord.from_mapping({"areas": areas, "recommendation": recommendation, **extra})


__all__ = ["SOCIETY", "case_in_review", "examiner_entry", "examiner_id", "load_review_society", "record"]
