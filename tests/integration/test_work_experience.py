"""Work experience on a stored application (Q&A Q33, Q37): the society's field rule loaded from the directory
file, the periods kept with the case and shown on it, and the submission refused when the counted years
are short, silent when the field's rule is unset."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
from sqlmodel import select

from capeval.models import Application
from capeval.services import queries
from capeval.services.directory import load_directory
from capeval.services.handlers import handle
from capeval.services.runtime import Runtime
from capeval.services.work_experience import society_rules
from capeval.states.application import Action
from capeval.states.commands import TakeAction
from capeval.states.errors import GuardRefused, InputError
from capeval.states.work_experience import ExperiencePeriod, PracticeStage

from ..factories import FIELD, SOCIETY, application_order, society_document


def directory(**rule: Any) -> dict[str, Any]:
    document = society_document([1, 2, 3])
    if rule:
        document["experience"] = [{"field": FIELD, **rule}]
    return document


def periods(*spans: tuple[str, str | None, str]) -> tuple[ExperiencePeriod, ...]:
    return tuple(
        ExperiencePeriod(
            date.fromisoformat(a), date.fromisoformat(b) if b else None, "国网某公司", "工程师", PracticeStage(s)
        )
        for a, b, s in spans
    )


def create(runtime: Runtime, serial: int, *spans: tuple[str, str | None, str]) -> tuple[int, str]:
    created = handle(runtime, dataclasses.replace(application_order(serial), work_experience=periods(*spans)))
    return created.case_id, created.applicant or ""


def submit(runtime: Runtime, case_id: int, applicant: str) -> str:
    return handle(runtime, TakeAction(case_id, Action.SUBMIT, applicant)).stage


def test_without_a_rule_for_the_field_a_case_with_no_experience_is_submitted(runtime: Runtime) -> None:
    load_directory(runtime, directory(), origin="directory")
    assert submit(runtime, *create(runtime, 1)) == "submitted"
    assert society_rules(runtime, SOCIETY)[0]["value"] == "unset: not checked"


def test_the_field_rule_refuses_a_case_a_day_short_and_takes_one_at_the_years(runtime: Runtime) -> None:
    load_directory(runtime, directory(professional_years=3, senior_years=8), origin="directory")
    # 2023-01-07 .. 2026-01-05 is 1095 days (2024 is a leap year): 3 years of 365 days
    short = create(runtime, 1, ("2023-01-08", "2024-06-30", "employment"), ("2024-06-01", "2026-01-05", "employment"))
    with pytest.raises(GuardRefused, match="requires 3 years for the professional level") as refused:
        submit(runtime, *short)
    assert "(1094 days)" in str(refused.value) and "1 days short" in str(refused.value)
    enough = create(runtime, 2, ("2023-01-07", "2026-01-05", "employment"))
    assert submit(runtime, *enough) == "submitted"


def test_undergraduate_practice_never_counts_and_master_practice_counts_once_recognized(runtime: Runtime) -> None:
    load_directory(runtime, directory(professional_years=1), origin="directory")
    study = (("2024-09-01", "2025-12-31", "master"), ("2022-09-01", "2024-06-30", "undergraduate"))
    case = create(runtime, 1, *study)
    with pytest.raises(GuardRefused, match=r"is 0\.0 years \(0 days\)"):
        submit(runtime, *case)
    load_directory(runtime, directory(professional_years=1, postgraduate_practice_counts=True), origin="directory")
    assert submit(runtime, *case) == "submitted"
    [line] = society_rules(runtime, SOCIETY)
    assert line["value"] == "professional 1" and line["meaning"] == "postgraduate practice recognized"


def test_the_periods_are_kept_with_the_case_and_shown_on_it(runtime: Runtime) -> None:
    load_directory(runtime, directory(), origin="directory")
    case_id, _ = create(runtime, 1, ("2020-07-01", "2023-06-30", "employment"), ("2023-07-01", None, "doctorate"))
    shown = queries.show(runtime, case_id)["work_experience"]
    assert [(p["from"], p["until"], p["stage"]) for p in shown] == [
        (date(2020, 7, 1), date(2023, 6, 30), "employment"),
        (date(2023, 7, 1), None, "doctorate"),
    ]


def test_a_period_in_the_future_or_reversed_is_refused_and_no_case_is_opened(runtime: Runtime) -> None:
    load_directory(runtime, directory(), origin="directory")
    with pytest.raises(InputError, match=r"experience\[1\]: the period reaches 2026-02-01, after today"):
        create(runtime, 1, ("2020-01-01", "2021-01-01", "employment"), ("2025-01-01", "2026-02-01", "employment"))
    with pytest.raises(InputError, match="before it starts"):
        create(runtime, 1, ("2021-01-01", "2020-01-01", "employment"))
    with runtime.unit_of_work() as uow:
        assert uow.session.exec(select(Application)).all() == []
    assert submit(runtime, *create(runtime, 1)) == "submitted"


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"professional_years": 61}, "is not a whole number of years from 0 to 60"),
        ({"professional_years": "5"}, "is not a whole number of years"),
        ({"postgraduate_practice_counts": "yes"}, "must be true or false"),
        ({"profesional_years": 5}, "unknown keys profesional_years"),
    ],
)
def test_a_bad_rule_in_the_directory_file_is_one_line_and_nothing_is_written(
    runtime: Runtime, rule: dict[str, Any], message: str
) -> None:
    with pytest.raises(InputError, match=message) as refused:
        load_directory(runtime, directory(**rule), origin="directory")
    assert "\n" not in str(refused.value) and "experience[0]" in str(refused.value)
    with runtime.unit_of_work() as uow:
        assert uow.directory.society_by_code(SOCIETY) is None


def test_a_rule_for_a_field_the_society_is_not_authorized_for_is_refused(runtime: Runtime) -> None:
    document = directory()
    document["experience"] = [{"field": "civil", "professional_years": 3}]
    with pytest.raises(InputError, match="not authorized for the field 'civil'"):
        load_directory(runtime, document, origin="directory")
