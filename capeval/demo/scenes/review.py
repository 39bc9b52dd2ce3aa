"""The demo's review scene: real review tasks, records, a supplement round, interviews and the committee.

Five of the demo's cases, left in material review by the main job, go through the examiner workflow from
2026-05-12: conflict-free assignment by load (with an employer and a supervisor conflict excluded and a
named assignment refused), a declined invitation replaced, material review records, a supplement round
reviewed again by the same examiners, an overdue review swept by the Prefect review-sweep flow, interviews
(two passed, one failed on the ethics minimum), committee approval and registration. The added examiners,
the conflicts and the score sheets are in `data/review.toml`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from capeval.demo.scenes.committee import committee_meets
from capeval.demo.stage import SOCIETY_CODE, Stage
from capeval.demo.vocabulary import data_file
from capeval.services import interviews, queries, review
from capeval.services.directory import load_directory
from capeval.services.handlers import handle
from capeval.states.application import Action
from capeval.states.calendar import SHANGHAI
from capeval.states.commands import EvidenceRef, TakeAction
from capeval.states.errors import DomainError
from capeval.states.identity import id_check_character
from capeval.states.interview import Durations
from capeval.states.review import ReviewRecord, TaskAction
from capeval.states.review_policy import AREAS

SCENE_CASES = ("xie_pengfei", "zeng_jiaqi", "han_huimin", "lu_mengqi", "yu_qiang")
DECLINED = "xie_pengfei"
"""One of this case's examiners declines the invitation; another is invited instead."""
SUPPLEMENT = "zeng_jiaqi"
"""One examiner asks for a supplement; round 2 goes to the same examiners, one of them late."""
INTERVIEWED = ("han_huimin", "lu_mengqi", "yu_qiang")
APPROVED = ("xie_pengfei", "zeng_jiaqi", "han_huimin", "lu_mengqi")


@dataclass(frozen=True)
class Conflict:
    """An examiner and the applicant (cast key) he must not review."""

    examiner: str
    applicant: str


@dataclass(frozen=True)
class ReviewData:
    """`data/review.toml`."""

    pool: tuple[dict[str, str], ...]
    supervisor: Conflict
    supervisor_note: str
    same_employer: Conflict
    scores: dict[str, dict[str, int]]


@cache
def review_data() -> ReviewData:
    """The examiners the scene adds, its two conflicts and the interview score sheets."""
    raw = data_file("review.toml")
    supervisor = raw["supervisor"]
    return ReviewData(
        pool=tuple(raw["pool"]),
        supervisor=Conflict(supervisor["examiner"], supervisor["applicant"]),
        supervisor_note=supervisor["note"],
        same_employer=Conflict(raw["same_employer"]["examiner"], raw["same_employer"]["applicant"]),
        scores=raw["interview_scores"],
    )


def _id_number(serial: int) -> str:
    first17 = f"3201021975{(serial % 12) + 1:02d}12{serial:03d}"
    return first17 + id_check_character(first17)


def _pool_entry(serial: int, examiner: dict[str, str]) -> dict[str, Any]:
    return {
        "name": examiner["name"],
        "id_number": _id_number(serial),
        "email": f"examiner{serial}@des.example.cn",
        "employer": examiner["employer"],
        "field": examiner["field"],
        "level": "senior",
    }


def _record(recommendation: str, weak: tuple[str, ...] = (), **extra: Any) -> ReviewRecord:
    areas = {
        area: {
            "achieved": area not in weak,
            "justification": ("材料未能说明本人的具体贡献" if area in weak else "项目材料与自述相互印证，达到要求"),
        }
        for area in AREAS
    }
    return ReviewRecord.from_mapping({"areas": areas, "recommendation": recommendation, **extra})


