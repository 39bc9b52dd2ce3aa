"""Emails people can act on: headers, the interview invitation, the policy's numbers, the societies' own
templates, CPD messages from real evaluations, and case references."""

from __future__ import annotations

import dataclasses
import email
import re
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.policy import default
from pathlib import Path
from types import SimpleNamespace

import pytest

from capeval.notifications.compose import Stationery, compose, render_message, write
from capeval.notifications.cpd_notice import cpd_shortfall_context
from capeval.notifications.files import INDEX, FileSender
from capeval.notifications.links import ConsoleLinks
from capeval.notifications.message import MailIdentity
from capeval.notifications.overrides import template_variables
from capeval.notifications.rendering import LANGUAGES, template_names
from capeval.notifications.samples import SAMPLE_SOCIETY, sample_context
from capeval.notifications.variables import message_rules
from capeval.states.cpd import cpd_policy, parse_record
from capeval.states.errors import InputError
from capeval.states.policies import Policies
from capeval.states.policy import PipelinePolicy
from capeval.states.references import case_reference, looks_like_reference
from capeval.states.review_policy import ReviewPolicy

TEMPLATES = Path(__file__).parents[2] / "capeval" / "notifications" / "templates"
LETTERHEADS = {
    "DES": {"from": "pingjia@des.example.cn", "reply_to": "gongzuozu@des.example.cn", "phone": "010-6800 1234"},
    "federation": {"reply_to": "mishuchu@ecba.example.cn"},
}
IDENTITY = MailIdentity("capeval", "noreply@capeval.test", "https://console.example.cn", LETTERHEADS)
SOCIETIES = {"DES": ("示范工程学会", "Demonstration Engineering Society", "des@example.cn")}


def paper(identity: MailIdentity = IDENTITY) -> Stationery:
    return Stationery(identity, SOCIETIES, {42: ("DES", "DES-2026-0042")})


def outbox_row(template: str, language: str = "zh-CN", **context: object) -> SimpleNamespace:
    return SimpleNamespace(
        dedupe_key=f"test:{template}",
        template=template,
        recipient_name="李明",
        recipient_email="li.ming@example.cn",
        language=language,
        context={**sample_context(template), **context},
        application_id=42 if "case_id" in sample_context(template) else None,
        created_at=datetime(2026, 3, 2, 1, 0, tzinfo=UTC),
    )


def parsed(message: email.message.Message) -> email.message.EmailMessage:
    return email.message_from_bytes(message.as_bytes(), policy=default)  # type: ignore[return-value]


def test_a_long_chinese_subject_decodes_back_to_exactly_the_subject_without_a_folding_space() -> None:
    row = outbox_row("application.return_for_revision")
    sent = compose(row, paper())
    raw = sent.as_bytes().decode("ascii")
    header = re.search(r"^Subject: (.*?)\r\n(?!\s)", raw, re.S | re.M)
    assert header is not None
    decoded = str(make_header(decode_header(header.group(1).replace("\r\n", ""))))
    subject, _, _ = write(row.template, "zh-CN", row.context, paper(), 42)
    assert decoded == subject.subject and not decoded.startswith(" ")
    assert parsed(sent)["Subject"] == subject.subject


def test_every_email_names_its_society_replies_to_a_real_contact_and_says_it_is_automatic() -> None:
    sent = parsed(compose(outbox_row("application.submit", "en"), paper()))
    assert sent["From"].addresses[0].display_name == "Demonstration Engineering Society"
    assert sent["From"].addresses[0].addr_spec == "pingjia@des.example.cn"
    assert sent["Reply-To"].addresses[0].addr_spec == "gongzuozu@des.example.cn"
    assert sent["Content-Language"] == "en"
    assert sent["Auto-Submitted"] == "auto-generated"
    assert sent["X-Capeval-Reference"] == "DES-2026-0042"
    body = sent.get_body(("plain",)).get_content()
    assert "DES-2026-0042" in sent["Subject"] and "010-6800 1234" in body
    assert "https://console.example.cn/cases/DES-2026-0042" in body


def test_the_federation_steps_come_from_its_secretariat() -> None:
    sent = parsed(compose(outbox_row("appeal.received"), paper()))
    assert sent["From"].addresses[0].display_name == "中国科协工程能力建设联盟秘书处"
    assert sent["Reply-To"].addresses[0].addr_spec == "mishuchu@ecba.example.cn"
    assert sent["Content-Language"] == "zh-CN"
    assert "https://console.example.cn/appeals/AP-2026-0004" in sent.get_body(("plain",)).get_content()


def unfolded(ics: str) -> dict[str, str]:
    lines: list[str] = []
    for line in ics.split("\r\n"):
        if line.startswith(" ") and lines:
            lines[-1] += line[1:]
        elif line:
            lines.append(line)
    event = lines[lines.index("BEGIN:VEVENT") + 1 : lines.index("END:VEVENT")]
    return {line.split(":", 1)[0]: line.split(":", 1)[1] for line in event}


