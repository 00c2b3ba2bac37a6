"""Finding and reading a site's files: the only stage of loading that touches the disk.

YAML is *composed* into nodes, not loaded into Python values: nodes keep the line and
column of every key and value and the text exactly as written, so `08:00`, `NO` or
`yes` reach validation as the user typed them and YAML 1.1's guesses never happen.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import yaml

from . import errors
from .errors import Location, Problem, Report, Severity, shorten
from .walk import checked, list_files, real, shown_under

FileStatus = tuple[int, int, int]  # a file's size, modification time (ns) and inode
JUNK_FILES = {".DS_Store", "Thumbs.db", "desktop.ini"}
SLUG_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")
LANGUAGE_SUFFIX = re.compile(r"[a-z]{2,3}(_[A-Za-z]{2,4})?")  # the `.en` of about.en.md


def is_junk(name: str) -> bool:
    """OS and editor droppings that are never published, and that the preview's watcher
    ignores (serve.py: it watches exactly what may be published): backups (`menu.pdf~`),
    Vim's swap files (`.menu.css.swp`), Emacs's autosaves (`#menu.css#`) and locks
    (`.#menu.css`). Other dotfiles (.nojekyll, .well-known/) are the user's and are kept."""
    return (
        name in JUNK_FILES
        or name.endswith("~")
        or (name.startswith(".") and name.endswith((".swp", ".swx")))
        or (len(name) > 2 and name.startswith("#") and name.endswith("#"))
        or name.startswith(".#")
    )


def display_path(path: Path, folder: str = "") -> str:
    """The path as the user should see it (the rule, with its masking of secret links, is errors.display_path)."""
    return errors.display_path(path, folder)


def split_language(stem: str) -> tuple[str, str]:
    """`about.en` -> ('about', 'en'): a translation's file stem names its original and its
    language; any other stem is ('stem', ''). Whether the language is one of the site's is
    validation's question (validate.py), asked with the file's line."""
    slug, dot, code = stem.rpartition(".")
    if dot and is_slug(slug) and LANGUAGE_SUFFIX.fullmatch(code):
        return slug, code
    return stem, ""


def is_slug(stem: str) -> bool:
    return bool(stem) and set(stem) <= SLUG_CHARS and not stem.startswith("-") and not stem.endswith("-")


@dataclass(frozen=True)
class Document:
    """One source file read for validation: its YAML record and, for Markdown, its body."""

    path: Path
    display: str
    node: yaml.Node | None  # the YAML record (front matter or whole .yaml file); None if empty
    body: str  # Markdown body; "" for a .yaml file
    body_line: int  # 1-based line of the file where the body starts
    yaml_line: int = 1  # 1-based line of the file where the YAML starts (2 for front matter)

    @property
    def slug(self) -> str:
        return self.path.stem

    def at(self, line: int = 1, col: int = 1) -> Location:
        return Location(self.display, line, col)


def read_text(path: Path, report: Report) -> str | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        report.error(Location(display_path(path)), f"cannot read the file: {exc.strerror}")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        start = data.rfind(b"\n", 0, exc.start) + 1
        col = len(data[start : exc.start].decode("utf-8", "replace")) + 1
        report.error(
            Location(display_path(path), line, col),
            f"the file is not UTF-8 text: {_foreign_character(data[exc.start : exc.start + 4])}is saved in an older encoding",
            "save it as UTF-8: in your editor's Save As, choose the encoding UTF-8",
        )
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def _foreign_character(data: bytes) -> str:
    """The character at the start of `data` as Windows' Western encoding (cp1252, in which
    most non-UTF-8 files with 'é' or '–' were saved) reads it, quoted with a trailing space,
    so the user can find it on the line; "" when it is not a letter or mark one can see."""
    char = data[:1].decode("cp1252", "replace")
    return f"'{char}' " if char.isprintable() and not char.isspace() and char != "\ufffd" else "a character here "


