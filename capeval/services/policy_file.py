"""The rules in force: the policy file's tables over the sources' defaults, read without opening a database."""

from __future__ import annotations

from pathlib import Path

from capeval.states.errors import InputError
from capeval.states.policies import Policies

from .input_files import read_text, safe_toml


def load_policies(policy_file: Path | None) -> Policies:
    """The policy file's tables over the defaults (the defaults when no file is named)."""
    if policy_file is None:
        return Policies()
    if not policy_file.is_file():
        raise InputError("policy_file_missing", origin=str(policy_file))
    text = read_text(policy_file)
    safe_toml(text, policy_file)
    return Policies.from_toml(text, origin=str(policy_file))
