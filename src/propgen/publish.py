"""The output folder replaced by a new site, crash-safely: a patch or a swap, and `recover()`.

propgen's working files beside the output are all named `.propgen-<output>.*`, so one
`.gitignore` line (`.propgen-*`, written by `propgen init`) keeps proposals in them out of
`git add -A`. Both ways of publishing are ordered so that a build killed at any instant
loses nothing, and the next build (under the same lock) finishes or undoes it in
`recover()`. A file whose bytes did not change is never touched by either (same inode, same
mtime), so deploy tools that compare timestamps see only what really changed.

A small change (it touches at most a third of the new site's files: `_patchable`) is a
PATCH, which costs what it changes rather than what the site holds:

1. each changed file is written into STAGING (`.propgen-<output>.new/files/`), with the list
   of files to remove beside it (`STAGING/removed.json`); a kill now changes nothing;
2. the commit point: STAGING is renamed to PATCH (`.propgen-<output>.patch`); from here on
   the patch is published, by this build or by the next one's `recover()`;
3. the removed files go, each file in PATCH is renamed into place (parent folders made as
   needed), folders left empty are removed, then PATCH; every step may be done twice.
   A `.git` in the output is never touched.

A bigger change (a theme, the base URL), a first build, or an output where a folder stands
where a file should be is a SWAP of the whole folder, so readers see one site or the other:

1. the new site is written into STAGING (`.propgen-<output>.new`), which never holds a `.git`,
   its unchanged files hard-linked from the output; STAGING may start as the build's spool of
   pages laid out in place (spool.py), so that only the other files are put in;
2. the output is renamed to TRASH (`.propgen-<output>.old`);
3. STAGING is renamed to the output;
4. a `.git` in TRASH (a deploy branch checked out in the output) is moved into the new output;
5. TRASH is removed, only once it holds no `.git`.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import signal
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from .sources import display_path

KEEP = ".git"  # the one thing in an output that propgen did not make and never deletes
PATCH_FILES = "files"  # in STAGING and PATCH: the changed files, at their paths in the output
PATCH_REMOVED = "removed.json"  # beside them, never among them: the output's files to remove
Placer = Callable[[str, Path], None]  # puts a new file (by its path in the output) at a target path; raises WriteError or OSError


class WriteError(Exception):
    """Writing the output failed: one sentence naming the stuck folder and whether the new
    site was published. It never names a file inside the site, whose path may hold a secret token."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class Working:
    """propgen's working paths beside an output folder (see the module's steps)."""

    staging: Path  # .propgen-<output>.new: a build being written
    trash: Path  # .propgen-<output>.old: the previous site during a swap
    patch: Path  # .propgen-<output>.patch: a committed patch, applied by this build or the next
    lock: Path  # .propgen-<output>.lock: one build at a time


def working_paths(out: Path) -> Working:
    beside = out.parent / f".propgen-{out.name}"
    return Working(*(beside.with_name(f"{beside.name}.{suffix}") for suffix in ("new", "old", "patch", "lock")))


@dataclass(frozen=True)
class Adopted:
    """A folder of new files already at their paths (the spool's `site/`, spool.py): a swap
    renames it to STAGING rather than making every folder and placing every file again."""

    folder: Path
    paths: frozenset[str]  # the files waiting there, by their paths in the output


def folders_of(paths: Iterable[str]) -> set[str]:
    """Every folder that holds one of `paths` (paths inside the output), up to the top."""
    folders: set[str] = set()
    for path in paths:
        folder = path.rpartition("/")[0]
        while folder and folder not in folders:
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    return folders


@dataclass(frozen=True)
class Comparison:
    """What publishing a build would change in the output: both ways of publishing start from it."""

    changed: list[str]  # new, other bytes, or not a regular file in the output (sorted)
    unchanged: frozenset[str]  # a regular file with these bytes already (vouched for by the cache, or compared)
    removed: list[str]  # in the output (not its .git), no longer made (sorted)
    blocked: bool  # a folder stands where a file goes, or the output could not be read: only a swap publishes it


def publish(comparison: Comparison, place: Placer, out: Path, working: Working, adopted: Adopted | None = None) -> bool:
    """Put the new site in place of `out`: a patch when the change is small, else a swap
    (which takes `adopted` as its start). True for a patch: only the changed and removed files
    and their folders are new."""
    if _patchable(comparison):
        _patch(comparison, place, out, working)
        return True
    _stage(comparison, place, out, working.staging, adopted)
    _swap(out, working.staging, working.trash)
    return False


