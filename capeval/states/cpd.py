"""CPD hours: activities, the three named policies and a computation that explains itself line by line.

Policies (chosen per society):
- `cpd-2024` (default): CPD management measures, 2024 revision (CPD-2024) with the Q&A handbook.
- `cpd-en`: the English CPD page (CPD-EN): 40 credit hours a year, 30 of them online.
- `ce-2026`: national rules on continuing education of engineering staff (CE-2026), in force 2026-01-01.

Every rule is a `rule(default, source, meaning)` field, so `describe()` lists it with its article.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from .bounds import (
    ACTIVITY_DAYS_MAX,
    ACTIVITY_MINUTES_MAX,
    AUTHORS_MAX,
    CREDITED_HOURS_MAX,
    PRIZE_RANK_MAX,
    YEAR_MAX,
    YEAR_MIN,
    checked_day,
)
from .errors import InputError
from .rulebook import rule

KINDS = (
    "training",
    "seminar",
    "standard",
    "research",
    "paper",
    "book",
    "patent",
    "teaching",
    "consulting",
    "exam_setting",
    "competition",
    "degree",
    "qualification_exam",
    "aid_posting",
    "other",
)
WHOLE_YEAR_KINDS = frozenset({"degree", "qualification_exam", "aid_posting"})
ROUNDINGS = ("per_kind", "per_activity")
"""How minutes become whole credit hours: over the year's minutes of one kind, or each activity on its own."""
NO_INSTITUTION = (
    "the record names no institution that gave it, nor the society, the federation or its platform "
    "(CE-2026 art. 17: time, content, form, hours and institution are registered)"
)
FIRST_COMPLETER_ROLES = frozenset({"first", "sole", "lead"})
"""Roles in which a member drafted a standard as its first completer (第一完成人, CE-2026 art. 18(7))."""
_CHOICES = {
    "subject": ("public", "professional"),
    "role": ("sole", "lead", "member", "first", "other"),
    "author_role": ("sole", "first", "other"),
    "patent_type": ("invention", "utility_model", "software_copyright"),
    "organizer": ("society", "federation", "platform", "outside"),
}


@dataclass(frozen=True)
class Activity:
    """One CPD activity as a member records it (CPD-2024 art. 6, 17; CE-2026 art. 11, 17).

    `organizer`: the society, the federation, its online platform, or an organization outside them
    (CPD-2024 art. 8, 10, 14, 15); None when not said (an activity of the society or the federation).
    """

    kind: str
    on: date
    minutes: int | None = None
    days: int | None = None
    online: bool = False
    subject: str | None = None
    role: str | None = None
    joint: bool = False
    authors: int | None = None
    author_role: str | None = None
    patent_type: str | None = None
    prize: int | None = None
    credited_hours: int | None = None
    title: str = ""
    evidence: str = ""
    make_up_for: int | None = None
    organizer: str | None = None
    until: date | None = None
    """The last day of an activity that lasts (an aid posting, CE-2026 art. 19)."""
    institution: str | None = None
    """The institution that gave the continuing education (CE-2026 art. 17)."""
    employer_certificate: str | None = None
    """A make-up's employer certificate of injury, illness or pregnancy (CE-2026 art. 20), not its course proof."""
    plan_item: str | None = None
    """The item of the society's yearly CPD plan this activity was (CPD-2024 art. 7), when it cites one."""

    def spans(self, year: int) -> bool:
        """Whether the activity lasts into `year` (from its first to its last day)."""
        return self.on.year <= year <= (self.until or self.on).year

    @property
    def names_institution(self) -> bool:
        """The record names who gave it: an institution, or the society, the federation or its platform."""
        return bool(self.institution) or self.organizer in ("society", "federation", "platform")

    @property
    def outside(self) -> bool:
        """Organized outside the society and the federation: the society recognizes its hours (art. 8)."""
        return self.organizer == "outside"

    @property
    def is_joint(self) -> bool:
        return self.joint or (self.authors or 1) > 1 or self.author_role in ("first", "other")

    def label(self) -> str:
        """A short description for the explanation lines."""
        parts = [self.kind]
        if self.title:
            parts.append(f"'{self.title}'")
        detail = []
        if self.kind in ("training", "seminar", "teaching"):
            detail.append("online" if self.online else "face-to-face")
        if self.days:
            detail.append(f"{self.days} day{'s' if self.days > 1 else ''}")
        if self.minutes is not None:
            detail.append(f"{self.minutes} min")
        if self.until:
            detail.append(f"until {self.until.isoformat()}")
        if self.institution:
            detail.append(f"by {self.institution}")
        if self.subject:
            detail.append(self.subject)
        for name in ("role", "author_role", "patent_type"):
            value = getattr(self, name)
            if value:
                detail.append(f"{name.replace('_', ' ')} {value}")
        if self.prize:
            detail.append(f"prize {self.prize}")
        if self.plan_item:
            detail.append(f"plan item {self.plan_item}")
        if detail:
            parts.append(f"({', '.join(detail)})")
        return " ".join(parts)


