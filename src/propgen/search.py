"""Search with Pagefind, when it is installed (`pip install 'propgen[search]'`): its index of the
public event pages and pages, made after rendering and published as output files under
`pagefind/`, so the swap in write.py publishes it with the pages or not at all.

Pagefind reads only a copy of those pages, made here: a private page (a proposal, a sponsor's
prospectus) never reaches it, whatever a theme marks. Everything it makes is served from the
site itself (no third-party request), and the same pages give the same bytes. The copy is
kept in the build cache's folder between builds (`kept_copy`), and brought up to date page
by page (`write_pages`): at 1,000 events, writing it afresh was a third of a build after one
write-up was edited.

Pagefind has no incremental mode: it reads every page each time (two seconds at 1,000 events).
So a build that gives it the very pages the last one gave it (a proposal edited, a private
page or a stylesheet changed) keeps the last build's index as the output holds it (`Indexed`).
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import hashlib
import json
import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Location, Report, is_text
from .publish import try_lock
from .walk import is_plain_file, own_folder

BUNDLE = "pagefind/"  # the bundle's folder in the output
INDEXED_KINDS = ("event", "page")  # what a visitor searches for: past events and the coordinator's pages
_FOLDERS: list[Path] = []  # this process's working folder, replaced by each build


def is_pagefind_name(path: str) -> bool:
    """Whether Pagefind may write this output path: its bundle's files are named `pagefind*`
    or `wasm.*` in `pagefind/`, and its index is kept in `index/`, `fragment/` and `filter/`
    under it. A file of the site there would be replaced by the index, or replace part of it."""
    if not path.startswith(BUNDLE):
        return False
    inside = path[len(BUNDLE) :]
    first, _, rest = inside.partition("/")
    return first in ("index", "fragment", "filter") if rest else first.startswith(("pagefind", "wasm."))


def report_bundle_clashes(published: Iterable[tuple[str, str]], report: Report) -> None:
    """A file of `static/` (its output path and its place as messages show it) that Pagefind
    may also write, reported at the file, before Pagefind runs: the build would fail on the
    clash anyway, and the preview, which makes the index only when the search page asks, would
    serve the site's file and leave its search broken without a word."""
    for path, origin in published:
        if is_pagefind_name(path):
            report.error(
                Location(origin),
                f"this would be written to /{path}, where propgen publishes the site's search index (Pagefind)",
                f"move it out of static/{path.rpartition('/')[0]}/"
                + ("" if path.count("/") > 1 else ", or rename it so that its name starts with neither 'pagefind' nor 'wasm.'"),
            )


def find_pagefind() -> Path | None:
    """The Pagefind program of the `pagefind[bin]` package, or None when it is not installed."""
    try:
        from pagefind_bin import get_executable  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        return None
    try:
        found: Path = get_executable()
    except (FileNotFoundError, OSError):
        return None
    return found


def index_pages(
    program: Path, pages: Iterable[tuple[str, Callable[[], bytes]]], report: Report, where: Location, kept: Path | None = None
) -> dict[str, Path]:
    """Index `pages` ((output path, its bytes), in the order of their paths) and return the
    bundle's files by output path under `pagefind/`; {} after reporting a failure at `where`
    (the site's propgen.yaml, as messages name it from where propgen runs). `kept`: the folder
    of the last build's copy (`kept_copy`); a fresh one is made without it, or when that
    folder cannot be tidied (a restored cache with a folder propgen may not write): the cache
    only ever costs speed, never a build."""
    given = list(pages)
    folder = kept
    if folder is not None:
        try:
            _remove(folder / "bundle")  # the last build's: Pagefind makes its own
            write_pages(folder, ((path, read()) for path, read in given))
        except OSError:
            folder = None
    if folder is None:
        folder = _working_folder()
        write_pages(folder, ((path, read()) for path, read in given))
    bundle = run_pagefind(program, folder, report, where)
    return {} if bundle is None else {BUNDLE + p.relative_to(bundle).as_posix(): p for p in sorted(bundle.rglob("*")) if is_plain_file(p)}


@contextlib.contextmanager
def kept_copy(cache: Path | None) -> Iterator[Path | None]:
    """The folder of Pagefind's copy in the cache folder `cache` (`search/`), held for this
    build until it ends (its bundle is published from there); None when there is no cache
    folder, it cannot be used, or another build holds it (that build's copy is left alone:
    this one makes its own)."""
    folder = cache / "search" if cache is not None else None
    fd = _locked_folder(folder) if folder is not None else None
    if fd is None:
        yield None
        return
    try:
        yield folder
    finally:
        os.close(fd)  # releases the lock


def _locked_folder(folder: Path) -> int | None:
    """`folder`'s lock file, open and locked; None when it cannot be, or another build holds it."""
    try:
        own_folder(folder)  # a link there (a restored cache) is removed, never followed
        if os.path.islink(folder / "lock"):
            os.unlink(folder / "lock")  # the link alone
        return try_lock(folder / "lock")
    except OSError:
        return None


