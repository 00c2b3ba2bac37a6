"""Output at the edge: collect every file of the build, then publish what changed, all or nothing.

Every output file is claimed once (`Outputs`); then one walk of the output compares it with
what the build made: which files are new or have other bytes, which are the same (kept
pages are vouched for by the cache, the rest compared), and which the output holds that this
build no longer makes. Nothing changed: nothing is written. Otherwise `publish.py` puts the
new site in place, as a patch or a whole-folder swap, so that a failed or killed build never
leaves half a site.

propgen replaces only a folder it made: every output holds `MARKER`.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Location, Report
from .publish import (
    KEEP,
    Adopted,
    Comparison,
    Working,
    WriteError,
    failure,
    folders_of,
    lock,
    publish,
    reason,
    recover,
    test_pause,
    working_paths,
)
from .sources import display_path
from .spool import Spool
from .stamps import entry_line, lines_digest

MARKER = ".propgen-output"
MARKER_TEXT = b"This folder was made by propgen build, which replaces it completely on every build: keep no files of your own here.\n"


@dataclass(frozen=True)
class OutputFile:
    path: str  # posix path inside the output folder
    origin: str  # what produced it, for "two things claim this file" messages
    data: bytes | None = None
    source: Path | str | None = None  # copied from here when data is None (a kept page's is a string: 10,000 paths made for nothing)
    keep: bool = False  # the build cache vouches that the output already holds these bytes (source is that file)
    spooled: bool = False  # source is a page this build rendered into its spool (spool.py): linked into place, not copied

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.source is not None
        return Path(self.source).read_bytes()


class Outputs:
    """Every output file of a build; two claims on one path are a problem, not an overwrite.
    The marker is claimed first, so a static file of that name is a clash, not a silent loss."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.files: dict[str, OutputFile] = {MARKER: OutputFile(MARKER, "propgen's output marker", MARKER_TEXT)}

    def add(self, file: OutputFile) -> None:
        other = self.files.get(file.path)
        if other is not None:
            self.report.error(
                Location(file.origin),
                f"this would be written to /{file.path}, which {other.origin} already writes",
                "propgen writes that file into every output to know the folder is its own: rename yours"
                if file.path == MARKER
                else "rename or move one of them",
            )
            return
        self.files[file.path] = file


def may_replace(folder: Path) -> bool:
    """A folder propgen made (it holds the marker), or one with nothing in it but a `.git`:
    anything else may be someone's own files, and replacing the folder would delete them."""
    if not os.path.lexists(folder):
        return True
    if folder.is_symlink() or not folder.is_dir():
        return False
    names = set(os.listdir(folder)) - {KEEP}
    marker = folder / MARKER
    return not names or (marker.is_file() and not marker.is_symlink())


def settle(out_dir: Path) -> None:
    """Finish what a killed build left beside the output (a committed patch, a swap) before
    this build looks at the output: the cache keeps a page by the file it finds there, so that
    file must already be the one the output will hold. Without leftovers, nothing is locked.
    Raises WriteError."""
    out = out_dir.resolve()
    if unsettled(out):
        with _locked(out, working_paths(out)):
            pass


def unsettled(out_dir: Path) -> bool:
    """Whether a killed build left work beside the output (staged, swapped or a committed
    patch): a build may then not be skipped even when the output looks as the last one left
    it, since the next build's publishing moves it."""
    working = working_paths(out_dir.resolve())
    return any(os.path.lexists(path) for path in (working.staging, working.trash, working.patch))


@dataclass(frozen=True)
class Held:
    """The files an output folder holds since a build wrote it, and their folders: what
    `propgen serve` knows of its own preview folder, which nothing else writes."""

    files: frozenset[str]
    folders: frozenset[str]

    @classmethod
    def of(cls, files: Iterable[str]) -> Held:
        held = frozenset(files)
        return cls(held, frozenset(folders_of(held)))


@dataclass(frozen=True)
class Written:
    changed: int
    unchanged: int
    output: str  # the output's digest as the stamp takes it (stamps.output_digest); "" when not known
    held: Held  # what the output holds now


