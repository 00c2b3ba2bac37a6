"""The conference proposal printed by Chromium: the browser's own header and footer (which
print the page's address, the secret link) find no room, the total is there, and it fits
in five A4 pages."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import CHROMIUM_FLAGS, chromium, missing, proposal_path, serve_folder

from conftest import DEMO_SECRET
from propgen.links import token

SLUG = "nusantara-medika-forum"
TOTAL = "IDR977,837,850"  # the default selection's total, as the page shows it


def pdf_text(pdf: Path) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        missing("pdftotext", "apt-get install poppler-utils")
    return subprocess.run([tool, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60).stdout


@pytest.fixture(scope="module")
def served(built_demo: Path) -> Iterator[str]:
    with serve_folder(built_demo) as url:
        yield url


def test_printing_with_the_browsers_default_header_and_footer_shows_no_secret_link(served: str, tmp_path: Path) -> None:
    """Headless Chromium's --print-to-pdf prints its default header and footer (date, title,
    address, page number) unless a page leaves it no room."""
    pdf = tmp_path / "proposal.pdf"
    subprocess.run(
        [chromium(), "--headless", *CHROMIUM_FLAGS, f"--print-to-pdf={pdf}", served + proposal_path(SLUG)],
        capture_output=True,
        timeout=120,
        check=True,
    )
    text = pdf_text(pdf)
    assert token(DEMO_SECRET, "proposal", SLUG) not in text
    assert "/p/" not in text and "127.0.0.1" not in text
    assert TOTAL in text
    assert "Sari Wijaya · Sari Wijaya Events" in text  # the page's own running header
    assert "Signature, for PT Nusantara Medika" in text


def test_the_conference_proposal_fits_in_five_a4_pages(served: str, tmp_path: Path) -> None:
    executable = chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright for Python", "PIP_CONSTRAINT=constraints.txt .venv/bin/pip install -e '.[test]'")
    pdfs = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.goto(served + proposal_path(SLUG), wait_until="networkidle")
        for paper in ("A4", "Letter"):
            pdfs[paper] = tmp_path / f"{paper}.pdf"
            page.pdf(path=str(pdfs[paper]), format=paper)
        browser.close()
    pages = pdf_text(pdfs["A4"]).count("\f")
    assert 1 <= pages <= 5, f"{pages} A4 pages"
    for pdf in pdfs.values():
        text = pdf_text(pdf)
        assert TOTAL in text and token(DEMO_SECRET, "proposal", SLUG) not in text