# libyaml's composer is an order of magnitude faster; the pure-Python one words its
# errors better, so it reads again only a file that failed.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose_yaml(text: str, display: str, report: Report, first_line: int = 1) -> yaml.Node | None:
    """Compose YAML text into nodes. `first_line` is the file line where `text` starts;
    node marks stay relative to `text` (see `Document.yaml_line` and `fields.Source`)."""
    try:
        root = yaml.compose(text, Loader=FAST_LOADER)
        return _continued_items(
            _checked(root, display, report, first_line) if _needs_checking(text) else root, text, display, report, first_line
        )
    except yaml.YAMLError:
        pass
    except RecursionError:
        report.error(Location(display, first_line), "this YAML is nested too deeply to read", "use fewer levels of [ ] and { }")
        return None
    try:
        return _continued_items(
            _checked(yaml.compose(text, Loader=yaml.SafeLoader), display, report, first_line), text, display, report, first_line
        )
    except yaml.MarkedYAMLError as exc:
        if _no_space_after_colon(text, exc, display, report, first_line):
            return None
        if exc.problem == "could not find expected ':'" and exc.context_mark is not None:
            _missing_colon(exc.context_mark, display, report, first_line)
            return None
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line if mark else 0) + first_line
        col = (mark.column if mark else 0) + 1
        problem = exc.problem or exc.context or "invalid YAML"
        started = exc.context_mark.line + first_line if exc.problem and exc.context and exc.context_mark else line
        if started != line:  # e.g. an unclosed [ or quote: say where it began, not only where it was noticed
            problem += f" ({exc.context} that starts on line {started})"
        written = text.split("\n")[mark.line] if mark and mark.line < text.count("\n") + 1 else ""
        problem, hint = _in_words(problem, written, col)
        report.error(Location(display, line, col), f"this is not valid YAML: {problem}", hint)
    except yaml.reader.ReaderError as exc:  # its own text is two lines, with an offset for a place
        at = exc.position
        line, col = text.count("\n", 0, at) + first_line, at - text.rfind("\n", 0, at)
        character = f"\\x{exc.character:02x}" if isinstance(exc.character, int) else repr(exc.character)
        report.error(
            Location(display, line, col),
            f"this is not valid YAML: it holds the control character {character}, which YAML does not allow in a file",
            "delete it: it is invisible in most editors, so delete the character before and after it and type them again",
        )
    except yaml.YAMLError as exc:
        report.error(Location(display, first_line), f"this is not valid YAML: {exc}")
    except RecursionError:
        report.error(Location(display, first_line), "this YAML is nested too deeply to read", "use fewer levels of [ ] and { }")
    return None


# `summary:One line`: a field name and its value with no space between them after the colon.
_GLUED = re.compile(r"(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_-]*):(?!//)(\S.*)")


def _no_space_after_colon(text: str, exc: yaml.MarkedYAMLError, display: str, report: Report, first_line: int) -> bool:
    """`summary:One line` is not a field to YAML but text, so YAML complains later: at the
    next field ("mapping values are not allowed", one line down) or at the end of the
    mapping ("could not find expected ':'"). Either way the mistake is the missing space on
    the line where the text began; say that, at its colon, with the line as it should be."""
    if exc.problem == "could not find expected ':'" and exc.context_mark is not None:
        line = exc.context_mark.line
    elif exc.problem == "mapping values are not allowed here" and exc.problem_mark is not None:
        line = exc.problem_mark.line - 1
    else:
        return False
    lines = text.split("\n")
    glued = _GLUED.fullmatch(lines[line].rstrip()) if 0 <= line < len(lines) else None
    if glued is None:
        return False
    lead, name, value = glued.groups()
    report.error(
        Location(display, line + first_line, len(lead) + len(name) + 1),
        f"this is not valid YAML: there is no space after the ':' of '{shorten(name)}'",
        f"write  {shorten(f'{name}: {value}')}",
    )
    return True


def _missing_colon(mark: yaml.Mark, display: str, report: Report, first_line: int) -> None:
    """`guests 120` inside a mapping: YAML notices only on a later line, but the mistake is on
    the line where the would-be key starts, and it is either a field or a text's next line."""
    buffer = str(mark.buffer or "")
    ends = [i for i in (buffer.find(c, mark.pointer) for c in "\r\n\x85\u2028\u2029\0") if i >= 0]
    written = buffer[mark.pointer : min(ends, default=len(buffer))].strip()
    name, _, rest = written.partition(" ")
    example = f"{name}: {rest.strip()}" if rest.strip() else f"{name}: ..."
    report.error(
        Location(display, mark.line + first_line, mark.column + 1),
        "this is not valid YAML: this line has no ':' after a field name",
        f"if '{shorten(name)}' is a field, write  {shorten(example)}; if the line continues the value above it, indent it",
    )


