"""The sane ranges of the numbers and dates people type or hand in; beyond them a value is a typo.

| value | range | why |
|---|---|---|
| a date (activity, validity, lookup, `--now`) | years 1900-2100 | no record lies outside; 9999-12-31 is a typo |
| an id (case, task, interview, …) | 1 to 2^63-1 | what the database's integer holds |
| minutes of one CPD activity | 0 to 527,040 | a whole leap year of minutes |
| days of one CPD training | 1 to 366 | one year |
| authors of one work | 1 to 1,000 | |
| a prize's rank | 1 to 10 | competitions rank first, second, third…; CE-2026 art. 18(10) counts the third or better |
| hours credited to one activity | 0 to 1,000 | more than any year requires |
| cases on one page of the board | 1 to 1,000 (50 unless asked) | |

Each refusal is one coded line naming the field and the range.
"""

from __future__ import annotations

from datetime import date

from .errors import InputError

YEAR_MIN, YEAR_MAX = 1900, 2100
ID_MAX = 2**63 - 1
ACTIVITY_MINUTES_MAX = 366 * 24 * 60
ACTIVITY_DAYS_MAX = 366
AUTHORS_MAX = 1000
PRIZE_RANK_MAX = 10
CREDITED_HOURS_MAX = 1000
BOARD_PAGE = 50
"""Cases on one page of the board unless the caller asks for another size."""
BOARD_PAGE_MAX = 1000
"""The largest page a caller may ask for."""


def checked_day(day: date, where: str) -> date:
    """`day` when its year is within YEAR_MIN..YEAR_MAX; else one line naming `where`."""
    if not YEAR_MIN <= day.year <= YEAR_MAX:
        raise InputError("day_out_of_range", where=where, day=day.isoformat(), low=YEAR_MIN, high=YEAR_MAX)
    return day


def checked_id(value: int, where: str) -> int:
    """`value` when it can be an id (1..ID_MAX); else one line naming `where`."""
    if not 1 <= value <= ID_MAX:
        shown = str(value) if value.bit_length() <= 128 else f"a number of {value.bit_length()} bits"
        raise InputError("record_id_out_of_range", where=where, got=shown, high=ID_MAX)
    return value
