"""The audience arithmetic of a prospectus: shares to head counts, and what a sponsor wants.

Head counts use the largest-remainder rule, so the counts of all segments (and of the
attendees no segment names) add up to the expected total exactly: each segment first gets
the whole part of `total × percent / 100`, and the people left over go one by one to the
largest fractions (ties: the segment listed first; the unnamed rest last). A prospect's
match is the sum of its matching segments' shares and of their counts, so the summary line
always agrees with the highlighted rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..models import Segment
from ..sources import tag_slug


@dataclass(frozen=True)
class SegmentCount:
    segment: Segment
    people: int
    matches: bool  # shares a tag with what the prospect wants


@dataclass(frozen=True)
class Match:
    rows: tuple[SegmentCount, ...]
    percent: Decimal  # share of the audience in the matching segments
    people: int  # head count of the matching segments

    @property
    def matched(self) -> tuple[SegmentCount, ...]:
        return tuple(r for r in self.rows if r.matches)


def head_counts(total: int, percents: Sequence[Decimal]) -> list[int]:
    """People per share of `total`, adding up to `total` when the shares add up to 100
    (the largest-remainder rule; see the module's docstring)."""
    rest = Decimal(100) - sum(percents, Decimal(0))
    shares = [*percents, rest] if rest > 0 else list(percents)
    exact = [Decimal(total) * share / 100 for share in shares]
    counts = [int(value) for value in exact]  # floors: every value is at least 0
    left = total - sum(counts)
    order = sorted(range(len(shares)), key=lambda i: (-(exact[i] - counts[i]), i))
    for index in order[: max(left, 0)]:
        counts[index] += 1
    return counts[: len(percents)]


def matches(segment: Segment, wants: Sequence[str]) -> bool:
    wanted = {tag_slug(t) for t in wants}
    return any(tag_slug(t) in wanted for t in segment.tags)


def audience_match(total: int, segments: Sequence[Segment], wants: Sequence[str]) -> Match:
    counts = head_counts(total, [s.percent for s in segments])
    rows = tuple(SegmentCount(s, n, matches(s, wants)) for s, n in zip(segments, counts, strict=True))
    percent = sum((r.segment.percent for r in rows if r.matches), Decimal(0))
    return Match(rows, percent, sum(r.people for r in rows if r.matches))


def unknown_wants(segments: Sequence[Segment], wants: Sequence[str]) -> list[str]:
    """The wanted tags no segment has: that sponsor would see nothing highlighted for them."""
    known = {tag_slug(t) for s in segments for t in s.tags}
    return [t for t in wants if tag_slug(t) not in known]
