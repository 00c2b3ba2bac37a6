"""The build cache and the process pool never change a byte: after every kind of edit, an
incremental build gives exactly the files a clean build gives, and any number of processes
gives the same site as one."""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from conftest import BASE_CONFIG, EPOCH, REPO, demo_env, propgen_env, run_propgen, side_by_side, with_photos


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def rendered_count(stdout: str) -> int | None:
    """Pages rendered, from "built ... (N rendered, M files changed)"; None when all were."""
    found = re.search(r"\((\d+) rendered, ", stdout)
    return int(found.group(1)) if found else None


def build(site: Path, out: Path, *extra: str) -> str:
    result = run_propgen("build", "--out", str(out), *extra, cwd=site, env=demo_env())
    assert result.returncode == 0, result.stderr
    return result.stdout


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


EVENT = "content/events/childrens-hospital-gala.yaml"
UNSHOWN = "content/events/medan-nursing-congress.yaml"  # not featured, not recent, not among the home page's testimonials
CHANGES: dict[str, Callable[[Path], None]] = {
    "event record edited": lambda s: edit(s / EVENT, 'id: "', 'id: "Renamed '),
    "event summary edited": lambda s: edit(s / EVENT, 'id: "Gala penggalangan', 'id: "Malam gala penggalangan'),
    "testimonial reworded": lambda s: edit(s / EVENT, "author: Ibu Laksmi", "author: Dr. Laksmi"),
    "guest count edited": lambda s: edit(s / EVENT, "guests: 520", "guests: 530"),
    "venue's city edited": lambda s: edit(s / EVENT, "city: Jakarta, country", "city: Bandung, country"),
    "end date added": lambda s: edit(s / EVENT, "date: 2023-11-18\n", "date: 2023-11-18\nend_date: 2023-11-19\n"),
    # An event the home page shows no card of: only its counts of guests and cities change there.
    "guest count edited, not on the home page": lambda s: edit(s / UNSHOWN, "guests: 640", "guests: 650"),
    "venue moved to another city, not on the home page": lambda s: edit(s / UNSHOWN, "city: Medan", "city: Jakarta"),
    "client hidden": lambda s: edit(s / EVENT, "public: true}", "public: false}"),
    "translated title edited": lambda s: edit(s / EVENT, 'en: "', 'en: "Renamed '),
    "write-up edited in the first language": lambda s: (s / "content/events/childrens-hospital-gala.md").write_text("Tulisan baru.\n"),
    "write-up removed in the first language": lambda s: (s / "content/events/childrens-hospital-gala.md").unlink(),
    "translated write-up edited": lambda s: (s / "content/events/childrens-hospital-gala.en.md").write_text("A new write-up.\n"),
    "translated write-up removed": lambda s: (s / "content/events/ubud-rice-terrace-wedding.en.md").unlink(),
    "page translated": lambda s: (s / "content/pages/bergabung.en.md").write_text("---\ntitle: Join the team\n---\nWe hire.\n"),
    "event added": lambda s: shutil.copy(s / EVENT, s / "content/events/a-new-gala.yaml"),
    "event deleted": lambda s: [(s / "content/events" / f"childrens-hospital-gala{x}").unlink() for x in (".yaml", ".md", ".en.md")],
    "event renamed": lambda s: [
        (s / "content/events" / f"childrens-hospital-gala{x}").rename(s / "content/events" / f"charity-gala{x}")
        for x in (".yaml", ".md", ".en.md")
    ],
    "template edited": lambda s: write_theme(s, "event.html", "<!-- site -->"),
    "partial edited": lambda s: write_theme(s, "partials/card.html", "<!-- card -->"),
    "config edited": lambda s: edit(s / "propgen.yaml", "title: ", "title: New "),
    "locale changed": lambda s: edit(s / "propgen.yaml", "locale: id", "locale: id_ID"),
    "language added": lambda s: edit(s / "propgen.yaml", "languages: [id, en]", "languages: [id, en, ms]"),
    "static file changed": lambda s: (s / "static/favicon.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>'),
    "proposal edited": lambda s: edit(s / "content/proposals/nusantara-medika-forum.yaml", "title: ", "title: Revised "),
    "draft published": lambda s: publish_a_draft(s),
}


def write_theme(site: Path, name: str, tail: str) -> None:
    """A site override of a built-in template: the built-in's text plus a comment."""
    target = site / "themes/default/templates" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text((REPO / "src/propgen/themes/default/templates" / name).read_text() + tail + "\n")


def publish_a_draft(site: Path) -> None:
    drafts = [p for p in (site / "content/events").glob("*.yaml") if re.search(r"^draft: true", p.read_text(), re.M)]
    assert drafts, "the demo keeps a draft event"
    edit(drafts[0], "draft: true", "draft: false")


@pytest.mark.parametrize("change", list(CHANGES), ids=list(CHANGES))
def test_an_incremental_build_equals_a_clean_build(change: str, demo: Path, tmp_path: Path, photos: Path) -> None:
    incremental, clean = tmp_path / "incremental", tmp_path / "clean"
    build(demo, incremental)
    private = [p for p in (incremental / "p").rglob("*") if p.suffix in (".html", ".ics")]
    CHANGES[change](demo)
    clean_cache = with_photos(tmp_path / "clean-cache", photos)
    again, fresh = side_by_side(
        lambda: run_propgen("build", "--out", str(incremental), cwd=demo, env=demo_env()),
        lambda: run_propgen("build", "--out", str(clean), "--cache-dir", str(clean_cache), cwd=demo, env=demo_env()),
    )
    stdout = again.stdout
    assert (again.returncode, fresh.returncode) == (0, 0), again.stderr + fresh.stderr
    assert tree(incremental) == tree(clean)
    assert again.stderr == fresh.stderr  # the kept events' warnings (kept.py) are told again, in the same words
    # Besides the private pages (always rendered): a write-up is read by its event's page and by
    # the feed of its language (which shows the newest events whole), never by the lists showing
    # the event's card or by the pages listing it as related; a proposal by no public page.
    public = {"write-up edited in the first language": 2, "translated write-up edited": 2, "proposal edited": 0}
    if change in public:
        assert rendered_count(stdout) == len(private) + public[change], stdout


def test_a_file_saved_again_unchanged_renders_only_the_private_pages(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(demo, out)
    private = [p for p in (out / "p").rglob("*") if p.suffix in (".html", ".ics")]
    assert "(nothing changed since the last build)" in build(demo, out)  # skipped whole (tests/e2e/test_stamps.py)
    os.utime(demo / EVENT)  # the same bytes saved again: a real build, whose cache keeps every public page
    assert rendered_count(build(demo, out)) == len(private)  # only private pages, never cached


def test_a_damaged_or_foreign_cache_is_never_trusted(demo: Path, tmp_path: Path, photos: Path) -> None:
    out = tmp_path / "out"
    build(demo, out)
    cache = demo / ".propgen-cache/build.json"
    header, _, body = cache.read_bytes().partition(b"\n")
    cache.write_bytes(header + b"\n" + body.replace(b"<p>", b"<p>stale ", 1))
    (demo / "content/events/childrens-hospital-gala.md").write_text("Edited.\n")
    result = run_propgen("build", "--out", str(out), cwd=demo, env=demo_env())
    assert result.returncode == 0
    assert ".propgen-cache:1:1: warning: the build cache is damaged; it was ignored and is being rebuilt" in result.stderr
    build(demo, tmp_path / "clean", "--cache-dir", str(with_photos(tmp_path / "clean-cache", photos)))
    assert tree(out) == tree(tmp_path / "clean")
    # A cache made by another propgen or config (another key) is ignored without a word.
    cache.write_bytes(cache.read_bytes().replace(b'"key": "', b'"key": "other', 1))
    quiet = run_propgen("build", "--out", str(out), cwd=demo, env=demo_env())
    assert quiet.returncode == 0 and "cache" not in quiet.stderr and rendered_count(quiet.stdout) is None


def small_jpeg() -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 60, 120)).save(data, "JPEG")
    return data.getvalue()