def _int(raw: Mapping[str, Any], name: str, where: str, low: int = 0, high: int | None = None) -> int | None:
    value = raw.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (high is not None and value > high):
        if high is None:
            raise InputError("cpd_field_not_whole_at_least", field=f"{where}.{name}", low=low, got=repr(value))
        raise InputError("cpd_field_not_whole_between", field=f"{where}.{name}", low=low, high=high, got=repr(value))
    return value


def _bool(raw: Mapping[str, Any], name: str, where: str) -> bool:
    value = raw.get(name, False)
    if not isinstance(value, bool):
        raise InputError("cpd_field_not_boolean", field=f"{where}.{name}", got=repr(value))
    return value


def _text(raw: Mapping[str, Any], name: str, where: str) -> str | None:
    value = raw.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError("cpd_field_not_text", field=f"{where}.{name}", got=repr(value))
    choices = _CHOICES.get(name)
    if choices and value not in choices:
        raise InputError("cpd_field_not_choice", field=f"{where}.{name}", choices=list(choices), got=repr(value))
    return value


def parse_activity(raw: Any, where: str) -> Activity:
    """One activity from a JSON/CSV mapping; InputError names the field (`activities[3].minutes`)."""
    if not isinstance(raw, Mapping):
        raise InputError("cpd_activity_not_object", where=where)
    kind = raw.get("kind")
    if kind not in KINDS:
        raise InputError("cpd_field_not_choice", field=f"{where}.kind", choices=list(KINDS), got=repr(kind))
    text_date = raw.get("date")
    try:
        on = date.fromisoformat(text_date) if isinstance(text_date, str) else None
    except ValueError:
        on = None
    if on is None:
        raise InputError("cpd_activity_date", field=f"{where}.date", got=repr(text_date))
    checked_day(on, f"{where}.date")
    return Activity(
        kind=kind,
        on=on,
        minutes=_int(raw, "minutes", where, high=ACTIVITY_MINUTES_MAX),
        days=_int(raw, "days", where, low=1, high=ACTIVITY_DAYS_MAX),
        online=_bool(raw, "online", where),
        subject=_text(raw, "subject", where),
        role=_text(raw, "role", where),
        joint=_bool(raw, "joint", where),
        authors=_int(raw, "authors", where, low=1, high=AUTHORS_MAX),
        author_role=_text(raw, "author_role", where),
        patent_type=_text(raw, "patent_type", where),
        prize=_int(raw, "prize", where, low=1, high=PRIZE_RANK_MAX),
        credited_hours=_int(raw, "credited_hours", where, high=CREDITED_HOURS_MAX),
        title=_text(raw, "title", where) or "",
        evidence=_text(raw, "evidence", where) or "",
        make_up_for=_int(raw, "make_up_for", where, low=YEAR_MIN, high=YEAR_MAX),
        organizer=_text(raw, "organizer", where),
        until=_until(raw, on, where),
        institution=_text(raw, "institution", where),
        employer_certificate=_text(raw, "employer_certificate", where),
        plan_item=_text(raw, "plan_item", where),
    )


def _until(raw: Mapping[str, Any], on: date, where: str) -> date | None:
    text = raw.get("until")
    if text is None or text == "":
        return None
    try:
        until = date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        until = None
    if until is None or until < on:
        raise InputError("cpd_activity_until", field=f"{where}.until", got=repr(text), on=on.isoformat())
    return until


