"""How the CLI shows an error: the catalog's message and hint in the chosen language, with its own flags."""

from __future__ import annotations

from capeval.states.errors import CapevalError

CLI_HINTS: dict[str, str] = {
    "unpublished_year": "import the State Council schedule for {year} with 'capeval calendar import FILE'",
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
