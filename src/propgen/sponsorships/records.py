"""Sponsorship records -> `Sponsorship` models: the schema of content/sponsorships/<slug>.yaml
(docs/sponsorships.md). Every rule of the format is checked here, at its line: shares over
100, more sold than available, a suggested tier that does not exist, a prospect slug that
is no slug or is used twice, wanted tags no segment has, prices finer than the currency.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Collection
from dataclasses import dataclass, replace
from decimal import Decimal

import yaml

from ..config import Config
from ..errors import Location, Report, shorten
from ..fields import Fields
from ..guards import read_password_env, warn_example_prospectus
from ..images import StaticFiles
from ..markdown import Renderer
from ..models import Accept, Event, Money, ProposalEvent, Prospect, Segment, SponsoredEvent, Sponsorship, Tier
from ..proposals import PORTFOLIO_SIZE, PastEvents, open_with_letter, read_locale, read_portfolio
from ..sources import Pair, is_slug, suggest_slug
from .match import unknown_wants

AUTO_TAG = "sponsorship"  # `portfolio: auto` prefers past events where sponsors were matched


def read_sponsorships(
    pairs: tuple[Pair, ...],
    config: Config,
    events: list[Event],
    markdown: Renderer,
    static: StaticFiles,
    report: Report,
    failed_events: Collection[str] = (),
) -> list[Sponsorship]:
    past = PastEvents(events, failed_events)
    found = []
    for pair in pairs:
        opened = open_with_letter(pair, "sponsorship", "propgen new sponsorship TITLE", markdown, static, report)
        if opened is None:
            continue
        f, letter_html = opened
        sponsorship = read_sponsorship(f, pair.stem, config, past, letter_html)
        warn_example_prospectus(f)
        f.finish()
        if sponsorship is not None:
            found.append(sponsorship)
    return found


def read_sponsorship(f: Fields, slug: str, config: Config, past: PastEvents, letter_html: str) -> Sponsorship | None:
    title = f.text("title", required=True, example="Regional Oncology Forum 2027")
    event = _event(f.mapping("event", "event", required=True, example="{date: 2027-06-12, city: Surabaya}"), config)
    prepared_on = f.date("prepared_on", example="2026-11-20")
    valid_until = f.date("valid_until", example="2027-02-28")
    if prepared_on and valid_until and valid_until < prepared_on:
        f.error(f.node_of("valid_until"), f"valid_until {valid_until} is before prepared_on {prepared_on}", "move valid_until later")
    summary = f.text("summary", example="Two days where research meets the people it is for.") or ""
    currency = f.currency("currency", config.currency)
    tags = tuple(f.texts("tags", example="[healthcare, hybrid]"))
    audience = _audience(f.mapping("audience", "audience", required=True, example="{total: 400, segments: [...]}"))
    tiers, tier_names = _tiers(f, currency)
    accept = _accept(f.mapping("accept", "accept", required=True, example="{email: sponsors@example.com}"))
    draft = f.flag("draft", False)
    locale = read_locale(f)
    auto = f.has("portfolio") and isinstance(f.node_of("portfolio"), yaml.ScalarNode) and f.node_of("portfolio").value == "auto"
    listed = () if auto else read_portfolio(f, past, None, ())
    segments = audience[1] if audience else ()
    defaults = _Defaults(valid_until, f.location("valid_until") if valid_until else None)
    prospects = _prospects(f, config, tiers, tier_names, segments, defaults)
    if auto and event is not None:
        total = audience[0] if audience else None
        target = ProposalEvent(event.type, event.date, event.end_date, total, event.city)
        # Each prospect sees the past events closest to what it wants to reach.
        prospects = [
            replace(p, portfolio=tuple(e.slug for e in past.index.portfolio(target, (*p.wants, *tags, AUTO_TAG), PORTFOLIO_SIZE)))
            for p in prospects
        ]
    elif listed:
        prospects = [replace(p, portfolio=listed) for p in prospects]
    if title is None or event is None or audience is None or accept is None:
        return None
    return Sponsorship(
        slug=slug,
        title=title,
        source=f.source.display,
        event=event,
        total=audience[0],
        online=audience[2],
        segments=segments,
        tiers=tuple(tiers),
        prospects=tuple(prospects),
        accept=accept,
        prepared_on=prepared_on,
        summary=summary,
        letter_html=letter_html,
        draft=draft,
        locale=locale,
        locale_at=f.location("locale") if locale else None,
    )


@dataclass(frozen=True)
class _Defaults:
    """What a prospect inherits from its file."""

    valid_until: dt.date | None
    valid_until_at: Location | None


def _event(f: Fields | None, config: Config) -> SponsoredEvent | None:
    if f is None:
        return None
    default_type = "conference" if "conference" in config.event_types else config.event_types[0]
    kind = f.choice("type", list(config.event_types), default=default_type) or default_type
    date = f.date("date", required=True, example="2027-06-12")
    end_date = f.end_date("end_date", date)
    city = f.text("city", example="Surabaya") or ""
    venue = f.text("venue", example="Shangri-La Ballroom") or ""
    f.finish()
    return SponsoredEvent(kind, date, end_date, city, venue) if date else None


def _audience(f: Fields | None) -> tuple[int, tuple[Segment, ...], int | None] | None:
    if f is None:
        return None
    total = f.whole("total", required=True, minimum=1, example="400")
    online = f.whole("online", example="2500")
    segments = []
    for s in f.records("segments", "audience segment", "- {name: Oncologists, percent: 25, tags: [oncologists]}"):
        name = s.text("name", required=True, example="Oncologists")
        percent = s.decimal("percent", required=True, minimum=Decimal(0), example="25")
        seg_tags = tuple(dict.fromkeys(s.texts("tags", example="[oncologists, clinicians]")))
        if percent is not None and percent > 100:
            s.error(s.node_of("percent"), f"'{s.path}.percent' is {percent}, more than 100", "write a share of the audience from 0 to 100")
            percent = None
        s.finish()
        if name and percent is not None:
            segments.append((s.node, Segment(name, percent, seg_tags)))
    shares = sum((seg.percent for _node, seg in segments), Decimal(0))
    if shares > 100:
        f.error(
            f.node_of("segments"),
            f"the audience segments add up to {shares}% of the attendees, more than 100%",
            "lower the shares: segments are separate groups of attendees, so their shares add up to at most 100",
        )
    f.finish()
    if total is None:
        return None
    return total, tuple(seg for _node, seg in segments), online


def _tiers(f: Fields, currency: str) -> tuple[list[Tier], list[str]]:
    """The tiers read, and the names of all tiers written (one with a wrong price is still a tier a prospect may name)."""
    tiers: list[Tier] = []
    names: list[str] = []
    example = "- {name: Gold, price: 120000000, available: 3, sold: 1, benefits: [Panel seat, Booth]}"
    for t in f.records("tiers", "tier", example):
        name = t.text("name", required=True, example="Gold")
        price = t.money_amount("price", currency, required=True, example="120000000")
        available = t.whole("available", required=True, minimum=1, example="3")
        sold = t.whole("sold", example="0")
        benefits = tuple(t.texts("benefits", example="[Panel seat, Booth]"))
        if available is not None and sold is not None and sold > available:
            t.error(
                t.node_of("sold"),
                f"'{t.path}.sold' is {sold}, more than the {available} available",
                f"sold can be at most {available}; if you sold more, raise  available:  too",
            )
            sold = None
        if name and any(other.lower() == name.lower() for other in names):
            t.error(t.node_of("name"), f"there is already a tier named '{shorten(name)}'", "give each tier its own name")
            name = None
        elif name:
            names.append(name)
        t.finish()
        if name and price is not None and available is not None:
            tiers.append(Tier(name, Money(price, currency), available, sold or 0, benefits))
    if not f.has("tiers"):
        f.error(f.node, "sponsorship needs 'tiers'", f"add the packages sponsors can buy, e.g.  tiers:  then  {example}")
    return tiers, names


def _prospects(
    f: Fields, config: Config, tiers: list[Tier], names: list[str], segments: tuple[Segment, ...], defaults: _Defaults
) -> list[Prospect]:
    prospects: list[Prospect] = []
    seen: dict[str, int] = {}
    example = "- {slug: riset-kanker, name: Indonesian Cancer Research Group, wants: [patients], suggested: Gold}"
    if not f.has("prospects"):
        f.error(f.node, "sponsorship needs 'prospects'", f"add one entry per sponsor you write to, e.g.  prospects:  then  {example}")
    for index, p in enumerate(f.records("prospects", "prospect", example)):
        slug = p.text("slug", required=True, example="riset-kanker")
        name = p.text("name", required=True, example="Indonesian Cancer Research Group")
        contact = p.mapping("contact", "contact", example="{name: dr. Andi Wijaya, email: andi@example.com}")
        contact_name = contact_email = ""
        if contact is not None:
            contact_name = contact.text("name", example="dr. Andi Wijaya") or ""
            contact_email = contact.email("email") or ""
            contact.finish()
        wants = tuple(dict.fromkeys(p.texts("wants", example="[patients, east-java]")))
        suggested = p.text("suggested", example=tiers[0].name if tiers else "Gold") or ""
        note = p.text("note", example="Why this audience fits you") or ""
        valid_until = p.date("valid_until", example="2027-02-28")
        password_env = read_password_env(p, config)
        draft = p.flag("draft", False)
        locale = read_locale(p)
        if slug is not None and not is_slug(slug):
            p.error(
                p.node_of("slug"),
                f"'{shorten(slug)}' is not a valid prospect slug: it becomes part of the prospect's link",
                f"use lowercase letters, digits and hyphens, e.g.  slug: {suggest_slug(slug)}",
            )
            slug = None
        elif slug is not None and slug in seen:
            p.error(
                p.node_of("slug"),
                f"prospects[{seen[slug] + 1}] already has the slug '{slug}', and each prospect needs its own link",
                f"give this prospect another slug, e.g.  slug: {slug}-2",
            )
            slug = None
        elif slug is not None:
            seen[slug] = index
        if suggested and names and suggested not in names:
            close = difflib.get_close_matches(suggested, names, n=1, cutoff=0.5)
            hint = f"did you mean '{close[0]}'?" if close else f"use one of the tiers: {', '.join(names)}"
            p.error(p.node_of("suggested"), f"'{shorten(suggested)}' is not one of this sponsorship's tiers", hint)
            suggested = ""
        tier = next((t for t in tiers if t.name == suggested), None)
        if tier is not None and tier.left == 0:
            p.source.report.warning(
                p.location("suggested"),
                f"the tier suggested to {name or 'this prospect'}, {tier.name}, is sold out; the page shows it as sold out",
                "suggest a tier that is still available, or leave it if you want them to see it sold out",
                strict=False,  # a tier sells out after the link was sent: the page is right, a daily --strict build must publish it
            )
        for tag in unknown_wants(segments, wants) if segments else ():
            node = next((n for n in p.items("wants") if isinstance(n, yaml.ScalarNode) and str(n.value).strip() == tag), p.node)
            known = sorted({t for s in segments for t in s.tags})
            close = difflib.get_close_matches(tag, known, n=1, cutoff=0.5)
            hint = f"did you mean '{close[0]}'?" if close else f"tags of the audience segments: {', '.join(known)}"
            p.warning(node, f"no audience segment has the tag '{shorten(tag)}', so nothing matches it on this prospect's page", hint)
        p.finish()
        if slug and name:
            own = valid_until is not None
            prospects.append(
                Prospect(
                    slug=slug,
                    name=name,
                    wants=wants,
                    suggested=suggested,
                    note=note,
                    contact_name=contact_name,
                    contact_email=contact_email,
                    valid_until=valid_until if own else defaults.valid_until,
                    valid_until_at=p.location("valid_until") if own else defaults.valid_until_at,
                    draft=draft,
                    password_env=password_env,
                    password_at=p.location("password_env") if password_env else None,
                    at=p.location(),
                    locale=locale,
                    locale_at=p.location("locale") if locale else None,
                )
            )
    return prospects


def _accept(f: Fields | None) -> Accept | None:
    if f is None:
        return None
    accept = Accept(email=f.email("email") or "", url=f.url("url") or "")
    if not f.has("email") and not f.has("url"):
        f.error(f.node, "'accept' needs an 'email', a 'url', or both", "e.g.  accept: {email: sponsors@example.com}")
    f.finish()
    return accept if accept.email or accept.url else None
