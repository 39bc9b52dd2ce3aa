"""CPD hours under the three named policies: thresholds, caps and year rules, both sides of each."""

from __future__ import annotations

from typing import Any

import pytest

from capeval.states.cpd import Ce2026Policy, Cpd2024Policy, CpdEnPolicy, cpd_policy, parse_record
from capeval.states.errors import InputError


def record(*activities: dict[str, Any], year: int = 2026, **extra: Any):  # type: ignore[no-untyped-def]
    return parse_record({"member": "张工", "year": year, "activities": list(activities), **extra})


def training(
    minutes: int, *, online: bool = False, subject: str = "professional", on: str = "2026-03-02", **more: Any
) -> dict[str, Any]:
    course = {"kind": "training", "date": on, "minutes": minutes, "online": online, "subject": subject}
    return {**course, "institution": "中国工程师联合体在线学习平台", **more}


def achievement(kind: str, **more: Any) -> dict[str, Any]:
    return {"kind": kind, "date": "2026-06-01", **more}


def ce_professional(*activities: dict[str, Any]) -> int:
    return next(
        r.counted for r in Ce2026Policy().evaluate(record(*activities)).requirements if r.name == "professional"
    )


def ce_hours(activity: dict[str, Any]) -> int:
    return Ce2026Policy().evaluate(record(activity)).total


# --- CPD-2024 ---------------------------------------------------------------------------------------
def test_cpd_2024_counts_one_credit_hour_per_whole_45_minutes() -> None:
    assert Cpd2024Policy().evaluate(record(training(89))).total == 1
    assert Cpd2024Policy().evaluate(record(training(90))).total == 2


def test_cpd_2024_needs_fifty_hours_a_year() -> None:
    assert Cpd2024Policy().evaluate(record(training(50 * 45))).compliant
    short = Cpd2024Policy().evaluate(record(training(49 * 45)))
    assert not short.compliant and short.shortfall == {"total": 1}


def test_qualified_lecturer_teaching_counts_double_as_online_hours() -> None:
    teaching = {"kind": "teaching", "date": "2026-05-01", "minutes": 450}
    plain = Cpd2024Policy().evaluate(record(teaching))
    qualified = Cpd2024Policy().evaluate(record(teaching, qualified_lecturer=True))
    assert plain.total == 10 and qualified.total == 20
    assert qualified.lines[0].online and "art. 14" in qualified.lines[0].rule


def test_cpd_2024_achievement_without_duration_counts_only_hours_the_society_recognized() -> None:
    assert Cpd2024Policy().evaluate(record(achievement("paper"))).total == 0
    recognized = Cpd2024Policy().evaluate(record(achievement("paper", credited_hours=12)))
    assert recognized.total == 12 and "art. 8" in recognized.lines[0].rule


def test_hours_of_another_year_do_not_count() -> None:
    evaluation = Cpd2024Policy().evaluate(record(training(50 * 45, on="2025-12-31")))
    assert evaluation.total == 0 and "own year" in evaluation.lines[0].rule


# --- CPD-EN -----------------------------------------------------------------------------------------
def test_cpd_en_needs_forty_hours_of_which_thirty_online() -> None:
    assert CpdEnPolicy().evaluate(record(training(30 * 45, online=True), training(10 * 45))).compliant
    short_online = CpdEnPolicy().evaluate(record(training(29 * 45, online=True), training(11 * 45)))
    assert short_online.shortfall == {"online": 1}
    short_total = CpdEnPolicy().evaluate(record(training(30 * 45, online=True), training(9 * 45)))
    assert short_total.shortfall == {"total": 1}


# --- CE-2026 ----------------------------------------------------------------------------------------
def test_ce_2026_needs_ninety_hours_and_sixty_professional() -> None:
    ok = Ce2026Policy().evaluate(
        record(training(60 * 45, online=True), training(30 * 45, online=True, subject="public"))
    )
    assert ok.compliant
    few_professional = Ce2026Policy().evaluate(
        record(training(59 * 45, online=True), training(31 * 45, online=True, subject="public"))
    )
    assert few_professional.shortfall == {"professional": 1}
    few_total = Ce2026Policy().evaluate(
        record(training(60 * 45, online=True), training(29 * 45, online=True, subject="public"))
    )
    assert few_total.shortfall == {"total": 1}