def write_site(outputs: Outputs, out_dir: Path, held: Held | None = None, spool: Spool | None = None) -> Written:
    """Write all files. The walk that compares them with the output also gives the stamp its
    digest of the output as written (after a patch, only what it changed is looked at again).
    With `held`, what the last write left (`propgen serve`'s own folder), the output is not
    walked: at 10,000 events the walk is a fifth of a save. A `spool` whose pages wait in place
    becomes the new site if it is swapped in (spool.py). Raises WriteError."""
    out = out_dir.resolve()
    working = working_paths(out)
    with _locked(out, working):
        test_pause("locked")
        if not may_replace(out):
            raise WriteError(
                f"{display_path(out)}/ was not made by propgen (it has no {MARKER} file), so it was left as it was",
                "build into a new or empty folder with --out DIR",
            )
        if held is not None and _in_the_way(outputs, out, held):
            held = None  # something propgen did not write stands where a new file goes: walk, as a clean build would
        comparison, listing = _compare(outputs, out) if held is None else (_compare_held(outputs, out, held), Listing(whole=False))
        now = Held.of(outputs.files) if held is None or held.files != outputs.files.keys() else held
        if not comparison.changed and not comparison.removed:  # nothing to publish: the output is left exactly as it is
            return Written(0, len(outputs.files), lines_digest(listing.lines.values()) if listing.whole else "", now)
        patched = publish(comparison, lambda path, target: _place(outputs.files[path], target, out), out, working, _adopted(outputs, spool))
        output = ""
        if patched and listing.whole:
            listing.look_again(out, [*comparison.changed, *comparison.removed])
            output = lines_digest(listing.lines.values())
        return Written(len(comparison.changed), len(comparison.unchanged), output, now)


@dataclass
class Listing:
    """The output as `_compare` walked it: each entry's line as the stamp takes it (stamps.py),
    and the regular files' sizes. Not `whole` when the walk met what the stamp follows and
    this walk does not (a link, a folder it could not read): the stamp then walks again."""

    lines: dict[str, str] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)  # regular files (not links) by path
    whole: bool = True

    def look_again(self, out: Path, paths: list[str]) -> None:
        """After a patch: the entries it wrote or removed, and their folders (a folder's time
        moves with what it holds; one left empty is gone)."""
        again = set(paths)
        for path in paths:
            parent = path.rpartition("/")[0]
            while parent and parent not in again:
                again.add(parent)
                parent = parent.rpartition("/")[0]
        for name in again:
            try:
                found = os.lstat(out / name)
            except FileNotFoundError:
                self.lines.pop(name, None)
                continue
            except OSError:
                self.whole = False
                return
            if stat.S_ISLNK(found.st_mode):
                self.whole = False
                return
            self.lines[name] = entry_line(name, "", found)


