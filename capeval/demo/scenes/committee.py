"""The review committee meets: a resolution its roster votes on, naming the cases it decides (Charter art. 9, 31).

The secretariat records the minutes; each approval, referral back or rejection then cites the resolution.
"""

from __future__ import annotations

from collections.abc import Sequence

from capeval.demo.stage import Stage
from capeval.services.resolutions import record_resolution
from capeval.states.governance import Body
from capeval.states.governance_commands import RecordResolution
from capeval.states.resolutions import Vote


def committee_meets(
    demo: Stage, motion: str, keys: Sequence[str], *, against: Sequence[int] = (), absent: Sequence[int] = ()
) -> str:
    """The review committee votes on `motion` about the cases `keys`; returns the resolution's reference.

    Every member of the roster votes for, except those (by position on the roster) `against` or `absent`.
    The story says the resolution and its arithmetic in two lines.
    """
    roster = list(demo.cast.federation[Body.REVIEW_COMMITTEE.value].values())
    votes = {
        person.name: Vote.AGAINST if n in against else Vote.ABSENT if n in absent else Vote.FOR
        for n, person in enumerate(roster)
    }
    order = RecordResolution(
        Body.REVIEW_COMMITTEE,
        motion,
        votes,
        demo.cast.member("secretariat").name,
        subjects=tuple(("application", str(demo.case(key))) for key in keys),
    )
    record = record_resolution(demo.runtime, order)
    cases = ("cases " if len(keys) > 1 else "case ") + ", ".join(str(demo.case(key)) for key in keys)
    verdict = "valid" if record["valid"] else "invalid"
    reference = str(record["reference"])
    demo.say(f"the review committee ({len(roster)} members) votes on '{motion}' for {cases}: {reference} {verdict}")
    demo.say(f"    {record['arithmetic']}")
    return reference
