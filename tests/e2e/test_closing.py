"""Proposals that close the deal (issue 15): the client's choices, terms, acceptance,
revisions, as a user sees them in the built pages and the CLI's output."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from conftest import STRONG_SECRET, propgen_env, run_propgen
from propgen.links import token

MakeSite = Callable[[dict[str, str | bytes]], Path]

CLOSING = """\
title: Harbour Summit 2027
client: {name: Hafen AG, contact: Jana Krüger, email: jana@hafen.example}
prepared_on: 2026-11-10
valid_until: 2027-01-31
locale: de_DE
event: {type: conference, date: 2027-06-12, guests: 120, city: Hamburg}
budget:
  currency: EUR
  items:
    - {section: Planning, item: Full planning, price: 9000, choice: package, selected: true}
    - {section: Planning, item: Partial planning, price: 6000, choice: package}
    - {section: Catering, item: Dinner, qty: 120, qty_range: [80, 150], unit: pax, price: 45.50}
    - {section: Options, item: Live streaming, price: 1234.50, optional: true}
    - {section: Options, item: Photographer, price: 800, optional: true, selected: true}
  discount: {label: Early booking, percent: 5}
  tax: {label: MwSt, percent: 19}
packages:
  package:
    - {item: Full planning, includes: [Venue search, 6 planning meetings]}
    - {item: Partial planning, includes: [3 planning meetings]}
terms:
  included: [Planning meetings]
  excluded: [Guest travel]
  cancellation:
    - {before: 6 months, percent: 30}
    - {before: 14 days, percent: 100}
  notes: |
    Prices include **19% MwSt**.
payment_schedule:
  - {percent: 30, due: on acceptance}
  - {percent: 70, before: 14 days}