def test_an_interview_notice_carries_a_calendar_invitation_in_shanghai_time_with_place_and_contact() -> None:
    row = outbox_row("interview.notice", video_link="https://meet.example.cn/r/42", duration_minutes=75)
    sent = parsed(compose(row, paper()))
    (invitation,) = [part for part in sent.walk() if part.get_content_type() == "text/calendar"]
    ics = invitation.get_content()
    assert all(len(line.encode("utf-8")) <= 75 for line in ics.split("\r\n"))
    event = unfolded(ics)
    assert event["DTSTART;TZID=Asia/Shanghai"] == "20260408T143000"
    assert event["DTEND;TZID=Asia/Shanghai"] == "20260408T154500"
    assert event["LOCATION"] == "北京市海淀区示范工程学会三楼第二会议室"
    assert event["URL"] == "https://meet.example.cn/r/42"
    assert event['ORGANIZER;CN="示范工程学会"'] == "mailto:gongzuozu@des.example.cn"
    assert "TZID:Asia/Shanghai" in ics and "METHOD:REQUEST" in ics
    assert "DES-2026-0042" in event["SUMMARY"]


NON_DEFAULT = Policies(
    pipeline=PipelinePolicy(resubmission_working_days=15, certificate_validity_years=4),
    review=ReviewPolicy(
        presentation_minutes=12,
        question_minutes_min=35,
        deliberation_minutes=8,
        pass_total=65,
        knowledge_min_professional=23,
        ethics_min=13,
    ),
)
STATED = {
    "application.submit": ["15"],
    "application.return_for_revision": ["15"],
    "application.register": ["4"],
    "application.refer_to_further_assessment": ["12", "35"],
    "interview.notice": ["12", "35", "8"],
    "application.fail_assessment": ["65", "23", "13"],
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("template", template_names())
def test_every_template_states_the_numbers_of_the_policy_in_force(template: str, language: str) -> None:
    identity = dataclasses.replace(IDENTITY, rules=message_rules(NON_DEFAULT))
    text = write(template, language, sample_context(template), paper(identity), society=SAMPLE_SOCIETY)[0].text
    for number in STATED.get(template, []):
        assert re.search(rf"(?<!\d){number}(?!\d)", text), f"{template} {language} lacks {number}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("template", template_names())
def test_no_template_writes_a_number_of_its_own(template: str, language: str) -> None:
    source = (TEMPLATES / language / f"{template}.j2").read_text(encoding="utf-8")
    words = re.sub(r"{{.*?}}|{%.*?%}", "", source, flags=re.S)
    words = re.sub(r"Q\d+|art\. \d+|第[一二三四五六七八九十]+条|CPD-\d+|\.ics", "", words)
    assert not re.search(r"\d", words), f"{template} {language}: {words}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("policy_name", ["cpd-2024", "cpd-en", "ce-2026"])
def test_a_cpd_warning_states_what_the_evaluation_found(policy_name: str, language: str) -> None:
    record = {
        "member": "李明",
        "year": 2026,
        "activities": [
            {
                "kind": "training",
                "date": "2026-03-12",
                "minutes": 900,
                "title": "继电保护培训",
                "subject": "professional",
            }
        ],
    }
    evaluation = cpd_policy(policy_name).evaluate(parse_record(record))
    assert not evaluation.compliant
    context = {
        "registration_number": "CE-DES-ELEC-2021-00007",
        "holder_name": "李明",
        **cpd_shortfall_context(evaluation),
    }
    message = render_message("certificate.cpd_shortfall", language, context, society="DES")
    for requirement in evaluation.requirements:
        assert str(requirement.needed) in message.text and str(requirement.counted) in message.text
    assert str(max(evaluation.shortfall.values())) in message.subject
    assert " h " not in message.text and "total" not in message.text.lower().split("hours in the year")[0][-6:]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_renewal_reminder_links_to_the_renewal_page_and_states_the_window(language: str) -> None:
    text = render_message("certificate.renewal_reminder", language, sample_context("certificate.renewal_reminder")).text
    assert ConsoleLinks().renewal("CE-DES-ELEC-2021-00007") in text
    assert "180" in text


HEAD = "{% extends layout %}\n"


def own_template(folder: Path, body: str, template: str = "application.submit", language: str = "zh-CN") -> None:
    target = folder / "DES" / language / f"{template}.j2"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(body, encoding="utf-8")


def test_a_society_writes_in_its_own_words(tmp_path: Path) -> None:
    own_template(
        tmp_path,
        "{% extends layout %}\n{% block subject %}本会已收到申请 {{ case_reference }}{% endblock %}\n"
        "{% block body %}{{ applicant_name }}：申请已收到，"
        "{{ rules.resubmission_working_days }}个工作日。{% endblock %}\n",
    )
    identity = dataclasses.replace(IDENTITY, templates_dir=tmp_path)
    message = write("application.submit", "zh-CN", sample_context("application.submit"), paper(identity), 42)[0]
    assert message.subject == "本会已收到申请 DES-2026-0042" and "10个工作日" in message.text


@pytest.mark.parametrize(
    ("body", "line", "name"),
    [
        (
            HEAD + "{% block subject %}x{% endblock %}\n{% block body %}\n{{ applicant }}\n{% endblock %}",
            4,
            "applicant",
        ),
        (
            HEAD + "{% block subject %}{{ rules.ten_days }}{% endblock %}\n{% block body %}b{% endblock %}",
            2,
            "rules.ten_days",
        ),
    ],
)
def test_a_broken_override_is_refused_with_its_line_and_variable_and_nothing_is_sent(
    tmp_path: Path, body: str, line: int, name: str
) -> None:
    own_template(tmp_path, body)
    identity = dataclasses.replace(IDENTITY, templates_dir=tmp_path)
    with pytest.raises(InputError) as refused:
        compose(outbox_row("application.submit"), paper(identity))
    assert refused.value.code == "template_override_variable"
    assert refused.value.params["line"] == line and refused.value.params["variable"] == name
    assert f"line {line}" in str(refused.value) and name in str(refused.value)


def test_an_override_failing_only_when_rendered_is_refused_with_its_line(tmp_path: Path) -> None:
    own_template(
        tmp_path,
        HEAD + "{% block subject %}x{% endblock %}\n{% block body %}\n\n{{ sender.name.nothing }}{% endblock %}",
    )
    identity = dataclasses.replace(IDENTITY, templates_dir=tmp_path)
    with pytest.raises(InputError) as refused:
        compose(outbox_row("application.submit"), paper(identity))
    assert refused.value.code == "template_override_render" and refused.value.params["line"] == 5


def test_every_template_lists_its_variables_including_the_envelope() -> None:
    names = template_variables("application.return_for_revision")
    assert {"due_on", "reason", "case_reference", "sender", "rules", "link"} <= set(names)


def test_the_file_sender_keeps_an_index_of_who_got_what(tmp_path: Path) -> None:
    with FileSender(tmp_path) as sender:
        sender.send(compose(outbox_row("application.submit"), paper()))
        sender.send(compose(outbox_row("appeal.received"), paper()))
    with FileSender(tmp_path) as sender:
        sender.send(compose(outbox_row("application.submit"), paper()))
    lines = (tmp_path / INDEX).read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t")[:5] == ["file", "to", "subject", "reference", "time"]
    assert len(lines) == 3
    submitted = next(line.split("\t") for line in lines[1:] if "DES-2026-0042" in line)
    assert submitted[1] == "李明 <li.ming@example.cn>" and submitted[2].startswith("申请已提交") and submitted[4]


def test_a_case_reference_is_society_year_and_four_digit_sequence() -> None:
    assert case_reference("des", 2026, 4) == "DES-2026-0004"
    assert looks_like_reference("DES-2026-0004") and not looks_like_reference("4")


def test_the_letterhead_file_completes_the_directory_and_a_wrong_key_is_refused_by_name(tmp_path: Path) -> None:
    from capeval.settings import Settings

    letterheads = tmp_path / "letterheads.toml"
    letterheads.write_text('[societies.des]\nreply_to = "gongzuozu@des.example.cn"\n', encoding="utf-8")
    identity = Settings.load(letterheads_file=letterheads, web_base_url="https://web.example.cn/").mail_identity()
    assert identity.letterheads == {"DES": {"reply_to": "gongzuozu@des.example.cn"}}
    assert identity.console_base_url == "https://web.example.cn"
    letterheads.write_text('[societies.DES]\nreplyto = "x@des.example.cn"\n', encoding="utf-8")
    with pytest.raises(InputError, match="'replyto', which is not a letterhead key"):
        Settings.load(letterheads_file=letterheads).mail_identity()


def test_a_societys_broken_layout_is_refused_for_every_message_with_its_line(tmp_path: Path) -> None:
    layout = tmp_path / "DES" / "layout.text.j2"
    layout.parent.mkdir(parents=True)
    layout.write_text("{{ sender.name }}\n\n{{ self.body() }}\n{{ sender.fax }}\n", encoding="utf-8")
    identity = dataclasses.replace(IDENTITY, templates_dir=tmp_path)
    with pytest.raises(InputError) as refused:
        compose(outbox_row("review.invited"), paper(identity))
    assert refused.value.code == "template_override_variable"
    assert (refused.value.params["line"], refused.value.params["variable"]) == (4, "sender.fax")
    layout.write_text("{{ sender.name }}\n\n{{ self.body() }}\n{{ sender.phone }}\n", encoding="utf-8")
    text = parsed(compose(outbox_row("review.invited"), paper(identity))).get_body(("plain",)).get_content()
    text = text.replace("\r\n", "\n")
    assert text.startswith("示范工程学会\n") and text.rstrip().endswith("010-6800 1234")
