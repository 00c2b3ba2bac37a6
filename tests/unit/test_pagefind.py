"""search.py: Pagefind's failures said at the site's settings, as messages name them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from propgen.errors import Location, Report
from propgen.search import index_pages


@pytest.mark.skipif(shutil.which("false") is None, reason="needs the false program")
def test_a_pagefind_that_fails_is_reported_at_the_settings_file_named_from_where_propgen_runs() -> None:
    """Its error named `propgen.yaml` whatever folder propgen ran in; from the site's parent
    that is no file. A program that fails stands in for a Pagefind that cannot index."""
    report = Report()
    program = Path(str(shutil.which("false")))
    files = index_pages(program, [("index.html", lambda: b"<!doctype html><title>Home</title>")], report, Location("site/propgen.yaml"))
    assert files == {}
    assert [str(p) for p in report.problems] == [
        "site/propgen.yaml:1:1: error: Pagefind could not index the site: it stopped with code 1"
        " (hint: reinstall it (pip install 'propgen[search]'), or uninstall it to build without search)"
    ]
