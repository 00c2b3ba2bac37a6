"""Files: nothing outside the site is ever read or published, and nothing propgen did not
write is ever deleted, whatever a build meets: links, pipes, someone's folder as --out, a
.git in the output, a second build at the same time, a failed swap or a SIGKILL at any step."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import BASE_CONFIG, EPOCH, propgen_env, run_propgen
from propgen import cli

SECRET = "output-safety-link-secret-0123456789abcdef"  # 32+ characters: no weak-secret warning
EVENT = "title: Harbour Gala\ntype: gala\ndate: 2025-05-10\nsummary: A night on the water.\n"
PROPOSAL = (
    "title: Forum\nclient: {name: PT Example}\nprepared_on: 2026-11-20\n"
    "event: {type: conference, date: 2027-06-12}\naccept: {email: hello@events.example}\n"
)
LINK_OUT = (
    "error: this is a link to something outside the site folder; propgen never reads or publishes anything outside the site"
    " (hint: copy what you need into the site folder instead of linking to it)"
)
FIFO = (
    "error: this is a named pipe (FIFO), not a file: propgen reads and publishes only regular files (hint: remove it from the site folder)"
)


def env(**extra: str) -> dict[str, str]:
    return propgen_env(PROPGEN_SECRET=SECRET, **extra)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under a folder with its bytes; `.git` included, so losing it shows."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(folder: Path) -> list[str]:
    """propgen's working files beside an output, except those that stay on purpose: lock files and the build cache."""
    return sorted(
        p.name for p in folder.iterdir() if p.name.startswith(".propgen-") and not p.name.endswith(".lock") and p.name != ".propgen-cache"
    )


# -- 1. links, pipes and devices in the site folder ------------------------------------------------