@dataclass(frozen=True)
class LecturerPeriod:
    """Days on which the society recognized the member as a qualified lecturer (CPD-2024 art. 13(3), 14)."""

    since: date
    until: date | None = None

    def covers(self, day: date) -> bool:
        return self.since <= day and (self.until is None or day <= self.until)

    def text(self) -> str:
        return f"since {self.since.isoformat()}" + (f" until {self.until.isoformat()}" if self.until else "")


ALWAYS = LecturerPeriod(date.min)
"""A qualification on every day: what `qualified_lecturer: true` means in an evaluation file."""


@dataclass(frozen=True)
class CpdRecord:
    """A member's activities to evaluate for one year (the `capeval cpd evaluate` file, or the ledger's rows).

    `lecturer` are the periods in which the member was a qualified lecturer: in the ledger only those the
    society recorded; in an evaluation file, `qualified_lecturer: true` assumes one for every day.
    """

    member: str
    year: int
    activities: tuple[Activity, ...]
    lecturer: tuple[LecturerPeriod, ...] = ()
    make_up_certified: str | None = None

    def lecturer_on(self, day: date) -> LecturerPeriod | None:
        """The recorded qualification that covers `day`, if any."""
        return next((period for period in self.lecturer if period.covers(day)), None)


def parse_record(document: Any, *, origin: str = "file") -> CpdRecord:
    """Read `{"member", "year", "qualified_lecturer"?, "make_up_certified"?, "activities": [...]}`."""
    if not isinstance(document, Mapping):
        raise InputError("cpd_record_not_object", origin=origin)
    member = document.get("member")
    if not isinstance(member, str) or not member.strip():
        raise InputError("cpd_record_member", origin=origin, got=repr(member))
    year = _int(document, "year", origin, low=1900, high=2200)
    if year is None:
        raise InputError("cpd_record_year_missing", origin=origin)
    activities = document.get("activities")
    if not isinstance(activities, list):
        raise InputError("cpd_record_activities", origin=origin)
    made_up = document.get("make_up_certified")
    if made_up is not None and (not isinstance(made_up, str) or not made_up.strip()):
        raise InputError("cpd_record_make_up_certified", origin=origin)
    return CpdRecord(
        member=member,
        year=year,
        activities=tuple(parse_activity(item, f"activities[{i}]") for i, item in enumerate(activities)),
        lecturer=(ALWAYS,) if _bool(document, "qualified_lecturer", origin) else (),
        make_up_certified=made_up,
    )


@dataclass(frozen=True)
class Line:
    """One activity's part of the computation: what it was, the hours counted and the rule applied."""

    activity: str
    date: str
    hours: int
    online: bool
    professional: bool
    rule: str
    online_course: bool = False
    """Online course learning (CPD-EN's 30 hours): online training, or a qualified lecturer's doubled teaching."""

    def text(self) -> str:
        tags = [tag for tag, on in (("online", self.online), ("professional", self.professional)) if on]
        tagged = f" [{', '.join(tags)}]" if tags and self.hours else ""
        return f"{self.date}  {self.activity} -> {self.hours} h{tagged}: {self.rule}"


@dataclass(frozen=True)
class Requirement:
    """One threshold of the policy and how far the year falls short of it."""

    name: str
    needed: int
    counted: int
    source: str

    @property
    def shortfall(self) -> int:
        return max(0, self.needed - self.counted)

    def text(self) -> str:
        state = "met" if not self.shortfall else f"short by {self.shortfall} h"
        return f"{self.name}: {self.counted} of {self.needed} h, {state} ({self.source})"


