"""The catalogs: every translatable string of the theme and of propgen's code is in every
catalog, translated and not fuzzy; formats come from CLDR; units plural through the catalog."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from propgen.i18n import SUGGESTED_CODES, interval_text, known_locale, locale_hint, translations, unit_forms, unit_text, unknown_locale

REPO = Path(__file__).resolve().parents[2]
LOCALES = REPO / "src/propgen/themes/default/locales"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "NN_": (1, 2)}
METHODS = [
    ("**.py", "python"),
    ("**.html", "jinja2.ext:babel_extract"),
    ("**.xml", "jinja2.ext:babel_extract"),
    ("**.txt", "jinja2.ext:babel_extract"),
]
OPTIONS = {pattern: {"trim_blocks": "true", "lstrip_blocks": "true"} for pattern, _ in METHODS[1:]}


# Each built-in theme and the themes its catalogs fall back to (theme.yaml's `extends`), most specific first.
THEME_CHAINS = {"default": ("default",), "editorial": ("editorial", "default")}


def extracted(theme: str = "default") -> set[str | tuple[str, ...]]:
    """Every string a built-in theme's templates and propgen's page-writing code mark."""
    found: set[str | tuple[str, ...]] = set()
    for folder in (REPO / "src/propgen/themes" / theme / "templates", REPO / "src/propgen"):
        methods = METHODS if folder.name == "templates" else [("i18n.py", "python")]
        for _file, _line, message, _comments, _context in extract_from_dir(str(folder), methods, OPTIONS, KEYWORDS):
            found.add(tuple(message) if isinstance(message, tuple) else message)
    return found


@pytest.mark.parametrize("theme", sorted(THEME_CHAINS))
@pytest.mark.parametrize("language", ["en", "id"])
def test_every_string_is_in_the_catalog_and_translated(language: str, theme: str) -> None:
    """A theme's string is found in its own catalog or in that of a theme it extends (as
    translations() merges them), translated and not fuzzy."""
    catalogs = []
    for name in THEME_CHAINS[theme]:
        with (REPO / "src/propgen/themes" / name / "locales" / language / "LC_MESSAGES/messages.po").open("rb") as f:
            catalogs.append(read_po(f))
    problems = []
    for message in sorted(extracted(theme), key=str):
        key = message[0] if isinstance(message, tuple) else message
        entry = next((found for catalog in catalogs if (found := catalog.get(key)) is not None), None)
        strings = entry.string if entry is not None and isinstance(entry.string, tuple) else (entry.string if entry else "",)
        if entry is None:
            problems.append(f"missing: {message!r}")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {message!r}")
        elif not all(strings):
            problems.append(f"untranslated: {message!r}")
    assert problems == [], f"{theme}, {language}: run tools/update_catalogs.py and translate:\n" + "\n".join(problems)


def extracted_preview() -> set[str | tuple[str, ...]]:
    """Every string of propgen's own preview pages (`propgen serve`): the `propgen` domain."""
    found: set[str | tuple[str, ...]] = set()
    methods = [("**.html", "jinja2.ext:babel_extract")]
    for _file, _line, message, _comments, _context in extract_from_dir(str(REPO / "src/propgen/preview"), methods, {}, KEYWORDS):
        found.add(tuple(message) if isinstance(message, tuple) else message)
    return found


@pytest.mark.parametrize("language", ["en", "id"])
def test_every_preview_string_is_in_propgens_catalog_and_translated(language: str) -> None:
    with (REPO / "src/propgen/locales" / language / "LC_MESSAGES/propgen.po").open("rb") as f:
        catalog = read_po(f)
    problems = []
    found = extracted_preview()
    assert len(found) > 10
    for message in sorted(found, key=str):
        entry = catalog.get(message[0] if isinstance(message, tuple) else message)
        strings = entry.string if entry is not None and isinstance(entry.string, tuple) else (entry.string if entry else "",)
        if entry is None:
            problems.append(f"missing: {message!r}")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {message!r}")
        elif not all(strings):
            problems.append(f"untranslated: {message!r}")
    assert problems == [], f"{language}: run tools/update_catalogs.py and translate:\n" + "\n".join(problems)


def test_the_documented_extract_command_runs(tmp_path: Path) -> None:
    """docs/themes.md's first command, as a designer would run it from the repository."""
    pot = tmp_path / "messages.pot"
    pybabel = str(Path(sys.executable).with_name("pybabel"))
    command = [pybabel, "extract", "-F", "babel.cfg", "-k", "N_", "-k", "NN_:1,2", "-o", str(pot), "."]
    subprocess.run(command, cwd=REPO, check=True, capture_output=True)
    assert 'msgid "Ready to go ahead?"' in pot.read_text() and 'msgid "%(num)s night"' in pot.read_text()


