"""The stage every scene plays on: the runtime, the simulated clock, the cast and the cases opened so far."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from capeval.demo.cast import Cases, load_cast
from capeval.demo.people import DemoPerson
from capeval.services.runtime import Runtime
from capeval.states.calendar import SHANGHAI
from capeval.states.clock import FixedClock

SOCIETY_CODE = "DES"
"""The demo's society."""


class Stage:
    """The state the scenes share; people and cases are named by their cast keys."""

    def __init__(self, runtime: Runtime, clock: FixedClock, database_url: str, echo: Callable[[str], None]) -> None:
        self.runtime, self.clock, self.database_url, self.echo = runtime, clock, database_url, echo
        self.cast = load_cast()
        self.cases = Cases()
        self.workgroup = list(self.cast.workgroup.values())
        self.examiners = list(self.cast.examiners.values())
        self.staff = self.cast.workgroup[self.cast.staff].name

    def on(self, when: str) -> None:
        """Set the clock to a day (at 09:30) or a moment, Shanghai time."""
        moment = datetime.fromisoformat(when if "T" in when else f"{when}T09:30").replace(tzinfo=SHANGHAI)
        self.clock.set(moment)

    def say(self, text: str) -> None:
        """One line of the story, dated by the clock."""
        self.echo(f"{self.runtime.today().isoformat()}  {text}")

    def case(self, key: str) -> int:
        """The database id of case `key`."""
        return self.cases.id(key)

    def person(self, key: str) -> DemoPerson:
        """The applicant of case `key`, or the applicant with that key."""
        applicant = self.cases.applicant(key) if key in self.cases else key
        return self.cast.applicants[applicant].person

    def name(self, key: str) -> str:
        """The name of the applicant of case `key` (or the applicant with that key)."""
        return self.person(key).name

    def label(self, key: str) -> str:
        """'case <id> <name>'."""
        return f"case {self.case(key)} {self.name(key)}"
