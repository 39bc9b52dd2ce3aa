"""Each named guard of the application workflow, on both sides of its rule."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

import pytest

from capeval.states import guards as g
from capeval.states.application import Action, Stage, advance
from capeval.states.certificates import Status
from capeval.states.errors import GuardRefused, InputError
from capeval.states.evidence import Grounds
from capeval.states.guards import ApplicationFacts, Guard, HeldCertificate, OpenApplication
from capeval.states.levels import Level, Route
from capeval.states.policy import PipelinePolicy
from capeval.states.statement import StatementMeasure

TODAY = date(2026, 3, 10)
FULL_EVIDENCE = frozenset({"id_card_front", "id_card_back", "education"})


def chinese(chars: int) -> StatementMeasure:
    """The measure of a statement of `chars` characters, all Chinese."""
    return StatementMeasure(chars, chars)


def facts(**overrides: Any) -> ApplicationFacts:
    """A standard professional application that satisfies every guard (windows open, supplement sent)."""
    values: dict[str, Any] = dict(
        route=Route.STANDARD,
        level=Level.PROFESSIONAL,
        field_code="civil",
        society_code="CCES",
        today=TODAY,
        self_statement=chinese(3000),
        evidence_kinds=FULL_EVIDENCE,
        commitment_signed=True,
        applicant_is_member=True,
        society_authorized_for_field=True,
        resubmission_due=TODAY,
        supplement_due=TODAY,
        supplements_since_request=1,
        reason="the self-statement describes the team's work, not the applicant's",
    )
    values.update(overrides)
    return ApplicationFacts(**values)


def international(**overrides: Any) -> ApplicationFacts:
    values: dict[str, Any] = dict(
        route=Route.INTERNATIONAL,
        international_title="IntPE",
        evidence_kinds=FULL_EVIDENCE | {"title_proof"},
    )
    values.update(overrides)
    return facts(**values)


def upgrade(current: Level | None, wanted: Level) -> ApplicationFacts:
    return facts(route=Route.UPGRADE, active_certificate_level=current, level=wanted)


def passes(guard: Guard, case: ApplicationFacts) -> bool:
    return guard.refusal(case) is None


def reason(guard: Guard, case: ApplicationFacts) -> str:
    refusal = guard.refusal(case)
    assert refusal is not None, f"{guard.name} should refuse"
    return str(refusal)


ALL_GUARDS = [
    g.SELF_STATEMENT_LENGTH,
    g.SELF_STATEMENT_IN_CHINESE,
    g.REQUIRED_EVIDENCE,
    g.COMMITMENT_SIGNED,
    g.SOCIETY_AUTHORIZED,
    g.APPLICANT_IS_MEMBER,
    g.NOT_BANNED,
    g.LEVEL_PROGRESSION,
    g.INTERNATIONAL_TITLE,
    g.WITHIN_RESUBMISSION_WINDOW,
    g.WITHIN_SUPPLEMENT_WINDOW,
    g.SUPPLEMENT_PROVIDED,
    g.REASON_GIVEN,
    g.ONE_OPEN_APPLICATION,
    g.MEMBERSHIP_ACTIVE,
]


@pytest.mark.parametrize("guard", ALL_GUARDS, ids=lambda guard: guard.name)
def test_the_standard_factory_satisfies_every_guard_but_the_window_closed_ones(guard: Guard) -> None:
    assert passes(guard, facts())
    assert guard.source


# --- self-statement length (Q&A Q9) --------------------------------------------------------------
@pytest.mark.parametrize("chars", [2000, 3000, 4000])
def test_self_statement_of_2000_to_4000_characters_is_accepted(chars: int) -> None:
    assert passes(g.SELF_STATEMENT_LENGTH, facts(self_statement=chinese(chars)))


def test_self_statement_of_1999_characters_is_refused_asking_to_add_one() -> None:
    text = reason(g.SELF_STATEMENT_LENGTH, facts(self_statement=chinese(1999)))
    assert "1999 characters" in text and "2000-4000" in text and "add at least 1" in text


def test_empty_self_statement_is_refused_asking_to_add_2000() -> None:
    assert "add at least 2000" in reason(g.SELF_STATEMENT_LENGTH, facts(self_statement=chinese(0)))


def test_self_statement_of_4001_characters_is_refused_asking_to_cut_one() -> None:
    text = reason(g.SELF_STATEMENT_LENGTH, facts(self_statement=chinese(4001)))
    assert "4001 characters" in text and "cut at least 1" in text


def test_self_statement_limits_follow_the_policy() -> None:
    policy = PipelinePolicy(self_statement_min_chars=1000, self_statement_max_chars=1500)
    assert passes(g.SELF_STATEMENT_LENGTH, facts(self_statement=chinese(1000), policy=policy))
    assert "cut at least 500" in reason(g.SELF_STATEMENT_LENGTH, facts(self_statement=chinese(2000), policy=policy))


# --- self-statement in Chinese (Q&A Q18, Q29) ----------------------------------------------------
def test_a_statement_with_at_least_half_chinese_characters_is_accepted() -> None:
    assert passes(g.SELF_STATEMENT_IN_CHINESE, facts(self_statement=StatementMeasure(3000, 1500)))


def test_a_statement_just_under_half_chinese_is_refused_with_its_measure() -> None:
    text = reason(g.SELF_STATEMENT_IN_CHINESE, facts(self_statement=StatementMeasure(3000, 1499)))
    assert "49% Chinese" in text and "1499 Chinese characters of 3000" in text and "at least 50%" in text
    assert "write the self-statement in Chinese" in text


def test_the_chinese_share_follows_the_policy() -> None:
    policy = PipelinePolicy(self_statement_min_chinese_percent=80)
    assert passes(g.SELF_STATEMENT_IN_CHINESE, facts(self_statement=StatementMeasure(3000, 2400), policy=policy))
    assert "at least 80%" in reason(
        g.SELF_STATEMENT_IN_CHINESE, facts(self_statement=StatementMeasure(3000, 2399), policy=policy)
    )


def test_an_empty_statement_is_left_to_the_length_guard() -> None:
    assert passes(g.SELF_STATEMENT_IN_CHINESE, facts(self_statement=StatementMeasure(0, 0)))


# --- required evidence (Q&A Q11, Q29) ------------------------------------------------------------
@pytest.mark.parametrize("kind", ["id_card_front", "id_card_back", "education"])
def test_each_missing_required_evidence_kind_is_named(kind: str) -> None:
    text = reason(g.REQUIRED_EVIDENCE, facts(evidence_kinds=FULL_EVIDENCE - {kind}))
    assert f"({kind})" in text
    assert g.EVIDENCE_LABELS[kind] in text
    others = FULL_EVIDENCE - {kind}
    assert not any(f"({other})" in text for other in others)


def test_all_missing_evidence_kinds_are_named_together() -> None:
    text = reason(g.REQUIRED_EVIDENCE, facts(evidence_kinds=frozenset()))
    assert all(f"({kind})" in text for kind in FULL_EVIDENCE)


def test_optional_evidence_is_not_required() -> None:
    assert passes(g.REQUIRED_EVIDENCE, facts(evidence_kinds=FULL_EVIDENCE))
    assert passes(g.REQUIRED_EVIDENCE, facts(evidence_kinds=FULL_EVIDENCE | {"award", "work_experience"}))


def test_title_proof_is_not_required_on_the_standard_route() -> None:
    assert passes(g.REQUIRED_EVIDENCE, facts(evidence_kinds=FULL_EVIDENCE))


def test_title_proof_is_required_on_the_international_route() -> None:
    assert passes(g.REQUIRED_EVIDENCE, international())
    text = reason(g.REQUIRED_EVIDENCE, international(evidence_kinds=FULL_EVIDENCE))
    assert "(title_proof)" in text


# --- commitment letter (Q&A Q8, Q14) -------------------------------------------------------------
def test_unsigned_commitment_letter_is_refused() -> None:
    assert passes(g.COMMITMENT_SIGNED, facts(commitment_signed=True))
    assert "commitment letter" in reason(g.COMMITMENT_SIGNED, facts(commitment_signed=False))


# --- society membership (Q&A Q4, Q6, Q36) --------------------------------------------------------
def test_active_member_may_apply() -> None:
    assert passes(g.APPLICANT_IS_MEMBER, facts(applicant_is_member=True))


def test_non_member_is_refused_naming_the_society() -> None:
    text = reason(g.APPLICANT_IS_MEMBER, facts(applicant_is_member=False))
    assert "CCES" in text and "member" in text


def test_pending_membership_is_refused_by_default() -> None:
    assert not passes(g.APPLICANT_IS_MEMBER, facts(applicant_is_member=False, membership_pending=True))


def test_pending_membership_counts_when_the_policy_accepts_concurrent_membership() -> None:
    policy = PipelinePolicy(accept_concurrent_membership=True)
    pending = facts(applicant_is_member=False, membership_pending=True, policy=policy)
    assert passes(g.APPLICANT_IS_MEMBER, pending)


def test_concurrent_membership_policy_does_not_admit_someone_with_no_membership_at_all() -> None:
    policy = PipelinePolicy(accept_concurrent_membership=True)
    assert not passes(g.APPLICANT_IS_MEMBER, facts(applicant_is_member=False, policy=policy))


# --- society authorization (Q&A Q4-Q5; Charter art. 16) ------------------------------------------
def test_society_not_authorized_for_the_field_is_refused_naming_both() -> None:
    assert passes(g.SOCIETY_AUTHORIZED, facts(society_authorized_for_field=True))
    text = reason(g.SOCIETY_AUTHORIZED, facts(society_authorized_for_field=False))
    assert "'CCES'" in text and "'civil'" in text


# --- lifetime ban (Q&A Q14) ----------------------------------------------------------------------
def test_banned_applicant_is_refused_for_life() -> None:
    assert passes(g.NOT_BANNED, facts(applicant_banned=False))
    assert "banned for life" in reason(g.NOT_BANNED, facts(applicant_banned=True))


# --- level progression (Q&A Q34-Q35) -------------------------------------------------------------
def test_upgrade_from_apprentice_to_professional_is_allowed() -> None:
    assert passes(g.LEVEL_PROGRESSION, upgrade(Level.APPRENTICE, Level.PROFESSIONAL))


def test_upgrade_from_professional_to_senior_is_allowed() -> None:
    assert passes(g.LEVEL_PROGRESSION, upgrade(Level.PROFESSIONAL, Level.SENIOR))


def test_upgrade_from_apprentice_to_senior_is_refused_as_skipping_a_level() -> None:
    text = reason(g.LEVEL_PROGRESSION, upgrade(Level.APPRENTICE, Level.SENIOR))
    assert "no level may be skipped" in text and "professional" in text


def test_upgrade_to_the_level_already_held_is_refused() -> None:
    assert not passes(g.LEVEL_PROGRESSION, upgrade(Level.PROFESSIONAL, Level.PROFESSIONAL))


def test_upgrade_without_a_certificate_is_refused() -> None:
    assert "needs an active certificate" in reason(g.LEVEL_PROGRESSION, upgrade(None, Level.PROFESSIONAL))


def test_senior_member_has_nothing_to_upgrade_to() -> None:
    assert "nothing to upgrade to" in reason(g.LEVEL_PROGRESSION, upgrade(Level.SENIOR, Level.SENIOR))


def test_standard_route_with_an_active_certificate_is_refused() -> None:
    text = reason(g.LEVEL_PROGRESSION, facts(active_certificate_level=Level.APPRENTICE))
    assert "upgrade route" in text


@pytest.mark.parametrize("level", list(Level))
def test_standard_route_without_a_certificate_may_ask_for_any_level(level: Level) -> None:
    assert passes(g.LEVEL_PROGRESSION, facts(level=level))


# --- international title (Q&A Q29) ---------------------------------------------------------------
def test_international_route_needs_the_title_named() -> None:
    assert passes(g.INTERNATIONAL_TITLE, international(international_title="EUR ING"))
    assert "title" in reason(g.INTERNATIONAL_TITLE, international(international_title=None))
    assert not passes(g.INTERNATIONAL_TITLE, international(international_title=""))


def test_standard_route_needs_no_international_title() -> None:
    assert passes(g.INTERNATIONAL_TITLE, facts(international_title=None))


# --- resubmission window (Q&A Q19) ---------------------------------------------------------------
def test_resubmission_on_the_due_day_is_allowed() -> None:
    assert passes(g.WITHIN_RESUBMISSION_WINDOW, facts(resubmission_due=TODAY))


def test_resubmission_the_day_after_the_due_day_is_refused() -> None:
    late = facts(resubmission_due=TODAY - timedelta(days=1))
    assert "closed on 2026-03-09" in reason(g.WITHIN_RESUBMISSION_WINDOW, late)


def test_return_is_not_lapsed_on_its_due_day() -> None:
    assert "until 2026-03-10" in reason(g.RESUBMISSION_WINDOW_CLOSED, facts(resubmission_due=TODAY))


def test_return_lapses_the_day_after_its_due_day() -> None:
    assert passes(g.RESUBMISSION_WINDOW_CLOSED, facts(resubmission_due=TODAY - timedelta(days=1)))


def test_return_without_a_due_date_never_lapses() -> None:
    assert not passes(g.RESUBMISSION_WINDOW_CLOSED, facts(resubmission_due=None))


# --- supplement window and supplement provided (Q&A Q15, Q19) ------------------------------------
def test_supplement_on_the_due_day_is_allowed() -> None:
    assert passes(g.WITHIN_SUPPLEMENT_WINDOW, facts(supplement_due=TODAY))


def test_supplement_the_day_after_the_due_day_is_refused() -> None:
    late = facts(supplement_due=TODAY - timedelta(days=1))
    assert "closed on 2026-03-09" in reason(g.WITHIN_SUPPLEMENT_WINDOW, late)


def test_supplement_request_is_not_lapsed_on_its_due_day() -> None:
    assert not passes(g.SUPPLEMENT_WINDOW_CLOSED, facts(supplement_due=TODAY))


def test_supplement_request_lapses_the_day_after_its_due_day() -> None:
    assert passes(g.SUPPLEMENT_WINDOW_CLOSED, facts(supplement_due=TODAY - timedelta(days=1)))


def test_supplement_request_without_a_due_date_never_lapses() -> None:
    assert not passes(g.SUPPLEMENT_WINDOW_CLOSED, facts(supplement_due=None))


def test_providing_a_supplement_needs_material_added_since_the_request() -> None:
    assert passes(g.SUPPLEMENT_PROVIDED, facts(supplements_since_request=1))
    assert "no supplementary material" in reason(g.SUPPLEMENT_PROVIDED, facts(supplements_since_request=0))


# --- reason (Q&A Q19-Q20) ------------------------------------------------------------------------
@pytest.mark.parametrize("missing", [None, "", "   ", "\t\n"])
def test_an_action_that_needs_a_reason_refuses_an_empty_or_blank_one(missing: str | None) -> None:
    assert "needs a reason" in reason(g.REASON_GIVEN, facts(reason=missing))


def test_a_written_reason_is_accepted() -> None:
    assert passes(g.REASON_GIVEN, facts(reason="x"))


# --- guards through advance() --------------------------------------------------------------------
def test_submitting_with_several_failing_guards_names_every_reason() -> None:
    case = facts(
        applicant_is_member=False,
        commitment_signed=False,
        self_statement=chinese(1500),
        evidence_kinds=frozenset({"id_card_front"}),
    )
    failing = [g.APPLICANT_IS_MEMBER, g.COMMITMENT_SIGNED, g.SELF_STATEMENT_LENGTH, g.REQUIRED_EVIDENCE]
    with pytest.raises(GuardRefused) as refused:
        advance(Stage.DRAFT, Action.SUBMIT, case)
    message = str(refused.value)
    for guard in failing:
        assert reason(guard, case) in message
        assert guard.name in refused.value.guard
    for guard in set(g.SUBMISSION_GUARDS) - set(failing):
        assert guard.name not in refused.value.guard


def test_submitting_with_every_guard_satisfied_succeeds() -> None:
    assert advance(Stage.DRAFT, Action.SUBMIT, facts()).dest is Stage.SUBMITTED


def test_resubmitting_late_is_refused_with_the_window_reason() -> None:
    with pytest.raises(GuardRefused, match="resubmission window closed") as refused:
        advance(Stage.RETURNED, Action.RESUBMIT, facts(resubmission_due=TODAY - timedelta(days=1)))
    assert refused.value.guard == "within_resubmission_window"


def test_accepting_a_banned_applicant_for_review_is_refused() -> None:
    with pytest.raises(GuardRefused, match="banned for life"):
        advance(Stage.SUBMITTED, Action.ACCEPT_FOR_REVIEW, facts(applicant_banned=True))


def test_returning_for_revision_without_a_reason_is_refused() -> None:
    with pytest.raises(GuardRefused, match="needs a reason"):
        advance(Stage.SUBMITTED, Action.RETURN_FOR_REVISION, facts(reason=" "))


def test_the_lapse_sweep_is_refused_on_the_due_day_and_lapses_the_case_the_day_after() -> None:
    with pytest.raises(GuardRefused, match="may still resubmit until 2026-03-10"):
        advance(Stage.RETURNED, Action.LAPSE, facts(resubmission_due=TODAY))
    assert advance(Stage.RETURNED, Action.LAPSE, facts(resubmission_due=TODAY - timedelta(days=1))).dest is Stage.LAPSED


def test_an_unanswered_supplement_request_lapses_only_after_its_due_day() -> None:
    with pytest.raises(GuardRefused, match="may still send supplements until 2026-03-10"):
        advance(Stage.SUPPLEMENT_REQUESTED, Action.LAPSE, facts(supplement_due=TODAY))
    late = facts(supplement_due=TODAY - timedelta(days=1))
    assert advance(Stage.SUPPLEMENT_REQUESTED, Action.LAPSE, late).dest is Stage.LAPSED


# --- eligibility held at every decision (Q&A Q6, Q14, Q29, Q34-Q36) -------------------------------
def held(status: Status, level: Level = Level.APPRENTICE, number: str = "CE-CCES-CIVI-2024-00003") -> HeldCertificate:
    return HeldCertificate(number, level, status)


@pytest.mark.parametrize(
    ("route", "level"),
    [(Route.STANDARD, Level.SENIOR), (Route.UPGRADE, Level.PROFESSIONAL)],
    ids=["standard", "upgrade"],
)
def test_a_suspended_certificate_blocks_any_application_in_its_field_until_restored(route: Route, level: Level) -> None:
    case = facts(route=route, level=level, certificates_in_field=(held(Status.SUSPENDED),))
    text = reason(g.LEVEL_PROGRESSION, case)
    assert "apprentice certificate CE-CCES-CIVI-2024-00003" in text and "suspended" in text and "restore" in text


def test_a_suspended_certificate_counts_as_the_level_held_when_the_policy_says_it_does_not_block() -> None:
    policy = PipelinePolicy(suspended_certificate_blocks=False)
    suspended = (held(Status.SUSPENDED),)
    assert "upgrade route" in reason(g.LEVEL_PROGRESSION, facts(certificates_in_field=suspended, policy=policy))
    upgrade_case = facts(route=Route.UPGRADE, certificates_in_field=suspended, policy=policy)
    assert passes(g.LEVEL_PROGRESSION, upgrade_case)


def test_an_expired_certificate_counts_as_none_by_default() -> None:
    expired = (held(Status.EXPIRED, Level.PROFESSIONAL),)
    assert passes(g.LEVEL_PROGRESSION, facts(level=Level.SENIOR, certificates_in_field=expired))
    upgrade_case = facts(route=Route.UPGRADE, level=Level.SENIOR, certificates_in_field=expired)
    assert "needs an active certificate" in reason(g.LEVEL_PROGRESSION, upgrade_case)


def test_an_expired_certificate_counts_as_the_level_held_when_the_policy_says_so() -> None:
    policy = PipelinePolicy(expired_certificate_counts_as_held=True)
    expired = (held(Status.EXPIRED, Level.PROFESSIONAL),)
    text = reason(g.LEVEL_PROGRESSION, facts(level=Level.SENIOR, certificates_in_field=expired, policy=policy))
    assert "at the professional level" in text and "upgrade route" in text
    upgrade_case = facts(route=Route.UPGRADE, level=Level.SENIOR, certificates_in_field=expired, policy=policy)
    assert passes(g.LEVEL_PROGRESSION, upgrade_case)


def test_another_application_under_way_in_the_field_is_refused_naming_it() -> None:
    case = facts(other_open_applications=(OpenApplication(7, "civil"),))
    text = reason(g.ONE_OPEN_APPLICATION, case)
    assert "case 7" in text and "'civil'" in text and "withdraw one" in text


def test_an_application_under_way_in_another_field_is_allowed_unless_the_policy_is_one_per_person() -> None:
    elsewhere = (OpenApplication(7, "mechanical"),)
    assert passes(g.ONE_OPEN_APPLICATION, facts(other_open_applications=elsewhere))
    policy = PipelinePolicy(parallel_applications="one_per_person")
    assert "case 7" in reason(g.ONE_OPEN_APPLICATION, facts(other_open_applications=elsewhere, policy=policy))


def test_registration_needs_an_active_membership_even_where_a_pending_one_was_accepted() -> None:
    policy = PipelinePolicy(accept_concurrent_membership=True)
    pending = facts(applicant_is_member=False, membership_pending=True, policy=policy)
    assert passes(g.APPLICANT_IS_MEMBER, pending)
    assert "still pending" in reason(g.MEMBERSHIP_ACTIVE, pending)
    assert "not a registered member" in reason(g.MEMBERSHIP_ACTIVE, facts(applicant_is_member=False, policy=policy))


@pytest.mark.parametrize(
    ("stage", "action"),
    [
        (Stage.SUBMITTED, Action.ACCEPT_FOR_REVIEW),
        (Stage.COMMITTEE_REVIEW, Action.APPROVE),
        (Stage.APPROVED, Action.REGISTER),
    ],
)
@pytest.mark.parametrize(
    ("defect", "guard"),
    [
        ({"applicant_banned": True}, "not_banned_for_life"),
        ({"applicant_is_member": False}, "applicant_is_member"),
        ({"certificates_in_field": (held(Status.SUSPENDED),)}, "level_progression"),
        ({"active_certificate_level": Level.PROFESSIONAL}, "level_progression"),
        ({"international_title_expires_on": TODAY - timedelta(days=1)}, "international_title_valid"),
    ],
    ids=["banned", "not_member", "suspended", "already_certified", "title_expired"],
)
def test_eligibility_is_held_again_at_acceptance_approval_and_registration(
    stage: Stage, action: Action, defect: dict[str, Any], guard: str
) -> None:
    case = international(**defect) if guard == "international_title_valid" else facts(**defect)
    if action is Action.APPROVE:
        case = dataclasses.replace(case, decision_grounds=Grounds("resolution RES-2026-0001", frozenset({"approve"})))
    with pytest.raises(GuardRefused) as refused:
        advance(stage, action, case)
    registering_a_non_member = action is Action.REGISTER and guard == "applicant_is_member"
    assert [name for name, _ in refused.value.refusals] == ["membership_active" if registering_a_non_member else guard]


def test_the_secretariat_confirms_no_title_for_a_banned_applicant() -> None:
    with pytest.raises(GuardRefused, match="banned for life"):
        advance(Stage.SECRETARIAT_CONFIRMATION, Action.CONFIRM_TITLE, international(applicant_banned=True))


def test_a_pending_membership_accepted_at_submission_still_counts_at_approval_but_not_at_registration() -> None:
    policy = PipelinePolicy(accept_concurrent_membership=True)
    pending = facts(applicant_is_member=False, membership_pending=True, policy=policy)
    assert advance(Stage.SUBMITTED, Action.ACCEPT_FOR_REVIEW, pending).dest is Stage.MATERIAL_REVIEW
    cited = dataclasses.replace(pending, decision_grounds=Grounds("resolution RES-2026-0001", frozenset({"approve"})))
    assert advance(Stage.COMMITTEE_REVIEW, Action.APPROVE, cited).dest is Stage.APPROVED
    with pytest.raises(GuardRefused, match="still pending"):
        advance(Stage.APPROVED, Action.REGISTER, pending)


@pytest.mark.parametrize(
    ("stage", "action"), [(Stage.DRAFT, Action.SUBMIT), (Stage.RETURNED, Action.RESUBMIT)], ids=["submit", "resubmit"]
)
def test_a_parallel_application_is_refused_at_submission_and_acceptance(stage: Stage, action: Action) -> None:
    parallel = facts(other_open_applications=(OpenApplication(3, "civil"),))
    with pytest.raises(GuardRefused, match="case 3"):
        advance(stage, action, parallel)
    with pytest.raises(GuardRefused, match="case 3"):
        advance(Stage.SUBMITTED, Action.ACCEPT_FOR_REVIEW, parallel)
    cited = dataclasses.replace(parallel, decision_grounds=Grounds("resolution RES-2026-0001", frozenset({"approve"})))
    assert advance(Stage.COMMITTEE_REVIEW, Action.APPROVE, cited).dest is Stage.APPROVED


def test_the_eligibility_rules_are_read_from_the_policy_file_and_say_they_are_capevals_choice() -> None:
    policy = PipelinePolicy.from_mapping(
        {
            "parallel_applications": "one_per_person",
            "suspended_certificate_blocks": False,
            "expired_certificate_counts_as_held": True,
        }
    )
    assert (policy.parallel_applications, policy.suspended_certificate_blocks) == ("one_per_person", False)
    assert policy.expired_certificate_counts_as_held is True
    with pytest.raises(InputError, match="must be one of: one_per_field, one_per_person, not 'unlimited'"):
        PipelinePolicy.from_mapping({"parallel_applications": "unlimited"})
    defaults = {entry["rule"]: entry for entry in PipelinePolicy().describe()}
    assert [defaults[name]["default"] for name in ELIGIBILITY_RULES] == ["one_per_field", True, False]
    for name in ELIGIBILITY_RULES:
        assert defaults[name]["source"].startswith("not in the sources: capeval's choice")


ELIGIBILITY_RULES = ("parallel_applications", "suspended_certificate_blocks", "expired_certificate_counts_as_held")