@contextmanager
def _locked(out: Path, working: Working) -> Iterator[None]:
    """The output's lock held, and whatever a killed build left beside it finished or undone."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd = lock(working.lock, out)
    except OSError as exc:
        raise failure("could not create propgen's lock file in", out.parent, exc, out) from None
    try:
        recover(out, working)
        yield
    finally:
        os.close(fd)  # releases the lock


def _compare(outputs: Outputs, out: Path) -> tuple[Comparison, Listing]:
    """One walk of `out`: what this build changes in it. Kept pages are vouched for by the
    cache; other files are compared byte for byte, after their sizes."""
    listing = Listing()
    if not os.path.lexists(out):
        return Comparison(sorted(outputs.files), frozenset(), [], blocked=True), Listing(whole=False)
    present: set[str] = set()  # everything but folders: files, links (to folders too: never entered), anything else
    folders: set[str] = set()
    unreadable = False
    pending = [(str(out), "")]
    while pending:  # scandir's entries say what they are, without a system call each (os.walk stats every folder's links)
        folder, prefix = pending.pop()
        try:
            with os.scandir(folder) as listed:
                entries = list(listed)
        except OSError:
            unreadable = True
            continue
        for entry in entries:
            if (
                not prefix and entry.name == KEEP
            ):  # the output's .git (a folder, or a file naming one elsewhere) is never compared or removed
                continue
            name = prefix + entry.name
            try:
                folder_here = entry.is_dir(follow_symlinks=False)
                if entry.is_symlink():
                    listing.whole = False  # the stamp follows links; this walk does not
                found = entry.stat(follow_symlinks=False)
                listing.lines[name] = entry_line(name, "", found)
                if stat.S_ISREG(found.st_mode):
                    listing.sizes[name] = found.st_size
            except OSError:
                folder_here = False
                listing.whole = False
            if folder_here:
                folders.add(name)
                pending.append((entry.path, name + "/"))
            else:
                present.add(name)
    listing.whole = listing.whole and not unreadable
    changed: list[str] = []
    unchanged: set[str] = set()
    for path in sorted(outputs.files):
        if path in listing.sizes and _same(outputs.files[path], listing.sizes[path], out, path):
            unchanged.add(path)
        else:
            changed.append(path)
    removed = sorted(present - set(outputs.files))
    comparison = Comparison(changed, frozenset(unchanged), removed, blocked=unreadable or not folders.isdisjoint(outputs.files))
    return comparison, listing


def _compare_held(outputs: Outputs, out: Path, held: Held) -> Comparison:
    """`_compare` of an output known to hold `held`: kept pages are vouched for by the cache
    (which looked at each one's file), the other files looked at and compared one by one."""
    changed: list[str] = []
    unchanged: set[str] = set()
    folder_in_the_way = False
    for path in sorted(outputs.files):
        file = outputs.files[path]
        if path in held.files and file.keep:
            unchanged.add(path)
            continue
        try:
            found = os.lstat(out / path)
        except OSError:
            found = None
        if found is not None and stat.S_ISDIR(found.st_mode):
            folder_in_the_way = True  # made by hand: only a swap publishes over it, as after a walk
        if path in held.files and found is not None and stat.S_ISREG(found.st_mode) and _same(file, found.st_size, out, path):
            unchanged.add(path)
        else:
            changed.append(path)
    removed = sorted(held.files - outputs.files.keys())
    return Comparison(changed, frozenset(unchanged), removed, blocked=folder_in_the_way or not held.folders.isdisjoint(outputs.files))


def _in_the_way(outputs: Outputs, out: Path, held: Held) -> bool:
    """Whether a folder new to the output meets something there that is not a folder (a file
    made by hand where this build needs a folder): a patch could not be applied over it."""
    for path in outputs.files.keys() - held.files:  # (a folder where a file goes: `_compare_held` blocks, and it is swapped)
        folder = path.rpartition("/")[0]
        while folder and folder not in held.folders:
            try:
                if not stat.S_ISDIR(os.lstat(out / folder).st_mode):
                    return True
            except FileNotFoundError:
                pass
            except OSError:
                return True
            folder = folder.rpartition("/")[0]
    return False


def _same(file: OutputFile, size: int, out: Path, path: str) -> bool:
    """Whether `path` in `out`, a regular file of `size` bytes, already holds `file`'s bytes.
    A kept page is vouched for before any path is made for it (10,000 after one edit)."""
    if file.keep:
        return True
    data = _read(file, out)
    try:
        return size == len(data) and (out / path).read_bytes() == data
    except OSError:
        return False


def _adopted(outputs: Outputs, spool: Spool | None) -> Adopted | None:
    """The spool's pages that wait at their own paths, for a swap to start from."""
    if spool is None or spool.site is None or not spool.site.is_dir():
        return None
    paths = frozenset(p for p, f in outputs.files.items() if f.spooled and f.source is not None and spool.in_place(p, f.source))
    return Adopted(spool.site, paths)


def _place(file: OutputFile, target: Path, out: Path) -> None:
    """Put `file` at `target` in a working folder: a spooled page by a link to the spool's file
    (the same file system, nothing copied), anything else by writing its bytes."""
    if file.spooled and file.source is not None:
        try:
            os.link(file.source, target)
            return
        except OSError:
            pass  # a file system without links: written as any other
    target.write_bytes(_read(file, out))


def _read(file: OutputFile, out: Path) -> bytes:
    try:
        return file.read()
    except OSError as exc:
        raise WriteError(
            f"could not read {file.origin}: {reason(exc)}; the new site was not published and {display_path(out)}/ was left as it was",
            "check that file's permissions",
        ) from None
