"""`propgen serve` tells a build which files its watcher saw move since the last build's walk,
and the walk then takes content/events/ from the last one (stamps.EventsListing) but for those
files. What it gives must be what a walk of every file gives, or a save would keep an event
whose file changed; when it cannot say (a file made, deleted, a folder), the folder is walked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from propgen.stamps import EventsListing, Since, Walked, files_digests


def make(site: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def saved(path: Path, text: str) -> str:
    """Write `path` with a modification time of its own (a save within the file system's
    clock tick must still be seen), and name it as the watcher does."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text)
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))
    return str(path)


def same(walked: Walked, fresh: Walked) -> None:
    assert (walked.every, walked.besides, dict(walked.content)) == (fresh.every, fresh.besides, dict(fresh.content))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    make(
        tmp_path,
        {
            "propgen.yaml": "title: T\n",
            "content/events/gala.yaml": "title: Gala\n",
            "content/events/gala.md": "The night.\n",
            "content/events/gala.id.md": "Malamnya.\n",
            "content/events/forum.yaml": "title: Forum\n",
            "content/pages/about.md": "About.\n",
            "static/logo.txt": "logo\n",
        },
    )
    return tmp_path


def test_a_save_of_an_events_files_gives_what_a_walk_of_every_file_gives(site: Path) -> None:
    first = files_digests(site)
    assert first.listing is not None and len(first.listing.lines) == 4
    moved = frozenset({saved(site / "content/events/gala.md", "The night, and the fireworks.\n")})
    walked = files_digests(site, Since(first.listing, moved))
    same(walked, files_digests(site))
    assert walked.content != first.content and walked.every != first.every
    assert walked.besides == first.besides  # only an event's file moved: the cache's shape stands


def test_the_watchers_word_is_what_the_listing_trusts(site: Path) -> None:
    """A file it did not name is taken as the last walk saw it: the watcher sees every file a
    build reads in content/events/, so that is the one it names (this is the contract)."""
    first = files_digests(site)
    assert first.listing is not None
    saved(site / "content/events/forum.yaml", "title: Forum, moved\n")
    walked = files_digests(site, Since(first.listing, frozenset()))
    assert walked.content == first.content
    assert files_digests(site).content != first.content


def test_files_outside_content_events_are_walked_as_ever(site: Path) -> None:
    first = files_digests(site)
    assert first.listing is not None
    saved(site / "content/pages/about.md", "About us.\n")
    saved(site / "static/logo.txt", "new logo\n")
    walked = files_digests(site, Since(first.listing, frozenset()))  # even when the watcher names nothing
    same(walked, files_digests(site))
    assert walked.besides != first.besides


@pytest.mark.parametrize(
    "change",
    ["made", "deleted", "made a folder", "a translation made"],
)
def test_a_file_made_or_deleted_in_content_events_has_the_folder_walked(site: Path, change: str) -> None:
    first = files_digests(site)
    assert first.listing is not None
    events = site / "content/events"
    if change == "made":
        moved = saved(events / "regatta.yaml", "title: Regatta\n")
    elif change == "deleted":
        (events / "forum.yaml").unlink()
        moved = str(events / "forum.yaml")
    elif change == "made a folder":
        (events / "old").mkdir()
        moved = saved(events / "old/gala.yaml", "title: Old\n")
    else:
        moved = saved(events / "forum.id.md", "Forumnya.\n")
    assert first.listing.patched({moved}) is None
    walked = files_digests(site, Since(first.listing, frozenset({moved})))
    same(walked, files_digests(site))
    assert (walked.listing is None) == (change == "made a folder")  # a folder in it: walked every time


def test_no_listing_is_kept_for_a_linked_events_folder_or_one_holding_a_folder(
    site: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    (site / "content/events/drafts").mkdir()
    assert files_digests(site).listing is None
    other = tmp_path_factory.mktemp("other")
    make(other, {"propgen.yaml": "title: T\n", "elsewhere/gala.yaml": "title: Gala\n"})
    (other / "content").mkdir()
    (other / "content/events").symlink_to(other / "elsewhere")
    assert files_digests(other).listing is None


def test_a_listing_of_another_folder_is_not_used(site: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    other = tmp_path_factory.mktemp("other")
    make(other, {"propgen.yaml": "title: T\n", "content/events/regatta.yaml": "title: Regatta\n"})
    listing = files_digests(other).listing
    assert isinstance(listing, EventsListing)
    same(files_digests(site, Since(listing, frozenset())), files_digests(site))
