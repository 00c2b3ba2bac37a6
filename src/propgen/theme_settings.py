"""theme.yaml and `theme_options`: what a theme declares (its name, what it extends, the
options a site may set, the background its text sits on) and the site's choices checked
against those declarations, each mistake at its line in propgen.yaml.

Options are declared by the theme, not by propgen, so a designer can add one without
touching Python; the types are few (string, boolean, colour, image, list) so every value can
be checked before any template runs.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .config import Config, OptionValue, read_theme_name
from .errors import Location, Report, shorten
from .fields import Fields, Source, is_null, open_record
from .sources import read_yaml_document

TYPES = ("string", "boolean", "colour", "image", "list")
COLOUR_RE = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
OptionType = str | bool | tuple[str, ...] | None


@dataclass(frozen=True)
class OptionSpec:
    """One option a theme declares: `options: {accent: {type: colour, default: ..., description: ...}}`."""

    name: str
    type: str
    default: OptionType
    description: str
    choices: tuple[str, ...] = ()  # a list's or string's allowed values, when the theme limits them
    min_contrast: float = 0.0  # a colour's least contrast with the theme's background (WCAG: 4.5 for text)


@dataclass(frozen=True)
class ThemeSettings:
    """One folder's theme.yaml; an absent file is a theme that declares nothing."""

    title: str = ""  # `name:`, the theme as people call it
    extends: str | None = None
    extends_at: Location | None = None
    background: str = ""  # `#rrggbb`, what colour options are checked against
    options: tuple[OptionSpec, ...] = ()


def read_settings(folder: Path, report: Report) -> ThemeSettings:
    settings = folder / "theme.yaml"
    if not settings.is_file():
        return ThemeSettings()
    document = read_yaml_document(settings, report)
    if document is None or document.node is None:
        return ThemeSettings()
    f = open_record(document.node, Source.of(document, report), "theme settings", "extends: default")
    if f is None:
        return ThemeSettings()
    title = f.text("name", example="Default") or ""
    parent = read_theme_name(f, "extends")
    extends_at = f.location("extends")
    background = _colour(f, "background") or ""
    options = tuple(_declarations(f))
    f.finish()
    return ThemeSettings(title, parent, extends_at, background, options)


def _declarations(f: Fields) -> list[OptionSpec]:
    outer = f.mapping("options", "theme options", example="{accent: {type: colour, default: '#0f4c5c', description: ...}}")
    if outer is None:
        return []
    specs: list[OptionSpec] = []
    for name in list(outer.values):
        d = outer.mapping(name, f"option '{name}'", required=True, example="{type: string, default: ..., description: ...}")
        if d is None:
            continue
        kind = d.choice("type", list(TYPES), required=True)
        description = d.text("description", required=True, example="what the option changes") or ""
        choices = tuple(d.texts("choices", example="[hero, featured]"))
        contrast = d.decimal("min_contrast", example="4.5")
        default: OptionType = None
        if kind is not None and d.has("default"):
            key_node, node = d.values["default"]
            value = OptionValue(name, _text(node), _items(node), _plain(node), d.source.at(key_node), d.source.at(node))
            default = check_value(kind, value, choices, d.source.report)
        d.finish()
        if kind is not None:
            specs.append(OptionSpec(name, kind, default, description, choices, float(contrast or 0)))
    outer.finish()
    return specs


def _colour(f: Fields, key: str) -> str | None:
    written = f.text(key, example='"#ffffff"')
    if written is None:
        return None
    if not COLOUR_RE.fullmatch(written):
        f.error(f.node_of(key), f"'{key}' should be a colour like #0f4c5c, not '{shorten(written)}'", 'write it in quotes, e.g. "#ffffff"')
        return None
    return normal_colour(written)


def _text(node: yaml.Node) -> str | None:
    return str(node.value) if isinstance(node, yaml.ScalarNode) and not is_null(node) else None


def _items(node: yaml.Node) -> tuple[str, ...] | None:
    if not isinstance(node, yaml.SequenceNode):
        return None
    return tuple(str(n.value).strip() if isinstance(n, yaml.ScalarNode) else "" for n in node.value)