def test_a_link_out_of_the_site_is_an_error_naming_the_link(make_site: Callable[..., Path], tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.txt").write_text("the coordinator's tax number\n")
    (outside / "folder/also-secret.txt").write_text("bank details\n")
    (outside / "event.yaml").write_text(EVENT)
    site = make_site({"content/events/gala.yaml": EVENT, "themes/mine/templates/.keep": ""})
    (site / "static").mkdir()
    os.symlink("/proc/self/environ", site / "static/env.txt")  # would publish PROPGEN_SECRET and every password
    os.symlink(outside / "secret.txt", site / "static/notes.txt")
    os.symlink(outside / "folder", site / "static/docs")  # a linked folder that leaves the site
    os.symlink(outside / "event.yaml", site / "content/events/elsewhere.yaml")
    os.symlink(outside / "folder", site / "content/pages")  # a content folder that leaves the site
    os.symlink(outside / "secret.txt", site / "themes/mine/templates/base.html")
    os.symlink(tmp_path / "nothing-here", site / "static/broken.jpg")
    result = run_propgen("build", cwd=site, env=env())
    assert result.stderr.splitlines() == [
        f"content/events/elsewhere.yaml:1:1: {LINK_OUT}",
        f"content/pages:1:1: {LINK_OUT}",
        "static/broken.jpg:1:1: error: this link leads nowhere: what it points to does not exist (hint: correct the link or remove it)",
        f"static/docs:1:1: {LINK_OUT}",
        f"static/env.txt:1:1: {LINK_OUT}",
        f"static/notes.txt:1:1: {LINK_OUT}",
        f"themes/mine/templates/base.html:1:1: {LINK_OUT}",
        "build failed: 7 problems; nothing was written",
    ]
    assert result.returncode == 1
    assert SECRET not in result.stderr + result.stdout
    assert not (site / "output").exists()


def test_links_that_stay_inside_the_site_are_followed(make_site: Callable[..., Path]) -> None:
    site = make_site({"content/events/gala.yaml": EVENT, "artwork/logo.svg": "<svg/>", "shared/fonts/a.woff2": "font"})
    (site / "static").mkdir()
    os.symlink("../artwork/logo.svg", site / "static/logo.svg")
    os.symlink("../shared", site / "static/shared")  # a linked folder inside the site
    os.symlink(".", site / "static/again")  # a loop: followed once would never end
    result = run_propgen("build", cwd=site, env=env())
    assert result.stderr.splitlines() == [
        "static/again:1:1: error: this link leads back to a folder that holds it, so it never ends (hint: remove the link)",
        "build failed: 1 problem; nothing was written",
    ]
    (site / "static/again").unlink()
    result = run_propgen("build", cwd=site, env=env())
    assert result.returncode == 0, result.stderr
    assert (site / "output/logo.svg").read_text() == "<svg/>"
    assert (site / "output/shared/fonts/a.woff2").read_text() == "font"


def test_pipes_sockets_and_devices_are_errors_and_never_hang_the_build(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(
        {
            "propgen.yaml": "title: T\nbase_url: https://events.example/\ntheme: mine\ncoordinator: {name: C, email: c@events.example}\n",
            "content/events/gala.yaml": EVENT,
            "themes/mine/static/.keep": "",
        }
    )
    (site / "static").mkdir()
    os.mkfifo(site / "static/feed.xml")  # reading it would wait forever for a writer
    os.mkfifo(site / "content/events/party.yaml")
    os.mkfifo(site / "themes/mine/theme.yaml")  # read before anything is rendered
    os.mkfifo(site / "themes/mine/static/site.css")
    os.symlink("/dev/zero", site / "static/zero.bin")  # endless: a MemoryError if read
    device = []
    try:  # a device inside the site (root with CAP_MKNOD only; the /dev/zero link above stands in otherwise)
        os.mknod(site / "static/null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        device = [
            "static/null:1:1: error: this is a device, not a file: propgen reads and publishes only regular files"
            " (hint: remove it from the site folder)"
        ]
    except PermissionError:
        pass
    server = socket.socket(socket.AF_UNIX)
    monkeypatch.chdir(site)  # a socket's path must be short: bind it relative to the site
    try:
        server.bind("static/s.sock")
        started = time.monotonic()
        result = run_propgen("build", cwd=site, env=env(), timeout=60)
        seconds = time.monotonic() - started
    finally:
        server.close()
    assert result.stderr.splitlines() == [
        f"content/events/party.yaml:1:1: {FIFO}",
        f"static/feed.xml:1:1: {FIFO}",
        *device,
        "static/s.sock:1:1: error: this is a socket, not a file: propgen reads and publishes only regular files"
        " (hint: remove it from the site folder)",
        f"static/zero.bin:1:1: {LINK_OUT}",
        f"themes/mine/static/site.css:1:1: {FIFO}",
        f"themes/mine/theme.yaml:1:1: {FIFO}",
        f"build failed: {6 + len(device)} problems; nothing was written",
    ]
    assert result.returncode == 1
    assert seconds < 30


# -- 2. --out replaces only a folder propgen made --------------------------------------------------


def refused(folder: str) -> str:
    return (
        f"propgen: error: refusing to replace '{folder}': propgen replaces its output folder completely, and this one was not made by"
        " propgen (it is not empty and has no .propgen-output file) (hint: build into a new or empty folder with --out DIR;"
        f" if '{folder}' is the output of an older propgen, delete it once by hand (or add an empty .propgen-output file to it)"
        " and build again)\n"
    )


@pytest.mark.parametrize(
    "files",
    [
        {"index.html": "<h1>my own page</h1>", "README.md": "notes"},  # looked like a built site to propgen before
        {"main.py": "print('hi')", "sitemap.xml": "<urlset/>"},  # src/
        {"Documents/taxes.pdf": "%PDF", ".bashrc": "alias ll='ls -l'"},  # a home folder
    ],
    ids=["looks-built", "src", "home"],
)
def test_out_refuses_a_folder_propgen_did_not_make(make_site: Callable[..., Path], files: dict[str, str]) -> None:
    site = make_site({"content/events/gala.yaml": EVENT})
    for name, text in files.items():
        (site / "mine" / name).parent.mkdir(parents=True, exist_ok=True)
        (site / "mine" / name).write_text(text)
    before = tree(site / "mine")
    result = run_propgen("build", "--out", "mine", cwd=site, env=env())
    assert (result.returncode, result.stdout, result.stderr) == (2, "", refused("mine"))
    assert tree(site / "mine") == before
    assert leftovers(site) == []


def test_an_output_without_the_marker_is_refused_until_a_person_says_so(make_site: Callable[..., Path]) -> None:
    site = make_site({"content/events/gala.yaml": EVENT})
    assert run_propgen("build", cwd=site, env=env()).returncode == 0
    marker = site / "output/.propgen-output"
    assert marker.read_text() == (
        "This folder was made by propgen build, which replaces it completely on every build: keep no files of your own here.\n"
    )
    marker.unlink()  # as an output built by an older propgen
    result = run_propgen("build", cwd=site, env=env())
    assert (result.returncode, result.stderr) == (2, refused("output"))
    marker.touch()
    assert run_propgen("build", cwd=site, env=env()).returncode == 0


def test_out_accepts_a_new_an_empty_or_a_git_only_folder(make_site: Callable[..., Path]) -> None:
    site = make_site({"content/events/gala.yaml": EVENT})
    (site / "empty").mkdir()
    (site / "branch/.git").mkdir(parents=True)  # a fresh checkout of an empty gh-pages branch
    (site / "branch/.git/HEAD").write_text("ref: refs/heads/gh-pages\n")
    for out in ("new/deeper", "empty", "branch"):
        result = run_propgen("build", "--out", out, cwd=site, env=env())
        assert result.returncode == 0, result.stderr
        assert (site / out / "events/gala/index.html").is_file()
    assert (site / "branch/.git/HEAD").read_text() == "ref: refs/heads/gh-pages\n"


# -- 3. .git survives any failure; 5. no leftovers after a kill ------------------------------------


def add_git(output: Path) -> None:
    (output / ".git/objects").mkdir(parents=True)
    (output / ".git/HEAD").write_text("ref: refs/heads/gh-pages\n")
    (output / ".git/objects/ab12").write_bytes(b"a deploy history that exists nowhere else")


def site_with_git_output(make_site: Callable[..., Path]) -> Path:
    """A built site whose output/ is a deploy checkout (a .git inside), then changed all over (another
    theme), so the next build publishes a new site by swapping the whole folder (a small change is a
    patch: see site_with_a_small_change)."""
    site = make_site({"content/events/gala.yaml": EVENT, "content/proposals/forum.yaml": PROPOSAL, "static/a.txt": "a"})
    assert run_propgen("build", cwd=site, env=env()).returncode == 0
    add_git(site / "output")
    (site / "propgen.yaml").write_text((site / "propgen.yaml").read_text() + "theme: editorial\n")
    return site


def expected_site(site: Path) -> dict[str, bytes]:
    """What a clean build of the site's current content writes, .git not included."""
    assert run_propgen("build", "--out", "reference", cwd=site, env=env()).returncode == 0
    result = tree(site / "reference")
    shutil.rmtree(site / "reference")
    return result


def git_of(output: Path) -> dict[str, bytes]:
    return {name: data for name, data in tree(output).items() if name.startswith(".git/")}


GIT = {".git/HEAD": b"ref: refs/heads/gh-pages\n", ".git/objects/ab12": b"a deploy history that exists nowhere else"}


def assert_recovered(site: Path, expected: dict[str, bytes]) -> None:
    """The next build finishes what was cut short: exit 0, the whole new site, .git intact, nothing left over."""
    result = run_propgen("build", cwd=site, env=env())
    assert result.returncode == 0, result.stderr
    assert {name: data for name, data in tree(site / "output").items() if not name.startswith(".git/")} == expected
    assert git_of(site / "output") == GIT
    assert leftovers(site) == []


@contextmanager
def paused_build(site: Path, step: str) -> Iterator[subprocess.Popen[str]]:
    """A real `propgen build`, stopped at a named step of writing by write.py's test-only hook
    (PROPGEN_TEST_PAUSE_AT); SIGUSR1 lets it go on, SIGKILL ends it there."""
    with subprocess.Popen(
        [sys.executable, "-m", "propgen", "build"],
        cwd=site,
        env=env(PROPGEN_TEST_PAUSE_AT=step),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        try:
            assert process.stderr is not None
            line = process.stderr.readline()
            assert line == f"propgen: test pause at {step}\n", line + process.stderr.read()
            yield process
        finally:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=60)


STEPS = ["locked", "writing", "staged", "old-moved", "new-moved", "git-moved"]


@pytest.mark.parametrize("step", STEPS)
def test_a_build_killed_at_any_step_loses_nothing_and_the_next_build_recovers(make_site: Callable[..., Path], step: str) -> None:
    site = site_with_git_output(make_site)
    expected = expected_site(site)
    with paused_build(site, step) as build:
        build.send_signal(signal.SIGKILL)
    assert build.returncode == -signal.SIGKILL
    somewhere = [git_of(folder) for folder in (site / "output", site / ".propgen-output.old") if (folder / ".git").exists()]
    assert somewhere == [GIT]  # in the output, or in the old copy until the next build moves it back
    assert_recovered(site, expected)


def site_with_a_small_change(make_site: Callable[..., Path]) -> Path:
    """A built site of 20 events whose output/ holds a .git, then one write-up edited: a change to
    a few of its files, which the next build publishes as a patch."""
    files: dict[str, str] = {"content/proposals/forum.yaml": PROPOSAL, "static/a.txt": "a"}
    for n in range(1, 21):
        files[f"content/events/gala-{n:02d}.yaml"] = EVENT.replace("Harbour Gala", f"Harbour Gala {n}").replace("05-10", f"05-{n:02d}")
        files[f"content/events/gala-{n:02d}.md"] = f"The {n}th gala on the harbour.\n"
    site = make_site(files)
    assert run_propgen("build", cwd=site, env=env()).returncode == 0
    add_git(site / "output")
    with (site / "content/events/gala-07.md").open("a") as writeup:
        writeup.write("\nThe fireworks started at nine.\n")
    return site


def stats(folder: Path) -> dict[str, tuple[int, int]]:
    """Inode and modification time of every file: what deploy tools that compare timestamps see."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


PATCH_STEPS = ["patch-staged", "patch-committed", "patch-applying"]


@pytest.mark.parametrize("step", PATCH_STEPS)
def test_a_patch_killed_at_any_step_loses_nothing_and_the_next_build_finishes_it(make_site: Callable[..., Path], step: str) -> None:
    site = site_with_a_small_change(make_site)
    expected = expected_site(site)
    before = tree(site / "output")
    with paused_build(site, step) as build:
        if step == "patch-staged":
            assert (site / ".propgen-output.new/removed.json").is_file()  # a patch, not a whole new site
        else:
            assert (site / ".propgen-output.patch/removed.json").is_file()
            assert not (site / ".propgen-output.new").exists()
        build.send_signal(signal.SIGKILL)
    assert build.returncode == -signal.SIGKILL
    if step == "patch-staged":  # before the commit point: nothing happened
        assert tree(site / "output") == before
    assert not (site / ".propgen-output.old").exists()  # a patch never moves the output or its .git
    assert git_of(site / "output") == GIT
    assert_recovered(site, expected)


@pytest.mark.parametrize("cache", ["cache", "no-cache"])
@pytest.mark.parametrize("step", ["patch-committed", "patch-applying"])
def test_a_build_after_a_killed_patch_keeps_no_page_the_patch_changed(make_site: Callable[..., Path], step: str, cache: str) -> None:
    """The next build finishes the killed build's patch before it decides which pages to keep:
    a page it keeps is then one it has seen, even when the edit behind the patch was undone.
    Without a cache, it renders every page; one its worker found in the output as it made it
    waits as a link to that file (spool.py), which still holds those bytes once the patch has
    replaced the file, so the page the patch changed is put back."""
    site = site_with_a_small_change(make_site)
    writeup = site / "content/events/gala-07.md"
    edited = writeup.read_text()
    writeup.write_text("The 7th gala on the harbour.\n")
    clean = ["--cache-dir", str(site.parent / "reference-cache")]  # the site's own cache stays as the last build left it
    assert run_propgen("build", "--out", str(site.parent / "reference"), *clean, cwd=site, env=env()).returncode == 0
    reference = tree(site.parent / "reference")
    writeup.write_text(edited)
    with paused_build(site, step) as build:
        build.send_signal(signal.SIGKILL)
    writeup.write_text("The 7th gala on the harbour.\n")  # the edit undone: the last finished build's text again
    if cache == "no-cache":
        assert run_propgen("build", "--no-cache", cwd=site, env=env()).returncode == 0
        assert {name: data for name, data in tree(site / "output").items() if not name.startswith(".git/")} == reference
    assert_recovered(site, reference)


def test_a_killed_patch_is_finished_even_when_the_inputs_are_back_as_the_last_build_read_them(make_site: Callable[..., Path]) -> None:
    """The edit behind a killed build's patch undone with its file's time too (a backup
    restored, `rsync -t`): the inputs and the output are then as the last finished build left
    them, but the patch still waits beside the output. The next build finishes it (and builds,
    since the output moves) instead of saying that nothing changed."""
    site = site_with_a_small_change(make_site)
    writeup = site / "content/events/gala-07.md"
    edited = writeup.read_text()
    writeup.write_text("The 7th gala on the harbour.\n")
    assert run_propgen("build", cwd=site, env=env()).returncode == 0  # the last finished build
    expected = {name: data for name, data in tree(site / "output").items() if not name.startswith(".git/")}
    original = writeup.stat()
    writeup.write_text(edited)
    with paused_build(site, "patch-committed") as build:
        build.send_signal(signal.SIGKILL)
    writeup.write_text("The 7th gala on the harbour.\n")
    os.utime(writeup, ns=(original.st_atime_ns, original.st_mtime_ns))
    assert (writeup.stat().st_ino, writeup.stat().st_size) == (original.st_ino, original.st_size)
    assert (site / ".propgen-output.patch").is_dir()
    result = run_propgen("build", cwd=site, env=env())
    assert result.returncode == 0, result.stderr
    assert "nothing changed" not in result.stdout, result.stdout
    assert {name: data for name, data in tree(site / "output").items() if not name.startswith(".git/")} == expected
    assert leftovers(site) == []
    assert "nothing changed" in run_propgen("build", cwd=site, env=env()).stdout  # and the build after it is skipped again


def test_a_patch_touches_only_what_changed_and_removes_what_is_gone(make_site: Callable[..., Path]) -> None:
    site = site_with_a_small_change(make_site)
    expected = expected_site(site)
    (site / "content/events/gala-13.yaml").unlink()
    (site / "content/events/gala-13.md").unlink()
    expected_after = expected_site(site)
    assert "events/gala-13/index.html" in expected and "events/gala-13/index.html" not in expected_after
    old = tree(site / "output")
    before = stats(site / "output")
    with paused_build(site, "patch-committed") as build:  # the build really takes the patch path
        build.send_signal(signal.SIGUSR1)
        out, err = build.communicate(timeout=60)
    assert (build.returncode, err) == (0, ""), err
    changed = {name for name, data in expected_after.items() if old.get(name) != data}
    assert out.endswith(f" ({len(changed)} files changed)\n"), out
    after = stats(site / "output")
    assert {name for name in after if name in before and after[name] == before[name]} == (set(expected_after) - changed) | set(GIT)
    assert {name: data for name, data in tree(site / "output").items() if not name.startswith(".git/")} == expected_after
    assert git_of(site / "output") == GIT
    assert not (site / "output/events/gala-13").exists()  # the page's folder, not just its file
    assert sorted(p.name for p in (site / "output/events").iterdir() if p.is_dir() and not any(p.iterdir())) == []
    assert leftovers(site) == []


def test_an_output_changed_by_hand_is_put_right_by_a_patch_unless_a_folder_stands_where_a_file_goes(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    site = site_with_a_small_change(make_site)
    expected = expected_site(site)
    outside = tmp_path / "outside.html"
    outside.write_text("someone else's page")
    page = site / "output/events/gala-02/index.html"
    page.unlink()
    os.symlink(outside, page)  # a link where a page goes counts as changed: replaced, never written through
    (site / "output/notes/drafts").mkdir(parents=True)
    (site / "output/notes/drafts/todo.txt").write_text("not made by propgen")
    with paused_build(site, "patch-committed") as build:
        build.send_signal(signal.SIGUSR1)
        build.wait(timeout=60)
    assert build.returncode == 0
    assert {name: data for name, data in tree(site / "output").items() if not name.startswith(".git/")} == expected
    assert not page.is_symlink() and outside.read_text() == "someone else's page"
    assert not (site / "output/notes").exists()
    assert git_of(site / "output") == GIT
    shutil.rmtree(site / "output/events/gala-03")
    (site / "output/events/gala-03/index.html/stray").mkdir(parents=True)  # a folder where a page goes: only a swap can
    with paused_build(site, "staged") as build:
        build.send_signal(signal.SIGUSR1)
        build.wait(timeout=60)
    assert build.returncode == 0
    assert {name: data for name, data in tree(site / "output").items() if not name.startswith(".git/")} == expected
    assert git_of(site / "output") == GIT
    assert leftovers(site) == []


def test_a_second_build_during_a_patch_exits_1_and_changes_nothing(make_site: Callable[..., Path]) -> None:
    site = site_with_a_small_change(make_site)
    expected = expected_site(site)
    with paused_build(site, "patch-applying") as first:
        during = tree(site / "output")
        second = run_propgen("build", cwd=site, env=env())
        assert (second.returncode, second.stdout, second.stderr) == (
            1,
            "",
            "propgen: error: another propgen build is writing output/ right now (hint: wait for it to finish, or stop it)\n",
        )
        assert tree(site / "output") == during
        assert (site / ".propgen-output.patch").is_dir()  # the second build did not take it over
        first.send_signal(signal.SIGUSR1)
        first.wait(timeout=60)
    assert first.returncode == 0
    assert {name: data for name, data in tree(site / "output").items() if not name.startswith(".git/")} == expected
    assert git_of(site / "output") == GIT
    assert leftovers(site) == []


def test_a_second_build_into_the_same_output_exits_1_and_changes_nothing(make_site: Callable[..., Path]) -> None:
    site = site_with_git_output(make_site)
    expected = expected_site(site)
    before = tree(site / "output")
    with paused_build(site, "staged") as first:
        second = run_propgen("build", cwd=site, env=env())
        assert (second.returncode, second.stdout, second.stderr) == (
            1,
            "",
            "propgen: error: another propgen build is writing output/ right now (hint: wait for it to finish, or stop it)\n",
        )
        assert tree(site / "output") == before
        first.send_signal(signal.SIGUSR1)
        first.wait(timeout=60)
    assert first.returncode == 0
    assert {name: data for name, data in tree(site / "output").items() if not name.startswith(".git/")} == expected
    assert git_of(site / "output") == GIT
    assert leftovers(site) == []


@pytest.mark.parametrize("build", ["first", "small"])
def test_rendered_pages_wait_beside_the_output_and_a_dead_builds_are_removed(make_site: Callable[..., Path], build: str) -> None:
    """spool.py: each build's pages wait in .propgen-output.pages-<pid>, removed when it ends;
    one left by a build that no longer runs is removed by the next, a running build's never.
    A first build keeps its pages at their paths under site/, which its swap publishes as the
    new site; any other keeps them flat (no folder made per page)."""
    if build == "first":
        site = make_site({"content/events/gala.yaml": EVENT, "content/proposals/forum.yaml": PROPOSAL, "static/a.txt": "a"})
    else:
        site = site_with_a_small_change(make_site)
    dead = site / f".propgen-output.pages-{2**22 + 1}"  # above Linux's largest process id: no such build runs
    running = site / f".propgen-output.pages-{os.getpid()}"  # this test's own process: alive
    for spool in (dead, running):
        (spool / "events/gala").mkdir(parents=True)
        (spool / "events/gala/index.html").write_text("a page of another build")
    page = "events/gala/index.html" if build == "first" else "events/gala-07/index.html"
    with paused_build(site, "locked") as process:
        spools = sorted(p.name for p in site.glob(".propgen-output.pages-*"))
        assert spools == sorted([running.name, f".propgen-output.pages-{process.pid}"])
        mine = site / f".propgen-output.pages-{process.pid}"
        if build == "first":
            assert [p.name for p in mine.iterdir()] == ["site"]
            waiting = {(mine / "site" / page).read_bytes()}  # in place: the swap's new site
        else:
            spooled = list(mine.iterdir())
            assert spooled and all(p.is_file() for p in spooled)  # flat: no folder made per page
            waiting = {p.read_bytes() for p in spooled}
        process.send_signal(signal.SIGUSR1)
        process.wait(timeout=60)
    assert process.returncode == 0
    assert (site / "output" / page).read_bytes() in waiting
    assert sorted(p.name for p in site.glob(".propgen-output.pages-*")) == [running.name]
    shutil.rmtree(running)
    assert leftovers(site) == []
    # A build killed while rendering, and nothing changed since: the next build has nothing to
    # do, and still removes the pages the killed one left beside the output.
    (dead / "events/gala").mkdir(parents=True)
    (dead / "events/gala/index.html").write_text("a page of a killed build")
    result = run_propgen("build", cwd=site, env=env())
    assert result.returncode == 0 and "nothing changed" in result.stdout, result.stdout + result.stderr
    assert leftovers(site) == []


@pytest.mark.parametrize(("step", "folder"), [("patch-staged", ".propgen-output.new"), ("patch-committed", ".propgen-output.patch")])
def test_working_folders_of_a_build_are_never_picked_up_by_git_add(tmp_path: Path, step: str, folder: str) -> None:
    assert run_propgen("init", "mysite", cwd=tmp_path).returncode == 0
    site = tmp_path / "mysite"
    (site / "content/proposals").mkdir()
    (site / "content/proposals/forum.yaml").write_text(PROPOSAL)
    assert run_propgen("build", cwd=site, env=env()).returncode == 0
    subprocess.run(["git", "init", "-q"], cwd=site, check=True)
    (site / ".propgen-cache").mkdir(exist_ok=True)  # the build cache, which holds rendered proposals too
    (site / ".propgen-cache/cache.json").write_text("{}")
    # changed, so the next build publishes the new page (an unchanged site is left as it is)
    (site / "content/proposals/forum.yaml").write_text(PROPOSAL.replace("title: Forum", "title: Forum 2027"))
    with paused_build(site, step) as build:
        assert list((site / folder / "files/p").iterdir())  # the changed proposal page, at its secret link
        added = subprocess.run(["git", "add", "-A", "--dry-run"], cwd=site, check=True, capture_output=True, text=True).stdout
        build.send_signal(signal.SIGKILL)
    sources = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and ".git" not in p.parts)
    assert sorted(line.removeprefix("add '").removesuffix("'") for line in added.splitlines()) == [
        name for name in sources if not name.startswith(("output/", ".propgen-"))
    ]
    assert ".gitignore" in added
    assert run_propgen("build", cwd=site, env=env()).returncode == 0
    assert leftovers(site) == []


# -- 3 and 6. a failed swap, a mount point, a read-only drive: one message, and the next build recovers --


def build_in_process(site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """propgen's own main(), so a system call can be made to fail the way a disk or a mount point does
    (as root, chmod does not stop a write, so a read-only folder cannot be had for real in these tests)."""
    monkeypatch.chdir(site)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("PROPGEN_SECRET", SECRET)
    monkeypatch.delenv("PROPGEN_TEST_PAUSE_AT", raising=False)
    code = cli.main(["build"])
    return code, capsys.readouterr().err


def fail(monkeypatch: pytest.MonkeyPatch, name: str, code: int, when: Callable[[str, str], bool]) -> None:
    """Make os.<name> fail with errno `code` for the paths `when` picks (by their last part)."""
    real = getattr(os, name)

    def failing(src: str, *args: object, **kwargs: object) -> object:
        dst = os.fspath(args[0]) if args and isinstance(args[0], (str, Path)) else ""
        if when(Path(src).name, Path(dst).name if dst else ""):
            raise OSError(code, os.strerror(code), os.fspath(src))
        return real(src, *args, **kwargs)

    monkeypatch.setattr(os, name, failing)


MOUNT_HINT = (
    "(hint: output/ looks like a mount point, which cannot be replaced: build into a folder inside it (e.g. --out output/site)"
    " or elsewhere and copy the files)"
)
FAILURES = {
    "mount-point": (
        lambda m: fail(m, "rename", errno.EBUSY, lambda src, dst: (src, dst) == ("output", ".propgen-output.old")),
        "could not replace output/: Device or resource busy; the new site was not published and output/ was left as it was " + MOUNT_HINT,
        False,
    ),
    "swap-in": (
        lambda m: fail(m, "rename", errno.EXDEV, lambda src, dst: (src, dst) == (".propgen-output.new", "output")),
        "could not move the new site into output/: Invalid cross-device link; the new site was not published and output/ was left as it was "
        + MOUNT_HINT,
        False,
    ),
    "swap-in-and-back": (
        lambda m: fail(m, "rename", errno.EIO, lambda src, dst: dst == "output"),
        "could not move the new site into output/: Input/output error; the new site was not published and output/ is missing:"
        " the previous site is in .propgen-output.old/, and the next build puts it back"
        " (hint: fix the cause and build again; the next build cleans up by itself)",
        None,
    ),
    "git-back": (
        lambda m: fail(m, "rename", errno.EACCES, lambda src, dst: src == ".git"),
        "could not move .git back into output/: Permission denied; the new site is in output/, but its .git folder is still in"
        " .propgen-output.old/; the next build moves it back"
        " (hint: check that you may write to output/ and the folder around it; the next build cleans up by itself)",
        True,
    ),
    "old-copy-stays": (
        lambda m: fail(m, "unlink", errno.EACCES, lambda src, dst: src == "a.txt"),
        "could not remove the previous site in .propgen-output.old/: Permission denied; the new site is in output/;"
        " the next build removes the previous one"
        " (hint: check that you may write to .propgen-output.old/ and the folder around it; the next build cleans up by itself)",
        True,
    ),
    "read-only-drive": (  # nothing can be made there: neither the spool of pages nor the new site
        lambda m: fail(m, "mkdir", errno.EROFS, lambda src, dst: src == ".propgen-output.new" or src.startswith(".propgen-output.pages-")),
        "could not create a folder for the new site in ./: Read-only file system; the new site was not published and output/"
        " was left as it was (hint: ./ is on a read-only drive: make it writable, or build into another folder with --out DIR)",
        False,
    ),
    "no-permission": (
        lambda m: fail(m, "open", errno.EACCES, lambda src, dst: src == ".propgen-output.lock"),
        "could not create propgen's lock file in ./: Permission denied; the new site was not published and output/ was left as it was"
        " (hint: check that you may write to ./ and the folder around it; the next build cleans up by itself)",
        False,
    ),
}


@pytest.mark.parametrize("case", list(FAILURES))
def test_a_failed_write_says_where_and_whether_the_site_was_published_and_the_next_build_recovers(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    site = site_with_git_output(make_site)
    expected = expected_site(site)
    before = tree(site / "output")
    make_it_fail, message, published = FAILURES[case]
    make_it_fail(monkeypatch)
    code, err = build_in_process(site, monkeypatch, capsys)
    monkeypatch.undo()
    assert (code, err) == (1, f"propgen: error: {message}\n")
    if published is False:
        assert tree(site / "output") == before
        assert leftovers(site) == []
    elif published:
        new_site = {name: data for name, data in tree(site / "output").items() if not name.startswith(".git/")}
        assert new_site == expected
    assert_recovered(site, expected)


def test_a_first_build_whose_new_site_cannot_be_put_in_place_publishes_nothing(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A first build's pages wait at their paths in its spool, which is renamed to be the new
    site (spool.py): when that fails, nothing is published, nothing is left, and the next build
    publishes the site."""
    site = make_site({"content/events/gala.yaml": EVENT, "content/proposals/forum.yaml": PROPOSAL, "static/a.txt": "a"})
    fail(monkeypatch, "rename", errno.EIO, lambda src, dst: (src, dst) == ("site", ".propgen-output.new"))
    code, err = build_in_process(site, monkeypatch, capsys)
    monkeypatch.undo()
    message = (
        "could not create a folder for the new site in ./: Input/output error; the new site was not published and output/ was left"
        " as it was (hint: fix the cause and build again; the next build cleans up by itself)"
    )
    assert (code, err) == (1, f"propgen: error: {message}\n")
    assert not (site / "output").exists()
    assert leftovers(site) == []
    assert run_propgen("build", cwd=site, env=env()).returncode == 0
    assert tree(site / "output") == expected_site(site)


def chmod_stops_writing(folder: Path) -> bool:
    """False for root (or a process with CAP_DAC_OVERRIDE), which writes into read-only folders anyway."""
    probe = folder / "read-only-probe"
    probe.mkdir()
    probe.chmod(0o555)
    try:
        (probe / "file").touch()
    except PermissionError:
        return True
    finally:
        probe.chmod(0o755)
        shutil.rmtree(probe)
    return False


def test_a_read_only_output_is_replaced_and_a_read_only_site_folder_is_one_message(make_site: Callable[..., Path], tmp_path: Path) -> None:
    if not chmod_stops_writing(tmp_path):
        pytest.skip("running as root, where chmod does not stop writing; the in-process cases above stand in for it")
    site = site_with_git_output(make_site)
    expected = expected_site(site)
    for folder in [site / "output", *(p for p in (site / "output").rglob("*") if p.is_dir() and ".git" not in p.parts)]:
        folder.chmod(0o555)
    assert_recovered(site, expected)
    site.chmod(0o555)
    try:
        result = run_propgen("build", cwd=site, env=env())
    finally:
        site.chmod(0o755)
    assert (result.returncode, result.stderr) == (
        1,
        "propgen: error: could not create a folder for the new site in ./: Permission denied; the new site was not published and"
        " output/ was left as it was (hint: check that you may write to ./ and the folder around it; the next build cleans up by itself)\n",
    )
    assert_recovered(site, expected)


PATCH_FAILURES = {
    "commit": (
        lambda m: fail(m, "rename", errno.EIO, lambda src, dst: (src, dst) == (".propgen-output.new", ".propgen-output.patch")),
        "could not write the new site into .propgen-output.new/: Input/output error; the new site was not published and output/ was"
        " left as it was (hint: fix the cause and build again; the next build cleans up by itself)",
        False,
    ),
    "full-disk": (
        lambda m: fail(m, "mkdir", errno.ENOSPC, lambda src, dst: src == "files"),
        "could not write the new site into .propgen-output.new/: No space left on device; the new site was not published and output/"
        " was left as it was (hint: free some disk space and build again; the next build cleans up by itself)",
        False,
    ),
    "apply": (
        lambda m: fail(m, "replace", errno.EACCES, lambda src, dst: dst == "index.html"),
        "could not update output/: Permission denied; the new site is partly in output/; the next build finishes publishing it"
        " (hint: check that you may write to output/ and the folder around it; the next build cleans up by itself)",
        True,
    ),
}


@pytest.mark.parametrize("case", list(PATCH_FAILURES))
def test_a_failed_patch_says_whether_the_site_was_published_and_the_next_build_finishes_it(
    make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    site = site_with_a_small_change(make_site)
    expected = expected_site(site)
    before = tree(site / "output")
    make_it_fail, message, committed = PATCH_FAILURES[case]
    make_it_fail(monkeypatch)
    code, err = build_in_process(site, monkeypatch, capsys)
    monkeypatch.undo()
    assert (code, err) == (1, f"propgen: error: {message}\n")
    if committed:
        assert leftovers(site) == [".propgen-output.patch"]
        assert git_of(site / "output") == GIT
    else:
        assert tree(site / "output") == before
        assert leftovers(site) == []
    assert_recovered(site, expected)


def test_a_static_file_whose_name_is_not_utf8_is_one_error_not_a_traceback(make_site: Callable[..., Path]) -> None:
    """A photo unpacked from an old zip file can have a name that is not UTF-8 (b"men\\xfa.jpg"):
    no web address can name it, and the build crashed on it in a digest with a traceback."""
    site = make_site({"content/events/gala.yaml": EVENT, "static/menu.txt": "Soup\n"})
    (site / os.fsdecode(b"static/men\xfa.txt")).write_text("Fish\n")
    (site / os.fsdecode(b"static/\xe9t\xe9")).mkdir()
    (site / os.fsdecode(b"static/\xe9t\xe9/plan.txt")).write_text("Plan\n")
    result = run_propgen("build", cwd=site, env=env())
    hint = "(hint: rename it with letters, digits and hyphens: an old zip program may have written it)"
    assert result.stderr.splitlines() == [
        f"static/\\xe9t\\xe9:1:1: error: this name is not UTF-8 text, so no web address can name it {hint}",
        f"static/men\\xfa.txt:1:1: error: this name is not UTF-8 text, so no web address can name it {hint}",
        "build failed: 2 problems; nothing was written",
    ]
    assert result.returncode == 1
    assert not (site / "output").exists()


def test_a_propgen_yaml_linked_from_outside_the_site_is_refused_like_any_link(make_site: Callable[..., Path], tmp_path: Path) -> None:
    """propgen never reads a file outside the site folder, even through a link; propgen.yaml
    was the one file read wherever its link led (/proc/self/environ, another site's settings)."""
    site = make_site({"content/events/gala.yaml": EVENT, "settings/propgen.yaml": BASE_CONFIG})
    (tmp_path / "shared.yaml").write_text(BASE_CONFIG)
    (site / "propgen.yaml").unlink()
    (site / "propgen.yaml").symlink_to(tmp_path / "shared.yaml")
    result = run_propgen("build", cwd=site, env=env())
    assert result.stderr.splitlines() == [f"propgen.yaml:1:1: {LINK_OUT}", "build failed: 1 problem; nothing was written"]
    assert result.returncode == 1
    assert not (site / "output").exists()
    (site / "propgen.yaml").unlink()
    (site / "propgen.yaml").symlink_to("settings/propgen.yaml")  # inside the site: followed
    inside = run_propgen("build", cwd=site, env=env())
    assert inside.returncode == 0, inside.stderr
