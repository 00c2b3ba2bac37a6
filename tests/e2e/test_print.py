"""Private pages printed by Chromium: the page's own running header (coordinator and title),
footer and page numbers ("2 / 5") in @page margin boxes, and so no room for the browser's own
header and footer (which print the page's address, the secret link); A4 and US Letter; the
conference proposal on at most five A4 pages with its total."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import (
    CHROMIUM_FLAGS,
    PROSPECT_PASSWORD,
    PROTECTED,
    PROTECTED_PASSWORD,
    browser,
    chromium,
    missing,
    private_page,
    proposal_path,
    serve_folder,
)

from conftest import DEMO_SECRET
from propgen.links import token

__all__ = ["browser"]  # the fixture, from browser_support

SLUG = "nusantara-medika-forum"
TITLE = "Regional Oncology Patient & Research Forum 2027"
RUNNING_HEAD = "Sari Wijaya · Sari Wijaya Events"
TOTAL = "IDR 977,837,850"  # the default selection's total, as pdftotext reads the printed page (its no-break space is a space)
PROSPECT = "oncology-forum-2027-riset-kanker"


def pdf_text(pdf: Path, layout: bool = True) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        missing("pdftotext", "apt-get install poppler-utils")
    mode = "-layout" if layout else "-raw"
    return subprocess.run([tool, mode, str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60).stdout


def page_numbers(text: str) -> list[str]:
    """The "2 / 5" of every page's footer, in order (pdftotext -raw keeps the spaces)."""
    return re.findall(r"^(\d+ / \d+)$", text, flags=re.MULTILINE)


@pytest.fixture(scope="module")
def served(built_demo: Path) -> Iterator[str]:
    with serve_folder(built_demo) as url:
        yield url


def print_with_browser_header(url: str, pdf: Path) -> str:
    """Headless Chromium's --print-to-pdf prints its default header and footer (date, title,
    address, page number) unless the page defines its own page margin boxes."""
    subprocess.run([chromium(), "--headless", *CHROMIUM_FLAGS, f"--print-to-pdf={pdf}", url], capture_output=True, timeout=120, check=True)
    return pdf_text(pdf, layout=False)


def test_printing_with_the_browsers_default_header_and_footer_shows_no_secret_link(served: str, tmp_path: Path) -> None:
    text = print_with_browser_header(served + proposal_path(SLUG), tmp_path / "proposal.pdf")
    assert token(DEMO_SECRET, "proposal", SLUG) not in text
    assert "/p/" not in text and "127.0.0.1" not in text
    assert TOTAL in text
    assert "Signature, for PT Nusantara Medika" in text
    pages = text.count("\f")
    assert page_numbers(text) == [f"{n} / {pages}" for n in range(1, pages + 1)]
    assert text.count(f"{RUNNING_HEAD} {TITLE}") == pages  # the running header, on every page
    assert text.count("Proposal for PT Nusantara Medika · version ") == pages  # the footer (the cover says it in capitals)


@pytest.mark.parametrize(
    ("path", "private"),
    [
        (private_page(PROSPECT, "sponsorship"), token(DEMO_SECRET, "sponsorship", PROSPECT)),
        (
            proposal_path("meridian-bank-gala"),
            token(DEMO_SECRET, "proposal", "meridian-bank-gala"),
        ),  # expired: no header text, still no link
        (proposal_path(PROTECTED), token(DEMO_SECRET, "proposal", PROTECTED)),  # locked: nothing of the proposal, no link
        (proposal_path("nusantara-medika-forum-v1"), token(DEMO_SECRET, "proposal", "nusantara-medika-forum-v1")),  # replaced
    ],
    ids=["prospect", "expired", "locked", "replaced"],
)
def test_other_private_pages_print_no_secret_link_either(served: str, tmp_path: Path, path: str, private: str) -> None:
    text = print_with_browser_header(served + path, tmp_path / "page.pdf")
    assert private not in text and "/p/" not in text and "127.0.0.1" not in text
    assert page_numbers(text)[0] == f"1 / {text.count(chr(12))}"
    if "riset" in path:
        assert f"{RUNNING_HEAD} {TITLE}" in text and "Sponsorship prospectus for Indonesian Cancer Research Group · version " in text
    elif "-v1-" not in path:
        assert TITLE not in text and "Pernikahan di Taman Ubud" not in text


def print_pdf(browser: Any, url: str, pdf: Path, paper: str, password: str = "") -> str:
    page = browser.new_page()
    try:
        page.goto(url, wait_until="networkidle")
        if password:
            page.wait_for_function("!document.querySelector('[data-fields]').disabled")
            page.fill("#password", password)
            page.press("#password", "Enter")
            page.wait_for_function("!document.querySelector('[data-locked]')", timeout=30_000)
        page.pdf(path=str(pdf), format=paper, prefer_css_page_size=False)
    finally:
        page.close()
    return pdf_text(pdf, layout=False)


def page_size(pdf: Path) -> str:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True, timeout=60).stdout
    return re.search(r"^Page size:\s+(.*)$", info, flags=re.MULTILINE).group(1)  # type: ignore[union-attr]


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_conference_proposal_prints_on_a4_and_letter(browser: Any, served: str, tmp_path: Path, paper: str) -> None:
    pdf = tmp_path / f"{paper}.pdf"
    text = print_pdf(browser, served + proposal_path(SLUG), pdf, paper)
    assert page_size(pdf).endswith("(A4)" if paper == "A4" else "(letter)")  # the paper chosen, not one fixed by the page
    pages = text.count("\f")
    assert page_numbers(text) == [f"{n} / {pages}" for n in range(1, pages + 1)]
    assert TOTAL in text and token(DEMO_SECRET, "proposal", SLUG) not in text
    if paper == "A4":
        assert pages <= 5, f"{pages} A4 pages"
    else:
        assert pages <= 6, f"{pages} Letter pages"  # a shorter page: the portfolio and the acceptance each get one


@pytest.mark.parametrize(
    ("path", "password", "head", "foot"),
    [
        (proposal_path(PROTECTED), PROTECTED_PASSWORD, "Pernikahan di Taman Ubud", "Penawaran untuk "),  # an Indonesian proposal
        (private_page("oncology-forum-2027-onkofarma", "sponsorship"), PROSPECT_PASSWORD, TITLE, "Sponsorship prospectus for PT Onkofarma"),
    ],
    ids=["proposal", "prospect"],
)
def test_a_protected_page_prints_its_running_header_once_opened(
    browser: Any, served: str, tmp_path: Path, path: str, password: str, head: str, foot: str
) -> None:
    text = print_pdf(browser, served + path, tmp_path / "opened.pdf", "A4", password)
    pages = text.count("\f")
    assert sum(RUNNING_HEAD in line and head in line for line in text.splitlines()) == pages
    assert foot in text and page_numbers(text)[-1] == f"{pages} / {pages}"
    assert "/p/" not in text
