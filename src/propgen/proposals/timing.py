"""Dates counted back from the event: `before: N days|weeks|months|years`, as milestones,
instalments and cancellation steps write them, read in one place."""

from __future__ import annotations

import datetime as dt
import re

import yaml

from ..dates import shift
from ..errors import shorten
from ..fields import MIN_YEAR, Fields
from ..models import Milestone, ProposalEvent

BEFORE_RE = re.compile(r"^(\d+)\s*(day|days|week|weeks|month|months|year|years)$")
# Units as an Indonesian coordinator writes them ('3 bulan'), for the hint: propgen reads English.
UNITS_IN_INDONESIAN = {"hari": "days", "minggu": "weeks", "pekan": "weeks", "bulan": "months", "tahun": "years"}


def counted_back(f: Fields, event: ProposalEvent | None) -> tuple[dt.date | None, str]:
    """Resolve `before:` against the event date: the date and the text as written."""
    raw = f.text("before", example="6 months")
    if raw is None:
        return None, ""
    match = BEFORE_RE.match(raw.strip().lower())
    if not match:
        number, _, unit = raw.strip().lower().partition(" ")
        hint = "write a number and a unit, e.g.  before: 6 months  (days, weeks, months or years)"
        if number.isdigit() and unit.strip() in UNITS_IN_INDONESIAN:
            hint = f"write the unit in English:  before: {number} {UNITS_IN_INDONESIAN[unit.strip()]}"
        f.error(f.node_of("before"), f"'{shorten(raw)}' is not a length of time propgen understands", hint)
        return None, ""
    if event is None:
        return None, ""
    digits, unit = match.group(1), match.group(2)
    try:  # more than six digits of days is more than 2,700 years: no date, and no 5,000-digit int()
        date = shift(event.date, -int(digits), unit if unit.endswith("s") else unit + "s") if len(digits) <= 6 else None
    except (OverflowError, ValueError):
        date = None
    if date is None or date.year < MIN_YEAR:
        f.error(f.node_of("before"), f"{shorten(raw)} before {event.date} is not a date propgen can show", "use a shorter length of time")
        return None, ""
    return date, raw.strip()


def written_after(f: Fields, event: ProposalEvent | None, takes_date: bool = True) -> bool:
    """`after: 2 weeks`: propgen counts only back from the event (`before:`) or takes a day
    (`date:`). Said once, at the line, with the two lines that may have been meant (the day
    worked out when the event has one; `takes_date` False where only `before` is read), so
    neither "unknown field" nor "no date" follows: True when it was written."""
    if "after" not in f.values:
        return False
    f.known.append("after")
    key_node, value_node = f.values["after"]
    written = shorten(" ".join(str(value_node.value).split())) if isinstance(value_node, yaml.ScalarNode) else ""  # one line
    match = BEFORE_RE.match(written.lower())
    if "before" in f.values or "date" in f.values:  # the line that counts is there already
        hint = f"remove  after: {written}  (this entry has its {'before' if 'before' in f.values else 'date'} already)"
    elif match is None or not takes_date:
        hint = f"write  before: {written if match else '6 months'}  to count back from the event's date"
        hint += ", or the day itself as  date: 2027-03-01" if takes_date else ""
    else:
        digits, unit = match.group(1), match.group(2)
        plural = unit if unit.endswith("s") else unit + "s"
        try:
            day = shift(event.date, int(digits), plural) if event is not None and len(digits) <= 4 else None
        except (OverflowError, ValueError):
            day = None
        hint = f"write  before: {written}  to count back from the event's date"
        hint += (
            f", or  date: {day.isoformat()}  for {written} after it ({event.date})"
            if day and event
            else ", or the day itself as  date: YYYY-MM-DD"
        )
    f.error(key_node, "propgen counts dates back from the event with 'before', not 'after'", hint)
    return True


def read_timeline(f: Fields, event: ProposalEvent | None, prepared_on: dt.date | None) -> tuple[Milestone, ...]:
    milestones = []
    for m in f.records("timeline", "milestone", "- {before: 6 months, task: Sign the venue contract}"):
        task = m.text("task", required=True, example="Sign the venue contract")
        after = written_after(m, event)
        has_before, has_date = m.has("before"), m.has("date")
        if has_before and has_date:
            m.error(m.node, "this milestone has both 'before' and 'date'", "give exactly one:  before: 6 months  or  date: 2027-03-01")
        elif not has_before and not has_date and not after:
            m.absent(
                ("before", "date"),
                "this milestone has neither 'before' nor 'date'",
                "give exactly one:  before: 6 months  or  date: 2027-03-01",
            )
        if has_before == has_date:
            m.finish()
            continue
        if has_before:
            date, before = counted_back(m, event)
        else:
            date, before = m.date("date"), ""
        if date and prepared_on and date < prepared_on:
            m.warning(
                m.node,
                f"this milestone falls on {date}, before the proposal's prepared_on {prepared_on}",
                "move it later, or check the event date",
            )
        last_day = (event.end_date or event.date) if event else None
        if date and last_day and date > last_day and event:  # a mistyped year or month, nearly always
            when = f"{event.date} to {last_day}" if last_day != event.date else f"{event.date}"
            m.warning(
                m.node,
                f"this milestone falls on {date}, after the event ({when})",
                "a planning milestone comes before the event: check its date, or the event's",
            )
        m.finish()
        if task and date:
            milestones.append(Milestone(task, date, before))
    return tuple(sorted(milestones, key=lambda m: m.date))
