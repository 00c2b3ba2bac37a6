"""The CLI as a subprocess: exit codes, one line per problem, output left alone on failure."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import LAUNCHERS, free_port, propgen_env, run_propgen

GOOD_EVENT = """\
title: Harbour Gala
type: gala
date: 2025-05-10
summary: A night on the water.
guests: 200
"""


def test_a_command_forked_by_the_tests_launcher_does_what_a_fresh_python_does(make_site: Callable[..., Path], tmp_path: Path) -> None:
    """The suite's commands are forked from a process that imported propgen once
    (tests/launcher.py): each must exit, print and fail as `python -m propgen` does."""
    site = make_site({"content/events/gala.yaml": GOOD_EVENT, "content/events/broken.yaml": "title: [Harbour\n"})
    for args, code in ((("build",), 1), (("build", "--jobs", "none"), 2), (("--version",), 0)):
        launched, fresh = run_propgen(*args, cwd=site), run_propgen(*args, cwd=site, fresh=True)
        assert (launched.returncode, launched.stdout, launched.stderr) == (code, fresh.stdout, fresh.stderr), args
        assert fresh.returncode == code and (fresh.stdout or fresh.stderr), args
    with pytest.raises(subprocess.TimeoutExpired):  # the preview runs until stopped: stopped at the timeout
        # (killed, as subprocess.run kills: its preview folder stays, in the test's own folder)
        run_propgen("serve", "--port", str(free_port()), cwd=site, timeout=2, env=propgen_env(TMPDIR=str(tmp_path)))
    assert run_propgen("--version", cwd=site).returncode == 0, "the launcher goes on after a command it stopped"
    assert len({launcher.process.pid for launcher in LAUNCHERS.idle}) >= 2, "two launchers (two hash seeds) take turns"


def test_init_then_build_from_any_folder(tmp_path: Path) -> None:
    result = run_propgen("init", "newsite", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    result = run_propgen("build", "--site", "newsite", "--strict", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("built 10 pages, 0 proposals, 0 warnings in ")  # with /thanks/ and /search/
    assert result.stderr == ""
    home = (tmp_path / "newsite/output/index.html").read_text()
    assert "Spring Garden Wedding" in home


def test_init_in_indonesian_writes_the_starter_site_in_indonesian(tmp_path: Path) -> None:
    result = run_propgen("init", "situs", "--locale", "id", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "situs"
    settings = (site / "propgen.yaml").read_text()
    assert "\nlocale: id " in settings and "\ncurrency: IDR\n" in settings and "# Pengaturan situs." in settings
    assert "Dibuat oleh propgen init" in (site / ".gitignore").read_text()
    built = run_propgen("build", "--site", "situs", "--strict", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith("built 10 pages, 0 proposals, 0 warnings in ") and built.stderr == ""
    home = (site / "output/index.html").read_text()
    assert '<html lang="id"' in home and "Selamat datang!" in home and "Pernikahan di Taman" in home and "Spring Garden" not in home
    event = (site / "output/events/first-event/index.html").read_text()
    assert "Hujan turun satu jam sebelum upacara" in event and "12 April 2025" in event
    assert "Kirim email ke" in (site / "output/contact/index.html").read_text()
    proposal = run_propgen("new", "proposal", "PT Baru", cwd=site)  # the site's language carries on
    assert proposal.returncode == 0, proposal.stderr
    assert "Proposal acara PT Baru" in (site / "content/proposals/pt-baru.yaml").read_text()


def test_init_with_another_locale_writes_it_and_an_unknown_one_is_a_usage_mistake(tmp_path: Path) -> None:
    result = run_propgen("init", "seite", "--locale", "de-de", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "\nlocale: de_DE                           # dates" in (tmp_path / "seite/propgen.yaml").read_text()
    # Said at once, not first by the build's warning (which fails the first `build --strict`).
    assert result.stdout.splitlines()[1] == (
        "note: the default theme has no words in German: headings, buttons and labels will show in English"
        " (dates, numbers and money follow de_DE); to add German, see docs/themes.md, Adding a language to a theme"
    )
    for spoken in ("id", "en_GB"):  # the theme's own languages: no note
        assert "note:" not in run_propgen("init", f"site-{spoken}", "--locale", spoken, cwd=tmp_path).stdout
    wrong = run_propgen("init", "other", "--locale", "bahasa", cwd=tmp_path)
    assert wrong.returncode == 2
    assert wrong.stderr == "propgen: error: --locale 'bahasa' is not a language code propgen knows (hint: write  id  for Indonesian)\n"
    assert not (tmp_path / "other").exists()
    for nobodys in ("root", "C"):  # CLDR's base data, and the POSIX locale Babel reads as en_US_POSIX: no one's language
        refused = run_propgen("init", nobodys, "--locale", nobodys, cwd=tmp_path)
        assert refused.returncode == 2 and f"--locale '{nobodys}' is not a language code propgen knows" in refused.stderr
        assert not (tmp_path / nobodys).exists()


@pytest.mark.parametrize("name", ["Acara Bali", "-acara", "Sari's events"])
def test_the_commands_init_suggests_run_as_printed_in_a_shell(tmp_path: Path, name: str) -> None:
    """`propgen init` ends with the commands to type next; with the folder's name as typed,
    a name with a space or a quote split into two words, and one starting with '-' was read
    as an option, so the first command a new user copied failed."""
    result = run_propgen("init", "--", name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    suggested = result.stdout.splitlines()[-1]
    found = re.fullmatch(r"next: (propgen build --site .+)   \(or: (cd .+) && propgen serve\)", suggested)
    assert found, suggested
    shell = f'propgen() {{ "{sys.executable}" -m propgen "$@"; }}; '
    build = subprocess.run(["bash", "-c", shell + found[1]], cwd=tmp_path, env=propgen_env(), capture_output=True, text=True, check=False)
    assert build.returncode == 0, (suggested, build.stderr)
    assert (tmp_path / name / "output/index.html").is_file()
    cd = subprocess.run(["bash", "-c", found[2] + " && pwd"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert cd.returncode == 0 and cd.stdout.strip() == str(tmp_path / name), (suggested, cd.stderr)


def test_a_site_in_a_folder_whose_name_is_not_utf8_builds_and_is_named_with_escapes(make_site: Callable[..., Path]) -> None:
    """A folder unpacked from an old zip file can have a name that is not UTF-8 (b"caf\\xe9").
    Built from its parent, its files' names went into the build's digests and crashed it with
    a traceback; they are shown as `ls -b` shows them, and the pages are the same as anywhere."""
    site = make_site({"content/events/gala.yaml": "title: Harbour Gala\ntype: gala\ndate: 2025-05-10\n"})
    assert run_propgen("build", cwd=site).returncode == 0
    odd = site.parent / os.fsdecode(b"caf\xe9")
    shutil.copytree(site, odd, ignore=shutil.ignore_patterns("output", ".propgen-cache"))
    result = run_propgen("build", "--site", odd.name, cwd=site.parent)
    assert result.returncode == 0, result.stderr
    assert (
        result.stderr
        == "caf\\xe9/content/events/gala.yaml:1:1: warning: this event has no summary (hint: add  summary: one line for cards and search results)\n"
    )
    assert "into caf\\xe9/output/" in result.stdout
    built = {p.relative_to(odd / "output"): p.read_bytes() for p in (odd / "output").rglob("*") if p.is_file()}
    assert built == {p.relative_to(site / "output"): p.read_bytes() for p in (site / "output").rglob("*") if p.is_file()}


@pytest.mark.parametrize("command", [["build"], ["check"], ["init", "new-site"], ["proposals"]])
def test_a_working_folder_deleted_under_the_shell_is_a_usage_mistake_that_says_so(
    make_site: Callable[..., Path], tmp_path: Path, command: list[str]
) -> None:
    """A shell can stand in a folder that was deleted (another terminal's rm -rf, a git checkout
    of a branch without it). Every message names files from the working folder, so propgen
    stopped with "cannot use: No such file or directory", naming nothing, even with --site."""
    site = make_site({"content/events/gala.yaml": GOOD_EVENT})
    args = [*command[:1], "--site", str(site)] if command[0] != "init" else [command[0], str(tmp_path / command[1])]
    script = 'mkdir gone && cd gone && rmdir ../gone && exec "$0" -m propgen "$@"'
    result = subprocess.run(
        ["bash", "-c", script, sys.executable, *args], cwd=tmp_path, env=propgen_env(), capture_output=True, text=True, check=False
    )
    assert result.stderr == (
        "propgen: error: the current folder no longer exists (it was deleted or moved while the shell stood in it)"
        " (hint: cd to your site's folder, or any folder that exists, and run propgen again)\n"
    )
    assert result.returncode == 2
    assert not (site / "output").exists() and not (tmp_path / "new-site").exists()


def test_a_build_started_inside_the_output_folder_it_replaces_finishes(make_site: Callable[..., Path]) -> None:
    """A build that replaces the whole output (another theme: every page and style changes) swaps in a
    new folder, so one started inside output/ (`cd output; propgen build --site ..`) lost its
    working folder half-way: the new site was published, yet propgen said "cannot use: No such
    file or directory", exited 1 and saved neither its cache nor its stamp."""
    site = make_site({"content/events/gala.yaml": GOOD_EVENT})
    assert run_propgen("build", cwd=site).returncode == 0
    with (site / "propgen.yaml").open("a") as settings:
        settings.write("theme: editorial\n")
    result = run_propgen("build", "--site", "..", cwd=site / "output")
    assert result.stderr == ""
    assert result.returncode == 0
    assert result.stdout.startswith("built 6 pages, 0 proposals, 0 warnings in ") and " into ./ (" in result.stdout, result.stdout
    assert "editorial" in (site / "output/index.html").read_text()
    again = run_propgen("build", "--site", "..", cwd=site / "output")
    assert again.returncode == 0 and "(nothing changed since the last build)" in again.stdout, again.stdout + again.stderr


