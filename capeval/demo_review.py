"""The demo's review scene: real review tasks, records, a supplement round, interviews and the committee.

Five of the demo's cases (indices 0, 4, 5, 6, 7), left in material review by the main job, go through the
examiner workflow from 2026-05-12: conflict-free assignment by load (with an employer and a supervisor
conflict excluded and a named assignment refused), a declined invitation replaced, material review records,
a supplement round reviewed again by the same examiners, an overdue review swept by the Prefect review-sweep
flow, interviews (two passed, one failed on the ethics minimum), committee approval and registration.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from capeval.demo_data import id_check_character
from capeval.services import interviews, review
from capeval.services.directory import load_directory
from capeval.services.handlers import handle
from capeval.states.application import Action
from capeval.states.clock import SHANGHAI
from capeval.states.commands import EvidenceRef, TakeAction
from capeval.states.errors import DomainError
from capeval.states.interview import Durations
from capeval.states.review import ReviewRecord, TaskAction
from capeval.states.review_policy import AREAS

SCENE_CASES = (0, 4, 5, 6, 7)
SOCIETY_CODE = "DES"
_POOL = (
    ("程立新", "electrical", "南方电网科学研究院"),
    ("范雅琴", "electrical", "西安交通大学电气工程学院"),
    ("宋志远", "electrical", "中国电建集团某设计院"),
    ("高文博", "mechanical", "哈尔滨工业大学机电工程学院"),
    ("何静怡", "mechanical", "中国一汽研发总院"),
    ("江海涛", "mechanical", "某精密机械制造有限公司"),
    ("陆思远", "civil", "清华大学土木工程系"),
    ("秦晓峰", "civil", "中国铁建某勘察设计院"),
    ("唐雨桐", "civil", "某市政设计研究院"),
    ("吴启明", "ict", "某云计算科技有限公司"),
    ("谢安然", "ict", "浙江大学计算机科学与技术学院"),
    ("杨光耀", "ict", "中国信息通信研究院"),
    ("周子涵", "ict", "华中科技大学网络空间安全学院"),
)
SUPERVISOR = "陆思远"
"""Declares that he supervised case 6's applicant's master's thesis: a supervisor conflict."""


def _id_number(serial: int) -> str:
    first17 = f"3201021975{(serial % 12) + 1:02d}12{serial:03d}"
    return first17 + id_check_character(first17)


