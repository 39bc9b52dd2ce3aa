"""What a message template may use: its own context (what the event put in the outbox row) and the envelope
every message gets when it is written: its sender's letterhead, the policy numbers, its link, references."""

from __future__ import annotations

import dataclasses
from typing import Any

from capeval.states.policies import Policies

from .letterheads import Letterhead

SENDER_KEYS = tuple(Letterhead("", "", "", "").context("zh-CN"))
ENVELOPE_VARIABLES = {
    "sender": "who writes: sender.name, sender.email, sender.phone, sender.postal_address, sender.website …",
    "rules": "the numbers of the policy in force: rules.resubmission_working_days, rules.pass_total …",
    "link": "the console page where the recipient acts on the message (may be empty)",
    "case_reference": "the case's reference, e.g. DES-2026-0004 (empty when the message is about no case)",
    "quote": "the reference the recipient quotes: an appeal's or feedback's own, else the case's or certificate's",
    "case_references": "case id -> reference of every case a list in the message names",
    "language": "zh-CN or en",
}


def message_rules(policies: Policies) -> dict[str, Any]:
    """Every number and word of the policy in force that a message may state, by its rule name."""
    rules: dict[str, Any] = {}
    for book in (policies.pipeline, policies.review, policies.governance, policies.renewal):
        for item in dataclasses.fields(book):
            value = getattr(book, item.name)
            if isinstance(value, int | str | tuple) and not isinstance(value, bool):
                rules.setdefault(item.name, value)
    return rules


DEFAULT_RULES = message_rules(Policies())
RULE_NAMES = tuple(sorted(DEFAULT_RULES))
