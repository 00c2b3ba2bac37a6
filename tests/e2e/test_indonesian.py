"""The demo built in Indonesian (`locale: id`), in each built-in theme, passes what the English one passes: the W3C Nu
validator on every page, no serious or critical axe-core violation on any page kind, and
every page fits a 390 px phone, since translated words are longer and wrap differently."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import PAGE_KINDS, PageKind, browser, serve_folder
from test_pages import DESKTOP, PHONE, open_kind, screenshot, serious_axe_violations, sideways_scroll, tab
from test_validators import nu_errors

from conftest import THEMES, build_demo_as

__all__ = ["browser", "tab"]  # fixtures, shared with the other browser tests


@pytest.fixture(scope="module", params=THEMES)
def id_theme(request: pytest.FixtureRequest) -> str:
    """Each built-in theme in turn."""
    return str(request.param)


@pytest.fixture(scope="module")
def built_id(demo_copy: Path, tmp_path_factory: pytest.TempPathFactory, id_theme: str) -> Path:
    """The demo in Indonesian, in each built-in theme."""
    output = build_demo_as(demo_copy, tmp_path_factory.mktemp(f"demo-id-{id_theme}") / "site", id_theme, "id")
    assert '<html lang="id"' in (output / "index.html").read_text()
    return output


@pytest.fixture(scope="module")
def site_url_id(built_id: Path) -> Iterator[str]:
    with serve_folder(built_id) as url:
        yield url


def test_every_indonesian_page_passes_the_nu_validator(built_id: Path) -> None:
    pages = sorted(built_id.rglob("*.html"))
    assert len(pages) > 40
    assert nu_errors(pages) == []


@pytest.mark.parametrize("kind", PAGE_KINDS, ids=[k.name for k in PAGE_KINDS])
def test_indonesian_page_kind_is_accessible_and_fits_a_phone(tab: Any, site_url_id: str, id_theme: str, kind: PageKind) -> None:
    watched = open_kind(tab, site_url_id, kind, PHONE)
    assert watched.document_status == 200
    assert sideways_scroll(watched.page) == 0
    assert serious_axe_violations(watched.page) == []
    screenshot(watched.page, f"{'' if id_theme == 'default' else id_theme + '-'}id-{kind.name}-390")
    watched.page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
    assert sideways_scroll(watched.page) == 0
    assert serious_axe_violations(watched.page) == []
    assert watched.problems == []
