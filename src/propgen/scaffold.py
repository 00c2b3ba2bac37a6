"""Creating files for the user: `propgen init` (a starter site) and `propgen new`."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from importlib.resources import files
from pathlib import Path

import yaml

from .config import DEFAULT_EVENT_TYPES
from .errors import Report
from .guards import EXAMPLE_EMAIL, EXAMPLE_LINE, EXAMPLE_NEED, EXAMPLE_PROSPECT, EXAMPLE_SUMMARY
from .sources import suggest_slug
from .walk import checked, real, refusal, shown_under

STARTER = Path(str(files("propgen") / "starter"))
STARTER_ID = Path(str(files("propgen") / "starter_id"))  # the starter's files whose words are Indonesian

EVENT_RECORD = """\
# The record of one past event. Every field is described in docs/content.md.
title: {title}
type: {type}                      # one of: {types}
date: {date}                # first day, YYYY-MM-DD
# end_date: {date}          # last day, if it ran over several days
summary: One line about this event for cards and search results.
# venue: {{name: Grand Ballroom, city: Jakarta, country: Indonesia}}
# client: {{name: PT Example, public: false}}   # public: false hides the name
# guests: 120
# budget: {{amount: 250000000, currency: IDR, public: false}}
# services: [venue selection, catering]
# vendors:
#   - {{name: Rasa Catering, role: catering, url: https://rasa.example}}
# highlights: [What you are proud of]
# gallery:
#   - {{src: images/{slug}/photo.jpg, alt: What the photo shows}}
# testimonial: {{quote: "...", author: Name, role: Role}}
# tags: [outdoor]
featured: false
draft: true                       # set to false when it is ready to publish
"""

EVENT_WRITEUP = """\
## What the client needed

## The venue

## Food and beverage

## Vendors

## The schedule

## What went wrong, and how we handled it
"""

PROPOSAL = """\
# A proposal for one prospect. It is published at a secret link: run  propgen proposals
# to see it. Every field is described in docs/content.md; remove the ones you do not need.
title: {title_yaml}
client: {{name: {client_yaml}}}          # add contact: and email: if you like
{locale_line}prepared_on: {today}
valid_until: {valid}            # after this date the page only says it has expired
event:
  type: {type}                  # one of: {types}
  date: {event_date}
  # end_date: {event_date}
  # guests: 100
  # city: Jakarta
  # formality: business
# tags: [hybrid]                # helps portfolio: auto pick similar past events
needs:
  - {example_need}
# venues:
#   - {{name: Grand Ballroom, capacity: 300, price: 150000000, notes: "Why it fits", recommended: true}}
#   - {{name: Garden Hall, capacity: 200, price: 90000000}}
# schedule:                     # run of show
#   - day: {event_date}
#     items:
#       - {{time: "09:00", title: Guests arrive}}
timeline:                       # planning milestones: before the event, or on a date
  - {{before: 3 months, task: {task_venue}}}
  - {{before: 2 weeks, task: {task_guests}}}
budget:
  # currency: IDR               # defaults to the site currency
  items:
    - {{section: {section}, item: {example_item}, qty: 1, price: {example_price}}}
    # - {{section: Options, item: Live streaming, qty: 1, price: 500, optional: true}}
  # discount: {{label: Early booking, percent: 5}}   # or {{label: ..., amount: 100}}
  # service_charge: {{label: Service, percent: 10}}
  # tax: {{label: VAT, percent: 11}}
payment_schedule:               # percentages add up to 100
  - {{percent: 50, due: {due}}}
  - {{percent: 50, before: 7 days}}
portfolio: auto                 # or a list of event file names
accept: {{email: {email}}}       # and/or url: https://...
# password_env: CLIENT_PROPOSAL_PASSWORD   # protect the page with the password in this variable
"""

SPONSORSHIP = """\
# A sponsorship prospectus: one private page per prospective sponsor, each at its own secret
# link (propgen proposals lists them). The format and the workflow: docs/sponsorships.md.
title: {title}
event: {{date: {event_date}, city: Jakarta, venue: Grand Ballroom}}   # add end_date: if it runs several days
prepared_on: {today}
valid_until: {valid}             # after this date each page only says it has expired
summary: {example_summary}
# tags: [healthcare]             # helps portfolio: auto pick past events where you matched sponsors
audience:
  total: 300                     # expected attendees
  # online: 1000                 # stream viewers
  segments:                      # who attends; the shares add up to at most 100
    - {{name: Decision makers, percent: 40, tags: [executives]}}
    - {{name: Practitioners, percent: 60, tags: [practitioners]}}
