"""Search with Pagefind, when it is installed (`pip install 'propgen[search]'`): its index of the
public event pages and pages, made after rendering and published as output files under
`pagefind/`, so the swap in write.py publishes it with the pages or not at all.

Pagefind reads only a copy of those pages, made here: a private page (a proposal, a sponsor's
prospectus) never reaches it, whatever a theme marks. Everything it makes is served from the
site itself (no third-party request), and the same pages give the same bytes.
"""

from __future__ import annotations

import atexit
import json
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from .errors import Location, Report

BUNDLE = "pagefind/"  # the bundle's folder in the output
INDEXED_KINDS = ("event", "page")  # what a visitor searches for: past events and the coordinator's pages
_FOLDERS: list[Path] = []  # this process's working folder, replaced by each build


def find_pagefind() -> Path | None:
    """The Pagefind program of the `pagefind[bin]` package, or None when it is not installed."""
    try:
        from pagefind_bin import get_executable  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        return None
    try:
        found: Path = get_executable()
    except (FileNotFoundError, OSError):
        return None
    return found


def index_pages(program: Path, pages: Iterable[tuple[str, Callable[[], bytes]]], report: Report) -> dict[str, Path]:
    """Index `pages` ((output path, its bytes)) and return the bundle's files by output path
    under `pagefind/`; {} after reporting a failure."""
    folder = _working_folder()
    site, bundle = folder / "site", folder / "bundle"
    for path, read in pages:
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(read())
    command = [str(program), "--site", str(site), "--output-path", str(bundle), "--silent"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        report.error(Location("propgen.yaml"), f"Pagefind could not index the site: {exc}", "reinstall it: pip install 'propgen[search]'")
        return {}
    if result.returncode != 0:
        said = (result.stderr or result.stdout).strip().splitlines()
        report.error(
            Location("propgen.yaml"),
            f"Pagefind could not index the site: {said[-1] if said else f'it stopped with code {result.returncode}'}",
            "reinstall it (pip install 'propgen[search]'), or uninstall it to build without search",
        )
        return {}
    _sorted_entry(bundle / "pagefind-entry.json")
    return {BUNDLE + p.relative_to(bundle).as_posix(): p for p in sorted(bundle.rglob("*")) if p.is_file()}


def _sorted_entry(entry: Path) -> None:
    """Pagefind lists a multilingual site's languages in its entry file in whatever order its
    hash map gives: sorted here, so the same pages give the same bytes (the script reads the
    languages by name, so their order means nothing to it)."""
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
        data["languages"] = dict(sorted(data["languages"].items()))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return  # not the format this was written for: left as Pagefind wrote it
    entry.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _working_folder() -> Path:
    """A fresh folder for one build's copy and bundle, the previous build's removed (serve
    builds many times in one process); all of them go when the process ends."""
    for old in _FOLDERS:
        shutil.rmtree(old, ignore_errors=True)
    if not _FOLDERS:
        atexit.register(_remove_all)
    _FOLDERS[:] = [Path(tempfile.mkdtemp(prefix="propgen-search-"))]
    return _FOLDERS[0]


def _remove_all() -> None:
    for folder in _FOLDERS:
        shutil.rmtree(folder, ignore_errors=True)
