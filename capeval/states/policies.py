"""Every policy of one society in one object, read from one TOML policy file.

Each table of the file overrides one policy: `[pipeline]`, `[review]`, `[governance]`, `[delivery]` and
`[renewal]`. A table the file does not have keeps the defaults; a table capeval does not know is refused.
(Which CPD policy a society follows is a choice stored per society, not a rule of this file.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .delivery import DeliveryPolicy
from .errors import InputError
from .governance_policy import GovernancePolicy
from .policy import PipelinePolicy
from .renewal_policy import RenewalPolicy
from .review_policy import ReviewPolicy
from .rulebook import RuleBook, parse_toml, read_table, table_of

BOOKS: tuple[type[RuleBook], ...] = (PipelinePolicy, ReviewPolicy, GovernancePolicy, DeliveryPolicy, RenewalPolicy)
"""Every policy with a table in the policy file, in the order the file documents them."""


@dataclass(frozen=True)
class Policies:
    """The rules in force: the sources' defaults, overridden by the society's policy file."""

    pipeline: PipelinePolicy = field(default_factory=PipelinePolicy)
    review: ReviewPolicy = field(default_factory=ReviewPolicy)
    governance: GovernancePolicy = field(default_factory=GovernancePolicy)
    delivery: DeliveryPolicy = field(default_factory=DeliveryPolicy)
    renewal: RenewalPolicy = field(default_factory=RenewalPolicy)

    @classmethod
    def from_toml(cls, text: str, *, origin: str) -> Policies:
        """Every table of a policy file, each through the one validator; unknown tables are refused."""
        document = parse_toml(text, origin=origin)
        known = [book.TABLE for book in BOOKS]
        for table in document:
            if table not in known:
                raise InputError("policy_unknown_table", origin=origin, table=table, known=known)
        read: dict[str, Any] = {
            book.TABLE: read_table(book, table_of(document, book.TABLE, origin=origin), origin=origin) for book in BOOKS
        }
        return cls(**read)
