"""Themes: an ordered search path (site theme folder, then the built-in theme, then
whatever `extends` names) and the one Jinja environment every page renders with. Every theme
of the chain is also reachable by name ("default:base.html"), so an override can extend the
template it replaces; what theme.yaml declares is read by theme_settings.py.

Templates get their data from the documented context (context.py) and format values
only through the filters registered here, so locale rules live in one place.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import MutableMapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from .compiled import SignedCode
from .config import Config
from .dates import format_date
from .errors import Report
from .i18n import babel_locale, event_type_label, interval_text, translations, unit_forms, unit_text
from .models import Money
from .money import format_money, format_number
from .reads import Read, View, recording, replay
from .sources import display_path, is_junk
from .theme_settings import Options, OptionSpec, read_settings, resolve_options
from .walk import list_files

BUILTIN_THEMES = Path(str(files("propgen") / "themes"))


def builtin_theme_names() -> list[str]:
    return sorted(p.name for p in BUILTIN_THEMES.iterdir() if (p / "templates").is_dir())


@dataclass(frozen=True)
class Theme:
    name: str
    folders: tuple[Path, ...]  # most specific first
    names: tuple[str, ...] = ()  # the theme name of each folder: what "<name>:" in a template refers to
    options: tuple[OptionSpec, ...] = ()  # declared by the whole chain, a more specific theme's first
    background: str = ""  # the most specific theme's `background:` (contrast checks)

    def subfolders(self, name: str) -> list[Path]:
        return [folder / name for folder in self.folders if (folder / name).is_dir()]

    def assets(self) -> dict[str, Path]:
        """Theme static files by output path under assets/; a more specific theme wins. Listed by
        walk.py's rule, as static/ is: regular files only, linked folders followed (a site theme's
        links out of the site were refused when the site was scanned, before any theme is read)."""
        found: dict[str, Path] = {}
        for folder in reversed(self.subfolders("static")):
            for relative in list_files(folder, display_path(folder), Report(), None, skip=is_junk):
                found["assets/" + relative.as_posix()] = folder / relative
        return dict(sorted(found.items()))

    def prefixed(self) -> dict[str, list[Path]]:
        """The template folders each "<name>:" prefix searches: from the least specific folder of
        that name (for a built-in theme's name, the built-in theme, whatever a site folder of the
        same name overrides) through everything it extends."""
        found: dict[str, list[Path]] = {}
        for index, name in enumerate(self.names):
            found[name] = [folder / "templates" for folder in self.folders[index:] if (folder / "templates").is_dir()]
        return found

    def declared(self) -> dict[str, OptionSpec]:
        """Each option by name; a theme may redeclare its parent's (a new default, say)."""
        found: dict[str, OptionSpec] = {}
        for spec in self.options:
            found.setdefault(spec.name, spec)
        return found


def load_theme(root: Path, config: Config, report: Report) -> Theme | None:
    """Resolve `config.theme` into its search path, following `extends` in theme.yaml."""
    folders: list[Path] = []
    names: list[str] = []
    options: list[OptionSpec] = []
    background = ""
    name: str | None = config.theme
    where = config.theme_at
    seen: list[str] = []
    while name is not None:
        if name in seen:
            report.error(where, f"themes extend each other in a loop: {' -> '.join([*seen, name])}", "remove one 'extends'")
            return None
        seen.append(name)
        candidates = [p for p in (root / "themes" / name, BUILTIN_THEMES / name) if p.is_dir()]
        if not candidates:
            report.error(
                where,
                f"theme '{name}' not found: there is no themes/{name}/ folder and no built-in theme of that name",
                f"built-in themes: {', '.join(builtin_theme_names())}",
            )
            return None
        folders.extend(candidates)
        names.extend(name for _ in candidates)
        settings = [read_settings(folder, report) for folder in candidates]
        for each in settings:
            options.extend(each.options)
            background = background or each.background
        parent, where = settings[0].extends, settings[0].extends_at or where
        # A site folder overriding a built-in theme of the same name already has it on the path.
        name = None if parent == name and len(candidates) > 1 else parent
    return Theme(config.theme, tuple(folders), tuple(names), tuple(options), background)


def theme_options(theme: Theme, config: Config, report: Report) -> Options:
    """The site's `theme_options` checked against what this theme chain declares."""
    return resolve_options(theme.declared(), theme.background, config, report)


