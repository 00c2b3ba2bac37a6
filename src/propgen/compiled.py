"""Templates' compiled code kept in the cache folder, so a build after one edit does not
compile again the templates of the pages it renders (a third of such a build at 1,000
events: 0.15 s for an event page's six templates).

The cache folder is otherwise data, and CI restores it from caches other branches saved, so
code in it must not run because it is there: each file is signed (HMAC-SHA256) with a key
that never leaves this computer's user, `propgen/template-code.key` in the user's cache
folder (`XDG_CACHE_HOME`, else `~/.cache`), made at the first build, readable by the user
alone. A file signed with another key (a cache restored in CI, where the key is new each
run), changed by hand, or moved to another template's name is not used, and the template is
compiled as if it were not there. Without a key (no home folder, a key file others could
read or that is not the user's) nothing is kept on disk. Nothing is ever written through a
link: a cache folder restored from elsewhere cannot make a build write or remove files
outside it.

Jinja still checks that the code is for the template's current source (its checksum). The
code holds what Jinja worked out as it compiled (a filter called on a literal, in the
page's locale), so it is kept in a folder named by the build cache's key (propgen's code,
Python, Jinja, the site's settings) and under a name with the locale (theme.py): another
version or other settings never find this one's code, and the first build with other
settings removes the folders of the others.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import shutil
import stat
from pathlib import Path

from .walk import is_plain_folder, open_regular, own_folder, replacing, user_cache

KEY_FILE = Path("propgen") / "template-code.key"
KEY_BYTES = 32
FOLDER = "templates"  # in the cache folder
_SIGNATURE = hashlib.sha256().digest_size
_CODE_FOLDER = re.compile(r"[0-9a-f]{32}")  # a folder of compiled code, named by its settings' digest


def user_key() -> bytes | None:
    """This user's signing key, made once (readable by the user alone); None when there is
    no place for it, in which case compiled code is kept in memory only."""
    folder = user_cache(os.environ)
    if folder is None:
        return None
    path = folder / KEY_FILE
    key = _read_key(path)
    return key if key is not None else _new_key(path)


def _read_key(path: Path) -> bytes | None:
    """The key in `path` when it is this user's own regular file, readable by no one else."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as file:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or status.st_uid != os.geteuid() or status.st_mode & 0o077:
            return None
        key = file.read(KEY_BYTES + 1)
    return key if len(key) == KEY_BYTES else None


def _new_key(path: Path) -> bytes | None:
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with replacing(path, mode=0o600) as file:
            file.write(secrets.token_bytes(KEY_BYTES))
    except OSError:
        return None
    return _read_key(path)  # two builds starting at once each made a key: both use the one that stayed


class SignedCode:
    """Compiled templates in the cache folder, one file each (signature, then Jinja's bytes),
    in a folder of their own for the build cache's key `settings`."""

    def __init__(self, cache: Path, key: bytes, settings: str) -> None:
        self.folder = cache / FOLDER / hashlib.blake2b(settings.encode(), digest_size=16).hexdigest()
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
        try:
            if not is_plain_folder(self.folder):
                self._make_folder()
            with replacing(path) as file:
                file.write(self._sign(label, code) + code)
        except OSError:
            return

    def _make_folder(self) -> None:
        """The folder for these settings, made after removing those of other settings (real
        folders named as this module names them); a link in the way is removed, never
        followed (own_folder)."""
        parent = own_folder(self.folder.parent)
        with os.scandir(parent) as entries:
            for entry in entries:
                if entry.name != self.folder.name and _CODE_FOLDER.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
        own_folder(self.folder)

    def _path(self, name: str) -> tuple[Path, bytes]:
        label = hashlib.blake2b(name.encode(), digest_size=16).hexdigest()
        return self.folder / label, label.encode()

    def _sign(self, label: bytes, code: bytes) -> bytes:
        return hmac.new(self.key, label + b"\0" + code, hashlib.sha256).digest()
