"""The template context of a proposal page: a view of one `Proposal` made for themes
(documented in docs/themes.md). Money stays `Money` for the `money` filter, with integer
minor units beside the totals for scripts (interactive quotes)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .models import Money, Package, Proposal
from .money import BudgetLine, Charge, Offer, cancellation_amounts, has_cents, script_data, to_minor_units
from .routes import calendar_name
from .urls import Urls


def _money(amount: Decimal, currency: str) -> Money:
    return Money(amount, currency)


def budget_view(offer: Offer, locale: str, packages: dict[str, tuple[Package, ...]]) -> dict[str, Any]:
    """The default selection, every line (taken or not) with its controls, and the script's data."""
    cur = offer.currency
    chosen = offer.default()
    quote = offer.quote(chosen)
    figures = offer.figures(chosen)
    includes = {(group, p.item): p.includes for group, items in packages.items() for p in items}

    def line(index: int, item: BudgetLine) -> dict[str, Any]:
        qty = chosen[index]
        return {
            "index": index,
            "item": item.item,
            "section": item.section,
            "qty": qty if qty is not None else item.qty,
            "unit": item.unit,
            "price": _money(item.price, cur),
            "amount": _money((qty if qty is not None else item.qty) * item.price, cur),
            "taken": qty is not None,
            "optional": item.optional,
            "choice": item.choice,
            "range": item.qty_range,
            "recommended": item.selected,
            "includes": list(includes.get((item.choice, item.item), ())),
        }

    lines = [line(i, item) for i, item in enumerate(offer.lines)]
    totals = offer.section_totals(chosen)
    groups: dict[str, list[dict[str, Any]]] = {}
    for view in lines:
        if view["choice"]:
            groups.setdefault(view["choice"], []).append(view)

    def charge(c: Charge | None) -> dict[str, Any] | None:
        return {"label": c.label, "percent": c.percent, "amount": _money(c.amount, cur)} if c else None

    return {
        "currency": cur,
        "sections": [
            {"name": name, "index": k, "lines": [v for v in lines if v["section"] == name], "subtotal": _money(totals[k], cur)}
            for k, name in enumerate(offer.sections())
        ],
        "groups": [{"name": name, "lines": members} for name, members in groups.items()],
        "interactive": any(v["optional"] or v["choice"] or v["range"] for v in lines),
        "chosen": [v for v in lines if v["taken"]],
        "subtotal": _money(quote.subtotal, cur),
        "discount": charge(quote.discount),
        "service": charge(quote.service),
        "tax": charge(quote.tax),
        "total": _money(quote.total, cur),
        "total_minor": to_minor_units(quote.total, cur),
        "optional": [v for v in lines if v["optional"]],
        "cents": has_cents(offer, figures),
        "script": script_data(offer, locale),
        "cancellation": [_money(x, cur) for x in cancellation_amounts(quote.total, offer.cancellation, cur)],
    }


def proposal_view(p: Proposal, path: str, urls: Urls, events: Mapping[str, dict[str, Any]], locale: str) -> dict[str, Any]:
    """`path` is the proposal's (secret) site path; `events` the public event views by slug;
    `locale` the one its money is formatted in (the script formats as the server does)."""
    quote = p.quote
    budget = budget_view(p.offer, locale, dict(p.packages)) if p.offer else None
    terms = p.terms
    return {
        "slug": p.slug,
        "title": p.title,
        "url": urls.page(path),
        "client": {"name": p.client.name, "contact": p.client.contact, "email": p.client.email},
        "prepared_on": p.prepared_on,
        "valid_until": p.valid_until,
        "event": {
            "type": p.event.type,
            "date": p.event.date,
            "end_date": p.event.end_date,
            "guests": p.event.guests,
            "city": p.event.city,
            "formality": p.event.formality,
        },
        "needs": list(p.needs),
        "venues": [
            {"name": v.name, "capacity": v.capacity, "price": v.price, "notes": v.notes, "recommended": v.recommended} for v in p.venues
        ],
        "schedule": [{"day": d.day, "entries": [{"time": i.time, "title": i.title} for i in d.items]} for d in p.schedule],
        "timeline": [{"task": m.task, "date": m.date, "before": m.before} for m in p.timeline],
        "budget": budget,
        "payments": [{"percent": i.percent, "amount": _money(i.amount, quote.currency), "due": i.due, "date": i.date} for i in p.payments]
        if quote
        else [],
        "portfolio": [events[slug] for slug in p.portfolio if slug in events],
        "accept": {"email": p.accept.email, "url": p.accept.url, "signature": p.accept.signature},
        "version": p.version,
        "terms": {
            "included": list(terms.included),
            "excluded": list(terms.excluded),
            "cancellation": [
                {"before": step.before, "date": step.date, "percent": step.percent, "amount": budget["cancellation"][i] if budget else None}
                for i, step in enumerate(terms.cancellation)
            ],
            "notes_html": terms.notes_html,
        }
        if terms
        else None,
        "letter_html": p.letter_html,
        "calendar": {"name": calendar_name(p), "url": urls.page(path + calendar_name(p))},
        "protected": p.protected,
        "draft": p.draft,
    }


def expired_view(p: Proposal) -> dict[str, Any]:
    """All an expired page may show; nothing at all of a protected proposal."""
    return {"title": "" if p.protected else p.title, "valid_until": None if p.protected else p.valid_until}


def superseded_view(p: Proposal, newest: Proposal, url: str) -> dict[str, Any]:
    """A replaced proposal's page: what it was and where the newer version is; no prices.
    (A protected one is shown only after its password, like the proposal itself.)"""
    return {
        "title": p.title,
        "prepared_on": p.prepared_on,
        "client": {"name": p.client.name},
        "newer": {"title": newest.title, "prepared_on": newest.prepared_on, "url": url},
        "calendar": {"url": ""},  # render.py's locked pages set it for every proposal
    }
