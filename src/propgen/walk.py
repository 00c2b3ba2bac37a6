"""The one rule for which files of a site folder may be read and published.

A site folder is shared, cloned and built in CI, so what it holds is not always what it
seems: a link to `/proc/self/environ` would publish every secret of the build, a named pipe
would hang it, `/dev/zero` would fill the memory. Only regular files are read; a link is
followed only while it stays inside the site; everything else is an error naming the entry
as it is written in the site (never the place it points to).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from .errors import Location, Report, display_path, is_text, printable


def real(path: Path) -> str:
    return os.path.realpath(path)


def is_inside(target: str, site: str) -> bool:
    return target == site or target.startswith(site.rstrip(os.sep) + os.sep)


def refusal(path: Path, site: str | None) -> tuple[str, str] | None:
    """Why `path` must be neither read nor published, as (message, hint); None if it may be.
    `site` is the real path of the site folder, or None where no link can lead out of it
    (the built-in themes; site themes are checked when the site is scanned)."""
    if path.is_symlink():
        target = real(path)
        if not os.path.exists(target):
            return "this link leads nowhere: what it points to does not exist", "correct the link or remove it"
        if site is not None and not is_inside(target, site):
            return (
                "this is a link to something outside the site folder; propgen never reads or publishes anything outside the site",
                "copy what you need into the site folder instead of linking to it",
            )
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return f"cannot read it: {exc.strerror}", "check its permissions"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return f"this is {_kind(mode)}, not a file: propgen reads and publishes only regular files", "remove it from the site folder"


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def shown_under(root: Path, relative: str) -> str:
    """A path inside the site as the user wrote it: the site folder as displayed, then the
    entries as they are named, so a link is named by itself, not by where it points."""
    base = display_path(root)
    return relative if base == "." else f"{base}/{relative}"


def checked(path: Path, shown: str, site: str | None, report: Report) -> bool:
    """True if `path` may be used; else the reason is reported at `shown`."""
    problem = refusal(path, site)
    if problem is not None:
        report.error(Location(shown), *problem)
    return problem is None


def list_files(
    folder: Path, shown: str, report: Report, site: str | None, skip: Callable[[str], bool] = lambda _name: False
) -> list[PurePosixPath]:
    """Every regular file under `folder`, relative to it, in a stable order; folders reached
    through links are followed when they lead inside the site, and not into themselves.
    Names `skip` accepts (OS and editor droppings) are left out unread."""
    found: list[PurePosixPath] = []
    if not os.path.lexists(folder) or not checked(folder, shown, site, report) or not folder.is_dir():
        return found

    def visit(directory: Path, relative: PurePosixPath, ancestors: frozenset[str]) -> None:
        try:
            names = sorted(os.listdir(directory))
        except OSError as exc:
            report.error(Location(f"{shown}/{relative}" if relative.parts else shown), f"cannot read this folder: {exc.strerror}")
            return
        for name in names:
            path, rel = directory / name, relative / name
            where = f"{shown}/{rel}"
            if not is_text(name):  # bytes no URL or message can carry (os.listdir keeps them as surrogates)
                report.error(
                    Location(printable(where)),
                    "this name is not UTF-8 text, so no web address can name it",
                    "rename it with letters, digits and hyphens: an old zip program may have written it",
                )
                continue
            if skip(name) or not checked(path, where, site, report):
                continue
            if path.is_dir():
                target = real(path)
                if target in ancestors:
                    report.error(Location(where), "this link leads back to a folder that holds it, so it never ends", "remove the link")
                    continue
                visit(path, rel, ancestors | {target})
            else:
                found.append(rel)

    visit(folder, PurePosixPath(), frozenset({real(folder)}))
    return found


def open_regular(path: Path) -> BinaryIO:
    """`path` opened for reading if it is a regular file; ValueError for anything else. The
    build's own files in the cache folder are read this way: a named pipe put there would make
    a plain open() wait for a writer forever (opening it without blocking, then asking what it
    is, has no race)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ValueError(f"{path.name} is not a regular file")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


@contextlib.contextmanager
def replacing(target: Path, mode: int = 0o666) -> Iterator[BinaryIO]:
    """A new file beside `target`, renamed over it once complete: a build killed meanwhile
    leaves the old file or none, and one that fails removes what it had written. The file is
    made new under a random name (and `mode`, less the umask): a link put where it would go,
    in a cache folder restored from elsewhere, is never written through."""
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(8)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
    try:
        with os.fdopen(descriptor, "wb") as file:
            yield file
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def own_folder(path: Path) -> Path:
    """`path` as a real folder, made if missing. A link there (a cache folder restored from
    elsewhere may hold one) is removed first, the link alone: nothing is written, or removed,
    where it leads."""
    if os.path.islink(path):
        os.unlink(path)
    path.mkdir(parents=True, exist_ok=True)
    if not stat.S_ISDIR(os.lstat(path).st_mode):
        raise NotADirectoryError(f"{path} is not a folder")
    return path


def is_plain_folder(path: Path) -> bool:
    """A real folder, not a link to one."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def is_plain_file(path: Path) -> bool:
    """A regular file, not a link to one: what a cache folder's file must be to be trusted
    (a link in a cache restored from elsewhere could lead to any file of the machine)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def user_cache(environ: Mapping[str, str]) -> Path | None:
    """The user's cache folder: XDG_CACHE_HOME when it is absolute (a relative one is ignored,
    as the XDG specification says), else ~/.cache; None without a home folder, or with HOME
    empty, relative or the root (never a folder inside the site, nor /.cache)."""
    cache = environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(cache):
        return Path(cache)
    home = environ.get("HOME")
    if home is None:
        try:
            home = str(Path.home())
        except RuntimeError:
            return None
    if not os.path.isabs(home) or Path(home) == Path(Path(home).anchor):
        return None
    return Path(home) / ".cache"