@dataclass(frozen=True)
class Evaluation:
    """The hours of one year under one policy, every line explained."""

    policy: str
    member: str
    year: int
    lines: tuple[Line, ...]
    requirements: tuple[Requirement, ...]
    whole_year: str | None = None

    @property
    def compliant(self) -> bool:
        return self.whole_year is not None or all(r.shortfall == 0 for r in self.requirements)

    @property
    def total(self) -> int:
        return sum(line.hours for line in self.lines)

    @property
    def shortfall(self) -> dict[str, int]:
        if self.whole_year is not None:
            return {}
        return {r.name: r.shortfall for r in self.requirements if r.shortfall}

    def text_lines(self) -> list[str]:
        """The explanation as printed by `capeval cpd evaluate`."""
        out = [f"CPD {self.year} of {self.member} under policy {self.policy}:"]
        out += [f"  {i}. {line.text()}" for i, line in enumerate(self.lines, 1)] or ["  (no activities)"]
        out += [f"  {r.text()}" for r in self.requirements]
        if self.whole_year:
            out.append(f"  the year counts as complete: {self.whole_year}")
        if self.compliant:
            out.append("compliant")
        else:
            out.append("not compliant: " + "; ".join(f"{name} short by {h} h" for name, h in self.shortfall.items()))
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "member": self.member,
            "year": self.year,
            "compliant": self.compliant,
            "total_hours": self.total,
            "whole_year": self.whole_year,
            "shortfall": self.shortfall,
            "requirements": [
                {"name": r.name, "needed": r.needed, "counted": r.counted, "shortfall": r.shortfall, "source": r.source}
                for r in self.requirements
            ],
            "lines": [dataclasses.asdict(line) for line in self.lines],
        }


@dataclass
class _CreditHours:
    """Whole credit hours from minutes: each activity floored, or the year's minutes of one kind (Q&A Q22)."""

    minutes_per_hour: int
    rounding: str
    source: str
    pooled: dict[str, int] = dataclasses.field(default_factory=dict)

    def hours(self, pool: str, minutes: int) -> tuple[int, str]:
        """The hours `minutes` add to `pool` this year, and how they were counted."""
        per_hour = f"{self.minutes_per_hour} min per credit hour ({self.source})"
        if self.rounding == "per_activity":
            return minutes // self.minutes_per_hour, f"{minutes} min / {per_hour}, each activity on its own"
        before = self.pooled.get(pool, 0)
        after = before + minutes
        self.pooled[pool] = after
        hours = after // self.minutes_per_hour - before // self.minutes_per_hour
        return hours, f"{minutes} min, {after} min of {pool} so far this year / {per_hour}"


def _in_year(activity: Activity, record: CpdRecord, make_up_allowed: bool, source: str) -> str | None:
    """None if the activity counts in the record's year, else why not."""
    if activity.make_up_for is not None:
        if activity.make_up_for != record.year:
            return f"made up for {activity.make_up_for}, not {record.year}"
        if not make_up_allowed:
            return "making up a past year's hours is not part of this policy"
        if record.make_up_certified is None and activity.employer_certificate is None:
            return f"no employer certificate of illness, injury or pregnancy was given for {record.year} ({source})"
        if activity.on.year != record.year + 1:
            return f"hours may be made up only in {record.year + 1} ({source})"
        return None
    if activity.kind == "aid_posting" and activity.spans(record.year):
        return None
    if activity.on.year != record.year:
        return f"dated {activity.on.year}: hours count only in their own year ({source})"
    return None


@dataclass(frozen=True)
class _HourPolicy:
    """What the CPD-2024 and CPD-EN policies share: hours from minutes, online and teaching."""

    name: ClassVar[str]
    minutes_per_hour: int
    annual_hours: int
    qualified_teaching_factor: int
    minute_rounding: str

    def _source(self, name: str) -> str:
        return str(next(f.metadata["source"] for f in dataclasses.fields(self) if f.name == name))

    def _line(self, activity: Activity, record: CpdRecord, credit: _CreditHours) -> Line:
        excluded = _in_year(activity, record, False, "the policy counts each year on its own")
        if excluded:
            return Line(
                activity.label(), activity.on.isoformat(), 0, activity.online, False, f"not counted: {excluded}"
            )
        if activity.minutes is None:
            if activity.credited_hours is not None:
                rule = f"hours recognized by the society ({self._source('annual_hours')} art. 8; Q&A Q24)"
                return Line(
                    activity.label(), activity.on.isoformat(), activity.credited_hours, activity.online, False, rule
                )
            rule = "no duration and no hours recognized by the society: counted 0 (Q&A Q24: the society decides)"
            return Line(activity.label(), activity.on.isoformat(), 0, activity.online, False, rule)
        minutes, online, doubled = activity.minutes, activity.online, ""
        qualified = record.lecturer_on(activity.on) if activity.kind == "teaching" else None
        if qualified is not None and self.qualified_teaching_factor > 1:
            minutes *= self.qualified_teaching_factor
            online = True
            recorded = "" if qualified is ALWAYS else f", recorded by the society {qualified.text()}"
            doubled = (
                f"{activity.minutes} min taught x{self.qualified_teaching_factor} = {minutes} min of online time "
                f"for a qualified lecturer{recorded} ({self._source('qualified_teaching_factor')}); "
            )
        pool = f"{activity.kind}, online" if online else activity.kind
        hours, counted = credit.hours(pool, minutes)
        course = bool(doubled) or (activity.kind == "training" and activity.online)
        return Line(activity.label(), activity.on.isoformat(), hours, online, False, doubled + counted, course)

    def _credit_hours(self) -> _CreditHours:
        source = f"{self._source('minutes_per_hour')}; {self.minute_rounding}: {self._source('minute_rounding')}"
        return _CreditHours(self.minutes_per_hour, self.minute_rounding, source)

    def lines(self, record: CpdRecord) -> list[Line]:
        credit = self._credit_hours()
        return [self._line(activity, record, credit) for activity in sorted(record.activities, key=lambda a: a.on)]


