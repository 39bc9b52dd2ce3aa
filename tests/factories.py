"""Test data made by functions: valid ID numbers, society directories, application orders."""

from __future__ import annotations

import struct
import zlib
from datetime import date, datetime
from typing import Any

from capeval.demo.documents import minimal_pdf as minimal_pdf
from capeval.services import review
from capeval.services.directory import load_directory
from capeval.services.handlers import handle
from capeval.services.resolutions import record_resolution
from capeval.services.runtime import Runtime
from capeval.states.application import PARTY_OF, Action, Party
from capeval.states.clock import SHANGHAI
from capeval.states.commands import ApplicantDetails, CreateApplication, EvidenceRef, TakeAction
from capeval.states.evidence import CitedResolution
from capeval.states.governance import Body
from capeval.states.governance_commands import RecordResolution
from capeval.states.identity import id_check_character
from capeval.states.levels import Level, Route
from capeval.states.resolutions import Vote
from capeval.states.review import ReviewRecord, TaskAction
from capeval.states.review_policy import AREAS

SOCIETY = "CES"
FIELD = "electrical"
REQUIRED_EVIDENCE = (
    EvidenceRef("id_card_front", "id-front.pdf"),
    EvidenceRef("id_card_back", "id-back.pdf"),
    EvidenceRef("education", "diploma.pdf"),
)


def at(text: str) -> datetime:
    """An Asia/Shanghai instant from 'YYYY-MM-DD' (09:00) or 'YYYY-MM-DDTHH:MM'."""
    moment = datetime.fromisoformat(text if "T" in text else f"{text}T09:00")
    return moment.replace(tzinfo=SHANGHAI)


def id_number(serial: int, birth: str = "19850612") -> str:
    """A well-formed 18-character ID number, different for every serial."""
    first17 = f"110105{birth}{serial % 1000:03d}"
    if serial >= 1000:
        first17 = f"{110105 + serial // 1000}{birth}{serial % 1000:03d}"
    return first17 + id_check_character(first17)


