"""The governance scene of the main job: an appeal decided by resolution, a complaint answered, and a second
society authorized for a field through its three reviews. Everyone acts as themself: the appellants lodge
their own appeals, members of the impartiality and supervision committees take the steps, the secretariat
records the minutes, and each meeting's quorum is counted against the body's roster on the day.

`run_scene(demo)` runs after the review scene of `capeval.demo.scenes.review` (余强's case fails its interview
on the ethics minimum in early June; the clock stands at 2026-06-12).
"""

from __future__ import annotations

from typing import Any

from capeval.demo.stage import Stage
from capeval.flows.governance_sweep import governance_sweep
from capeval.services import queries
from capeval.services.appeals import act_on_appeal, lodge_appeal
from capeval.services.authorizations import act_on_authorization, apply_for_authorization
from capeval.services.directory import load_directory
from capeval.services.feedback import act_on_feedback, feedback_status, file_feedback
from capeval.services.resolutions import record_resolution
from capeval.states.errors import DomainError, NotPermitted
from capeval.states.governance import Body
from capeval.states.governance_commands import (
    ActOnAppeal,
    ActOnAuthorization,
    ActOnFeedback,
    ApplyForAuthorization,
    FileFeedback,
    LodgeAppeal,
    RecordResolution,
)
from capeval.states.identity import id_check_character
from capeval.states.resolutions import Vote

FAILED_INTERVIEW, FAILED_MATERIAL = "yu_qiang", "ye_mingyue"
"""Cases of the main job: one failed its interview on the ethics minimum, one its material review."""
INVESTIGATORS = (1, 2)
"""The members of the supervision committee (by roster position) who investigate the complaint."""
SECOND_SOCIETY, SECOND_FIELD = "DHS", "hydro"
SECOND_SOCIETY_STAFF = {
    "name": "方志远",
    "id_number": "11010219780412003" + id_check_character("11010219780412003"),
    "email": "fang.zhiyuan@dhs.example.cn",
}
"""The member of the second society's workgroup who applies for its authorization (invented)."""


def _committee(demo: Stage, body: Body, votes: dict[int, Vote]) -> dict[str, Vote]:
    """The vote of each member on the roster of `body`, in roster order; members not in `votes` were absent."""
    members = demo.cast.federation[body.value].values()
    return {person.name: votes.get(n, Vote.ABSENT) for n, person in enumerate(members)}


def _resolution(demo: Stage, body: Body, motion: str, votes: dict[str, Vote], subject: tuple[str, str]) -> str:
    """The secretariat records the meeting's minutes; the quorum is counted against the roster of the day."""
    recorder = demo.cast.member("secretariat").name
    record: dict[str, Any] = record_resolution(
        demo.runtime, RecordResolution(body, motion, votes, recorder, subjects=(subject,))
    )
    demo.say(f"resolution {record['reference']} of the {body.value}: {'valid' if record['valid'] else 'invalid'}")
    for line in record["arithmetic"].split("; "):
        demo.say(f"    {line}")
    return str(record["reference"])


def appeal(demo: Stage) -> None:
    """The applicant who failed the ethics minimum appeals; the appeal is upheld by a valid resolution."""
    runtime, applicant = demo.runtime, demo.person(FAILED_INTERVIEW)
    demo.on("2026-06-23")
    late = demo.person(FAILED_MATERIAL)
    try:
        lodge_appeal(
            runtime,
            LodgeAppeal(
                late.name,
                "failed_evaluation",
                ("facts_wrong",),
                "材料评审结论有误",
                case_id=demo.case(FAILED_MATERIAL),
            ),
        )
    except DomainError as error:
        demo.say(f"{late.name} appeals the failed material review: refused: {error}")
    lodged = lodge_appeal(
        runtime,
        LodgeAppeal(
            applicant.name,
            "failed_evaluation",
            ("procedure_not_followed",),
            "面试中工程伦理部分仅提问一题，未达到不少于30分钟的提问要求（Q&A Q16），评分依据不足",
            case_id=demo.case(FAILED_INTERVIEW),
        ),
    )
    demo.say(
        f"{applicant.name} appeals the failed interview of case {demo.case(FAILED_INTERVIEW)}: "
        f"appeal {lodged.reference} lodged against the decision of {lodged.detail['decided_on']} "
        f"(window closes {lodged.detail['window_closed_on']})"
    )
    demo.on("2026-06-25")
    excluded = queries.appeal_participants(runtime, lodged.reference)
    examiners = [person.name for person in demo.examiners]
    reviewer = next(name for name in examiners if name in excluded)
    panel = tuple(name for name in examiners if name not in excluded)[:3]
    try:
        act_on_appeal(runtime, ActOnAppeal(lodged.reference, "appoint_panel", applicant.name, panel=panel))
    except NotPermitted as error:
        demo.say(f"{applicant.name} appointing the panel of their own appeal refused: {error}")
    chair = demo.cast.member("impartiality_committee").name
    try:
        act_on_appeal(runtime, ActOnAppeal(lodged.reference, "appoint_panel", chair, panel=(reviewer,)))
    except DomainError as error:
        demo.say(f"appointing {reviewer}, who reviewed the case, to the panel refused: {error}")
    act_on_appeal(runtime, ActOnAppeal(lodged.reference, "appoint_panel", chair, panel=panel))
    demo.say(f"panel of appeal {lodged.reference}: {', '.join(panel)}")
    demo.on("2026-07-14")
    votes = _committee(
        demo,
        Body.IMPARTIALITY_COMMITTEE,
        {0: Vote.FOR, 1: Vote.FOR, 2: Vote.FOR, 3: Vote.FOR, 4: Vote.FOR, 5: Vote.AGAINST},
    )
    reference = _resolution(
        demo,
        Body.IMPARTIALITY_COMMITTEE,
        f"uphold appeal {lodged.reference}; re-interview",
        votes,
        ("appeal", lodged.reference),
    )
    decided = act_on_appeal(
        runtime,
        ActOnAppeal(
            lodged.reference,
            "uphold",
            chair,
            "面试提问时间不足，程序不符合 Q&A Q16；重新组织面试",
            resolution=reference,
            reopen_stage="further_assessment",
        ),
    )
    demo.say(
        f"appeal {lodged.reference} {decided.stage}: case {decided.detail['case_id']} reopened at "
        f"{decided.detail['case_stage']}"
    )


