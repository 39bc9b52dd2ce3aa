"""The main job: one authorized society, twenty applicants, months of pipeline.

Everything goes through the same command handlers and the same Prefect deadline-sweep flow that
production uses; only the clock is simulated.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from capeval.cli.output import format_table
from capeval.demo.documents import minimal_pdf
from capeval.demo.people import DemoPerson, short_statement
from capeval.demo.scenes.committee import committee_meets
from capeval.demo.stage import SOCIETY_CODE, Stage
from capeval.services import queries, review
from capeval.services.case_documents import keep_upload
from capeval.services.directory import load_directory
from capeval.services.handlers import Outcome, handle
from capeval.states.application import PARTY_OF, Action, Party
from capeval.states.application import Stage as CaseStage
from capeval.states.commands import (
    ApplicantDetails,
    CreateApplication,
    EvidenceRef,
    ReviseMaterial,
    TakeAction,
)
from capeval.states.errors import DomainError
from capeval.states.evidence import Basis, CitedResolution
from capeval.states.levels import Level, Route
from capeval.states.review import ReviewRecord, TaskAction
from capeval.states.review_policy import AREAS

FIELDS = ("electrical", "mechanical", "civil", "ict")
REQUIRED_EVIDENCE = ("id_card_front", "id_card_back", "education")
ROUND_RECOMMENDATION = {Action.PASS_MATERIAL_REVIEW: "pass", Action.FAIL_MATERIAL_REVIEW: "fail"}
"""What every examiner of a round recommends in the main job, for the decision the round takes."""
COMMITTEE_TERM = ("2025-01-01", "2027-12-31")
"""The term of every federation body's members in the story."""

SHORT_DRAFT = "zeng_hui"
"""Submits a too-short self-statement first, lengthens it and submits again."""
INTERNATIONAL = "han_jun"
"""Applies by the international route with an APEC Engineer title."""
LATE_MEMBER = "yu_guoqiang"
"""Is not yet a society member when the batch opens; registers as one and then submits."""
RETURNED_FOR_EVIDENCE, RETURNED_FOR_CONTRIBUTION = "luo_zeyu", "shangguan_haoran"
"""Returned for revision at the initial review; the first resubmits in time, the second lapses."""
WITHDRAWS, FORGED_DEGREE, FAILS_MATERIAL, REFERRED_BACK = "huang_zhenhua", "li_pengfei", "ye_mingyue", "liang_yinuo"
SECOND_TRY = "li_pengfei_again"
"""The case the disqualified applicant opens after the lifetime ban."""
REGISTERED_IN_SPRING = (
    "zeng_hui",
    "luo_zeyu",
    "han_jun",
    "yang_yongqiang",
    "yao_zeyu",
    "jiang_guoqiang",
    "xu_wei",
    "shen_guoqiang",
    "yuan_hongwei",
    "yu_guoqiang",
)
"""Pass material review, are approved by the committee in April and registered."""
PASS_MATERIAL = (*REGISTERED_IN_SPRING[:8], REFERRED_BACK, *REGISTERED_IN_SPRING[8:])


def round_record(recommendation: str, weak: tuple[str, ...] = (), remarks: str = "") -> ReviewRecord:
    """A review record recommending `recommendation`, the `weak` areas not achieved."""
    areas = {
        area: {
            "achieved": area not in weak,
            "justification": "材料未能说明本人的具体贡献" if area in weak else "项目材料与自述相互印证，达到要求",
        }
        for area in AREAS
    }
    return ReviewRecord.from_mapping({"areas": areas, "recommendation": recommendation, "remarks": remarks})


def _person_entry(person: DemoPerson, **extra: Any) -> dict[str, Any]:
    return {
        "name": person.name,
        "id_number": person.id_number,
        "email": person.email,
        "language": person.language,
        "employer": person.employer,
        **extra,
    }


