"""A year's CPD record as built from ledger rows: aid postings that span years, make-ups and their certificate."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from capeval.models import CpdActivity
from capeval.services.certificates import records_for
from capeval.states.calendar import SHANGHAI
from capeval.states.cpd import Ce2026Policy

RECORDED = datetime(2028, 1, 5, tzinfo=SHANGHAI)


def row(attributes: dict[str, Any], evidence: str = "") -> CpdActivity:
    day = date.fromisoformat(attributes["date"])
    return CpdActivity(
        id=1,
        person_id=1,
        year=day.year,
        kind=attributes["kind"],
        happened_on=day,
        attributes=attributes,
        evidence_reference=evidence,
        recorded_by="王秘书",
        recorded_at=RECORDED,
        recognized_by="王秘书",
        natural_key="k",
    )


def test_an_aid_posting_recorded_in_one_year_completes_the_next_year_it_lasts_into() -> None:
    posting = row({"kind": "aid_posting", "date": "2026-07-01", "until": "2027-06-30"})
    for year, complete in ((2026, True), (2027, True), (2028, False)):
        assert Ce2026Policy().evaluate(records_for([posting], "张工", year)).compliant is complete


def test_a_make_up_counts_only_with_the_employer_certificate_not_with_its_course_proof() -> None:
    course = {
        "kind": "training",
        "date": "2027-02-01",
        "minutes": 90 * 45,
        "online": True,
        "subject": "professional",
        "organizer": "platform",
        "make_up_for": 2026,
    }
    proof_only = row(course, evidence="成绩单-2027.pdf")
    assert Ce2026Policy().evaluate(records_for([proof_only], "张工", 2026)).total == 0
    certified = row({**course, "employer_certificate": "单位出具的病假证明.pdf"}, evidence="成绩单-2027.pdf")
    assert Ce2026Policy().evaluate(records_for([certified], "张工", 2026)).total == 90
