"""A schedule import re-projects provisional deadlines, of cases and of governance steps, without raising
any case's version: a form opened before the import is accepted after it, and the history still explains
every version."""

from __future__ import annotations

import re

from sqlmodel import select

from capeval.models import Feedback
from capeval.services import accounts, calendar_store
from capeval.services.feedback import file_feedback
from capeval.services.history_audit import verify_histories
from capeval.services.runtime import Runtime
from capeval.states.application import Action
from capeval.states.clock import FixedClock
from capeval.states.governance_commands import FileFeedback

from ..factories import act, at, load_society, submitted_case
from ..integration.test_provisional_deadlines import SCHEDULE_2027
from .support import PASSWORD, app_client, csrf_of, sign_in


def _feedback_version(runtime: Runtime) -> int:
    with runtime.unit_of_work() as uow:
        return uow.session.exec(select(Feedback)).one().version


def test_a_form_opened_before_a_schedule_import_is_accepted_after_it(runtime: Runtime, clock: FixedClock) -> None:
    load_society(runtime, [1])
    accounts.set_password(runtime, "p1", PASSWORD)
    clock.set(at("2026-12-18"))
    case_id = submitted_case(runtime, 1)
    assert act(runtime, case_id, Action.RETURN_FOR_REVISION, "补充学历证明").due_provisional
    clock.set(at("2026-12-28"))
    filed = file_feedback(runtime, FileFeedback("申请人1", "p1@example.cn", "member", "意见", "请说明", case_id))
    assert filed.due_provisional
    feedback_version = _feedback_version(runtime)
    with app_client(runtime) as client:
        sign_in(client, "p1")
        page = client.get(f"/cases/{case_id}").text
        [version] = set(re.findall(r'name="expected_version" value="(\d+)"', page))
        statement = page.split('name="statement" rows="12">')[1].split("</textarea>")[0]

        imported = calendar_store.store_schedule(runtime, SCHEDULE_2027, origin="2027.toml", loaded_by="管理员")
        assert imported.reprojected == 2

        revised = client.post(
            f"/cases/{case_id}/statement",
            data={"csrf_token": csrf_of(page), "statement": statement + "补充：学历证明", "expected_version": version},
        )
    assert revised.status_code == 303, revised.text
    assert _feedback_version(runtime) == feedback_version
    assert verify_histories(runtime).clean
