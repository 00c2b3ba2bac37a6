"""The build cache: what the last build made, so the next one redoes only what changed.

Caching is a stage of its own. Rendering stays a pure function of (template, context);
this module only says which pages' inputs are unchanged, by comparing fingerprints:

- a page's fingerprint covers its context (the record, write-up, config and every listed
  event it shows, as the template sees them) and the source of every template it can
  reach through extends, include and import; of each event view it holds, only the keys
  the page read when it was last rendered count (reads.py), so a write-up edited changes
  its own page, not every list showing the event's card;
- rendered Markdown is kept by the hash of its text and the renderer's settings;
- validated events are kept by the hash of their files' text (kept.py).

Pages and Markdown live in one JSON file in the cache folder (`.propgen-cache/` by
default), the events in sixteen more files read by an unpickler that makes only an event's
dataclasses, so the folder is safe to delete and safe to restore from a CI cache: it is
data, never code, but for the templates' compiled code, which compiled.py signs with a key
that stays with this computer's user and runs only when that key signed it. Each file is trusted only when its key (propgen's own code, Python, the
versions of every dependency, the site's settings) matches this build's and its checksum
holds; a corrupt file is reported as a warning and rebuilt. Private pages (their paths carry
secret tokens) are never recorded: they are rendered on every build.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import io
import json
import os
import pickle
import re
import stat
import sys
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import jinja2
from jinja2 import meta

from . import kept
from .context import CLOCK_KINDS, DISPLAY_KEYS, GATHERED_KEYS, GATHERING_KINDS, WRITE_UP_KEYS, Context, ContextBuilder
from .kept import KeptEvent, KeptEvents
from .models import Site
from .parallel import map_ordered
from .reads import EVERYTHING, NOW, SITE_VIEW, KeySets, Numbered, PageReads, View, projection
from .routes import Route, StaticCopy
from .walk import open_regular, own_folder, replacing

CACHE_FOLDER = ".propgen-cache"  # in the site folder unless --cache-dir says otherwise
FORMAT = 8  # 2: pages record what they read of the shared views; 3: templates' references kept; 4: the site view read like the events'; 5: key sets numbered; 6: the views each page holds, the site's shape; 7: whether a page read the clock; 8: the search index's record
CACHE_FILE = "build.json"
CODE_FILE = "code.json"  # `code_key`, with the status of the files it was made from
EVENTS_FOLDER = "events"  # kept.py: events read by the last build, by their files' text, in SHARDS files
SHARDS = "0123456789abcdef"  # an event's file: the first character of its digest (hex), so an edit rewrites a sixteenth
DEPENDENCIES = ("jinja2", "markupsafe", "markdown-it-py", "mdit-py-plugins", "pyyaml", "babel", "cryptography", "markdown-it-pyrs")
PACKAGE = Path(__file__).resolve().parent


def _hash() -> hashlib.blake2b:
    return hashlib.blake2b(digest_size=16)


def code_key(folder: Path | None = None, keep: bool = False) -> str:
    """propgen's own code and built-in themes, Python and every dependency's version: a
    cache made by anything else is ignored, never trusted. Read again only when a file of
    the package looks changed: a preview's every save asked, and reading the package (its
    fonts too) took 30 ms; its status takes 1 ms. With the cache `folder`, the key found
    there is used when it was made from this status (`_installed`): then a command reads
    neither the package nor the dependencies' metadata (20 ms of every build's start); with
    `keep`, a key made now is written there."""
    files = []
    for folder_now, subfolders, names in os.walk(PACKAGE):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        for name in names:
            path = os.path.join(folder_now, name)
            status = os.stat(path)
            if stat.S_ISREG(status.st_mode):
                files.append((os.path.relpath(path, PACKAGE), status.st_size, status.st_mtime_ns, status.st_ino))
    files.sort()
    if folder is None or (installed := _installed()) is None:
        return _code_key(tuple(files))
    h = _hash()
    h.update(repr((files, sys.version, installed)).encode())
    made_from, memo = h.hexdigest(), folder / CODE_FILE
    try:
        with open_regular(memo) as file:
            found = json.loads(file.read())
        if isinstance(found, dict) and found.get("from") == made_from and isinstance(found.get("key"), str):
            return str(found["key"])
    except (OSError, ValueError):  # not made yet, damaged, or not a file: made again
        pass
    key = _code_key(tuple(files))
    if keep and folder.is_dir():
        with contextlib.suppress(OSError), replacing(memo) as file:  # only the next start's speed is at stake
            file.write(json.dumps({"from": made_from, "key": key}).encode())
    return key


def _installed() -> list[str] | None:
    """Where Python finds propgen's dependencies, by their metadata folders, whose names
    carry their versions (`jinja2-3.1.6.dist-info`): a version installed differs here without
    the metadata read (`importlib.metadata` alone took 12 ms to import). None when a name
    cannot say: a dependency as an egg or with an `.egg-info` folder (no version in its name),
    or a file or unreadable folder on `sys.path` (a zip): then the key is made afresh."""
    wanted = {_project(name) for name in DEPENDENCIES}
    found = []
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except FileNotFoundError:
            continue  # nothing is imported from a path that does not exist (python311.zip)
        except OSError:
            return None
        for name in sorted(names):
            stem, _dot, kind = name.rpartition(".")
            if kind in ("dist-info", "egg-info", "egg") and _project(stem.split("-")[0]) in wanted:
                if kind != "dist-info":
                    return None
                found.append(os.path.join(entry, name))
    return found


def _project(name: str) -> str:
    """A distribution's name as its metadata folder and `importlib.metadata` compare it."""
    return re.sub(r"[-_.]+", "_", name).lower()


