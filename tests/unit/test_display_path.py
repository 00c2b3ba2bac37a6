"""How messages name a file (errors.display_path): relative to the working folder when inside
it, absolute otherwise, the file's own name kept (a link is named by itself)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from propgen.errors import display_path


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "site/content/events").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", tmp_path / "site/linked")
    monkeypatch.chdir(tmp_path / "site")
    return tmp_path / "site"


def test_paths_are_shown_from_where_propgen_runs(site: Path) -> None:
    outside = site.parent.resolve()
    cases = {
        "content/events/gala.yaml": "content/events/gala.yaml",
        "./content//events/gala.md": "content/events/gala.md",
        str(site / "content/events/gala.yaml"): "content/events/gala.yaml",
        str(site): ".",  # the site folder itself, seen from inside it
        str(site / "output"): "output",
        str(site.parent): str(outside),
        str(site.parent / "elsewhere/x.md"): f"{outside}/elsewhere/x.md",
        "../elsewhere/x.md": f"{outside}/elsewhere/x.md",
        "linked/x.md": f"{outside}/elsewhere/x.md",  # a folder reached through a link: where it really is
        "content/events/../events/gala.yaml": "content/events/gala.yaml",
        "/": "/",
        ".": ".",
    }
    assert {path: display_path(path) for path in cases} == cases
    assert display_path(Path("content/events/gala.yaml")) == "content/events/gala.yaml"


def test_a_relative_path_is_shown_from_the_folder_propgen_runs_in_now(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The preview and the tests build several sites in one process, each from its own folder."""
    for name in ("first", "second"):
        (tmp_path / name / "content/events").mkdir(parents=True)
        monkeypatch.chdir(tmp_path / name)
        assert display_path("content/events/gala.yaml") == "content/events/gala.yaml"
        assert display_path(tmp_path / name / "content/events/gala.yaml") == "content/events/gala.yaml"
    monkeypatch.chdir(tmp_path)
    assert display_path("first/content/events/gala.yaml") == "first/content/events/gala.yaml"
