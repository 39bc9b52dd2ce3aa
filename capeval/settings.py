"""The one configuration object of a capeval process: options first, then `CAPEVAL_*` variables, then defaults.

| setting | variable | default |
|---|---|---|
| database | `CAPEVAL_DATABASE_URL` | `sqlite:///capeval.db` |
| clock | `CAPEVAL_NOW` (a database marked as a simulation only) | the real clock |
| key of ID-number digests | `CAPEVAL_ID_KEY`, or `CAPEVAL_ID_KEY_FILE` naming a file that holds it | none |
| policy file | `CAPEVAL_POLICY_FILE` | the sources' defaults |
| language | `CAPEVAL_LANG` | `en` |
| sender | `CAPEVAL_MAIL_FROM` | `capeval <noreply@capeval.localhost>` |
| SMTP | `CAPEVAL_SMTP_HOST`, `_PORT`, `_SECURITY`, `_USER`, `_PASSWORD`, `_TIMEOUT` | none |
| mail folder | `CAPEVAL_MAIL_DIR` (.eml files when no SMTP server is named) | none |
| letterheads | `CAPEVAL_LETTERHEADS_FILE` (TOML: each sender's From, Reply-To and contact details) | the directory's |
| societies' own templates | `CAPEVAL_TEMPLATES_DIR` (`<CODE>/<language>/<template>.j2`) | none |
| console links | `CAPEVAL_CONSOLE_BASE_URL` (where emails link to) | `CAPEVAL_WEB_BASE_URL` |
| web | `CAPEVAL_WEB_HOST`, `CAPEVAL_WEB_PORT`, `CAPEVAL_WEB_BASE_URL` | 127.0.0.1, 8000 |
| console sessions | `CAPEVAL_WEB_SESSION_MINUTES`, `CAPEVAL_WEB_API_TOKEN_MINUTES` | 480, 60 |
| login throttling | `CAPEVAL_WEB_LOGIN_ATTEMPTS` failures in `CAPEVAL_WEB_LOGIN_WINDOW_MINUTES` | 5 in 15 |
| board counts under a due-date filter | `CAPEVAL_BOARD_COUNT_CAP` (more are shown as "more than") | 1000 |
| tracebacks | `CAPEVAL_DEBUG` | off |
| document folder | `CAPEVAL_DOCUMENT_DIR` | `capeval-documents/` beside the SQLite file (else in the working folder) |
| documents accepted | `CAPEVAL_DOCUMENT_TYPES` (pdf, jpeg, png), `CAPEVAL_DOCUMENT_MAX_BYTES` | all three; 20 MiB |
| database waits (s) | `CAPEVAL_CONNECT_TIMEOUT`, `_LOCK_TIMEOUT`, `_STATEMENT_TIMEOUT` (0: none) | 10, 10, 300 |
| ping of a pooled connection idle longer than (s) | `CAPEVAL_IDLE_PING_AFTER` (0: at every checkout) | 5 |
"""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from capeval.light_settings import DEFAULT_DATABASE_FILE, ENV_PREFIX, Language, parse_day, parse_moment
from capeval.notifications.letterheads import parse_letterheads
from capeval.notifications.message import DEFAULT_FROM, MailIdentity
from capeval.states.clock import Clock, FixedClock, SystemClock
from capeval.states.errors import InputError
from capeval.states.identity import checked_key
from capeval.states.uploads import DEFAULT_MAX_BYTES, DocumentPolicy, parse_type_names

__all__ = ["DEFAULT_DATABASE_FILE", "ENV_PREFIX", "Settings", "parse_day", "parse_moment"]

if TYPE_CHECKING:
    from capeval.notifications.smtp import SmtpSettings
    from capeval.notifications.transport import MailRoute

MAX_WAIT_SECONDS = 3600
"""The longest any timeout may be set to: an hour; beyond it a value is a mistake, not a wait."""


def _shown(value: Any) -> str:
    """A refused setting's value as a message may show it: one short line."""
    if isinstance(value, int) and value.bit_length() > 128:
        return f"a number of {value.bit_length()} bits"
    text = "".join(char if char.isprintable() else f"\\x{ord(char):02x}" for char in str(value))
    return text if len(text) <= 60 else text[:57] + "..."