# A '- ' line indented deeper than the line before it, which opens nothing (no ':', '|', '>',
# '[', '{' or ',' at its end): the only way YAML reads a list item as the text above going on.
_DEEPER_DASH = re.compile(r"^( *)\S[^\n]*[^\s:|>+\-\[{,][ \t]*\n\1 +-(?: |$)", re.MULTILINE)


def _continued_items(root: yaml.Node | None, text: str, display: str, report: Report, first_line: int) -> yaml.Node | None:
    """Warn at a line that YAML read as more of the plain text above it although it starts with
    '- ': an item indented under the one before it (`- Ballroom for 300` then `  - Stage and
    sound`) silently becomes one item, "Ballroom for 300 - Stage and sound". Only the items of a
    block list (`- `) are looked at: a text field wrapped onto a line starting with a dash is
    text as written ("... di taman\n  - tepat waktu"), and so is an item of a `[ ]` list, and
    neither quoted items nor `|` or `>` blocks; and only in a file where such a line is
    (`_DEEPER_DASH`): Markdown bodies are never YAML, and most records are never walked."""
    if root is None or not _DEEPER_DASH.search(text):
        return root
    lines = text.split("\n")
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    seen: set[int] = set()
    while stack:
        node, in_list = stack.pop()
        if id(node) in seen:  # an alias repeats a node: said once
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if in_list and not node.style and node.end_mark.line > node.start_mark.line:
                _said_continued(node, lines, display, report, first_line)
            continue
        stack.extend((child, isinstance(node, yaml.SequenceNode) and not node.flow_style) for child in _children(node))
    return root


def _said_continued(node: yaml.ScalarNode, lines: list[str], display: str, report: Report, first_line: int) -> None:
    for number in range(node.start_mark.line + 1, min(node.end_mark.line, len(lines) - 1) + 1):
        written = lines[number]
        if written.lstrip().startswith("- ") or written.strip() == "-":
            column = len(written) - len(written.lstrip())
            report.warning(
                Location(display, number + first_line, column + 1),
                f"YAML reads this '- ' line as the end of the text above, not as a list item: '{shorten(str(node.value))}'",
                "to make it an item of its own, put its '-' at the same indentation as the '-' above",
            )
            return


def _needs_checking(text: str) -> bool:
    """Whether `_checked` could find anything in what `text` composes to. YAML's reader already
    refuses control characters and half characters written as they are, so only an escape (a
    backslash in double quotes) can make them; only an anchor (&name) can be repeated by an
    alias; and fewer than 2 characters a value cannot reach MAX_VALUES. Most records have none
    of these, and walking every node of every record was a tenth of reading a large site."""
    return "\\" in text or "&" in text or len(text) >= 2 * MAX_VALUES


# Aliases (*name) share one node however often they are used, so a few lines can stand for
# billions of values ("billion laughs"); anything that walks them would take minutes and all
# memory. Far above any real site: the demo's largest file has about 400.
MAX_VALUES = 100_000


