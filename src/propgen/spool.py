"""Rendered pages waiting on disk until they are published, instead of in memory.

At 10,000 events the rendered pages are about 100 MB; held in memory until the output is
written, they were a fifth of a large build's peak. Each page is written, by the process that
rendered it, into a folder beside the output (the same file system, so publishing can link
it into place instead of copying it), and the build holds only its path. The folder is flat,
each page named by a digest of its path: a folder made and removed again for every page cost
more than writing it (half a millisecond each on a slow disk).

The folder is `.propgen-<output>.pages-<pid>` (`.propgen-*`, so `git add -A` never picks up
the private pages in it); the build removes it when it ends, and a later build removes any
left by a build that was killed (its process no longer exists).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from contextlib import suppress
from pathlib import Path


class Spool:
    def __init__(self, out: Path) -> None:
        self.folder = out.parent / f"{_prefix(out)}{os.getpid()}"
        remove_stale(out)
        shutil.rmtree(self.folder, ignore_errors=True)  # a killed build of a process with this number
        self.folder.mkdir()  # beside the output: its folder exists (else no spool, see `open_spool`)

    def put(self, path: str, data: bytes) -> Path:
        """`data` as the page at `path` (a path inside the output)."""
        target = self.folder / hashlib.blake2b(path.encode(), digest_size=16).hexdigest()
        target.write_bytes(data)
        return target

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def open_spool(out: Path) -> Spool | None:
    """A spool beside `out`; None when there is no folder to hold it yet or it refuses (the pages
    then stay in memory, and writing the output makes the folder or reports its problem)."""
    if not out.parent.is_dir():
        return None
    with suppress(OSError):
        return Spool(out)
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