@dataclass(frozen=True)
class Cpd2024Policy(_HourPolicy):
    """CPD-2024: at least 50 credit hours a year; one credit hour is at least 45 minutes."""

    name: ClassVar[str] = "cpd-2024"
    minutes_per_hour: int = rule(45, "Q&A Q22", "minutes of activity in one credit hour (whole hours only)")
    annual_hours: int = rule(50, "CPD-2024 art. 5", "credit hours a member needs each year")
    qualified_teaching_factor: int = rule(
        2, "CPD-2024 art. 14", "a qualified lecturer's teaching minutes count this many times, as online time"
    )
    minute_rounding: str = rule(
        "per_kind",
        "sources silent (Q&A Q22 sets the length of a credit hour, not of an activity): capeval's choice",
        "per_kind: the year's minutes of one kind of activity are summed, then floored to whole credit hours; "
        "per_activity: each activity is floored on its own",
    )

    def evaluate(self, record: CpdRecord) -> Evaluation:
        lines = self.lines(record)
        total = sum(line.hours for line in lines)
        return Evaluation(
            self.name,
            record.member,
            record.year,
            tuple(lines),
            (Requirement("total", self.annual_hours, total, "CPD-2024 art. 5; Q&A Q22"),),
        )


@dataclass(frozen=True)
class CpdEnPolicy(_HourPolicy):
    """CPD-EN: at least 40 credit hours a year, of them at least 30 online."""

    name: ClassVar[str] = "cpd-en"
    minutes_per_hour: int = rule(45, "Q&A Q22 (CPD-EN is silent)", "minutes of activity in one credit hour")
    annual_hours: int = rule(40, "CPD-EN", "credit hours a member needs each year")
    online_hours: int = rule(30, "CPD-EN", "of them, credit hours of online course learning")
    qualified_teaching_factor: int = rule(
        2,
        "CPD-2024 art. 14 (CPD-EN is silent)",
        "a qualified lecturer's teaching minutes count this many times, online",
    )
    minute_rounding: str = rule(
        "per_kind",
        "sources silent (Q&A Q22 sets the length of a credit hour, not of an activity): capeval's choice",
        "per_kind: the year's minutes of one kind of activity are summed, then floored to whole credit hours; "
        "per_activity: each activity is floored on its own",
    )

    def evaluate(self, record: CpdRecord) -> Evaluation:
        lines = self.lines(record)
        total = sum(line.hours for line in lines)
        online = sum(line.hours for line in lines if line.online_course)
        return Evaluation(
            self.name,
            record.member,
            record.year,
            tuple(lines),
            (
                Requirement("total", self.annual_hours, total, "CPD-EN"),
                Requirement("online", self.online_hours, online, "CPD-EN (online course learning)"),
            ),
        )