KEPT_SITE: dict[str, str | bytes] = {
    "content/events/harbour-gala.yaml": "title: Harbour Gala\ntype: gala\ndate: 2025-05-01\ncover: images/harbour.jpg\n",
    "content/events/harbour-gala.md": "A night by the sea.\n",
    "content/events/city-forum.yaml": "title: City Forum\ntype: conference\ndate: 2025-06-01\nsummary: Two days.\n",
    "content/events/city-forum.md": "Two days of talks.\n",
    "static/images/harbour.jpg": small_jpeg(),
    "content/events/next-gala.yaml": "title: Next Gala\ntype: gala\ndate: 2026-05-01\nsummary: Soon.\ncover: images/next.jpg\ndraft: true\n",
    "static/images/next.jpg": small_jpeg(),  # shown only by a draft, so not published
}


def test_an_event_kept_from_the_last_build_says_its_warnings_and_still_needs_its_photos(make_site: Callable[..., Path]) -> None:
    site = make_site(KEPT_SITE)
    first = run_propgen("build", cwd=site)
    warning = "content/events/harbour-gala.yaml:1:1: warning: this event has no summary"
    assert first.returncode == 0 and warning in first.stderr, first.stderr
    shards = site / ".propgen-cache/events"
    assert sorted(p.name for p in shards.iterdir()) == [f"{c}.pickle" for c in "0123456789abcdef"]
    before = {p.name: p.stat().st_ino for p in shards.iterdir()}  # a file written again is a new file (os.replace)
    (site / "content/events/city-forum.md").write_text("Two days of talks, and a dinner.\n")
    second = run_propgen("build", cwd=site)  # the gala's files were not read again: its warning comes from the cache
    assert second.returncode == 0 and second.stderr == first.stderr, second.stderr
    # Only the files of the edited event's old and new digests are written again.
    assert 1 <= sum(p.stat().st_ino != before[p.name] for p in shards.iterdir()) <= 2
    assert "/images/harbour" in (site / "output/events/harbour-gala/index.html").read_text()
    assert list((site / "output/images").glob("harbour*")) and not list((site / "output/images").glob("next*"))
    (site / "static/images/harbour.jpg").unlink()  # static/ changed: the kept events checked their photos against the old list
    third = run_propgen("build", cwd=site)
    assert third.returncode == 1
    assert "content/events/harbour-gala.yaml:4:8: error: image 'static/images/harbour.jpg' does not exist" in third.stderr, third.stderr


