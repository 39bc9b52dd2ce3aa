"""Every message template renders in both languages and both formats, and every template the code names exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from capeval.notifications.compose import render_message
from capeval.notifications.rendering import LANGUAGES, language_of, template_names
from capeval.notifications.samples import sample_context, sample_names
from capeval.states.application import Action
from capeval.states.errors import InputError
from capeval.states.stored_reasons import coded_reason

ROOT = Path(__file__).resolve().parents[2]
CODE_FOLDERS = ("capeval", "services", "flows", "models", "states", "notifications")
TEMPLATE_LITERAL = re.compile(r"""(?:["']template["']\s*:|\btemplate\s*=|[A-Z_]+\s*=)\s*["']([a-z_]+\.[a-z_]+)["']""")
FILE_SUFFIXES = {"db", "py", "toml", "json", "txt", "eml", "html", "j2", "ini", "yaml", "pdf"}
REQUIRED_BY_THE_BRIEF = {
    "review.invited",
    "review.reminder_before_due",
    "review.reminder_overdue",
    "review.cancelled",
    "interview.notice",
    "certificate.renewal_reminder",
    "certificate.cpd_shortfall",
    "certificate.status_changed",
    "feedback.received",
    "feedback.answered",
    "appeal.received",
    "appeal.decided",
    "authorization.decided",
    "application.lapse_warning",
    "workgroup.daily_digest",
}


def template_names_in_code() -> set[str]:
    """Template names the code queues: literals after `"template":`, `template=` or a constant, and every
    `application.<action>` the handlers queue for each Action."""
    found = {f"application.{action.value}" for action in Action}
    for folder in CODE_FOLDERS:
        for path in (ROOT / folder).rglob("*.py"):
            found.update(TEMPLATE_LITERAL.findall(path.read_text(encoding="utf-8")))
    return {name for name in found if name.rpartition(".")[2] not in FILE_SUFFIXES}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", template_names())
def test_every_template_renders_its_sample_in_both_languages_and_formats(name: str, language: str) -> None:
    message = render_message(name, language, sample_context(name))
    assert message.subject and "\n" not in message.subject
    assert message.text.strip() and "{{" not in message.text and "{%" not in message.text
    assert message.html.startswith("<!DOCTYPE html>") and f'lang="{language}"' in message.html
    has_chinese = re.search(r"[\u4e00-\u9fff]", message.text.split("--")[-1]) is not None
    assert has_chinese == (language == "zh-CN")


def test_every_template_has_a_sample_and_every_sample_a_template() -> None:
    assert set(sample_names()) == set(template_names())


def test_every_template_name_used_in_the_code_or_required_has_a_template() -> None:
    assert template_names_in_code() | REQUIRED_BY_THE_BRIEF <= set(template_names())


def test_the_scan_finds_the_templates_the_spine_and_sweeps_queue() -> None:
    found = template_names_in_code()
    assert {"application.return_for_revision", "application.lapse_warning", "workgroup.daily_digest"} <= found


def test_both_languages_have_the_same_templates() -> None:
    folder = ROOT / "notifications" / "templates"
    assert sorted(p.name for p in (folder / "en").iterdir()) == sorted(p.name for p in (folder / "zh-CN").iterdir())


def test_html_escapes_what_people_typed_and_text_keeps_it() -> None:
    context = {**sample_context("application.reject"), "reason": "<script>alert(1)</script> & more"}
    message = render_message("application.reject", "en", context)
    assert "&lt;script&gt;" in message.html and "<script>" not in message.html
    assert "<script>alert(1)</script> & more" in message.text


def test_a_missing_context_key_is_an_error_naming_it_never_a_blank() -> None:
    context = sample_context("application.register")
    del context["registration_number"]
    with pytest.raises(InputError, match="registration_number"):
        render_message("application.register", "zh-CN", context)


def test_an_unknown_template_is_an_error_naming_it() -> None:
    with pytest.raises(InputError, match="no template 'application.nothing'"):
        render_message("application.nothing", "zh-CN", {})


def test_a_return_notice_states_the_reason_and_the_resubmission_deadline_in_the_readers_language() -> None:
    context = sample_context("application.return_for_revision")
    chinese = render_message("application.return_for_revision", "zh-CN", context)
    english = render_message("application.return_for_revision", "en", context)
    assert "2026年2月27日" in chinese.subject and context["reason"] in chinese.text
    assert "27 February 2026" in english.text and "10 working days" in english.text


def test_english_is_chosen_only_for_recipients_who_asked_for_it() -> None:
    assert [language_of(value) for value in ("en", "en-GB", "zh-CN", "", None, "fr")] == [
        "en",
        "en",
        "zh-CN",
        "zh-CN",
        "zh-CN",
        "zh-CN",
    ]


def test_approval_on_the_international_route_says_the_title_is_still_to_be_confirmed() -> None:
    context = {**sample_context("application.approve"), "stage": "secretariat_confirmation"}
    assert "秘书处" in render_message("application.approve", "zh-CN", context).text
    assert "secretariat" in render_message("application.approve", "en", context).text


def test_a_status_change_gives_capevals_own_reason_in_the_readers_language_and_a_persons_as_typed() -> None:
    expired = coded_reason("certificate_expired_reason", expired_on="2031-03-01")
    context = {**sample_context("certificate.status_changed"), "status": "expired", "reason": expired}
    chinese = render_message("certificate.status_changed", "zh-CN", context)
    english = render_message("certificate.status_changed", "en", context)
    assert "未续期；有效期已于2031-03-01届满" in chinese.text and "not renewed" not in chinese.text + chinese.html
    assert "not renewed; validity ended on 2031-03-01" in english.text and "@certificate" not in english.html
    typed = {**context, "reason": "not renewed; validity ended on 2021-03-01"}
    assert typed["reason"] in render_message("certificate.status_changed", "zh-CN", typed).text


def test_a_renewal_refusal_shows_the_workgroups_reason_as_typed_in_both_languages() -> None:
    context = sample_context("certificate.renewal_refused")
    for language in LANGUAGES:
        assert context["reason"] in render_message("certificate.renewal_refused", language, context).text