@dataclass(frozen=True)
class Ce2026Policy:
    """CE-2026: 90 hours a year, 60 of them professional; conversion caps of art. 18; art. 19-20."""

    name: ClassVar[str] = "ce-2026"
    first_year: int = rule(2026, "CE-2026 art. 31", "the first year the policy judges (in force from 1 January 2026)")
    minutes_per_hour: int = rule(
        45,
        "Q&A Q22 (CE-2026 is silent)",
        "minutes in one hour (学时), for every rule of the policy, lecturing included",
    )
    annual_hours: int = rule(90, "CE-2026 art. 18", "hours each year")
    professional_hours: int = rule(60, "CE-2026 art. 18", "of them, professional-subject hours")
    conversion_limit: int = rule(
        60, "CE-2026 art. 18", "converted achievements count as professional hours until professional hours reach this"
    )
    face_to_face_daily_cap: int = rule(8, "CE-2026 art. 18(1)", "face-to-face training hours counted a day at most")
    research_cap: int = rule(40, "CE-2026 art. 18(3)", "a research project alone, each")
    research_lead_cap: int = rule(30, "CE-2026 art. 18(3)", "a joint research project, its lead")
    research_member_cap: int = rule(10, "CE-2026 art. 18(3)", "a joint research project, each other member")
    invention_patent_cap: int = rule(10, "CE-2026 art. 18(4)", "an invention patent, each")
    utility_patent_cap: int = rule(5, "CE-2026 art. 18(4)", "a utility model patent or software copyright, each")
    paper_cap: int = rule(10, "CE-2026 art. 18(5)", "a paper by one author")
    joint_paper_cap: int = rule(5, "CE-2026 art. 18(5)", "a joint paper, each author")
    book_cap: int = rule(30, "CE-2026 art. 18(6)", "a book by one author")
    book_first_author_cap: int = rule(20, "CE-2026 art. 18(6)", "a joint book, first author")
    book_other_author_cap: int = rule(10, "CE-2026 art. 18(6)", "a joint book, each other author")
    standard_first_cap: int = rule(
        20, "CE-2026 art. 18(7)", "a standard drafted as its first completer (first, sole or lead drafter)"
    )
    standard_other_cap: int = rule(10, "CE-2026 art. 18(7)", "a standard, other drafters")
    lecturing_factor: int = rule(6, "CE-2026 art. 18(8)", "lecturing counts at most this many times the time taught")
    minute_rounding: str = rule(
        "per_kind",
        "sources silent (Q&A Q22 sets the length of a credit hour, not of an activity): capeval's choice",
        "per_kind: the year's minutes of online training (per kind and subject) or of lecturing are summed, "
        "then floored to whole hours; per_activity: each activity is floored on its own",
    )
    exam_setting_cap: int = rule(40, "CE-2026 art. 18(9)", "setting or reviewing a qualification exam, each time")
    competition_cap: int = rule(30, "CE-2026 art. 18(10)", "a competition prize (third or better), each activity")
    competition_lowest_prize: int = rule(3, "CE-2026 art. 18(10)", "the lowest prize rank that counts")

    def _source(self, name: str) -> str:
        return str(next(f.metadata["source"] for f in dataclasses.fields(self) if f.name == name))

    def _cap(self, activity: Activity, rule_name: str, what: str) -> tuple[int, str]:
        cap = getattr(self, rule_name)
        claimed = activity.credited_hours
        hours = cap if claimed is None else min(claimed, cap)
        claim = "" if claimed is None else f", {claimed} h claimed"
        return hours, f"{what} at most {cap} h{claim} ({self._source(rule_name)})"

    def _conversion(self, activity: Activity, where: str, credit: _CreditHours) -> tuple[int, str]:
        kind = activity.kind
        if kind == "research":
            if not activity.is_joint and activity.role in (None, "sole"):
                return self._cap(activity, "research_cap", "research project")
            if activity.role == "lead":
                return self._cap(activity, "research_lead_cap", "joint research project, lead")
            return self._cap(activity, "research_member_cap", "joint research project, member")
        if kind == "patent":
            if activity.patent_type is None:
                raise InputError("cpd_patent_type_missing", field=f"{where}.patent_type")
            if activity.patent_type == "invention":
                return self._cap(activity, "invention_patent_cap", "invention patent")
            return self._cap(activity, "utility_patent_cap", activity.patent_type.replace("_", " "))
        if kind == "paper":
            if activity.is_joint:
                return self._cap(activity, "joint_paper_cap", "joint paper")
            return self._cap(activity, "paper_cap", "paper by one author")
        if kind == "book":
            if not activity.is_joint:
                return self._cap(activity, "book_cap", "book by one author")
            if activity.author_role == "first":
                return self._cap(activity, "book_first_author_cap", "joint book, first author")
            return self._cap(activity, "book_other_author_cap", "joint book, other author")
        if kind == "standard":
            if activity.role in FIRST_COMPLETER_ROLES:
                return self._cap(activity, "standard_first_cap", f"standard, {activity.role} drafter")
            return self._cap(activity, "standard_other_cap", "standard, not first drafter")
        if kind == "teaching":
            if activity.minutes is None:
                raise InputError("cpd_teaching_minutes_missing", field=f"{where}.minutes")
            minutes = activity.minutes * self.lecturing_factor
            hours, counted = credit.hours("lecturing", minutes)
            taught = f"lecturing {activity.minutes} min taught x{self.lecturing_factor} = {minutes} min"
            return hours, f"{taught} ({self._source('lecturing_factor')}); {counted}"
        if kind == "exam_setting":
            return self._cap(activity, "exam_setting_cap", "exam setting")
        if kind == "competition":
            if activity.prize is None or activity.prize > self.competition_lowest_prize:
                return 0, (
                    f"only a prize of rank {self.competition_lowest_prize} or better counts "
                    f"({self._source('competition_cap')})"
                )
            return self._cap(activity, "competition_cap", f"competition prize {activity.prize}")
        if activity.credited_hours is not None:
            return (
                activity.credited_hours,
                "hours set by the provincial standard for other activities (CE-2026 art. 18(11))",
            )
        return 0, "no hours recognized for this activity (CE-2026 art. 18(11): the provincial standard decides)"

    def _training(self, activity: Activity, where: str, credit: _CreditHours) -> tuple[int, bool, str]:
        if activity.subject is None:
            raise InputError("cpd_subject_missing", field=f"{where}.subject", kind=activity.kind)
        professional = activity.subject == "professional"
        if not activity.names_institution:
            return 0, False, f"not counted: {NO_INSTITUTION}"
        if activity.online:
            if activity.minutes is None:
                raise InputError("cpd_online_minutes_missing", field=f"{where}.minutes", kind=activity.kind)
            hours, counted = credit.hours(f"online {activity.kind}, {activity.subject}", activity.minutes)
            return hours, professional, f"online {activity.kind}, actual hours (CE-2026 art. 18(2)): {counted}"
        cap_rule = self._source("face_to_face_daily_cap")
        if activity.minutes is None:
            raise InputError("cpd_face_to_face_duration_missing", field=f"{where}.minutes", kind=activity.kind)
        hours = activity.minutes // self.minutes_per_hour
        days = activity.days or 1
        cap = days * self.face_to_face_daily_cap
        if hours > cap:
            return cap, professional, f"{hours} h capped at {self.face_to_face_daily_cap} h a day x {days} ({cap_rule})"
        return (
            hours,
            professional,
            f"{activity.minutes} min / {self.minutes_per_hour}, within {cap} h for {days} day(s) ({cap_rule})",
        )

    def evaluate(self, record: CpdRecord) -> Evaluation:
        if record.year < self.first_year:
            raise InputError("cpd_policy_not_in_force", policy=self.name, year=record.year, first_year=self.first_year)
        source = f"{self._source('minutes_per_hour')}; {self.minute_rounding}: {self._source('minute_rounding')}"
        credit = _CreditHours(self.minutes_per_hour, self.minute_rounding, source)
        ordered = sorted(
            enumerate(record.activities), key=lambda pair: (pair[1].kind not in ("training", "seminar"), pair[1].on)
        )
        lines: list[Line] = []
        professional = 0
        whole_year = None
        seen_competitions: set[str] = set()
        for index, activity in ordered:
            label, day = activity.label(), activity.on.isoformat()
            excluded = _in_year(activity, record, True, "CE-2026 art. 20")
            if excluded:
                lines.append(Line(label, day, 0, activity.online, False, f"not counted: {excluded}"))
                continue
            if activity.kind in WHOLE_YEAR_KINDS:
                article = "CE-2026 art. 19" if activity.kind == "aid_posting" else "CE-2026 art. 18, art. 11(2)-(3)"
                whole_year = whole_year or f"{activity.kind.replace('_', ' ')} on {day} ({article})"
                lines.append(Line(label, day, 0, False, False, f"completes the whole year ({article})"))
                continue
            if activity.kind in ("training", "seminar"):
                hours, is_professional, rule = self._training(activity, f"activities[{index}]", credit)
                professional += hours if is_professional else 0
                lines.append(Line(label, day, hours, activity.online, is_professional, rule))
                continue
            if activity.kind == "competition" and activity.title:
                if activity.title in seen_competitions:
                    lines.append(
                        Line(label, day, 0, False, True, "the same competition counts once (CE-2026 art. 18(10))")
                    )
                    continue
                seen_competitions.add(activity.title)
            converted, rule = self._conversion(activity, f"activities[{index}]", credit)
            room = max(0, self.conversion_limit - professional)
            counted = min(converted, room)
            if counted < converted:
                rule += (
                    f"; {converted} h converted, {counted} h counted: professional hours reach "
                    f"{self.conversion_limit}, no further conversion (CE-2026 art. 18)"
                )
            professional += counted
            suffix = "; counts as professional hours" if counted else ""
            lines.append(Line(label, day, counted, False, True, f"{rule}{suffix}"))
        total = sum(line.hours for line in lines)
        return Evaluation(
            self.name,
            record.member,
            record.year,
            tuple(lines),
            (
                Requirement("total", self.annual_hours, total, "CE-2026 art. 18"),
                Requirement("professional", self.professional_hours, professional, "CE-2026 art. 18"),
            ),
            whole_year,
        )