def test_pages_are_kept_unlooked_at_only_beside_the_kept_events_they_were_made_with(make_site: Callable[..., Path], tmp_path: Path) -> None:
    """After a write-up edit the cache keeps every page not holding that event without making
    its context again (cache.py's `Shape`); that trusts the kept events' file to be the one
    the pages were made with. Here it is an older one (as when writing it failed): the build
    must not keep the page the older file's event would call unchanged."""
    site = make_site({k: v for k, v in KEPT_SITE.items() if "harbour" not in k})
    writeup, kept = site / "content/events/city-forum.md", site / ".propgen-cache/events"
    assert run_propgen("build", cwd=site).returncode == 0
    older = {p.name: p.read_bytes() for p in kept.iterdir()}
    writeup.write_text("Two days of talks, and a dinner.\n")
    assert run_propgen("build", cwd=site).returncode == 0
    assert "and a dinner" in (site / "output/events/city-forum/index.html").read_text()
    writeup.write_text("Two days of talks.\n")  # back to the text the older file kept
    for name, data in older.items():
        (kept / name).write_bytes(data)
    again = run_propgen("build", cwd=site)
    assert again.returncode == 0 and rendered_count(again.stdout) == 2, again.stdout  # its page and the feed (write-ups whole)
    assert run_propgen("build", "--out", str(tmp_path / "clean"), "--no-cache", cwd=site).returncode == 0
    assert tree(site / "output") == tree(tmp_path / "clean")