def lock(lock: Path, out: Path) -> int:
    """One build at a time per output. The lock file stays (removing it would race); the lock
    itself goes with the process, however it ends."""
    fd = try_lock(lock)
    if fd is None:
        raise WriteError(f"another propgen build is writing {_shown(out)}/ right now", "wait for it to finish, or stop it")
    return fd


def try_lock(lock: Path) -> int | None:
    """The lock file `lock` (never through a link), open and locked; None when another process holds it."""
    fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def recover(out: Path, working: Working) -> None:
    """Finish or undo whatever a killed or failed build left beside `out` (see the module's steps):
    STAGING is undone, a swap is finished, a committed patch is applied."""
    staging, trash = working.staging, working.trash
    try:
        _remove(staging)
        if trash.is_symlink() or (os.path.lexists(trash) and not trash.is_dir()):
            trash.unlink()  # not a copy propgen made: nothing is taken out of it
        if os.path.lexists(trash):
            if not os.path.lexists(out):  # killed between swap steps 2 and 3: the previous site goes back
                os.rename(trash, out)
            else:
                _move_git(trash, out)
                _remove(trash)
    except OSError as exc:
        raise failure("could not clean up after an earlier build beside", out, exc, out) from None
    if os.path.lexists(working.patch):
        _finish_patch(out, working.patch)


def _patchable(comparison: Comparison) -> bool:
    """A patch when it touches at most a third of the new site's files. Beyond that the change
    is most of what a reader sees (a theme, the base URL, a first build), so it is published
    whole by a swap, and readers never meet old pages with new styles; a swap also costs about
    what such a patch would."""
    touched = len(comparison.changed) + len(comparison.removed)
    files = len(comparison.changed) + len(comparison.unchanged)
    return not comparison.blocked and 3 * touched <= files


def _patch(comparison: Comparison, place: Placer, out: Path, working: Working) -> None:
    """The patch's steps 1 and 2, then step 3 (see the module's docstring)."""
    staging = working.staging
    with _writing(staging, out):
        for path in comparison.changed:
            target = staging / PATCH_FILES / path
            target.parent.mkdir(parents=True, exist_ok=True)
            place(path, target)
        (staging / PATCH_REMOVED).write_text(json.dumps(comparison.removed))  # ASCII: any file name goes through
        test_pause("patch-staged")
        os.rename(staging, working.patch)
    test_pause("patch-committed")
    _finish_patch(out, working.patch)


@contextmanager
def _writing(staging: Path, out: Path, start: Path | None = None) -> Iterator[None]:
    """STAGING made (or `start` renamed to it) for the block to fill; if the block fails, STAGING
    goes and the failure is one WriteError naming the folder (both the patch's step 1 and the swap's)."""
    try:
        if start is None:
            os.mkdir(staging)
        else:
            os.rename(start, staging)
    except OSError as exc:
        raise failure("could not create a folder for the new site in", out.parent, exc, out) from None
    try:
        yield
    except WriteError:
        _remove_quietly(staging)
        raise
    except OSError as exc:
        _remove_quietly(staging)
        raise failure("could not write the new site into", staging, exc, out) from None


def _finish_patch(out: Path, patch: Path) -> None:
    """Patch step 3, from wherever an earlier attempt stopped: every step may be done twice.
    An output that is gone takes no patch (the next build writes it whole)."""
    try:
        if os.path.lexists(out) and not out.is_symlink():
            _apply(out, patch)
        _remove(patch)
    except (OSError, json.JSONDecodeError) as exc:
        cause = exc if isinstance(exc, OSError) else OSError(errno.EIO, "its list of files to remove is damaged")
        state = f"the new site is partly in {_shown(out)}/; the next build finishes publishing it"
        raise failure("could not update", out, cause, out, state=state) from None