CpdPolicy = Cpd2024Policy | CpdEnPolicy | Ce2026Policy
POLICIES: dict[str, type[Cpd2024Policy] | type[CpdEnPolicy] | type[Ce2026Policy]] = {
    Cpd2024Policy.name: Cpd2024Policy,
    CpdEnPolicy.name: CpdEnPolicy,
    Ce2026Policy.name: Ce2026Policy,
}
DEFAULT_POLICY = Cpd2024Policy.name


def cpd_policy(name: str, overrides: Mapping[str, Any] | None = None) -> CpdPolicy:
    """The named CPD policy, with optional whole-number overrides of its rules."""
    if name not in POLICIES:
        raise InputError("cpd_policy_unknown", name=name, choices=list(POLICIES))
    cls = POLICIES[name]
    known = {f.name for f in dataclasses.fields(cls)}
    for key, value in (overrides or {}).items():
        if key not in known:
            raise InputError("cpd_policy_rule_unknown", name=name, key=key, known=sorted(known))
        if key == "minute_rounding":
            if value not in ROUNDINGS:
                raise InputError("cpd_policy_rounding", name=name, got=repr(value), choices=list(ROUNDINGS))
        elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InputError("cpd_policy_rule_not_whole", name=name, key=key)
    return cls(**dict(overrides or {}))