class Demo(Stage):
    """The simulated months, one scene at a time."""

    def member_number(self, applicant: str) -> str:
        """The applicant's society member number."""
        return f"DES-M-{self.cast.position(applicant):04d}"

    def actor_for(self, key: str, action: Action) -> str:
        """Who takes `action` on case `key`: its applicant, the staff member, a committee member, the secretariat."""
        party = PARTY_OF[action]
        if party is Party.APPLICANT:
            return self.name(key)
        if party is Party.COMMITTEE:
            return self.cast.member("review_committee").name
        if party is Party.SECRETARIAT:
            return self.cast.member("secretariat").name
        return self.staff

    def act(
        self, key: str, action: Action, reason: str = "", actor: str | None = None, basis: Basis | None = None
    ) -> Outcome:
        """Take `action` on case `key` as the person whose role it is, citing `basis` where the decision rests
        on a record; the examiners decide by a review round."""
        if action in ROUND_RECOMMENDATION and actor is None:
            return self.review_round(key, ROUND_RECOMMENDATION[action], reason)
        who = actor or self.actor_for(key, action)
        return handle(self.runtime, TakeAction(self.case(key), action, who, reason, basis=basis))

    def review_round(self, key: str, recommendation: str, reason: str = "") -> Outcome:
        """The staff member invites examiners by load; each accepts and submits; the last record moves the case."""
        outcome = None
        weak = ("knowledge", "leadership") if recommendation == "fail" else ()
        record = round_record(recommendation, weak, reason)
        for task in review.assign(self.runtime, self.case(key), self.staff):
            review.act_on_task(self.runtime, task.task_id, TaskAction.ACCEPT, task.examiner_name)
            _, outcome = review.submit_record(self.runtime, task.task_id, record, task.examiner_name)
        assert outcome is not None
        return outcome

    def try_act(self, key: str, action: Action, reason: str = "", note: str = "", basis: Basis | None = None) -> bool:
        """Take `action` on case `key` and say what happened, also when it is refused."""
        try:
            outcome = self.act(key, action, reason, basis=basis)
        except DomainError as error:
            self.say(f"{self.label(key)}: {action.value} refused: {error}")
            return False
        suffix = f" ({note})" if note else ""
        due = (
            f", resubmit by {outcome.due_on.isoformat()}"
            if outcome.due_on and action is Action.RETURN_FOR_REVISION
            else ""
        )
        self.say(f"case {outcome.case_id} {self.name(key)}: {outcome.previous_stage} -> {outcome.stage}{due}{suffix}")
        return True

    def seed(self) -> None:
        """Load the society, its authorizations, staff, examiners and members."""
        self.on("2026-01-05")
        members = [
            _person_entry(applicant.person, member_number=self.member_number(key))
            for key, applicant in self.cast.applicants.items()
            if key != LATE_MEMBER
        ]
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
        federation = load_directory(self.runtime, self.federation_directory(), origin="demo federation")
        self.say(
            f"the federation: {federation.staff} secretariat staff and {federation.seats} committee seats "
            f"({', '.join(body for body in self.cast.federation if body != 'secretariat')}), "
            f"terms {COMMITTEE_TERM[0]} to {COMMITTEE_TERM[1]}"
        )

    def federation_directory(self) -> dict[str, Any]:
        """The federation's secretariat staff and the roster of each of its bodies."""
        starts, ends = COMMITTEE_TERM
        bodies = {body: people for body, people in self.cast.federation.items() if body != "secretariat"}
        return {
            "staff": [_person_entry(p, role="secretariat") for p in self.cast.federation["secretariat"].values()],
            "committee": [
                {
                    "body": body,
                    "member": [
                        _person_entry(p, position="chair" if n == 0 else "member", **{"from": starts, "until": ends})
                        for n, p in enumerate(people.values())
                    ],
                }
                for body, people in bodies.items()
            ],
        }

    def open_case(self, key: str, applicant_key: str | None = None, **overrides: Any) -> None:
        """Open case `key` for the applicant `applicant_key` (the same key by default)."""
        applicant_key = applicant_key or key
        applicant = self.cast.applicants[applicant_key]
        evidence = tuple(self.scanned(f"{applicant.person.name}-{kind}.pdf", kind, key) for kind in REQUIRED_EVIDENCE)
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
            **overrides,
        )
        self.cases.add(key, handle(self.runtime, order).case_id, applicant_key)

    def scanned(self, name: str, kind: str, key: str) -> EvidenceRef:
        """The applicant's scan of `kind` (a one-page PDF) kept in the document store, as evidence."""
        return EvidenceRef(kind, name, document=keep_upload(self.runtime, minimal_pdf(f"{kind}: case {key}"), name))

    def applications(self) -> None:
        """Every applicant opens a case and submits; a short statement is lengthened; a late member joins."""
        self.on("2026-01-06")
        for key, applicant in self.cast.applicants.items():
            if key == SHORT_DRAFT:
                self.open_case(key, statement=short_statement(applicant))
            elif key == INTERNATIONAL:
                self.open_case(
                    key,
                    route=Route.INTERNATIONAL,
                    international_title="APEC Engineer",
                    evidence=tuple(EvidenceRef(k, f"{k}.pdf") for k in (*REQUIRED_EVIDENCE, "title_proof")),
                )
            else:
                self.open_case(key)
        self.say(f"{len(self.cases)} applicants opened their applications for batch 2026-1")
        for key in self.cast.applicants:
            self.try_act(key, Action.SUBMIT)
        self.on("2026-01-08")
        applicant = self.cast.applicants[SHORT_DRAFT]
        handle(
            self.runtime,
            ReviseMaterial(self.case(SHORT_DRAFT), applicant.person.name, self_statement=applicant.self_statement),
        )
        self.try_act(SHORT_DRAFT, Action.SUBMIT, note="after lengthening the self-statement")
        self.on("2026-01-09")
        load_directory(
            self.runtime,
            {
                "society": {"code": SOCIETY_CODE, "name_zh": "示范工程学会"},
                "member": [_person_entry(self.person(LATE_MEMBER), member_number=self.member_number(LATE_MEMBER))],
            },
            origin="demo directory",
        )
        self.say(f"{self.name(LATE_MEMBER)} registers as a society member (Q&A Q4)")
        self.try_act(LATE_MEMBER, Action.SUBMIT)

    def initial_review(self) -> None:
        """Accepted for review, or returned for revision; one resubmits within the ten working days."""
        self.on("2026-01-20")
        for key in self.cast.applicants:
            if key not in (RETURNED_FOR_EVIDENCE, RETURNED_FOR_CONTRIBUTION):
                self.try_act(key, Action.ACCEPT_FOR_REVIEW)
        self.on("2026-02-06")
        self.try_act(
            RETURNED_FOR_EVIDENCE,
            Action.RETURN_FOR_REVISION,
            "身份证复印件缺少反面，学历证明模糊不清，请补充清晰扫描件",
        )
        self.try_act(
            RETURNED_FOR_CONTRIBUTION,
            Action.RETURN_FOR_REVISION,
            "自述以团队业绩为主，请说明本人在项目中的具体工作与贡献",
        )
        self.on("2026-02-25")
        handle(
            self.runtime,
            ReviseMaterial(
                self.case(RETURNED_FOR_EVIDENCE),
                self.name(RETURNED_FOR_EVIDENCE),
                evidence=(EvidenceRef("id_card_back", "id-back-clear.pdf"),),
            ),
        )
        self.try_act(RETURNED_FOR_EVIDENCE, Action.RESUBMIT, note="within 10 working days, Spring Festival not counted")

    def sweep(self, when: str) -> None:
        """Run the deadline-sweep flow as of `when`."""
        from capeval.flows.deadline_sweep import deadline_sweep

        self.on(when)
        report = deadline_sweep(self.database_url, as_of=self.clock.now().isoformat())
        lapsed = ", ".join(f"case {case_id}" for case_id in report["lapsed"]) or "nothing"
        self.say(f"deadline sweep (Prefect flow): {report['examined']} windows closed, lapsed {lapsed}")

    def material_review(self) -> None:
        """A withdrawal, a disqualification for a forged degree, a failed and many passed material reviews."""
        self.on("2026-03-02")
        self.try_act(RETURNED_FOR_EVIDENCE, Action.ACCEPT_FOR_REVIEW)
        self.on("2026-03-12")
        self.try_act(WITHDRAWS, Action.WITHDRAW)
        self.try_act(FORGED_DEGREE, Action.DISQUALIFY, "核实发现学历证明系伪造（Q&A Q14），终身取消申请资格")
        self.on("2026-03-16")
        self.try_act(
            FAILS_MATERIAL,
            Action.FAIL_MATERIAL_REVIEW,
            "材料未能证明工程知识与专业能力、组织领导与项目管理能力达成要求：项目均为团队成果，个人贡献不清",
        )
        for key in PASS_MATERIAL:
            self.try_act(key, Action.PASS_MATERIAL_REVIEW)

    def assessment_and_committee(self) -> None:
        """The review committee meets: one resolution refers a case back, another approves the rest, and each
        decision cites its resolution; registration; the banned applicant tries again."""
        self.on("2026-04-20")
        refer = committee_meets(
            self, "退回重审：委员会要求核实项目获奖证明", [REFERRED_BACK], against=(3,), absent=(6,)
        )
        approve = committee_meets(self, "批准以下案件的注册（2026-1 批次）", REGISTERED_IN_SPRING, absent=(6,))
        self.try_act(REFERRED_BACK, Action.REFER_BACK, "委员会要求核实项目获奖证明", basis=CitedResolution(refer))
        for key in REGISTERED_IN_SPRING:
            self.try_act(key, Action.APPROVE, note=f"resolution {approve}", basis=CitedResolution(approve))
        self.on("2026-04-22")
        self.try_act(INTERNATIONAL, Action.CONFIRM_TITLE, note="secretariat confirms the APEC Engineer title (Q&A Q29)")
        self.on("2026-04-27")
        for key in REGISTERED_IN_SPRING:
            self.try_act(key, Action.REGISTER)
        self.on("2026-05-11")
        self.open_case(SECOND_TRY, FORGED_DEGREE)
        self.try_act(SECOND_TRY, Action.SUBMIT, note="a second try after the lifetime ban")

    def board(self) -> None:
        """Print the case board and the outbox count."""
        rows: list[queries.BoardRow] = []
        after: int | None = None
        counts: dict[str, int] = {}
        while True:
            page = queries.board(self.runtime, SOCIETY_CODE, after=after, counts=after is None)
            rows += page.rows
            counts = page.counts_by_stage or counts
            if page.next_after is None:
                break
            after = page.next_after
        order = {stage.value: index for index, stage in enumerate(CaseStage)}
        rows.sort(key=lambda row: (order[row.stage], row.case_id))
        self.echo("")
        self.echo(f"Case board of {SOCIETY_CODE} as of {self.runtime.today().isoformat()}:")
        columns = ["case_id", "applicant", "field", "level", "route", "stage", "waiting_on", "due_on"]
        for line in format_table([dataclasses.asdict(row) for row in rows], columns):
            self.echo(line)
        notices = queries.outbox_counts(self.runtime)
        self.echo("")
        self.echo("stages: " + ", ".join(f"{stage} {count}" for stage, count in sorted(counts.items())))
        self.echo(f"notices queued in the outbox: {sum(notices.values())}")