@functools.lru_cache(maxsize=4)
def _code_key(files: tuple[tuple[str, int, int, int], ...]) -> str:
    from importlib import metadata  # imported here: 12 ms, and a build with a cache folder seldom needs it

    h = _hash()
    h.update(sys.version.encode())
    for name in DEPENDENCIES:
        try:
            h.update(f"{name}={metadata.version(name)};".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=-;".encode())
    for relative, *_status in files:
        h.update(Path(relative).as_posix().encode())
        h.update((PACKAGE / relative).read_bytes())
    return h.hexdigest()


def file_digest(paths: Iterable[Path], root: Path) -> str:
    """The paths (from `root`, so the folder the build was started in changes nothing) and
    bytes of the regular files among `paths`, through links as the build reads them (a theme's
    catalog may be a link to a file elsewhere in the site: walk.py lets only those through);
    a FIFO or device is never read, so a link to one cannot hang the cache."""
    h = _hash()
    for path in paths:
        h.update(path.relative_to(root).as_posix().encode())
        try:
            with open_regular(path) as file:
                h.update(file.read())
        except ValueError:  # not a regular file: the build reports it
            h.update(b"-")
        except OSError:
            h.update(b"?")
    return h.hexdigest()


class Fingerprints:
    """Stable digests of template contexts, at C speed: a context is pickled (memo off, so
    equal values give equal bytes whatever objects they share) and hashed. A `View` (an
    event's, the site's) stands in a page's pickle as a digest made once per build: of only
    the keys that page read of it (reads.py), so a page depends on its cards' titles and
    dates, not on the write-ups it never shows."""

    def __init__(self) -> None:
        self._keep: list[View] = []  # alive for the whole build, so no id is reused
        self._projected: dict[frozenset[str], dict[int, bytes]] = {}

    def of(self, value: object, reads: PageReads | None = None, held: set[str] | None = None) -> bytes:
        """The digest of `value`, each view in it as `reads` says the page read it (whole
        without `reads`); b"" when it holds something that cannot be pickled (the page is then
        always rendered: a wasted render, never a stale page). The names of the events' views
        it holds are added to `held`."""
        try:
            return _digest(value, self._lookup(reads, held))
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError, ValueError):  # ValueError: a cycle
            return b""

    def _lookup(self, reads: PageReads | None, held: set[str] | None) -> Callable[[View], bytes]:
        def lookup(view: View) -> bytes:
            if held is not None and not view.view_name.startswith(SITE_VIEW):
                held.add(view.view_name)
            keys = reads.keys(view.view_name) if reads else frozenset([EVERYTHING])
            digests = self._projected.setdefault(keys, {})
            found = digests.get(id(view))
            if found is None:
                self._keep.append(view)
                # Which event it is counts too: `is sameas`, `in` and `==` tell views apart by it.
                found = digests[id(view)] = _digest((view.view_name, projection(view, keys)), None)
            return found

        return lookup


def _digest(value: object, lookup: Callable[[View], bytes] | None) -> bytes:
    buffer = io.BytesIO()
    pickler = _Pickler(buffer, lookup) if lookup else pickle.Pickler(buffer, protocol=5)
    pickler.fast = True  # no memo: sharing must not change the bytes
    pickler.dump(value)
    return hashlib.blake2b(buffer.getvalue(), digest_size=16).digest()


class _Pickler(pickle.Pickler):
    """Pickles a view as its digest. `reducer_override` is asked only about objects other than
    plain str, int, dict, list and the like, so the pickler calls back into Python for the few
    views, dates and Markup of a page, not for each of its hundreds of strings."""

    def __init__(self, file: io.BytesIO, lookup: Callable[[View], bytes]) -> None:
        super().__init__(file, protocol=5)
        self.lookup = lookup

    def reducer_override(self, obj: object) -> Any:
        if isinstance(obj, View):
            return _Digested, (self.lookup(obj),)
        return NotImplemented


