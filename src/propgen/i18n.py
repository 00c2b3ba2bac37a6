"""Catalogs and the locale rules that need them: which translation a page gets, date
ranges and unit plurals from CLDR and the catalog, event type labels.

Catalogs stay `.po` files in the repository and are compiled here, at load, with Babel
(once per file version and process): there is no compile step to forget, a designer's
edit shows on the next build, and the wheel carries exactly what the repository holds.
English is always the fallback, so a string a catalog lacks reads in English, never as a
msgid of another language.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path

import babel
import babel.localedata
from babel.dates import format_interval, parse_pattern
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from .errors import shorten
from .money import format_number

FALLBACK = "en"
PROPGEN_LOCALES = Path(str(files("propgen") / "locales"))  # propgen's own pages and the words its code writes
THEME_DOMAIN = "messages"
PROPGEN_DOMAIN = "propgen"


def N_(message: str) -> str:
    """Marks a word for extraction (pybabel `-k N_`) that is translated later, by value."""
    return message


def NN_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a plural pair for extraction (pybabel `-k NN_:1,2`)."""
    return singular, plural


# The built-in kinds of event: their labels are in every catalog; other kinds show as
# written, or as `event_type_labels:` in propgen.yaml names them per language.
EVENT_TYPE_LABELS = {
    "wedding": N_("Wedding"),
    "conference": N_("Conference"),
    "corporate": N_("Corporate"),
    "gala": N_("Gala"),
    "social": N_("Social"),
}

# The units a budget line may count in that are pluralised through the catalog (the
# documented set, docs/proposals.md); each is also recognised by its English plural.
UNITS = {
    "day": NN_("%(num)s day", "%(num)s days"),
    "night": NN_("%(num)s night", "%(num)s nights"),
    "hour": NN_("%(num)s hour", "%(num)s hours"),
    "week": NN_("%(num)s week", "%(num)s weeks"),
    "month": NN_("%(num)s month", "%(num)s months"),
    "year": NN_("%(num)s year", "%(num)s years"),
    "person": NN_("%(num)s person", "%(num)s people"),
    "guest": NN_("%(num)s guest", "%(num)s guests"),
    "pax": NN_("%(num)s pax", "%(num)s pax"),
    "room": NN_("%(num)s room", "%(num)s rooms"),
    "table": NN_("%(num)s table", "%(num)s tables"),
    "booth": NN_("%(num)s booth", "%(num)s booths"),
    "speaker": NN_("%(num)s speaker", "%(num)s speakers"),
    "set": NN_("%(num)s set", "%(num)s sets"),
    "item": NN_("%(num)s item", "%(num)s items"),
    "session": NN_("%(num)s session", "%(num)s sessions"),
    "page": NN_("%(num)s page", "%(num)s pages"),
}
_UNIT_NAMES = {
    **{name: name for name in UNITS},
    **{name + "s": name for name in UNITS if name not in ("pax", "person")},
    "people": "person",
    "persons": "person",
}

_COUNTED = re.compile(r"(\d+(?:\.\d+)?)\s*(\S.*)")
_WIDEN = re.compile(r"(?<!M)MMM(?!M)")
_INTERVAL_SKELETONS = {"short": "yMd", "medium": "yMMMd", "long": "yMMMMd", "full": "yMMMMEEEEd"}


@cache
def babel_locale(name: str) -> babel.Locale:
    """A locale parsed once a process: given its name, Babel parses it again at every call
    (6 µs), and every page formats a few numbers and names a few labels."""
    return babel.Locale.parse(name)


@cache
def locale_candidates(locale: str) -> tuple[str, ...]:
    """Catalog folders to look in for a locale, most specific first: de_DE, then de."""
    parsed = babel_locale(locale)
    return tuple(dict.fromkeys([str(parsed), parsed.language]))


