"""A whole build skipped when nothing it reads has changed.

The build cache (cache.py) saves work page by page, but it still reads, parses and
validates every record first: seconds at 10,000 events. The stamp asks a cheaper question
before any of that: is every file the build reads (propgen.yaml, content/, static/,
themes/) the same file as last time (name, size, modification time, inode), and are
propgen with its dependencies, the options, the day, the working folder, the secrets
and the output folder itself unchanged? Then the output already is what this build
would write, and the build only replays the last one's warnings and counts.

Like make and ninja it trusts modification times: an editor that saves a file changes
them. Anything it cannot tell for sure (a file it cannot stat, no stamp, a stamp of
another format) means "build", never "skip". The stamp file holds digests, counts and
the last build's (already masked) warnings: no secret, token or private path.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import Location, Report
from .sources import FileStatus, is_dropping, split_language, stem_and_suffix
from .walk import open_regular, replacing

STAMP_FILE = "stamp.json"
FORMAT = 1
INPUT_FOLDERS = ("content", "static", "themes")
EVENTS_FOLDER = "events"  # content/events/: every line of it starts so ("events\0..." the folder, "events/..." its files)
SKIPPED_IN_OUTPUT = frozenset({".git"})  # a deploy repository inside the output is the user's, kept across builds


@dataclass(frozen=True)
class Replay:
    """What a skipped build says: the last build's counts and warnings."""

    pages: int
    proposals: int
    files: int
    warnings: list[tuple[Location, str, str, bool]]

    def report_into(self, report: Report) -> None:
        for location, message, hint, strict in self.warnings:
            report.warning(location, message, hint, strict)


