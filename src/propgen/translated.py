"""Translated fields of a record: `title: {id: ..., en: ...}`, or plain `title: ...` for
every language. One reader for every translatable field, so the rule (the first language
is required, the others fall back to it, unknown codes are named) lives in one place."""

from __future__ import annotations

import difflib

import yaml

from .errors import shorten
from .fields import Fields

ONE_LANGUAGE = object()  # a map of languages on a site with one: reported, and read as absent
Others = dict[str, str]  # language code -> text, for the languages after the first that were written
OtherLists = dict[str, list[str]]


def _languages(f: Fields, key: str, codes: tuple[str, ...], example: str) -> Fields | object | None:
    """The per-language map of `key`, its codes checked; None when `key` is not a map (or the
    site has one language, where a map is reported by the plain reader as the wrong kind)."""
    node = f.values.get(key, (None, None))[1]
    if not isinstance(node, yaml.MappingNode):
        return None
    if not codes:
        f.known.append(key)
        f.error(
            node,
            f"'{f.path + '.' if f.path else ''}{key}' is written per language, but the site has one language",
            f"write it on one line, e.g.  {key}: {example}  or list the site's languages in propgen.yaml, e.g.  languages: [id, en]",
        )
        return ONE_LANGUAGE
    sub = f.mapping(key, f"'{key}' in each language", example=f"{{{codes[0]}: {example}}}")
    if sub is None:
        return None
    for code in list(sub.values):
        if code not in codes:
            close = difflib.get_close_matches(code, codes, n=1)
            sub.error(
                sub.values[code][0],
                f"'{shorten(code)}' in '{sub.path}' is not one of the site's languages ({', '.join(codes)})",
                f"did you mean '{close[0]}'?" if close else f"add it to  languages:  in propgen.yaml, or use one of: {', '.join(codes)}",
            )
            sub.known.append(code)
    if codes[0] not in sub.values:
        sub.error(
            sub.node,
            f"'{sub.path}' has no text in {codes[0]}, the site's first language",
            f"add  {codes[0]}: ...;  the other languages show it where they have no text of their own",
        )
    return sub


def text(f: Fields, key: str, codes: tuple[str, ...], required: bool = False, example: str = "...") -> tuple[str | None, Others]:
    """The first language's text of `key` and the other languages' own texts."""
    sub = _languages(f, key, codes, example)
    if sub is ONE_LANGUAGE:
        return None, {}
    if not isinstance(sub, Fields):
        return f.text(key, required=required, example=example), {}
    found = {code: sub.text(code, required=required, example=example) for code in codes if code in sub.values}
    sub.finish()
    return found.pop(codes[0], None), {code: value for code, value in found.items() if value}


def texts(f: Fields, key: str, codes: tuple[str, ...], example: str = "[one, two]") -> tuple[list[str], OtherLists]:
    """A list of lines, the same in every language or one list per language."""
    sub = _languages(f, key, codes, example)
    if sub is ONE_LANGUAGE:
        return [], {}
    if not isinstance(sub, Fields):
        return f.texts(key, example=example), {}
    found = {code: sub.texts(code, example=example) for code in codes if code in sub.values}
    sub.finish()
    return found.pop(codes[0], []), found
