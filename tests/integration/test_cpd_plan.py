"""A society's yearly CPD plan (CPD-2024 art. 7; Q&A Q21) and the federation's (Q&A A21): loaded from a file by
their staff, listed, and cited by activities of the ledger; a citation of an item the plans for the activity's
year do not have is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from capeval.services import cpd_plans
from capeval.services.queries import cpd_ledger
from capeval.services.runtime import Runtime
from capeval.states.clock import FixedClock
from capeval.states.errors import GuardRefused, InputError, NotPermitted

from ..factories import SOCIETY, at
from .test_certificates import load_society, record, registered, training

STAFF = "王秘书"
PLAN_2026 = """year = 2026

[[item]]
id = "P26-01"
title = "电力系统新技术培训"
kind = "training"
hours = 8

[[item]]
id = "P26-02"
title = "年度学术会议"
kind = "seminar"
hours = 16
"""


def plan_file(folder: Path, text: str = PLAN_2026, name: str = "plan.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def holder(runtime: Runtime, clock: FixedClock) -> str:
    load_society(runtime, members=[1])
    number = registered(runtime, 1)
    clock.set(at("2026-07-02"))
    return number


def test_a_loaded_plan_is_listed_by_year_and_item(runtime: Runtime, holder: str, tmp_path: Path) -> None:
    done = cpd_plans.load_plan(runtime, SOCIETY, plan_file(tmp_path), STAFF)
    assert (done.year, done.added, done.changed) == (2026, 2, 0)
    items = cpd_plans.plan_items(runtime, SOCIETY, 2026)
    assert [(i.item_id, i.kind, i.hours) for i in items] == [("P26-01", "training", 8), ("P26-02", "seminar", 16)]
    assert cpd_plans.plan_items(runtime, SOCIETY, 2027) == []
    again = cpd_plans.load_plan(
        runtime, SOCIETY, plan_file(tmp_path, PLAN_2026.replace("hours = 8", "hours = 6")), STAFF
    )
    assert (again.added, again.changed) == (0, 1)


def test_an_activity_citing_an_item_of_the_plan_is_recorded_and_the_ledger_shows_it(
    runtime: Runtime, holder: str, tmp_path: Path
) -> None:
    cpd_plans.load_plan(runtime, SOCIETY, plan_file(tmp_path), STAFF)
    assert record(runtime, holder, [training("2026-07-01", 8, plan_item="P26-01")]).added == 1
    [line] = cpd_ledger(runtime, holder).lines
    assert line.plan_item == "P26-01"


def test_citing_an_item_the_plan_of_that_year_does_not_have_is_refused_and_nothing_is_written(
    runtime: Runtime, holder: str, tmp_path: Path
) -> None:
    cpd_plans.load_plan(runtime, SOCIETY, plan_file(tmp_path), STAFF)
    for cited, message in (
        ("P26-09", "has an item 'P26-09' (items: P26-01, P26-02"),
        ("P26-02", "the plan item 'P26-02' is a seminar, the activity a training"),
    ):
        with pytest.raises(GuardRefused, match=message.replace("(", r"\(")):
            record(runtime, holder, [training("2026-07-01", 8), training("2026-06-30", 8, plan_item=cited)])
    assert cpd_ledger(runtime, holder).lines == []


def test_an_activity_of_another_year_cannot_cite_this_years_plan(
    runtime: Runtime, clock: FixedClock, holder: str, tmp_path: Path
) -> None:
    cpd_plans.load_plan(runtime, SOCIETY, plan_file(tmp_path), STAFF)
    clock.set(at("2027-02-02"))
    with pytest.raises(GuardRefused, match="plan for 2027 has an item 'P26-01'"):
        record(runtime, holder, [training("2027-02-01", 8, plan_item="P26-01")])


def test_only_the_societys_staff_load_a_plan_and_a_bad_file_is_one_line(
    runtime: Runtime, holder: str, tmp_path: Path
) -> None:
    with pytest.raises(NotPermitted):
        cpd_plans.load_plan(runtime, SOCIETY, plan_file(tmp_path), "申请人1")
    for bad, message in (
        (PLAN_2026.replace("hours = 8", "hours = 0"), "'hours' must be a whole number from 1"),
        (PLAN_2026.replace('kind = "training"', 'kind = "nap"'), "the kind must be one of"),
        (PLAN_2026.replace("P26-02", "P26-01"), "lists the item 'P26-01' twice"),
        (PLAN_2026.replace("year = 2026", "year = 26"), "'year' must be a whole number from 2000"),
    ):
        with pytest.raises(InputError, match=message):
            cpd_plans.load_plan(runtime, SOCIETY, plan_file(tmp_path, bad), STAFF)
    assert cpd_plans.plan_items(runtime, SOCIETY) == []


FEDERATION_STAFF = "秘书处员"
FEDERATION_PLAN = PLAN_2026.replace("P26-", "F26-")


def test_the_federations_plan_is_loaded_by_its_secretariat_and_cited_as_federation_items(
    runtime: Runtime, holder: str, tmp_path: Path
) -> None:
    done = cpd_plans.load_federation_plan(runtime, plan_file(tmp_path, FEDERATION_PLAN), FEDERATION_STAFF)
    assert (done.society, done.year, done.added, done.changed) == ("federation", 2026, 2, 0)
    assert [i.item_id for i in cpd_plans.federation_plan_items(runtime, 2026)] == ["F26-01", "F26-02"]
    assert cpd_plans.plan_items(runtime, SOCIETY) == []
    assert record(runtime, holder, [training("2026-07-01", 8, plan_item="federation:F26-01")]).added == 1
    [line] = cpd_ledger(runtime, holder).lines
    assert line.plan_item == "federation:F26-01"


def test_a_federation_item_is_not_cited_by_its_bare_id_nor_a_society_item_with_the_federation_prefix(
    runtime: Runtime, holder: str, tmp_path: Path
) -> None:
    cpd_plans.load_plan(runtime, SOCIETY, plan_file(tmp_path), STAFF)
    cpd_plans.load_federation_plan(runtime, plan_file(tmp_path, FEDERATION_PLAN, "federation.toml"), FEDERATION_STAFF)
    for cited in ("F26-01", "federation:P26-01"):
        with pytest.raises(GuardRefused, match=f"has an item '{cited}'"):
            record(runtime, holder, [training("2026-07-01", 8, plan_item=cited)])
    with pytest.raises(GuardRefused, match="the plan item 'F26-02' is a seminar, the activity a training"):
        record(runtime, holder, [training("2026-07-01", 8, plan_item="federation:F26-02")])
    assert cpd_ledger(runtime, holder).lines == []


def test_only_the_federations_secretariat_or_administrators_load_its_plan(
    runtime: Runtime, holder: str, tmp_path: Path
) -> None:
    for someone in (STAFF, "申请人1"):
        with pytest.raises(NotPermitted, match="only"):
            cpd_plans.load_federation_plan(runtime, plan_file(tmp_path, FEDERATION_PLAN), someone)
    assert cpd_plans.federation_plan_items(runtime) == []
    changed = FEDERATION_PLAN.replace("hours = 8", "hours = 6")
    cpd_plans.load_federation_plan(runtime, plan_file(tmp_path, FEDERATION_PLAN), FEDERATION_STAFF)
    again = cpd_plans.load_federation_plan(runtime, plan_file(tmp_path, changed), FEDERATION_STAFF)
    assert (again.added, again.changed) == (0, 1)
