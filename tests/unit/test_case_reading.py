"""Who may read a case's material: the table of readers and the moments federation bodies join it."""

from __future__ import annotations

import pytest

from capeval.states.application import Party, Stage
from capeval.states.case_reading import SOCIETY_ADMINISTRATOR, ReadingFacts, may_read, require_reader
from capeval.states.errors import NotPermitted

SUBMITTED = frozenset({Stage.DRAFT, Stage.SUBMITTED})
AT_COMMITTEE = SUBMITTED | {Stage.MATERIAL_REVIEW, Stage.COMMITTEE_REVIEW}
AT_SECRETARIAT = AT_COMMITTEE | {Stage.SECRETARIAT_CONFIRMATION}


def facts(*holds: str, reached: frozenset[Stage] = SUBMITTED, appealed: bool = False) -> ReadingFacts:
    return ReadingFacts(frozenset(holds), reached, appealed)


@pytest.mark.parametrize(
    "holder",
    [Party.APPLICANT, Party.WORKGROUP, SOCIETY_ADMINISTRATOR, Party.EXAMINERS, Party.INTERVIEW_PANEL],
)
def test_the_applicant_the_society_and_the_cases_examiners_read_it_from_the_start(holder: str) -> None:
    assert may_read(facts(str(holder)))


def test_nobody_without_a_part_in_the_case_reads_it() -> None:
    assert not may_read(facts())
    assert not may_read(facts("member", "public"))
    with pytest.raises(NotPermitted) as refused:
        require_reader(facts(), actor="路人甲", case_id=7)
    assert refused.value.code == "case_reading_refused" and "路人甲" in str(refused.value)


def test_the_review_committee_reads_a_case_once_it_has_reached_committee_review() -> None:
    assert not may_read(facts(Party.COMMITTEE))
    assert may_read(facts(Party.COMMITTEE, reached=AT_COMMITTEE))


def test_the_secretariat_reads_a_case_at_confirmation_or_when_it_is_appealed() -> None:
    assert not may_read(facts(Party.SECRETARIAT, reached=AT_COMMITTEE))
    assert may_read(facts(Party.SECRETARIAT, reached=AT_SECRETARIAT))
    assert may_read(facts(Party.SECRETARIAT, appealed=True))


def test_the_impartiality_committee_reads_only_an_appealed_case() -> None:
    assert not may_read(facts(Party.IMPARTIALITY_COMMITTEE, reached=AT_SECRETARIAT))
    assert may_read(facts(Party.IMPARTIALITY_COMMITTEE, appealed=True))