def statement(chars: int = 2500) -> str:
    """A self-statement of exactly `chars` characters."""
    body = "我负责该工程项目的方案设计与实施，独立完成了关键技术攻关。"
    return (body * (chars // len(body) + 1))[:chars]


def person(serial: int, name: str | None = None) -> dict[str, Any]:
    return {"name": name or f"申请人{serial}", "id_number": id_number(serial), "email": f"p{serial}@example.cn"}


def society_document(
    members: list[int] = (), fields: tuple[str, ...] = (FIELD,), code: str = SOCIETY, pending: list[int] = ()
) -> dict[str, Any]:
    """A directory with one society authorized for `fields`, a workgroup member and the given members."""
    return {
        "society": {"code": code, "name_zh": "中国电工技术学会", "name_en": "China Electrotechnical Society"},
        "authorization": [{"field": field, "authorized_on": "2024-01-01"} for field in fields],
        "workgroup": [person(900, "王秘书")],
        "staff": [{**person(902, "秘书处员"), "role": "secretariat"}],
        "examiner": [
            {**person(serial, name), "field": field, "level": "senior"}
            for field in fields
            for serial, name in ((901, "赵考官"), (903, "钱考官"))
        ],
        "member": [{**person(serial), "status": "active"} for serial in members]
        + [{**person(serial), "status": "pending"} for serial in pending],
        "committee": [committee(body, first) for body, first in COMMITTEES],
    }


COMMITTEES = (
    ("review_committee", 910),
    ("impartiality_committee", 920),
    ("presidium", 930),
    ("supervision_committee", 940),
)
"""The federation bodies every test directory seats, three members each from 2024-01-01."""
COMMITTEE_NAMES = {
    "review_committee": "审议委员",
    "impartiality_committee": "公正委员",
    "presidium": "主席团成员",
    "supervision_committee": "监督委员",
}


def committee(body: str, first: int, size: int = 3) -> dict[str, Any]:
    """A body with `size` members (审议委员1..N and so on), each seated from 2024-01-01."""
    name = COMMITTEE_NAMES.get(body, body)
    return {
        "body": body,
        "member": [{**person(first + n, f"{name}{n}"), "from": "2024-01-01"} for n in range(1, size + 1)],
    }


def load_society(runtime: Runtime, members: list[int], **options: Any) -> None:
    load_directory(runtime, society_document(members, **options), origin="test directory")


def application_order(
    serial: int,
    *,
    level: Level = Level.PROFESSIONAL,
    route: Route = Route.STANDARD,
    chars: int = 2500,
    evidence: tuple[EvidenceRef, ...] = REQUIRED_EVIDENCE,
    signed: bool = True,
    field: str = FIELD,
    society: str = SOCIETY,
    title: str | None = None,
    title_issuer: str | None = None,
    title_expires_on: date | None = None,
) -> CreateApplication:
    details = person(serial)
    return CreateApplication(
        applicant=ApplicantDetails(details["name"], details["id_number"], details["email"]),
        society_code=society,
        field_code=field,
        level=level,
        route=route,
        self_statement=statement(chars),
        evidence=evidence,
        commitment_signed=signed,
        international_title=title,
        international_title_issuer=title_issuer,
        international_title_expires_on=title_expires_on,
    )


def submitted_case(runtime: Runtime, serial: int, **options: Any) -> int:
    """Create and submit a compliant case for member `serial` (who must be loaded as a member)."""
    created = handle(runtime, application_order(serial, **options))
    handle(runtime, TakeAction(created.case_id, Action.SUBMIT, created.applicant or ""))
    return created.case_id


ACTOR_OF_PARTY = {
    Party.WORKGROUP: "王秘书",
    Party.SECRETARIAT: "秘书处员",
    Party.COMMITTEE: "审议委员1",
    Party.IMPARTIALITY_COMMITTEE: "公正委员1",
}
"""Who the tests act as for each party (the applicant is the case's own)."""


def applicant_of(runtime: Runtime, case_id: int) -> str:
    with runtime.unit_of_work() as uow:
        context = uow.applications.context(case_id)
        assert context is not None
        return context.person.username


RECOMMENDATION_OF = {
    Action.PASS_MATERIAL_REVIEW: "pass",
    Action.FAIL_MATERIAL_REVIEW: "fail",
    Action.REFER_TO_FURTHER_ASSESSMENT: "further_assessment",
    Action.REQUEST_SUPPLEMENT: "supplement",
}
"""The recommendation every examiner of a round gives so that the round decides the action."""


def review_record(recommendation: str, reason: str = "") -> ReviewRecord:
    """A complete review record recommending `recommendation` (with the items it needs)."""
    areas = {
        area: {"achieved": recommendation != "fail", "justification": f"{area}: 材料中有项目证明"} for area in AREAS
    }
    extra: dict[str, Any] = {
        "supplement": {"supplement_items": [reason or "项目验收报告"]},
        "further_assessment": {"focus_areas": [reason or "engineering_knowledge"]},
    }.get(recommendation, {})
    return ReviewRecord.from_mapping({"areas": areas, "recommendation": recommendation, **extra})


def review_round(runtime: Runtime, case_id: int, recommendation: str, reason: str = "") -> Any:
    """A whole round of material review: the workgroup assigns, each examiner accepts and submits."""
    outcome = None
    tasks = review.tasks_of_case(runtime, case_id, ACTOR_OF_PARTY[Party.WORKGROUP])
    invited = [task for task in tasks if task.state in ("invited", "accepted")]
    for task in invited or review.assign(runtime, case_id, ACTOR_OF_PARTY[Party.WORKGROUP]):
        if task.state == "invited":
            review.act_on_task(runtime, task.task_id, TaskAction.ACCEPT, task.examiner_name)
        _, outcome = review.submit_record(
            runtime, task.task_id, review_record(recommendation, reason), task.examiner_name
        )
    assert outcome is not None, "the round did not conclude"
    return outcome


COMMITTEE_MOTIONS = {
    Action.APPROVE: "approve the registration of case {case_id}",
    Action.REFER_BACK: "refer back case {case_id} for another review",
    Action.REJECT: "reject the registration of case {case_id}",
}
"""How the test committee's motion states each decision it takes."""
COMMITTEE_MEMBERS = tuple(f"审议委员{n}" for n in range(1, 4))


def committee_resolution(
    runtime: Runtime, case_id: int, action: Action = Action.APPROVE, votes: dict[str, Vote] | None = None
) -> str:
    """The reference of a resolution of the review committee deciding `action` for the case; every member
    (审议委员1-3) votes for unless `votes` says otherwise. The secretariat records it."""
    order = RecordResolution(
        Body.REVIEW_COMMITTEE,
        COMMITTEE_MOTIONS[action].format(case_id=case_id),
        votes if votes is not None else dict.fromkeys(COMMITTEE_MEMBERS, Vote.FOR),
        ACTOR_OF_PARTY[Party.SECRETARIAT],
        subjects=(("application", str(case_id)),),
    )
    return str(record_resolution(runtime, order)["reference"])


def act(runtime: Runtime, case_id: int, action: Action, reason: str = "", actor: str | None = None) -> Any:
    """Take `action` as the person whose role it is (or `actor`): an examiners' decision runs a review round,
    a committee decision cites a resolution the committee records for it."""
    if actor is None and action in RECOMMENDATION_OF:
        return review_round(runtime, case_id, RECOMMENDATION_OF[action], reason)
    if actor is None:
        party = PARTY_OF[action]
        actor = applicant_of(runtime, case_id) if party is Party.APPLICANT else ACTOR_OF_PARTY[party]
    basis = CitedResolution(committee_resolution(runtime, case_id, action)) if action in COMMITTEE_MOTIONS else None
    return handle(runtime, TakeAction(case_id, action, actor, reason, basis=basis))


def tiny_png() -> bytes:
    """A valid 1x1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


JPEG_START = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
"""The first bytes of a JFIF JPEG file (type detection reads no further)."""
