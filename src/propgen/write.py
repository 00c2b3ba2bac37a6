"""Output at the edge: collect every file of the build, then write it all or nothing.

The site is written into a temporary folder beside the output and swapped in only when
everything succeeded, so a failed build leaves the previous site untouched. A file whose
bytes did not change is carried over (same inode, same mtime), so deploy tools that
compare timestamps see only what really changed.

propgen replaces only a folder it made: every output holds `MARKER`. Its own working
files beside the output are all named `.propgen-<output>.*`, so one `.gitignore` line
(`.propgen-*`, written by `propgen init`) keeps proposals in them out of `git add -A`.
The swap is ordered so that a build killed at any instant loses nothing, and the next
build (under the same lock) finishes or undoes it in `recover()`:

1. the new site is written into STAGING (`.propgen-<output>.new`), which never holds a `.git`;
2. the output is renamed to TRASH (`.propgen-<output>.old`);
3. STAGING is renamed to the output;
4. a `.git` in TRASH (a deploy branch checked out in the output) is moved into the new output;
5. TRASH is removed, only once it holds no `.git`.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import signal
import stat
import sys
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from .errors import Location, Report
from .sources import display_path

MARKER = ".propgen-output"
MARKER_TEXT = b"This folder was made by propgen build, which replaces it completely on every build: keep no files of your own here.\n"
KEEP = ".git"  # the one thing in an output that propgen did not make and never deletes


@dataclass(frozen=True)
class OutputFile:
    path: str  # posix path inside the output folder
    origin: str  # what produced it, for "two things claim this file" messages
    data: bytes | None = None
    source: Path | None = None  # copied from here when data is None
    keep: bool = False  # the build cache vouches that the output already holds these bytes (source is that file)

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.source is not None
        return self.source.read_bytes()


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


class WriteError(Exception):
    """Writing the output failed: one sentence naming the stuck folder and whether the new
    site was published. It never names a file inside the site, whose path may hold a secret token."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


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


def working_paths(out: Path) -> tuple[Path, Path, Path]:
    """STAGING, TRASH and the lock file of an output folder, all beside it."""
    beside = out.parent / f".propgen-{out.name}"
    return beside.with_name(beside.name + ".new"), beside.with_name(beside.name + ".old"), beside.with_name(beside.name + ".lock")


