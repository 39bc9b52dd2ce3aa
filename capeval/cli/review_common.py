"""What the review and interview commands share: the review policy in force and a runtime carrying it."""

from __future__ import annotations

from capeval.services.runtime import Runtime
from capeval.states.review_policy import ReviewPolicy

from .main import AppContext


def review_policy(app: AppContext) -> ReviewPolicy:
    """The [review] table of the policy file over the defaults (no database needed)."""
    return app.policies.review


def review_runtime(app: AppContext) -> Runtime:
    """The app's runtime; it carries the review policy like every other."""
    return app.runtime