def test_bad_input_exits_1_with_every_problem_on_its_own_line(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "content/events/gala.yaml": """\
                title: Harbour Gala
                type: galla
                date: 10 May 2025
                gusts: 200
            """,
            "content/pages/about.md": "---\ntitle: About\nmenu: first\n---\nHi\n",
        }
    )
    result = run_propgen("build", cwd=site)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines == [
        "content/events/gala.yaml:1:1: warning: this event has no summary (hint: add  summary: one line for cards and search results)",
        "content/events/gala.yaml:2:7: error: 'galla' is not a known type; expected one of wedding, conference, corporate, gala, social"
        " (hint: did you mean 'gala'?)",
        "content/events/gala.yaml:3:7: error: 'date' should be a date written YYYY-MM-DD, not '10 May 2025' (hint: write  date: 2025-05-10)",
        "content/events/gala.yaml:4:1: error: unknown field 'gusts' in event (hint: did you mean 'guests'?)",
        "content/pages/about.md:3:7: error: 'menu' should be a whole number, not 'first' (hint: write digits only, e.g.  menu: 1)",
        "build failed: 4 problems; nothing was written",
    ]
    assert "Traceback" not in result.stderr
    assert not (site / "output").exists()


def test_failed_build_leaves_previous_output_untouched(make_site: Callable[..., Path]) -> None:
    site = make_site({"content/events/gala.yaml": GOOD_EVENT})
    assert run_propgen("build", cwd=site).returncode == 0
    before = {p: p.read_bytes() for p in (site / "output").rglob("*") if p.is_file()}
    (site / "content/events/gala.yaml").write_text("title: [unclosed\n")
    result = run_propgen("build", cwd=site)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith("content/events/gala.yaml:2:1: error: this is not valid YAML")
    after = {p: p.read_bytes() for p in (site / "output").rglob("*") if p.is_file()}
    assert after == before


