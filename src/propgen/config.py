"""propgen.yaml -> a frozen `Config`, every problem reported at once."""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import babel
import yaml

from . import translated
from .errors import Location, Report, shorten
from .fields import Fields, Source, is_null, open_record
from .i18n import SUGGESTED_CODES, known_locale, unknown_locale
from .sources import display_path, is_slug, read_yaml_document, suggest_slug
from .walk import checked, real, shown_under

RESERVED_FOLDERS = ("events", "assets")  # routes.py and theme assets own these
DEFAULT_EVENT_TYPES = ("wedding", "conference", "corporate", "gala", "social")
THEME_NAME_RE = re.compile(r"[A-Za-z0-9_-]+")
LANGUAGE_RE = re.compile(r"[a-z]{2,3}(_[A-Z][A-Za-z]{1,3})?")


@dataclass(frozen=True)
class Coordinator:
    name: str
    email: str
    tagline: str = ""
    phone: str = ""
    taglines: tuple[tuple[str, str], ...] = ()  # (language code, tagline) for languages after the first
    city: str = ""
    whatsapp: str = ""  # digits only, country code first: what https://wa.me/<digits> needs
    links: tuple[tuple[str, str], ...] = ()  # (network name, url) in the order written


@dataclass(frozen=True)
class ProposalSettings:
    secret_env: str = "PROPGEN_SECRET"
    path: str = "p"


@dataclass(frozen=True)
class Language:
    """One language of a multilingual site: `code` as written in `languages:` (en, id, pt_BR),
    the locale its pages are worded and formatted in, and the folder its pages live under
    ("" for the first language, which is the site's root)."""

    code: str
    locale: str
    folder: str  # "" or "en/"

    @property
    def hreflang(self) -> str:
        """The code as HTML and sitemaps write it: pt_BR -> pt-BR."""
        return self.code.replace("_", "-")


@dataclass(frozen=True)
class Enquiry:
    """`enquiry:` in propgen.yaml: the form is shown; `action` is where it POSTs (a web address,
    or a path on the site for Netlify Forms); without one it opens the visitor's mail app."""

    action: str = ""


@dataclass(frozen=True)
class OptionValue:
    """One `theme_options:` entry as written; theme.py checks it against the theme's declarations,
    which are only known once the theme is found."""

    name: str
    text: str | None  # a single value's text (None for a list or a set of fields)
    items: tuple[str, ...] | None  # a list's values (None when it is not a list)
    plain: bool  # written without quotes: only then does `true` mean yes
    name_at: Location
    value_at: Location


@dataclass(frozen=True)
class Config:
    title: str
    base_url: str  # always ends with "/"
    coordinator: Coordinator
    locale: str = "en"
    currency: str = "USD"
    theme: str = "default"
    event_types: tuple[str, ...] = DEFAULT_EVENT_TYPES
    event_type_labels: dict[str, dict[str, str]] = field(default_factory=dict, hash=False)  # kind -> language -> label
    proposals: ProposalSettings = ProposalSettings()
    enquiry: Enquiry | None = None  # None: no enquiry form
    theme_options: tuple[OptionValue, ...] = ()
    theme_at: Location = field(default=Location("propgen.yaml"), compare=False)  # for "theme not found"
    locale_at: Location = field(default=Location("propgen.yaml"), compare=False)  # `languages:`, else `locale:`
    languages: tuple[Language, ...] = ()  # two or more with `languages:`; empty for a site in one language
    codes: tuple[str, ...] = ()  # `languages:` as written: the codes translated fields may use, the first first


def load_config(root: Path, report: Report, base_url: str | None = None) -> Config | None:
    """Read propgen.yaml; `base_url` (from --base-url) replaces the file's value when given.
    Like every file of the site (walk.py), it is not read through a link that leaves the site."""
    path = root / "propgen.yaml"
    if os.path.lexists(path) and not checked(path, shown_under(root, "propgen.yaml"), real(root), report):
        return None
    if not path.is_file():
        report.error(
            Location(display_path(path)),
            "this folder has no propgen.yaml, so it is not a propgen site",
            "run propgen from your site's folder, pass --site DIR, or create one with: propgen init DIR",
        )
        return None
    document = read_yaml_document(path, report)
    if document is None:
        return None
    source = Source.of(document, report)
    fields = open_record(document.node, source, "site settings (propgen.yaml)", "title: My Events")
    if fields is None:
        return None
    config = read_config(fields, base_url)
    fields.finish()
    return config