def _apply(out: Path, patch: Path) -> None:
    """Removals, then the new files, then the folders left empty; what is done already is skipped."""
    journal = patch / PATCH_REMOVED
    removed = json.loads(journal.read_text()) if journal.exists() else []
    for path in removed:  # first, so a file may take the place of a removed file's folder
        target = out / path
        with suppress(FileNotFoundError):
            if not stat.S_ISDIR(target.lstat().st_mode):  # a folder was never listed: one there now is new
                _writably(out, target.parent, partial(os.unlink, target))
    files = patch / PATCH_FILES
    moved = 0
    for folder, _dirs, names in os.walk(files):
        for name in sorted(names):
            source = Path(folder, name)
            target = out / source.relative_to(files)
            _writably(out, target.parent, partial(_move_in, source, target))
            moved += 1
            if moved == 1:
                test_pause("patch-applying")
    for path in sorted(removed, key=lambda p: -p.count("/")):  # deepest first: a folder goes once it is empty
        folder = (out / path).parent
        while folder != out and _remove_if_empty(folder):
            folder = folder.parent


def _move_in(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)


def _remove_if_empty(folder: Path) -> bool:
    try:
        os.rmdir(folder)
    except FileNotFoundError:
        return True  # gone already: its parent may be empty now
    except OSError:
        return False  # not empty (or not a folder): it stays
    return True


def _writably(out: Path, folder: Path, change: Callable[[], None]) -> None:
    """Make a change in the output. Refused, the folders from `folder` up to the output are made
    writable (they are propgen's own, as a swap's removal of the previous site assumes) and
    the change is tried once more."""
    try:
        change()
    except PermissionError:
        for parent in (folder, *folder.parents):
            if parent.is_dir() and not parent.is_symlink():
                _make_writable(parent)
            if parent == out:
                break
        change()


def _stage(comparison: Comparison, place: Placer, out: Path, staging: Path, adopted: Adopted | None = None) -> None:
    """Swap step 1: the whole new site in STAGING, unchanged files hard-linked from `out`. Each
    folder is made once (a `mkdir` is the costliest call here); with `adopted`, STAGING starts
    as its folder, whose new files are in place already."""
    there = adopted.paths if adopted else frozenset()
    with _writing(staging, out, adopted.folder if adopted else None):
        made = folders_of(there)
        for count, path in enumerate(sorted([*comparison.changed, *comparison.unchanged]), start=1):
            target = staging / path
            if path in there:
                if path not in comparison.unchanged:
                    continue  # the new file, in place already
                os.unlink(target)  # the output's own file goes in its place, with its inode and time
            folder = path.rpartition("/")[0]
            if folder and folder not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made |= folders_of([path])
            previous = out / path
            if path in comparison.unchanged:
                try:
                    os.link(previous, target)
                except OSError:
                    shutil.copy2(previous, target)
            else:
                place(path, target)
            if count == 1:
                test_pause("writing")
    test_pause("staged")


def _swap(out: Path, staging: Path, trash: Path) -> None:
    had_old = os.path.lexists(out)
    if had_old:
        try:
            os.rename(out, trash)
        except OSError as exc:
            _remove_quietly(staging)
            raise failure("could not replace", out, exc, out) from None
        test_pause("old-moved")
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
        raise failure("could not move the new site into", out, exc, out, state=state) from None
    test_pause("new-moved")
    if not had_old:
        return
    try:
        _move_git(trash, out)
    except OSError as exc:
        state = f"the new site is in {_shown(out)}/, but its .git folder is still in {_shown(trash)}/; the next build moves it back"
        raise failure("could not move .git back into", out, exc, out, state=state) from None
    test_pause("git-moved")
    try:
        _remove(trash)
    except OSError as exc:
        state = f"the new site is in {_shown(out)}/; the next build removes the previous one"
        raise failure("could not remove the previous site in", trash, exc, out, state=state) from None


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


def failure(doing: str, where: Path, exc: OSError, out: Path, state: str = "") -> WriteError:
    """One sentence: what failed, in which folder, and whether the new site was published (`state`)."""
    if not state:
        state = f"the new site was not published and {_shown(out)}/ was left as it was"
    return WriteError(f"{doing} {_shown(where)}/: {reason(exc)}; {state}", _hint(exc, where, out))


def reason(exc: OSError) -> str:
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


def test_pause(step: str) -> None:
    """Test-only (tests/e2e/test_output_safety.py): with PROPGEN_TEST_PAUSE_AT=<step>, a build stops at
    that step until SIGUSR1 (at most 60 s), so a test can SIGKILL a real build there or run a second one."""
    if os.environ.get("PROPGEN_TEST_PAUSE_AT") != step:
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    print(f"propgen: test pause at {step}", file=sys.stderr, flush=True)
    signal.sigtimedwait({signal.SIGUSR1}, 60)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGUSR1})