@pytest.mark.parametrize(
    ("start", "end", "locale", "expected"),
    [
        (dt.date(2027, 6, 12), dt.date(2027, 6, 13), "en", "June 12\u2009\u2013\u200913, 2027"),
        (dt.date(2027, 6, 12), dt.date(2027, 6, 13), "id", "12\u201313 Juni 2027"),
        (dt.date(2027, 6, 29), dt.date(2027, 7, 2), "en", "June 29\u2009\u2013\u2009July 2, 2027"),
        (dt.date(2027, 6, 29), dt.date(2027, 7, 2), "id", "29 Juni\u20132 Juli 2027"),
        (dt.date(2027, 12, 30), dt.date(2028, 1, 2), "en", "December 30, 2027\u2009\u2013\u2009January 2, 2028"),
        (dt.date(2027, 12, 30), dt.date(2028, 1, 2), "id", "30 Desember 2027\u20132 Januari 2028"),
    ],
)
def test_date_ranges_say_the_month_and_year_once(start: dt.date, end: dt.date, locale: str, expected: str) -> None:
    assert interval_text(start, end, locale) == expected


def test_medium_range_in_english() -> None:
    assert interval_text(dt.date(2027, 6, 12), dt.date(2027, 6, 13), "en", "medium") == "Jun 12\u2009\u2013\u200913, 2027"


@pytest.mark.parametrize(
    ("quantity", "unit", "locale", "expected"),
    [
        (1, "day", "en", "1 day"),
        (2, "day", "en", "2 days"),
        (2, "days", "en", "2 days"),
        (1, "nights", "en", "1 night"),
        (8, "speaker", "en", "8 speakers"),
        (3, "person", "en", "3 people"),
        (150, "pax", "en", "150 pax"),
        (Decimal("1.5"), "hour", "en", "1.5 hours"),
        (1200, "guest", "en", "1,200 guests"),
        (2, "day", "id", "2 hari"),
        (8, "speakers", "id", "8 pembicara"),
        (1200, "guests", "id", "1.200 tamu"),
        (3, "drone", "en", "3 drone"),  # not in the set: shown as written
        (3, "drone", "id", "3 drone"),
        (4, "", "en", "4"),
        (None, "3 months", "id", "3 bulan"),
        (None, "2 weeks", "en", "2 weeks"),
    ],
)
def test_units_plural_through_the_catalog(quantity: int | Decimal | None, unit: str, locale: str, expected: str) -> None:
    assert unit_text(quantity, unit, locale, translations([LOCALES], locale)) == expected


def test_a_missing_translation_falls_back_to_english(tmp_path: Path) -> None:
    """A German site: no German catalog, so every word is the English catalog's."""
    words = translations([LOCALES], "de_DE")
    assert words.gettext("Ready to go ahead?") == "Ready to go ahead?"
    assert words.ngettext("%(num)s day", "%(num)s days", 2) == "%(num)s days"


@pytest.mark.parametrize("locale", ["en", "id", "ru", "ar", "fr", "pl", "cy", "de_DE"])
def test_a_units_forms_for_the_quote_are_every_plural_category_of_the_locale(locale: str) -> None:
    """quote.js picks a unit's words by the CLDR category of the number a reader types.
    unit_forms stops once it has every category of the locale; it must give what trying every
    number to 200 gives (the categories, their order, their words)."""
    import babel
    from babel.numbers import format_decimal

    words = translations([LOCALES], locale.split("_")[0])
    rule = babel.Locale.parse(locale).plural_form
    every: dict[str, str] = {}
    for n in range(200):
        every.setdefault(rule(n), unit_text(n, "day", locale, words).replace(format_decimal(n, locale=locale), "{n}", 1))
    assert unit_forms("day", locale, words) == every


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("bahasa indonesia", "write  id  for Indonesian"),
        ("Bahasa", "write  id  for Indonesian"),
        ("Inggris", "write  en  for English"),
        ("Deutsch", SUGGESTED_CODES),  # close to 'Dutch', which it is not
        ("id_IDN", "write  id_ID  for Indonesian (Indonesia)"),
        ("in", "write  id  for Indonesian"),  # Indonesian's old code
        ("eng", "write  en  for English"),  # three letters
        ("en-us", "write  en_US  for English (United States)"),  # as a browser writes it
        ("EN", "write  en  for English"),
        ("jp", "write  ja  for Japanese"),  # Japan's code, not Japanese's
        ("klingon", f"propgen has no dates, numbers or words for Klingon; {SUGGESTED_CODES}"),
        ("xx_YY", SUGGESTED_CODES),
    ],
)
def test_a_language_written_by_its_name_gets_its_code(written: str, hint: str) -> None:
    assert locale_hint(written) == hint
    assert unknown_locale(written) == (f"'{written}' is not a language code propgen knows", hint)
    assert "id  for Indonesian" in SUGGESTED_CODES and "en  for English" in SUGGESTED_CODES


@pytest.mark.parametrize(
    ("written", "known"),
    [
        ("id", "id"),
        ("en_US", "en_US"),
        ("ID", "id"),  # a language tag ignores case: `locale: ID` built before, and builds
        ("En", "en"),
        ("ID_ID", "id_ID"),
        ("in", None),
        ("eng", None),
        ("en-us", None),
        ("xx", None),
        ("root", None),  # CLDR's base data, no one's language
    ],
)
def test_a_site_language_is_known_only_as_babel_writes_it(written: str, known: str | None) -> None:
    """`in` and `eng` would be the pages' language tag as written, which no browser reads as a language."""
    found = known_locale(written)
    assert (str(found) if found else None) == known