def read_config(f: Fields, base_url_override: str | None) -> Config:
    title = f.text("title", required=True, example="Sari Wijaya Events")
    base_url = f.url("base_url", required=True)
    if base_url_override is not None:
        base_url = base_url_override
    codes = read_language_codes(f)
    locale = f.text("locale", example="en") or (codes[0] if codes else "en")
    parsed = known_locale(locale)
    if parsed is None:
        f.error(f.node_of("locale"), *unknown_locale(locale))
        locale, parsed = "en", babel.Locale("en")
    if codes and parsed.language != babel.Locale.parse(codes[0]).language:
        f.error(
            f.node_of("locale"),
            f"locale '{locale}' is not the first of languages ({codes[0]})",
            f"the first language's pages use locale; write  locale: {codes[0]}  or a regional form of it, or remove the line",
        )
    currency = f.currency("currency", "USD")
    theme = read_theme_name(f) or "default"
    coordinator = read_coordinator(f.mapping("coordinator", "coordinator", required=True, example="{name: ..., email: ...}"), codes)
    types = read_event_types(f)
    labels = read_event_type_labels(f, types)
    proposals = read_proposal_settings(f.mapping("proposals", "proposal settings", example="{secret_env: PROPGEN_SECRET, path: p}"))
    enquiry = read_enquiry(f)
    options = read_theme_options(f)
    # With a required setting missing the build fails anyway; stand-ins let validation go on
    # through the content, so the user sees every problem in one run.
    if base_url is None:
        base_url = "https://example.invalid/"
    return Config(
        title=title or "",
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        coordinator=coordinator or Coordinator(name="", email=""),
        locale=locale,
        currency=currency,
        theme=theme,
        event_types=types,
        event_type_labels=labels,
        proposals=proposals,
        enquiry=enquiry,
        theme_options=options,
        theme_at=f.location("theme"),
        locale_at=f.location("languages" if codes else "locale"),
        languages=tuple(Language(code, locale if i == 0 else code, "" if i == 0 else folder_of(code) + "/") for i, code in enumerate(codes))
        if len(codes) > 1
        else (),
        codes=codes,
    )


def folder_of(code: str) -> str:
    """The URL folder of a language: en -> en, pt_BR -> pt-br."""
    return code.replace("_", "-").lower()


def read_language_codes(f: Fields) -> tuple[str, ...]:
    """`languages: [id, en]`: the site's languages, the first at the root. Each is a locale
    code propgen knows, listed once, and its folder must not be one propgen already uses."""
    if not f.has("languages"):
        return ()
    codes: list[str] = []
    for node in f.items("languages", example="[id, en]"):
        code = str(node.value).strip() if isinstance(node, yaml.ScalarNode) else ""
        if not (code and LANGUAGE_RE.fullmatch(code) and known_locale(code)):
            if code:
                f.error(node, *unknown_locale(code))
            else:
                f.error(node, "each language should be a code such as id or en", SUGGESTED_CODES)
        elif code in codes:
            f.error(node, f"language '{code}' is listed twice", "keep one of them")
        elif folder_of(code) in RESERVED_FOLDERS:
            f.error(node, f"language '{code}' would publish its pages in a folder propgen already uses", "use another code")
        else:
            codes.append(code)
    return tuple(codes)


def read_theme_name(f: Fields, key: str = "theme") -> str | None:
    """A theme (`theme:` here, `extends:` in theme.yaml) is a folder name under themes/ or a
    built-in theme, never a path: `../x` or `/etc` would take templates and files from outside
    the site. None when absent or wrong (reported), so no second "not found" follows."""
    theme = f.text(key, example="default")
    if not theme or THEME_NAME_RE.fullmatch(theme):
        return theme or None
    last = theme.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    example = last if THEME_NAME_RE.fullmatch(last) else "default"
    f.error(
        f.node_of(key),
        f"theme '{shorten(theme)}' should be the name of a theme, not a path",
        f"put the theme in themes/<name>/ inside the site and write its name, e.g.  {key}: {example}",
    )
    return None


