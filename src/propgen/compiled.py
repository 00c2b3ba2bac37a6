"""Templates' compiled code kept in the cache folder, so a build after one edit does not
compile again the templates of the pages it renders (a third of such a build at 1,000
events: 0.15 s for an event page's six templates).

The cache folder is otherwise data, and CI restores it from caches other branches saved, so
code in it must not run because it is there: each file is signed (HMAC-SHA256) with a key
that never leaves this computer's user, `propgen/template-code.key` in the user's cache
folder (`XDG_CACHE_HOME`, else `~/.cache`), made at the first build. A file signed with
another key (a cache restored in CI, where the key is new each run), changed by hand,
or moved to another template's name is not used, and the template is compiled as if it
were not there. Without a key (no home folder, a read-only one) nothing is kept on disk.

Jinja still checks that the code is for the template's current source (its checksum); the
file name also holds propgen's code key, so another version of propgen, Python or Jinja
never finds this one's code.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import shutil
from pathlib import Path

from .walk import open_regular

KEY_FILE = Path("propgen") / "template-code.key"
KEY_BYTES = 32
FOLDER = "templates"  # in the cache folder
_SIGNATURE = hashlib.sha256().digest_size


def user_key() -> bytes | None:
    """This user's signing key, made once (readable by the user alone); None when there is
    no place for it, in which case compiled code is kept in memory only."""
    cache = os.environ.get("XDG_CACHE_HOME", "")
    try:
        folder = Path(cache) if os.path.isabs(cache) else Path.home() / ".cache"  # a relative one is ignored, as the spec says
    except RuntimeError:  # no home folder
        return None
    path = folder / KEY_FILE
    try:
        with open_regular(path) as file:
            key = file.read(KEY_BYTES + 1)
        if len(key) == KEY_BYTES:
            return key
    except (OSError, ValueError):  # none yet (or not a file: it is replaced)
        pass
    return _new_key(path)


def _new_key(path: Path) -> bytes | None:
    key = secrets.token_bytes(KEY_BYTES)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(key)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()
        return None
    # Two builds starting at once each made a key: both use the one that stayed.
    try:
        with open_regular(path) as file:
            kept = file.read(KEY_BYTES + 1)
    except (OSError, ValueError):
        return None
    return kept if len(kept) == KEY_BYTES else None


class SignedCode:
    """Compiled templates in the cache folder, one file each (signature, then Jinja's bytes),
    in a folder of their own for this propgen, Python and Jinja (`code_key`): the first build
    of another removes the folders of the others."""

    def __init__(self, cache: Path, key: bytes, code_key: str) -> None:
        self.folder = cache / FOLDER / code_key[:32]
        self.key = key

    def load(self, name: str) -> bytes | None:
        """The code kept for Jinja's bucket `name`, when this user's key signed it for that name."""
        path, label = self._path(name)
        try:
            with open_regular(path) as file:
                data = file.read()
        except (OSError, ValueError):
            return None
        signature, code = data[:_SIGNATURE], data[_SIGNATURE:]
        return code if hmac.compare_digest(signature, self._sign(label, code)) else None

    def save(self, name: str, code: bytes) -> None:
        """Kept atomically (builds in parallel may save the same template); a folder that
        cannot be written keeps nothing, and the build goes on."""
        path, label = self._path(name)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        try:
            if not self.folder.is_dir():
                for other in self.folder.parent.glob("*") if self.folder.parent.is_dir() else ():
                    shutil.rmtree(other, ignore_errors=True)
                self.folder.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(self._sign(label, code) + code)
            os.replace(temporary, path)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink()

    def _path(self, name: str) -> tuple[Path, bytes]:
        label = hashlib.blake2b(name.encode(), digest_size=16).hexdigest()
        return self.folder / label, label.encode()

    def _sign(self, label: bytes, code: bytes) -> bytes:
        return hmac.new(self.key, label + b"\0" + code, hashlib.sha256).digest()