def catalog_files(folders: Iterable[Path], locale: str, domain: str) -> list[Path]:
    """The .po (or, failing that, .mo) files of a locale in `folders` (most specific first)."""
    found: list[Path] = []
    for folder in folders:
        for name in locale_candidates(locale):
            base = folder / name / "LC_MESSAGES" / domain
            for path in (base.with_suffix(".po"), base.with_suffix(".mo")):
                if path.is_file():
                    found.append(path)
                    break
    return found


def speaks(folders: Iterable[Path], locale: str) -> bool:
    """Whether a theme has words in `locale`'s language: a catalog of it, or English (the
    templates' own words are English)."""
    return babel_locale(locale).language == "en" or bool(catalog_files(folders, locale, THEME_DOMAIN))


def spoken(folders: Iterable[Path]) -> list[str]:
    """The languages a theme's catalogs are in, English always among them (for a hint)."""
    found = {"en"} | {p.name for folder in folders for p in folder.iterdir() if (p / "LC_MESSAGES").is_dir()}
    return sorted(found)


def translations(folders: Iterable[Path], locale: str, domain: str = THEME_DOMAIN) -> NullTranslations:
    """The translations of `locale` from catalogs in `folders` (most specific first, each a
    `locales/` folder), falling back to their English catalogs, then to the msgid itself."""
    search = tuple(folders)
    chain: NullTranslations | None = None
    for name in dict.fromkeys([locale, FALLBACK]):
        merged = _merged(tuple(_file_key(p) for p in catalog_files(search, name, domain)), domain)
        if merged is None:
            continue
        if chain is None:
            chain = merged
        else:
            chain.add_fallback(merged)
    return chain or NullTranslations()