def _checked(root: yaml.Node | None, display: str, report: Report, first_line: int) -> yaml.Node | None:
    """The composed tree, or None after reporting what no later stage could read safely:
    aliases expanding to too many values or into themselves, and text with half a character."""
    if root is None:
        return None
    sizes: dict[int, int] = {}  # id(node) -> values it stands for, aliases expanded
    shared = broken = False
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    open_nodes: set[int] = set()
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            if sizes[key] > MAX_VALUES:
                what = "the aliases (*name) here expand to" if shared else "it holds"
                report.error(
                    _at(display, node, first_line),
                    f"this YAML is too large to read: {what} more than {MAX_VALUES:,} values",
                    "let an alias (*name) repeat a small value, not a list of other aliases" if shared else "split it into several files",
                )
                return None
            continue
        if key in sizes:
            shared = True
            continue
        if key in open_nodes:
            report.error(
                _at(display, node, first_line),
                "this YAML value contains an alias (*name) of itself, so it never ends",
                "an alias may only repeat a value that is complete before it",
            )
            return None
        if isinstance(node, yaml.ScalarNode):
            found = _SUSPECT.search(str(node.value))  # one C scan per value; the rare hit is looked at closely
            half = next((c for c in str(node.value) if "\ud800" <= c <= "\udfff"), None) if found else None
            if half is not None:
                broken = True
                report.error(
                    _at(display, node, first_line),
                    f"this text contains the escape \\u{ord(half):04x}, which is only half of a character",
                    _surrogate_hint(str(node.value)),
                )
            control = next((c for c in str(node.value) if _is_control(c)), None) if found else None
            if control is not None:
                broken = True
                report.error(
                    _at(display, node, first_line),
                    f"this text contains the control character {repr(control)[1:-1]}, which no page or calendar can show",
                    "remove that escape from the text in double quotes",
                )
            sizes[key] = 1
            continue
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(_children(node)))
    return None if broken else root


# What `_checked` refuses in a value: half of a surrogate pair, or a control character other
# than tab and line breaks (`_is_control`): the same set, as one pattern.
_SUSPECT = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")


def _is_control(char: str) -> bool:
    """A control character other than tab and line breaks: YAML lets escapes such as "\\x07"
    make them, and HTML, XML feeds and calendar files have no place for them."""
    code = ord(char)
    return (code < 0x20 and char not in "\t\n\r") or (0x7F <= code <= 0x9F and char != "\x85")


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _at(display: str, node: yaml.Node, first_line: int) -> Location:
    return Location(display, node.start_mark.line + first_line, node.start_mark.column + 1)


def _surrogate_hint(value: str) -> str:
    """JSON writes a character beyond U+FFFF as two \\u escapes (a surrogate pair); YAML reads
    those as two broken halves, so the hint names the single \\U escape that was meant."""
    for index, char in enumerate(value[:-1]):
        low = value[index + 1]
        if "\ud800" <= char <= "\udbff" and "\udc00" <= low <= "\udfff":
            whole = 0x10000 + ((ord(char) - 0xD800) << 10) + (ord(low) - 0xDC00)
            return f"YAML writes this character as one escape, \\U{whole:08x}, not \\u{ord(char):04x}\\u{ord(low):04x}; or paste the character itself"
    return "remove this escape, or paste the character you meant, or write it as \\U and its 8 hex digits"


def _in_words(problem: str, written: str, col: int) -> tuple[str, str]:
    """The two YAML errors people make most, in their words rather than the parser's: a tab
    ("found character '\\t' that cannot start any token") and a value holding ': ' ("mapping
    values are not allowed here"), with the line as it should be where it can be shown."""
    before = written[: col - 1]
    if "'\\t'" in problem and not before.strip():
        return "this line is indented with a tab", _yaml_hint(problem)
    second = "mapping values are not allowed" in problem or "but got ':'" in problem
    key, colon, value = before.partition(": ")
    if second and colon and key.strip():
        value = written.partition(": ")[2].rstrip().rstrip("}").rstrip()
        if key.strip().startswith(("- ", "{")) or "{" in key or '"' in value:
            return "a value contains ': ', which YAML reads as the start of another field", _yaml_hint(problem)
        quoted = f'{key.strip()}: "{value}"'
        return "a value contains ': ', which YAML reads as the start of another field", f"put the value in quotes:  {shorten(quoted, 60)}"
    return problem, _yaml_hint(problem)


def _yaml_hint(problem: str) -> str:
    if "tab" in problem or "\\t" in problem or "\t" in problem:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in problem or "but got ':'" in problem:
        return "put quotes around a value that contains ': ', e.g. title: \"Gala: a night\""
    if "expected <block end>" in problem or "did not find expected" in problem:
        return "check the indentation of this line and the one above it"
    if "found character" in problem:
        return "put quotes around a value that starts with a special character such as @ or `"
    return "check this line for unbalanced quotes or wrong indentation"