def test_strict_turns_warnings_into_a_failure(make_site: Callable[..., Path]) -> None:
    site = make_site({"content/events/gala.yaml": "title: Gala\ntype: gala\ndate: 2025-05-10\n"})
    relaxed = run_propgen("build", cwd=site)
    assert relaxed.returncode == 0
    assert "1 warning in" in relaxed.stdout
    strict = run_propgen("build", "--strict", "--out", "strict-out", cwd=site)
    assert strict.returncode == 1
    assert "warning: this event has no summary" in strict.stderr
    assert not (site / "strict-out").exists()


def test_usage_mistakes_exit_2(tmp_path: Path, make_site: Callable[..., Path]) -> None:
    assert run_propgen("build", "--nope", cwd=tmp_path).returncode == 2
    result = run_propgen("build", cwd=tmp_path)
    assert result.returncode == 2
    assert "has no propgen.yaml" in result.stderr
    site = make_site({})
    result = run_propgen("build", "--out", "content", cwd=site)
    assert result.returncode == 2
    assert "refusing to write the site into" in result.stderr
    assert run_propgen("init", str(site), cwd=tmp_path).returncode == 2
    assert run_propgen("build", "--base-url", "events.example", cwd=site).returncode == 2


@pytest.mark.parametrize(
    ("cache", "out", "where"),
    [
        ("output/.cache", None, "the output folder"),
        ("public", "public", "the output folder"),
        ("public/cache", "public", "the output folder"),
        ("content/cache", None, "the site's content/ folder"),
        ("static", None, "the site's static/ folder"),
    ],
)
def test_a_cache_folder_inside_the_output_or_the_content_is_a_usage_mistake(
    make_site: Callable[..., Path], cache: str, out: str | None, where: str
) -> None:
    """Every build replaces or prunes its output, so a cache kept there would be lost (or
    published); in content/ or static/ its files would be read as the site's. Nothing is written."""
    site = make_site({"content/events/gala.yaml": GOOD_EVENT})
    before = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    result = run_propgen("build", "--cache-dir", cache, *(["--out", out] if out else []), cwd=site)
    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        f"propgen: error: the build cache '{cache}' is inside {where}"
        " (hint: keep it in a folder of its own, e.g. --cache-dir .propgen-cache (the default))\n"
    )
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == before
    assert run_propgen("build", "--cache-dir", "../elsewhere", cwd=site).returncode == 0
    assert (site.parent / "elsewhere/build.json").is_file()