def template_loader(theme: Theme) -> jinja2.BaseLoader:
    """Unprefixed names search the whole chain, most specific first; "<name>:page.html" starts
    at the theme called <name>, so an override can extend the template it replaces."""
    prefixed = {name: jinja2.FileSystemLoader([str(p) for p in folders]) for name, folders in theme.prefixed().items()}
    chain = jinja2.FileSystemLoader([str(p) for p in theme.subfolders("templates")])
    return jinja2.ChoiceLoader([chain, jinja2.PrefixLoader(dict(prefixed), delimiter=":")])


class ThemeEnvironment(jinja2.Environment):
    """The Jinja environment of one locale: its gettext, its formats. A page in a language
    of its own (a proposal's `locale:`) renders with its sibling of that locale."""

    def __init__(self, theme: Theme, config: Config, locale: str, siblings: dict[str, ThemeEnvironment], **options: Any) -> None:
        super().__init__(**options)
        self.theme, self.config, self.locale, self.siblings = theme, config, locale, siblings
        siblings[locale] = self

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A template's globals as one dictionary, not Jinja's chain of its own over the
        environment's: every `{% from ... import %}` of every page compared the page's
        globals with the imported template's, a key at a time through the chain (a tenth of
        rendering's instructions). The environment's globals are all set before any template is
        loaded (`_environment`), so the copy misses nothing."""
        return {**self.globals, **(d or {})}

    def getattr(self, obj: Any, attribute: str) -> Any:
        """`event.title` as Jinja reads it (an attribute of that name first, else the item),
        with the item looked up first where no attribute can have that name: templates read a
        context's dicts and views by key, and Jinja's way tried the attribute first and failed
        with an exception each time (a tenth of rendering a page). The same value or undefined
        comes back either way."""
        if type(obj) in _MAPPINGS and attribute not in _MAPPING_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


_MAPPINGS = (dict, View)  # exactly these types: a subclass may have attributes of its own
_MAPPING_ATTRIBUTES = frozenset(dir(View))  # dict's methods and the view's name: `items.items()` stays the method


_COMPILED: dict[tuple[str, str, str], bytes] = {}  # by settings, locale and Jinja's key of a template file


class CompiledTemplates(jinja2.BytecodeCache):
    """Templates' compiled code, kept in this process's memory for its environments: one is
    made for each build and each language, and compiling a page's templates again took a
    third of a preview's save (0.1 s). Jinja uses the code only for the same template file
    with the same source (its checksum), so an edited template is compiled again. With a
    cache folder, also kept there for the next build, signed with this user's key
    (compiled.py): code in a cache restored from elsewhere is never run.

    Code is kept for one locale and one set of the site's settings (`settings`, the build
    cache's key): Jinja works out a filter called on a literal (`{{ "gala"|label }}`) as it
    compiles, in that locale and with those settings, so the code of one is not another's."""

    def __init__(self, store: SignedCode | None, settings: str, locale: str) -> None:
        self.store, self.settings, self.locale = store, settings, locale

    def sibling(self, locale: str) -> CompiledTemplates:
        """The same, for an environment of another locale."""
        return CompiledTemplates(self.store, self.settings, locale)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = _COMPILED.get((self.settings, self.locale, bucket.key))
        if code is None and self.store is not None:
            code = self.store.load(f"{self.locale}\0{bucket.key}")
        if code is not None:
            bucket.bytecode_from_string(code)  # ignored unless its checksum is the source's

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = _COMPILED[self.settings, self.locale, bucket.key] = bucket.bytecode_to_string()
        if self.store is not None:
            self.store.save(f"{self.locale}\0{bucket.key}", code)


def make_environment(
    theme: Theme, config: Config, locale: str | None = None, store: SignedCode | None = None, settings: str = ""
) -> jinja2.Environment:
    """The environment of `locale` (the site's by default); `for_locale` finds its siblings.
    `store`: where compiled templates are kept for the next build (none: in memory only);
    `settings`: what the site's settings are (the build cache's key), which the code is kept for."""
    locale = locale or config.locale
    if any(kept != settings for kept, _locale, _name in _COMPILED):  # other settings' code: never used again
        _COMPILED.clear()
    return _environment(theme, config, locale, {}, CompiledTemplates(store, settings, locale))


def for_locale(env: jinja2.Environment, locale: str | None) -> jinja2.Environment:
    """The environment of the same theme in `locale`, made once per build and process."""
    if not locale or not isinstance(env, ThemeEnvironment) or locale == env.locale:
        return env
    if (sibling := env.siblings.get(locale)) is not None:
        return sibling
    compiled = env.bytecode_cache.sibling(locale) if isinstance(env.bytecode_cache, CompiledTemplates) else None
    return _environment(env.theme, env.config, locale, env.siblings, compiled)