def test_face_to_face_training_counts_at_most_eight_hours_a_day() -> None:
    assert ce_hours(training(8 * 45)) == 8
    assert ce_hours(training(9 * 45)) == 8
    assert ce_hours(training(20 * 45, days=2)) == 16
    assert ce_hours(training(30 * 45, days=3)) == 24
    assert ce_hours(training(23 * 45, days=3)) == 23


def test_face_to_face_training_given_only_in_days_is_refused_for_want_of_its_actual_duration() -> None:
    days_only = {"kind": "training", "date": "2026-03-02", "days": 3, "subject": "public", "institution": "某院"}
    with pytest.raises(InputError, match=r"activities\[0\].minutes: give the actual duration"):
        ce_hours(days_only)


def test_ce_2026_counts_training_only_when_the_record_names_its_institution() -> None:
    assert ce_hours(training(8 * 45)) == 8
    nameless = Ce2026Policy().evaluate(record(training(8 * 45, institution=None)))
    assert (
        nameless.total == 0 and "names no institution" in nameless.lines[0].rule and "art. 17" in nameless.lines[0].rule
    )


def test_cpd_en_online_hours_are_online_courses_not_any_activity_marked_online() -> None:
    seminar = {"kind": "seminar", "date": "2026-04-01", "minutes": 30 * 45, "online": True}
    by_seminar = CpdEnPolicy().evaluate(record(seminar, training(10 * 45)))
    assert by_seminar.total == 40 and by_seminar.shortfall == {"online": 30}
    by_course = CpdEnPolicy().evaluate(record(training(30 * 45, online=True), training(10 * 45)))
    assert by_course.compliant
    teaching = {"kind": "teaching", "date": "2026-05-01", "minutes": 15 * 45}
    doubled = CpdEnPolicy().evaluate(record(teaching, training(10 * 45), qualified_lecturer=True))
    assert doubled.compliant and doubled.lines[1].online_course


def test_an_aid_posting_spanning_two_years_completes_both() -> None:
    posting = {"kind": "aid_posting", "date": "2026-07-01", "until": "2027-06-30"}
    for year in (2026, 2027):
        assert Ce2026Policy().evaluate(record(posting, year=year)).compliant
    assert not Ce2026Policy().evaluate(record(posting, year=2028)).compliant
    single = {"kind": "aid_posting", "date": "2026-07-01"}
    assert not Ce2026Policy().evaluate(record(single, year=2027)).compliant


def test_an_aid_posting_cannot_end_before_it_starts() -> None:
    with pytest.raises(InputError, match=r"activities\[0\].until"):
        record({"kind": "aid_posting", "date": "2026-07-01", "until": "2026-06-30"})


def test_a_make_up_counts_with_the_employer_certificate_on_the_activity_and_not_without() -> None:
    late = training(10 * 45, online=True, on="2027-02-01", make_up_for=2026, evidence="成绩单-2027.pdf")
    assert Ce2026Policy().evaluate(record(late)).total == 0
    certificate = "单位病假证明-2026.pdf"
    certified = training(10 * 45, online=True, on="2027-02-01", make_up_for=2026, employer_certificate=certificate)
    assert Ce2026Policy().evaluate(record(certified)).total == 10


def test_online_training_counts_actual_hours_without_a_daily_cap() -> None:
    assert ce_hours(training(12 * 45, online=True)) == 12


@pytest.mark.parametrize(
    ("activity", "hours"),
    [
        (achievement("research"), 40),
        (achievement("research", joint=True, role="lead"), 30),
        (achievement("research", joint=True, role="member"), 10),
        (achievement("patent", patent_type="invention"), 10),
        (achievement("patent", patent_type="utility_model"), 5),
        (achievement("patent", patent_type="software_copyright"), 5),
        (achievement("paper"), 10),
        (achievement("paper", authors=2), 5),
        (achievement("book"), 30),
        (achievement("book", authors=3, author_role="first"), 20),
        (achievement("book", authors=3, author_role="other"), 10),
        (achievement("standard", role="first"), 20),
        (achievement("standard", role="other"), 10),
        (achievement("exam_setting"), 40),
        (achievement("competition", prize=3), 30),
        (achievement("competition", prize=4), 0),
        (achievement("teaching", minutes=120), 16),
    ],
)
def test_ce_2026_conversion_caps_of_article_18(activity: dict[str, Any], hours: int) -> None:
    assert ce_hours(activity) == hours


