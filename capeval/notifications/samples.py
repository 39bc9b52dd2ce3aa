"""Sample contexts of the message templates, stored next to them in `templates/samples.toml`.

Where a message states what a rule computed, its sample is computed the same way: the CPD shortfall
sample is the evaluation of a sample record under its policy (`states/cpd.py`), the renewal reminder's
`days_before` is the first reminder point of the renewal policy.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from capeval.states.cpd import cpd_policy, parse_record
from capeval.states.errors import InputError
from capeval.states.renewal_policy import RenewalPolicy

from .cpd_notice import cpd_shortfall_context

SAMPLE_SOCIETY = "DES"
"""The society every sample is about (the samples' certificate numbers and references are its)."""


@cache
def _samples() -> dict[str, Any]:
    text = resources.files("capeval.notifications").joinpath("templates/samples.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def sample_names() -> list[str]:
    """The templates that have a sample context."""
    return sorted(name for name in _samples() if name != "defaults")


def sample_context(template: str) -> dict[str, Any]:
    """The sample context of `template`: its family's defaults overridden by its own table."""
    samples = _samples()
    if template not in samples:
        raise InputError("template_sample_missing", template=template)
    family = template.split(".", 1)[0]
    context = {**samples.get("defaults", {}).get(family, {}), **samples[template]}
    if template == "certificate.cpd_shortfall":
        record = context.pop("record")
        policy = cpd_policy(context.pop("policy_name"))
        context.update(cpd_shortfall_context(policy.evaluate(parse_record(record, origin="samples.toml"))))
    if template == "certificate.renewal_reminder":
        context.setdefault("days_before", RenewalPolicy().reminder_points()[0])
    return context