def test_a_cache_folder_inside_a_linked_static_folder_is_a_usage_mistake(make_site: Callable[..., Path]) -> None:
    """static/ may be a link to a folder of the site: a cache in the folder it links to (by
    either name) is in static/ all the same, and its files (drafts' text) would be published."""
    site = make_site({"content/events/gala.yaml": GOOD_EVENT, "assets/static/logo.txt": "logo\n"})
    (site / "static").symlink_to("assets/static")
    for cache in ("static/cache", "assets/static/cache"):
        result = run_propgen("build", "--cache-dir", cache, cwd=site)
        assert result.returncode == 2, result.stderr
        assert "is inside the site's static/ folder" in result.stderr
        assert not (site / "output").exists() and not (site / "assets/static/cache").exists()
    assert run_propgen("build", "--cache-dir", "assets/cache", cwd=site).returncode == 0
    assert (site / "output/logo.txt").is_file() and not (site / "output/cache").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cache-dir", "."], "the build cache '.' is the site folder or holds it"),
        (["--cache-dir", ".."], "is the site folder or holds it"),
        (["--out", ".propgen-cache/site"], "the output folder '.propgen-cache/site' is inside the build cache '.propgen-cache'"),
        (["--out", "static/site"], "refusing to write the site into 'assets/static/site': it would replace your own files"),
        # The folders a build keeps beside its output: it makes, moves and removes them as its own.
        (["--cache-dir", ".propgen-output.new"], "the build cache '.propgen-output.new' is one of the working folders"),
        (["--cache-dir", ".propgen-output.old/cache"], "the build cache '.propgen-output.old/cache' is one of the working"),
        (["--cache-dir", ".propgen-public.pages-7", "--out", "public"], "keeps beside the output (.propgen-public.*)"),
    ],
)
def test_the_cache_the_output_and_the_site_are_kept_apart(make_site: Callable[..., Path], args: list[str], message: str) -> None:
    """A cache that is the site folder (or holds it) mixes its files with the site's; an output
    inside the cache is replaced by the cache's files; an output inside static/ (here a link to
    a folder of the site) would be published into the next output. Nothing is written."""
    site = make_site({"content/events/gala.yaml": GOOD_EVENT, "assets/static/logo.txt": "logo\n"})
    (site / "static").symlink_to("assets/static")
    before = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    result = run_propgen("build", *args, cwd=site)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == before


def test_same_input_gives_byte_identical_output(make_site: Callable[..., Path]) -> None:
    site = make_site({"content/events/gala.yaml": GOOD_EVENT})
    # Two fresh interpreters whose sets and dicts of strings iterate in different orders:
    for out, seed in (("a", "1"), ("b", "2")):
        assert run_propgen("build", "--out", out, cwd=site, env=propgen_env(PYTHONHASHSEED=seed)).returncode == 0
    a = {p.relative_to(site / "a"): p.read_bytes() for p in (site / "a").rglob("*") if p.is_file()}
    b = {p.relative_to(site / "b"): p.read_bytes() for p in (site / "b").rglob("*") if p.is_file()}
    assert a == b and len(a) > 5