def test_a_claim_below_the_cap_counts_as_claimed_and_above_it_is_capped() -> None:
    assert ce_hours(achievement("paper", credited_hours=7)) == 7
    assert ce_hours(achievement("paper", credited_hours=15)) == 10


def test_conversions_stop_once_professional_hours_reach_sixty() -> None:
    assert ce_professional(achievement("book"), achievement("exam_setting")) == 60
    evaluation = Ce2026Policy().evaluate(record(achievement("book"), achievement("exam_setting"), achievement("paper")))
    assert evaluation.total == 60
    assert "no further conversion" in evaluation.lines[1].rule and evaluation.lines[2].hours == 0


def test_professional_training_past_sixty_still_counts_but_leaves_no_room_for_conversion() -> None:
    evaluation = Ce2026Policy().evaluate(record(training(61 * 45, online=True), achievement("paper")))
    assert evaluation.total == 61 and evaluation.lines[-1].hours == 0


@pytest.mark.parametrize("kind", ["degree", "qualification_exam", "aid_posting"])
def test_degree_exam_or_aid_posting_completes_the_year(kind: str) -> None:
    evaluation = Ce2026Policy().evaluate(record(achievement(kind)))
    assert evaluation.compliant and evaluation.whole_year and evaluation.total == 0


def test_the_same_competition_counts_once() -> None:
    prize = achievement("competition", prize=1, title="全国电工技能大赛")
    assert Ce2026Policy().evaluate(record(prize, prize)).total == 30


def test_certified_illness_lets_hours_be_made_up_in_the_next_year() -> None:
    made_up = training(90 * 45, online=True, on="2027-02-01", make_up_for=2026)
    assert not Ce2026Policy().evaluate(record(made_up)).compliant
    certified = Ce2026Policy().evaluate(record(made_up, make_up_certified="单位证明 2026-病假.pdf"))
    assert certified.total == 90
    late = training(90 * 45, online=True, on="2028-02-01", make_up_for=2026)
    assert Ce2026Policy().evaluate(record(late, make_up_certified="证明.pdf")).total == 0


def test_ce_2026_training_needs_its_subject() -> None:
    with pytest.raises(InputError, match=r"activities\[0\].subject"):
        Ce2026Policy().evaluate(record({"kind": "training", "date": "2026-03-02", "minutes": 90}))


@pytest.mark.parametrize(
    ("activity", "field"),
    [(achievement("patent"), r"activities\[0\].patent_type"), (achievement("teaching"), r"activities\[0\].minutes")],
)
def test_ce_2026_names_the_field_a_conversion_needs(activity: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError, match=field):
        Ce2026Policy().evaluate(record(activity))


def test_every_line_says_which_rule_it_applied() -> None:
    evaluation = Ce2026Policy().evaluate(record(training(400), achievement("patent", patent_type="invention")))
    assert all("CE-2026" in line.rule for line in evaluation.lines)
    text = "\n".join(evaluation.text_lines())
    assert "-> 8 h" in text and "-> 10 h" in text and text.endswith("total short by 72 h; professional short by 42 h")


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ({"year": 2026, "activities": []}, "member"),
        ({"member": "x", "activities": []}, "year"),
        ({"member": "x", "year": 2026}, "activities"),
        ({"member": "x", "year": 2026, "activities": [{"kind": "nap", "date": "2026-01-01"}]}, r"activities\[0\].kind"),
        ({"member": "x", "year": 2026, "activities": [{"kind": "paper", "date": "soon"}]}, r"activities\[0\].date"),
        (
            {"member": "x", "year": 2026, "activities": [{"kind": "training", "date": "2026-01-01", "minutes": -5}]},
            r"activities\[0\].minutes",
        ),
        (
            {"member": "x", "year": 2026, "activities": [{"kind": "patent", "date": "2026-01-01", "patent_type": "x"}]},
            r"activities\[0\].patent_type",
        ),
    ],
)
def test_a_malformed_record_names_the_field(document: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError, match=field):
        parse_record(document)


def test_policies_are_named_and_overridable_with_their_sources() -> None:
    assert cpd_policy("ce-2026", {"annual_hours": 72}).annual_hours == 72
    with pytest.raises(InputError, match="unknown CPD policy"):
        cpd_policy("cpd-1999")
    with pytest.raises(InputError, match="unknown rule"):
        cpd_policy("cpd-en", {"hours": 1})


