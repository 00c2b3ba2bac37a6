"""Creating files for the user: `propgen init` (a starter site) and `propgen new`."""

from __future__ import annotations

import datetime as dt
import shutil
from importlib.resources import files
from pathlib import Path

import yaml

from .config import DEFAULT_EVENT_TYPES
from .sources import suggest_slug

STARTER = Path(str(files("propgen") / "starter"))

EVENT_RECORD = """\
# The record of one past event. Every field is described in docs/content.md.
title: {title}
type: {type}                      # one of: {types}
date: {date}                # first day, YYYY-MM-DD
# end_date: {date}          # last day, if it ran over several days
summary: {title} in one line for cards and search results.
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

PAGE = """\
---
title: {title}
# menu: 4            # position in the navigation; leave out to keep it out of the menu
# description: One sentence for search results.
---

Write the page here in Markdown.
"""


def init_site(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(STARTER, folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _site_event_types(root: Path) -> list[str]:
    try:
        data = yaml.safe_load((root / "propgen.yaml").read_text(encoding="utf-8")) or {}
        types = data.get("event_types") if isinstance(data, dict) else None
    except (OSError, yaml.YAMLError):
        types = None
    return [str(t) for t in types] if isinstance(types, list) and types else list(DEFAULT_EVENT_TYPES)


def new_content(root: Path, kind: str, title: str, today: dt.date) -> list[Path]:
    """Create the files for a new event or page; FileExistsError names a file in the way."""
    slug = suggest_slug(title)
    quoted = title if title.replace(" ", "").isalnum() else '"' + title.replace('"', '\\"') + '"'
    if kind == "event":
        folder = root / "content" / "events"
        targets = {
            folder / f"{slug}.yaml": EVENT_RECORD.format(
                title=quoted, type=_site_event_types(root)[0], types=", ".join(_site_event_types(root)), date=today.isoformat(), slug=slug
            ),
            folder / f"{slug}.md": EVENT_WRITEUP,
        }
    else:
        folder = root / "content" / "pages"
        targets = {folder / f"{slug}.md": PAGE.format(title=quoted)}
    for path in targets:
        if path.exists() or (path.with_suffix(".md" if path.suffix == ".yaml" else ".yaml").exists() and kind == "event"):
            raise FileExistsError(str(path))
    folder.mkdir(parents=True, exist_ok=True)
    for path, text in targets.items():
        path.write_text(text, encoding="utf-8")
    return list(targets)