def complaint(demo: Stage) -> None:
    """A complaint is filed, reminded by the governance sweep when late, investigated and answered."""
    runtime = demo.runtime
    demo.on("2026-07-15")
    filed = file_feedback(
        runtime,
        FileFeedback(
            "某设计院人事处",
            "hr@design-institute.example.cn",
            "organization",
            "评价结果通知迟延",
            "本单位职工的评价结果至今未收到书面通知，请核实学会工作组的通知流程。",
            case_id=demo.case(FAILED_MATERIAL),
        ),
    )
    demo.say(f"complaint {filed.reference} received; to be registered by {filed.due_on}")
    demo.on("2026-07-27T08:00")
    report = governance_sweep(demo.database_url, as_of=demo.clock.now().isoformat())
    demo.say(f"governance sweep (Prefect flow): {report['examined']} steps overdue, {len(report['reminded'])} reminded")
    chair = demo.cast.member("supervision_committee").name
    act_on_feedback(runtime, ActOnFeedback(filed.reference, "register", chair))
    investigators = tuple(demo.cast.member("supervision_committee", n).name for n in INVESTIGATORS)
    act_on_feedback(runtime, ActOnFeedback(filed.reference, "assign_investigators", chair, investigators=investigators))
    demo.on("2026-08-07")
    act_on_feedback(
        runtime,
        ActOnFeedback(
            filed.reference,
            "record_findings",
            investigators[0],
            "结果通知已于3月16日生成，但邮件地址有误未送达；已要求学会工作组核对联系方式并补发通知。",
        ),
    )
    act_on_feedback(
        runtime,
        ActOnFeedback(
            filed.reference,
            "answer",
            chair,
            "经调查，通知因邮箱地址错误未送达；学会已补发通知并完善联系方式核对流程。感谢反馈。",
        ),
    )
    status = feedback_status(runtime, filed.reference)
    demo.say(f"complaint {filed.reference}: {status['stage']}; the sender was answered: {status['answer'][:18]}…")


def authorization(demo: Stage) -> None:
    """A second society applies for a field and is authorized through the three steps of Charter art. 16."""
    runtime = demo.runtime
    demo.on("2026-08-10")
    load_directory(
        runtime,
        {
            "society": {"code": SECOND_SOCIETY, "name_zh": "示范水利学会", "email": "office@dhs.example.cn"},
            "workgroup": [SECOND_SOCIETY_STAFF],
        },
        origin="demo directory",
    )
    applied = apply_for_authorization(
        runtime,
        ApplyForAuthorization(
            SECOND_SOCIETY, SECOND_FIELD, "水利工程能力评价规范已发布，考官12名", SECOND_SOCIETY_STAFF["name"]
        ),
    )
    demo.say(f"society {SECOND_SOCIETY} applies for {SECOND_FIELD}: {applied.reference}")
    demo.on("2026-08-24")
    secretariat = demo.cast.member("secretariat").name
    act_on_authorization(runtime, ActOnAuthorization(applied.reference, "pass_first_review", secretariat))
    demo.say(f"{applied.reference}: the secretariat's first review passed")
    demo.on("2026-09-07")
    votes = _committee(
        demo, Body.REVIEW_COMMITTEE, {0: Vote.FOR, 1: Vote.FOR, 2: Vote.FOR, 3: Vote.FOR, 4: Vote.ABSTAIN}
    )
    reference = _resolution(
        demo,
        Body.REVIEW_COMMITTEE,
        f"{SECOND_SOCIETY} authorization for {SECOND_FIELD}",
        votes,
        ("authorization", applied.reference),
    )
    member = demo.cast.member("review_committee").name
    act_on_authorization(
        runtime, ActOnAuthorization(applied.reference, "pass_committee_review", member, resolution=reference)
    )
    demo.on("2026-09-21")
    votes = _committee(demo, Body.PRESIDIUM, {n: Vote.FOR for n in range(4)} | {4: Vote.AGAINST})
    reference = _resolution(
        demo,
        Body.PRESIDIUM,
        f"authorize {SECOND_SOCIETY} for {SECOND_FIELD}",
        votes,
        ("authorization", applied.reference),
    )
    approved = act_on_authorization(
        runtime,
        ActOnAuthorization(
            applied.reference, "approve", demo.cast.member("presidium").name, "审议通过", resolution=reference
        ),
    )
    demo.say(f"{applied.reference}: {approved.stage}; {SECOND_SOCIETY} may now receive applications in {SECOND_FIELD}")


def run_scene(demo: Stage) -> None:
    """Appeal, complaint and society authorization, in date order."""
    demo.echo("")
    demo.echo("Governance: appeals, complaints, society authorization (Q&A Q40; Charter art. 11, 16, 31)")
    appeal(demo)
    complaint(demo)
    authorization(demo)
