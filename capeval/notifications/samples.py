"""Sample contexts of the message templates, stored next to them in `templates/samples.toml`."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from capeval.states.errors import InputError


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
    return {**samples.get("defaults", {}).get(family, {}), **samples[template]}