def _environment(
    theme: Theme, config: Config, locale: str, siblings: dict[str, ThemeEnvironment], compiled: jinja2.BytecodeCache | None
) -> ThemeEnvironment:
    env = ThemeEnvironment(
        theme,
        config,
        locale,
        siblings,
        loader=template_loader(theme),
        autoescape=jinja2.select_autoescape(["html", "xml", "svg"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # made for one build, whose templates do not change: no file looked at again for every page
        bytecode_cache=compiled,
    )
    env.globals["format_locale"] = locale  # a page's context may name its own (context.py)
    env.globals["remember"] = Remembered
    words = translations(theme.subfolders("locales"), locale)
    env.install_gettext_translations(words, newstyle=True)  # type: ignore[attr-defined]
    env.globals["_"] = said_once(env.globals["gettext"])
    env.globals["ngettext"] = counted_once(env.globals["ngettext"])
    labels = config.event_type_labels

    def here(ctx: jinja2.runtime.Context) -> str:
        """`format_locale` in a page's context names its language; it is this environment's."""
        return str(ctx.get("format_locale") or locale)

    env.filters.update(
        date=jinja2.pass_context(lambda ctx, value, style="long": format_date(value, here(ctx), style)),
        time_tag=jinja2.pass_context(lambda ctx, value, style="long": time_tag(value, here(ctx), style)),
        date_range=jinja2.pass_context(lambda ctx, start, end=None, style="long": date_range(start, end, here(ctx), style)),
        money=jinja2.pass_context(
            lambda ctx, value, cents=False: (
                format_money(value.amount, value.currency, here(ctx), cents)
                if isinstance(value, Money)
                else format_money(Decimal(value), config.currency, here(ctx), cents)
            )
        ),
        number=jinja2.pass_context(lambda ctx, value: number_text(value, here(ctx))),
        unit=jinja2.pass_context(lambda ctx, unit, quantity=None: unit_text(quantity, str(unit or ""), here(ctx), words)),
        unit_forms=jinja2.pass_context(lambda ctx, unit: json.dumps(unit_forms(str(unit or ""), here(ctx), words), ensure_ascii=False)),
        json_ld=json_ld,
        label=lambda value: event_type_label(str(value), locale, words, labels),
        mailto_param=mailto_param,
        css_string=css_string,
    )
    return env


def said_once(installed: Any) -> Any:
    """`_("Guests")` as Jinja's i18n extension says it, each text translated once per build and
    language: its `_` looked up `gettext` and called it, which called the catalog and formatted
    the result, three calls through the template's context for each of a page's twenty
    headings and labels. A text with variables, or a `gettext` a template set for itself,
    goes the extension's way."""
    said: dict[tuple[str, bool], Any] = {}

    @jinja2.pass_context
    def gettext(ctx: jinja2.runtime.Context, string: str, /, **variables: Any) -> Any:  # `_("%(string)s", string=...)` too
        found = ctx.resolve("gettext")
        if variables or found is not installed:
            return ctx.call(found, string, **variables)
        key = (string, ctx.eval_ctx.autoescape)
        if key not in said:
            said[key] = installed(ctx, string)
        return said[key]

    return gettext


_PLAIN = (str, int, bool, type(None))  # exact types whose equal values say the same words


def counted_once(installed: Any) -> Any:
    """`ngettext("%(num)s guest", "%(num)s guests", n, num=n|number)` as Jinja's i18n extension
    says it, once per build and language for the same words, count and values: a list of
    10,000 cards says each event's guests, and the extension's way (the catalog called through
    the template's context, the text formatted and escaped) was a tenth of a card. Values of
    other types (Markup among them, which is not escaped) go the extension's way each time."""
    said: dict[tuple[Any, ...], Any] = {}

    @jinja2.pass_context
    def ngettext(ctx: jinja2.runtime.Context, singular: str, plural: str, num: int, /, **variables: Any) -> Any:
        if not all(type(value) in _PLAIN for value in (singular, plural, num, *variables.values())):
            return installed(ctx, singular, plural, num, **variables)
        named = tuple(sorted((name, type(value), value) for name, value in variables.items()))  # names differ: values never compared
        key = (singular, plural, type(num), num, named, ctx.eval_ctx.autoescape)
        if key not in said:
            said[key] = installed(ctx, singular, plural, num, **variables)
        return said[key]

    return ngettext


class Remembered:
    """A macro rendered once per build for each set of arguments: `{% set card = remember(card) %}`
    after a card macro makes a list of 500 events reuse each event's card on every page that
    shows it, instead of rendering it again (cards were a third of rendering a large site).

    Only for macros whose output depends on their arguments alone: a macro imported without
    context sees nothing else, and the environment (and with it this memory) is made anew for
    each build and each language. Arguments are matched as `_identity` says (an event's view
    is one read-only object for the whole build); every argument is kept alive here, so an
    identity is never reused by another object while remembered."""

    def __init__(self, macro: Any) -> None:
        self.macro = macro
        self.known: dict[Any, tuple[tuple[Any, ...], Any, frozenset[Read]]] = {}

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        arguments = (*args, *kwargs.values())
        key = (tuple(_identity(value) for value in args), tuple((name, _identity(kwargs[name])) for name in sorted(kwargs)))
        found = self.known.get(key)
        if found is None:
            with recording() as reads:
                result = self.macro(*args, **kwargs)
            found = self.known[key] = (arguments, result, frozenset(reads))
        else:
            replay(found[2])  # a page showing a remembered card depends on what the card read
        return found[1]


_BY_VALUE = (str, int, bool, type(None), dt.date)  # exact types whose equal values render alike
_BY_REPR = (float, Decimal, dt.datetime)  # equal values that can render differently: 1500 and 1500.00, one instant in two zones


def _identity(value: Any) -> Any:
    """How an argument is matched: by type and value for plain immutable values (so `True` is not
    `1` and Markup is not text), by type and repr for values that compare equal but print
    differently (1500 and 1500.00, 0.0 and -0.0, 12:00 UTC and 19:00 in Jakarta), and by
    identity for anything else, which must not change during a build (an event's view cannot)."""
    kind = type(value)
    if kind in _BY_VALUE:
        return (kind, value)
    if kind in _BY_REPR:
        return (kind, repr(value))
    return (id, id(value))


def number_text(value: Any, locale: str) -> str:
    """A number as the locale writes it ('1.250' in Indonesian). A whole number is written once
    per build and locale: a card says its guests, and a list of 10,000 cards asked Babel each
    time (a tenth of rendering a page)."""
    if type(value) is int:
        return _whole_number(value, locale)
    return format_number(value, babel_locale(locale))


@lru_cache(maxsize=65536)
def _whole_number(value: int, locale: str) -> str:
    return format_number(value, babel_locale(locale))


def time_tag(value: dt.date, locale: str, style: str = "long") -> Markup:
    return _time_element(value.isoformat(), format_date(value, locale, style))


def date_range(start: dt.date, end: dt.date | None, locale: str, style: str = "long") -> Markup:
    """One range as CLDR writes it ('12–13 Juni 2027'): the month and year said once. The
    <time> carries the first day; the last is in the words."""
    if end is None or end == start:
        return time_tag(start, locale, style)
    return _time_element(start.isoformat(), interval_text(start, end, locale, style))


def _time_element(machine: str, words: str) -> Markup:
    """<time datetime="...">...</time>, both escaped: Markup.format goes through Python's
    string.Formatter (15 µs), and a list of 10,000 cards shows a date on each."""
    return Markup(f'<time datetime="{escape(machine)}">{escape(words)}</time>')


def mailto_param(value: Any) -> str:
    """Text for a mailto: subject or body: plain text (not HTML-escaped), line breaks kept, URL-encoded."""
    text = value.unescape() if isinstance(value, Markup) else str(value)
    return quote(text.replace("\r\n", "\n").replace("\n", "\r\n"), safe="")


def css_string(value: Any) -> Markup:
    """Text as a quoted CSS string, for the print header that `@page` margin boxes show
    (they can show strings and counters only, not an element's text). Safe inside a <style>
    element: quotes, backslashes, line breaks and '<' are escaped, so the text can neither
    end the string nor the element."""
    text = value.unescape() if isinstance(value, Markup) else str(value)
    escaped = "".join(ch if ch.isprintable() and ch not in '\\"<>&' else f"\\{ord(ch):x} " for ch in text)
    return Markup(f'"{escaped}"')


def json_ld(data: Any) -> Markup:
    """JSON for a <script type="application/ld+json"> block, safe against '</script>'."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
