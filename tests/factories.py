"""Test data made by functions: valid ID numbers, society directories, application orders."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from capeval.services.directory import load_directory
from capeval.services.handlers import handle
from capeval.services.runtime import Runtime
from capeval.states.application import Action
from capeval.states.clock import SHANGHAI
from capeval.states.commands import ApplicantDetails, CreateApplication, EvidenceRef, TakeAction
from capeval.states.identity import id_check_character
from capeval.states.levels import Level, Route

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
        "examiner": [{**person(901, "赵考官"), "field": fields[0], "level": "senior"}],
        "member": [{**person(serial), "status": "active"} for serial in members]
        + [{**person(serial), "status": "pending"} for serial in pending],
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
        actor=details["name"],
    )


def submitted_case(runtime: Runtime, serial: int, **options: Any) -> int:
    """Create and submit a compliant case for member `serial` (who must be loaded as a member)."""
    case_id = handle(runtime, application_order(serial, **options)).case_id
    handle(runtime, TakeAction(case_id, Action.SUBMIT, "applicant"))
    return case_id


def act(runtime: Runtime, case_id: int, action: Action, reason: str = "", actor: str = "王秘书") -> Any:
    return handle(runtime, TakeAction(case_id, action, actor, reason))