accept: {email: hello@events.example, url: https://forms.example/accept}
"""


def build(site: Path) -> str:
    result = run_propgen("build", cwd=site, env=propgen_env(PROPGEN_SECRET=STRONG_SECRET))
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr and "warning" not in result.stderr, result.stderr
    return result.stderr


def page(site: Path, slug: str) -> str:
    return (site / "output" / "p" / f"{slug}-{token(STRONG_SECRET, 'proposal', slug)}" / "index.html").read_text()


# The proposal is in German (locale: de_DE): the site's theme has a German catalog, empty, so
# its words stay English (the catalog's fallback) and no build warns that German has no words.
GERMAN = {"themes/default/locales/de/LC_MESSAGES/messages.po": 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'}


def test_a_proposal_with_every_new_field_builds_cleanly_in_its_own_locale(make_site: MakeSite) -> None:
    site = make_site({"content/proposals/harbour.yaml": CLOSING, **GERMAN})
    build(site)
    html = page(site, "harbour")
    assert '<html lang="de-DE">' in html
    # Full planning 9.000 + dinner 120 x 45,50 = 5.460 + photographer 800 = 15.260,00 €; 5 % off = 14.497,00; 19 % = 2.754,43
    assert "15.260,00\xa0€" in html
    assert "17.251,43\xa0€" in html
    assert "12. Juni 2027" in html


def test_the_page_offers_every_choice_and_shows_the_default_selection_without_javascript(make_site: MakeSite) -> None:
    site = make_site({"content/proposals/harbour.yaml": CLOSING, **GERMAN})
    build(site)
    html = page(site, "harbour")
    # the group as cards, the recommended one picked; both alternatives listed with what they include
    assert html.count('type="radio" name="choice-0"') == 2
    assert re.search(r'value="0" data-pick="0" checked', html) and not re.search(r'value="1" data-pick="1" checked', html)
    assert "6 planning meetings" in html and "3 planning meetings" in html
    # the optional lines as checkboxes, the ticked one in the total; the range as a number input
    assert re.search(r'type="checkbox" data-pick="3">', html) and re.search(r'type="checkbox" data-pick="4" checked>', html)
    assert 'min="80" max="150" step="1" value="120"' in html
    assert 'aria-live="polite"' in html
    # terms, before the acceptance, with each step's date and amount of the total
    assert html.index('id="terms"') < html.index('id="accept"')
    assert "12. Dezember 2026" in html and "5.175,43\xa0€" in html  # 30 % of 17.251,43
    assert "<strong>19% MwSt</strong>" in html
    assert '<script src="/assets/quote.js" defer></script>' in html


def test_the_acceptance_carries_the_choice_and_never_the_token(make_site: MakeSite) -> None:
    site = make_site({"content/proposals/harbour.yaml": CLOSING, **GERMAN})
    build(site)
    html = page(site, "harbour")
    version = run_propgen("proposals", "--version", "harbour", cwd=site, env=propgen_env(PROPGEN_SECRET=STRONG_SECRET))
    assert version.returncode == 0 and re.fullmatch(r"[0-9a-f]{12}\n", version.stdout)
    form = re.search(r'<form class="accept-form" data-accept method="post" action="https://forms.example/accept">(.*?)</form>', html, re.S)
    assert form is not None
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form.group(1)))
    assert fields == {
        "slug": "harbour",
        "version": version.stdout.strip(),
        "lines": "Full planning: 1\nDinner: 120 pax\nPhotographer: 1",
        "total_minor": "1725143",
        "total": "17.251,43\xa0€",
        "currency": "EUR",
        "date": "",
    }
    assert 'name="name" autocomplete="name" required data-signature' in form.group(1)
    mailto = re.search(r'href="mailto:hello@events.example\?subject=([^"&]*)&amp;body=([^"]*)"', form.group(1))
    assert mailto is not None
    body = urllib.parse.unquote(mailto.group(2))
    assert "(version " + version.stdout.strip() + ")" in body
    assert "- Full planning: 1\r\n- Dinner: 120 pax\r\n- Photographer: 1" in body and "Total: 17.251,43\xa0€ (EUR)" in body
    assert token(STRONG_SECRET, "proposal", "harbour") not in form.group(1)


def test_the_version_changes_with_the_content_and_an_unknown_slug_is_a_usage_mistake(make_site: MakeSite) -> None:
    site = make_site({"content/proposals/harbour.yaml": CLOSING, **GERMAN})
    env = propgen_env(PROPGEN_SECRET=STRONG_SECRET)
    first = run_propgen("proposals", "--version", "harbour", cwd=site, env=env).stdout
    (site / "content/proposals/harbour.yaml").write_text(CLOSING.replace("price: 45.50", "price: 46.50"))
    assert run_propgen("proposals", "--version", "harbour", cwd=site, env=env).stdout != first
    wrong = run_propgen("proposals", "--version", "harbor", cwd=site, env=env)
    assert wrong.returncode == 2
    assert wrong.stderr == "propgen: error: there is no proposal 'harbor' (hint: did you mean 'harbour'?)\n"


def version_file(slug: str, supersedes: str = "", price: int = 1000) -> str:
    line = f"supersedes: {supersedes}\n" if supersedes else ""
    return (
        f"title: Harbour {slug}\nclient: {{name: Hafen AG}}\nprepared_on: 2026-11-10\n{line}"
        f"event: {{type: gala, date: 2027-06-12}}\nbudget:\n  items:\n    - {{item: Hall, price: {price}}}\n"
        "accept: {email: hello@events.example}\n"
    )


def test_a_chain_of_three_versions_keeps_every_link_alive_and_leads_to_the_newest(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/proposals/v1.yaml": version_file("v1", price=1111),
            "content/proposals/v2.yaml": version_file("v2", "v1", price=2222),
            "content/proposals/v3.yaml": version_file("v3", "v2", price=3333),
        }
    )
    build(site)
    newest = f"/p/v3-{token(STRONG_SECRET, 'proposal', 'v3')}/"
    for old in ("v1", "v2"):
        html = page(site, old)
        assert "This proposal has been replaced by a newer version" in html
        assert f'href="{newest}"' in html
        assert "$1,111" not in html and "$2,222" not in html and "$" not in html.split("<main", 1)[1]
    assert "$3,333" in page(site, "v3")
    listing = run_propgen("proposals", cwd=site, env=propgen_env(PROPGEN_SECRET=STRONG_SECRET)).stdout
    assert listing.count("superseded:  yes, by v2") == 1 and listing.count("superseded:  yes, by v3") == 1


def test_the_calendar_carries_dated_instalments_and_cancellation_deadlines_with_stable_uids(make_site: MakeSite) -> None:
    site = make_site({"content/proposals/harbour.yaml": CLOSING, **GERMAN})
    build(site)
    folder = site / "output" / "p" / f"harbour-{token(STRONG_SECRET, 'proposal', 'harbour')}"
    calendar = (folder / "harbour.ics").read_bytes().decode("utf-8")
    events = re.findall(r"UID:(\S+)\r\n.*?DTSTART;VALUE=DATE:(\d+)\r\n.*?SUMMARY:(.*?)\r\n", calendar, re.S)
    assert [e for e in events if "-payment-" in e[0] or "-cancellation-" in e[0]] == [
        ("harbour-payment-2@events.example", "20270529", "Payment 2 of 2 due: 70% of the total"),
        ("harbour-cancellation-1@events.example", "20261212", "Cancellation terms change: from today 30% of the total stays due"),
        ("harbour-cancellation-2@events.example", "20270529", "Cancellation terms change: from today 100% of the total stays due"),
    ]
    build(site)
    assert (folder / "harbour.ics").read_bytes().decode("utf-8") == calendar
