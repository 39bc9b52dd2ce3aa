"""The iCalendar invitation (RFC 5545) of an interview notice: time in Asia/Shanghai, place or meeting link,
and the panel's contact as organizer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from capeval.states.calendar import SHANGHAI

PRODID = "-//capeval//interview notice//ZH"
_TIMEZONE = (
    "BEGIN:VTIMEZONE",
    "TZID:Asia/Shanghai",
    "BEGIN:STANDARD",
    "DTSTART:19700101T000000",
    "TZOFFSETFROM:+0800",
    "TZOFFSETTO:+0800",
    "TZNAME:CST",
    "END:STANDARD",
    "END:VTIMEZONE",
)


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon, comma and newline escaped."""
    return (
        value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def fold(line: str) -> list[str]:
    """A content line folded at 75 octets, never inside a UTF-8 character."""
    out: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode("utf-8")
        limit = 75 if not out else 74
        if len(current) + len(encoded) > limit:
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return [out[0]] + [" " + part for part in out[1:]]


def _local(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y%m%dT%H%M%S")


def interview_invitation(
    *,
    uid: str,
    summary: str,
    starts_at: datetime,
    duration_minutes: int,
    place: str,
    video_link: str,
    description: str,
    organizer_name: str,
    organizer_email: str,
    attendee_name: str,
    attendee_email: str,
    stamp: datetime,
    sequence: int = 0,
) -> str:
    """The VCALENDAR text (CRLF line ends) of one interview."""
    ends_at = starts_at + timedelta(minutes=duration_minutes)
    location = place or video_link
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:REQUEST"]
    lines += _TIMEZONE
    lines += [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"SEQUENCE:{sequence}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART;TZID=Asia/Shanghai:{_local(starts_at)}",
        f"DTEND;TZID=Asia/Shanghai:{_local(ends_at)}",
        f"SUMMARY:{escape_text(summary)}",
        f"LOCATION:{escape_text(location)}",
        f"DESCRIPTION:{escape_text(description)}",
    ]
    if video_link:
        lines.append(f"URL:{video_link}")
    lines.append(f"ORGANIZER;CN={_param(organizer_name)}:mailto:{organizer_email}")
    lines.append(
        f"ATTENDEE;CN={_param(attendee_name)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:{attendee_email}"
    )
    lines += ["STATUS:CONFIRMED", "TRANSP:OPAQUE", "END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(part for line in lines for part in fold(line)) + "\r\n"


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _param(value: str) -> str:
    return '"' + value.replace('"', "'") + '"'