def _pool_entry(serial: int, name: str, field: str, employer: str) -> dict[str, Any]:
    return {
        "name": name,
        "id_number": _id_number(serial),
        "email": f"examiner{serial}@des.example.cn",
        "employer": employer,
        "field": field,
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
    def __init__(self, demo: Any) -> None:
        self.demo, self.runtime = demo, demo.runtime
        self.staff = demo.staff

    def case(self, index: int) -> int:
        return int(self.demo.cases[index])

    def label(self, index: int) -> str:
        return f"case {self.case(index)} {self.demo.name(index)}"

    def names(self, index: int, round_number: int | None = None, state: str | None = None) -> str:
        tasks = review.tasks_of_case(self.runtime, self.case(index))
        chosen = [
            t.examiner_name
            for t in tasks
            if (round_number is None or t.round == round_number) and (state is None or t.state == state)
        ]
        return "、".join(chosen)

    def open_tasks(self, index: int) -> list[review.TaskView]:
        return [t for t in review.tasks_of_case(self.runtime, self.case(index)) if t.state in ("invited", "accepted")]

    def accept_all(self, index: int) -> None:
        for task in self.open_tasks(index):
            if task.state == "invited":
                review.act_on_task(self.runtime, task.task_id, TaskAction.ACCEPT, task.examiner_name)

    def submit_all(self, index: int, record: ReviewRecord) -> None:
        for task in self.open_tasks(index):
            _, outcome = review.submit_record(self.runtime, task.task_id, record, task.examiner_name)
            if outcome is not None:
                reason = f" ({outcome_reason(self.runtime, outcome.case_id)})"
                self.demo.say(
                    f"{self.label(index)}: review round complete: {outcome.previous_stage} -> {outcome.stage}"
                    f"{reason if outcome.stage != 'committee_review' else ''}"
                )

    def pool(self) -> None:
        self.demo.on("2026-05-12")
        document = {
            "society": {"code": SOCIETY_CODE, "name_zh": "示范工程学会"},
            "examiner": [_pool_entry(n, *entry) for n, entry in enumerate(_POOL, 1)],
        }
        load_directory(self.runtime, document, origin="demo examiner pool")
        supervisor = next(n for n, entry in enumerate(_POOL, 1) if entry[0] == SUPERVISOR)
        review.declare(
            self.runtime,
            {
                "relation": [
                    {
                        "examiner_id_number": _id_number(supervisor),
                        "other_id_number": self.demo.applicants[6].person.id_number,
                        "kind": "supervisor",
                        "note": "硕士研究生导师",
                    }
                ]
            },
            origin="demo declarations",
        )
        self.demo.say(
            f"the society enlarges its examiner pool by {len(_POOL)} senior examiners; "
            f"{SUPERVISOR} declares he supervised {self.demo.name(6)}'s master's thesis"
        )

    def assign(self) -> None:
        for index in SCENE_CASES:
            review.assign(self.runtime, self.case(index), self.staff)
            self.demo.say(f"{self.label(index)}: examiners invited by load, no conflicts: {self.names(index)}")
        self._refused(7, "吴启明")
        self._refused(6, SUPERVISOR)
        first = self.open_tasks(0)[0]
        views = review.act_on_task(
            self.runtime, first.task_id, TaskAction.DECLINE, first.examiner_name, "五月下旬出国参加标准会议"
        )
        replacement = views[-1].examiner_name if len(views) > 1 else "nobody"
        self.demo.say(f"{self.label(0)}: {first.examiner_name} declines; {replacement} is invited instead")

    def _refused(self, index: int, name: str) -> None:
        examiner = next(
            row["examiner_id"] for row in review.examiners(self.runtime, SOCIETY_CODE) if row["name"] == name
        )
        try:
            review.assign(self.runtime, self.case(index), self.staff, examiner)
        except DomainError as error:
            self.demo.say(f"{self.label(index)}: naming {name} is refused: {error}")

    def first_round(self) -> None:
        self.demo.on("2026-05-14")
        for index in SCENE_CASES:
            self.accept_all(index)
        self.demo.on("2026-05-20")
        self.submit_all(0, _record("pass"))
        tasks = self.open_tasks(4)
        review.submit_record(self.runtime, tasks[0].task_id, _record("pass"), tasks[0].examiner_name)
        _, outcome = review.submit_record(
            self.runtime,
            tasks[1].task_id,
            _record("supplement", ("leadership",), supplement_items=["项目竣工验收报告", "本人项目经理任命文件"]),
            tasks[1].examiner_name,
        )
        assert outcome is not None
        self.demo.say(
            f"{self.label(4)}: review round complete: {outcome.previous_stage} -> {outcome.stage} "
            f"({outcome_reason(self.runtime, self.case(4))}), send by {outcome.due_on}"
        )
        for index in (5, 6, 7):
            self.submit_all(
                index, _record("further_assessment", focus_areas=["工程伦理与职业道德", "组织领导与项目管理"])
            )

    def supplement_round(self) -> None:
        self.demo.on("2026-05-25")
        _, tasks = review.provide_supplement(
            self.runtime,
            self.case(4),
            self.demo.name(4),
            (EvidenceRef("supplement", "竣工验收报告.pdf"), EvidenceRef("supplement", "项目经理任命文件.pdf")),
        )
        self.demo.say(
            f"{self.label(4)}: supplement received (material otherwise frozen); round 2 goes to the same "
            f"examiners: {', '.join(t.examiner_name for t in tasks)}, due {tasks[0].due_on.isoformat()}"
        )
        self.accept_all(4)
        first = self.open_tasks(4)[0]
        review.submit_record(self.runtime, first.task_id, _record("pass"), first.examiner_name)

    def sweep(self, when: str) -> None:
        from capeval.flows.review_sweep import review_sweep

        self.demo.on(when)
        report = review_sweep(self.demo.database_url, as_of=self.demo.clock.now().isoformat())
        self.demo.say(
            f"review sweep (Prefect flow): {len(report['expired'])} invitations expired, "
            f"{len(report['overdue'])} reviews overdue, {len(report['reminded'])} reminders queued"
        )

    def interviews(self) -> dict[int, int]:
        self.demo.on("2026-05-26")
        scheduled = {}
        for slot, index in enumerate((5, 6, 7)):
            starts = datetime(2026, 6, 3, 9 + slot, 0, tzinfo=SHANGHAI)
            view = interviews.schedule(
                self.runtime, self.case(index), starts, self.staff, place="示范工程学会三楼第一会议室"
            )
            scheduled[index] = view.interview_id
            self.demo.say(
                f"{self.label(index)}: interview on {starts.strftime('%Y-%m-%d %H:%M')}, notice sent; panel of "
                f"{len(view.panel)} with no conflicts"
            )
        return scheduled

    def hold(self, scheduled: dict[int, int]) -> None:
        self.demo.on("2026-06-03T12:30")
        sheets = {
            5: {"knowledge": 20, "ethics": 13, "teamwork": 11, "learning": 11, "leadership": 12},
            6: {"knowledge": 24, "ethics": 15, "teamwork": 12, "learning": 11, "leadership": 14},
            7: {"knowledge": 25, "ethics": 10, "teamwork": 12, "learning": 12, "leadership": 14},
        }
        for index, interview_id in scheduled.items():
            view = interviews.interviews_of_case(self.runtime, self.case(index))[-1]
            for examiner in view.panel:
                interviews.record_scores(self.runtime, interview_id, examiner, sheets[index])
            result, outcome = interviews.decide(
                self.runtime, interview_id, sheets[index], Durations(10, 34, 10), self.staff
            )
            verdict = "passed" if result.passed else f"failed: {result.reason}"
            self.demo.say(
                f"{self.label(index)}: interview (10/34/10 min) total {result.total}, {verdict}; "
                f"{outcome.previous_stage} -> {outcome.stage}"
            )

    def committee(self) -> None:
        self.demo.on("2026-06-10")
        for index in (0, 4, 5, 6):
            outcome = review.committee_decision(self.runtime, self.case(index), Action.APPROVE, "审议委员会")
            self.demo.say(
                f"{self.label(index)}: review committee approves: {outcome.previous_stage} -> {outcome.stage}"
            )
        self.demo.on("2026-06-12")
        for index in (0, 4, 5, 6):
            outcome = handle(self.runtime, TakeAction(self.case(index), Action.REGISTER, self.staff))
            self.demo.say(f"{self.label(index)}: registered, certificate {outcome.registration_number}")


def outcome_reason(runtime: Any, case_id: int) -> str:
    """The reason recorded with the case's last stage change."""
    with runtime.unit_of_work() as uow:
        case = uow.applications.get(case_id)
        return case.last_reason if case is not None else ""


def run_scene(demo: Any) -> None:
    """Drive cases 0, 4, 5, 6 and 7 of the demo from material review to their results (see module doc)."""
    scene = _Scene(demo)
    scene.pool()
    scene.assign()
    scene.first_round()
    scene.supplement_round()
    scheduled = scene.interviews()
    scene.hold(scheduled)
    scene.sweep("2026-06-09T01:00")
    late = next(t for t in review.tasks_of_case(scene.runtime, scene.case(4)) if t.state == "overdue")
    review.submit_record(scene.runtime, late.task_id, _record("pass"), late.examiner_name)
    demo.say(f"{scene.label(4)}: {late.examiner_name} submits the overdue round-2 record; both examiners pass it")
    scene.committee()