class _Digested(bytes):
    """A view in a pickle, by its digest (pickled by name: never unpickled)."""


class TemplateDigests:
    """For each template, a digest of its own source and of every template it can reach
    (extends, include, import), so editing a partial re-renders exactly the pages using it."""

    def __init__(self, env: jinja2.Environment, known: Mapping[str, Any] | None = None) -> None:
        self.env = env
        self._known = known or {}  # what parsing found in each source last time, by its digest (parsing is slow)
        self.learned: dict[str, list[Any]] = {}  # the same for this build's templates, for the next build
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
        pending = [name]
        while pending:
            current = pending.pop()
            if current in seen:
                continue
            seen.add(current)
            refs = self._references(current)
            if refs is None:  # a template chosen at run time: it could be any of them
                return seen | set(self.env.list_templates())
            pending.extend(refs)
        return seen

    def _load(self, name: str) -> None:
        try:
            source, _filename, _uptodate = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            self._source[name], self._refs[name] = b"missing", frozenset()
            return
        digest = self._source[name] = hashlib.blake2b(source.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        remembered = _parsed_from_json(self._known.get(digest.hex()))
        if remembered is not None:
            self._refs[name] = remembered.refs
        else:
            try:
                tree = self.env.parse(source)
            except jinja2.TemplateSyntaxError:
                self._refs[name] = frozenset()  # rendering reports it
                return
            found = list(meta.find_referenced_templates(tree))
            self._refs[name] = None if any(ref is None for ref in found) else frozenset(str(ref) for ref in found)
        refs = self._refs[name]
        self.learned[digest.hex()] = [None if refs is None else sorted(refs)]

    def _references(self, name: str) -> frozenset[str] | None:
        if name not in self._refs:
            self._load(name)
        return self._refs[name]

    def _source_digest(self, name: str) -> bytes:
        if name not in self._source:
            self._load(name)
        return self._source[name]


@dataclasses.dataclass(frozen=True)
class _Parsed:
    refs: frozenset[str] | None  # None: a template chosen at run time, so any of them


def _parsed_from_json(data: Any) -> _Parsed | None:
    """What a template's source references, as `TemplateDigests.learned` keeps it; None for anything else."""
    if not (isinstance(data, list) and len(data) == 1):
        return None
    refs = data[0]
    if refs is None:
        return _Parsed(None)
    if not (isinstance(refs, list) and all(isinstance(r, str) for r in refs)):
        return None
    return _Parsed(frozenset(refs))


@dataclasses.dataclass
class CacheData:
    """What one build leaves for the next: output pages by path (`PageRecord.to_json`),
    rendered Markdown by digest, and what each template's source holds (`TemplateDigests`)."""

    pages: dict[str, list[Any]] = dataclasses.field(default_factory=dict)
    markdown: dict[str, Any] = dataclasses.field(default_factory=dict)
    templates: dict[str, Any] = dataclasses.field(default_factory=dict)  # TemplateDigests.learned
    keysets: KeySets = dataclasses.field(default_factory=KeySets)  # the sets of keys the pages' records name
    names: Names = dataclasses.field(default_factory=lambda: Names())  # the names of the views the pages' records hold
    shape: dict[str, Any] = dataclasses.field(default_factory=dict)  # `Shape.to_json`: what the pages' contexts were made of
    search: dict[str, Any] = dataclasses.field(default_factory=dict)  # `search.Indexed.to_json`: what the search index was made from
    # In memory only (`propgen serve`): kept pages' records as `plan_pages` decoded them, each
    # with the very list of `pages` it was decoded from, so the next save need not decode
    # 10,000 of them again; an entry whose list is not `pages`' own is decoded anew.
    decoded: dict[str, tuple[list[Any], Stored]] = dataclasses.field(default_factory=dict, compare=False)


class BuildCache:
    """The cache folder of one site: read once at the start of a build, written at the end.
    Without a folder it lives in memory only (`propgen serve` keeps one between saves)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.key = ""
        self.previous = CacheData()
        self.problem = ""  # why a cache file that exists was not used, for a warning
        self.events_key = ""
        self.events = KeptEvents()  # in memory only (no folder): the last build's kept events
        self.events_checksum = ""  # of the kept events' file as read or written: build.json names the one it goes with
        self.events_written = 0  # in memory only: how many times the kept events were replaced
        self.events_static = ""  # the digest of static/ the kept events' files were checked against
        self.shard_checksums: dict[str, str] = {}  # of each file of kept events, as read or written

    def read(self, key: str) -> CacheData:
        """The previous build's data, or empty data when there is none, it was made by
        another propgen/config (another `key`), or it is damaged (then `problem` says so)."""
        self.problem = ""
        if self.folder is None:
            return self.previous if key == self.key else CacheData()
        try:
            with open_regular(self.folder / CACHE_FILE) as file:
                header, body = file.readline(), file.read()
        except FileNotFoundError:
            return CacheData()
        except OSError as exc:
            self.problem = f"cannot read the build cache ({exc.strerror}); building everything"
            return CacheData()
        except ValueError:  # not a file (a pipe, a folder)
            self.problem = "the build cache is damaged; it was ignored and is being rebuilt"
            return CacheData()
        try:
            head = json.loads(header)
            if head.get("format") != FORMAT or head.get("key") != key:
                return CacheData()  # another version or config: ignored quietly, as documented
            if head.get("checksum") != hashlib.sha256(body).hexdigest():
                raise ValueError("checksum mismatch")
            data = json.loads(body)
            pages, markdown, templates = dict(data["pages"]), dict(data["markdown"]), dict(data["templates"])
            keysets = KeySets([data["keysets"][str(number)] for number in range(len(data["keysets"]))])
            names = Names([data["names"][str(number)] for number in range(len(data["names"]))])
            return CacheData(pages, markdown, templates, keysets, names, dict(data["shape"]), dict(data["search"]))
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            self.problem = "the build cache is damaged; it was ignored and is being rebuilt"
            return CacheData()

    def write(self, key: str, data: CacheData) -> None:
        """Atomically replace the cache file (a killed build leaves the old one or none)."""
        self.key, self.previous = key, data
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        readme = self.folder / "README"
        if not os.path.lexists(readme):
            with replacing(readme) as file:
                file.write(b"propgen's build cache: safe to delete; never commit it (it can hold drafts' text).\n")
        with replacing(self.folder / CACHE_FILE) as file:
            file.write(_header(key, "0" * 64))  # the checksum's place, filled in once the body is written
            checksum = _write_json(
                file,
                {
                    "pages": data.pages,
                    "markdown": data.markdown,
                    "templates": data.templates,
                    "keysets": {str(number): keys for number, keys in enumerate(data.keysets.to_json())},
                    "names": {str(number): name for number, name in enumerate(data.names.to_json())},
                    "shape": data.shape,
                    "search": data.search,
                },
            )
            file.seek(0)
            file.write(_header(key, checksum))

    def read_events(self, key: str) -> KeptEvents:
        """The events the last build kept (kept.py) when `key` is the same; none otherwise.
        A damaged file is a warning, like the cache's."""
        if self.folder is None:
            self.events_checksum = f"memory:{self.events_written}" if key == self.events_key else ""
            return KeptEvents(self.events.made, self.events.static) if key == self.events_key else KeptEvents()
        shards: dict[str, tuple[dict[str, KeptEvent], str, str]] = {}
        try:
            for shard in SHARDS:
                found = _read_shard(self.folder / EVENTS_FOLDER / f"{shard}.pickle", key)
                if found is None:
                    return KeptEvents()  # none yet, or made by another propgen or config
                shards[shard] = found
        except OSError as exc:
            self.problem = self.problem or f"cannot read the build cache ({exc.strerror}); building everything"
            return KeptEvents()
        except (ValueError, AttributeError, RecursionError):  # RecursionError: a first line of nested brackets
            self.problem = self.problem or "the build cache is damaged; it was ignored and is being rebuilt"
            return KeptEvents()
        statics = {static for _events, static, _checksum in shards.values()}
        if len(statics) != 1:
            return KeptEvents()  # a set of files left half-replaced: the events are read again
        self.events_key, self.events_static = key, statics.pop()  # what the files hold: each written again only when its events change
        self.shard_checksums = {shard: checksum for shard, (_events, _static, checksum) in shards.items()}
        self.events_checksum = _combined(self.shard_checksums)
        return KeptEvents({digest: entry for events, _s, _c in shards.values() for digest, entry in events.items()}, self.events_static)

    def write_events(self, key: str, events: KeptEvents) -> None:
        """Replace the files of kept events whose events changed (a write-up edited rewrites
        one of the sixteen, not all 40 MB of them at 10,000 events)."""
        same_set = key == self.events_key and events.static == self.events_static
        self.events_key, self.events, self.events_static = key, events, events.static
        if self.folder is None:  # in memory, each write is told apart by its number
            self.events_written += 1
            self.events_checksum = f"memory:{self.events_written}"
            return
        folder = own_folder(self.folder / EVENTS_FOLDER)  # a link there is removed, never written through
        (self.folder / "events.pickle").unlink(missing_ok=True)  # the one file of cache format 5
        made, before = _by_shard(events.made), _by_shard(events.previous)
        for shard in SHARDS:
            mine = made.get(shard, {})
            if same_set and shard in self.shard_checksums and not _changed(mine, before.get(shard, {})):
                continue
            with replacing(folder / f"{shard}.pickle") as file:
                file.write(_header(key, "0" * 64, events.static))  # the checksum's place, as in `write`
                body = _Hashing(file)
                kept.dump(mine, body)
                file.seek(0)
                file.write(_header(key, body.sha256.hexdigest(), events.static))
            self.shard_checksums[shard] = body.sha256.hexdigest()
        self.events_checksum = _combined(self.shard_checksums)


def _read_shard(path: Path, key: str) -> tuple[dict[str, KeptEvent], str, str] | None:
    """One file of kept events: (its events, the digest of static/ they were checked against,
    its checksum); None when it is missing or of another key; ValueError when damaged."""
    try:
        with open_regular(path) as file:
            head = json.loads(file.readline())
            if not isinstance(head, dict) or head.get("format") != FORMAT or head.get("key") != key:
                return None
            # Read as it is checked (the unpickler makes nothing but events, so reading before
            # the checksum is known is safe): a file is never held whole.
            body = _Hashing(file)
            events = kept.load(body)
            if body.file.read(1) or head.get("checksum") != body.sha256.hexdigest() or not isinstance(head.get("static"), str):
                raise ValueError("checksum mismatch")
    except FileNotFoundError:
        return None
    return events, head["static"], head["checksum"]


def _by_shard(events: Mapping[str, KeptEvent]) -> dict[str, dict[str, KeptEvent]]:
    """Events by the file that keeps them: the first character of their digest."""
    found: dict[str, dict[str, KeptEvent]] = {}
    for digest, entry in events.items():
        found.setdefault(digest[:1], {})[digest] = entry
    return found


def _changed(made: Mapping[str, KeptEvent], previous: Mapping[str, KeptEvent]) -> bool:
    """Whether a file's events differ from what it holds: another event, or one whose files have
    another name, size or time (its signature, so that the next build need not read it)."""
    return made.keys() != previous.keys() or any(entry.signature != previous[digest].signature for digest, entry in made.items())


def _combined(checksums: Mapping[str, str]) -> str:
    """One checksum for the set of files, which build.json names (cache.py's `Shape`)."""
    return hashlib.sha256("".join(f"{shard}{checksums.get(shard, '-')}" for shard in SHARDS).encode()).hexdigest()


def _header(key: str, checksum: str, static: str | None = None) -> bytes:
    """A cache file's first line; a SHA-256 digest is always 64 characters, so the real one
    takes exactly the place of the zeros written before the body."""
    head: dict[str, object] = {"format": FORMAT, "key": key, "checksum": checksum}
    if static is not None:
        head["static"] = static
    return json.dumps(head).encode() + b"\n"


class _Hashing:
    """A file that hashes what is written or read through it, for a checksum without holding the bytes."""

    def __init__(self, file: BinaryIO) -> None:
        self.file, self.sha256 = file, hashlib.sha256()

    def write(self, data: bytes, /) -> int:
        self.sha256.update(data)
        return self.file.write(data)

    def read(self, size: int = -1, /) -> bytes:
        data = self.file.read(size)
        self.sha256.update(data)
        return data

    def readinto(self, buffer: Any, /) -> int:
        count = self.file.readinto(buffer)  # type: ignore[attr-defined]
        self.sha256.update(memoryview(buffer)[:count])
        return int(count)

    def readline(self, size: int = -1, /) -> bytes:
        data = self.file.readline(size)
        self.sha256.update(data)
        return data


def _write_json(file: BinaryIO, data: Mapping[str, Mapping[str, Any]]) -> str:
    """Write `data` (a mapping of mappings) as JSON a thousand entries at a time and return the
    SHA-256 of what was written: never the whole file as one string, and each part by the
    C encoder (`iterencode`, which streams, is the pure-Python one: 1.4 s at 10,000 pages)."""
    checksum = hashlib.sha256()

    def put(text: str) -> None:
        part = text.encode()
        checksum.update(part)
        file.write(part)

    put("{")
    for number, (name, entries) in enumerate(data.items()):
        put(("," if number else "") + json.dumps(name) + ":{")
        items = list(entries.items())
        for start in range(0, len(items), 1000):
            part = json.dumps(dict(items[start : start + 1000]), ensure_ascii=False, separators=(",", ":"))[1:-1]
            if part:
                put(("," if start else "") + part)
        put("}")
    put("}")
    return checksum.hexdigest()


class Names(Numbered[str]):
    """The names of the events' views pages hold."""

    def __init__(self, known: object = ()) -> None:
        super().__init__(list(known) if isinstance(known, list) and all(isinstance(name, str) for name in known) else [])

    def to_json(self) -> list[str]:
        return list(self._values)


@dataclasses.dataclass(frozen=True)
class PageRecord:
    """What the cache keeps of one public page: its fingerprint, its file as written (size,
    mtime), what it read of the shared views and which events' views its context held."""

    fingerprint: str
    reads: PageReads
    size: int = -1
    mtime_ns: int = -1
    held: frozenset[str] = frozenset()

    def to_json(self, table: KeySets, names: Names) -> list[Any]:
        """With whether the page read the clock beside what it read: `Stored` tells it unread."""
        held = sorted(names.number(name) for name in self.held)
        return [self.fingerprint, self.size, self.mtime_ns, self.reads.to_json(table), held, self.reads.reads_now()]


@dataclasses.dataclass(frozen=True)
class Stored:
    """A `PageRecord` as the cache file holds it, its reads not yet decoded: a rebuild after one
    edit keeps nearly every page by its fingerprint and file alone, and decoding the reads of
    10,000 records was a tenth of it. `keys` looks up one view's, `record()` decodes them all."""

    fingerprint: str
    size: int
    mtime_ns: int
    held: frozenset[object]  # the numbers in `names` of the views the page held
    reads_now: bool  # `PageReads.reads_now` of the reads
    encoded: tuple[object, dict[str, object]]  # `PageReads.to_json`'s list: the usual keys' number, the others' by view
    table: KeySets
    names: Names

    @classmethod
    def from_json(cls, data: Any, table: KeySets, names: Names) -> Stored | None:
        """None for a record this version did not write (it is then rendered again)."""
        try:
            fingerprint, size, mtime, reads, held, now = data
            if not (
                isinstance(fingerprint, str)
                and isinstance(size, int)
                and isinstance(mtime, int)
                and isinstance(held, list)
                and all(names.holds(number) for number in held)  # else which views it held is unknown: rendered again
                and isinstance(now, bool)
                and isinstance(reads, list)
                and len(reads) == 2
                and isinstance(reads[1], dict)
            ):
                return None
            if now != _reads_now(reads[1], table):  # the bit the stamp trusts must say what the reads say
                return None
            return cls(fingerprint, size, mtime, frozenset(held), now, (reads[0], reads[1]), table, names)
        except (TypeError, ValueError):
            return None

    def keys(self, name: str) -> frozenset[str]:
        """`PageReads.keys` without decoding the rest; ValueError when the record names a set the table does not hold."""
        usual, unusual = self.encoded
        return self.table.keys(unusual.get(name, usual))

    def record(self) -> PageRecord | None:
        """The whole record; None when its reads do not decode (the page is then rendered again)."""
        try:
            held = frozenset(self.names.value(n) for n in self.held)
            return PageRecord(self.fingerprint, PageReads.from_json(list(self.encoded), self.table), self.size, self.mtime_ns, held)
        except (TypeError, ValueError):
            return None


class PagePrints:
    """A public page's fingerprint: its path, template (with everything it reaches), and its
    context as `Fingerprints` digests it. The site's view is a `View` too, so `now` counts only
    for a page that read it (a clock without SOURCE_DATE_EPOCH must not re-render everything)."""

    def __init__(self, templates: TemplateDigests, routes: Sequence[Route]) -> None:
        self.templates = templates
        self.prints = Fingerprints()
        for name in sorted({r.template for r in routes if r.template}):  # before any fork: workers inherit the answers
            templates.of(name)

    def of(self, route: Route, context: Context, reads: PageReads, held: set[str] | None = None) -> str:
        """ "" when the context cannot be digested: the page is then always rendered. The
        names of the events' views the context holds are added to `held`."""
        digest = self.prints.of(context, reads, held)
        if not digest:
            return ""
        h = _hash()
        h.update(f"{route.path}\0{route.template}\0{route.kind}\0{self.templates.of(route.template)}\0".encode())
        h.update(digest)
        return h.hexdigest()


@dataclasses.dataclass(frozen=True)
class Shape:
    """What every public page's context is made of besides the events' views it holds: the
    files outside content/events/ (by name, size, time and inode, as the stamp sees them),
    the build's settings (the cache key), the public routes, each event's selection (its
    record without its write-up and the fields only its view shows: `kept.event_shapes`), in
    order, and which photos of static/ some content shows and which files are published at
    their own path (a photo that a write-up, or a draft, starts or stops showing moves every
    link to it: images/store.py); and apart, each site view's keys. When the last build's
    shape is this one's, only write-ups and the fields of `kept.DISPLAY_FIELDS` changed
    (`Changes`): a page that read nothing they make, and no site view's key that changed, has
    the fingerprint it had and is kept without its context being made and digested again (at
    10,000 events, fingerprinting every page was a third of a rebuild after one edit, and half
    of one after a summary edited)."""

    digest: str
    site: dict[str, dict[str, str]]  # each site view's keys' digests, by view name

    def to_json(self, events_file: str) -> dict[str, Any]:
        """With the checksum of the kept events' file written beside it: the events it was made with."""
        return {"digest": self.digest, "events_file": events_file, "site": self.site}


def site_shape(
    outside: str,
    key: str,
    routes: Sequence[Route],
    site: Site,
    static_copies: Sequence[StaticCopy],
    kept: KeptEvents,
    site_views: Sequence[View],
) -> Shape | None:
    """This build's `Shape`; None when an event has no kept shape (its files could not be read
    as text: nothing is then known of it)."""
    shapes = kept.selections()
    h = _hash()
    h.update(f"{outside}\0{key}\n".encode())
    for route in routes:
        if not route.private:
            h.update(f"{route.path}\0{route.kind}\0{route.template}\0{route.source}\0{route.listed}\0{route.lang}\n".encode())
    for event in site.events:
        found = shapes.get(event.slug)
        if not found:
            return None
        h.update(f"{event.slug}\0{found}\n".encode())
    for path in sorted(path for path, _where in site.static_used_at):  # shown by some content, drafts too
        h.update(f"shown:{path}\n".encode())
    for path in sorted(copy.output for copy in static_copies if copy.output == copy.source):
        h.update(f"published:{path}\n".encode())
    views = {view.view_name: {k: _value_digest(v) for k, v in dict.items(view)} for view in site_views}
    return Shape(h.hexdigest(), views)


def _value_digest(value: object) -> str:
    """ "" for a value that cannot be digested: it counts as changed on every build."""
    try:
        return _digest(value, None).hex()
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError, ValueError):
        return ""


