"""How the CLI shows an error: the catalog's message and hint in the chosen language, with its own flags.

The domain's messages and hints name the action ("give a reason"); where the CLI has a flag or a command
for that action, its wording below takes the place of the catalog's, by code and language. A code missing
here, or a language missing for a code, falls back to the catalog.
"""

from __future__ import annotations

from capeval.states.errors import CapevalError
from capeval.states.messages import Templates, Wording

CLI_MESSAGES: Templates = {
    "resolution_members_too_few": {"en": "--members must be at least {minimum}, not {members}"},
    "resolution_voted_negative": {"en": "--voted cannot be negative ({voted})"},
    "resolution_favour_negative": {"en": "--in-favour cannot be negative ({in_favour})"},
    "resolution_voted_exceeds_members": {"en": "--voted ({voted}) cannot exceed --members ({members})"},
    "resolution_favour_exceeds_voted": {"en": "--in-favour ({in_favour}) cannot exceed --voted ({voted})"},
    "vote_malformed": {"en": "--vote '{pair}' must look like NAME=VOTE with VOTE one of {choices}"},
    "vote_unknown": {"en": "--vote '{pair}': '{value}' is not one of {choices}"},
    "vote_listed_twice": {"en": "--vote: member '{name}' is listed twice"},
    "scores_malformed": {"en": "--scores: '{part}' must be AREA=N with AREA one of: {areas}"},
    "scores_not_whole": {"en": "--scores: the score of '{area}' must be a whole number, not '{value}'"},
    "votes_missing": {"en": "--vote: no votes are given"},
    "certificate_fraud_needs_revoke": {
        "en": "--fraud goes with revoke only (Q&A Q14)",
        "zh-CN": "--fraud 只能与 revoke 一起使用（问答第14条）",
    },
}
"""Messages that name the flag the person typed, by error code and language."""

CLI_HINTS: Templates = {
    "unpublished_year": {
        "en": "import the State Council schedule for {year} with 'capeval calendar import FILE'",
        "zh-CN": "请用 'capeval calendar import FILE' 导入国务院办公厅发布的{year}年节假日安排",
    },
    "guard_reason_given": {
        "en": "give one with --reason",
        "zh-CN": "请用 --reason 填写理由",
    },
    "guard_appeal_upheld": {
        "en": "lodge one with 'capeval appeal lodge'",
        "zh-CN": "请用 'capeval appeal lodge' 提出申诉",
    },
    "interview_questions_short": {
        "en": "state the reason with --short-reason",
        "zh-CN": "请用 --short-reason 说明原因",
    },
    "database_missing": {
        "en": "run 'capeval db init' to create it, or name another database with --db",
        "zh-CN": "请用 'capeval db init' 创建数据库，或用 --db 指定另一个数据库",
    },
    "database_outdated": {"en": "run 'capeval db upgrade'", "zh-CN": "请运行 'capeval db upgrade'"},
    "database_exists": {
        "en": "run 'capeval db upgrade' to bring it to the current schema",
        "zh-CN": "请运行 'capeval db upgrade' 将其升级到当前结构",
    },
    "smtp_host_missing": {
        "en": "name the SMTP server, or write .eml files with --mail-dir",
        "zh-CN": "请指定 SMTP 服务器，或用 --mail-dir 写出 .eml 文件",
    },
    "policy_file_missing": {
        "en": "name an existing TOML file with --policy",
        "zh-CN": "请用 --policy 指定一个存在的 TOML 文件",
    },
    "guard_certificate_reason_given": {
        "en": "give a reason with --reason",
        "zh-CN": "请用 --reason 填写理由",
    },
    "guard_renewal_not_applied": {
        "en": "apply first ('capeval certificate apply-renewal')",
        "zh-CN": "请先用 'capeval certificate apply-renewal' 申请延续注册",
    },
    "task_reason_required": {
        "en": "give one with --reason",
        "zh-CN": "请用 --reason 填写理由",
    },
    "guard_task_reason_given": {
        "en": "give one with --reason",
        "zh-CN": "请用 --reason 填写理由",
    },
    "outbox_message_not_found": {
        "en": "'capeval outbox list' lists them",
        "zh-CN": "'capeval outbox list' 可列出全部邮件",
    },
    "template_unknown": {
        "en": "'capeval notify templates' lists them",
        "zh-CN": "'capeval notify templates' 可列出全部模板",
    },
}
"""Hints that name a command or flag, by error code and language; they replace the catalog's hint."""

CLI_WORDING = Wording(messages=CLI_MESSAGES, hints=CLI_HINTS)


def error_line(error: CapevalError, language: str) -> str:
    """One line: `error: <message>; <hint>`, guard reasons included, in the CLI's wording."""
    return f"error: {error.text(language, CLI_WORDING)}"