def _plain(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and not node.style


def normal_colour(text: str) -> str:
    """`#ABC` -> `#aabbcc`."""
    digits = text[1:].lower()
    return "#" + ("".join(c * 2 for c in digits) if len(digits) == 3 else digits)


def check_value(kind: str, value: OptionValue, choices: tuple[str, ...], report: Report) -> OptionType:
    """A value of the declared type, or None after reporting why it is not one."""
    where, name = value.value_at, value.name
    if kind == "list":
        items = value.items if value.items is not None else ((value.text.strip(),) if value.text else None)
        if items is None:
            report.error(
                where, f"theme option '{name}' should be a list", f"write it like  {name}: [{', '.join(choices[:2]) or 'one, two'}]"
            )
            return None
        for item in items:
            if choices and item not in choices:
                report.error(where, f"'{shorten(item)}' is not one of the values of theme option '{name}'", _choice_hint(item, choices))
                return None
        return items
    if value.text is None:
        report.error(where, f"theme option '{name}' should be {_kind_words(kind)}, not a list or a set of fields", _example(kind, name))
        return None
    text = value.text.strip()
    if kind == "boolean":
        if value.plain and text.lower() in ("true", "false"):
            return text.lower() == "true"
        report.error(where, f"theme option '{name}' should be true or false, not '{shorten(text)}'", _example(kind, name))
        return None
    if kind == "colour":
        if not COLOUR_RE.fullmatch(text):
            report.error(where, f"theme option '{name}' should be a colour like #0f4c5c, not '{shorten(text)}'", _example(kind, name))
            return None
        return normal_colour(text)
    if choices and text not in choices:
        report.error(where, f"'{shorten(text)}' is not one of the values of theme option '{name}'", _choice_hint(text, choices))
        return None
    return text


def _kind_words(kind: str) -> str:
    return {"string": "text", "colour": "a colour", "image": "the path of an image under static/", "boolean": "true or false"}[kind]


def _example(kind: str, name: str) -> str:
    example = {"string": "some text", "colour": '"#0f4c5c"', "image": "images/logo.svg", "boolean": "true"}[kind]
    return f"write it like  {name}: {example}"


def _choice_hint(value: str, choices: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.5)
    return f"did you mean '{close[0]}'?" if close else f"use some of: {', '.join(choices)}"


@dataclass(frozen=True)
class Options:
    """The options of one build: every declared option's value (the site's, else the theme's
    default), and where each image option was set, for the image step to check and process."""

    values: tuple[tuple[str, OptionType], ...] = ()
    images: tuple[tuple[str, str, Location], ...] = ()  # (option, path under static/, where it was set)

    def as_dict(self) -> dict[str, OptionType]:
        return dict(self.values)


def resolve_options(specs: dict[str, OptionSpec], background: str, config: Config, report: Report) -> Options:
    """`theme_options:` checked against `specs` (the declarations of the whole theme chain)."""
    given: dict[str, OptionType] = {}
    images: list[tuple[str, str, Location]] = []
    for value in config.theme_options:
        spec = specs.get(value.name)
        if spec is None:
            close = difflib.get_close_matches(value.name, list(specs), n=1, cutoff=0.6)
            known = ", ".join(sorted(specs)) or "none"
            hint = f"did you mean '{close[0]}'?" if close else f"the theme '{config.theme}' has these options: {known}"
            report.error(value.name_at, f"unknown theme option '{shorten(value.name)}'", hint)
            continue
        checked = check_value(spec.type, value, spec.choices, report)
        if checked is None:
            continue
        given[spec.name] = checked
        if spec.type == "image" and isinstance(checked, str):
            images.append((spec.name, checked, value.value_at))
        if spec.type == "colour" and isinstance(checked, str) and spec.min_contrast and background:
            ratio = contrast(checked, background)
            if ratio < spec.min_contrast:
                report.warning(
                    value.value_at,
                    f"theme option '{spec.name}' {checked} has a contrast of {ratio:.2f}:1 with the theme's background {background},"
                    f" below the {spec.min_contrast:g}:1 that WCAG AA asks of text",
                    "choose a darker colour, so links and buttons stay readable",
                )
    values = {name: given.get(name, spec.default) for name, spec in sorted(specs.items())}
    return Options(tuple(values.items()), tuple(images))


def contrast(one: str, other: str) -> float:
    """WCAG 2.1 contrast ratio of two `#rrggbb` colours (1 to 21)."""
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    def channel(hex2: str) -> float:
        c = int(hex2, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
