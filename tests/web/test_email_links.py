"""Every link an email carries lands on the console page where the thing is done: for the person the email
is for (200, or 303 to a 200), and never for an unrelated signed-in person (403/404, never 500)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from capeval.notifications.links import ConsoleLinks
from capeval.services import appeals, feedback, member_console, public_register, references, review
from capeval.services.authorizations import apply_for_authorization
from capeval.states.application import Action, Party
from capeval.states.governance_commands import ApplyForAuthorization, FileFeedback, LodgeAppeal

from ..factories import ACTOR_OF_PARTY, FIELD, SOCIETY, act
from .support import (
    EXAMINERS,
    REGISTERED,
    REJECTED,
    SECRETARIAT,
    THIRD_EXAMINER,
    WORKGROUP,
    Console,
    sign_in,
)

BASE = "https://console.example.cn/capeval"
STRANGER = "p3"
"""A member with a case of their own and no part in any of the linked matters."""
EXAMINER_USERNAMES = {"赵考官": EXAMINERS[0], "钱考官": EXAMINERS[1]}


@dataclass(frozen=True)
class Link:
    """A link as an email carries it, whom it is for and who has nothing to do with it."""

    kind: str
    url: str
    reader: str
    strangers: tuple[str, ...]
    shows: str
    """Text the page it lands on shows (the matter's name or number)."""


def _path(url: str) -> str:
    parts = urlsplit(url)
    assert url.startswith(BASE), url
    return parts.path.removeprefix(urlsplit(BASE).path)


@pytest.fixture(scope="module")
def links(console: Console) -> list[Link]:
    """One link of each kind `ConsoleLinks` builds, for matters made on the console's database."""
    runtime, cases, made = console.runtime, console.cases, ConsoleLinks(BASE)
    reference = references.case_references(runtime, [cases[1]])[cases[1]]
    case_id = cases[2]
    act(runtime, case_id, Action.ACCEPT_FOR_REVIEW)
    [task, *_] = review.assign(runtime, case_id, ACTOR_OF_PARTY[Party.WORKGROUP])
    holder = _person_id(console, f"p{REGISTERED}")
    [certificate] = member_console.own_certificates(runtime, holder, "en")
    appeal = appeals.lodge_appeal(
        runtime, LodgeAppeal(f"p{REJECTED}", "failed_evaluation", ("facts_wrong",), "项目经历被误读", cases[REJECTED])
    )
    filed = feedback.file_feedback(
        runtime, FileFeedback("申请人1", "p1@example.cn", "person", "评审不公", "详见附件", cases[1])
    )
    _, fields = public_register.societies_and_fields(runtime)
    other_field = next(code for code in fields if code != FIELD)
    applied = apply_for_authorization(runtime, ApplyForAuthorization(SOCIETY, other_field, "规范已发布", WORKGROUP))
    return [
        Link("case", made.case(reference), "p1", (STRANGER,), f'<span id="reference">{reference}</span>'),
        Link(
            "task",
            made.task(task.task_id),
            EXAMINER_USERNAMES[task.examiner_name],
            (THIRD_EXAMINER, STRANGER),
            f'action="/tasks/{task.task_id}/respond"',
        ),
        Link(
            "renewal",
            made.renewal(certificate.registration_number),
            f"p{REGISTERED}",
            (STRANGER,),
            f'action="/member/{certificate.registration_number}/renewal"',
        ),
        Link("appeal", made.appeal(appeal.reference), f"p{REJECTED}", (STRANGER,), appeal.reference),
        Link("feedback", made.feedback(filed.reference), "p1", (STRANGER,), filed.reference),
        Link(
            "governance",
            made.governance("authorization", applied.reference),
            SECRETARIAT,
            (STRANGER, "p1"),
            applied.reference,
        ),
        Link("inbox", made.inbox(SOCIETY), WORKGROUP, (STRANGER, EXAMINERS[0]), 'id="board"'),
    ]


def _person_id(console: Console, username: str) -> int:
    with console.runtime.unit_of_work() as uow:
        person = uow.directory.person_by_username(username)
        assert person is not None and person.id is not None
        return person.id


def test_every_kind_of_link_the_emails_carry_is_checked(links: list[Link]) -> None:
    built = {name for name in vars(ConsoleLinks) if not name.startswith("_") and callable(getattr(ConsoleLinks, name))}
    assert built == {link.kind for link in links}


def test_each_link_opens_its_page_for_the_person_it_is_for(console: Console, links: list[Link]) -> None:
    for link in links:
        sign_in(console.client, link.reader)
        answer = console.client.get(_path(link.url))
        if answer.status_code == 303:
            answer = console.client.get(answer.headers["location"])
        assert answer.status_code == 200, (link.kind, answer.status_code, answer.text[-600:])
        assert 'class="error"' not in answer.text and link.shows in answer.text, link.kind


def test_each_link_is_refused_to_people_who_have_nothing_to_do_with_it(console: Console, links: list[Link]) -> None:
    for link in links:
        for stranger in link.strangers:
            sign_in(console.client, stranger)
            answer = console.client.get(_path(link.url))
            assert answer.status_code in (403, 404), (link.kind, stranger, answer.status_code)
            assert 'class="error"' in answer.text


def test_the_case_page_opens_by_reference_or_id_alike(console: Console) -> None:
    case_id = console.cases[1]
    reference = references.case_references(console.runtime, [case_id])[case_id]
    sign_in(console.client, "p1")
    by_id, by_reference = console.client.get(f"/cases/{case_id}"), console.client.get(f"/cases/{reference.lower()}")
    assert by_id.status_code == by_reference.status_code == 200
    assert by_id.text.split("<h1>")[1].split("</h1>")[0] == by_reference.text.split("<h1>")[1].split("</h1>")[0]


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("CES-2026-9999", "没有参考号为 CES-2026-9999 的案件"),
        ("not-a-case", "既不是案件编号也不是案件参考号"),
        ("99999999999999999999", "没有案件99999999999999999999"),
        ("0", "没有案件0"),
    ],
)
def test_a_bad_or_unknown_case_reference_is_a_404_page_saying_so(console: Console, key: str, words: str) -> None:
    sign_in(console.client, "p1")
    for path in (f"/cases/{key}", f"/cases/{key}/documents/0123456789abcdef"):
        answer = console.client.get(path)
        assert answer.status_code == 404 and words in answer.text, (path, answer.text[-400:])


def test_the_society_inbox_link_shows_the_board_of_that_society(console: Console) -> None:
    sign_in(console.client, WORKGROUP)
    answer = console.client.get(f"/societies/{SOCIETY.lower()}/inbox")
    assert answer.status_code == 303 and answer.headers["location"] == f"/board?society={SOCIETY}"