class Settings(BaseSettings):
    """What one capeval process runs with; build it with `Settings.load(...)` to turn bad values into one line."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_ignore_empty=True, extra="ignore", frozen=True)

    database_url: str = f"sqlite:///{DEFAULT_DATABASE_FILE}"
    now: datetime | None = None
    policy_file: Path | None = None
    id_key: SecretStr = SecretStr("")
    id_key_file: Path | None = None
    lang: Language = "en"
    debug: bool = False
    connect_timeout: float = 10.0
    lock_timeout: float = 10.0
    statement_timeout: float = 300.0
    idle_ping_after: float = 5.0

    mail_from: str = DEFAULT_FROM
    mail_dir: Path | None = None
    letterheads_file: Path | None = None
    templates_dir: Path | None = None
    console_base_url: str = ""
    smtp_host: str = ""
    smtp_port: int | None = None
    smtp_security: Literal["starttls", "ssl", "plain"] = "starttls"
    smtp_user: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_timeout: float = 30.0

    web_host: str = "127.0.0.1"
    web_port: int = 8000
    web_base_url: str = "http://127.0.0.1:8000"
    web_session_minutes: int = Field(default=480, ge=1)
    web_api_token_minutes: int = Field(default=60, ge=1)
    web_login_attempts: int = Field(default=5, ge=1)
    web_login_window_minutes: int = Field(default=15, ge=1)
    board_count_cap: int = Field(default=1000, ge=1)

    document_dir: Path | None = None
    document_types: str = "pdf,jpeg,png"
    document_max_bytes: int = DEFAULT_MAX_BYTES

    @field_validator("now", mode="before")
    @classmethod
    def _moment(cls, value: Any) -> Any:
        return parse_moment(value) if isinstance(value, str) else value

    @field_validator("smtp_security", mode="before")
    @classmethod
    def _security(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("smtp_port", "web_port")
    @classmethod
    def _port(cls, value: int | None) -> int | None:
        if value is not None and not 0 < value < 65536:
            raise ValueError("must be between 1 and 65535")
        return value

    @field_validator("smtp_timeout")
    @classmethod
    def _timeout(cls, value: float) -> float:
        from capeval.notifications.smtp import MAX_TIMEOUT_SECONDS

        if not math.isfinite(value) or not 0 < value <= MAX_TIMEOUT_SECONDS:
            raise ValueError(f"must be a number of seconds above 0 and at most {MAX_TIMEOUT_SECONDS:g}")
        return value

    @field_validator("smtp_host", "smtp_user", "mail_from")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if any(mark in value for mark in "\r\n\x00"):
            raise ValueError("must be one line, without line breaks")
        return value

    @field_validator("smtp_host")
    @classmethod
    def _host(cls, value: str) -> str:
        if any(mark.isspace() for mark in value.strip()):
            raise ValueError("must be a host name or address, without spaces")
        return value

    @field_validator("document_types")
    @classmethod
    def _document_types(cls, value: str) -> str:
        parse_type_names(value)
        return value

    @field_validator("document_max_bytes")
    @classmethod
    def _document_max_bytes(cls, value: int) -> int:
        if value < 1:
            raise ValueError("must be at least 1 byte")
        return value

    @field_validator("connect_timeout", "lock_timeout")
    @classmethod
    def _wait(cls, value: float) -> float:
        if not 0 < value <= MAX_WAIT_SECONDS:
            raise ValueError(f"must be more than 0 and at most {MAX_WAIT_SECONDS} seconds")
        return value

    @field_validator("statement_timeout")
    @classmethod
    def _statement_wait(cls, value: float) -> float:
        if not 0 <= value <= MAX_WAIT_SECONDS:
            raise ValueError(f"must be 0 (no limit) or at most {MAX_WAIT_SECONDS} seconds")
        return value

    @field_validator("idle_ping_after")
    @classmethod
    def _idle_ping(cls, value: float) -> float:
        if not 0 <= value <= MAX_WAIT_SECONDS:
            raise ValueError(f"must be 0 (a ping at every checkout) or at most {MAX_WAIT_SECONDS} seconds")
        return value

    @classmethod
    def load(cls, **options: Any) -> Settings:
        """Settings from the options given (None means not given), then the environment, then the defaults."""
        try:
            return cls(**{name: value for name, value in options.items() if value is not None})
        except ValidationError as error:
            first = error.errors()[0]
            name = str(first["loc"][0]) if first["loc"] else "settings"
            raise InputError(
                "setting_invalid",
                variable=ENV_PREFIX + name.upper(),
                problem=str(first["msg"]).removeprefix("Value error, "),
                value=_shown(first["input"]),
            ) from None

    def clock(self) -> Clock:
        """A clock stopped at `now` when one is set, else the real one."""
        return FixedClock(self.now) if self.now else SystemClock()

    def identity_key(self) -> bytes | None:
        """The key of ID-number digests: `CAPEVAL_ID_KEY`, or the file `CAPEVAL_ID_KEY_FILE` names; None if unset."""
        key = self.id_key.get_secret_value()
        if key and self.id_key_file is not None:
            raise InputError("id_key_ambiguous")
        if key:
            return checked_key(key, "CAPEVAL_ID_KEY")
        if self.id_key_file is None:
            return None
        try:
            text = self.id_key_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else type(error).__name__
            raise InputError("id_key_file_missing", path=str(self.id_key_file), reason=reason) from None
        return checked_key(text, str(self.id_key_file))

    def document_policy(self) -> DocumentPolicy:
        """Which files are accepted: `document_types` by content, at most `document_max_bytes` each."""
        return DocumentPolicy(self.document_max_bytes, parse_type_names(self.document_types))

    def mail_identity(self) -> MailIdentity:
        """Who the emails come from (also the Message-ID domain), their letterheads, links and own templates."""
        letterheads: dict[str, dict[str, str]] = {}
        if self.letterheads_file is not None:
            origin = str(self.letterheads_file)
            try:
                text = self.letterheads_file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                reason = error.strerror if isinstance(error, OSError) and error.strerror else type(error).__name__
                raise InputError("letterhead_file_missing", origin=origin, reason=reason) from None
            letterheads = parse_letterheads(text, origin)
        if self.templates_dir is not None and not self.templates_dir.is_dir():
            raise InputError("templates_dir_missing", path=str(self.templates_dir))
        return MailIdentity.parse(
            self.mail_from,
            console_base_url=(self.console_base_url or self.web_base_url).rstrip("/"),
            letterheads=letterheads,
            templates_dir=self.templates_dir,
        )

    def smtp(self) -> SmtpSettings | None:
        """The SMTP server to send through, or None when none is named."""
        from capeval.notifications.smtp import DEFAULT_PORTS, SmtpSettings

        host = self.smtp_host.strip()
        if not host:
            return None
        port = self.smtp_port or DEFAULT_PORTS[self.smtp_security]
        password = self.smtp_password.get_secret_value()
        return SmtpSettings(host, port, self.smtp_security, self.smtp_user, password, self.smtp_timeout)

    def mail_route(self) -> MailRoute:
        """Where mail leaves by default: the SMTP server, else the mail folder."""
        from capeval.notifications.transport import MailRoute

        return MailRoute(smtp=self.smtp(), mail_dir=self.mail_dir)
