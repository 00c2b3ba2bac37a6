"""`portfolio: auto` ranks past events in its documented order; a proposal's calendar is valid iCalendar."""

from __future__ import annotations

import datetime as dt

from propgen.ics import proposal_calendar
from propgen.models import Accept, Event, Milestone, Proposal, ProposalClient, ProposalEvent, Venue
from propgen.proposals import pick_portfolio


def event(slug: str, kind: str, date: str, guests: int, city: str = "Jakarta", tags: tuple[str, ...] = ()) -> Event:
    return Event(slug, slug.title(), kind, dt.date.fromisoformat(date), f"{slug}.yaml", guests=guests, venue=Venue("Hall", city), tags=tags)


def test_auto_portfolio_order() -> None:
    target = ProposalEvent("conference", dt.date(2027, 6, 12), guests=400, city="Surabaya")
    events = [
        event("gala-big", "gala", "2026-01-01", 400, "Surabaya", ("hybrid",)),  # other type: last, however similar
        event("conf-old", "conference", "2019-05-01", 400),  # the same guest count
        event("conf-tagged", "conference", "2020-05-01", 90, tags=("Hybrid",)),  # shared tag beats guests
        event("conf-close", "conference", "2021-05-01", 420),  # closer guest count
        event("conf-far", "conference", "2024-05-01", 5000),
        event("conf-close-city", "conference", "2018-05-01", 420, "Surabaya"),  # same closeness, same city
    ]
    picked = [e.slug for e in pick_portfolio(events, target, tags=("hybrid",), size=6)]
    assert picked == ["conf-tagged", "conf-old", "conf-close-city", "conf-close", "conf-far", "gala-big"]
    assert [e.slug for e in pick_portfolio(list(reversed(events)), target, tags=("hybrid",), size=3)] == picked[:3]


def test_ties_go_to_the_newest_then_by_name() -> None:
    target = ProposalEvent("wedding", dt.date(2027, 9, 18), guests=100)
    events = [event(s, "wedding", "2024-01-01", 100) for s in ("b-wedding", "a-wedding", "c-wedding")]
    assert [e.slug for e in pick_portfolio(events, target)] == ["a-wedding", "b-wedding", "c-wedding"]


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_calendar_is_valid_icalendar() -> None:
    long_task = "Confirm the final guest count, dietary needs; and seating with the caterer " * 2
    proposal = Proposal(
        slug="forum",
        title="Forum, 2027",
        source="forum.yaml",
        client=ProposalClient("PT Example"),
        prepared_on=dt.date(2026, 11, 20),
        event=ProposalEvent("conference", dt.date(2027, 6, 12), dt.date(2027, 6, 13), city="Surabaya"),
        accept=Accept(email="a@b.example"),
        timeline=(Milestone("Sign the venue contract", dt.date(2026, 12, 12), "6 months"), Milestone(long_task, dt.date(2027, 6, 2))),
    )
    data = proposal_calendar(proposal, "https://events.example/site/", proposal.title)
    text = data.decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    assert lines.count("BEGIN:VEVENT") == 3 == lines.count("END:VEVENT")
    assert "DTSTART;VALUE=DATE:20270612" in lines and "DTEND;VALUE=DATE:20270614" in lines  # DTEND is exclusive
    assert "SUMMARY:Forum\\, 2027" in lines
    assert f"SUMMARY:{long_task.replace(',', chr(92) + ',').replace(';', chr(92) + ';')}" in lines
    assert {line for line in lines if line.startswith("UID:")} == {
        "UID:forum-event@events.example",
        "UID:forum-milestone-1@events.example",
        "UID:forum-milestone-2@events.example",
    }
    assert all(line == "DTSTAMP:20261120T000000Z" for line in lines if line.startswith("DTSTAMP"))


def test_no_text_can_break_out_of_its_calendar_line() -> None:
    """CR, LF and every other control character in any text field is escaped or dropped (RFC 5545
    TEXT has none), so a title cannot end its line and add a property such as an ATTENDEE."""
    injected = "Gala\r\nATTENDEE:mailto:spy@evil.example\rBEGIN:VALARM\nX"
    proposal = Proposal(
        slug="gala",
        title=injected,
        source="gala.yaml",
        client=ProposalClient("PT Example"),
        prepared_on=dt.date(2026, 11, 20),
        event=ProposalEvent("gala", dt.date(2027, 6, 12), city="Jakarta\x0bBEGIN:VALARM\u2028TRIGGER:-PT5M"),
        accept=Accept(email="a@b.example"),
        timeline=(Milestone("Sign\x00 the\x1b contract\x7f\x85now\tplease\x9b", dt.date(2026, 12, 12)),),
    )
    text = proposal_calendar(proposal, "https://events.example/", "Label\r\nX-INJECTED:1").decode("utf-8")
    assert not [c for c in text.replace("\r\n", "") if ord(c) < 32 or 0x7F <= ord(c) <= 0x9F or c in "\u2028\u2029"]
    lines = unfold(text)
    names = {line.split(":")[0].split(";")[0] for line in lines if line}
    assert names == {
        "BEGIN", "VERSION", "PRODID", "CALSCALE", "X-WR-CALNAME", "UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY",
        "DESCRIPTION", "LOCATION", "TRANSP", "END",
    }  # fmt: skip
    assert "X-WR-CALNAME:Label\\nX-INJECTED:1" in lines
    assert "SUMMARY:Gala\\nATTENDEE:mailto:spy@evil.example\\nBEGIN:VALARM\\nX" in lines
    assert "LOCATION:Jakarta\\nBEGIN:VALARM\\nTRIGGER:-PT5M" in lines
    assert "SUMMARY:Sign the contract\\nnow please" in lines
    assert lines.count("BEGIN:VEVENT") == 2 and not any(line.startswith(("ATTENDEE", "BEGIN:VALARM")) for line in lines)