def policy_for_year(choices: Sequence[tuple[int, str]], year: int) -> str:
    """The policy that judges `year`: of a society's choices (from year, policy), oldest first, the last one in
    force by then; the default before the first. A later switch never changes the verdict on an earlier year
    (CE-2026 art. 31: rules apply from their entry into force)."""
    chosen = DEFAULT_POLICY
    for from_year, name in choices:
        if from_year <= year:
            chosen = name
    return chosen


def describe_policy(policy: CpdPolicy) -> list[dict[str, Any]]:
    """Every rule of a CPD policy with its value, source and meaning."""
    return [
        {
            "rule": f.name,
            "value": getattr(policy, f.name),
            "default": f.default,
            "source": f.metadata["source"],
            "meaning": f.metadata["meaning"],
        }
        for f in dataclasses.fields(policy)
    ]


def evaluate(policy: CpdPolicy, record: CpdRecord) -> Evaluation:
    """The hours of `record` under `policy`, explained line by line."""
    return policy.evaluate(record)


def shortfall_years(
    evaluations: Sequence[Evaluation], exempt_years: frozenset[int] = frozenset()
) -> dict[int, dict[str, int]]:
    """Years that fall short and are not covered by a contingency exemption (CPD-2024 art. 9)."""
    return {e.year: e.shortfall for e in evaluations if not e.compliant and e.year not in exempt_years}