def test_unchanged_files_keep_their_timestamps(make_site: Callable[..., Path]) -> None:
    site = make_site({"content/events/gala.yaml": GOOD_EVENT, "content/pages/about.md": "---\ntitle: About\nmenu: 1\n---\nHello\n"})
    assert run_propgen("build", cwd=site).returncode == 0
    css = site / "output/assets/site.css"
    event = site / "output/events/gala/index.html"
    css_mtime, event_mtime = css.stat().st_mtime_ns, event.stat().st_mtime_ns
    (site / "content/pages/about.md").write_text("---\ntitle: About\nmenu: 1\n---\nHello again\n")
    assert run_propgen("build", cwd=site).returncode == 0
    assert css.stat().st_mtime_ns == css_mtime
    assert event.stat().st_mtime_ns == event_mtime
    assert "Hello again" in (site / "output/about/index.html").read_text()


def test_check_validates_without_writing(make_site: Callable[..., Path]) -> None:
    site = make_site({"content/events/gala.yaml": GOOD_EVENT})
    result = run_propgen("check", cwd=site)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("checked ")
    assert not (site / "output").exists()


def test_drafts_only_with_the_flag(make_site: Callable[..., Path]) -> None:
    site = make_site({"content/events/gala.yaml": GOOD_EVENT + "draft: true\n"})
    assert run_propgen("build", cwd=site).returncode == 0
    assert not (site / "output/events/gala").exists()
    assert run_propgen("build", "--drafts", cwd=site).returncode == 0
    assert (site / "output/events/gala/index.html").is_file()


def test_new_event_and_page(make_site: Callable[..., Path]) -> None:
    site = make_site({})
    result = run_propgen("new", "event", "Harbour Gala 2026", cwd=site, env=propgen_env())
    assert result.returncode == 0, result.stderr
    record = (site / "content/events/harbour-gala-2026.yaml").read_text()
    assert "date: 2026-11-15" in record and "draft: true" in record
    assert run_propgen("new", "page", "Our Team", cwd=site).returncode == 0
    assert (site / "content/pages/our-team.md").is_file()
    again = run_propgen("new", "page", "Our Team", cwd=site)
    assert again.returncode == 1
    assert again.stderr.startswith("content/pages/our-team.md:1:1: error: this file already exists")
    assert run_propgen("build", "--strict", "--drafts", cwd=site).returncode == 0


def test_new_writes_nothing_through_a_link_that_leaves_the_site(make_site: Callable[..., Path], tmp_path: Path) -> None:
    """`propgen new page` wrote into content/pages/ even when that folder is a link out of the
    site, which every build refuses: the new file landed in another folder, said to be created,
    and the next build failed on the link. It is now the build's own error, and nothing is written."""
    site = make_site({})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (site / "content").mkdir()
    (site / "content/pages").symlink_to(elsewhere)
    result = run_propgen("new", "page", "Our Team", cwd=site)
    assert result.stderr == (
        "content/pages:1:1: error: this is a link to something outside the site folder; propgen never reads or publishes anything"
        " outside the site (hint: copy what you need into the site folder instead of linking to it)\n"
    )
    assert result.returncode == 1
    assert list(elsewhere.iterdir()) == []
    (site / "content/pages").unlink()
    (site / "content").rmdir()
    (site / "content").symlink_to(tmp_path / "nothing-here")
    dangling = run_propgen("new", "event", "Harbour Gala", cwd=site)
    assert dangling.stderr.startswith("content:1:1: error: this link leads nowhere"), dangling.stderr
    assert dangling.returncode == 1 and not (tmp_path / "nothing-here").exists()


def test_new_writes_nothing_through_a_dangling_link_in_its_place(make_site: Callable[..., Path], tmp_path: Path) -> None:
    """A link to nothing where the new file goes counts as a file in the way: writing to it
    created the file it points to, outside the site."""
    site = make_site({"content/pages/about.md": "---\ntitle: About\n---\nHi\n"})
    (site / "content/pages/our-team.md").symlink_to(tmp_path / "elsewhere.md")
    result = run_propgen("new", "page", "Our Team", cwd=site)
    assert result.stderr.startswith("content/pages/our-team.md:1:1: error: this file already exists"), result.stderr
    assert result.returncode == 1
    assert not (tmp_path / "elsewhere.md").exists()


