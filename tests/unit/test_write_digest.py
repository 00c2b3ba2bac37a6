"""The digest of the output that writing hands the stamp (write.py's `Listing`) is the one a
fresh walk takes (stamps.output_digest): else the next build with nothing changed is not
skipped (a speed bug), or worse, a changed output is taken for the one the stamp saw."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from propgen.errors import Report
from propgen.stamps import output_digest
from propgen.write import OutputFile, Outputs, Written, write_site

BASE = {f"page-{n}/index.html": f"page {n}".encode() for n in range(12)}


def write(out: Path, files: dict[str, bytes]) -> Written:
    outputs = Outputs(Report())
    for path, data in files.items():
        outputs.add(OutputFile(path, f"test {path}", data))
    written = write_site(outputs, out)
    if written.output:
        assert written.output == output_digest(out), sorted(files)
    return written


def patched(out: Path, files: dict[str, bytes]) -> None:
    """A patch whose digest is known, then a write with nothing changed: the same digest."""
    written = write(out, files)
    assert written.output, "expected a patch that knows the output's digest"
    again = write(out, files)
    assert again.changed == 0 and again.output == written.output


CASES: dict[str, list[dict[str, bytes]]] = {
    "nested pages removed, their folders left empty": [
        {**BASE, "en/a/b/c/index.html": b"c", "en/a/b/d/index.html": b"d"},
        BASE,
    ],
    "nested pages added": [BASE, {**BASE, "en/a/b/c/index.html": b"c", "fr/x/index.html": b"x"}],
    "a file replaced by a folder": [{**BASE, "x": b"file"}, {**BASE, "x/index.html": b"page"}],
    "pages removed and added in one build": [
        {**BASE, "old/one/index.html": b"1"},
        {**{k: v for k, v in BASE.items() if k != "page-3/index.html"}, "new/two/index.html": b"2"},
    ],
    "a page edited, its size the same": [BASE, {**BASE, "page-1/index.html": b"PAGE 1"}],
}


@pytest.mark.parametrize("case", CASES)
def test_a_patch_hands_the_stamp_the_digest_of_a_fresh_walk(case: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first, *then = CASES[case]
    write(out, first)
    for files in then:
        patched(out, files)


def test_a_git_folder_and_a_hand_made_empty_folder_in_the_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(out, {**BASE, "gone/index.html": b"g"})
    (out / ".git/objects").mkdir(parents=True)
    (out / ".git/HEAD").write_text("ref: refs/heads/pages\n")
    (out / "mine/empty").mkdir(parents=True)
    (out / "gone/empty").mkdir()  # keeps its folder when the page goes
    patched(out, BASE)
    assert (out / "gone/empty").is_dir() and (out / ".git/HEAD").is_file()


def test_a_read_only_folder_whose_page_changes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(out, {**BASE, "ro/index.html": b"before", "ro/gone.html": b"gone"})
    (out / "ro").chmod(0o555)
    (out / "ro/index.html").chmod(0o444)
    try:
        patched(out, {**BASE, "ro/index.html": b"after!"})
    finally:
        for folder in (out, out / "ro"):
            if folder.is_dir():
                folder.chmod(0o755)


def test_a_link_in_the_output_leaves_the_digest_to_a_fresh_walk(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(out, BASE)
    os.symlink("page-1", out / "linked")
    written = write(out, {**BASE, "page-2/index.html": b"PAGE 2"})
    assert written.changed and written.output == ""