def write_pages(folder: Path, pages: Iterable[tuple[str, bytes]]) -> tuple[str, int]:
    """Pagefind's copy of `pages` ((output path, bytes), in the order of their paths) in
    `folder`/site, one page in memory at a time; the digest of their paths and bytes, and how
    many there are.

    A copy already there (the last build's) is brought up to date: a page it holds is read and
    rewritten in place only where its bytes differ, a page no longer given is removed. Pagefind
    numbers the pages in the order their folders list them, which on some file systems (tmpfs,
    btrfs) is the order they were made in: so a copy is only ever made in the order of the
    paths, and one that lacks a page given is made again from the start rather than given it
    out of that order. The index is then a fresh copy's, byte for byte."""
    site, digest, count = folder / "site", hashlib.blake2b(digest_size=16), 0
    held = _held_pages(site)
    if held is None:  # none, or not one this function made (a link, another kind of file): made afresh
        _remove(site)
    done: list[str] = []
    for path, data in pages:
        if done and path <= done[-1]:
            raise ValueError(f"Pagefind's copy is made in the order of the pages' paths: {path} came after {done[-1]}")
        if held is not None and path not in held:
            _afresh(site, done)
            held = None
        target = site / path
        if held is None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        else:
            held.discard(path)
            if _bytes_of(target) != data:
                target.write_bytes(data)  # in place: the file keeps its place in its folder's list
        done.append(path)
        digest.update(b"%s\0%d\0" % (path.encode("utf-8", "surrogateescape"), len(data)))
        digest.update(data)
        count += 1
    for path in held or ():  # pages the last build gave and this one does not, and their folders left empty
        (site / path).unlink()
        _remove_empty((site / path).parent, site)
    return digest.hexdigest(), count


def _remove_empty(folder: Path, site: Path) -> None:
    """`folder` and those above it up to `site`, while they are empty."""
    while folder != site:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _held_pages(site: Path) -> set[str] | None:
    """The paths of the files in a copy; None when there is none, or it holds anything but
    folders and regular files."""
    held: set[str] = set()
    below = [""]
    if os.path.islink(site):
        return None
    try:
        while below:
            prefix = below.pop()
            with os.scandir(site / prefix) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        below.append(f"{prefix}{entry.name}/")
                    elif entry.is_file(follow_symlinks=False):
                        held.add(prefix + entry.name)
                    else:
                        return None
    except OSError:
        return None
    return held


def _afresh(site: Path, done: list[str]) -> None:
    """The copy made again from the start, its pages `done` so far first, in their order."""
    old = site.with_name("site.old")
    _remove(old)
    site.rename(old)
    for path in done:
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((old / path).read_bytes())
    _remove(old)


