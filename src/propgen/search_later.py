"""The preview's search index (`propgen serve`), made when the browser asks for it.

Pagefind reads every page each time it runs (a second at 1,000 events; 13 s and 1.6 GB of
memory at 10,000), which no save should wait for. So the preview's builds make no index
(`BuildOptions.search_later`), and the server asks `IndexWhenAsked` for each file under
`pagefind/`:

- Pagefind's own scripts and styles (`pagefind-ui.js`, `pagefind.js`, ...: the same bytes
  whatever the pages, for one Pagefind) come from any bundle made so far, or from one made
  once of a single page: opening the search page, which the preview reloads after every
  save, makes no index;
- the index's files (`pagefind-entry.json`, `*.pf_meta`, `index/`, `fragment/`, `filter/`,
  `wasm.*.pagefind`) come from the index of the pages the preview folder holds, made by the
  first request for one after a save (the search box focused, the first search) and kept
  until the next save; a save that gives Pagefind the same pages (a proposal or a stylesheet
  edited) keeps it;
- any other name is no file of Pagefind's: the server looks for it in the preview folder.
"""

from __future__ import annotations

import atexit
import contextlib
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

from .errors import Location, Report
from .search import run_pagefind, write_pages

PROGRAM_FILES = (".js", ".css")  # a file of the bundle's top folder ending so is Pagefind's own
INDEX_FILES = (".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter", ".pagefind")  # and pagefind-entry.json: the index's
ONE_PAGE = b'<!doctype html><html lang="en"><body><main data-pagefind-body><p>propgen</p></main></body></html>'


class IndexWhenAsked:
    """Where each file of the preview's bundle is; see the module's docstring."""

    def __init__(self, program: Path, where: Location) -> None:
        self.program = program
        self.where = where  # the site's propgen.yaml, where a failure is reported
        self.lock = threading.Lock()  # one Pagefind at a time; requests meanwhile wait for it
        self.build = -1  # the build whose pages were given to Pagefind last
        self.digest = ""  # of those pages
        self.root: Path | None = None  # the index's bundle, None while there is none
        self.program_files: Path | None = None  # a bundle of one page, for Pagefind's own files
        self.program_tried = False  # (made once: a Pagefind that fails is reported once)
        self.process: subprocess.Popen[str] | None = None  # Pagefind, while it runs
        self.stopped = False
        self.folders: set[Path] = set()  # the working folders this holds, removed at the end
        self.copy: Path | None = None  # the folder of Pagefind's copy of the pages, kept between saves
        self.runs = 0  # indexes made there: each has a bundle folder of its own
        atexit.register(self.remove_all)

    def folder_of(
        self, path: str, build: int, pages: Callable[[], Generator[tuple[str, bytes], None, None]], report: Report
    ) -> tuple[Path | None, int]:
        """The bundle folder holding `path` (under `pagefind/`) for the pages of build number
        `build`, which `pages` gives (by output path, while it holds the preview folder), and
        how many pages Pagefind was given for it (0 when this call did not run it). None after
        reporting at the site's propgen.yaml why there is none: once for each build, a request
        after it does not run Pagefind again."""
        if ".." in path.split("/") or not (path.endswith(PROGRAM_FILES + INDEX_FILES) or path == "pagefind-entry.json"):
            return None, 0  # no file Pagefind makes: nothing to run it for
        with self.lock:
            if "/" not in path and path.endswith(PROGRAM_FILES):
                if self.root is None and not self.program_tried:
                    self.program_tried = True
                    self.program_files = self._run(iter([("index.html", ONE_PAGE)]), report, keep=False)[0]
                return self.root or self.program_files, 0
            if build != self.build:
                return self._index(build, pages, report)
            return self.root, 0

    def _index(self, build: int, pages: Callable[[], Generator[tuple[str, bytes], None, None]], report: Report) -> tuple[Path | None, int]:
        with contextlib.closing(pages()) as given:  # a generator holding the preview folder: released however this ends
            bundle, digest, count = self._run(given, report, unless=self.digest if self.root is not None else None)
        self.build = build
        if bundle is None and not digest:  # Pagefind failed: no index for these pages
            self._drop(self.root)
            self.root, self.digest = None, ""
        elif bundle is not None:
            self._drop(self.root)
            self.root, self.digest = bundle, digest
            return bundle, count
        return self.root, 0

    def _run(
        self, pages: Iterator[tuple[str, bytes]], report: Report, unless: str | None = None, keep: bool = True
    ) -> tuple[Path | None, str, int]:
        """Pagefind's bundle of `pages` (in the order of their paths), their digest and number;
        no bundle (with the digest) when their digest is `unless`, or (with no digest) after
        reporting a failure. With `keep`, Pagefind's copy of the pages stays for the next
        save's index, which rewrites only the pages that changed (search.write_pages); each
        index has a bundle folder of its own beside it, since the last one is served meanwhile."""
        if keep:
            if self.copy is None:
                self.copy = Path(tempfile.mkdtemp(prefix="propgen-search-"))
                self.folders.add(self.copy)
            folder, self.runs = self.copy, self.runs + 1
            name = f"bundle-{self.runs}"
        else:
            folder, name = Path(tempfile.mkdtemp(prefix="propgen-search-")), "bundle"
            self.folders.add(folder)
        try:
            digest, count = write_pages(folder, pages)
            if digest == unless or self.stopped:
                self._drop(folder / name)
                return None, digest, count
            bundle = run_pagefind(self.program, folder, report, self.where, self._started, name)
        except BaseException:
            self._drop(folder / name)
            raise
        finally:
            self.process = None
            if not keep:
                shutil.rmtree(folder / "site", ignore_errors=True)  # the copy: Pagefind is done with it
            elif self.stopped and self.copy is not None:  # no index is made again: the kept copy goes now
                self.folders.discard(self.copy)
                shutil.rmtree(self.copy, ignore_errors=True)
                self.copy = None
        if bundle is None:
            self._drop(folder / name)
            return None, "", 0
        return bundle, digest, count

    def _started(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        if self.stopped:  # stopped as it started
            process.terminate()

    def stop(self) -> None:
        """The server is stopping: Pagefind, if it runs, is stopped, and none starts again."""
        self.stopped = True
        process = self.process
        if process is not None and process.poll() is None:
            process.terminate()

    def _drop(self, bundle: Path | None) -> None:
        """A bundle made beside the kept copy, alone; any other with its working folder."""
        if bundle is None:
            return
        if bundle.parent == self.copy:
            shutil.rmtree(bundle, ignore_errors=True)
        else:
            self.folders.discard(bundle.parent)
            shutil.rmtree(bundle.parent, ignore_errors=True)

    def remove_all(self) -> None:
        for folder in list(self.folders):
            shutil.rmtree(folder, ignore_errors=True)
        self.folders.clear()