def read_yaml_document(path: Path, report: Report, text: str | None = None) -> Document | None:
    """`text` when it was read already (`read_pairs`)."""
    text = read_text(path, report) if text is None else text
    if text is None:
        return None
    display = display_path(path)
    before = len(report.problems)
    node = compose_yaml(text, display, report)
    if _new_errors(report, before):
        return None  # not valid YAML: reported; "empty" would be a second, wrong message
    return Document(path, display, node, "", 1)


def _new_errors(report: Report, before: int) -> bool:
    """Whether composing said more than warnings (`_continued_items`): a record with a warning is read."""
    return any(p.severity is Severity.ERROR for p in report.problems[before:])


def read_markdown_document(path: Path, report: Report, text: str | None = None) -> Document | None:
    """Split optional YAML front matter (between `---` lines at the top) from the Markdown body."""
    text = read_text(path, report) if text is None else text
    if text is None:
        return None
    display = display_path(path)
    parts = split_front_matter(text)
    if parts is None:
        report.error(
            Location(display, 1),
            "the front matter starts with '---' but has no closing '---' line",
            "add a line with just --- after the last front matter field",
        )
        return None
    front, body, body_line = parts
    if front is None:
        return Document(path, display, None, body, body_line)
    before = len(report.problems)
    node = compose_yaml(front, display, report, first_line=2)
    if _new_errors(report, before):
        return None
    return Document(path, display, node, body, body_line, yaml_line=2)


def split_front_matter(text: str) -> tuple[str | None, str, int] | None:
    """(front matter or None, body, the body's first line); None when the front matter never closes."""
    if not text.startswith("---"):
        return None, text, 1
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return None, text, 1
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    return None


@dataclass(frozen=True)
class SiteFiles:
    """Every input file of a site, found once, in a stable order."""

    root: Path
    config: Path
    events: tuple[Path, ...]
    pages: tuple[Path, ...]
    proposals: tuple[Path, ...]
    static: tuple[Path, ...]  # relative to root / "static"
    themes_safe: bool = True  # False when a file under themes/ was refused: the theme is then not read at all
    sponsorships: tuple[Path, ...] = ()
    translations: tuple[Path, ...] = ()  # events/<slug>.<lang>.md and pages/<slug>.<lang>.md


CONTENT_KINDS = {"events": (".yaml", ".md"), "pages": (".md",), "proposals": (".yaml", ".md"), "sponsorships": (".yaml", ".md")}


def scan(root: Path, report: Report) -> SiteFiles:
    """List the site's files. Whatever walk.py refuses (a link out of the site, a pipe, a
    device) is reported here and left out, so no later stage reads or publishes it."""
    site = real(root)
    found: dict[str, list[Path]] = {kind: [] for kind in (*CONTENT_KINDS, "translations")}
    content = root / "content"
    content_ok = not os.path.lexists(content) or checked(content, shown_under(root, "content"), site, report)
    for kind in CONTENT_KINDS:
        folder = content / kind
        if not content_ok or not os.path.lexists(folder) or not checked(folder, shown_under(root, f"content/{kind}"), site, report):
            continue
        if not folder.is_dir():
            continue
        files, translations = _listed_folder(folder, kind, shown_under(root, f"content/{kind}"), site, report)
        found[kind].extend(files)
        found["translations"].extend(translations)
    static = list_files(root / "static", shown_under(root, "static"), report, site, skip=is_junk)
    before = len(report.problems)
    list_files(root / "themes", shown_under(root, "themes"), report, site)  # templates, theme.yaml, locales, static
    return SiteFiles(
        root=root,
        config=root / "propgen.yaml",
        events=tuple(found["events"]),
        pages=tuple(found["pages"]),
        proposals=tuple(found["proposals"]),
        static=tuple(Path(p) for p in static),
        themes_safe=len(report.problems) == before,
        sponsorships=tuple(found["sponsorships"]),
        translations=tuple(found["translations"]),
    )


_LISTED: dict[str, tuple[tuple[object, ...], tuple[Path, ...], tuple[Path, ...], list[Problem]]] = {}