tiers:                           # sold may not exceed available; price in the site currency
  - {{name: Gold, price: 100000000, available: 2, sold: 0, benefits: [Keynote slot, Booth]}}
  - {{name: Booth, price: 25000000, available: 10, sold: 0, benefits: [3 x 2 m booth]}}
prospects:                       # one page each; slug is part of its link
  - slug: first-prospect
    name: {example_prospect}
    contact: {{name: Their contact, email: contact@sponsor.example}}
    wants: [executives]          # audience tags this sponsor wants to reach
    suggested: Gold              # one of the tiers
    note: {example_note}
    # password_env: FIRST_PROSPECT_PASSWORD   # protect this prospect's page with a password
portfolio: auto                  # or a list of event file names
accept: {{email: {email}}}        # and/or url: https://... (receives the chosen tier)
"""

PAGE = """\
---
title: {title}
# menu: 4            # position in the navigation; leave out to keep it out of the menu
# description: One sentence for search results.
# services:          # offers shown as cards above the text (a Services page)
#   - name: Full planning
#     summary: From the first call to the last guest home.
#     includes: [Venue search, Budget, Vendors]
#     from: 50000000 # the price it starts from, in the site's currency; leave out for none
---

Write the page here in Markdown.
"""


# The built site holds every proposal at its secret link, and so do propgen's working files
# beside it (.propgen-output.new/ while a build writes, .propgen-cache/ ...): none belongs in
# the site's repository, where `git add -A` would otherwise pick them up. The marker inside an
# output stays committable, for an output kept in the repository (e.g. --out docs).
GITIGNORE = """\
# Made by propgen init. The built site and propgen's working files are made again by every
# build, and hold every proposal's secret link: never commit them.
/output/
.propgen-*
!.propgen-output
"""


GITIGNORE_ID = """\
# Dibuat oleh propgen init. Situs hasil build dan berkas kerja propgen dibuat ulang oleh setiap
# build, dan memuat tautan rahasia setiap proposal: jangan pernah di-commit.
/output/
.propgen-*
!.propgen-output
"""


def init_site(folder: Path, locale: str = "") -> list[Path]:
    """A starter site: English, or Indonesian for a `locale` of Indonesian (`starter_id/` holds
    the files whose words differ: settings, the example event, the pages). Another locale gets
    the English words with its code in `locale:`, which the build then formats by."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(STARTER, folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    indonesian = re.split(r"[_-]", locale)[0] == "id"
    if indonesian:
        shutil.copytree(STARTER_ID, folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    if locale and locale not in ("en", "id"):
        settings = folder / "propgen.yaml"
        written = settings.read_text(encoding="utf-8")
        aligned = re.sub(
            r"(?m)^locale: \S+ *", lambda m: f"locale: {locale} ".ljust(len(m[0])), written, count=1
        )  # its comment stays in line
        settings.write_text(aligned, encoding="utf-8")
    (folder / ".gitignore").write_text(GITIGNORE_ID if indonesian else GITIGNORE, encoding="utf-8")
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _settings(root: Path) -> dict[str, object]:
    """propgen.yaml loosely read, for defaults in scaffolds (validation happens at build); not
    through a link that leaves the site (walk.py), which the build reports."""
    if refusal(root / "propgen.yaml", real(root)) is not None:
        return {}
    try:
        data = yaml.safe_load((root / "propgen.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def _site_event_types(root: Path) -> list[str]:
    types = _settings(root).get("event_types")
    return [str(t) for t in types] if isinstance(types, list) and types else list(DEFAULT_EVENT_TYPES)


def _site_email(root: Path) -> str:
    coordinator = _settings(root).get("coordinator")
    email = coordinator.get("email") if isinstance(coordinator, dict) else None
    return str(email) if email else EXAMPLE_EMAIL


# The words of the proposal template that reach the client as they are (the example need and
# line are warned about until replaced: guards.py), in the languages the built-in theme speaks.
PROPOSAL_WORDS = {
    "en": {
        "title": "{title} event proposal",
        "letter": "Dear {title},\n\nThank you for telling us about your event.\n",
        "task_venue": "Sign the venue contract",
        "task_guests": "Final guest count",
        "section": "Coordination",
        "due": "on acceptance",
    },
    "id": {
        "title": "Proposal acara {title}",
        "letter": "Yth. {title},\n\nTerima kasih telah menceritakan rencana acara Bapak/Ibu kepada kami.\n",
        "task_venue": "Tanda tangan kontrak venue",
        "task_guests": "Konfirmasi jumlah tamu",
        "section": "Koordinasi",
        "due": "saat persetujuan",
    },
}


def _proposal_words(root: Path, locale: str) -> dict[str, str]:
    """The template's words in the proposal's language: `--locale`, else the site's first
    language or locale; English for a language the template has no words in."""
    settings = _settings(root)
    languages = settings.get("languages")
    first = languages[0] if isinstance(languages, list) and languages else settings.get("locale")
    language = re.split(r"[_-]", str(locale or first or "en"))[0].lower()
    return PROPOSAL_WORDS.get(language, PROPOSAL_WORDS["en"])


def new_content(root: Path, kind: str, title: str, today: dt.date, report: Report, locale: str = "") -> list[Path]:
    """Create the files for a new event, page, proposal or sponsorship; FileExistsError names a
    file in the way. `locale` writes a proposal in another language than the site's. A folder
    on the way that the build would refuse (walk.py: a link out of the site, or to nothing) is
    reported and nothing is written: the new file would land where no build reads it."""
    slug = suggest_slug(title)
    quoted = json.dumps(title, ensure_ascii=False)  # a JSON string is a valid YAML scalar, whatever the title holds
    if kind == "event":
        folder = root / "content" / "events"
        targets = {
            folder / f"{slug}.yaml": EVENT_RECORD.format(
                title=quoted, type=_site_event_types(root)[0], types=", ".join(_site_event_types(root)), date=today.isoformat(), slug=slug
            ),
            folder / f"{slug}.md": EVENT_WRITEUP,
        }
    elif kind == "proposal":
        folder = root / "content" / "proposals"
        types = _site_event_types(root)
        words = _proposal_words(root, locale)
        targets = {
            folder / f"{slug}.yaml": PROPOSAL.format(
                title_yaml=json.dumps(words["title"].replace("{title}", title), ensure_ascii=False),
                task_venue=words["task_venue"],
                task_guests=words["task_guests"],
                section=words["section"],
                due=words["due"],
                client_yaml=quoted,
                locale_line=f"locale: {locale}                      # this proposal's language and formats\n" if locale else "",
                today=today.isoformat(),
                valid=(today + dt.timedelta(days=60)).isoformat(),
                event_date=(today + dt.timedelta(days=180)).isoformat(),
                type=types[0],
                types=", ".join(types),
                email=_site_email(root),
                example_need=EXAMPLE_NEED,
                example_item=EXAMPLE_LINE[0],
                example_price=EXAMPLE_LINE[1],
            ),
            folder / f"{slug}.md": words["letter"].replace("{title}", title),
        }
    elif kind == "sponsorship":
        folder = root / "content" / "sponsorships"
        targets = {
            folder / f"{slug}.yaml": SPONSORSHIP.format(
                title=quoted,
                today=today.isoformat(),
                valid=(today + dt.timedelta(days=90)).isoformat(),
                event_date=(today + dt.timedelta(days=240)).isoformat(),
                email=_site_email(root),
                example_summary=EXAMPLE_SUMMARY,
                example_prospect=EXAMPLE_PROSPECT[0],
                example_note=EXAMPLE_PROSPECT[1],
            )
        }
    else:
        folder = root / "content" / "pages"
        targets = {folder / f"{slug}.md": PAGE.format(title=quoted)}
    site = real(root)
    for place in (root / "content", folder):
        if os.path.lexists(place) and not checked(place, shown_under(root, place.relative_to(root).as_posix()), site, report):
            return []
    for path in targets:
        other = path.with_suffix(".md" if path.suffix == ".yaml" else ".yaml")
        if os.path.lexists(path) or (os.path.lexists(other) and kind in ("event", "proposal")):  # a link to nothing is in the way too
            raise FileExistsError(str(path))
    folder.mkdir(parents=True, exist_ok=True)
    for path, text in targets.items():
        path.write_text(text, encoding="utf-8")
    return list(targets)