def test_a_damaged_or_hostile_file_of_kept_events_is_ignored_and_runs_nothing(make_site: Callable[..., Path], tmp_path: Path) -> None:
    site = make_site({k: v for k, v in KEPT_SITE.items() if "harbour" not in k})
    assert run_propgen("build", cwd=site).returncode == 0
    kept = max((site / ".propgen-cache/events").iterdir(), key=lambda p: p.stat().st_size)  # one that holds an event
    header, _, body = kept.read_bytes().partition(b"\n")
    marker = tmp_path / "ran"
    hostile = pickle.dumps(Hostile(str(marker)))  # unpickling would call os.system
    checksum = hashlib.sha256(hostile).hexdigest().encode()
    for damaged in (
        header + b"\n" + body[:-10],
        re.sub(rb'"checksum": "\w+"', b'"checksum": "' + checksum + b'"', header) + b"\n" + hostile,
    ):
        kept.write_bytes(damaged)
        (site / "content/events/city-forum.md").write_text(f"Edited {len(damaged)}.\n")
        result = run_propgen("build", cwd=site)
        assert result.returncode == 0
        assert ".propgen-cache:1:1: warning: the build cache is damaged; it was ignored and is being rebuilt" in result.stderr
        assert f"Edited {len(damaged)}." in (site / "output/events/city-forum/index.html").read_text()
    assert not marker.exists()


class Hostile:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.system, (f"touch {self.marker}",)


def many_events(root: Path, count: int) -> Path:
    """A site big enough for the process pool (which stays out of small builds)."""
    (root / "content/events").mkdir(parents=True)
    (root / "propgen.yaml").write_text(
        "title: Many\nbase_url: https://many.example/sub/\ncurrency: IDR\ncoordinator: {name: M, email: m@many.example}\n"
    )
    for n in range(count):
        (root / f"content/events/event-{n:04d}.yaml").write_text(
            f"title: Event {n}\ntype: {['wedding', 'gala', 'conference'][n % 3]}\ndate: 20{10 + n % 15}-0{1 + n % 9}-1{n % 9}\n"
            f"summary: Number {n}.\nguests: {n}\ntags: [t{n % 7}, t{n % 11}]\n"
        )
        (root / f"content/events/event-{n:04d}.md").write_text(f'## Part {n}\n\nSome *text* for {n}, "quoted".\n')
    return root


TIME_SPELLINGS = {  # event slug -> how its page shows the build's time
    "time-attribute": "{{ site.now }}",
    "time-get": "{{ site.get('now') }}",
    "time-computed-key": "{% set key = 'n' ~ 'ow' %}{{ site[key] }}",
    "time-whole-site": "{% for key, value in site.items() %}{% if key == 'n' ~ 'ow' %}{{ value }}{% endif %}{% endfor %}",
}