def _listed_folder(folder: Path, kind: str, under: str, site: str, report: Report) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """The content files of one folder of content/ (`scan`), and its translations. A folder of
    plain files whose names are the ones the last call in this process listed gives what that
    call gave, problems said again: a preview's save lists the same 20,000 names of a large
    site, and sorting them into records, write-ups and translations again was a tenth of it."""
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    names = tuple((entry.name, entry.is_file(follow_symlinks=False)) for entry in entries)
    key = (names, errors.working_folder(), errors.secrets_count(), site)
    last = _LISTED.get(str(folder))
    if last is not None and last[0] == key:
        report.problems.extend(last[3])
        return last[1], last[2]
    before = len(report.problems)
    files, translations = _sorted_out(folder, kind, under, site, entries, report)
    if all(plain for _name, plain in names):  # a link or a special file is looked at again each time
        _LISTED[str(folder)] = (key, files, translations, report.problems[before:])
    return files, translations


def _sorted_out(
    folder: Path, kind: str, under: str, site: str, entries: list[os.DirEntry[str]], report: Report
) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """`_listed_folder` of a folder looked at now."""
    suffixes = CONTENT_KINDS[kind]
    files: list[Path] = []
    translations: list[Path] = []
    renamed: set[str] = set()  # stems of records refused for their suffix (gala.yml)
    for entry in entries:
        name = entry.name
        if is_dropping(name):
            continue
        path = _child(folder, name)
        stem, suffix = stem_and_suffix(name)
        # A regular file as the folder lists it needs no more look (walk.py's rule is about
        # links and special files): at 10,000 events, three system calls saved per file.
        plain = entry.is_file(follow_symlinks=False)
        if not plain and not checked(path, f"{under}/{name}", site, report):
            continue
        if not plain and path.is_dir():
            report.warning(Location(display_path(path)), f"folder ignored: content/{kind}/ holds files only", "move it out of content/")
        elif (meant := misspelt_suffix(suffix, suffixes)) is not None:
            renamed.add(stem)
            report.error(
                Location(display_path(path)),
                f"propgen reads '{meant}' files, not '{suffix}'",
                f"rename it to {stem if is_slug(stem) or split_language(stem)[1] else suggest_slug(stem)}{meant}",
            )
        elif suffix not in suffixes:
            allowed = " or ".join(suffixes)
            report.warning(Location(display_path(path)), f"file ignored: content/{kind}/ holds {allowed} files", "move it to static/")
        elif kind in ("events", "pages") and suffix == ".md" and split_language(stem)[1]:
            translations.append(path)
        elif not is_slug(stem):
            report.error(
                Location(display_path(path)),
                f"'{stem}' is not a valid file name for content",
                f"use lowercase letters, digits and hyphens, e.g. {suggest_slug(stem)}{suffix}",
            )
        else:
            files.append(path)
    if renamed:  # gala.md is gala.yml's write-up: "no record beside it" would send the user the wrong way
        files = [p for p in files if not (p.suffix == ".md" and p.stem in renamed)]
    return tuple(files), tuple(translations)


RECORD_SUFFIXES = {".yml": ".yaml", ".yaml": ".yaml", ".md": ".md", ".markdown": ".md"}


def misspelt_suffix(suffix: str, suffixes: tuple[str, ...]) -> str | None:
    """The suffix propgen reads that `suffix` was meant to be: '.yml', '.YAML' and 'Gala.MD'
    (Windows and phone editors save them so) are records under another name, not files to
    ignore. None for a suffix that is right, or that is no spelling of one propgen reads."""
    meant = RECORD_SUFFIXES.get(suffix.lower())
    return meant if meant is not None and meant != suffix and meant in suffixes else None


@lru_cache(maxsize=65536)
def _child(folder: Path, name: str) -> Path:
    """`folder / name`, made once per process: a preview's every save lists the same 20,000
    files of a large site, and making their paths again was a tenth of the save."""
    return folder / name


def is_dropping(name: str) -> bool:
    """An editor's or the system's file beside content (`.gala.md.swp`, `gala.md~`,
    `#gala.md#`, `Thumbs.db`), or a hidden one: never read, and no warning about it."""
    return name.startswith(".") or is_junk(name)


