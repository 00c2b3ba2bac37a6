"""Finding and reading a site's files: the only stage of loading that touches the disk.

YAML is *composed* into nodes, not loaded into Python values: nodes keep the line and
column of every key and value and the text exactly as written, so `08:00`, `NO` or
`yes` reach validation as the user typed them and YAML 1.1's guesses never happen.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import Location, Report

JUNK_FILES = {".DS_Store", "Thumbs.db", "desktop.ini"}
SLUG_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")


def is_junk(name: str) -> bool:
    """OS and editor droppings that are never published; other dotfiles (.nojekyll,
    .well-known/) are the user's and are kept."""
    return name in JUNK_FILES or name.endswith("~") or (name.startswith(".") and name.endswith((".swp", ".swx")))


def display_path(path: Path) -> str:
    """The path as the user should see it: relative to the working folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


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
        report.error(
            Location(display_path(path), line),
            "the file is not UTF-8 text",
            "save it as UTF-8 in your editor",
        )
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


# libyaml's composer is an order of magnitude faster; the pure-Python one words its
# errors better, so it reads again only a file that failed.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose_yaml(text: str, display: str, report: Report, first_line: int = 1) -> yaml.Node | None:
    """Compose YAML text into nodes. `first_line` is the file line where `text` starts;
    node marks stay relative to `text` (see `Document.yaml_line` and `fields.Source`)."""
    try:
        return yaml.compose(text, Loader=FAST_LOADER)
    except yaml.YAMLError:
        pass
    except RecursionError:
        report.error(Location(display, first_line), "this YAML is nested too deeply to read", "use fewer levels of [ ] and { }")
        return None
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line if mark else 0) + first_line
        col = (mark.column if mark else 0) + 1
        problem = exc.problem or exc.context or "invalid YAML"
        started = exc.context_mark.line + first_line if exc.problem and exc.context and exc.context_mark else line
        if started != line:  # e.g. an unclosed [ or quote: say where it began, not only where it was noticed
            problem += f" ({exc.context} that starts on line {started})"
        report.error(Location(display, line, col), f"this is not valid YAML: {problem}", _yaml_hint(problem))
    except yaml.YAMLError as exc:
        report.error(Location(display, first_line), f"this is not valid YAML: {exc}")
    except RecursionError:
        report.error(Location(display, first_line), "this YAML is nested too deeply to read", "use fewer levels of [ ] and { }")
    return None


def _yaml_hint(problem: str) -> str:
    if "tab" in problem or "\\t" in problem or "\t" in problem:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        return "put quotes around a value that contains ': ', e.g. title: \"Gala: a night\""
    if "expected <block end>" in problem or "did not find expected" in problem:
        return "check the indentation of this line and the one above it"
    if "found character" in problem:
        return "put quotes around a value that starts with a special character such as @ or `"
    return "check this line for unbalanced quotes or wrong indentation"


def read_yaml_document(path: Path, report: Report) -> Document | None:
    text = read_text(path, report)
    if text is None:
        return None
    display = display_path(path)
    before = len(report.problems)
    node = compose_yaml(text, display, report)
    if len(report.problems) > before:
        return None  # not valid YAML: reported; "empty" would be a second, wrong message
    return Document(path, display, node, "", 1)


def read_markdown_document(path: Path, report: Report) -> Document | None:
    """Split optional YAML front matter (between `---` lines at the top) from the Markdown body."""
    text = read_text(path, report)
    if text is None:
        return None
    display = display_path(path)
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return Document(path, display, None, text, 1)
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            front = "\n".join(lines[1:index])
            before = len(report.problems)
            node = compose_yaml(front, display, report, first_line=2)
            if len(report.problems) > before:
                return None
            body = "\n".join(lines[index + 1 :])
            return Document(path, display, node, body, index + 2, yaml_line=2)
    report.error(
        Location(display, 1),
        "the front matter starts with '---' but has no closing '---' line",
        "add a line with just --- after the last front matter field",
    )
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


CONTENT_KINDS = {"events": (".yaml", ".md"), "pages": (".md",), "proposals": (".yaml", ".md")}


def scan(root: Path, report: Report) -> SiteFiles:
    content = root / "content"
    found: dict[str, list[Path]] = {kind: [] for kind in CONTENT_KINDS}
    for kind, suffixes in CONTENT_KINDS.items():
        folder = content / kind
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or path.name.endswith("~"):
                continue  # editor and OS droppings
            location = Location(display_path(path))
            if path.is_dir():
                report.warning(location, f"folder ignored: content/{kind}/ holds files only", "move it out of content/")
            elif path.suffix == ".yml":
                report.error(location, "propgen reads '.yaml' files, not '.yml'", f"rename it to {path.stem}.yaml")
            elif path.suffix not in suffixes:
                allowed = " or ".join(suffixes)
                report.warning(location, f"file ignored: content/{kind}/ holds {allowed} files", "move it to static/")
            elif not is_slug(path.stem):
                report.error(
                    location,
                    f"'{path.stem}' is not a valid file name for content",
                    f"use lowercase letters, digits and hyphens, e.g. {suggest_slug(path.stem)}{path.suffix}",
                )
            else:
                found[kind].append(path)
    static_root = root / "static"
    static: list[Path] = []
    if static_root.is_dir():
        for dirpath, dirnames, filenames in os.walk(static_root):
            dirnames.sort()
            for name in sorted(filenames):
                if is_junk(name):
                    continue
                static.append((Path(dirpath) / name).relative_to(static_root))
    return SiteFiles(
        root=root,
        config=root / "propgen.yaml",
        events=tuple(found["events"]),
        pages=tuple(found["pages"]),
        proposals=tuple(found["proposals"]),
        static=tuple(static),
    )


def suggest_slug(text: str) -> str:
    """A valid slug made from any title or file name ('Gala Night 2025!' -> 'gala-night-2025')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = "".join(c if c.isalnum() else " " for c in ascii_text).split()
    return "-".join(words) or "untitled"


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


@dataclass(frozen=True)
class Content:
    """Every content document of a site, read once: the input of validation."""

    events: tuple[Pair, ...]
    pages: tuple[Document, ...]
    proposals: tuple[Pair, ...]


def read_pairs(paths: tuple[Path, ...], report: Report) -> tuple[Pair, ...]:
    groups: dict[str, dict[str, Path]] = {}
    for path in paths:
        groups.setdefault(path.stem, {})[path.suffix] = path
    pairs = []
    for stem in sorted(groups):
        group = groups[stem]
        record = read_yaml_document(group[".yaml"], report) if ".yaml" in group else None
        text = read_markdown_document(group[".md"], report) if ".md" in group else None
        pairs.append(Pair(stem, record, text, ".yaml" in group))
    return tuple(pairs)


def read_content(files: SiteFiles, report: Report) -> Content:
    pages = (read_markdown_document(path, report) for path in files.pages)
    return Content(
        events=read_pairs(files.events, report),
        pages=tuple(page for page in pages if page is not None),
        proposals=read_pairs(files.proposals, report),
    )
