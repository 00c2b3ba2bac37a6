"""search.py: Pagefind's failures said at the site's settings, as messages name them; its copy of
the pages kept between builds gives the index a fresh copy gives."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from propgen.errors import Location, Report
from propgen.search import find_pagefind, index_pages


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


def _page(title: str, words: str) -> bytes:
    return f'<!doctype html><html lang="en"><body><main data-pagefind-body><h1>{title}</h1><p>{words}</p></main></body></html>'.encode()


@pytest.mark.parametrize("where", ["disk", "memory"])
def test_a_kept_copy_brought_up_to_date_gives_the_index_a_fresh_copy_gives(tmp_path: Path, where: str) -> None:
    """Pagefind's copy of the pages stays in the cache folder between builds, and only the pages
    that changed are written again. Pagefind numbers the pages in the order their folders list
    them, which in memory (tmpfs) is the order they were made in, so a page added between two
    others must not simply be added: after every change (a page edited, pages added before and
    between the others, a page removed, a page and a stray file changed by hand in the copy)
    the index is the one a fresh copy of the same pages gives, byte for byte."""
    program = find_pagefind()
    assert program is not None, "the test extra installs Pagefind"
    if where == "memory":
        if not Path("/dev/shm").is_dir():
            pytest.skip("no /dev/shm on this system")
        base = Path(tempfile.mkdtemp(prefix="propgen-test-", dir="/dev/shm"))
    else:
        base = tmp_path
    try:
        site = {f"events/{name}/index.html": _page(name, f"{name} gala with lanterns") for name in ("b-gala", "d-gala", "f-gala")}
        edited = {**site, "events/d-gala/index.html": _page("d-gala", "brass band by the quay")}
        added = {**edited, **{f"events/{n}/index.html": _page(n, f"{n} dinner") for n in ("a-gala", "c-gala", "e-gala")}}
        removed = {path: data for path, data in added.items() if not path.startswith("events/b-gala/")}
        kept = base / "kept"
        kept.mkdir()

        def index(folder: Path, pages: dict[str, bytes]) -> dict[str, bytes]:
            report = Report()
            given = [(path, lambda data=data: data) for path, data in sorted(pages.items())]
            files = index_pages(program, given, report, Location("site/propgen.yaml"), folder)
            assert files and not report.problems, report.problems
            return {path: made.read_bytes() for path, made in files.items()}

        for step, pages in enumerate([site, edited, added, removed, removed]):
            if step == 4:  # by hand: a page of the copy changed, a file left in it
                (kept / "site/events/c-gala/index.html").write_bytes(_page("c-gala", "changed by hand"))
                (kept / "site/events/zz").mkdir()
                (kept / "site/events/zz/index.html").write_bytes(_page("zz", "not a page of the site"))
            fresh = base / f"fresh-{step}"
            fresh.mkdir()
            assert index(kept, pages) == index(fresh, pages), f"step {step}"
        assert sorted(p.relative_to(kept / "site").as_posix() for p in (kept / "site").rglob("*.html")) == sorted(removed)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_a_link_in_a_kept_copy_is_never_written_through(tmp_path: Path) -> None:
    """A cache folder restored from elsewhere may hold links: a page of the copy that is a link
    to a file outside, or the copy's folder itself a link, is removed (the link alone) and the
    copy made again; the file it led to is left as it was."""
    program = find_pagefind()
    assert program is not None, "the test extra installs Pagefind"
    outside = tmp_path / "outside"
    (outside / "events/gala").mkdir(parents=True)
    victim = outside / "events/gala/index.html"
    victim.write_bytes(b"not propgen's")
    pages = [("events/gala/index.html", lambda: _page("gala", "lanterns"))]
    for case in ("page", "folder"):
        kept = tmp_path / case
        (kept / "site/events/gala").mkdir(parents=True)
        if case == "page":
            (kept / "site/events/gala/index.html").symlink_to(victim)
        else:
            shutil.rmtree(kept / "site")
            (kept / "site").symlink_to(outside)
        report = Report()
        assert index_pages(program, pages, report, Location("site/propgen.yaml"), kept) and not report.problems
        assert victim.read_bytes() == b"not propgen's"
        assert not (kept / "site").is_symlink() and not (kept / "site/events/gala/index.html").is_symlink()
        assert (kept / "site/events/gala/index.html").read_bytes() == _page("gala", "lanterns")


def test_a_kept_copy_that_cannot_be_tidied_costs_only_speed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache restored from elsewhere may hold a folder propgen may not write (mode 0555,
    which does not stop root, so the folder's refusal is what `rmtree` meeting it does: nothing
    removed). Pagefind then gets a fresh copy in a temporary folder: the link left in the copy
    is never written through, the one left in the old bundle never published, and the index
    is made."""
    from propgen import search

    program = find_pagefind()
    assert program is not None, "the test extra installs Pagefind"
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"a file of the machine")
    kept = tmp_path / "kept"
    (kept / "site/events/gala").mkdir(parents=True)
    (kept / "site/events/gala/index.html").symlink_to(secret)
    (kept / "bundle/extra").mkdir(parents=True)
    (kept / "bundle/extra/leak.js").symlink_to(secret)
    monkeypatch.setattr(search.shutil, "rmtree", lambda path, ignore_errors=False: None)
    report = Report()
    pages = [("events/gala/index.html", lambda: _page("gala", "lanterns"))]
    files = index_pages(program, pages, report, Location("site/propgen.yaml"), kept)
    assert files and not report.problems, report.problems
    assert "pagefind/extra/leak.js" not in files and all(kept not in made.parents for made in files.values())
    assert secret.read_bytes() == b"a file of the machine"
    with pytest.raises(ValueError, match="in the order of the pages' paths"):
        search.write_pages(tmp_path / "unsorted", [("b/index.html", b"b"), ("a/index.html", b"a")])
