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
    "review_task_submitted_with_record": {
        "en": "submit a review record with 'capeval review submit TASK FILE'",
        "zh-CN": "请用 'capeval review submit TASK FILE' 提交评审记录",
    },
    "interview_place_missing": {
        "en": "give the interview a --place or a --video-link",
        "zh-CN": "请用 --place 或 --video-link 为面试指定地点或视频会议链接",
    },
    "interview_panel_duplicate": {"en": "--panel names an examiner twice", "zh-CN": "--panel 中同一考官出现了两次"},
    "register_search_empty": {
        "en": "say what to look for: --name (any part of it), --number or --society",
        "zh-CN": "请给出查询条件：--name（姓名的一部分）、--number 或 --society",
    },
    "register_lookup_both": {
        "en": "look up either by --number, or by --name and --society, not both",
        "zh-CN": "请用 --number 查询，或用 --name 和 --society 查询，二者不可同时使用",
    },
    "cli_file_malformed": {
        "en": "--file '{pair}' must look like KIND=PATH, e.g. education=scans/diploma.pdf",
        "zh-CN": "--file “{pair}”应写作 KIND=PATH，例如 education=scans/diploma.pdf",
    },
    "cli_document_unwritable": {
        "en": "--out {path}: cannot write the document ({reason})",
        "zh-CN": "--out {path}：无法写入文件（{reason}）",
    },
    "register_report_reversed": {
        "en": "--to {end} is before --from {start}",
        "zh-CN": "--to {end} 早于 --from {start}",
    },
    "register_report_unwritable": {
        "en": "--out {path}: cannot write ({reason})",
        "zh-CN": "--out {path}：无法写入（{reason}）",
    },
    "appeal_reopen_stage_unknown": {"en": "--reopen-at must be one of {choices}, not '{stage}'"},
    "appeal_case_required": {"en": "--case is required to appeal a failed evaluation"},
    "appeal_certificate_required": {"en": "--certificate is required to appeal a {subject}"},
    "appeal_certificate_not_found": {"en": "--certificate {registration_number}: no such certificate"},
    "governance_evaluation_case_not_found": {"en": "--case {case_id}: no such case"},
    "feedback_sender_required": {
        "en": "--sender is required: feedback must be in writing and say who sends it (Q&A Q40)"
    },
    "feedback_email_required": {
        "en": "--email is required: feedback must be in writing and say who sends it (Q&A Q40)"
    },
    "feedback_subject_required": {
        "en": "--subject is required: feedback must be in writing and say who sends it (Q&A Q40)"
    },
    "feedback_body_required": {"en": "--body is required: feedback must be in writing and say who sends it (Q&A Q40)"},
    "feedback_email_invalid": {"en": "--email '{email}' is not an email address; the answer is sent there"},
    "feedback_sender_kind_unknown": {"en": "--sender-kind must be one of {choices}"},
    "resolution_motion_missing": {"en": "--motion: say what the meeting decided"},
    "resolution_subject_kind_unknown": {"en": "--subject kind '{kind}' is not one of {choices}"},
    "resolution_subject_not_found": {"en": "--subject {kind}:{ref}: no {kind} with that reference"},
    "certificate_fraud_needs_revoke": {
        "en": "--fraud goes with revoke only (Q&A Q14)",
        "zh-CN": "--fraud 只能与 revoke 一起使用（问答第14条）",
    },
    "cli_working_days_count_not_whole": {
        "en": "N must be a whole number, not '{count}'",
        "zh-CN": "N 须为整数，不能为“{count}”",
    },
    "cli_evidence_malformed": {
        "en": "--evidence '{pair}' must look like KIND=REFERENCE, e.g. education=diploma.pdf",
        "zh-CN": "--evidence “{pair}”应写作 KIND=REFERENCE，例如 education=diploma.pdf",
    },
    "cli_batch_size_too_small": {"en": "--batch-size must be at least 1", "zh-CN": "--batch-size 至少为1"},
    "cli_reminder_days_too_small": {
        "en": "--remind: days before expiry must be at least 1",
        "zh-CN": "--remind：到期前的天数至少为1",
    },
    "cli_cpd_year_mismatch": {
        "en": "{path}: year: the file is for {file_year}, but --year is {year}",
        "zh-CN": "{path}：年度：文件所载为{file_year}年，但 --year 为{year}",
    },
    "cli_cpd_activity_missing": {
        "en": "give --file, or at least --kind and --date",
        "zh-CN": "请用 --file 提供活动文件，或至少填写 --kind 和 --date",
    },
    "cli_cpd_policy_actor_missing": {
        "en": "--actor: say who chooses the policy",
        "zh-CN": "--actor：请说明由谁选定该政策",
    },
    "cli_panel_malformed": {
        "en": "--panel '{text}' must be examiner ids separated by commas, e.g. 3,5,8",
        "zh-CN": "--panel “{text}”须为以逗号分隔的考官编号，例如 3,5,8",
    },
    "cli_language_unknown": {
        "en": "--language must be one of {choices}, not '{language}'",
        "zh-CN": "--language 须为以下之一：{choices}，不能为“{language}”",
    },
    "cli_outbox_status_unknown": {
        "en": "--status must be one of {choices}, not '{status}'",
        "zh-CN": "--status 须为以下之一：{choices}，不能为“{status}”",
    },
    "cli_resolution_subject_malformed": {
        "en": "--subject '{text}' must look like KIND:REF with KIND one of {choices}",
        "zh-CN": "--subject “{text}”应写作 KIND:REF，KIND 为以下之一：{choices}",
    },
    "cli_level_unknown": {
        "en": "--level '{level}' is not a level; use one of: {choices}",
        "zh-CN": "--level “{level}”不是有效的级别；请从以下级别中选择：{choices}",
    },
}
"""Messages that name the flag the person typed, by error code and language."""

