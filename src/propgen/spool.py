"""Rendered pages waiting on disk until they are published, instead of in memory.

At 10,000 events the rendered pages are about 100 MB; held in memory until the output is
written, they were a fifth of a large build's peak. Each page is written, by the process that
rendered it, into a folder beside the output (the same file system, so publishing can link
it into place instead of copying it), and the build holds only its path.

How the folder is laid out depends on whether the output exists yet (publish.py):

- **in place** (a first build: the whole site is new and swapped in): each page at its own
  path under `site/`, which the swap then takes as its new site instead of making every
  folder again. Making a folder is the one cost of writing a page that does not shrink
  (10,000 folders were 1.9 s of a 13 s cold build on this project's benchmark machine, all
  in one process after rendering); here the parent process makes the folders while its
  workers render the pages (`make_folders`). A page whose path cannot be made (a file of
  that name stands where its folder goes) waits in `flat/` instead and is placed as in a
  flat spool;
- **flat** (every other build): each page named by a digest of its path. A build that
  renders a few pages patches them in, and one that renders every page again (a template
  edited) often makes the same bytes (an edited comment), so that nothing is published: a
  folder made for each page would be made and removed again for nothing (half a millisecond
  each on a slow disk). A page the output holds already waits as a link to the output's
  file, not as a new file (`_linked`).

The folder is `.propgen-<output>.pages-<pid>` (`.propgen-*`, so `git add -A` never picks up
the private pages in it); the build removes it when it ends, and a later build removes any
left by a build that was killed (its process no longer exists).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path


class Spool:
    def __init__(self, out: Path, in_place: bool = False) -> None:
        self.out = str(out)
        self.folder = out.parent / f"{_prefix(out)}{os.getpid()}"
        remove_stale(out)
        shutil.rmtree(self.folder, ignore_errors=True)  # a killed build of a process with this number
        self.folder.mkdir()  # beside the output: its folder exists (else no spool, see `open_spool`)
        # In place: the pages under site/ at their paths, the rest in flat/ (see the module's docstring).
        self.site = self.folder / "site" if in_place else None
        self._flat = self.folder / "flat" if in_place else self.folder
        if self.site is not None:
            self.site.mkdir()

    def put(self, path: str, data: bytes) -> Path:
        """`data` as the page at `path` (a path inside the output)."""
        inside = not path.startswith("/") and ".." not in path.split("/")  # never a path out of the output
        if self.site is not None and inside:
            target = os.path.join(self.site, path)
            try:
                try:
                    file = open(target, "wb")  # noqa: SIM115 (closed below, after the folder is made if need be)
                except FileNotFoundError:  # made by `make_folders`, unless this page came first
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    file = open(target, "wb")  # noqa: SIM115
                with file:
                    file.write(data)
                return Path(target)
            except OSError:
                pass  # a file where a folder goes, or a folder where the page goes: flat, as below
        if self.site is not None:
            self._flat.mkdir(exist_ok=True)  # flat/ is made only for a page that needs it
        flat = self._flat / hashlib.blake2b(path.encode(), digest_size=16).hexdigest()
        if self.site is None and inside and self._linked(path, data, flat):
            return flat
        flat.write_bytes(data)
        return flat

    def _linked(self, path: str, data: bytes, flat: Path) -> bool:
        """Whether the output's regular file at `path` holds `data`, and is now linked at `flat`.
        A build that renders every page again (a template edited) mostly makes the bytes the
        output holds; a link to that file is a name, where writing the page is a new file (the
        costly part on a slow disk: a second at 10,000 events). The link holds the bytes as
        the worker compared them even if the output's file is replaced before publishing (a
        killed build's patch finished, another build): the parent compares under the lock."""
        target = os.path.join(self.out, path)
        try:
            found = os.lstat(target)  # a link, a FIFO or a device is never opened: not the output's page
            if not stat.S_ISREG(found.st_mode) or found.st_size != len(data):
                return False
            with open(target, "rb") as file:
                if file.read() != data:
                    return False
                os.link(target, flat, follow_symlinks=False)
                compared, linked = os.fstat(file.fileno()), os.lstat(flat)
            if (linked.st_dev, linked.st_ino) != (compared.st_dev, compared.st_ino):  # replaced meanwhile: not the bytes compared
                os.unlink(flat)
                return False
        except OSError:
            return False
        return True

    def make_folders(self, paths: Iterable[str]) -> None:
        """The folders of site/ that pages at `paths` go in, in that order, made by the parent
        process while its workers render: one process making them all, since two making
        folders in one folder (`events/`) take turns at its lock, and the one waiting spins
        on a core (twice the system time, at no gain in wall time, on this project's
        benchmark machine). A worker that comes first makes its page's folder itself."""
        if self.site is None:
            return
        made = {""}
        for path in paths:
            folder = path.rpartition("/")[0]
            if folder in made:
                continue
            missing = []
            while folder not in made:
                missing.append(folder)
                made.add(folder)
                folder = folder.rpartition("/")[0]
            for name in reversed(missing):
                with suppress(OSError):  # made by a worker already, or a page in the way: `put` sees to it
                    os.mkdir(os.path.join(self.site, name))

    def in_place(self, path: str, where: Path | str) -> bool:
        """Whether the page at `path` (a path inside the output) waits at its own place in site/."""
        return self.site is not None and str(where) == os.path.join(self.site, path)

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def open_spool(out: Path, in_place: bool = False) -> Spool | None:
    """A spool beside `out`; None when there is no folder to hold it yet or it refuses (the pages
    then stay in memory, and writing the output makes the folder or reports its problem)."""
    if not out.parent.is_dir():
        return None
    with suppress(OSError):
        return Spool(out, in_place)
    return None


def remove_stale(out: Path) -> None:
    """Remove the spools of builds that were killed (their process no longer exists): their
    pages (private ones among them) are no use to anyone. A build with nothing to do does it
    too, so they do not wait beside the output for the next change."""
    prefix = _prefix(out)
    with suppress(OSError):
        for stale in out.parent.glob(f"{prefix}*"):
            if not _alive(stale.name.removeprefix(prefix)):
                shutil.rmtree(stale, ignore_errors=True)


def _prefix(out: Path) -> str:
    return f".propgen-{out.name}.pages-"


def _alive(pid: str) -> bool:
    """Whether the build that made a spool still runs; a name that is no process id is stale."""
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True
