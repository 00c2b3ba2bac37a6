"""The CLI as a subprocess: exit codes, one line per problem, output left alone on failure."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import propgen_env, run_propgen

GOOD_EVENT = """\
title: Harbour Gala
type: gala
date: 2025-05-10
summary: A night on the water.
guests: 200
"""


def test_init_then_build_from_any_folder(tmp_path: Path) -> None:
    result = run_propgen("init", "newsite", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    result = run_propgen("build", "--site", "newsite", "--strict", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("built 8 pages, 0 proposals, 0 warnings in ")
    assert result.stderr == ""
    home = (tmp_path / "newsite/output/index.html").read_text()
    assert "Spring Garden Wedding" in home


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
        "content/events/gala.yaml:3:7: error: 'date' should be a date written YYYY-MM-DD, not '10 May 2025' (hint: write e.g.  date: 2025-03-14)",
        "content/events/gala.yaml:4:1: error: unknown field 'gusts' in event (hint: did you mean 'guests'?)",
        "content/pages/about.md:3:7: error: 'menu' should be a whole number, not 'first' (hint: write digits only, e.g.  menu: 1)",
        "build failed: 4 problems; output/ was left as it was",
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


def test_same_input_gives_byte_identical_output(make_site: Callable[..., Path]) -> None:
    site = make_site({"content/events/gala.yaml": GOOD_EVENT})
    assert run_propgen("build", "--out", "a", cwd=site).returncode == 0
    assert run_propgen("build", "--out", "b", cwd=site).returncode == 0
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