def stem_and_suffix(name: str) -> tuple[str, str]:
    """A file name's `Path.stem` and `Path.suffix`, without making a path of each of 20,000 names."""
    dot = name.rfind(".")
    return (name[:dot], name[dot:]) if 0 < dot < len(name) - 1 else (name, "")


def suggest_slug(text: str) -> str:
    """A valid slug made from any title or file name ('Gala Night 2025!' -> 'gala-night-2025')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = "".join(c if c.isalnum() else " " for c in ascii_text).split()
    return "-".join(words) or "untitled"


@lru_cache(maxsize=4096)  # a site has a few dozen tags, named on thousands of events and pages
def tag_slug(text: str) -> str:
    """A tag's URL slug: like `suggest_slug`, but a tag with no Latin letters keeps its own."""
    slug = suggest_slug(text)
    if slug != "untitled" or not text.strip():
        return slug
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split()) or slug


@dataclass(frozen=True)
class Pair:
    """A record file and its Markdown companion with the same stem; either may be missing.
    A file that could not be read is None with its problem already reported."""

    stem: str
    record: Document | None  # <stem>.yaml
    text: Document | None  # <stem>.md, front matter split off
    has_record_file: bool
    digest: str = ""  # of both files' names and text, when the build keeps events (kept.py)
    kept: bool = False  # the last build kept an event of this digest: neither file was parsed
    signature: str = ""  # `files_signature` of its files, when the build keeps events
    # An event's files as text, composed only when validation reaches them (`composed`), so a
    # large site never holds every record's YAML nodes at once.
    unread: tuple[tuple[Path, str], ...] = ()

    def body(self) -> tuple[str, int] | None:
        """The write-up's Markdown and its first line, without composing anything."""
        if self.text is not None:
            return self.text.body, self.text.body_line
        for path, raw in self.unread:
            if path.suffix == ".md":
                parts = split_front_matter(raw)
                return (parts[1], parts[2]) if parts else None
        return None


def composed(pair: Pair, report: Report) -> Pair:
    """A pair read with `lazy` (read_pairs), its files composed now: problems are reported here."""
    if not pair.unread:
        return pair
    record = text = None
    for path, raw in pair.unread:
        if path.suffix == ".yaml":
            record = read_yaml_document(path, report, raw)
        else:
            text = read_markdown_document(path, report, raw)
    return Pair(pair.stem, record, text, pair.has_record_file, pair.digest, signature=pair.signature)


@dataclass(frozen=True)
class Content:
    """Every content document of a site, read once: the input of validation."""

    events: tuple[Pair, ...]
    pages: tuple[Document, ...]
    proposals: tuple[Pair, ...]
    sponsorships: tuple[Pair, ...] = ()
    translations: tuple[Document, ...] = ()  # <slug>.<lang>.md of events and pages


class Known(Protocol):
    """What the last build kept of events (kept.py), as reading asks it."""

    def has(self, digest: str) -> bool:
        """Whether an event was kept for files of this text (`pair_digest`)."""

    def digest_of(self, signature: str) -> str | None:
        """The text digest of the event kept for files of this `files_signature`, if any."""


def read_pairs(
    paths: tuple[Path, ...],
    report: Report,
    known: Known | None = None,
    lazy: bool = False,
    looked: Mapping[str, FileStatus] | None = None,
) -> tuple[Pair, ...]:
    """Each stem's record and write-up. With `known`, a pair the last build kept is left
    unparsed: unread when its files' names, sizes and times are the ones it read (as `make`
    trusts them), else unparsed when their text is the same. With `lazy`, no pair is composed
    here (`composed` does it, one at a time). `looked`: see `files_signature`."""
    folder = errors.working_folder()
    pairs = []
    for stem, group, ordered in _grouped(paths):
        signature = files_signature(ordered, looked, folder) if known is not None else ""
        digest = known.digest_of(signature) if known is not None and signature else None
        if digest is not None:
            pairs.append(Pair(stem, None, None, ".yaml" in group, digest, kept=True, signature=signature))
            continue
        texts = {suffix: read_text(path, report) for suffix, path in sorted(group.items())}
        digest = ""
        if known is not None and None not in texts.values():
            digest = pair_digest([(display_path(group[suffix]), text or "") for suffix, text in texts.items()])
            if known.has(digest):
                pairs.append(Pair(stem, None, None, ".yaml" in group, digest, kept=True, signature=signature))
                continue
        unread = tuple((group[suffix], text) for suffix, text in sorted(texts.items(), reverse=True) if text is not None)
        pair = Pair(stem, None, None, ".yaml" in group, digest, unread=unread, signature=signature)
        pairs.append(pair if lazy else composed(pair, report))
    return tuple(pairs)