# --- CE-2026 art. 18(7): the first completer of a standard ------------------------------------------
@pytest.mark.parametrize(("role", "hours"), [("sole", 20), ("lead", 20), ("first", 20), ("member", 10), ("other", 10)])
def test_ce_2026_a_standard_counts_twenty_hours_for_its_first_completer_only(role: str, hours: int) -> None:
    assert ce_hours(achievement("standard", role=role)) == hours


# --- CPD-2024 art. 14: the teaching minutes are doubled, then converted -----------------------------
def test_a_qualified_lecturers_seventy_minutes_are_a_hundred_and_forty_minutes_three_hours() -> None:
    teaching = {"kind": "teaching", "date": "2026-05-01", "minutes": 70}
    qualified = Cpd2024Policy().evaluate(record(teaching, qualified_lecturer=True))
    assert qualified.total == 3 and "140 min" in qualified.lines[0].rule
    assert Cpd2024Policy().evaluate(record({**teaching, "minutes": 67}, qualified_lecturer=True)).total == 2
    assert Cpd2024Policy().evaluate(record(teaching)).total == 1


# --- the rounding of minutes to whole credit hours: a named rule -----------------------------------
def short_courses(count: int, minutes: int = 30) -> list[dict[str, Any]]:
    return [training(minutes, online=True, on=f"2026-03-{1 + i % 28:02d}") for i in range(count)]


def test_by_default_the_years_minutes_of_one_kind_are_summed_before_flooring() -> None:
    assert Cpd2024Policy().minute_rounding == "per_kind"
    evaluation = Cpd2024Policy().evaluate(record(*short_courses(100)))
    assert evaluation.total == 66 and evaluation.compliant
    assert CpdEnPolicy().evaluate(record(*short_courses(100))).shortfall == {}
    assert Cpd2024Policy().evaluate(record(*short_courses(3))).total == 2
    assert Cpd2024Policy().evaluate(record(*short_courses(2, minutes=22))).total == 0


def test_per_kind_keeps_kinds_apart() -> None:
    seminar = {"kind": "seminar", "date": "2026-04-01", "minutes": 30}
    assert Cpd2024Policy().evaluate(record(training(30), seminar)).total == 0
    assert Cpd2024Policy().evaluate(record(training(30), {**seminar, "kind": "training"})).total == 1


def test_per_activity_floors_each_activity_on_its_own() -> None:
    policy = cpd_policy("cpd-2024", {"minute_rounding": "per_activity"})
    assert policy.evaluate(record(*short_courses(100))).total == 0
    assert policy.evaluate(record(training(90))).total == 2


def test_ce_2026_sums_online_training_per_kind_and_subject() -> None:
    two = [training(30, online=True), training(30, online=True)]
    assert ce_professional(*two) == 1
    assert ce_professional(training(30, online=True), training(30, online=True, subject="public")) == 0
    assert cpd_policy("ce-2026", {"minute_rounding": "per_activity"}).evaluate(record(*two)).total == 0


def test_an_unknown_rounding_is_refused() -> None:
    with pytest.raises(InputError) as refused:
        cpd_policy("cpd-en", {"minute_rounding": "per_day"})
    assert refused.value.code == "cpd_policy_rounding"


# --- CE-2026 art. 18(8): lecturing uses the policy's one credit hour --------------------------------
def test_ce_2026_lecturing_six_times_counts_in_the_policys_hour_of_45_minutes() -> None:
    assert ce_hours(achievement("teaching", minutes=45)) == 6
    assert ce_hours(achievement("teaching", minutes=44)) == 5
    assert (
        cpd_policy("ce-2026", {"minutes_per_hour": 60}).evaluate(record(achievement("teaching", minutes=60))).total == 6
    )


# --- CE-2026 art. 31: the policy judges the years from 2026 ------------------------------------------
def test_ce_2026_refuses_a_year_before_it_came_into_force() -> None:
    with pytest.raises(InputError) as refused:
        Ce2026Policy().evaluate(record(training(90 * 45, on="2025-03-02"), year=2025))
    assert refused.value.code == "cpd_policy_not_in_force"
    assert Ce2026Policy().evaluate(record(training(90 * 45, on="2026-01-01"), year=2026)).total == 8
