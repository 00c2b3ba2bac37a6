"""The template context of a proposal page: a view of one `Proposal` made for themes
(documented in docs/themes.md). Money stays `Money` for the `money` filter, with integer
minor units beside the totals for scripts (interactive quotes)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .models import Money, Proposal
from .money import BudgetLine, Charge, Quote, to_minor_units
from .routes import calendar_name
from .urls import Urls


def _money(amount: Decimal, currency: str) -> Money:
    return Money(amount, currency)


def has_cents(quote: Quote, payments: list[Decimal]) -> bool:
    """Whether any amount of the quote has a fraction: then all of them show one."""
    charges = [c.amount for c in (quote.discount, quote.service, quote.tax) if c]
    lines = [x for line in (*quote.lines, *quote.optional) for x in (line.price, line.amount)]
    return any(a != a.to_integral_value() for a in (*lines, *charges, *payments, quote.subtotal, quote.total))


def budget_view(quote: Quote, payments: list[Decimal]) -> dict[str, Any]:
    cur = quote.currency

    def line(item: BudgetLine) -> dict[str, Any]:
        return {
            "item": item.item,
            "section": item.section,
            "qty": item.qty,
            "unit": item.unit,
            "price": _money(item.price, cur),
            "amount": _money(item.amount, cur),
            "amount_minor": to_minor_units(item.amount, cur),
        }

    def charge(c: Charge | None) -> dict[str, Any] | None:
        return {"label": c.label, "percent": c.percent, "amount": _money(c.amount, cur)} if c else None

    return {
        "currency": cur,
        "sections": [
            {"name": name, "lines": [line(i) for i in lines], "subtotal": _money(total, cur)} for name, lines, total in quote.sections()
        ],
        "subtotal": _money(quote.subtotal, cur),
        "discount": charge(quote.discount),
        "service": charge(quote.service),
        "tax": charge(quote.tax),
        "total": _money(quote.total, cur),
        "total_minor": to_minor_units(quote.total, cur),
        "optional": [line(i) for i in quote.optional],
        "cents": has_cents(quote, payments),
    }


def proposal_view(p: Proposal, path: str, urls: Urls, events: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """`path` is the proposal's (secret) site path; `events` the public event views by slug."""
    quote = p.quote
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
        "budget": budget_view(quote, [i.amount for i in p.payments]) if quote else None,
        "payments": [{"percent": i.percent, "amount": _money(i.amount, quote.currency), "due": i.due, "date": i.date} for i in p.payments]
        if quote
        else [],
        "portfolio": [events[slug] for slug in p.portfolio if slug in events],
        "accept": {"email": p.accept.email, "url": p.accept.url},
        "letter_html": p.letter_html,
        "calendar": {"name": calendar_name(p), "url": urls.page(path + calendar_name(p))},
        "protected": p.protected,
        "draft": p.draft,
    }


def expired_view(p: Proposal) -> dict[str, Any]:
    """All an expired page may show; nothing at all of a protected proposal."""
    return {"title": "" if p.protected else p.title, "valid_until": None if p.protected else p.valid_until}