def test_a_page_showing_the_time_is_built_again_when_the_time_moves_however_it_reads_it(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    """Without SOURCE_DATE_EPOCH every build has its own time. Which pages read it is learned as
    they render (the site is read like the events, reads.py), not guessed from the template's text:
    each of these event pages shows the time its own way, and the page of city-forum does not."""
    event_page = (REPO / "src/propgen/themes/default/templates/event.html").read_text()
    shows = "".join(
        f"{{% {'if' if n == 0 else 'elif'} event.slug == '{slug}' %}}{shown}" for n, (slug, shown) in enumerate(TIME_SPELLINGS.items())
    )
    events = {
        f"content/events/{slug}.yaml": f"title: {slug}\ntype: gala\ndate: 2025-0{n + 1}-01\nsummary: A gala.\n"
        for n, slug in enumerate(TIME_SPELLINGS)
    }
    site = make_site(
        {
            **{k: v for k, v in KEPT_SITE.items() if "harbour" not in k and "next" not in k},
            **events,
            "themes/default/templates/event.html": event_page.replace(
                "{% endblock %}", f'<p id="time">{shows}{{% endif %}}</p>{{% endblock %}}', 1
            ),
        }
    )
    out = site / "output"
    assert run_propgen("build", cwd=site, env=propgen_env(SOURCE_DATE_EPOCH=EPOCH)).returncode == 0
    before = tree(out)
    later = propgen_env(SOURCE_DATE_EPOCH=str(int(EPOCH) + 3600))  # an hour later, the same day
    again = run_propgen("build", cwd=site, env=later)
    assert again.returncode == 0, again.stderr
    assert rendered_count(again.stdout) == len(TIME_SPELLINGS), again.stdout  # those event pages, nothing else
    changed = {path for path, data in tree(out).items() if before.get(path) != data}
    assert changed == {f"events/{slug}/index.html" for slug in TIME_SPELLINGS}
    assert run_propgen("build", "--out", str(tmp_path / "clean"), "--no-cache", cwd=site, env=later).returncode == 0
    assert tree(out) == tree(tmp_path / "clean")


def test_one_process_and_two_give_the_same_site(tmp_path: Path) -> None:
    """Pages are rendered (and Markdown and photos made) by every core; the site and every
    message, errors and warnings alike, are the same for any number of processes. Write-ups
    are rendered by the workers while the main process validates the records, which waits
    for each write-up's HTML to check its images and links (build.prerender)."""
    site = many_events(tmp_path / "site", 300)
    records = [site / f"content/events/event-{n:04d}.yaml" for n in range(0, 300, 37)]
    for record in records:
        record.write_text(
            record.read_text().replace("summary: Number", "colour: blue\nblurb-line: Number")
        )  # not summary-line: that is a misspelt summary, said once
        writeup = record.with_suffix(".md")
        writeup.write_text(writeup.read_text() + "\n[Run](javascript:alert(1))\n\n![Stage](images/stage-missing.jpg)\n")
    for expected in (1, 0):  # first with errors (unknown fields, a missing image), then with warnings only
        one = run_propgen("build", "--out", str(tmp_path / "one"), "--jobs", "1", "--no-cache", cwd=site, env=demo_env())
        two = run_propgen("build", "--out", str(tmp_path / "two"), "--jobs", "2", "--no-cache", cwd=site, env=demo_env())
        assert one.returncode == two.returncode == expected, one.stderr + two.stderr
        assert one.stderr.count("warning: this event has no summary") == 9, one.stderr
        assert one.stderr.count("error: unknown field") == (18 if expected else 0), one.stderr
        assert one.stderr.count(".md:5:1: warning: link to 'javascript:alert(1)' left out") == 9, one.stderr
        assert one.stderr.count(".md:7:1: error: image 'static/images/stage-missing.jpg' does not exist") == (9 if expected else 0)
        assert two.stderr.replace(str(tmp_path / "two"), str(tmp_path / "one")) == one.stderr
        for record in records:
            record.write_text(
                "".join(
                    line
                    for line in record.read_text().splitlines(keepends=True)
                    if ":" in line and "-line" not in line and "colour" not in line
                )
            )
            writeup = record.with_suffix(".md")
            writeup.write_text(writeup.read_text().replace("![Stage](images/stage-missing.jpg)\n", ""))
    assert len(tree(tmp_path / "one")) > 300
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    # Workers record which events' views each page held (cache.py's `Shape`): a write-up edited
    # then re-renders its page and the feed, found among the pages the workers recorded.
    build(site, tmp_path / "cached", "--jobs", "2")
    (site / "content/events/event-0042.md").write_text("A new write-up.\n")
    assert rendered_count(build(site, tmp_path / "cached", "--jobs", "2")) == 2
    build(site, tmp_path / "clean", "--jobs", "2", "--no-cache")
    assert tree(tmp_path / "cached") == tree(tmp_path / "clean")


def test_errors_from_worker_processes_keep_their_file_and_line(tmp_path: Path) -> None:
    site = many_events(tmp_path / "site", 300)
    build(site, site / "output", "--jobs", "2")
    before = tree(site / "output")
    (site / "themes/default/templates").mkdir(parents=True)
    (site / "themes/default/templates/event.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n{{ event.nope.deeper }}\n{% endblock %}\n'
    )
    result = run_propgen("build", "--jobs", "2", cwd=site, env=demo_env())
    assert result.returncode == 1
    assert result.stderr.startswith("themes/default/templates/event.html:3:1: error: template error while rendering /events/"), (
        result.stderr
    )
    assert result.stderr.count("error:") == 1  # once, however many pages (in however many processes) hit it
    assert tree(site / "output") == before


def test_jobs_must_be_a_number_of_processes(tmp_path: Path) -> None:
    site = many_events(tmp_path / "site", 1)
    result = run_propgen("build", "--jobs", "0", cwd=site, env=demo_env())
    assert result.returncode == 2
    assert result.stderr == "propgen: error: --jobs 0 is not a number of processes (hint: use 1 or more, e.g. --jobs 2)\n"


def test_a_photo_first_shown_by_a_write_up_moves_the_links_to_it_of_pages_holding_no_view_of_that_event(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    """A photo of static/ that no content shows is published at its own path; once a write-up
    shows it, it is published as renditions only and every link to it goes to the largest one.
    A page linking to it (here a page of content/pages/, holding no event's view) must follow,
    though only a write-up changed (the cache's `Shape` is the same): a kept page linking to
    /images/hall.jpg would be a broken link."""
    site = make_site(
        {
            "content/events/city-forum.yaml": "title: City Forum\ntype: conference\ndate: 2025-06-01\nsummary: Two days.\n",
            "content/events/city-forum.md": "Two days of talks.\n",
            "content/pages/about.md": "---\ntitle: About\n---\nSee [the hall](/images/hall.jpg).\n",
            "static/images/hall.jpg": small_jpeg(),
        }
    )
    assert run_propgen("build", cwd=site).returncode == 0
    assert 'href="/images/hall.jpg"' in (site / "output/about/index.html").read_text()
    (site / "content/events/city-forum.md").write_text("Two days of talks.\n\n![The hall](/images/hall.jpg)\n")
    assert run_propgen("build", cwd=site).returncode == 0
    assert run_propgen("build", "--out", str(tmp_path / "clean"), "--no-cache", cwd=site).returncode == 0
    assert 'href="/images/hall.jpg"' not in (tmp_path / "clean/about/index.html").read_text()
    assert tree(site / "output") == tree(tmp_path / "clean")


def test_a_photo_no_write_up_shows_any_more_moves_the_links_to_it_of_kept_events_pages(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    """The other way round, on an event's page: once no write-up shows the photo, its renditions
    are no longer published and a write-up linking to it (b-forum's, read from the kept events,
    its page holding no view of a-gala) links to the photo's own path again. Keeping b-forum's
    page would leave a link to a rendition that is gone."""
    site = make_site(
        {
            "content/events/a-gala.yaml": "title: A Gala\ntype: gala\ndate: 2025-01-01\nsummary: A.\n",
            "content/events/a-gala.md": "Text A.\n\n![Hall](/images/hall.jpg)\n",
            "content/events/m-wedding.yaml": "title: M Wedding\ntype: wedding\ndate: 2025-03-01\nsummary: M.\n",
            "content/events/b-forum.yaml": "title: B Forum\ntype: conference\ndate: 2025-06-01\nsummary: B.\n",
            "content/events/b-forum.md": "Text B, [the hall](/images/hall.jpg).\n",
            "static/images/hall.jpg": small_jpeg(),
        }
    )
    assert run_propgen("build", cwd=site).returncode == 0
    (site / "content/events/a-gala.md").write_text("Text A.\n")
    assert run_propgen("build", cwd=site).returncode == 0
    assert run_propgen("build", "--out", str(tmp_path / "clean"), "--no-cache", cwd=site).returncode == 0
    assert 'href="/images/hall.jpg"' in (tmp_path / "clean/events/b-forum/index.html").read_text()
    assert tree(site / "output") == tree(tmp_path / "clean")


def test_a_write_up_removed_moves_the_language_a_card_gives_its_untranslated_write_up(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    """`html_lang` of an event's view in another language is made from the write-up too (it names
    the first language only while there is a write-up to show untranslated: languages.py), yet
    it is not in `context.WRITE_UP_KEYS` and the event's shape (`kept.event_shapes`) blanks the
    write-up: a card reading `html_lang` without `html` is kept saying the old language."""
    card = (REPO / "src/propgen/themes/default/templates/partials/card.html").read_text()
    site = make_site(
        {
            "propgen.yaml": "title: Test Events\nbase_url: https://events.example/\nlanguages: [en, id]\nlocale: en\ncurrency: USD\n"
            "coordinator: {name: Test Coordinator, email: test@events.example}\n",
            "content/events/city-forum.yaml": "title: City Forum\ntype: conference\ndate: 2025-06-01\nsummary: Two days.\n",
            "content/events/city-forum.md": "Two days of talks.\n",
            "themes/default/templates/partials/card.html": card.replace(
                '<article class="card"', '<article class="card"{% if event.html_lang %} lang="{{ event.html_lang }}"{% endif %}', 1
            ),
        }
    )
    assert run_propgen("build", cwd=site).returncode == 0
    assert '<article class="card" lang="en"' in (site / "output/id/events/index.html").read_text()
    (site / "content/events/city-forum.md").unlink()  # nothing but a write-up changed
    assert run_propgen("build", cwd=site).returncode == 0
    assert run_propgen("build", "--out", str(tmp_path / "clean"), "--no-cache", cwd=site).returncode == 0
    assert '<article class="card" lang="en"' not in (tmp_path / "clean/id/events/index.html").read_text()
    assert tree(site / "output") == tree(tmp_path / "clean")


def test_a_summary_edited_reaches_a_page_that_shows_it_only_as_its_description(make_site: Callable[..., Path], tmp_path: Path) -> None:
    """An event page's description (its meta tags) is the event's summary, read as the page's
    context is made, not by its templates. A summary edited leaves every page's selection as it
    was (kept.py), so only pages that read the summary are looked at again: a theme whose event
    page shows no summary but in its meta tags must still have the page rendered again."""
    site = make_site(
        {
            "content/events/city-forum.yaml": "title: City Forum\ntype: conference\ndate: 2025-06-01\nsummary: Two days.\n",
            "content/events/harbour-gala.yaml": "title: Harbour Gala\ntype: gala\ndate: 2025-07-01\nsummary: One night.\n",
            "themes/default/templates/event.html": '{% extends "base.html" %}{% block main %}<p>On {{ event.date }}</p>{% endblock %}\n',
        }
    )
    assert run_propgen("build", cwd=site).returncode == 0
    page = site / "output/events/city-forum/index.html"
    assert 'content="Two days."' in page.read_text() and "Two days" not in page.read_text().split("<main", 1)[-1]
    edit(site / "content/events/city-forum.yaml", "summary: Two days.", "summary: Three days.")
    assert run_propgen("build", cwd=site).returncode == 0
    assert 'content="Three days."' in page.read_text()
    assert run_propgen("build", "--out", str(tmp_path / "clean"), "--no-cache", cwd=site).returncode == 0
    assert tree(site / "output") == tree(tmp_path / "clean")


def test_a_file_of_kept_events_whose_first_line_nests_deeply_is_damaged_not_a_traceback(make_site: Callable[..., Path]) -> None:
    """A damaged header is a warning like any other damage; JSON nested deeper than Python's
    recursion limit raises RecursionError, which `_read_shard` (and `BuildCache.read`, for
    build.json's first line) does not catch: the build ends in a traceback."""
    site = make_site({k: v for k, v in KEPT_SITE.items() if "harbour" not in k})
    assert run_propgen("build", cwd=site).returncode == 0
    (site / ".propgen-cache/events/0.pickle").write_bytes(b"[" * 100_000 + b"\n")
    (site / "content/events/city-forum.md").write_text("Edited.\n")
    result = run_propgen("build", cwd=site)
    assert "Traceback" not in result.stderr, result.stderr[-300:]
    assert result.returncode == 0
    assert ".propgen-cache:1:1: warning: the build cache is damaged; it was ignored and is being rebuilt" in result.stderr
    assert "Edited." in (site / "output/events/city-forum/index.html").read_text()


def test_a_named_pipe_in_the_cache_folder_is_damage_not_a_build_that_never_ends(make_site: Callable[..., Path], tmp_path: Path) -> None:
    """Opening a named pipe waits for a writer: the build's own files (the cache file, the kept
    events, the stamp) are opened only if they are regular files, else they count as damaged."""
    site = make_site({k: v for k, v in KEPT_SITE.items() if "harbour" not in k})
    assert run_propgen("build", cwd=site).returncode == 0
    cache = site / ".propgen-cache"
    for path in (cache / "build.json", cache / "events/7.pickle", cache / "stamp.json"):
        path.unlink()
        os.mkfifo(path)
    (site / "content/events/city-forum.md").write_text("Edited once more.\n")
    result = run_propgen("build", cwd=site, timeout=60)
    assert result.returncode == 0, result.stderr
    assert ".propgen-cache:1:1: warning: the build cache is damaged; it was ignored and is being rebuilt" in result.stderr
    assert "Edited once more." in (site / "output/events/city-forum/index.html").read_text()


def test_the_cache_serves_a_build_started_from_another_folder(make_site: Callable[..., Path]) -> None:
    """The cache's key named the theme's files as the command line spelled the site, so
    `propgen build` in the site and `propgen build --site site` from its parent each found the
    other's cache foreign and rendered every page again (10,000 events: 20 s, not 2)."""
    site = make_site({k: v for k, v in KEPT_SITE.items() if "harbour" not in k} | {"themes/default/theme.yaml": "extends: default\n"})
    assert run_propgen("build", cwd=site).returncode == 0
    (site / "content/events/city-forum.md").write_text("Edited from the parent folder.\n")
    result = run_propgen("build", "--site", site.name, cwd=site.parent)
    assert result.returncode == 0, result.stderr
    assert rendered_count(result.stdout) == 2, result.stdout  # its page and the feed, as from the site folder
    assert "Edited from the parent folder." in (site / "output/events/city-forum/index.html").read_text()


def test_a_theme_catalog_edited_is_seen_when_the_site_sits_in_a_folder_called_templates(tmp_path: Path) -> None:
    """The theme's files outside its templates/ and static/ (theme.yaml, catalogs) are in the
    cache's key; those two names were looked for in the whole path as typed, so a site built
    with `--site templates/site` had none of them in the key and kept pages in the old words."""
    site = tmp_path / "templates/site"
    site.mkdir(parents=True)
    (site / "propgen.yaml").write_text(BASE_CONFIG)
    (site / "content/events").mkdir(parents=True)
    (site / "content/events/city-forum.yaml").write_text(str(KEPT_SITE["content/events/city-forum.yaml"]))
    catalog = site / "themes/default/locales/en/LC_MESSAGES/messages.po"
    catalog.parent.mkdir(parents=True)
    words = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Skip to content"\nmsgstr "{}"\n'
    catalog.write_text(words.format("Jump to the page"))
    assert run_propgen("build", "--site", "templates/site", cwd=tmp_path).returncode == 0
    assert "Jump to the page" in (site / "output/events/city-forum/index.html").read_text()
    catalog.write_text(words.format("Straight to the page"))
    assert run_propgen("build", "--site", "templates/site", cwd=tmp_path).returncode == 0
    assert "Straight to the page" in (site / "output/events/city-forum/index.html").read_text()


def test_a_theme_catalog_in_a_linked_folder_is_seen_when_it_is_edited(make_site: Callable[..., Path]) -> None:
    """A site may link a folder of its theme to another folder of the site (a shared
    `locales/`); the build follows such links, but the cache's key listed the theme's files
    without following them, so an edited catalog there kept every page in the old words."""
    site = make_site({k: v for k, v in KEPT_SITE.items() if "harbour" not in k} | {"themes/default/theme.yaml": "extends: default\n"})
    catalog = site / "shared/locales/en/LC_MESSAGES/messages.po"
    catalog.parent.mkdir(parents=True)
    (site / "themes/default/locales").symlink_to("../../shared/locales")
    words = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Skip to content"\nmsgstr "{}"\n'
    catalog.write_text(words.format("Jump to the page"))
    assert run_propgen("build", cwd=site).returncode == 0
    assert "Jump to the page" in (site / "output/events/city-forum/index.html").read_text()
    catalog.write_text(words.format("Straight to the page"))
    result = run_propgen("build", cwd=site)
    assert result.returncode == 0, result.stderr
    assert "Straight to the page" in (site / "output/events/city-forum/index.html").read_text()
    assert "Straight to the page" in (site / "output/index.html").read_text()
    # The catalog itself a link to a file elsewhere in the site: read as the build reads it.
    (site / "themes/default/locales").unlink()
    (site / "shared/messages.po").write_text(words.format("Go to the page"))
    linked = site / "themes/default/locales/en/LC_MESSAGES/messages.po"
    linked.parent.mkdir(parents=True)
    linked.symlink_to("../../../../../shared/messages.po")
    assert run_propgen("build", cwd=site).returncode == 0
    assert "Go to the page" in (site / "output/events/city-forum/index.html").read_text()
    (site / "shared/messages.po").write_text(words.format("On to the page"))
    assert run_propgen("build", cwd=site).returncode == 0
    assert "On to the page" in (site / "output/events/city-forum/index.html").read_text()
