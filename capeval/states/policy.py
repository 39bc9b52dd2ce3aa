"""The rules taken from the sources: one named home, each with the article it comes from.

Where the sources fix a number, the default is that number; where they disagree or are silent, the
rule is still configurable and its source says so. A society's policy file overrides any of them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import InputError
from .rulebook import RuleBook, rule


@dataclass(frozen=True)
class PipelinePolicy(RuleBook):
    """Every configurable rule of the application pipeline, with its source."""

    TABLE = "pipeline"

    self_statement_min_chars: int = rule(2000, "Q&A Q9", "fewest characters in the self-statement")
    self_statement_max_chars: int = rule(4000, "Q&A Q9", "most characters in the self-statement")
    required_evidence: tuple[str, ...] = rule(
        ("id_card_front", "id_card_back", "education"),
        "Q&A Q11",
        "evidence every application must carry: ID copy (both sides) and proof of education",
    )
    international_required_evidence: tuple[str, ...] = rule(
        ("title_proof",), "Q&A Q29", "extra evidence of the international-title route: proof of the title"
    )
    require_international_title_issuer: bool = rule(
        False,
        "Q&A Q29 (proof of the title; the issuer is not named as a requirement)",
        "refuse an international-title application that does not name the body that issued the title",
    )
    resubmission_working_days: int = rule(
        10, "Q&A Q19", "working days after a return notice within which the applicant must resubmit"
    )
    supplement_working_days: int = rule(
        10, "sources silent (project default)", "working days the applicant has to send requested supplements"
    )
    certificate_validity_years: int = rule(5, "Q&A Q27", "years a certificate stays valid")
    lapse_warning_working_days: int = rule(
        2,
        "sources silent (project default)",
        "working days before a resubmission or supplement deadline that the applicant is warned it will lapse; "
        "also how far ahead the workgroup's daily digest lists deadlines",
    )
    accept_concurrent_membership: bool = rule(
        False,
        "Q&A Q6 (special cases only)",
        "let a pending society membership count as membership when the application is submitted",
    )

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any], *, origin: str = "policy") -> PipelinePolicy:
        """Build a policy from overrides, refusing unknown names and wrong types with a clear message."""
        known = {f.name: f for f in dataclasses.fields(cls)}
        changes: dict[str, Any] = {}
        for name, value in values.items():
            if name not in known:
                raise InputError(f"{origin}: unknown rule '{name}'; known rules: {', '.join(sorted(known))}")
            default = known[name].default
            if isinstance(default, tuple):
                if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
                    raise InputError(f"{origin}: rule '{name}' must be a list of strings")
                value = tuple(value)
            elif isinstance(default, bool):
                if not isinstance(value, bool):
                    raise InputError(f"{origin}: rule '{name}' must be true or false")
            elif isinstance(default, int) and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise InputError(f"{origin}: rule '{name}' must be a whole number >= 0")
            changes[name] = value
        policy = dataclasses.replace(cls(), **changes)
        if policy.self_statement_min_chars > policy.self_statement_max_chars:
            raise InputError(f"{origin}: self_statement_min_chars is larger than self_statement_max_chars")
        return policy
