"""The deadline sweep records its lapse reason coded: the case page, the case's progress and the lapse
notice show it in the reader's language, and a line stored as English text before still shows as it was."""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa

from capeval.models import Application, OutboxMessage, StageHistory
from capeval.notifications.compose import render_message
from capeval.services import queries
from capeval.services.case_progress import case_progress
from capeval.services.runtime import Runtime
from capeval.services.sweeps import lapse_overdue_cases
from capeval.states.application import Action
from capeval.states.clock import FixedClock
from capeval.states.stored_reasons import stored_reason

from ..factories import act, applicant_of, at, load_society, submitted_case
from .test_handlers import rows

EN = "the revised application was not resubmitted by 2026-02-27 (10 working days after the return notice)"
ZH = "修改后的申请未在2026-02-27前重新提交（退回通知后10个工作日内）"


def lapsed_case(runtime: Runtime, clock: FixedClock) -> int:
    load_society(runtime, members=[1])
    case_id = submitted_case(runtime, 1)
    clock.set(at("2026-02-06"))
    act(runtime, case_id, Action.RETURN_FOR_REVISION, "自述未区分个人与团队贡献")
    clock.set(at("2026-02-28"))
    assert lapse_overdue_cases(runtime).lapsed == [case_id]
    return case_id


def test_a_lapse_is_recorded_coded_and_shown_in_the_language_asked(runtime: Runtime, clock: FixedClock) -> None:
    case_id = lapsed_case(runtime, clock)
    line = rows(runtime, StageHistory, application_id=case_id)[-1]
    problem = stored_reason(line.reason)
    assert problem is not None and problem.code == "lapse_resubmission_missed"
    assert dict(problem.params) == {"due": "2026-02-27", "days": 10}
    english, chinese = queries.show(runtime, case_id, "en"), queries.show(runtime, case_id, "zh-CN")
    assert english["history"][-1]["reason"] == EN and english["last_reason"] == EN
    assert chinese["history"][-1]["reason"] == ZH and chinese["last_reason"] == ZH
    assert case_progress(runtime, case_id, applicant_of(runtime, case_id)).last_reason == EN


def test_the_lapse_notice_states_the_recorded_reason_in_the_readers_language(
    runtime: Runtime, clock: FixedClock
) -> None:
    case_id = lapsed_case(runtime, clock)
    [notice] = [m for m in rows(runtime, OutboxMessage, application_id=case_id) if m.template == "application.lapse"]
    chinese = render_message(notice.template, "zh-CN", notice.context).text
    english = render_message(notice.template, "en", notice.context).text
    assert ZH in chinese and "@lapse" not in chinese and "not resubmitted" not in chinese
    assert EN in english and "@lapse" not in english


def test_a_reason_stored_as_english_text_before_still_shows_as_it_was(runtime: Runtime, clock: FixedClock) -> None:
    case_id = lapsed_case(runtime, clock)
    with runtime.engine.begin() as connection:
        connection.execute(sa.update(Application).where(Application.id == case_id).values(last_reason=EN))
    for language in ("en", "zh-CN"):
        assert queries.show(runtime, case_id, language)["last_reason"] == EN
    with_chinese_default = dataclasses.replace(runtime, settings=runtime.settings.model_copy(update={"lang": "zh-CN"}))
    assert queries.show(with_chinese_default, case_id)["history"][-1]["reason"] == ZH
