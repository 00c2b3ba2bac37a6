"""The template context of a prospect's page and of a sponsorship's team overview
(documented in docs/themes.md and docs/sponsorships.md). Like `proposal_view`, plain dicts
with money as `Money` for the `money` filter; the audience chart's geometry is worked out
here, so the template only draws it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..models import Money, Prospectus, Sponsorship
from ..urls import Urls
from .match import Match, audience_match, head_counts

CHART_WIDTH = 340  # the bars' full length in the SVG's own units (a share of 100%)
VERSION_DIGITS = 12
_NOT_CONTENT = {"source", "at", "valid_until_at", "password_at", "locale_at", "prospects"}  # where it was written, not what it says


def version(prospectus: Prospectus) -> str:
    """First 12 hex digits of the SHA-256 of the page's canonical content: the sponsorship
    (without its other prospects) and this prospect as sorted JSON. An acceptance that
    carries it says which prices, availability and audience the sponsor saw."""
    data = {
        "sponsorship": _canonical(dataclasses.asdict(prospectus.sponsorship)),
        "prospect": _canonical(dataclasses.asdict(prospectus.prospect)),
    }
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:VERSION_DIGITS]


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items() if k not in _NOT_CONTENT}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def _event(s: Sponsorship) -> dict[str, Any]:
    e = s.event
    return {"type": e.type, "date": e.date, "end_date": e.end_date, "city": e.city, "venue": e.venue}


def audience_view(s: Sponsorship, match: Match) -> dict[str, Any]:
    rows = []
    for index, row in enumerate(match.rows):
        rows.append(
            {
                "name": row.segment.name,
                "percent": row.segment.percent,
                "people": row.people,
                "tags": list(row.segment.tags),
                "matches": row.matches,
                "bar": _length(row.segment.percent),
                "index": index,
            }
        )
    named = sum((seg.percent for seg in s.segments), Decimal(0))
    rest = Decimal(100) - named
    rest_people = s.total - sum(r.people for r in match.rows) if rest > 0 else 0
    return {
        "total": s.total,
        "online": s.online,
        "segments": rows,
        "rest": {"percent": rest, "people": rest_people} if rest > 0 else None,
        "chart": {"width": CHART_WIDTH, "row": 52, "height": 52 * len(rows) + 8},
        "match": {"percent": match.percent, "people": match.people, "any": bool(match.matched)},
    }


def _length(percent: Decimal) -> Decimal:
    return (Decimal(CHART_WIDTH) * percent / 100).quantize(Decimal("0.1"))


def prospect_view(prospectus: Prospectus, path: str, urls: Urls, events: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """`path` is the prospect's secret site path; `events` the public event views by slug."""
    s, p = prospectus.sponsorship, prospectus.prospect
    match = audience_match(s.total, s.segments, p.wants)
    suggested = next((t for t in s.tiers if t.name == p.suggested), None)
    return {
        "slug": s.slug,
        "title": s.title,
        "summary": s.summary,
        "url": urls.page(path),
        "prepared_on": s.prepared_on,
        "valid_until": p.valid_until,
        "event": _event(s),
        "audience": audience_view(s, match),
        "tiers": [
            {
                "name": t.name,
                "price": t.price,
                "benefits": list(t.benefits),
                "available": t.available,
                "sold": t.sold,
                "left": t.left,
                "sold_out": t.left == 0,
                "suggested": t.name == p.suggested,
                "field_id": f"tier-{index + 1}",
            }
            for index, t in enumerate(s.tiers)
        ],
        "suggested": {"name": suggested.name, "sold_out": suggested.left == 0} if suggested else None,
        "prospect": {
            "slug": p.slug,
            "name": p.name,
            "contact": p.contact_name,
            "wants": list(p.wants),
            "note": p.note,
        },
        "portfolio": [events[slug] for slug in p.portfolio if slug in events],
        "letter_html": prospectus.letter_html,
        "accept": {"email": s.accept.email, "url": s.accept.url},
        "version": version(prospectus),
        "protected": prospectus.protected,
        "draft": prospectus.draft,
    }


def expired_view(prospectus: Prospectus) -> dict[str, Any]:
    """All an expired prospect's page may show: no prices, nothing at all when it is protected."""
    protected = prospectus.protected
    return {"title": "" if protected else prospectus.title, "valid_until": None if protected else prospectus.valid_until}


def overview_view(s: Sponsorship, links: Mapping[str, str], today: dt.date) -> dict[str, Any]:
    """The team's page: every prospect with its link (`links`: prospect slug -> its page's URL)."""
    counts = head_counts(s.total, [seg.percent for seg in s.segments])
    prospects = []
    for p in s.prospects:
        match = audience_match(s.total, s.segments, p.wants)
        prospectus = Prospectus(s, p)
        tier = next((t for t in s.tiers if t.name == p.suggested), None)
        prospects.append(
            {
                "slug": p.slug,
                "name": p.name,
                "contact": p.contact_name,
                "email": p.contact_email,
                "wants": list(p.wants),
                "suggested": p.suggested,
                "suggested_left": tier.left if tier else None,
                "match": {"percent": match.percent, "people": match.people},
                "url": links.get(p.slug, ""),
                "valid_until": p.valid_until,
                "expired": prospectus.expired(today),
                "protected": prospectus.protected,
                "draft": prospectus.draft,
                "version": version(prospectus),
            }
        )
    return {
        "slug": s.slug,
        "title": s.title,
        "event": _event(s),
        "total": s.total,
        "online": s.online,
        "segments": [{"name": seg.name, "percent": seg.percent, "people": n} for seg, n in zip(s.segments, counts, strict=True)],
        "tiers": [
            {"name": t.name, "price": t.price, "available": t.available, "sold": t.sold, "left": t.left, "sold_out": t.left == 0}
            for t in s.tiers
        ],
        "sold": Money(sum((t.price.amount * t.sold for t in s.tiers), Decimal(0)), s.tiers[0].price.currency) if s.tiers else None,
        "prospects": prospects,
    }
