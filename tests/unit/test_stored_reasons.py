"""The reasons capeval records itself are stored coded and shown in the reader's language; any other text,
and every line stored before reasons were coded, is shown as it is."""

from __future__ import annotations

import pytest

from capeval.states.messages import Term
from capeval.states.stored_reasons import coded_reason, reason_text, stored_reason

OLD_LAPSE = "the revised application was not resubmitted by 2026-02-27 (10 working days after the return notice)"


def test_a_coded_lapse_reason_is_shown_in_english_and_in_chinese() -> None:
    stored = coded_reason("lapse_resubmission_missed", due="2026-02-27", days=10)
    assert reason_text(stored, "en") == OLD_LAPSE
    assert reason_text(stored, "zh-CN") == "修改后的申请未在2026-02-27前重新提交（退回通知后10个工作日内）"
    supplement = coded_reason("lapse_supplement_missed", due="2026-03-04")
    assert reason_text(supplement, "zh-CN") == "所要求的补充材料未在2026-03-04前收到"


@pytest.mark.parametrize(
    "text",
    [
        OLD_LAPSE,
        "补充学历证明",
        "",
        "@no_such_code {}",
        '@lapse_supplement_missed {"due": ',
        "@lapse_supplement_missed []",
    ],
)
def test_a_typed_or_old_reason_and_anything_not_a_known_code_is_shown_as_it_is(text: str) -> None:
    assert stored_reason(text) is None
    assert reason_text(text, "zh-CN") == reason_text(text, "en") == text


def test_only_a_code_of_the_catalog_is_stored_coded() -> None:
    with pytest.raises(KeyError):
        coded_reason("lapse_for_no_reason", due="2026-02-27")


def test_a_certificate_reason_shows_its_level_word_and_its_years_the_readers_way() -> None:
    superseded = coded_reason("certificate_superseded_reason", level=Term("level_senior"), number="CE-1")
    assert reason_text(superseded, "en") == "upgraded to senior: superseded by CE-1"
    assert reason_text(superseded, "zh-CN") == "已升级为资深工程会员：由证书 CE-1 取代"
    renewed = coded_reason("certificate_renewed_reason", years=[2026, 2027], valid_until="2036-03-01")
    assert reason_text(renewed, "en") == "CPD reviewed for 2026, 2027; valid until 2036-03-01"
    assert reason_text(renewed, "zh-CN") == "继续职业发展（CPD）审核年度：2026、2027；有效期至2036-03-01"


def test_a_word_not_in_the_catalog_is_not_stored() -> None:
    with pytest.raises(KeyError):
        coded_reason("certificate_superseded_reason", level=Term("level_grandmaster"), number="CE-1")
