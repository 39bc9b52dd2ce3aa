"""How messages are delivered: attempts, back-off and claim lease, plus the stable Message-ID of a message.

None of these numbers comes from the evaluation sources; they are operational defaults a deployment may
override in the `[delivery]` table of the policy file.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from .errors import InputError
from .rulebook import RuleBook, rule

OPERATIONAL = "operational (project default; the sources are silent)"


@dataclass(frozen=True)
class DeliveryPolicy(RuleBook):
    """Retry, dead-letter and claim settings of the outbox dispatcher."""

    TABLE = "delivery"

    max_attempts: int = rule(6, OPERATIONAL, "send attempts before a message is dead-lettered for an operator")
    backoff_base_seconds: int = rule(60, OPERATIONAL, "wait after the first failed attempt; doubled after each")
    backoff_max_seconds: int = rule(6 * 3600, OPERATIONAL, "longest wait between two attempts")
    lease_seconds: int = rule(
        300, OPERATIONAL, "how long a claimed message is reserved for one dispatcher before another may take it"
    )
    batch_size: int = rule(200, OPERATIONAL, "messages claimed, rendered and sent per batch (one connection)")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any], *, origin: str = "policy") -> DeliveryPolicy:
        """Build from overrides; every setting is a whole number >= 1."""
        known = {f.name for f in dataclasses.fields(cls)}
        for name, value in values.items():
            if name not in known:
                raise InputError(f"{origin}: unknown delivery setting '{name}'; known: {', '.join(sorted(known))}")
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InputError(f"{origin}: delivery setting '{name}' must be a whole number >= 1")
        return dataclasses.replace(cls(), **dict(values))

    def retry_delay(self, attempts: int) -> timedelta:
        """The wait after `attempts` failed attempts: base, 2x base, 4x base … capped at the maximum."""
        exponent = max(attempts - 1, 0)
        seconds = self.backoff_base_seconds * (2 ** min(exponent, 30))
        return timedelta(seconds=min(seconds, self.backoff_max_seconds))


def message_id(dedupe_key: str, domain: str) -> str:
    """The RFC 5322 Message-ID of a message: derived from its dedupe key, so every resend carries the same one."""
    digest = hashlib.sha256(dedupe_key.encode("utf-8")).hexdigest()[:32]
    return f"<{digest}@{domain}>"