def _file_key(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return str(path), stat.st_mtime_ns, stat.st_size


def _merged(keys: tuple[tuple[str, int, int], ...], domain: str) -> Translations | None:
    """A fresh object each time (fallbacks get chained onto it), built from cached compilations."""
    if not keys:
        return None
    loaded = [_compiled(*key, domain) for key in keys]
    merged = Translations(domain=domain)
    merged.plural = loaded[0].plural  # the locale's plural rule, from its most specific catalog
    for each in reversed(loaded):  # the most specific catalog wins
        merged.merge(each)
    return merged


@cache
def _compiled(path: str, _mtime_ns: int, _size: int, domain: str) -> Translations:
    """One catalog file, compiled once per version of it in this process. Fuzzy and empty
    entries are left out, so they fall back to English."""
    data = Path(path).read_bytes()
    if path.endswith(".po"):
        catalog = read_po(io.BytesIO(data))
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        data = buffer.getvalue()
    return Translations(io.BytesIO(data), domain=domain)


def propgen_translations(locale: str) -> NullTranslations:
    """The catalog of propgen's own words: the preview pages and text its code writes."""
    return translations([PROPGEN_LOCALES], locale, PROPGEN_DOMAIN)


@lru_cache(maxsize=65536)
def interval_text(start: dt.date, end: dt.date, locale: str, style: str = "long") -> str:
    """A date range as CLDR writes it: '12–13 Juni 2027', 'Jun 12 – 13, 2027'. CLDR lists
    interval patterns with abbreviated months only; for full month names its rule (TR35,
    "adjust field widths") widens the matched pattern's MMM, which Babel leaves undone.
    Remembered, like `dates.format_date`: Babel parses the locale's patterns on every call."""
    skeleton = _INTERVAL_SKELETONS.get(style, style)
    if "MMMM" not in skeleton or start == end:
        return format_interval(start, end, skeleton, locale=locale)
    patterns = babel.Locale.parse(locale).interval_formats.get(skeleton.replace("MMMM", "MMM"), {})
    for field, differs in (("y", start.year != end.year), ("M", start.month != end.month), ("d", True)):
        if differs and field in patterns:
            return "".join(
                parse_pattern(_WIDEN.sub("MMMM", pattern)).apply(day, locale)
                for pattern, day in zip(patterns[field], (start, end), strict=True)
            )
    return format_interval(start, end, skeleton, locale=locale)


def unit_text(quantity: int | Decimal | float | None, unit: str, locale: str, gettext: NullTranslations) -> str:
    """A quantity with its unit: pluralised through the catalog for the known units,
    the unit as written for any other. Without a quantity, `unit` is both ("3 months",
    as `before:` is written)."""
    if quantity is None:
        match = _COUNTED.fullmatch(unit.strip())
        if match is None:
            return unit
        quantity, unit = Decimal(match[1]), match[2]
    number = format_number(quantity, babel_locale(locale))
    name = _UNIT_NAMES.get(unit.strip().lower())
    if name is None:
        return f"{number} {unit}".strip()
    singular, plural = UNITS[name]
    count = int(quantity) if Decimal(str(quantity)) == int(quantity) else 2  # 1.5 days are days
    return gettext.ngettext(singular, plural, count) % {"num": number}


def unit_forms(unit: str, locale: str, gettext: NullTranslations) -> dict[str, str]:
    """`unit_text` for a quantity the reader chooses (quote.js): the text for each CLDR plural
    category of `locale` with `{n}` where the number goes. The script picks the category with
    Intl.PluralRules, which follows the same CLDR rules as Babel."""
    rule = babel_locale(locale).plural_form
    categories = rule.tags | {"other"}
    forms: dict[str, str] = {}
    for n in range(200):  # every category has a small whole number (CLDR's own samples start low)
        tag = rule(n)
        if tag not in forms:
            forms[tag] = unit_text(n, unit, locale, gettext).replace(format_number(n, babel_locale(locale)), "{n}", 1)
            if len(forms) == len(categories):  # English and Indonesian after 1 and 0: no number can add one
                break
    return forms


def event_type_label(kind: str, locale: str, gettext: NullTranslations, custom: Mapping[str, Mapping[str, str]]) -> str:
    """A kind of event in words: `event_type_labels:` for this language first, then the
    catalog's label of a built-in kind, then the kind's own name made readable."""
    own = custom.get(kind, {})
    for name in locale_candidates(locale):
        if name in own:
            return own[name]
    if kind in EVENT_TYPE_LABELS:
        return gettext.gettext(EVENT_TYPE_LABELS[kind])
    return kind.replace("-", " ").capitalize()


# Codes offered when a locale is a typo of one ('id_IDN', 'eng') rather than a language's name.
COMMON_LOCALES = ["en", "en_GB", "en_US", "id", "id_ID", "de", "de_DE", "fr", "nl", "ja", "zh", "es"]
# A country's code written for its language's: Japan is JP, Japanese ja.
COUNTRY_FOR_LANGUAGE = {"jp": "ja", "cn": "zh", "kr": "ko", "gr": "el", "dk": "da", "cz": "cs", "us": "en_US", "gb": "en_GB"}
# What to write when nothing written is close: the two languages propgen's own words come in.
SUGGESTED_CODES = "write a language code:  id  for Indonesian,  en  for English (or de, fr, pt_BR ...)"


def known_locale(written: str) -> babel.Locale | None:
    """Babel's locale for a code of a site's language, or None: for one Babel has no data for,
    and for an old or three-letter name that Babel reads as another ('in' as id_ID, 'eng' as
    en_US), since the pages' language tag is the code as written and `lang="in"` is not
    Indonesian to a browser, a screen reader or a search engine."""
    try:
        parsed = babel.Locale.parse(written)
    except (ValueError, babel.UnknownLocaleError):
        return None
    if not someones_language(parsed):
        return None
    return parsed if parsed.language == written.partition("_")[0].lower() else None  # `ID` is `id`: tags ignore case


def someones_language(parsed: babel.Locale) -> bool:
    """Not CLDR's base data (`root`) nor the POSIX locale (`C` reads as en_US_POSIX): neither is
    anyone's language, and `lang="root"` means nothing to a browser. A real variant such as
    Valencian (ca_ES_VALENCIA) is one."""
    return parsed.language != "root" and parsed.variant != "POSIX"


def unknown_locale(written: str) -> tuple[str, str]:
    """The message and hint for a locale Babel has no data for, in one wording wherever one is
    written (`locale:`, `languages:`, `--locale`): a coordinator knows "language code", not
    "locale"."""
    return f"'{shorten(written)}' is not a language code propgen knows", locale_hint(written)


def locale_hint(written: str) -> str:
    """What to write for a locale that is no code: the code meant (`suggested_code`) with its
    language's name, which the writer knows better than the code; for a language propgen has
    no data for (Klingon), that it has none; else the codes most sites use."""
    code = suggested_code(written)
    if code is not None and code != written.strip():
        return f"write  {code}  for {language_name(code)}"
    name = re.sub(r"^bahasa\s+", "", written.strip().lower())
    if name in _names_without_data():
        return f"propgen has no dates, numbers or words for {_names_without_data()[name]}; {SUGGESTED_CODES}"
    return SUGGESTED_CODES


def suggested_code(written: str) -> str | None:
    """The code a locale written another way most likely means, or None: the code as Babel
    spells it ('en-us' is en_US, 'in' and 'eng' are old names of id and en), a country's code
    for its language's ('jp' for ja), a language named in English or in Indonesian
    ('Indonesian', 'bahasa indonesia', 'Inggris'), a code's typo the closest common code."""
    spelled = COUNTRY_FOR_LANGUAGE.get(written.strip().lower()) or _spelled_as_babel(written)
    if spelled is not None:
        return spelled
    name = re.sub(r"^bahasa\s+", "", written.strip().lower()).replace("bahasa", "indonesia")  # 'Bahasa' alone is Indonesian
    named = _language_names().get(name)  # exact only: 'Deutsch' is close to 'Dutch', 'indo' to 'Ido'
    if named is not None:
        return named
    codes = difflib.get_close_matches(written.strip(), COMMON_LOCALES, n=1)
    return codes[0] if codes else None


def language_name(code: str) -> str:
    """A known code's language in English words: 'Indonesian', 'English (United States)'."""
    locale = babel_locale(code)
    english = babel_locale("en")
    name = english.languages.get(locale.language, code)
    return f"{name} ({english.territories[locale.territory]})" if locale.territory in english.territories else name


def _spelled_as_babel(written: str) -> str | None:
    """A code written another way than Babel's ('en-us', 'EN', 'id-ID') as Babel spells it
    (en_US, en, id_ID), and an old or three-letter code ('in', 'iw', 'eng', 'ind') as today's
    two letters; None when Babel does not know it."""
    parts = [part for part in re.split(r"[-_\s]+", written.strip()) if part]
    if not parts or not all(part.isalnum() and part.isascii() for part in parts):
        return None
    language = parts[0].lower()
    rest = [part.title() if len(part) == 4 else part.upper() for part in parts[1:]]  # Hant is a script, US a territory
    try:
        parsed = babel.Locale.parse("_".join([language, *rest]))
    except (ValueError, babel.UnknownLocaleError):
        return None
    if not rest:  # an alias adds a territory ('in' is id_ID): the language is what was meant
        return parsed.language
    return str(parsed)  # 'en-us' is en_US, 'en_UK' en_GB


@cache
def _language_names() -> dict[str, str]:
    """Language names in English and Indonesian, lowercased, to the codes Babel has data for."""
    names: dict[str, str] = {}
    for words in ("id", "en"):  # English last: where the two name different languages alike, English wins
        for code, language in babel.Locale(words).languages.items():
            if "_" not in code and babel.localedata.exists(code):
                names[language.lower()] = code
    return names


@cache
def _names_without_data() -> dict[str, str]:
    """Languages Babel can name but has no dates or numbers for ('klingon'), lowercased, to
    their English names."""
    return {
        name.lower(): name for code, name in babel.Locale("en").languages.items() if "_" not in code and not babel.localedata.exists(code)
    }