def read_event_type_labels(f: Fields, types: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """`event_type_labels: {conference: {id: Konferensi}}`: a kind of event in words, per language."""
    labels: dict[str, dict[str, str]] = {}
    outer = f.mapping("event_type_labels", "event type labels", example="{conference: {id: Konferensi, en: Conference}}")
    if outer is None:
        return labels
    for kind in list(outer.values):
        inner = outer.mapping(kind, f"labels of '{kind}'", example="{id: Konferensi, en: Conference}")
        if kind not in types:
            close = difflib.get_close_matches(kind, types, n=1)
            outer.error(
                outer.values[kind][0],
                f"'{shorten(kind)}' in event_type_labels is not one of event_types",
                f"did you mean '{close[0]}'?" if close else f"event types: {', '.join(types)}",
            )
        if inner is None:
            continue
        for language in list(inner.values):
            text = inner.text(language, example="Konferensi")
            if known_locale(language) is None:
                inner.error(inner.values[language][0], *unknown_locale(language))
                continue
            if text:
                labels.setdefault(kind, {})[language] = text
        inner.finish()
    outer.finish()
    return labels


def read_event_types(f: Fields) -> tuple[str, ...]:
    if not f.has("event_types"):
        return DEFAULT_EVENT_TYPES
    nodes = f.items("event_types", example="[wedding, conference]")
    if not nodes:
        f.error(
            f.node_of("event_types"), "event_types is an empty list", "list your kinds of event, or remove the line to use the defaults"
        )
        return DEFAULT_EVENT_TYPES
    types: list[str] = []
    for node in nodes:
        value = str(node.value).strip() if isinstance(node, yaml.ScalarNode) else ""
        if not is_slug(value):
            what = f"event type '{value}'" if value else "each event type"
            f.error(
                node,
                f"{what} should be one lowercase word",
                f"use letters, digits and hyphens, e.g. {suggest_slug(value) if suggest_slug(value) != 'untitled' else 'product-launch'}",
            )
        elif value in types:
            f.error(node, f"event type '{value}' is listed twice", "keep one of them")
        else:
            types.append(value)
    return tuple(types) or DEFAULT_EVENT_TYPES


def read_coordinator(f: Fields | None, codes: tuple[str, ...] = ()) -> Coordinator | None:
    if f is None:
        return None
    name = f.text("name", required=True, example="Sari Wijaya")
    email = f.email("email", required=True)
    tagline_text, taglines = translated.text(f, "tagline", codes, example="Weddings and conferences across Indonesia")
    tagline = tagline_text or ""
    phone = f.text("phone") or ""
    city = f.text("city") or ""
    whatsapp = read_whatsapp(f)
    links: list[tuple[str, str]] = []
    link_fields = f.mapping("links", "links", example="{instagram: https://instagram.com/you}")
    if link_fields is not None:
        for key in list(link_fields.values):
            url = link_fields.url(key)
            if url:
                links.append((key, url))
        link_fields.finish()
    f.finish()
    if name is None or email is None:
        return None
    return Coordinator(
        name=name,
        email=email,
        tagline=tagline,
        phone=phone,
        city=city,
        whatsapp=whatsapp,
        links=tuple(links),
        taglines=tuple(sorted(taglines.items())),
    )


def read_proposal_settings(f: Fields | None) -> ProposalSettings:
    if f is None:
        return ProposalSettings()
    secret_env = f.text("secret_env", example="PROPGEN_SECRET") or "PROPGEN_SECRET"
    path = (f.text("path", example="p") or "p").strip("/")
    if not all(part and is_slug(part) for part in path.split("/")):
        f.error(
            f.node_of("path"), f"proposals.path '{path}' should be a URL folder name", "use lowercase letters, digits and hyphens, e.g. p"
        )
        path = "p"
    elif path.split("/")[0] in RESERVED_FOLDERS:
        f.error(f.node_of("path"), f"proposals.path '{path}' is a folder propgen already uses", "choose another name, e.g. p")
        path = "p"
    f.finish()
    return ProposalSettings(secret_env=secret_env, path=path)


def read_whatsapp(f: Fields) -> str:
    """`whatsapp: "+62 812 5555 0101"` as wa.me wants it: the digits, country code first."""
    written = f.text("whatsapp", example='"+62 812 5555 0101"')
    if not written:
        return ""
    digits = re.sub(r"[\s().+-]", "", written)
    if not digits.isdigit() or not 8 <= len(digits) <= 15 or digits.startswith("0"):
        hint = 'write the number with its country code, e.g.  whatsapp: "+62 812 5555 0101"'
        if digits.startswith("0") and digits.isdigit():
            hint = 'write the country code instead of the leading 0, e.g.  whatsapp: "+62 812 5555 0101"  for an Indonesian number'
        f.error(f.node_of("whatsapp"), f"'coordinator.whatsapp' should be a phone number, not '{shorten(written)}'", hint)
        return ""
    return digits


def read_enquiry(f: Fields) -> Enquiry | None:
    """`enquiry:` alone (or `enquiry: {}`) shows the form with the mail-app fallback."""
    if "enquiry" not in f.values:
        f.known.append("enquiry")
        return None
    if not f.has("enquiry"):
        return Enquiry()
    inner = f.mapping("enquiry", "enquiry settings", example="{action: https://formspree.io/f/abcd}")
    if inner is None:
        return Enquiry()
    action = ""
    if inner.has("action"):
        written = inner.text("action", example="https://formspree.io/f/abcd") or ""
        on_site = written.startswith("/") and not written.startswith("//")  # a path on the site itself: Netlify Forms
        action = written if on_site else inner.url("action") or ""
    inner.finish()
    return Enquiry(action=action)


def read_theme_options(f: Fields) -> tuple[OptionValue, ...]:
    inner = f.mapping("theme_options", "theme options", example="{accent: '#0f4c5c'}")
    if inner is None:
        return ()
    found: list[OptionValue] = []
    for name, (key_node, node) in inner.values.items():
        inner.known.append(name)
        if is_null(node):  # `logo:` with nothing after it: the theme's default, as if absent
            continue
        text = str(node.value) if isinstance(node, yaml.ScalarNode) else None
        items = None
        if isinstance(node, yaml.SequenceNode):
            items = tuple(str(n.value).strip() if isinstance(n, yaml.ScalarNode) else "" for n in node.value)
        plain = isinstance(node, yaml.ScalarNode) and not node.style
        found.append(OptionValue(name, text, items, plain, inner.source.at(key_node), inner.source.at(node)))
    inner.finish()
    return tuple(found)
