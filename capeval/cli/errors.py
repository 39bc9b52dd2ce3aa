"""How the CLI shows an error: the catalog's message and hint in the chosen language, with its own flags."""

from __future__ import annotations

from capeval.states.errors import CapevalError

CLI_HINTS: dict[str, str] = {
    "unpublished_year": "import the State Council schedule for {year} with 'capeval calendar import FILE'",
    "database_missing": "run 'capeval db init' to create it, or name another database with --db",
    "database_outdated": "run 'capeval db upgrade'",
    "database_exists": "run 'capeval db upgrade' to bring it to the current schema",
    "smtp_host_missing": "name the SMTP server, or write .eml files with --mail-dir",
    "policy_file_missing": "name an existing TOML file with --policy",
}
"""Hints that name a command or flag, by error code; they replace the catalog's hint in English."""


def error_line(error: CapevalError, language: str) -> str:
    """One line: `error: <message>; <hint>`."""
    message = error.message(language)
    cli_hint = CLI_HINTS.get(error.code)
    if cli_hint is not None and language == "en":
        hint: str | None = cli_hint.format_map(dict(error.params))
    else:
        hint = error.hint(language)
    return f"error: {message}; {hint}" if hint else f"error: {message}"
