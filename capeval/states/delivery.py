"""How messages are delivered: attempts, back-off and claim lease, plus the stable Message-ID of a message.

None of these numbers comes from the evaluation sources; they are operational defaults a deployment may
override in the `[delivery]` table of the policy file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from .rulebook import RuleBook, rule

OPERATIONAL = "operational (project default; the sources are silent)"


@dataclass(frozen=True)
class DeliveryPolicy(RuleBook):
    """Retry, dead-letter and claim settings of the outbox dispatcher."""

    TABLE = "delivery"
    NOUN = "delivery setting"
    LEAST_NUMBER = 1

    max_attempts: int = rule(6, OPERATIONAL, "send attempts before a message is dead-lettered for an operator")
    backoff_base_seconds: int = rule(60, OPERATIONAL, "wait after the first failed attempt; doubled after each")
    backoff_max_seconds: int = rule(6 * 3600, OPERATIONAL, "longest wait between two attempts")
    lease_seconds: int = rule(
        300, OPERATIONAL, "how long a claimed message is reserved for one dispatcher before another may take it"
    )
    batch_size: int = rule(200, OPERATIONAL, "messages claimed, rendered and sent per batch (one connection)")

    def retry_delay(self, attempts: int) -> timedelta:
        """The wait after `attempts` failed attempts: base, 2x base, 4x base … capped at the maximum."""
        exponent = max(attempts - 1, 0)
        seconds = self.backoff_base_seconds * (2 ** min(exponent, 30))
        return timedelta(seconds=min(seconds, self.backoff_max_seconds))


def message_id(dedupe_key: str, domain: str) -> str:
    """The RFC 5322 Message-ID of a message: derived from its dedupe key, so every resend carries the same one."""
    import hashlib  # on first use: most commands never name a message

    digest = hashlib.sha256(dedupe_key.encode("utf-8")).hexdigest()[:32]
    return f"<{digest}@{domain}>"