def write_site(outputs: Outputs, out_dir: Path) -> tuple[int, int]:
    """Write all files; return (changed, unchanged) counts. Raises WriteError."""
    out = out_dir.resolve()
    staging, trash, lock = working_paths(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd = _lock(lock, out)
    except OSError as exc:
        raise _failure("could not create propgen's lock file in", out.parent, exc, out) from None
    try:
        recover(out, staging, trash)
        _test_pause("locked")
        if not may_replace(out):
            raise WriteError(
                f"{_shown(out)}/ was not made by propgen (it has no {MARKER} file), so it was left as it was",
                "build into a new or empty folder with --out DIR",
            )
        if _already_there(outputs, out):  # nothing to publish: the output is left exactly as it is
            return 0, len(outputs.files)
        counts = _stage(outputs, out, staging)
        _swap(out, staging, trash)
        return counts
    finally:
        os.close(fd)  # releases the lock


def _lock(lock: Path, out: Path) -> int:
    """One build at a time per output. The lock file stays (removing it would race); the lock
    itself goes with the process, however it ends."""
    fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise WriteError(f"another propgen build is writing {_shown(out)}/ right now", "wait for it to finish, or stop it") from None
    return fd


def recover(out: Path, staging: Path, trash: Path) -> None:
    """Finish or undo whatever a killed or failed build left beside `out` (see the module's steps)."""
    try:
        _remove(staging)
        if trash.is_symlink() or (os.path.lexists(trash) and not trash.is_dir()):
            trash.unlink()  # not a copy propgen made: nothing is taken out of it
        if not os.path.lexists(trash):
            return
        if not os.path.lexists(out):  # killed between steps 2 and 3: the previous site goes back
            os.rename(trash, out)
            return
        _move_git(trash, out)
        _remove(trash)
    except OSError as exc:
        raise _failure("could not clean up after an earlier build beside", out, exc, out) from None


def _already_there(outputs: Outputs, out: Path) -> bool:
    """Whether `out` holds exactly these files with these bytes (kept pages are vouched for
    by the cache; the rest are compared), so a build that changed nothing writes nothing."""
    present: set[str] = set()
    for folder, dirs, names in os.walk(out):
        if folder == str(out) and KEEP in dirs:
            dirs.remove(KEEP)
        relative = os.path.relpath(folder, out)
        present.update(name if relative == "." else f"{relative}/{name}".replace(os.sep, "/") for name in names)
    if present != set(outputs.files):
        return False
    for path, file in outputs.files.items():
        previous = out / path
        if previous.is_symlink() or not previous.is_file():
            return False
        if file.keep:
            continue
        try:
            if previous.read_bytes() != file.read():
                return False
        except OSError:
            return False
    return True


def _stage(outputs: Outputs, out: Path, staging: Path) -> tuple[int, int]:
    changed = unchanged = 0
    try:
        os.mkdir(staging)
    except OSError as exc:
        raise _failure("could not create a folder for the new site in", out.parent, exc, out) from None
    try:
        for path in sorted(outputs.files):
            file = outputs.files[path]
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            previous = out / path
            kept = file.keep and not previous.is_symlink() and previous.is_file()
            data = b"" if kept else _read(file, out, staging)
            if kept or (
                not previous.is_symlink() and previous.is_file() and previous.stat().st_size == len(data) and previous.read_bytes() == data
            ):
                try:
                    os.link(previous, target)
                except OSError:
                    shutil.copy2(previous, target)
                unchanged += 1
            else:
                target.write_bytes(data)
                changed += 1
            if changed + unchanged == 1:
                _test_pause("writing")
    except OSError as exc:
        _remove_quietly(staging)
        raise _failure("could not write the new site into", staging, exc, out) from None
    _test_pause("staged")
    return changed, unchanged


def _read(file: OutputFile, out: Path, staging: Path) -> bytes:
    try:
        return file.read()
    except OSError as exc:
        _remove_quietly(staging)
        raise WriteError(
            f"could not read {file.origin}: {_reason(exc)}; the new site was not published and {_shown(out)}/ was left as it was",
            "check that file's permissions",
        ) from None


def _swap(out: Path, staging: Path, trash: Path) -> None:
    had_old = os.path.lexists(out)
    if had_old:
        try:
            os.rename(out, trash)
        except OSError as exc:
            _remove_quietly(staging)
            raise _failure("could not replace", out, exc, out) from None
        _test_pause("old-moved")
    try:
        os.rename(staging, out)
    except OSError as exc:
        state = ""
        if had_old:
            try:
                os.rename(trash, out)
            except OSError:
                state = f"the new site was not published and {_shown(out)}/ is missing: the previous site is in {_shown(trash)}/, and the next build puts it back"
        _remove_quietly(staging)
        raise _failure("could not move the new site into", out, exc, out, state=state) from None
    _test_pause("new-moved")
    if not had_old:
        return
    try:
        _move_git(trash, out)
    except OSError as exc:
        state = f"the new site is in {_shown(out)}/, but its .git folder is still in {_shown(trash)}/; the next build moves it back"
        raise _failure("could not move .git back into", out, exc, out, state=state) from None
    _test_pause("git-moved")
    try:
        _remove(trash)
    except OSError as exc:
        state = f"the new site is in {_shown(out)}/; the next build removes the previous one"
        raise _failure("could not remove the previous site in", trash, exc, out, state=state) from None


def _move_git(old: Path, out: Path) -> None:
    """Step 4: `.git` goes from the previous output into the new one; never deleted, never overwritten."""
    git = old / KEEP
    if not os.path.lexists(git):
        return
    if os.path.lexists(out / KEEP):
        raise WriteError(
            f"{_shown(out)}/ and {_shown(old)}/ both hold a .git folder; propgen deletes neither, so {_shown(out)}/ was left as it is",
            f"keep the one you need in {_shown(out)}/.git, move the other away, then delete {_shown(old)}/",
        )
    _make_writable(old)
    os.rename(git, out / KEEP)


def _remove(path: Path) -> None:
    """Remove one of propgen's working folders; one holding a `.git` is refused, never deleted."""
    if not os.path.lexists(path):
        return
    if path.is_symlink() or not path.is_dir():
        path.unlink()
        return
    if os.path.lexists(path / KEEP):
        raise WriteError(
            f"{_shown(path)}/ holds a .git folder, which propgen never deletes",
            f"move {_shown(path)}/.git where it belongs (usually into the output folder), then delete {_shown(path)}/",
        )
    try:
        shutil.rmtree(path)
    except PermissionError:  # a read-only output's old copy: it is propgen's own, so make it removable
        _make_tree_writable(path)
        shutil.rmtree(path)


def _remove_quietly(path: Path) -> None:
    with suppress(OSError, WriteError):  # the next build's recover() tries again
        _remove(path)


def _make_tree_writable(top: Path) -> None:
    _make_writable(top)
    for dirpath, dirnames, _files in os.walk(top):
        for name in dirnames:
            if not (Path(dirpath) / name).is_symlink():  # never change anything a link points to
                _make_writable(Path(dirpath) / name)


def _make_writable(folder: Path) -> None:
    mode = folder.lstat().st_mode
    if stat.S_ISDIR(mode) and (mode & 0o700) != 0o700:
        folder.chmod(mode | 0o700)


def _failure(doing: str, where: Path, exc: OSError, out: Path, state: str = "") -> WriteError:
    """One sentence: what failed, in which folder, and whether the new site was published (`state`)."""
    if not state:
        state = f"the new site was not published and {_shown(out)}/ was left as it was"
    return WriteError(f"{doing} {_shown(where)}/: {_reason(exc)}; {state}", _hint(exc, where, out))


def _reason(exc: OSError) -> str:
    """The system's words without the file name: a path inside the output may hold a secret token."""
    return exc.strerror or type(exc).__name__


def _hint(exc: OSError, where: Path, out: Path) -> str:
    if exc.errno in (errno.EBUSY, errno.EXDEV):
        return (
            f"{_shown(out)}/ looks like a mount point, which cannot be replaced: build into a folder inside it "
            f"(e.g. --out {_shown(out)}/site) or elsewhere and copy the files"
        )
    if exc.errno == errno.EROFS:
        return f"{_shown(where)}/ is on a read-only drive: make it writable, or build into another folder with --out DIR"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"check that you may write to {_shown(where)}/ and the folder around it; the next build cleans up by itself"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "free some disk space and build again; the next build cleans up by itself"
    return "fix the cause and build again; the next build cleans up by itself"


def _shown(path: Path) -> str:
    return display_path(path)


def _test_pause(step: str) -> None:
    """Test-only (tests/e2e/test_output_safety.py): with PROPGEN_TEST_PAUSE_AT=<step>, a build stops at
    that step until SIGUSR1 (at most 60 s), so a test can SIGKILL a real build there or run a second one."""
    if os.environ.get("PROPGEN_TEST_PAUSE_AT") != step:
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    print(f"propgen: test pause at {step}", file=sys.stderr, flush=True)
    signal.sigtimedwait({signal.SIGUSR1}, 60)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGUSR1})
