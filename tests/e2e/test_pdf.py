"""`propgen build --pdf`: a PDF beside each current proposal and prospect page, printed by
Debian's Chromium through Playwright; none for a draft, an expired, a replaced or a
protected page (a reminder says why for the protected ones); no secret link in the PDF's
text or bytes; the same bytes on every build; one clear line when Chromium is missing."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from browser_support import browser, chromium, missing, serve_folder

from conftest import DEMO_EXPIRED_WARNING, DEMO_SECRET, demo_env, run_propgen, with_photos
from propgen.links import token

__all__ = ["browser"]  # the fixture, from browser_support

CONFERENCE = "nusantara-medika-forum"
TOTAL = "IDR 977,837,850"  # as pdftotext reads it: the page's no-break space is a space in the PDF's text
PROSPECT = "oncology-forum-2027-riset-kanker"
REMINDERS = [
    "content/proposals/pratama-lestari-wedding.yaml:68:15: warning: no PDF of this page: it is protected by a password, and a PDF"
    " beside it could be read by anyone with the link (hint: to send a PDF, open the page with its password and use Print → Save as PDF)",
    "content/sponsorships/oncology-forum-2027.yaml:36:19: warning: no PDF of this page: it is protected by a password, and a PDF"
    " beside it could be read by anyone with the link (hint: to send a PDF, open the page with its password and use Print → Save as PDF)",
]


def poppler(tool: str, *args: str) -> str:
    found = shutil.which(tool)
    if found is None:
        missing(tool, "apt-get install poppler-utils")
    return subprocess.run([found, *args], capture_output=True, text=True, check=True, timeout=60).stdout


def folder(out: Path, slug: str, kind: str = "proposal") -> Path:
    return out / "p" / f"{slug}-{token(DEMO_SECRET, kind, slug)}"


@pytest.fixture(scope="module")
def site(demo_copy: Path, built_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo with one proposal turned into a draft, built with --drafts --pdf."""
    chromium()  # skips without Chromium, fails in CI
    target = tmp_path_factory.mktemp("pdf") / "site"
    shutil.copytree(demo_copy, target, ignore=shutil.ignore_patterns("output"))  # with built_demo's processed photos
    aurora = target / "content/proposals/aurora-tech-offsite.yaml"
    aurora.write_text(aurora.read_text() + "draft: true\n")
    result = run_propgen("build", "--strict", "--drafts", "--pdf", cwd=target, env=demo_env(), timeout=600)  # --strict checks every link
    assert result.returncode == 0, result.stderr
    for line in [*REMINDERS, DEMO_EXPIRED_WARNING]:
        assert line in result.stderr.splitlines()
    assert "Traceback" not in result.stderr
    return target


def test_each_current_proposal_and_prospect_gets_a_pdf_and_no_other_page_does(site: Path) -> None:
    out = site / "output"
    made = sorted(str(p.relative_to(out)) for p in out.rglob("*.pdf"))
    assert made == sorted(
        [
            str(folder(out, CONFERENCE).relative_to(out) / f"{CONFERENCE}.pdf"),
            str(folder(out, PROSPECT, "sponsorship").relative_to(out) / f"{PROSPECT}.pdf"),
            str(folder(out, "oncology-forum-2027-rs-harapan", "sponsorship").relative_to(out) / "oncology-forum-2027-rs-harapan.pdf"),
        ]
    )  # not the draft (aurora), the expired (meridian), the replaced (v1) nor the protected ones (pratama, onkofarma)
    assert (folder(out, "aurora-tech-offsite") / "index.html").is_file()


def test_a_page_with_a_pdf_links_to_it_and_no_other_page_does(site: Path, built_demo: Path, browser: Any) -> None:
    out = site / "output"
    link = ">Download as PDF</a>"
    with_pdf = [p.parent for p in out.rglob("*.pdf")]
    assert all(link in (f / "index.html").read_text() for f in with_pdf)
    assert all(link not in p.read_text() for p in out.rglob("*.html") if p.parent not in with_pdf)
    assert all(link not in p.read_text() for p in built_demo.rglob("*.html"))  # nor any page built without --pdf
    with serve_folder(out) as url:
        page = browser.new_page(viewport={"width": 390, "height": 800})
        page.goto(url + str(folder(out, CONFERENCE).relative_to(out)) + "/")
        with page.expect_download() as download:
            page.get_by_role("link", name="Download as PDF").click()
        assert download.value.suggested_filename == f"{CONFERENCE}.pdf"
        assert Path(download.value.path()).read_bytes() == (folder(out, CONFERENCE) / f"{CONFERENCE}.pdf").read_bytes()
        page.close()


