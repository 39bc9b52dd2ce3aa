"""The light settings read what the full ones would, and leave every other case to them."""

from __future__ import annotations

import os

import pytest

from capeval.light_settings import LIGHT_FIELDS, LightSettings
from capeval.settings import Settings
from capeval.states.errors import InputError

AGREED = [
    {},
    {"CAPEVAL_LANG": "zh-CN", "CAPEVAL_DEBUG": "Yes"},
    {"CAPEVAL_DEBUG": "off", "CAPEVAL_NOW": "2026-03-02", "CAPEVAL_POLICY_FILE": "policy.toml"},
    {"CAPEVAL_DATABASE_URL": "postgresql+psycopg://u@h/db", "CAPEVAL_ID_KEY": "k" * 32, "CAPEVAL_LANG": ""},
    {"CAPEVAL_NOW": "2026-03-02T10:30:00+00:00", "CAPEVAL_ID_KEY_FILE": "key.txt", "CAPEVAL_DEBUG": "T"},
]


def _full(monkeypatch: pytest.MonkeyPatch, environ: dict[str, str], **options: str | None) -> Settings:
    for name in [name for name in os.environ if name.upper().startswith("CAPEVAL_")]:
        monkeypatch.delenv(name)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return Settings.load(**options)


@pytest.mark.parametrize("environ", AGREED)
def test_what_the_light_reader_accepts_is_what_the_full_settings_hold(
    monkeypatch: pytest.MonkeyPatch, environ: dict[str, str]
) -> None:
    light = LightSettings.read(environ)
    full = _full(monkeypatch, environ)
    assert light == LightSettings(full.database_url, full.now, full.policy_file, full.lang, full.debug)


def test_options_win_over_the_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    environ = {"CAPEVAL_LANG": "zh-CN", "CAPEVAL_DATABASE_URL": "sqlite:///env.db"}
    options = {"database_url": "sqlite:///option.db", "lang": "en", "now": "2026-01-05", "policy_file": None}
    light = LightSettings.read(environ, **options)
    full = _full(monkeypatch, environ, **options)
    assert light == LightSettings(full.database_url, full.now, full.policy_file, full.lang, full.debug)
    assert light is not None and light.database_url == "sqlite:///option.db" and light.lang == "en"


@pytest.mark.parametrize(
    "environ",
    [
        {"CAPEVAL_SMTP_PORT": "25"},
        {"CAPEVAL_LANG": "fr"},
        {"CAPEVAL_DEBUG": " true"},
        {"CAPEVAL_NOW": "yesterday"},
        {"capeval_lang": "en"},
        {"CAPEVAL_POLICY_FILE": "a\x00b"},
    ],
)
def test_anything_else_is_left_to_the_full_settings(environ: dict[str, str]) -> None:
    assert LightSettings.read(environ) is None


def test_a_bad_value_is_refused_by_the_full_settings_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    assert LightSettings.read({}, now="2026-13-40") is None
    with pytest.raises(InputError):
        Settings.load(now="2026-13-40")


def test_every_light_field_is_a_setting() -> None:
    assert set(Settings.model_fields) >= LIGHT_FIELDS
