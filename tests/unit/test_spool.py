"""spool.py's pages in place, taken by a swap as its new site (publish.py's `Adopted`): the
output is what writing the same files from memory gives, a file the output holds already
keeps its inode and time, and nothing of the spool's own layout is ever published."""

from __future__ import annotations

import os
from pathlib import Path

from propgen.errors import Report
from propgen.spool import Spool
from propgen.write import OutputFile, Outputs, write_site

PAGES = {
    "index.html": b"home",
    "events/gala/index.html": b"gala",
    "events/forum/index.html": b"forum",
    "p/8Fz-secret/index.html": b"a private page",
    "feed.xml": b"<feed/>",
}


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def written(out: Path, pages: dict[str, bytes], spool: Spool | None, extra: dict[str, bytes]) -> None:
    outputs = Outputs(Report())
    for path, data in pages.items():
        if spool is None:
            outputs.add(OutputFile(path, f"test {path}", data))
        else:
            outputs.add(OutputFile(path, f"test {path}", source=spool.put(path, data), spooled=True))
    for path, data in extra.items():
        outputs.add(OutputFile(path, f"test {path}", data))
    write_site(outputs, out, spool=spool)


def test_a_first_build_takes_the_spool_as_its_site(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "out", in_place=True)
    assert spool.site is not None
    written(tmp_path / "out", PAGES, spool, {"static/a.txt": b"a", "events/gala/photo.jpg": b"jpeg"})
    written(tmp_path / "reference", PAGES, None, {"static/a.txt": b"a", "events/gala/photo.jpg": b"jpeg"})
    assert tree(tmp_path / "out") == tree(tmp_path / "reference")
    assert not spool.site.exists()  # renamed into place, not copied
    spool.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".propgen-out.lock", ".propgen-reference.lock", "out", "reference"]


def test_a_swap_keeps_the_files_the_output_holds_already(tmp_path: Path) -> None:
    out = tmp_path / "out"
    written(out, PAGES, None, {})
    before = {path: os.stat(out / path) for path in PAGES}
    edited = ("events/gala/index.html", "events/forum/index.html", "feed.xml")
    changed = {path: data + b" again" if path in edited else data for path, data in PAGES.items()}
    spool = Spool(out, in_place=True)
    written(out, changed, spool, {})  # 3 of 6 files changed (the marker is one): more than a third, so a swap
    spool.close()
    assert tree(out) == {".propgen-output": tree(out)[".propgen-output"], **changed}
    for path, was in before.items():
        now = os.stat(out / path)
        kept = (now.st_ino, now.st_mtime_ns) == (was.st_ino, was.st_mtime_ns)
        assert kept == (path not in edited), path


def test_a_page_whose_folder_is_taken_waits_flat_and_still_arrives(tmp_path: Path) -> None:
    """A page at `about` and another at `about/index.html` cannot both be in place (spool.py)."""
    spool = Spool(tmp_path / "out", in_place=True)
    first = spool.put("about/index.html", b"the page")
    second = spool.put("about", b"a file where the folder is")
    assert spool.in_place("about/index.html", first) and not spool.in_place("about", second)
    assert second.parent.name == "flat" and second.read_bytes() == b"a file where the folder is"
    spool.close()
    assert not spool.folder.exists()


def test_a_flat_spool_makes_no_folder_per_page(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "out")
    places = [spool.put(path, data) for path, data in PAGES.items()]
    assert {p.parent for p in places} == {spool.folder} and spool.site is None
    assert not any(spool.in_place(path, place) for path, place in zip(PAGES, places, strict=True))
    spool.close()


def test_a_page_the_output_holds_already_is_linked_not_written(tmp_path: Path) -> None:
    """A build that renders every page again (a template edited) mostly makes the bytes the
    output holds: such a page waits in the spool as a link to the output's file (no new file
    to make), which keeps the bytes compared even when that file is replaced afterwards."""
    out = tmp_path / "out"
    written(out, PAGES, None, {})
    (out / "elsewhere.html").write_bytes(b"gala")
    (out / "events/linked").mkdir()
    (out / "events/linked/index.html").symlink_to(out / "elsewhere.html")
    spool = Spool(out)
    same = spool.put("events/gala/index.html", b"gala")
    other = spool.put("events/forum/index.html", b"forum, edited")
    linked = spool.put("events/linked/index.html", b"gala")  # a link holds those bytes, but is no page of the output
    new = spool.put("events/new/index.html", b"new")
    assert same.parent == spool.folder and os.path.samefile(same, out / "events/gala/index.html")
    assert not any(os.path.samefile(place, out / "elsewhere.html") for place in (other, linked, new))
    assert sorted(p.read_bytes() for p in spool.folder.iterdir()) == [b"forum, edited", b"gala", b"gala", b"new"]
    (out / "events/gala/index.html").unlink()  # replaced, as a killed build's patch finished by the next one does
    (out / "events/gala/index.html").write_bytes(b"another build's gala")
    assert same.read_bytes() == b"gala"
    spool.close()