_GROUPED: list[tuple[tuple[Path, ...], list[tuple[str, dict[str, Path], list[Path]]]]] = []


def _grouped(paths: tuple[Path, ...]) -> list[tuple[str, dict[str, Path], list[Path]]]:
    """`paths` by stem, in the stems' order: each stem's files by suffix, and in the suffixes'
    order. Paths equal to those of one of the last few calls give its groups (a preview's
    every save groups the same 20,000 files)."""
    for known, grouped in _GROUPED:
        if known == paths:
            return grouped
    groups: dict[str, dict[str, Path]] = {}
    for path in paths:  # by the name's text: 20,000 of pathlib's properties took a tenth of a preview's save
        stem, suffix = os.path.splitext(os.path.basename(path))
        groups.setdefault(stem, {})[suffix] = path
    grouped = [(stem, groups[stem], [groups[stem][s] for s in sorted(groups[stem])]) for stem in sorted(groups)]
    _GROUPED[:] = [(paths, grouped), *_GROUPED[:3]]  # events, proposals, sponsorships
    return grouped


def files_signature(paths: list[Path], looked: Mapping[str, FileStatus] | None = None, folder: str = "") -> str:
    """The names (as messages show them), sizes, modification times and inodes of `paths`;
    "" when one cannot be looked at (it is then read, and its problem reported). A path in
    `looked` has the status the build's first walk saw (stamps.py), taken before anything was
    read, so a file saved since is read again next time: at 10,000 events, 20,000 system
    calls fewer. `folder`: see `display_path`."""
    statuses = []
    for path in paths:
        status = looked.get(str(path)) if looked else None
        if status is None:
            try:
                found = path.stat()
            except OSError:
                return ""
            status = (found.st_size, found.st_mtime_ns, found.st_ino)
        statuses.append((path, status))
    return _signature(tuple(statuses), folder or errors.working_folder(), errors.secrets_count())


@lru_cache(maxsize=32768)  # a preview's save signs the same 10,000 pairs as the save before
def _signature(statuses: tuple[tuple[Path, FileStatus], ...], folder: str, _secrets: int) -> str:
    """`files_signature` of files of these statuses, named from `folder` with this many secrets masked."""
    lines = [f"{display_path(path, folder)}\0{size}\0{mtime}\0{inode}\0" for path, (size, mtime, inode) in statuses]
    return hashlib.blake2b("".join(lines).encode(), digest_size=16).hexdigest()


def pair_digest(files: list[tuple[str, str]]) -> str:
    """Of each file's name as messages show it (a kept event's locations hold it) and its text."""
    h = hashlib.blake2b(digest_size=16)
    for display, text in files:
        h.update(f"{len(display)}:{display}{len(text)}:".encode())
        h.update(text.encode())
    return h.hexdigest()


def read_content(files: SiteFiles, report: Report, known: Known | None = None, looked: Mapping[str, FileStatus] | None = None) -> Content:
    """`known` and `looked`: see `read_pairs` (only events are kept between builds). Events are
    composed when validated (`composed`); the other files, a few, here."""
    pages = (read_markdown_document(path, report) for path in files.pages)
    return Content(
        events=read_pairs(files.events, report, known, lazy=True, looked=looked),
        pages=tuple(page for page in pages if page is not None),
        proposals=read_pairs(files.proposals, report),
        sponsorships=read_pairs(files.sponsorships, report),
        translations=tuple(d for d in (read_markdown_document(path, report) for path in files.translations) if d is not None),
    )