def test_markdown_images_with_spaces_and_accents(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "content/pages/about.md": "---\ntitle: About\n---\n![Team](<images/our team.svg>) ![Café](images/café.svg)\n",
            "static/images/our team.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
            "static/images/café.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        }
    )
    result = run_propgen("build", cwd=site)
    assert result.returncode == 0, result.stderr
    html = (site / "output/about/index.html").read_text()
    assert 'src="/images/our%20team.svg"' in html and 'src="/images/caf%C3%A9.svg"' in html


def test_dates_numbers_and_money_follow_the_site_locale(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "propgen.yaml": "title: Test\nbase_url: https://events.example/\nlocale: de_DE\ncurrency: EUR\n"
            "coordinator: {name: Test, email: test@events.example}\n",
            "content/events/gala.yaml": "title: Gala\ntype: gala\ndate: 2025-03-14\nsummary: s\nguests: 1200\n"
            "budget: {amount: 125000.5, public: true}\n",
        }
    )
    result = run_propgen("build", cwd=site)
    assert result.returncode == 0, result.stderr
    html = (site / "output/events/gala/index.html").read_text()
    assert '<time datetime="2025-03-14">14. März 2025</time>' in html
    assert "<dd>1.200</dd>" in html
    assert "125.000,50\xa0€" in html
    assert '<html lang="de-DE">' in html


def test_a_yaml_bomb_is_an_error_within_a_second(make_site: Callable[..., Path]) -> None:
    levels = ["a: &a [" + ", ".join(["lol"] * 9) + "]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    site = make_site(
        {
            "content/events/bomb.yaml": "title: Bomb\ntype: gala\ndate: 2025-05-10\nsummary: s\n"
            + "\n".join(levels[:-1])
            + "\n? [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n: 9 to the 9th values in a key\n"
        }
    )
    started = time.monotonic()
    result = run_propgen("build", cwd=site, timeout=60)
    elapsed = time.monotonic() - started
    assert result.stderr.splitlines() == [
        "content/events/bomb.yaml:10:4: error: this YAML is too large to read: the aliases (*name) here expand to more than"
        " 100,000 values (hint: let an alias (*name) repeat a small value, not a list of other aliases)",
        "build failed: 1 problem; nothing was written",
    ]
    assert result.returncode == 1
    assert elapsed < 3, f"took {elapsed:.1f} s"  # a second of work, and the start of a Python process on a busy machine


def test_javascript_and_data_links_are_left_out_with_a_warning(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "content/pages/about.md": "---\ntitle: About\n---\n"
            "Write [to us](mailto:test@events.example) or see [the menu](/files/menu.pdf).\n"
            "[a](javascript:alert(1)) [b](java%73cript:alert(2)) [c](&#106;avascript:alert(3))\n"
            "[d](JaVaScRiPt:alert(4)) [e](<java\tscript:alert(5)>) [f](VBScript:MsgBox(6))\n"
            "![g](data:image/png;base64,iVBORw0KGgo=) ![h](data:image/svg+xml,<svg/onload=alert(8)>)\n"
            "<javascript:alert(9)> [i][evil] [j](file:///etc/passwd)\n\n"
            "[evil]: %6A%61vascript:alert(10)\n",
        }
    )
    result = run_propgen("build", cwd=site)
    assert result.returncode == 0, result.stderr
    run = "runs code in the reader's browser (hint: link to a web address starting with https://, or to a page of the site such as /about/)"
    image = "hides its content inside the page (hint: put the image under static/ and write its path, e.g. ![Stage](images/stage.jpg))"
    assert result.stderr.splitlines() == [  # sorted by place, then message
        f"content/pages/about.md:5:1: warning: link to 'java%73cript:alert(2)' left out: a javascript: address {run}",
        f"content/pages/about.md:5:1: warning: link to 'javascript:alert(1)' left out: a javascript: address {run}",
        f"content/pages/about.md:5:1: warning: link to 'javascript:alert(3)' left out: a javascript: address {run}",
        f"content/pages/about.md:6:1: warning: link to 'JaVaScRiPt:alert(4)' left out: a javascript: address {run}",
        f"content/pages/about.md:6:1: warning: link to 'VBScript:MsgBox(6)' left out: a vbscript: address {run}",
        f"content/pages/about.md:6:1: warning: link to 'java%09script:alert(5)' left out: a javascript: address {run}",
        f"content/pages/about.md:7:1: warning: image 'data:image/png;base64,iVBORw0KGgo=' left out: a data: address {image}",
        f"content/pages/about.md:7:1: warning: image 'data:image/svg+xml,%3Csvg/onload=alert(…' left out: a data: address {image}",
        f"content/pages/about.md:8:1: warning: link to '%6A%61vascript:alert(10)' left out: a javascript: address {run}",
        "content/pages/about.md:8:1: warning: link to 'file:///etc/passwd' left out: a file: address points at a file on your own"
        " computer (hint: put the file under static/ and link to its path, e.g. [Menu](/files/menu.pdf))",
        f"content/pages/about.md:8:1: warning: link to 'javascript:alert(9)' left out: a javascript: address {run}",
    ]
    html = (site / "output/about/index.html").read_text()
    body = html[html.index("<main") : html.index("</main>")]
    assert '<a href="mailto:test@events.example">to us</a>' in body and '<a href="/files/menu.pdf">the menu</a>' in body
    assert "a b c\nd e f\n \njavascript:alert(9) i j" in body  # the links' words stay, as text; the images go
    for scheme in ("javascript", "vbscript", "data", "file"):
        assert f'="{scheme}' not in body.lower() and "%6a%61vascript" not in body.lower()
    strict = run_propgen("build", "--strict", "--out", "strict-out", cwd=site)
    assert strict.returncode == 1


