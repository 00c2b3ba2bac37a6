"""Output at the edge: collect every file of the build, then write it all or nothing.

The site is written into a temporary folder beside the output and swapped in only when
everything succeeded, so a failed build leaves the previous site untouched. A file whose
bytes did not change is carried over (same inode, same mtime), so deploy tools that
compare timestamps see only what really changed.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from .errors import Location, Report


@dataclass(frozen=True)
class OutputFile:
    path: str  # posix path inside the output folder
    origin: str  # what produced it, for "two things claim this file" messages
    data: bytes | None = None
    source: Path | None = None  # copied from here when data is None

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.source is not None
        return self.source.read_bytes()


class Outputs:
    """Every output file of a build; two claims on one path are a problem, not an overwrite."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.files: dict[str, OutputFile] = {}

    def add(self, file: OutputFile) -> None:
        other = self.files.get(file.path)
        if other is not None:
            self.report.error(
                Location(file.origin),
                f"this would be written to /{file.path}, which {other.origin} already writes",
                "rename or move one of them",
            )
            return
        self.files[file.path] = file


def write_site(outputs: Outputs, out_dir: Path) -> tuple[int, int]:
    """Write all files; return (changed, unchanged) counts."""
    out_dir = out_dir.resolve()
    parent = out_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = parent / f".{out_dir.name}.propgen-new"
    trash = parent / f".{out_dir.name}.propgen-old"
    for leftover in (staging, trash):
        if leftover.exists():
            shutil.rmtree(leftover)
    staging.mkdir()
    changed = unchanged = 0
    for path in sorted(outputs.files):
        file = outputs.files[path]
        target = staging / path
        target.parent.mkdir(parents=True, exist_ok=True)
        previous = out_dir / path
        data = file.read()
        if previous.is_file() and previous.stat().st_size == len(data) and previous.read_bytes() == data:
            try:
                os.link(previous, target)
            except OSError:
                shutil.copy2(previous, target)
            unchanged += 1
        else:
            target.write_bytes(data)
            changed += 1
    git = out_dir / ".git"  # a gh-pages worktree or clone in the output folder survives rebuilds
    if git.exists():
        git.rename(staging / ".git")
    if out_dir.exists():
        out_dir.rename(trash)
    staging.rename(out_dir)
    if trash.exists():
        shutil.rmtree(trash)
    return changed, unchanged
