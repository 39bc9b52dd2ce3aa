"""The console's addresses: the one place that says where, in the web console, each request is done.

Every link a message carries is built here from `console_base_url` (a setting). The web routes match it:

| what | path |
|---|---|
| a case | `/cases/{reference}` (e.g. `/cases/DES-2026-0004`) |
| a review task | `/tasks/{task_id}` |
| a certificate's renewal | `/certificates/{registration_number}/renewal` |
| an appeal | `/appeals/{reference}` |
| a piece of feedback | `/feedback/{reference}` |
| an authorization application | `/authorizations/{reference}` |
| a society's workgroup inbox | `/societies/{code}/inbox` |
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

DEFAULT_CONSOLE_URL = "http://127.0.0.1:8000"

CASE_PATH = "/cases/{reference}"
TASK_PATH = "/tasks/{task_id}"
RENEWAL_PATH = "/certificates/{registration_number}/renewal"
APPEAL_PATH = "/appeals/{reference}"
FEEDBACK_PATH = "/feedback/{reference}"
AUTHORIZATION_PATH = "/authorizations/{reference}"
INBOX_PATH = "/societies/{code}/inbox"

GOVERNANCE_PATHS = {"appeal": APPEAL_PATH, "feedback": FEEDBACK_PATH, "authorization": AUTHORIZATION_PATH}
"""The page of a governance case, by `case_kind`."""


def _part(value: object) -> str:
    return quote(str(value), safe="")


@dataclass(frozen=True)
class ConsoleLinks:
    """Absolute console URLs under `base_url`."""

    base_url: str = DEFAULT_CONSOLE_URL

    def _url(self, path: str, **values: object) -> str:
        return self.base_url.rstrip("/") + path.format(**{name: _part(value) for name, value in values.items()})

    def case(self, reference: str) -> str:
        return self._url(CASE_PATH, reference=reference)

    def task(self, task_id: int | str) -> str:
        return self._url(TASK_PATH, task_id=task_id)

    def renewal(self, registration_number: str) -> str:
        return self._url(RENEWAL_PATH, registration_number=registration_number)

    def appeal(self, reference: str) -> str:
        return self._url(APPEAL_PATH, reference=reference)

    def feedback(self, reference: str) -> str:
        return self._url(FEEDBACK_PATH, reference=reference)

    def governance(self, case_kind: str, reference: str) -> str:
        return self._url(GOVERNANCE_PATHS.get(case_kind, APPEAL_PATH), reference=reference)

    def inbox(self, society_code: str) -> str:
        return self._url(INBOX_PATH, code=society_code)
