"""Work experience on an application (Q&A Q33, Q37): read from application files and forms, stored with the
case, and judged against the society's field rule (set by `society load`, `[[experience]]`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from capeval.models import SocietyField, WorkExperience
from capeval.models.unit_of_work import UnitOfWork
from capeval.states.errors import InputError, NotFoundError
from capeval.states.levels import Level
from capeval.states.work_experience import (
    ExperiencePeriod,
    ExperienceRule,
    ExperienceStanding,
    PracticeStage,
    checked_period,
    checked_years,
)

if TYPE_CHECKING:
    from .documents import Fields
    from .runtime import Runtime

YEAR_KEYS = {
    Level.APPRENTICE: "apprentice_years",
    Level.PROFESSIONAL: "professional_years",
    Level.SENIOR: "senior_years",
}
POSTGRADUATE_KEY = "postgraduate_practice_counts"
RULE_KEYS = ("field", *YEAR_KEYS.values(), POSTGRADUATE_KEY)
PERIOD_KEYS = ("from", "until", "employer", "role", "stage")


def _known_keys(fields: Fields, known: Sequence[str]) -> None:
    unknown = sorted(str(key) for key in fields.data if key not in known)
    if unknown:
        raise InputError("experience_key_unknown", where=fields.where, keys=unknown, known=list(known))


def _stage(text: str, where: str) -> PracticeStage:
    try:
        return PracticeStage(text.strip())
    except ValueError:
        choices = [stage.value for stage in PracticeStage]
        raise InputError("experience_stage_unknown", where=where, stage=text.strip(), choices=choices) from None


def experience_periods(fields: Fields, key: str = "experience") -> tuple[ExperiencePeriod, ...]:
    """The `[[experience]]` entries of a document: `from`, `until` (left out: work that goes on),
    `employer`, `role`, `stage` (employment, undergraduate, master, doctorate; default employment)."""
    periods = []
    for item in fields.items(key):
        _known_keys(item, PERIOD_KEYS)
        ends_on = item.day("until") if item.data.get("until") not in (None, "") else None
        periods.append(
            ExperiencePeriod(
                starts_on=item.day("from"),
                ends_on=ends_on,
                employer=item.text("employer"),
                role=item.text("role"),
                stage=_stage(item.text("stage", PracticeStage.EMPLOYMENT.value), item.where),
            )
        )
    return tuple(periods)


def period_lines(text: str) -> tuple[ExperiencePeriod, ...]:
    """The periods of a form's text, one a line: `from | until | stage | employer | role` (until may be empty)."""
    periods = []
    for line in (raw.strip() for raw in text.splitlines()):
        if not line:
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) != 5:
            raise InputError("experience_line_malformed", line=line[:80])
        starts, ends, stage, employer, role = parts
        try:
            starts_on = date.fromisoformat(starts)
            ends_on = date.fromisoformat(ends) if ends else None
        except ValueError:
            raise InputError("experience_line_malformed", line=line[:80]) from None
        periods.append(ExperiencePeriod(starts_on, ends_on, employer, role, _stage(stage, line[:80])))
    return tuple(periods)


def store_periods(uow: UnitOfWork, case_id: int, periods: Sequence[ExperiencePeriod], today: date) -> None:
    """Keep the application's periods, each checked first (none in the future, none ending before it starts)."""
    checked = [checked_period(period, today, f"experience[{index}]") for index, period in enumerate(periods)]
    for position, period in enumerate(checked):
        uow.work_experience.add(
            WorkExperience(
                application_id=case_id,
                position=position,
                starts_on=period.starts_on,
                ends_on=period.ends_on,
                employer=period.employer,
                role=period.role,
                stage=period.stage.value,
            )
        )


def stored_periods(uow: UnitOfWork, case_id: int) -> tuple[ExperiencePeriod, ...]:
    """The application's periods in the order given."""
    return tuple(
        ExperiencePeriod(row.starts_on, row.ends_on, row.employer, row.role, PracticeStage(row.stage))
        for row in uow.work_experience.of_case(case_id)
    )


def rule_of(authorization: SocietyField) -> ExperienceRule:
    """The society's rule of work experience for the authorized field."""
    years = {
        Level.APPRENTICE: authorization.experience_years_apprentice,
        Level.PROFESSIONAL: authorization.experience_years_professional,
        Level.SENIOR: authorization.experience_years_senior,
    }
    return ExperienceRule(years, authorization.postgraduate_practice_counts)


def standing_of(uow: UnitOfWork, case_id: int, authorization: SocietyField | None) -> ExperienceStanding | None:
    """What the work-experience guard reads: None when the society sets no years for any level of the field."""
    if authorization is None:
        return None
    rule = rule_of(authorization)
    if all(years is None for years in rule.years.values()):
        return None
    return ExperienceStanding(rule, stored_periods(uow, case_id))


def set_rule(authorization: SocietyField, fields: Fields) -> None:
    """Set the field's rule from an `[[experience]]` entry of a directory file; a key left out unsets it."""
    _known_keys(fields, RULE_KEYS)
    authorization.experience_years_apprentice = checked_years(
        fields.data.get(YEAR_KEYS[Level.APPRENTICE]), fields.where, YEAR_KEYS[Level.APPRENTICE]
    )
    authorization.experience_years_professional = checked_years(
        fields.data.get(YEAR_KEYS[Level.PROFESSIONAL]), fields.where, YEAR_KEYS[Level.PROFESSIONAL]
    )
    authorization.experience_years_senior = checked_years(
        fields.data.get(YEAR_KEYS[Level.SENIOR]), fields.where, YEAR_KEYS[Level.SENIOR]
    )
    counts = fields.data.get(POSTGRADUATE_KEY)
    if counts is not None and not isinstance(counts, bool):
        raise InputError("experience_flag_invalid", where=fields.where, key=POSTGRADUATE_KEY)
    authorization.postgraduate_practice_counts = counts


def periods_shown(uow: UnitOfWork, case_id: int) -> list[dict[str, Any]]:
    """The application's periods as the case page shows them."""
    return [
        {"from": p.starts_on, "until": p.ends_on, "stage": p.stage.value, "employer": p.employer, "role": p.role}
        for p in stored_periods(uow, case_id)
    ]


def society_rules(runtime: Runtime, society_code: str) -> list[dict[str, Any]]:
    """The work-experience rule of each field the society is (or was) authorized for, as `rules list` shows it."""
    with runtime.unit_of_work() as uow:
        society = uow.directory.society_by_code(society_code.strip())
        if society is None or society.id is None:
            known = [s.code for s in uow.directory.societies()]
            raise NotFoundError("experience_society_unknown", code=society_code, known=known)
        rows = []
        for authorization in uow.directory.authorizations_of(society.id):
            rule = rule_of(authorization)
            years = ", ".join(
                f"{level.value} {rule.years_for(level)}" for level in Level if rule.years_for(level) is not None
            )
            rows.append(
                {
                    "rule": f"work_experience_years[{authorization.field_code}]",
                    "value": years or "unset: not checked",
                    "default": None,
                    "source": f"society {society.code} (Q&A Q33, Q37)",
                    "meaning": "postgraduate practice "
                    + ("recognized" if rule.postgraduate_counts else "not recognized"),
                }
            )
        return rows
