"""An iCalendar file (RFC 5545) of a proposal: the event, its planning milestones, each
payment instalment that has a date, and the days its cancellation terms change.

Written by hand because it is a few dozen lines of a stable format; every value is
escaped and long lines folded as the RFC asks. DTSTAMP is the proposal's prepared_on,
so the file is reproducible; each UID is the proposal's slug with the entry's kind and
number, so a calendar that imports the file again updates its entries instead of doubling them.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from urllib.parse import urlsplit

from .models import Proposal

# RFC 5545 TEXT has no control characters: each line break a value may hold becomes the escape
# \n, a tab a space, and every other control character is dropped, so no title or task can end
# its line and smuggle in a property of its own (an ATTACH, an ATTENDEE, an alarm).
_LINE_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return _CONTROLS.sub("", _LINE_BREAKS.sub("\\\\n", text.replace("\t", " ")))


def _fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character."""
    out: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def _day(value: dt.date) -> str:
    return value.strftime("%Y%m%d")


def _percent(value: Decimal) -> str:
    return format(value.normalize(), "f")


def proposal_calendar(proposal: Proposal, base_url: str, event_label: str) -> bytes:
    """`event_label` is the calendar name shown to the client (the proposal title)."""
    host = re.sub(r"[^a-z0-9.-]", "", urlsplit(base_url).hostname or "") or "propgen"
    stamp = _day(proposal.prepared_on) + "T000000Z"
    event = proposal.event
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//propgen//proposal//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(event_label)}",
    ]

    def vevent(uid: str, summary: str, start: dt.date, end: dt.date, description: str = "") -> None:
        lines.extend(
            [
                "BEGIN:VEVENT",
                f"UID:{uid}@{host}",
                f"DTSTAMP:{stamp}",
                f"DTSTART;VALUE=DATE:{_day(start)}",
                f"DTEND;VALUE=DATE:{_day(end + dt.timedelta(days=1))}",
                f"SUMMARY:{_escape(summary)}",
                *([f"DESCRIPTION:{_escape(description)}"] if description else []),
                *([f"LOCATION:{_escape(event.city)}"] if event.city and uid.endswith("-event") else []),
                "TRANSP:TRANSPARENT" if not uid.endswith("-event") else "TRANSP:OPAQUE",
                "END:VEVENT",
            ]
        )

    vevent(f"{proposal.slug}-event", proposal.title, event.date, event.end_date or event.date)
    for index, milestone in enumerate(proposal.timeline, start=1):
        vevent(f"{proposal.slug}-milestone-{index}", milestone.task, milestone.date, milestone.date, proposal.title)
    count = len(proposal.payments)
    for index, instalment in enumerate(proposal.payments, start=1):
        if instalment.date is not None:  # "on acceptance" has no day of its own
            what = f"Payment {index} of {count} due: {_percent(instalment.percent)}% of the total"
            vevent(f"{proposal.slug}-payment-{index}", what, instalment.date, instalment.date, proposal.title)
    for index, step in enumerate(proposal.terms.cancellation if proposal.terms else (), start=1):
        what = f"Cancellation terms change: from today {_percent(step.percent)}% of the total stays due"
        vevent(f"{proposal.slug}-cancellation-{index}", what, step.date, step.date, proposal.title)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")
