"""Problems as values: every mistake a user can make is a `Problem` with a `Location`.

Stages collect problems into a `Report` instead of raising, so one build can show
every mistake at once (a coordinator fixing five typos should not need five builds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


@dataclass(frozen=True, order=True)
class Location:
    """Where a problem is: a display path (relative to where the user runs propgen) and a 1-based line and column."""

    path: str
    line: int = 1
    col: int = 1

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

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity.value}: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


@dataclass
class Report:
    """Collects problems from every stage; the CLI prints them sorted by file and line."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, location: Location, message: str, hint: str = "") -> None:
        self.problems.append(Problem(location, message, hint, Severity.ERROR))

    def warning(self, location: Location, message: str, hint: str = "") -> None:
        self.problems.append(Problem(location, message, hint, Severity.WARNING))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def failed(self, strict: bool = False) -> bool:
        """A build fails on any error, and with --strict on any warning too."""
        return bool(self.errors) or (strict and bool(self.warnings))

    def sorted(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: (p.location, p.message))