@dataclasses.dataclass(frozen=True)
class Changes:
    """What changed since the last build when its `Shape` is this one's: the events read again
    from their files, each with the keys of its view that can differ (those made from write-ups,
    and from `kept.DISPLAY_FIELDS` and `GATHERED_FIELDS` if its record changed: the rest is in
    the shape), and each site view's keys whose value differs."""

    views: dict[int, tuple[str, frozenset[str]]]  # by the views' numbers in the cache's `Names`
    site: dict[str, frozenset[str]]
    gathered: bool = False  # an event's record changed: the pages of `GATHERING_KINDS` count it anew

    def touch(self, route: Route, stored: Stored) -> bool:
        """Whether the page's fingerprint may differ from its record's, as `Fingerprints` takes
        it: it read a key that can differ of an event's view it holds that was read again, or a key
        of a site view that changed (a view read whole: any key). A page whose context reads
        the clock itself is always fingerprinted, and so is one whose reads do not decode, and
        one that gathers from every event's record (the home page's count of guests) when one
        changed."""
        if route.kind in CLOCK_KINDS or (self.gathered and route.kind in GATHERING_KINDS):
            return True
        changed = [self.views[number] for number in self.views.keys() & stored.held]
        for name, keys in [*changed, *self.site.items()]:
            if not keys:
                continue
            try:
                read = stored.keys(name)
            except ValueError:
                return True
            if EVERYTHING in read or not read.isdisjoint(keys):
                return True
        return False


