"""The one settings object: options over `CAPEVAL_*` variables over defaults, and bad values in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from capeval.services.bootstrap import load_policies
from capeval.settings import Settings
from capeval.states.errors import InputError
from capeval.states.policies import Policies


def test_the_defaults_need_no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CAPEVAL_DATABASE_URL", "CAPEVAL_NOW", "CAPEVAL_POLICY_FILE", "CAPEVAL_LANG", "CAPEVAL_MAIL_FROM"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings.load()
    assert (settings.database_url, settings.now, settings.policy_file, settings.lang) == (
        "sqlite:///capeval.db",
        None,
        None,
        "en",
    )
    assert settings.mail_identity().domain == "capeval.localhost"


def test_an_option_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAPEVAL_DATABASE_URL", "sqlite:///from-env.db")
    monkeypatch.setenv("CAPEVAL_NOW", "2026-03-02")
    monkeypatch.setenv("CAPEVAL_LANG", "zh-CN")
    settings = Settings.load(database_url="sqlite:///from-option.db", now=None)
    assert settings.database_url == "sqlite:///from-option.db"
    assert settings.now is not None and settings.now.isoformat() == "2026-03-02T09:00:00+08:00"
    assert settings.lang == "zh-CN"


def test_a_bad_variable_is_one_line_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAPEVAL_LANG", "fr")
    with pytest.raises(InputError, match="CAPEVAL_LANG") as refused:
        Settings.load()
    assert "\n" not in str(refused.value)
    monkeypatch.delenv("CAPEVAL_LANG")
    monkeypatch.setenv("CAPEVAL_NOW", "yesterday")
    with pytest.raises(InputError, match="is not a date or time"):
        Settings.load()


def test_the_board_count_cap_is_a_whole_number_of_one_or_more(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CAPEVAL_BOARD_COUNT_CAP", raising=False)
    assert Settings.load().board_count_cap == 1000
    monkeypatch.setenv("CAPEVAL_BOARD_COUNT_CAP", "250")
    assert Settings.load().board_count_cap == 250
    monkeypatch.setenv("CAPEVAL_BOARD_COUNT_CAP", "0")
    with pytest.raises(InputError, match="CAPEVAL_BOARD_COUNT_CAP"):
        Settings.load()


def test_one_policy_file_sets_every_table(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(
        "[pipeline]\nresubmission_working_days = 15\n[review]\nexaminers_per_case = 3\n"
        "[governance]\nappeal_window_working_days = 20\n[delivery]\nbatch_size = 7\n[renewal]\nreminder_days = [60]\n",
        encoding="utf-8",
    )
    policies = load_policies(path)
    assert policies.pipeline.resubmission_working_days == 15 and policies.review.examiners_per_case == 3
    assert policies.governance.appeal_window_working_days == 20 and policies.delivery.batch_size == 7
    assert policies.renewal.reminder_points() == (60,)
    assert load_policies(None) == Policies()


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("[pipeline]\nresubmission_working_days = 'ten'\n", "pipeline.resubmission_working_days"),
        ("[pipeline]\nresubmission_working_days = 'ten'\n", "must be a whole number >= 0, not 'ten'"),
        (
            "[renewal]\nreminder_days = ['soon']\n",
            "must be a list of whole numbers, not ['soon'] (renewal.reminder_days)",
        ),
        ("[review]\ncombine_rule = 'coin'\n", "must be one of: strictest, majority, not 'coin' (review.combine_rule)"),
        ("[delivery]\nretries = 3\n", "unknown delivery setting 'retries' (delivery.retries)"),
        ("[cpd]\nhours = 3\n", "unknown table [cpd]"),
    ],
)
def test_a_bad_policy_file_is_one_line_naming_table_and_key(tmp_path: Path, text: str, line: str) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as refused:
        load_policies(path)
    message = str(refused.value)
    assert line in message and "\n" not in message and message.startswith(f"{path}: ")


def test_a_missing_policy_file_is_refused() -> None:
    with pytest.raises(InputError, match="does not exist"):
        load_policies(Path("no-such-policy.toml"))
