"""What one workflow command sends: its case context read (the actor and the guards' facts with it), then its writes."""

from __future__ import annotations

import pytest

from capeval.services.directory import load_directory
from capeval.services.handlers import handle
from capeval.services.runtime import Runtime
from capeval.states.application import Action
from capeval.states.commands import TakeAction
from capeval.states.errors import NotPermitted

from ..factories import application_order, load_society, person, society_document, submitted_case
from .test_assignment_statements import counted

WORKGROUP = "王秘书"
MOVE_WRITES = ["UPDATE application", "INSERT INTO stage_history", "INSERT INTO outbox_message"]


def kinds(sent: list[str]) -> list[str]:
    """Each statement as its verb and table (`SELECT` for a read)."""
    shown = []
    for statement in sent:
        words = statement.split()
        verb = words[0].upper()
        shown.append("SELECT" if verb == "SELECT" else " ".join(words[: 3 if verb == "INSERT" else 2]))
    return shown


def test_submit_and_accept_send_one_read_and_the_writes_of_the_move(runtime: Runtime) -> None:
    load_society(runtime, members=[1, 2])
    warm = submitted_case(runtime, 1)
    handle(runtime, TakeAction(warm, Action.ACCEPT_FOR_REVIEW, WORKGROUP))  # the calendar is read once, then kept
    created = handle(runtime, application_order(2))
    assert created.applicant is not None
    with counted(runtime) as submit:
        handle(runtime, TakeAction(created.case_id, Action.SUBMIT, created.applicant))
    with counted(runtime) as accept:
        handle(runtime, TakeAction(created.case_id, Action.ACCEPT_FOR_REVIEW, WORKGROUP))
    assert kinds(submit) == ["SELECT", *MOVE_WRITES], "\n".join(submit)
    assert kinds(accept) == ["SELECT", *MOVE_WRITES], "\n".join(accept)


def test_a_return_sends_one_read_the_writes_and_its_deadline(runtime: Runtime) -> None:
    load_society(runtime, members=[1, 2])
    handle(runtime, TakeAction(submitted_case(runtime, 1), Action.RETURN_FOR_REVISION, WORKGROUP, "学历证明不清晰"))
    case_id = submitted_case(runtime, 2)
    with counted(runtime) as sent:
        handle(runtime, TakeAction(case_id, Action.RETURN_FOR_REVISION, WORKGROUP, "学历证明不清晰"))
    assert kinds(sent)[0] == "SELECT" and kinds(sent).count("SELECT") == 1, "\n".join(sent)
    assert sorted(kinds(sent)[1:]) == sorted([*MOVE_WRITES, "INSERT INTO deadline"])


def test_a_name_two_people_bear_is_refused_with_both_usernames_and_nothing_is_written(runtime: Runtime) -> None:
    document = society_document([1, 2])
    document["workgroup"] += [person(905, "同名"), person(906, "同名")]
    load_directory(runtime, document, origin="test directory")
    case_id = submitted_case(runtime, 1)
    with pytest.raises(NotPermitted) as refused:
        handle(runtime, TakeAction(case_id, Action.ACCEPT_FOR_REVIEW, " 同名 "))
    handle(runtime, TakeAction(submitted_case(runtime, 2), Action.ACCEPT_FOR_REVIEW, WORKGROUP))
    assert refused.value.code == "actor_ambiguous" and len(refused.value.params["usernames"]) == 2
    with counted(runtime) as sent:
        handle(runtime, TakeAction(case_id, Action.ACCEPT_FOR_REVIEW, WORKGROUP))
    assert kinds(sent) == ["SELECT", *MOVE_WRITES]


def test_a_stranger_is_refused_although_the_read_found_nobody_by_that_name(runtime: Runtime) -> None:
    load_society(runtime, members=[1])
    case_id = submitted_case(runtime, 1)
    with pytest.raises(NotPermitted) as refused:
        handle(runtime, TakeAction(case_id, Action.ACCEPT_FOR_REVIEW, "路人甲"))
    assert refused.value.code == "actor_unknown"
