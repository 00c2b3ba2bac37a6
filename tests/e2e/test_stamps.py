"""A build with nothing changed is skipped (stamps.py), and only then: every input, secret,
day or output change in between makes a real build, and the stamp keeps no secret."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from test_incremental import EVENT, build, tree

from conftest import DEMO_PASSWORDS, DEMO_REMINDERS, DEMO_SECRET, EPOCH, demo_env, run_propgen, side_by_side, with_photos

SKIPPED = "(nothing changed since the last build)"


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {path: (data, (folder / path).stat().st_mtime_ns) for path, data in tree(folder).items()}


def test_a_build_with_nothing_changed_is_skipped_and_says_what_the_last_one_said(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run_propgen("build", "--out", str(out), cwd=demo, env=demo_env())
    assert first.returncode == 0 and SKIPPED not in first.stdout
    before = snapshot(out)
    again = run_propgen("build", "--out", str(out), cwd=demo, env=demo_env())
    assert again.returncode == 0, again.stderr
    assert SKIPPED in again.stdout
    assert again.stderr == first.stderr and all(line in again.stderr for line in DEMO_REMINDERS)  # the reminders, once more
    assert again.stdout.split(" in ")[0] == first.stdout.split(" in ")[0]  # "built N pages, M proposals, K warnings"
    assert snapshot(out) == before  # not a byte, not a modification time


def other_day(demo: Path) -> dict[str, str]:
    return demo_env(SOURCE_DATE_EPOCH=str(int(EPOCH) + 86400))


def delete_a_page(out: Path) -> None:
    (out / "about/index.html").unlink()


# Each change, and the environment the second build runs with.
CHANGES: dict[str, Callable[[Path, Path], dict[str, str]]] = {
    "a record saved again unchanged": lambda s, o: (os.utime(s / EVENT), demo_env())[1],
    "a page deleted from the output": lambda s, o: (delete_a_page(o), demo_env())[1],
    "a password changed": lambda s, o: demo_env(PRATAMA_PROPOSAL_PASSWORD="another-long-password"),
    "the link secret changed": lambda s, o: demo_env(PROPGEN_SECRET="another-secret-for-the-tests-0123456789"),
    "the next day": lambda s, o: other_day(s),
    "a file added to static": lambda s, o: ((s / "static/new.txt").write_text("new\n"), demo_env())[1],
}


@pytest.mark.parametrize("change", list(CHANGES), ids=list(CHANGES))
def test_any_change_makes_a_real_build_whose_output_is_a_clean_builds(change: str, demo: Path, tmp_path: Path, photos: Path) -> None:
    out, clean = tmp_path / "out", tmp_path / "clean"
    build(demo, out)
    env = CHANGES[change](demo, out)
    # A cache folder with nothing but the session's processed photos: no stamp, no page cached
    # (--no-cache would also process the demo's 43 camera photos again, a minute of CPU each time).
    clean_cache = with_photos(tmp_path / "clean-cache", photos)
    result, fresh = side_by_side(
        lambda: run_propgen("build", "--out", str(out), cwd=demo, env=env),
        lambda: run_propgen("build", "--out", str(clean), "--cache-dir", str(clean_cache), cwd=demo, env=env),
    )
    assert result.returncode == 0, result.stderr
    assert SKIPPED not in result.stdout
    assert fresh.returncode == 0, fresh.stderr
    assert tree(out) == tree(clean)
    assert SKIPPED in run_propgen("build", "--out", str(out), cwd=demo, env=env).stdout  # and now it is stamped again


def test_strict_builds_always_build_as_they_check_every_link(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(demo, out)
    for _ in range(2):
        result = run_propgen("build", "--out", str(out), "--strict", cwd=demo, env=demo_env())
        assert result.returncode == 0, result.stderr
        assert SKIPPED not in result.stdout and "links" not in result.stderr


def test_a_failed_build_in_between_never_lets_a_stale_output_pass(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(demo, out)
    record = demo / EVENT
    text = record.read_text()
    record.write_text(text.replace('id: "', 'id: ["unclosed ', 1))
    assert run_propgen("build", "--out", str(out), cwd=demo, env=demo_env()).returncode == 1
    record.write_text(text.replace('id: "', 'id: "Renamed ', 1))
    result = run_propgen("build", "--out", str(out), cwd=demo, env=demo_env())
    assert result.returncode == 0 and SKIPPED not in result.stdout
    assert "Renamed" in (out / "events/childrens-hospital-gala/index.html").read_text()


def test_the_stamp_keeps_no_secret(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(demo, out)
    stamp = (demo / ".propgen-cache/stamp.json").read_text()
    tokens = [p.name.rsplit("-", 1)[-1] for p in (out / "p").iterdir() if p.is_dir()]
    assert tokens
    for secret in (DEMO_SECRET, *DEMO_PASSWORDS.values(), *tokens):
        assert secret not in stamp


def test_a_patch_that_adds_and_removes_folders_is_stamped_as_the_output_it_left(
    make_site: Callable[[dict[str, str | bytes]], Path], tmp_path: Path
) -> None:
    """The walk that compares the output gives the stamp its digest; after a patch only what
    it wrote or removed, and their folders, are looked at again. The next build must find
    exactly that output: skipped when nothing changed, rebuilt when a file was touched."""
    types = ("wedding", "conference", "gala", "corporate")
    events: dict[str, str | bytes] = {
        f"content/events/event-{n:02d}.yaml": f"title: Event {n}\ntype: {types[n % 4]}\ndate: 2025-{n % 12 + 1:02d}-{n % 27 + 1:02d}\n"
        for n in range(40)
    }
    site = make_site({**events, "content/events/event-07.md": "The write-up.\n"})
    out = tmp_path / "out"
    build(site, out)
    folder = out.stat().st_ino  # a patch keeps the output folder; a swap would replace it
    held = {name: (site / name).read_bytes() for name in ("content/events/event-07.yaml", "content/events/event-07.md")}
    for name in held:
        (site / name).unlink()  # the event goes: its folder in the output is emptied and removed
    assert "files changed" in build(site, out) and not (out / "events/event-07").exists()
    assert SKIPPED in build(site, out)
    for name, data in held.items():
        (site / name).write_bytes(data)  # and comes back: its folder is made again
    assert "files changed" in build(site, out) and (out / "events/event-07/index.html").is_file()
    assert SKIPPED in build(site, out)
    page = out / "events/event-07/index.html"
    page.write_bytes(page.read_bytes() + b" ")  # a hand edit after the stamp: a real build puts the page back
    assert SKIPPED not in build(site, out)
    assert SKIPPED in build(site, out)
    assert out.stat().st_ino == folder
