"""Search with Pagefind, when it is installed (`pip install 'propgen[search]'`): its index of the
public event pages and pages, made after rendering and published as output files under
`pagefind/`, so the swap in write.py publishes it with the pages or not at all.

Pagefind reads only a copy of those pages, made here: a private page (a proposal, a sponsor's
prospectus) never reaches it, whatever a theme marks. Everything it makes is served from the
site itself (no third-party request), and the same pages give the same bytes.
"""

from __future__ import annotations

import atexit
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
    return {BUNDLE + p.relative_to(bundle).as_posix(): p for p in sorted(bundle.rglob("*")) if p.is_file()}


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