def test_the_conference_pdf_has_five_a4_pages_numbered_with_its_total_and_no_secret_link(site: Path) -> None:
    pdf = folder(site / "output", CONFERENCE) / f"{CONFERENCE}.pdf"
    info = poppler("pdfinfo", str(pdf))
    pages = int(re.search(r"^Pages:\s+(\d+)$", info, flags=re.MULTILINE).group(1))  # type: ignore[union-attr]
    assert 1 <= pages <= 5 and "(A4)" in info
    text = poppler("pdftotext", "-raw", str(pdf), "-")
    assert re.findall(r"^(\d+ / \d+)$", text, flags=re.MULTILINE) == [f"{n} / {pages}" for n in range(1, pages + 1)]
    assert TOTAL in text and "Regional Oncology Patient & Research Forum 2027" in text
    secret = token(DEMO_SECRET, "proposal", CONFERENCE)
    assert secret not in text and "/p/" not in text
    assert secret.encode() not in pdf.read_bytes()  # nor in a link, the metadata or anywhere else
    links = poppler("pdfinfo", "-url", str(pdf))
    assert "https://sariwijaya.example/en/events/oncology-research-forum/" in links  # to the published site, in the proposal's language
    # A quantity the client may change prints as text, as close to its unit as a fixed one
    # (the number field's arrows, unseen, kept their room: "400     pax"):
    laid_out = poppler("pdftotext", "-layout", str(pdf), "-")
    assert re.search(r"Networking dinner +400 pax ", laid_out) and re.search(r"coffee breaks +800 pax ", laid_out), laid_out


def test_a_pdf_is_dated_by_source_date_epoch_and_a_second_build_writes_nothing(site: Path, photos: Path, tmp_path: Path) -> None:
    pdf = folder(site / "output", CONFERENCE) / f"{CONFERENCE}.pdf"
    before = pdf.read_bytes()
    inode = pdf.stat().st_ino
    assert "CreationDate:    D:20261115000000+00'00'" in poppler("pdfinfo", "-rawdates", str(pdf))  # conftest's EPOCH
    # A cache folder with nothing but the session's processed photos: no stamp, no page cached, so
    # every page and PDF is made again (--no-cache would also process the 43 camera photos again).
    cache = with_photos(tmp_path / "cache", photos)
    result = run_propgen("build", "--strict", "--drafts", "--pdf", "--cache-dir", str(cache), cwd=site, env=demo_env(), timeout=600)
    assert result.returncode == 0, result.stderr
    assert "(0 files changed)" in result.stdout
    assert pdf.read_bytes() == before and pdf.stat().st_ino == inode


def test_letter_paper_on_request(site: Path, tmp_path: Path) -> None:
    result = run_propgen("build", "--pdf", "letter", "--out", str(tmp_path / "out"), cwd=site, env=demo_env(), timeout=600)
    assert result.returncode == 0, result.stderr
    pdf = folder(tmp_path / "out", PROSPECT, "sponsorship") / f"{PROSPECT}.pdf"
    assert "(letter)" in poppler("pdfinfo", str(pdf))
    assert TOTAL not in poppler("pdftotext", "-raw", str(pdf), "-")  # the prospect's own page, not the proposal


def test_without_chromium_one_line_says_what_to_install_and_the_output_is_untouched(built_demo: Path, demo_copy: Path) -> None:
    before = {p: p.read_bytes() for p in built_demo.rglob("*") if p.is_file()}
    result = run_propgen("build", "--pdf", cwd=demo_copy, env=demo_env(PROPGEN_CHROMIUM="/nonexistent/chromium"))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert [line for line in lines if ": error: " in line] == [
        "content/proposals/aurora-tech-offsite.yaml:1:1: error: PROPGEN_CHROMIUM names no Chromium program to print PDFs with"
        " (hint: set PROPGEN_CHROMIUM to the path of chromium or google-chrome, or unset it to look for one)"
    ]
    assert lines[-1] == "build failed: 1 problem; output/ was left as it was"
    assert "Traceback" not in result.stderr and "/nonexistent" not in result.stderr
    assert {p: p.read_bytes() for p in built_demo.rglob("*") if p.is_file()} == before


def test_a_build_without_pdf_writes_none_and_never_imports_the_renderer(built_demo: Path, demo_copy: Path, tmp_path: Path) -> None:
    assert list(built_demo.rglob("*.pdf")) == []
    script = (
        "import sys; from propgen.cli import main\n"
        f"code = main(['build', '--out', {str(tmp_path / 'out')!r}])\n"
        "assert 'playwright' not in sys.modules, 'imported'\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=demo_copy, env=demo_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def test_a_build_without_pdf_after_one_with_is_a_real_build_that_leaves_the_pdfs_out(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run_propgen("build", "--drafts", "--pdf", "--out", str(out), cwd=site, env=demo_env(), timeout=600)
    assert first.returncode == 0, first.stderr
    assert list(out.rglob("*.pdf"))
    again = run_propgen("build", "--drafts", "--out", str(out), cwd=site, env=demo_env(), timeout=600)
    assert again.returncode == 0, again.stderr
    assert "nothing changed" not in again.stdout and not list(out.rglob("*.pdf"))  # the stamp knows --pdf (stamps.py)
