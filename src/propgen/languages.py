"""The site in each of its languages: the model seen in one language, so every later stage
(routes, contexts, templates) works on one language at a time, as on a one-language site.

A field written for a language shows in it; one that is not shows the first language's
words. A page or write-up with no translation shows the first language's text, marked with
its language (`Page.lang`, `Event.body_lang`) so the page can say so and set `lang`.
"""

from __future__ import annotations

from dataclasses import replace

from .config import Language
from .models import Event, Page, Site


def localized_sites(site: Site) -> list[tuple[Language, Site]]:
    """The site in each language after the first (the first is `site` itself); [] in one language."""
    return [(language, localize(site, language)) for language in site.config.languages[1:]]


def localize(site: Site, language: Language) -> Site:
    first = site.config.languages[0].code
    intro = {code: (title, html) for code, title, html in site.intro_translations}
    title, html = intro.get(language.code, (site.intro_title, site.intro_html))
    untranslated = bool(site.intro_html) and language.code not in intro
    coordinator = site.config.coordinator
    tagline = dict(coordinator.taglines).get(language.code, coordinator.tagline)
    return replace(
        site,
        config=replace(site.config, coordinator=replace(coordinator, tagline=tagline)),
        events=tuple(_event(e, language.code, first) for e in site.events),
        pages=tuple(_page(p, language.code, first) for p in site.pages),
        intro_title=title,
        intro_html=html,
        intro_lang=first if untranslated else "",
    )


def _event(event: Event, code: str, first: str) -> Event:
    words = dict(event.translations).get(code)
    if words is None:
        return event
    body = words.body_html
    return replace(
        event,
        title=words.title,
        summary=words.summary,
        services=words.services,
        highlights=words.highlights,
        testimonial=words.testimonial,
        gallery=words.gallery,
        cover=words.cover,
        body_html=event.body_html if body is None else body,
        body_lang=first if body is None and event.body_html else "",
    )


def _page(page: Page, code: str, first: str) -> Page:
    translation = dict(page.translations).get(code)
    if translation is None:
        return replace(page, lang=first)
    return replace(translation, menu=page.menu, translations=())
