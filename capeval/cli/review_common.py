"""What the review and interview commands share: the review policy from the policy file, a runtime using it."""

from __future__ import annotations

from capeval.services.runtime import Runtime
from capeval.states.errors import InputError
from capeval.states.review_policy import ReviewPolicy

from .main import AppContext


def review_policy(app: AppContext) -> ReviewPolicy:
    """The [review] table of the policy file, or the defaults."""
    path = app.settings.policy_file
    if path is None:
        return ReviewPolicy()
    if not path.is_file():
        raise InputError(f"policy file {path} does not exist")
    return ReviewPolicy.from_toml(path.read_text(encoding="utf-8"), origin=str(path))


def review_runtime(app: AppContext) -> Runtime:
    """The app's runtime, carrying the review policy."""
    runtime = app.runtime
    runtime.review_policy = review_policy(app)
    return runtime