def changes_since(
    previous: Mapping[str, Any],
    shape: Shape | None,
    read_again: Iterable[str],
    reworded: Collection[str],
    events_file: str,
    names: Names,
) -> Changes | None:
    """The `Changes` since the build that left `previous` (`Shape.to_json`), or None when its
    shape was another or it went with another file of kept events than the one read now (a
    build whose events' file could not be written). `reworded`: the events read again whose
    record changed (`KeptEvents.reworded`). `names`: the table the pages' records number views
    by (a view it has no number for is held by no recorded page)."""
    if shape is None or previous.get("digest") != shape.digest or previous.get("events_file") != events_file or not events_file:
        return None
    before = previous.get("site")
    if not isinstance(before, dict) or before.keys() != shape.site.keys():
        return None
    site: dict[str, frozenset[str]] = {}
    for name, now in shape.site.items():
        then = before[name]
        if not isinstance(then, dict):
            return None
        site[name] = frozenset(k for k in now.keys() | then.keys() if not now.get(k) or now.get(k) != then.get(k))
    views = {
        number: (name, WRITE_UP_KEYS | DISPLAY_KEYS | GATHERED_KEYS if name in reworded else WRITE_UP_KEYS)
        for name in read_again
        if (number := names.find(name)) is not None
    }
    return Changes(views, site, gathered=bool(reworded))


