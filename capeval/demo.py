"""The main job: a fresh local database, one authorized society, twenty applicants, months of pipeline.

Everything goes through the same command handlers and the same Prefect deadline-sweep flow that
production uses; only the clock is simulated.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from capeval.cli.output import format_table
from capeval.demo_data import (
    DemoApplicant,
    DemoPerson,
    demo_applicants,
    demo_examiners,
    demo_workgroup,
    short_statement,
)
from capeval.services import queries
from capeval.services.bootstrap import bootstrap, init_database
from capeval.services.directory import load_directory
from capeval.services.handlers import Outcome, handle
from capeval.services.runtime import Runtime
from capeval.settings import Settings
from capeval.states.application import Action
from capeval.states.clock import SHANGHAI, FixedClock
from capeval.states.commands import (
    ApplicantDetails,
    CreateApplication,
    EvidenceRef,
    ReviseMaterial,
    TakeAction,
)
from capeval.states.errors import DomainError
from capeval.states.levels import Level, Route

SOCIETY_CODE = "DES"
FIELDS = ("electrical", "mechanical", "civil", "ict")
REQUIRED_EVIDENCE = ("id_card_front", "id_card_back", "education")


def _person_entry(person: DemoPerson, **extra: Any) -> dict[str, Any]:
    return {
        "name": person.name,
        "id_number": person.id_number,
        "email": person.email,
        "language": person.language,
        "employer": person.employer,
        **extra,
    }


class Demo:
    """The simulated months, one scene at a time."""

    def __init__(self, runtime: Runtime, clock: FixedClock, database_url: str, echo: Callable[[str], None]) -> None:
        self.runtime, self.clock, self.database_url, self.echo = runtime, clock, database_url, echo
        self.workgroup = demo_workgroup()
        self.examiners = demo_examiners()
        self.applicants = demo_applicants(20)
        self.cases: dict[int, int] = {}
        self.staff = self.workgroup[0].name

    def on(self, when: str) -> None:
        moment = datetime.fromisoformat(when if "T" in when else f"{when}T09:30").replace(tzinfo=SHANGHAI)
        self.clock.set(moment)

    def say(self, text: str) -> None:
        self.echo(f"{self.runtime.today().isoformat()}  {text}")

    def name(self, index: int) -> str:
        return self.applicants[index].person.name

    def act(self, index: int, action: Action, reason: str = "", actor: str | None = None) -> Outcome:
        actor = actor or (
            self.name(index)
            if action in (Action.SUBMIT, Action.RESUBMIT, Action.WITHDRAW, Action.PROVIDE_SUPPLEMENT)
            else self.staff
        )
        return handle(self.runtime, TakeAction(self.cases[index], action, actor, reason))

    def seed(self) -> None:
        self.on("2026-01-05")
        members = [_person_entry(a.person, member_number=f"DES-M-{n:04d}") for n, a in enumerate(self.applicants[:19])]
        document = {
            "society": {
                "code": SOCIETY_CODE,
                "name_zh": "示范工程学会",
                "name_en": "Demonstration Engineering Society",
                "email": "workgroup@des.example.cn",
            },
            "authorization": [{"field": code, "authorized_on": "2024-03-01"} for code in FIELDS],
            "workgroup": [_person_entry(p) for p in self.workgroup],
            "examiner": [
                _person_entry(p, field=FIELDS[i % len(FIELDS)], level="senior") for i, p in enumerate(self.examiners)
            ],
            "member": members,
        }
        report = load_directory(self.runtime, document, origin="demo directory")
        self.say(
            f"society {report.society} (示范工程学会) authorized for {', '.join(FIELDS)}; "
            f"{report.workgroup} workgroup staff, {report.examiners} examiners, {report.members} members"
        )

    def open_case(self, index: int, applicant: DemoApplicant, **overrides: Any) -> None:
        evidence = tuple(EvidenceRef(kind, f"{applicant.person.name}-{kind}.pdf") for kind in REQUIRED_EVIDENCE)
        order = CreateApplication(
            applicant=ApplicantDetails(
                applicant.person.name,
                applicant.person.id_number,
                applicant.person.email,
                applicant.person.language,
                applicant.person.employer,
            ),
            society_code=SOCIETY_CODE,
            field_code=applicant.field_code,
            level=Level(applicant.level),
            route=overrides.pop("route", Route.STANDARD),
            self_statement=overrides.pop("statement", applicant.self_statement),
            evidence=overrides.pop("evidence", evidence) + (EvidenceRef("work_experience", "employer-letter.pdf"),),
            commitment_signed=True,
            batch="2026-1",
            actor=applicant.person.name,
            **overrides,
        )
        self.cases[index] = handle(self.runtime, order).case_id

    def applications(self) -> None:
        self.on("2026-01-06")
        for index, applicant in enumerate(self.applicants):
            if index == 1:
                self.open_case(index, applicant, statement=short_statement(applicant))
            elif index == 10:
                self.open_case(
                    index,
                    applicant,
                    route=Route.INTERNATIONAL,
                    international_title="APEC Engineer",
                    evidence=tuple(EvidenceRef(k, f"{k}.pdf") for k in (*REQUIRED_EVIDENCE, "title_proof")),
                )
            else:
                self.open_case(index, applicant)
        self.say(f"{len(self.cases)} applicants opened their applications for batch 2026-1")
        for index in range(len(self.applicants)):
            self.try_act(index, Action.SUBMIT)
        self.on("2026-01-08")
        applicant = self.applicants[1]
        handle(
            self.runtime, ReviseMaterial(self.cases[1], applicant.person.name, self_statement=applicant.self_statement)
        )
        self.try_act(1, Action.SUBMIT, note="after lengthening the self-statement")
        self.on("2026-01-09")
        load_directory(
            self.runtime,
            {
                "society": {"code": SOCIETY_CODE, "name_zh": "示范工程学会"},
                "member": [_person_entry(self.applicants[19].person, member_number="DES-M-0019")],
            },
            origin="demo directory",
        )
        self.say(f"{self.name(19)} registers as a society member (Q&A Q4)")
        self.try_act(19, Action.SUBMIT)

    def try_act(self, index: int, action: Action, reason: str = "", note: str = "") -> bool:
        try:
            outcome = self.act(index, action, reason)
        except DomainError as error:
            self.say(f"case {self.cases[index]} {self.name(index)}: {action.value} refused: {error}")
            return False
        suffix = f" ({note})" if note else ""
        due = (
            f", resubmit by {outcome.due_on.isoformat()}"
            if outcome.due_on and action is Action.RETURN_FOR_REVISION
            else ""
        )
        self.say(f"case {outcome.case_id} {self.name(index)}: {outcome.previous_stage} -> {outcome.stage}{due}{suffix}")
        return True

    def initial_review(self) -> None:
        self.on("2026-01-20")
        for index in range(len(self.applicants)):
            if index not in (2, 3):
                self.try_act(index, Action.ACCEPT_FOR_REVIEW)
        self.on("2026-02-06")
        self.try_act(2, Action.RETURN_FOR_REVISION, "身份证复印件缺少反面，学历证明模糊不清，请补充清晰扫描件")
        self.try_act(3, Action.RETURN_FOR_REVISION, "自述以团队业绩为主，请说明本人在项目中的具体工作与贡献")
        self.on("2026-02-25")
        handle(
            self.runtime,
            ReviseMaterial(self.cases[2], self.name(2), evidence=(EvidenceRef("id_card_back", "id-back-clear.pdf"),)),
        )
        self.try_act(2, Action.RESUBMIT, note="within 10 working days, Spring Festival not counted")

    def sweep(self, when: str) -> None:
        from capeval.flows.deadline_sweep import deadline_sweep

        self.on(when)
        report = deadline_sweep(self.database_url, as_of=self.clock.now().isoformat())
        lapsed = ", ".join(f"case {case_id}" for case_id in report["lapsed"]) or "nothing"
        self.say(f"deadline sweep (Prefect flow): {report['examined']} windows closed, lapsed {lapsed}")

    def material_review(self) -> None:
        self.on("2026-03-02")
        self.try_act(2, Action.ACCEPT_FOR_REVIEW)
        self.on("2026-03-12")
        self.try_act(9, Action.WITHDRAW)
        self.try_act(11, Action.DISQUALIFY, "核实发现学历证明系伪造（Q&A Q14），终身取消申请资格")
        self.on("2026-03-16")
        self.try_act(
            8,
            Action.FAIL_MATERIAL_REVIEW,
            "材料未能证明工程知识与专业能力、组织领导与项目管理能力达成要求：项目均为团队成果，个人贡献不清",
        )
        for index in (1, 2, 10, 12, 13, 14, 15, 16, 17, 18, 19):
            self.try_act(index, Action.PASS_MATERIAL_REVIEW)

    def assessment_and_committee(self) -> None:
        self.on("2026-04-20")
        self.try_act(17, Action.REFER_BACK, "委员会要求核实项目获奖证明")
        for index in (1, 2, 10, 12, 13, 14, 15, 16, 18, 19):
            self.try_act(index, Action.APPROVE)
        self.on("2026-04-22")
        self.try_act(10, Action.CONFIRM_TITLE, note="secretariat confirms the APEC Engineer title (Q&A Q29)")
        self.on("2026-04-27")
        for index in (1, 2, 10, 12, 13, 14, 15, 16, 18, 19):
            self.try_act(index, Action.REGISTER)
        self.on("2026-05-11")
        banned = self.applicants[11]
        self.open_case(20, banned)
        self.applicants.append(banned)
        self.try_act(20, Action.SUBMIT, note="a second try after the lifetime ban")

    def board(self) -> None:
        rows = queries.board(self.runtime, SOCIETY_CODE)
        self.echo("")
        self.echo(f"Case board of {SOCIETY_CODE} as of {self.runtime.today().isoformat()}:")
        columns = ["case_id", "applicant", "field", "level", "route", "stage", "waiting_on", "due_on"]
        for line in format_table([dataclasses.asdict(row) for row in rows], columns):
            self.echo(line)
        counts = Counter(row.stage for row in rows)
        with self.runtime.unit_of_work() as uow:
            notices = uow.outbox.count_by_status()
        self.echo("")
        self.echo("stages: " + ", ".join(f"{stage} {count}" for stage, count in sorted(counts.items())))
        self.echo(f"notices queued in the outbox: {sum(notices.values())}")


def run_demo(out_dir: Path, echo: Callable[[str], None]) -> Path:
    """Run the whole demo into a fresh `out_dir`; returns the database file."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    from capeval.flows.prefect_setup import fast_flow_runs, prepare_environment

    prepare_environment(out_dir / "prefect")
    from capeval.demo_certificates import run_scene as certificates_scene
    from capeval.demo_governance import run_scene as governance_scene
    from capeval.demo_notifications import run_dispatch as dispatch_mail
    from capeval.demo_notifications import run_reminders
    from capeval.demo_notifications import run_scene as notification_scene
    from capeval.demo_review import run_scene as review_scene

    database = out_dir / "capeval.db"
    url = f"sqlite:///{database}"
    clock = FixedClock(datetime(2026, 1, 5, 9, 0, tzinfo=SHANGHAI))
    settings = Settings.load(database_url=url)
    init_database(settings, clock=clock)
    runtime = bootstrap(settings, clock=clock)
    demo = Demo(runtime, clock, url, echo)
    with fast_flow_runs():
        demo.seed()
        demo.applications()
        demo.initial_review()
        run_reminders(demo)
        demo.sweep("2026-02-27T23:00")
        demo.sweep("2026-03-02T00:30")
        demo.material_review()
        demo.assessment_and_committee()
        review_scene(demo)
        governance_scene(demo)
        notification_scene(demo)
    demo.board()
    with fast_flow_runs():
        certificates_scene(demo)
        dispatch_mail(demo)
    runtime.engine.dispose()
    return database