def _bytes_of(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _remove(path: Path) -> None:
    """A folder of this module's and what it holds, or anything else standing in its place (a
    link alone); OSError when something of it is left (a folder propgen may not write)."""
    if os.path.islink(path) or (os.path.lexists(path) and not os.path.isdir(path)):
        os.unlink(path)
    else:
        shutil.rmtree(path, ignore_errors=True)
    if os.path.lexists(path):
        raise OSError(errno.ENOTEMPTY, "could not remove it", str(path))


def run_pagefind(
    program: Path,
    folder: Path,
    report: Report,
    where: Location,
    started: Callable[[subprocess.Popen[str]], None] | None = None,
    name: str = "bundle",
) -> Path | None:
    """Pagefind's bundle of the pages in `folder`/site, made in `folder`/`name`; None after
    reporting a failure. `started` is given the running program (the preview stops it)."""
    site, bundle = folder / "site", folder / name  # a fresh name, or one index_pages removed
    # Its folders named from where it starts: it refuses a path that is not UTF-8 text (TMPDIR may be).
    command = [str(program), "--site", site.name, "--output-path", bundle.name, "--silent"]
    # Started in its working folder without PAGEFIND_* variables: Pagefind reads settings from
    # both (a pagefind.yml where it starts), which would make the index more than its pages.
    # Nor variables that are not UTF-8 text (PWD in a folder named by an old zip program): Pagefind
    # stops on the first one it meets.
    environ = {name: value for name, value in os.environ.items() if not name.startswith("PAGEFIND_") and is_text(name + value)}
    try:
        with subprocess.Popen(command, cwd=folder, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
            if started is not None:
                started(process)
            try:
                stdout, stderr = process.communicate(timeout=600)
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate()
                raise
    except (OSError, subprocess.TimeoutExpired) as exc:
        report.error(where, f"Pagefind could not index the site: {exc}", "reinstall it: pip install 'propgen[search]'")
        return None
    if process.returncode != 0:
        said = (stderr or stdout).strip().splitlines()
        report.error(
            where,
            f"Pagefind could not index the site: {said[-1] if said else f'it stopped with code {process.returncode}'}",
            "reinstall it (pip install 'propgen[search]'), or uninstall it to build without search",
        )
        return None
    _sorted_entry(bundle / "pagefind-entry.json")
    return bundle


@dataclass(frozen=True)
class Indexed:
    """What a build's index was made from, and its files in the output as that build left
    them: the next build keeps them when Pagefind would be given the same pages."""

    program: str  # the Pagefind program (`program_identity`)
    pages: dict[str, str]  # each indexed page's output path: the digest of its bytes
    files: dict[str, tuple[int, int]] = field(default_factory=dict)  # each file of the bundle: its size and time (ns) in the output

    def to_json(self) -> dict[str, Any]:
        return {"program": self.program, "pages": self.pages, "files": {path: list(seen) for path, seen in self.files.items()}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Indexed | None:
        """None for anything but what `to_json` writes (an empty record, another format)."""
        try:
            files = {str(path): (int(size), int(mtime)) for path, (size, mtime) in dict(data["files"]).items()}
            pages = {str(path): str(digest) for path, digest in dict(data["pages"]).items()}
            return cls(str(data["program"]), pages, files) if files else None
        except (KeyError, TypeError, ValueError):
            return None

    def written(self, out: Path, paths: Iterable[str]) -> Indexed:
        """The same index with its files' sizes and times as writing left them in `out`."""
        files = {}
        for path in paths:
            try:
                found = (out / path).stat()
            except OSError:
                return Indexed(self.program, self.pages)  # no files: the next build indexes again
            files[path] = (found.st_size, found.st_mtime_ns)
        return Indexed(self.program, self.pages, files)

    def intact(self, out: Path) -> bool:
        """Whether every file of the bundle is in `out` as this index left it."""
        for path, seen in self.files.items():
            try:
                found = os.lstat(out / path)
            except OSError:
                return False
            if not stat.S_ISREG(found.st_mode) or (found.st_size, found.st_mtime_ns) != seen:
                return False
        return bool(self.files)


def program_identity(program: Path) -> str:
    """The Pagefind program by its path, size and time: another version indexes afresh."""
    try:
        found = program.stat()
    except OSError:
        return ""
    return f"{program}\0{found.st_size}\0{found.st_mtime_ns}"


def search_index(
    program: Path,
    pages: Sequence[tuple[str, bool, Callable[[], bytes]]],
    last: Indexed | None,
    out: Path,
    report: Report,
    where: Location,
    kept: Path | None = None,
) -> tuple[dict[str, Path], Indexed | None]:
    """The bundle's files by output path (as `index_pages`), and what it was made from.
    `pages`: each indexed page's output path, whether the build kept its file (the cache
    vouches it holds the bytes the last build wrote), and its bytes. When they are the pages
    `last` was made from, by the same program, and its files are in `out` as it left them,
    those files are the bundle, with `last` returned as it is; otherwise Pagefind indexes,
    from the copy in `kept` (`kept_copy`) when there is one."""
    identity = program_identity(program)
    if last is not None and last.program == identity and last.intact(out) and _same_pages(pages, last):
        return {path: out / path for path in last.files}, last
    digests: dict[str, str] = {}

    def reading(path: str, read: Callable[[], bytes]) -> Callable[[], bytes]:
        def bytes_of_page() -> bytes:  # digested as Pagefind's copy is made: each page read once
            data = read()
            digests[path] = _digest(data)
            return data

        return bytes_of_page

    given = sorted(((path, reading(path, read)) for path, _kept, read in pages), key=lambda page: page[0])
    files = index_pages(program, given, report, where, kept)
    return files, (Indexed(identity, digests) if files else None)


def _same_pages(pages: Sequence[tuple[str, bool, Callable[[], bytes]]], last: Indexed) -> bool:
    """Whether `pages` are the ones `last` indexed: the same paths, a kept page's bytes as the
    cache vouches (the file the last build wrote), a rendered page's by their digest."""
    if last.pages.keys() != {path for path, _kept, _read in pages}:
        return False
    return all(kept or _digest(read()) == last.pages[path] for path, kept, read in pages)


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _sorted_entry(entry: Path) -> None:
    """Pagefind lists a multilingual site's languages in its entry file in whatever order its
    hash map gives: sorted here, so the same pages give the same bytes (the script reads the
    languages by name, so their order means nothing to it)."""
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
        data["languages"] = dict(sorted(data["languages"].items()))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return  # not the format this was written for: left as Pagefind wrote it
    entry.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _working_folder() -> Path:
    """A fresh folder for one build's copy and bundle, the previous build's removed (serve
    builds many times in one process); all of them go when the process ends."""
    for old in _FOLDERS:
        shutil.rmtree(old, ignore_errors=True)
    if not _FOLDERS:
        atexit.register(_remove_all)
    _FOLDERS[:] = [Path(tempfile.mkdtemp(prefix="propgen-search-"))]
    return _FOLDERS[0]


def _remove_all() -> None:
    for folder in _FOLDERS:
        shutil.rmtree(folder, ignore_errors=True)