@dataclasses.dataclass
class PagePlan:
    """The cache stage's decision: which pages to render and which to keep as they are."""

    render: list[Route]
    keep: list[Route]  # unchanged since the last build: the file in the output stays
    records: dict[str, Stored]  # kept pages' records as the cache file holds them, by output path


def recorded(route: Route) -> bool:
    """Whether the cache keeps a record of this page: public pages made from a template.
    Private pages (their paths carry secret tokens) are always rendered, never recorded."""
    return not route.private and bool(route.template)


def plan_pages(
    routes: Sequence[Route],
    contexts: ContextBuilder,
    prints: PagePrints,
    previous: CacheData,
    out: Path,
    jobs: int = 1,
    changes: Changes | None = None,
) -> PagePlan:
    """Keep a page only when the last build recorded it, its fingerprint (over what it read
    then) is the same now, and its file in `out` is the one that build wrote (same size and
    modification time). A page without a record is rendered without being fingerprinted
    first: rendering records what it reads, and its fingerprint is taken then. With `changes`,
    a page they do not touch has its recorded fingerprint, unmade; the others' are taken by
    `jobs` processes (at 10,000 pages, a second and a half in one)."""
    plan = PagePlan([], [], {})
    folder = str(out)
    stored = {route.output: _stored(route.output, previous) for route in routes if recorded(route)}
    candidates = []
    fingerprints = {}
    for route in routes:
        found = stored.get(route.output)
        if found is None:
            continue
        if changes is not None and not changes.touch(route, found):
            fingerprints[route.output] = found.fingerprint
        elif (record := found.record()) is not None:
            candidates.append((route, record))
    prints_found = map_ordered(
        lambda i: prints.of(candidates[i][0], contexts.for_route(candidates[i][0]), candidates[i][1].reads), len(candidates), jobs
    )
    fingerprints |= {route.output: fingerprint for (route, _record), fingerprint in zip(candidates, prints_found, strict=True)}
    for route in routes:
        found = stored.get(route.output)
        if (
            found is not None
            and fingerprints.get(route.output) == found.fingerprint != ""
            and _same_file(os.path.join(folder, route.output), found)
        ):
            plan.keep.append(route)
            plan.records[route.output] = found
        else:
            plan.render.append(route)
    return plan