def test_a_text_said_once_reads_as_the_i18n_extension_says_it() -> None:
    """`_` translates each text once per environment (theme.said_once), and every page reads
    what Jinja's own `_` gives: formatting, escaping, a text with variables, autoescape off,
    and a `gettext` of the page's own."""
    import gettext as stdlib_gettext

    import jinja2

    from propgen.theme import said_once

    asked: list[str] = []

    class Catalog(stdlib_gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            asked.append(message)
            return {"Guests": "Tamu", "A & B": "A & <b>B</b>"}.get(message, message)

    def environment(once: bool) -> jinja2.Environment:
        env = jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
        env.install_gettext_translations(Catalog(), newstyle=True)  # type: ignore[attr-defined]
        if once:
            env.globals["_"] = said_once(env.globals["gettext"])
        return env

    source = (
        '{{ _("Guests") }}|{{ _("A & B") }}|{{ _("100%% sure") }}|{{ _("Hi %(who)s", who="<i>") }}|'
        '{% autoescape false %}{{ _("A & B") }}{% endautoescape %}|{{ _("Guests") }}|{{ _("%(string)s and %(ctx)s", string="a", ctx="b") }}'
    )
    pages = [
        ({}, "Tamu|A & <b>B</b>|100% sure|Hi &lt;i&gt;|A & <b>B</b>|Tamu|a and b"),
        ({"gettext": lambda text, **_variables: "own"}, "own|own|own|own|own|own|own"),
    ]
    plain, once = environment(False), environment(True)
    for context, expected in pages:
        said = plain.from_string(source).render(context)
        assert once.from_string(source).render(context) == said
        assert expected is None or said == expected
    asked.clear()
    page = environment(True).from_string(source)
    for _page in range(3):
        page.render()
    # Once per text and escaping; with variables, each time.
    assert sorted(asked) == ["%(string)s and %(ctx)s"] * 3 + ["100%% sure", "A & B", "A & B", "Guests"] + ["Hi %(who)s"] * 3


def test_a_count_said_once_reads_as_the_i18n_extension_says_it() -> None:
    """`ngettext` says each text, count and set of values once per environment
    (theme.counted_once), and every page reads what Jinja's own gives: the plural chosen by
    the count, `num` given or not, values escaped (and Markup not, nor the catalog's text), autoescape off, a count
    that is a bool or a float rather than an int."""
    import gettext as stdlib_gettext

    import jinja2
    from markupsafe import Markup

    from propgen.theme import counted_once

    asked: list[tuple[str, int]] = []

    class Catalog(stdlib_gettext.NullTranslations):
        def ngettext(self, singular: str, plural: str, n: int) -> str:
            asked.append((singular, n))
            return {"%(num)s guest": "%(num)s tamu & <b>1</b>"}.get(singular, singular if n == 1 else plural)

    def environment(once: bool) -> jinja2.Environment:
        env = jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
        env.install_gettext_translations(Catalog(), newstyle=True)  # type: ignore[attr-defined]
        if once:
            env.globals["ngettext"] = counted_once(env.globals["ngettext"])
        return env

    source = (
        '{{ ngettext("%(num)s guest", "%(num)s guests", 1) }}|{{ ngettext("%(num)s guest", "%(num)s guests", 2, num="2") }}|'
        '{{ ngettext("%(num)s day", "%(num)s days", 1) }}|{{ ngettext("%(num)s day", "%(num)s days", 3) }}|'
        '{{ ngettext("%(num)s day", "%(num)s days", 3, num="<3>") }}|{{ ngettext("%(num)s day", "%(num)s days", 3, num=bold) }}|'
        '{{ ngettext("%(num)s day", "%(num)s days", 1.0) }}|{{ ngettext("%(num)s day", "%(num)s days", true) }}|'
        '{% autoescape false %}{{ ngettext("%(num)s day", "%(num)s days", 3, num="<3>") }}{% endautoescape %}|'
        '{{ ngettext("%(num)s day", "%(num)s days", 3) }}'
    )
    context = {"bold": Markup("<b>3</b>")}
    expected = "1 tamu & <b>1</b>|2 tamu & <b>1</b>|1 day|3 days|&lt;3&gt; days|<b>3</b> days|1.0 day|True day|<3> days|3 days"
    said = environment(False).from_string(source).render(context)
    assert environment(True).from_string(source).render(context) == said == expected
    asked.clear()
    page = environment(True).from_string(source)
    for _page in range(3):
        page.render(context)
    # Once per text, count, values and escaping; a Markup value or a float count each time.
    assert sorted(asked) == sorted(
        [("%(num)s guest", 1), ("%(num)s guest", 2), ("%(num)s day", 1), ("%(num)s day", 3), ("%(num)s day", 3), ("%(num)s day", True)]
        + [("%(num)s day", 3), ("%(num)s day", 1.0)] * 3
        + [("%(num)s day", 3)]
    )