def test_a_theme_is_a_name_never_a_path_outside_the_site(tmp_path: Path, make_site: Callable[..., Path]) -> None:
    outside = tmp_path / "elsewhere"
    (outside / "templates").mkdir(parents=True)
    (outside / "templates/base.html").write_text("taken from outside the site\n")
    (outside / "theme.yaml").write_text("extends: default\n")
    site = make_site({"content/events/gala.yaml": GOOD_EVENT, "themes/mine/templates/.keep": ""})
    config = (site / "propgen.yaml").read_text()
    (site / "propgen.yaml").write_text(config + "theme: ../../elsewhere\n")  # themes/../../elsewhere
    result = run_propgen("build", cwd=site)
    assert result.stderr.splitlines() == [
        "propgen.yaml:6:8: error: theme '../../elsewhere' should be the name of a theme, not a path"
        " (hint: put the theme in themes/<name>/ inside the site and write its name, e.g.  theme: elsewhere)",
        "build failed: 1 problem; nothing was written",
    ]
    assert result.returncode == 1
    (site / "propgen.yaml").write_text(config + "theme: mine\n")
    (site / "themes/mine/theme.yaml").write_text("extends: ../../../elsewhere\n")
    result = run_propgen("build", cwd=site)
    assert result.stderr.splitlines() == [
        "themes/mine/theme.yaml:1:10: error: theme '../../../elsewhere' should be the name of a theme, not a path"
        " (hint: put the theme in themes/<name>/ inside the site and write its name, e.g.  extends: elsewhere)",
        "build failed: 1 problem; nothing was written",
    ]
    assert result.returncode == 1
    assert not (site / "output").exists()


def test_a_list_item_indented_under_the_one_above_is_a_warning_and_an_error_with_strict(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "content/events/gala.yaml": "title: Gala\ntype: gala\ndate: 2025-05-10\nsummary: One evening.\n"
            "highlights:\n  - Ballroom for 300\n    - Stage and sound\n",
        }
    )
    relaxed = run_propgen("build", cwd=site)
    assert relaxed.returncode == 0, relaxed.stderr
    assert relaxed.stderr == (
        "content/events/gala.yaml:7:5: warning: YAML reads this '- ' line as the end of the text above, not as a list item:"
        " 'Ballroom for 300 - Stage and sound' (hint: to make it an item of its own, put its '-' at the same indentation as the '-' above)\n"
    )
    assert "Ballroom for 300 - Stage and sound" in (site / "output/events/gala/index.html").read_text()  # what the warning is about
    strict = run_propgen("build", "--strict", "--out", "strict-out", cwd=site)
    assert strict.returncode == 1
    assert "content/events/gala.yaml:7:5: warning: YAML reads this '- ' line" in strict.stderr
    assert not (site / "strict-out").exists()