class _Scene:
    def __init__(self, demo: Stage) -> None:
        self.demo, self.runtime = demo, demo.runtime
        self.staff = demo.staff
        self.data = review_data()

    def case(self, key: str) -> int:
        return self.demo.case(key)

    def label(self, key: str) -> str:
        return self.demo.label(key)

    def names(self, key: str, round_number: int | None = None, state: str | None = None) -> str:
        tasks = review.tasks_of_case(self.runtime, self.case(key), self.staff)
        chosen = [
            t.examiner_name
            for t in tasks
            if (round_number is None or t.round == round_number) and (state is None or t.state == state)
        ]
        return "、".join(chosen)

    def panelist(self, examiner_id: int) -> str:
        """The name of the examiner with this id."""
        rows = review.examiners(self.runtime, SOCIETY_CODE)
        return str(next(row["name"] for row in rows if row["examiner_id"] == examiner_id))

    def open_tasks(self, key: str) -> list[review.TaskView]:
        tasks = review.tasks_of_case(self.runtime, self.case(key), self.staff)
        return [t for t in tasks if t.state in ("invited", "accepted")]

    def accept_all(self, key: str) -> None:
        for task in self.open_tasks(key):
            if task.state == "invited":
                review.act_on_task(self.runtime, task.task_id, TaskAction.ACCEPT, task.examiner_name)

    def submit_all(self, key: str, record: ReviewRecord) -> None:
        for task in self.open_tasks(key):
            _, outcome = review.submit_record(self.runtime, task.task_id, record, task.examiner_name)
            if outcome is not None:
                reason = f" ({queries.last_reason(self.runtime, outcome.case_id)})"
                self.demo.say(
                    f"{self.label(key)}: review round complete: {outcome.previous_stage} -> {outcome.stage}"
                    f"{reason if outcome.stage != 'committee_review' else ''}"
                )

    def pool(self) -> None:
        self.demo.on("2026-05-12")
        pool = self.data.pool
        document = {
            "society": {"code": SOCIETY_CODE, "name_zh": "示范工程学会"},
            "examiner": [_pool_entry(n, examiner) for n, examiner in enumerate(pool, 1)],
        }
        load_directory(self.runtime, document, origin="demo examiner pool")
        supervisor = self.data.supervisor
        serial = next(n for n, examiner in enumerate(pool, 1) if examiner["name"] == supervisor.examiner)
        review.declare(
            self.runtime,
            {
                "relation": [
                    {
                        "examiner_id_number": _id_number(serial),
                        "other_id_number": self.demo.person(supervisor.applicant).id_number,
                        "kind": "supervisor",
                        "note": self.data.supervisor_note,
                    }
                ]
            },
            origin="demo declarations",
        )
        self.demo.say(
            f"the society enlarges its examiner pool by {len(pool)} senior examiners; "
            f"{supervisor.examiner} declares he supervised {self.demo.name(supervisor.applicant)}'s master's thesis"
        )

    def assign(self) -> None:
        for key in SCENE_CASES:
            review.assign(self.runtime, self.case(key), self.staff)
            self.demo.say(f"{self.label(key)}: examiners invited by load, no conflicts: {self.names(key)}")
        for conflict in (self.data.same_employer, self.data.supervisor):
            self._refused(conflict)
        first = self.open_tasks(DECLINED)[0]
        views = review.act_on_task(
            self.runtime, first.task_id, TaskAction.DECLINE, first.examiner_name, "五月下旬出国参加标准会议"
        )
        replacement = views[-1].examiner_name if len(views) > 1 else "nobody"
        self.demo.say(f"{self.label(DECLINED)}: {first.examiner_name} declines; {replacement} is invited instead")

    def _refused(self, conflict: Conflict) -> None:
        examiner = next(
            row["examiner_id"]
            for row in review.examiners(self.runtime, SOCIETY_CODE)
            if row["name"] == conflict.examiner
        )
        try:
            review.assign(self.runtime, self.case(conflict.applicant), self.staff, examiner)
        except DomainError as error:
            self.demo.say(f"{self.label(conflict.applicant)}: naming {conflict.examiner} is refused: {error}")

    def first_round(self) -> None:
        self.demo.on("2026-05-14")
        for key in SCENE_CASES:
            self.accept_all(key)
        self.demo.on("2026-05-20")
        self.submit_all(DECLINED, _record("pass"))
        tasks = self.open_tasks(SUPPLEMENT)
        review.submit_record(self.runtime, tasks[0].task_id, _record("pass"), tasks[0].examiner_name)
        _, outcome = review.submit_record(
            self.runtime,
            tasks[1].task_id,
            _record("supplement", ("leadership",), supplement_items=["项目竣工验收报告", "本人项目经理任命文件"]),
            tasks[1].examiner_name,
        )
        assert outcome is not None
        self.demo.say(
            f"{self.label(SUPPLEMENT)}: review round complete: {outcome.previous_stage} -> {outcome.stage} "
            f"({queries.last_reason(self.runtime, self.case(SUPPLEMENT))}), send by {outcome.due_on}"
        )
        for key in INTERVIEWED:
            self.submit_all(
                key, _record("further_assessment", focus_areas=["工程伦理与职业道德", "组织领导与项目管理"])
            )

    def supplement_round(self) -> None:
        self.demo.on("2026-05-25")
        _, tasks = review.provide_supplement(
            self.runtime,
            self.case(SUPPLEMENT),
            self.demo.name(SUPPLEMENT),
            (EvidenceRef("supplement", "竣工验收报告.pdf"), EvidenceRef("supplement", "项目经理任命文件.pdf")),
        )
        self.demo.say(
            f"{self.label(SUPPLEMENT)}: supplement received (material otherwise frozen); round 2 goes to the same "
            f"examiners: {', '.join(t.examiner_name for t in tasks)}, due {tasks[0].due_on.isoformat()}"
        )
        self.accept_all(SUPPLEMENT)
        first = self.open_tasks(SUPPLEMENT)[0]
        review.submit_record(self.runtime, first.task_id, _record("pass"), first.examiner_name)

    def sweep(self, when: str) -> None:
        from capeval.flows.review_sweep import review_sweep

        self.demo.on(when)
        report = review_sweep(self.demo.database_url, as_of=self.demo.clock.now().isoformat())
        self.demo.say(
            f"review sweep (Prefect flow): {len(report['expired'])} invitations expired, "
            f"{len(report['overdue'])} reviews overdue, {len(report['reminded'])} reminders queued"
        )

    def interviews(self) -> dict[str, int]:
        self.demo.on("2026-05-26")
        scheduled = {}
        for slot, key in enumerate(INTERVIEWED):
            starts = datetime(2026, 6, 3, 9 + slot, 0, tzinfo=SHANGHAI)
            view = interviews.schedule(
                self.runtime, self.case(key), starts, self.staff, place="示范工程学会三楼第一会议室"
            )
            scheduled[key] = view.interview_id
            self.demo.say(
                f"{self.label(key)}: interview on {starts.strftime('%Y-%m-%d %H:%M')}, notice sent; panel of "
                f"{len(view.panel)} with no conflicts"
            )
        return scheduled

    def hold(self, scheduled: dict[str, int]) -> None:
        self.demo.on("2026-06-03T12:30")
        for key, interview_id in scheduled.items():
            sheet = self.data.scores[key]
            view = interviews.interviews_of_case(self.runtime, self.case(key))[-1]
            for examiner in view.panel:
                interviews.record_scores(self.runtime, interview_id, self.panelist(examiner), sheet)
            chair = self.panelist(view.panel[0])
            projects = ("所主持的输变电工程设计", "所负责的技术改造项目")
            result, outcome = interviews.decide(
                self.runtime, interview_id, sheet, Durations(10, 34, 10), chair, projects=projects
            )
            verdict = "passed" if result.passed else f"failed: {result.reason}"
            self.demo.say(
                f"{self.label(key)}: interview (10/34/10 min) total {result.total}, {verdict}; "
                f"{outcome.previous_stage} -> {outcome.stage}"
            )

    def committee(self) -> None:
        self.demo.on("2026-06-10")
        reference = committee_meets(self.demo, "批准以下案件的注册（2026-1 批次，第二次会议）", APPROVED, absent=(2,))
        member = self.demo.cast.member("review_committee").name
        for key in APPROVED:
            outcome = review.committee_decision(self.runtime, self.case(key), Action.APPROVE, member, reference)
            self.demo.say(
                f"{self.label(key)}: review committee approves by {reference}: "
                f"{outcome.previous_stage} -> {outcome.stage}"
            )
        self.demo.on("2026-06-12")
        for key in APPROVED:
            outcome = handle(self.runtime, TakeAction(self.case(key), Action.REGISTER, self.staff))
            self.demo.say(f"{self.label(key)}: registered, certificate {outcome.registration_number}")


def run_scene(demo: Stage) -> None:
    """Drive the five scene cases from material review to their results (see module doc)."""
    scene = _Scene(demo)
    scene.pool()
    scene.assign()
    scene.first_round()
    scene.supplement_round()
    scheduled = scene.interviews()
    scene.hold(scheduled)
    scene.sweep("2026-06-09T01:00")
    tasks = review.tasks_of_case(scene.runtime, scene.case(SUPPLEMENT), scene.staff)
    late = next(t for t in tasks if t.state == "overdue")
    review.submit_record(scene.runtime, late.task_id, _record("pass"), late.examiner_name)
    demo.say(
        f"{scene.label(SUPPLEMENT)}: {late.examiner_name} submits the overdue round-2 record; both examiners pass it"
    )
    scene.committee()
