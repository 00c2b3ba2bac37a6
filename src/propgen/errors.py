"""Problems as values: every mistake a user can make is a `Problem` with a `Location`.

Stages collect problems into a `Report` instead of raising, so one build can show
every mistake at once (a coordinator fixing five typos should not need five builds).
"""

from __future__ import annotations

import errno
import os
import re
import unicodedata
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from pathlib import Path

# A private page's folder is `<slug>-<token>`: a slug is lowercase letters, digits and
# hyphens, a token 22 URL-safe base64 characters. Requiring a capital or "_" in the token
# keeps slugs (which cannot contain them) from ever being mistaken for one; the rare token
# without either is caught by `keep_secret`, as links.token() registers every token it makes.
_TOKEN_AFTER_SLUG = re.compile(r"(?<=[a-z0-9]-)(?=[A-Za-z0-9_-]{0,21}[A-Z_])[A-Za-z0-9_-]{22}(?![A-Za-z0-9_-])")
MASK = "…"
MIN_SECRET_TO_MASK = 8  # shorter values would blank out ordinary words of messages
_secrets: set[str] = set()


def keep_secret(value: str) -> None:
    """Never print this value (a link secret, a token, a password). Process-wide on purpose:
    secrets come from the environment once, while messages are made everywhere, also by
    libraries (an OS error's file name, a Jinja message), and must all pass `mask`."""
    if len(value) >= MIN_SECRET_TO_MASK:
        _secrets.add(value)


def secrets_count() -> int:
    """How many values are kept secret: the set only grows, so a name shown before a secret was
    known is masked again once the count moves (a cache of shown names keys on it)."""
    return len(_secrets)


def mask(text: str) -> str:
    """Text as it may be shown to anyone (a terminal, a CI log, the preview's error page):
    every proposal token replaced by "…", so `p/acme-corp-<token>/` reads `p/acme-corp-…/`,
    and every value given to `keep_secret` too. The one place that hides secrets in output."""
    for value in sorted(_secrets, key=len, reverse=True):
        if value in text:
            text = text.replace(value, MASK)
    return _TOKEN_AFTER_SLUG.sub(MASK, text)


def display_path(path: Path | str, folder: str = "") -> str:
    """A path as messages show it: relative to the working folder when inside it, masked.
    The folder is resolved (once per folder: a site has thousands of files in a few folders),
    the file's own name is kept, so a link is shown by its name. `folder`: `working_folder()`
    as the caller just asked it, naming thousands of files (a system call each, else)."""
    return _masked(str(path), folder or working_folder(), secrets_count())


_working: list[str] = []


def working_folder() -> str:
    """The folder propgen runs in, as it was when last seen: a build that swaps in a new output
    folder removes the one a propgen started inside it runs in, and the new one has its name."""
    try:
        _working[:] = [os.getcwd()]
    except FileNotFoundError:
        if not _working:
            raise
    return _working[0]


@lru_cache(maxsize=65536)  # a site's files are named many times a build (scanning, reading, validating)
def _masked(path: str, cwd: str, secrets: int) -> str:
    """`secrets` (how many values are kept secret: the set only grows) makes a path shown
    before a secret was known be masked again once it is."""
    return mask(printable(_shown(path, cwd)))


def is_text(value: str) -> bool:
    """Whether a name or value from the system is UTF-8 text (Python keeps other bytes as lone
    surrogates, which no digest, URL, browser or Rust program takes)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def printable(path: str) -> str:
    """A name that is not UTF-8 (a folder unpacked from an old zip) with its odd bytes written
    as \\xe9: a message, a digest or a JSON file cannot take the raw bytes."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _shown(path: str, cwd: str) -> str:
    folder, slash, name = path.rpartition("/")
    folder = folder or ("/" if slash else ".")
    if name in ("", ".", ".."):
        resolved = Path(path).resolve()
        try:
            return resolved.relative_to(_resolved_folder(cwd)).as_posix()
        except ValueError:
            return resolved.as_posix()
    shown = _shown_folder(folder, cwd)  # once per folder: pathlib costs 30 µs a call
    if not shown.startswith("/"):
        return name if shown == "." else f"{shown}/{name}"
    resolved = _resolved_folder(os.path.join(cwd, folder)) / name  # outside the working folder, or the working folder itself
    try:
        return resolved.relative_to(_resolved_folder(cwd)).as_posix()
    except ValueError:
        return resolved.as_posix()


@lru_cache(maxsize=4096)
def _shown_folder(folder: str, cwd: str) -> str:
    resolved = _resolved_folder(os.path.join(cwd, folder))  # cached by the absolute path: the working folder may change
    try:
        return resolved.relative_to(_resolved_folder(cwd)).as_posix()
    except ValueError:
        return resolved.as_posix()


@lru_cache(maxsize=4096)
def _resolved_folder(folder: str) -> Path:
    return Path(os.path.abspath(folder)).resolve()


_OS_HINTS = {
    errno.ENAMETOOLONG: "a name is too long for this file system; a proposal's folder is its file name and 23 more characters,"
    " so shorten the longest file names in content/",
    errno.ENOSPC: "the disk is full: free some space and build again",
    errno.EDQUOT: "the disk quota is used up: free some space and build again",
    errno.EFBIG: "a file is larger than this file system, or the limit of ulimit -f, allows",
}


def os_hint(exc: OSError) -> str:
    """What to do when the system refused: the few errors with a better answer than permissions."""
    return _OS_HINTS.get(exc.errno or 0, "check the path and its permissions")


@dataclass(frozen=True, order=True)
class Location:
    """Where a problem is: a display path (relative to where the user runs propgen) and a 1-based line and column."""

    path: str
    line: int = 1
    col: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", mask(self.path))  # a location never holds a secret link

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    location: Location
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR
    strict: bool = True  # a warning that --strict turns into a failure (all but reminders of a correct state)

    def __post_init__(self) -> None:
        # Masked when made, not only when printed: the preview's error page shows the fields.
        object.__setattr__(self, "message", mask(self.message))
        object.__setattr__(self, "hint", mask(self.hint))

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity.value}: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return mask(text)


@dataclass
class Report:
    """Collects problems from every stage; the CLI prints them sorted by file and line."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, location: Location, message: str, hint: str = "") -> None:
        self.problems.append(Problem(location, message, hint, Severity.ERROR))

    def warning(self, location: Location, message: str, hint: str = "", strict: bool = True) -> None:
        """`strict=False` for a reminder about a state whose output is right (an expired proposal
        shows its expired notice): printed always, but never a reason for --strict to fail."""
        self.problems.append(Problem(location, message, hint, Severity.WARNING, strict))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def strict_warnings(self) -> list[Problem]:
        return [p for p in self.warnings if p.strict]

    def failed(self, strict: bool = False) -> bool:
        """A build fails on any error, and with --strict on any warning but reminders too."""
        return bool(self.errors) or (strict and bool(self.strict_warnings))

    def sorted(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: (p.location, p.message))


def shorten(text: str, limit: int = 40) -> str:
    """A value quoted back in a message: on one line (control characters escaped, so a problem
    stays one line) and cut short (a 5,000-digit number is a typo to point at, not to print)."""
    text = "".join(repr(c)[1:-1] if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
