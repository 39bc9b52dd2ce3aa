"""Whose voice a message speaks in: the society's, or the federation secretariat's for the federation's steps.

A letterhead is the directory entry of the society (its names and email) completed by the settings'
letterhead file (`CAPEVAL_LETTERHEADS_FILE`, TOML): one `[federation]` table and one `[societies.<CODE>]`
table each, with any of the keys below. Every message names its sender in the From line, answers go to a
real contact (Reply-To), and the footer gives the sender's contact details.

```toml
[federation]
reply_to = "cse@cast-cse.org.cn"
phone = "010-6857 0000"

[societies.DES]
from = "pingjia@des.example.cn"
reply_to = "gongzuozu@des.example.cn"
phone = "010-6800 0000"
postal_address = "北京市海淀区示范路1号"
```
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from capeval.states.errors import InputError

FEDERATION = "federation"
FEDERATION_NAME_ZH = "中国科协工程能力建设联盟秘书处"
FEDERATION_NAME_EN = "Secretariat of the Engineering Capability Building Alliance of CAST (ECBA)"
KEYS = ("name_zh", "name_en", "from", "reply_to", "phone", "postal_address", "website")
FEDERATION_TEMPLATES = (
    "appeal.",
    "feedback.",
    "authorization.",
    "governance.",
    "application.confirm_title",
    "application.decline_title",
)
"""Messages of the federation's own steps (Charter art. 6-11; Q&A Q29, Q40): they come from its secretariat."""


@dataclass(frozen=True)
class Letterhead:
    """One sender: names in both languages, From and Reply-To addresses, contact details for the footer."""

    code: str
    name_zh: str
    name_en: str
    from_address: str
    reply_to: str = ""
    phone: str = ""
    postal_address: str = ""
    website: str = ""

    def name(self, language: str) -> str:
        return self.name_en if language == "en" and self.name_en else self.name_zh

    def context(self, language: str) -> dict[str, str]:
        """What templates see as `sender`."""
        return {
            "code": self.code,
            "name": self.name(language),
            "name_zh": self.name_zh,
            "name_en": self.name_en or self.name_zh,
            "email": self.reply_to,
            "phone": self.phone,
            "postal_address": self.postal_address,
            "website": self.website,
            "federation": "yes" if self.code == FEDERATION else "",
        }


def parse_letterheads(text: str, origin: str) -> dict[str, dict[str, str]]:
    """The letterhead file: sender code -> its keys; an unknown table or key is refused with its name."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError("letterhead_file_invalid", origin=origin, error=str(error)) from None
    found: dict[str, dict[str, str]] = {}
    for table, content in document.items():
        if table == FEDERATION and isinstance(content, dict):
            found[FEDERATION] = _keys(content, origin, FEDERATION)
        elif table == "societies" and isinstance(content, dict):
            for code, entry in content.items():
                if not isinstance(entry, dict):
                    raise InputError("letterhead_table_unknown", origin=origin, table=f"societies.{code}")
                found[code.upper()] = _keys(entry, origin, f"societies.{code}")
        else:
            raise InputError("letterhead_table_unknown", origin=origin, table=table)
    return found


def _keys(entry: Mapping[str, Any], origin: str, table: str) -> dict[str, str]:
    out = {}
    for key, value in entry.items():
        if key not in KEYS or not isinstance(value, str):
            raise InputError("letterhead_key_unknown", origin=origin, table=table, key=key, known=list(KEYS))
        if key in ("from", "reply_to") and value.strip() and "@" not in value:
            raise InputError("letterhead_address_invalid", origin=origin, table=table, key=key, value=value)
        out[key] = value.strip()
    return out


def sender_of(template: str, society_code: str | None) -> str:
    """Who sends `template`: the federation for its own steps, else the society the message is about."""
    if template.startswith(FEDERATION_TEMPLATES) or not society_code:
        return FEDERATION
    return society_code.upper()


def letterhead(
    code: str,
    settings: Mapping[str, Mapping[str, str]],
    directory: Mapping[str, tuple[str, str, str]],
    fallback_address: str,
    federation_contact: str = "",
) -> Letterhead:
    """The letterhead of `code`: the settings' values over the directory entry (name_zh, name_en, email)."""
    given = settings.get(code, {})
    if code == FEDERATION:
        name_zh, name_en, email = FEDERATION_NAME_ZH, FEDERATION_NAME_EN, federation_contact
    else:
        name_zh, name_en, email = directory.get(code, (code, code, ""))
    return Letterhead(
        code=code,
        name_zh=given.get("name_zh") or name_zh,
        name_en=given.get("name_en") or name_en,
        from_address=given.get("from") or email or fallback_address,
        reply_to=given.get("reply_to") or email,
        phone=given.get("phone", ""),
        postal_address=given.get("postal_address", ""),
        website=given.get("website", ""),
    )