CLI_HINTS: Templates = {
    "interview_projects_count": {
        "en": "name each project with --project, two or three times",
        "zh-CN": "请用 --project 逐一写明项目名称（2-3 个）",
    },
    "deadline_extension_days": {
        "en": "give --days N, for example --days 5",
        "zh-CN": "请用 --days N 指定，例如 --days 5",
    },
    "deadline_extension_reason_missing": {
        "en": "give the reason with --reason",
        "zh-CN": "请用 --reason 写明原因",
    },
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
    "guard_certificate_appeal_upheld": {
        "en": "the holder lodges one with 'capeval appeal lodge'",
        "zh-CN": "请持证人用 'capeval appeal lodge' 提出申诉",
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
    "database_permission_denied": {
        "en": "the tables' owner grants the application's role its privileges with "
        "'capeval db grants --role NAME --apply'",
        "zh-CN": "请由数据表所有者用 'capeval db grants --role NAME --apply' 为应用程序的角色授予所需权限",
    },
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
    "board_limit_invalid": {
        "en": "give --limit between 1 and {maximum}",
        "zh-CN": "请用 --limit 给出1至{maximum}之间的数量",
    },
    "board_after_invalid": {
        "en": "give --after the case id the previous page ended with (it prints it)",
        "zh-CN": "请用 --after 给出上一页最后一个案件的编号（上一页会打印）",
    },
    "lookup_case_missing": {
        "en": "'capeval case board' lists the cases",
        "zh-CN": "'capeval case board' 列出全部案件",
    },
    "lookup_examiner_missing": {
        "en": "'capeval review examiners' lists them",
        "zh-CN": "'capeval review examiners' 列出全部考官",
    },
    "lookup_review_task_missing": {
        "en": "'capeval review inbox' lists an examiner's tasks",
        "zh-CN": "'capeval review inbox' 列出考官的评审任务",
    },
    "interview_written_exam_missing": {
        "en": "give --written-exam SCORE",
        "zh-CN": "请用 --written-exam SCORE 填写笔试成绩",
    },
    "lookup_interview_missing": {
        "en": "'capeval interview list CASE' lists them",
        "zh-CN": "'capeval interview list CASE' 列出该案件的全部面试",
    },
    "appeal_already_open": {
        "en": "follow it with 'capeval appeal show {reference}'",
        "zh-CN": "请用 'capeval appeal show {reference}' 查询其进展",
    },
    "governance_resolution_missing": {
        "en": "record the meeting with 'capeval resolution record'",
        "zh-CN": "请用 'capeval resolution record' 登记会议决议",
    },
    "governance_resolution_missing_any": {
        "en": "record the meeting with 'capeval resolution record'",
        "zh-CN": "请用 'capeval resolution record' 登记会议决议",
    },
    "governance_reopen_stage_missing": {
        "en": "name it with --reopen-at",
        "zh-CN": "请用 --reopen-at 指明",
    },
    "authorization_society_not_found": {
        "en": "load it with 'capeval society load'",
        "zh-CN": "请用 'capeval society load' 导入",
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
    "clock_not_simulation": {
        "en": "drop --now and CAPEVAL_NOW; to act as of another date, use a database made with "
        "'capeval db init --simulation'",
        "zh-CN": "请去掉 --now 和 CAPEVAL_NOW；如需按其他日期操作，"
        "请使用以 'capeval db init --simulation' 创建的数据库",
    },
    "clock_init_not_simulation": {
        "en": "add --simulation to make a database whose clock may be set, or drop --now and CAPEVAL_NOW",
        "zh-CN": "请加上 --simulation 创建可设置时钟的数据库，或去掉 --now 和 CAPEVAL_NOW",
    },
    "id_key_missing_for_upgrade": {
        "en": "set CAPEVAL_ID_KEY (at least 32 characters, e.g. from 'openssl rand -hex 32') or CAPEVAL_ID_KEY_FILE, "
        "then run 'capeval db upgrade' again",
        "zh-CN": "请设置 CAPEVAL_ID_KEY（至少32个字符，例如 'openssl rand -hex 32' 的输出）或 CAPEVAL_ID_KEY_FILE，"
        "然后重新运行 'capeval db upgrade'",
    },
    "cpd_lecturer_self_declared": {
        "en": "leave it out; society staff record the qualification with 'capeval cpd lecturer NUMBER --since DATE'",
        "zh-CN": "请删去该项；由学会工作人员用 'capeval cpd lecturer NUMBER --since DATE' 登记授课资格",
    },
    "cpd_recognition_by_staff": {
        "en": "society staff record it with 'capeval cpd record NUMBER ... --actor STAFF'",
        "zh-CN": "请由学会工作人员用 'capeval cpd record NUMBER ... --actor STAFF' 登记",
    },
    # decisions backed by their evidence; who acts in material review and interviews
    "guard_review_round_needed": {
        "en": "each examiner of the case submits a record with 'capeval review submit TASK FILE'; "
        "the last record of the round moves the case",
        "zh-CN": "请由本案每位考官用 'capeval review submit TASK FILE' 提交评审记录；本轮最后一份记录提交后案件即推进",
    },
    "guard_assessment_needed": {
        "en": "the interview panel records the result with 'capeval interview decide INTERVIEW'",
        "zh-CN": "请由面试专家组用 'capeval interview decide INTERVIEW' 登记面试结果",
    },
    "guard_resolution_needed": {
        "en": "record the meeting with 'capeval resolution record --body review_committee --case CASE' and cite it "
        "with 'capeval review committee CASE DECISION --resolution REF'",
        "zh-CN": "请用 'capeval resolution record --body review_committee --case CASE' 登记会议决议，"
        "并用 'capeval review committee CASE DECISION --resolution REF' 援引该决议",
    },
    "review_inbox_not_an_examiner": {
        "en": "name the examiner with --actor",
        "zh-CN": "请用 --actor 指明考官",
    },
    "review_inbox_of_another": {
        "en": "leave out --examiner to see your own tasks",
        "zh-CN": "去掉 --examiner 即可查看本人的评审任务",
    },
    "case_already_open": {
        "en": "continue with it ('capeval case show {case_id}'), or withdraw it first "
        "('capeval case act {case_id} withdraw --actor YOU')",
        "zh-CN": "请继续办理该案件（'capeval case show {case_id}'），"
        "或先撤回（'capeval case act {case_id} withdraw --actor 本人'）",
    },
    "database_statement_timeout": {
        "en": "try again later, or raise CAPEVAL_STATEMENT_TIMEOUT",
        "zh-CN": "请稍后重试，或调大 CAPEVAL_STATEMENT_TIMEOUT",
    },
    "interview_seat_of_another": {
        "en": "leave out --examiner: your own seat is used",
        "zh-CN": "请去掉 --examiner：系统将使用您本人的席位",
    },
    "case_ref_unknown": {
        "en": "check the reference in the case's emails, or give the case id ('capeval case board' lists them)",
        "zh-CN": "请核对邮件中的参考号，或填写案件编号（'capeval case board' 可列出）",
    },
    "template_override_variable": {
        "en": "'capeval notify variables {template}' lists what it may use; "
        "then run 'capeval notify check --society CODE'",
        "zh-CN": "'capeval notify variables {template}' 列出可用变量；"
        "修改后运行 'capeval notify check --society 学会代码'",
    },
}
"""Hints that name a command or flag, by error code and language; they replace the catalog's hint."""

CLI_WORDING = Wording(messages=CLI_MESSAGES, hints=CLI_HINTS)


def error_line(error: CapevalError, language: str) -> str:
    """One line: `error: <message>; <hint>`, guard reasons included, in the CLI's wording."""
    return f"error: {error.text(language, CLI_WORDING)}"
