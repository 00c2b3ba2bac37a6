"""The build cache: what the last build made, so the next one redoes only what changed.

Caching is a stage of its own. Rendering stays a pure function of (template, context);
this module only says which pages' inputs are unchanged, by comparing fingerprints:

- a page's fingerprint covers its context (the record, write-up, config and every listed
  event it shows, as the template sees them) and the source of every template it can
  reach through extends, include and import;
- rendered Markdown is kept by the hash of its text and the renderer's settings.

Everything lives in one JSON file in the cache folder (`.propgen-cache/` by default), so
the folder is safe to delete and safe to restore from a CI cache: JSON is data, never
code. The file is trusted only when its key (propgen's own code, Python, the versions of
every dependency, the site's settings) matches this build's and its checksum holds; a
corrupt file is reported as a warning and rebuilt. Private pages (their paths carry
secret tokens) are never recorded: they are rendered on every build.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Mapping
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta

FORMAT = 1
CACHE_FILE = "build.json"
DEPENDENCIES = ("jinja2", "markupsafe", "markdown-it-py", "mdit-py-plugins", "pyyaml", "babel", "cryptography", "markdown-it-pyrs")
PACKAGE = Path(__file__).resolve().parent


def _hash() -> hashlib.blake2b:
    return hashlib.blake2b(digest_size=16)


def code_key() -> str:
    """propgen's own code and built-in themes, Python and every dependency's version: a
    cache made by anything else is ignored, never trusted."""
    h = _hash()
    h.update(sys.version.encode())
    for name in DEPENDENCIES:
        try:
            h.update(f"{name}={metadata.version(name)};".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=-;".encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(path.relative_to(PACKAGE).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def file_digest(paths: Iterable[Path]) -> str:
    h = _hash()
    for path in paths:
        h.update(str(path).encode())
        h.update(path.read_bytes() if path.is_file() else b"-")
    return h.hexdigest()


class Fingerprints:
    """Stable digests of template contexts. Event views are shared by many pages (a list
    page shows hundreds), so each dict or list is digested once and remembered by identity;
    the objects are kept alive here so an identity is never reused within a build."""

    def __init__(self) -> None:
        self._memo: dict[int, bytes] = {}
        self._keep: list[object] = []

    def of(self, value: object) -> bytes:
        if isinstance(value, dict | list | tuple):
            known = self._memo.get(id(value))
            if known is not None:
                return known
            digest = self._container(value)
            self._memo[id(value)] = digest
            self._keep.append(value)
            return digest
        return _scalar(value)

    def _container(self, value: dict[Any, Any] | list[Any] | tuple[Any, ...]) -> bytes:
        h = _hash()
        if isinstance(value, dict):
            h.update(b"{")
            for key, item in value.items():  # insertion order: templates iterate in it
                h.update(_scalar(key))
                h.update(self.of(item))
        else:
            h.update(b"[")
            for item in value:
                h.update(self.of(item))
        return h.digest()


def _scalar(value: object) -> bytes:
    if value is None or isinstance(value, bool):
        return repr(value).encode()
    if isinstance(value, str):  # Markup too: the same text, escaped or not, renders the same way once marked
        return b"s%d:" % len(value) + value.encode("utf-8", "surrogatepass") + (b"M" if hasattr(value, "__html__") else b"")
    if isinstance(value, int | Decimal | float):
        return f"{type(value).__name__}:{value!r}".encode()
    if isinstance(value, dt.date):  # datetime is a date too; isoformat keeps them apart
        return f"{type(value).__name__}:{value.isoformat()}".encode()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = [(f.name, getattr(value, f.name)) for f in dataclasses.fields(value)]
        return type(value).__name__.encode() + Fingerprints().of(dict(fields))
    # Anything else: its repr, which for a type without a stable repr never matches again (a
    # wasted render, never a stale page).
    return f"{type(value).__qualname__}:{value!r}".encode()


class TemplateDigests:
    """For each template, a digest of its own source and of every template it can reach
    (extends, include, import), so editing a partial re-renders exactly the pages using it."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self._refs: dict[str, frozenset[str] | None] = {}
        self._source: dict[str, bytes] = {}
        self._closure: dict[str, str] = {}

    def of(self, name: str) -> str:
        known = self._closure.get(name)
        if known is None:
            names = self._reachable(name)
            h = _hash()
            for each in sorted(names):
                h.update(each.encode() + b"\0" + self._source_digest(each))
            known = self._closure[name] = h.hexdigest()
        return known

    def _reachable(self, name: str) -> set[str]:
        seen: set[str] = set()
        todo = [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            refs = self._references(current)
            if refs is None:  # a template chosen at run time: it could be any of them
                return seen | set(self.env.list_templates())
            todo.extend(refs)
        return seen

    def _load(self, name: str) -> None:
        try:
            source, _filename, _uptodate = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            self._source[name], self._refs[name] = b"missing", frozenset()
            return
        self._source[name] = hashlib.blake2b(source.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        try:
            found = list(meta.find_referenced_templates(self.env.parse(source)))
        except jinja2.TemplateSyntaxError:
            found = []  # rendering reports it; the digest of its source still changes when it is fixed
        self._refs[name] = None if any(ref is None for ref in found) else frozenset(str(ref) for ref in found)

    def _references(self, name: str) -> frozenset[str] | None:
        if name not in self._refs:
            self._load(name)
        return self._refs[name]

    def _source_digest(self, name: str) -> bytes:
        if name not in self._source:
            self._load(name)
        return self._source[name]


@dataclasses.dataclass
class CacheData:
    """What one build leaves for the next: output pages by path with (fingerprint, size,
    mtime_ns) and rendered Markdown by digest."""

    pages: dict[str, list[Any]] = dataclasses.field(default_factory=dict)
    markdown: dict[str, Any] = dataclasses.field(default_factory=dict)


class BuildCache:
    """The cache folder of one site: read once at the start of a build, written at the end."""

    def __init__(self, folder: Path, key: str) -> None:
        self.folder = folder
        self.key = key
        self.previous = CacheData()
        self.problem = ""  # why a cache file that exists was not used, for a warning

    @property
    def file(self) -> Path:
        return self.folder / CACHE_FILE

    def read(self) -> CacheData:
        """The previous build's data, or empty data when there is none, it was made by
        another propgen/config, or it is damaged (then `problem` says so)."""
        try:
            raw = self.file.read_bytes()
        except FileNotFoundError:
            return self.previous
        except OSError as exc:
            self.problem = f"cannot read the build cache ({exc.strerror}); building everything"
            return self.previous
        header, _, body = raw.partition(b"\n")
        try:
            head = json.loads(header)
            if head.get("format") != FORMAT or head.get("key") != self.key:
                return self.previous  # another version or config: ignored quietly, as documented
            if head.get("checksum") != hashlib.sha256(body).hexdigest():
                raise ValueError("checksum mismatch")
            data = json.loads(body)
            self.previous = CacheData(pages=dict(data["pages"]), markdown=dict(data["markdown"]))
        except (ValueError, KeyError, TypeError, AttributeError):
            self.problem = "the build cache is damaged; it was ignored and is being rebuilt"
            self.previous = CacheData()
        return self.previous

    def write(self, data: CacheData) -> None:
        """Atomically replace the cache file (a killed build leaves the old one or none)."""
        body = json.dumps({"pages": data.pages, "markdown": data.markdown}, ensure_ascii=False, separators=(",", ":")).encode()
        header = json.dumps({"format": FORMAT, "key": self.key, "checksum": hashlib.sha256(body).hexdigest()}).encode()
        self.folder.mkdir(parents=True, exist_ok=True)
        readme = self.folder / "README"
        if not readme.exists():
            readme.write_text("propgen's build cache: safe to delete; never commit it (it can hold drafts' text).\n", encoding="utf-8")
        temporary = self.folder / f".{CACHE_FILE}.{os.getpid()}.tmp"
        temporary.write_bytes(header + b"\n" + body)
        os.replace(temporary, self.file)


def config_key(code: str, settings: Mapping[str, object]) -> str:
    """The cache key of one build: propgen's code plus the settings that change every page."""
    h = _hash()
    h.update(code.encode())
    h.update(json.dumps(settings, sort_keys=True, default=str).encode())
    return h.hexdigest()