def _stored(path: str, previous: CacheData) -> Stored | None:
    """The page's record as `previous` holds it: as decoded by the last build in this process
    when that was from this very list with these very tables, else decoded now."""
    data = previous.pages.get(path)
    memo = previous.decoded.get(path)
    if memo is not None and memo[0] is data and memo[1].table is previous.keysets and memo[1].names is previous.names:
        return memo[1]
    return Stored.from_json(data, previous.keysets, previous.names)


def _reads_now(unusual: dict[str, object], table: KeySets) -> bool:
    """`PageReads.reads_now` of a record's reads as the cache file holds them, decoding only the
    site's views (one or two); ValueError for a set the table does not hold."""
    for name, number in unusual.items():
        if isinstance(name, str) and name.startswith(SITE_VIEW):
            keys = table.keys(number)
            if NOW in keys or EVERYTHING in keys:
                return True
    return False


def _same_file(path: str, record: Stored) -> bool:
    try:
        stat = os.lstat(path)  # a string, not a Path: 10,000 of them
    except OSError:
        return False
    return (stat.st_size, stat.st_mtime_ns) == (record.size, record.mtime_ns)


def decoded_records(
    records: Mapping[str, list[Any]], paths: Iterable[str], table: KeySets, names: Names
) -> dict[str, tuple[list[Any], Stored]]:
    """The records of `paths` decoded, each with the very list it was decoded from
    (`CacheData.decoded`): a preview's build decodes those of the pages it rendered, else the
    first save after the preview starts, or after a template saved, decodes every page's
    record again (0.4 s at 10,000 events)."""
    found = {}
    for path in paths:
        if path in records and (stored := Stored.from_json(records[path], table, names)) is not None:
            found[path] = (records[path], stored)
    return found


def page_records(records: Mapping[str, PageRecord], out: Path, table: KeySets, names: Names) -> dict[str, list[Any]]:
    """After a write: each recorded page with its file's size and mtime as written."""
    found: dict[str, list[Any]] = {}
    for path, record in records.items():
        try:
            stat = (out / path).lstat()
        except OSError:
            continue
        found[path] = dataclasses.replace(record, size=stat.st_size, mtime_ns=stat.st_mtime_ns).to_json(table, names)
    return found


def config_key(code: str, settings: Mapping[str, object]) -> str:
    """The cache key of one build: propgen's code plus the settings that change every page."""
    h = _hash()
    h.update(code.encode())
    h.update(json.dumps(settings, sort_keys=True, default=str).encode())
    return h.hexdigest()