def _lines(
    root: Path,
    skip: frozenset[str] = frozenset(),
    looked: dict[str, FileStatus] | None = None,
    keep: tuple[str, dict[str, str]] | None = None,
) -> list[str]:
    """Every entry under `root` by name, kind, size, mtime and inode, sorted: one line each,
    "?" when `root` cannot be read. Linked folders are followed as walk.py follows them,
    each real folder once. Lines are sorted, so the order a file system lists a folder in
    does not matter. Each file's status goes into `looked` too, by its path, for the build
    to use rather than look again. `keep`: the lines of the entries of one folder (by its
    lines' prefix) go into the dictionary too, by path."""
    try:
        top = root.stat()
    except OSError:
        return ["?"]
    seen = {(top.st_dev, top.st_ino)}
    lines: list[str] = []
    pending = [(str(root), "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            lines.append(f"?{prefix}")
            continue
        for entry in entries:
            if not prefix and entry.name in skip:
                continue
            name = prefix + entry.name
            try:
                s = entry.stat()  # follows links: the file a link names is what the build reads
                link = os.readlink(entry.path) if entry.is_symlink() else ""
            except OSError:
                lines.append(f"!{name}")
                if keep is not None and prefix == keep[0]:
                    keep[1][entry.path] = lines[-1]
                continue
            lines.append(entry_line(name, link, s))
            if keep is not None and prefix == keep[0]:
                keep[1][entry.path] = lines[-1]
            if looked is not None and stat.S_ISREG(s.st_mode):
                looked[entry.path] = (s.st_size, s.st_mtime_ns, s.st_ino)
            if stat.S_ISDIR(s.st_mode) and (s.st_dev, s.st_ino) not in seen:
                seen.add((s.st_dev, s.st_ino))
                pending.append((entry.path, name + "/"))
    lines.sort()
    return lines


@dataclass(frozen=True)
class EventsListing:
    """content/events/ as one walk found it: `propgen serve` keeps it, so the walk of its
    next save looks again only at the files its watcher saw move (at 10,000 events, 20,000
    `stat`s fewer). Kept only for a real folder of files, no folder in it."""

    folder: str  # content/events/, named as the walk names it
    lines: Mapping[str, str]  # each entry's `entry_line`, by path
    looked: Mapping[str, FileStatus]  # each regular file's status, by path

    def patched(self, moved: Iterable[str]) -> EventsListing | None:
        """The listing with the files of `moved` looked at again; None when one of them is not
        a file the listing holds (made, deleted, a folder now): then the folder is walked."""
        lines, looked = dict(self.lines), dict(self.looked)
        for path in moved:
            if os.path.dirname(path) != self.folder:
                if path.startswith(self.folder + os.sep):
                    return None  # under a folder of it: not a listing's to know
                continue  # outside content/events/: walked as ever
            if path not in lines:
                return None
            try:
                s = os.stat(path)
                link = os.readlink(path) if os.path.islink(path) else ""
            except OSError:
                return None
            if not stat.S_ISREG(s.st_mode):
                return None
            lines[path] = entry_line(f"{EVENTS_FOLDER}/{os.path.basename(path)}", link, s)
            looked[path] = (s.st_size, s.st_mtime_ns, s.st_ino)
        return EventsListing(self.folder, lines, looked)


@dataclass(frozen=True)
class Since:
    """`propgen serve`'s knowledge of the input files since its last build's walk."""

    listing: EventsListing  # content/events/ as that walk found it
    moved: frozenset[str]  # the files its watcher saw saved, made or deleted since, by path


@dataclass(frozen=True)
class Walked:
    """What one walk of the site's files tells the build before it reads any of them."""

    every: str  # every file a build reads, by name, size, modification time and inode
    besides: str  # the same without the events' files: the build cache's `Shape` (cache.py)
    content: Mapping[str, FileStatus]  # content/'s files' status by path: kept events are known by it (sources.read_pairs)
    listing: EventsListing | None = None  # content/events/ as found, for `propgen serve`'s next walk


def entry_line(name: str, link: str, s: os.stat_result) -> str:
    """One entry of a tree as the stamp sees it (`s` is its status with links followed)."""
    return f"{name}\0{link}\0{stat.S_IFMT(s.st_mode)}\0{s.st_size}\0{s.st_mtime_ns}\0{s.st_ino}"


def lines_digest(lines: Iterable[str]) -> str:
    """`output_digest` of a tree whose `_lines` these are, in any order."""
    h = hashlib.blake2b(digest_size=20)
    h.update("\n".join(sorted(lines)).encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def files_digests(site: Path, since: Since | None = None) -> Walked:
    """Every file a build reads, by name, size, modification time and inode (not content:
    reading 10,000 files would cost what the stamp is there to save); and, from the same walk,
    the same without the events' files (content/events/), which the build cache (cache.py's
    `Shape`) needs to know that nothing but events changed, and content/'s files' status,
    which the build would otherwise look up again file by file. `since`: content/events/ is
    taken from the last walk but for the files that moved (`EventsListing`)."""
    every, besides = hashlib.blake2b(digest_size=20), hashlib.blake2b(digest_size=20)
    looked: dict[str, FileStatus] = {}
    listing: EventsListing | None = None
    config = site / "propgen.yaml"
    try:
        s = config.stat()
        line = f"propgen.yaml\0{s.st_size}\0{s.st_mtime_ns}\0{s.st_ino}\0".encode()
    except OSError:
        line = b"propgen.yaml?"
    every.update(line)
    besides.update(line)
    for name in INPUT_FOLDERS:
        every.update(f"[{name}]".encode())
        besides.update(f"[{name}]".encode())
        if (site / name).is_dir():
            if name == "content":
                lines, listing = _content_lines(site / name, looked, since)
            else:
                lines = _lines(site / name)
            every.update("\n".join(lines).encode("utf-8", "surrogateescape"))
            if name == "content":
                lines = [line for line in lines if not _event_pair(line)]
            besides.update("\n".join(lines).encode("utf-8", "surrogateescape"))
    return Walked(every.hexdigest(), besides.hexdigest(), looked, listing)


def _content_lines(content: Path, looked: dict[str, FileStatus], since: Since | None) -> tuple[list[str], EventsListing | None]:
    """`_lines` of content/, with content/events/ from `since` when it can say; and the listing
    of content/events/ for the next walk (None when it is a link or holds a folder)."""
    folder = os.path.join(str(content), EVENTS_FOLDER)
    reused = since.listing.patched(since.moved) if since is not None and since.listing.folder == folder else None
    if reused is not None and not os.path.islink(folder):
        try:
            top = os.stat(folder)
        except OSError:
            top = None
        if top is not None and stat.S_ISDIR(top.st_mode):
            lines = _lines(content, frozenset({EVENTS_FOLDER}), looked)
            lines.append(entry_line(EVENTS_FOLDER, "", top))
            lines.extend(reused.lines.values())
            lines.sort()
            looked.update(reused.looked)
            return lines, reused
    found: dict[str, str] = {}
    lines = _lines(content, looked=looked, keep=(f"{EVENTS_FOLDER}/", found))
    if os.path.islink(folder) or not os.path.isdir(folder) or f"?{EVENTS_FOLDER}/" in lines or not all(p in looked for p in found):
        return lines, None  # a folder in it, or one it could not look at: walked every time
    return lines, EventsListing(folder, found, {path: looked[path] for path in found})


def _event_pair(line: str) -> bool:
    """Whether a line of content/ is an event's record or write-up (`events/<slug>.yaml|.md`),
    or the events' folder itself (saving a file by renaming a new one over it changes the
    folder's time). A translated write-up (`<slug>.<lang>.md`) is not: it is read apart from
    its event (validate.py), so it stays among the files outside the events."""
    return _event_file(line.partition("\0")[0])


@lru_cache(maxsize=65536)  # a preview asks it of the same 20,000 names on every save
def _event_file(name: str) -> bool:
    """`_event_pair` of an entry's name."""
    if name == EVENTS_FOLDER:
        return True
    folder, _slash, file = name.rpartition("/")
    stem, suffix = stem_and_suffix(file)
    return folder == EVENTS_FOLDER and not is_dropping(file) and suffix in (".yaml", ".md") and not split_language(stem)[1]


def inputs_digest(files: str, settings: Mapping[str, object], environ: Mapping[str, str], secret_names: Iterable[str]) -> str:
    """The digest of everything a build reads: the first of its `files_digests`, `settings` (the cache
    key, the day or the whole "now" when a template reads the clock, the working folder)
    and the values of `secret_names`, mixed with the rest so the stamp never holds one alone."""
    h = hashlib.blake2b(digest_size=20)
    h.update(files.encode())
    h.update(json.dumps(settings, sort_keys=True, default=str).encode())
    for name in sorted(set(secret_names)):
        h.update(f"{name}={environ.get(name, '')}\0".encode("utf-8", "surrogateescape"))  # the variable's bytes, whatever they are
    return h.hexdigest()


def output_digest(out: Path) -> str:
    """The output folder as the last build left it: a file deleted, replaced or edited by
    hand since then makes the next build a real one."""
    if not out.is_dir():
        return hashlib.blake2b(b"no output", digest_size=20).hexdigest()
    return lines_digest(_lines(out, SKIPPED_IN_OUTPUT))


@dataclass(frozen=True)
class Stamp:
    """The stamp of the last successful build, as read from the cache folder."""

    inputs: str
    output: str
    clock: bool  # a template reads the full "now", so the stamp covers the time, not just the day
    secret_names: list[str]
    replay: Replay


def read_stamp(folder: Path) -> Stamp | None:
    """The last build's stamp; None when there is none or it does not read back."""
    try:
        with open_regular(folder / STAMP_FILE) as file:  # a pipe there must not hang the build
            data = json.loads(file.read().decode("utf-8"))
        if data.get("format") != FORMAT:
            return None
        warnings = [(Location(str(w[0]), int(w[1]), int(w[2])), str(w[3]), str(w[4]), bool(w[5])) for w in data["warnings"]]
        replay = Replay(int(data["pages"]), int(data["proposals"]), int(data["files"]), warnings)
        return Stamp(str(data["inputs"]), str(data["output"]), bool(data["clock"]), [str(n) for n in data["secret_names"]], replay)
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError):
        return None


def write_stamp(folder: Path, inputs: str, out: Path, clock: bool, secret_names: Iterable[str], replay: Replay, output: str = "") -> None:
    """Record a successful build, atomically; `inputs` was taken before the build read anything,
    so a file saved while it ran makes the next build a real one. `output`: the output's
    `output_digest` when the writing knows it (write.py), else the output is walked for it."""
    data = {
        "format": FORMAT,
        "inputs": inputs,
        "output": output or output_digest(out),
        "clock": clock,
        "secret_names": sorted(set(secret_names)),
        "pages": replay.pages,
        "proposals": replay.proposals,
        "files": replay.files,
        "warnings": [[w[0].path, w[0].line, w[0].col, w[1], w[2], w[3]] for w in replay.warnings],
    }
    folder.mkdir(parents=True, exist_ok=True)
    with replacing(folder / STAMP_FILE) as file:
        file.write(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"))


def forget_stamp(folder: Path) -> None:
    """A build that wrote but cannot record its stamp must not leave the previous one behind."""
    (folder / STAMP_FILE).unlink(missing_ok=True)
