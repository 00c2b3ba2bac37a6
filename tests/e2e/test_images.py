"""Photos as a photographer publishes them: straight from the camera (big, rotated by EXIF,
GPS in the file), and out come small upright renditions with no metadata, <img> sizes that
match the files, uncropped portraits, a 1200x630 link preview, and a cache that never
processes an unchanged photo twice."""

from __future__ import annotations

import io
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from conftest import MINIMAL_PROPOSAL, STRONG_SECRET, propgen_env, run_propgen, side_by_side

RED, BLUE = (220, 30, 30), (30, 30, 220)
EVENT = """\
title: Garden Wedding
type: wedding
date: 2025-05-01
summary: A wedding at the client's home
gallery:
  - {src: images/wedding/couple.jpg, alt: The couple under the arch, focus: "50% 10%"}
  - {src: images/wedding/tables.jpg, alt: Long tables in the garden}
"""


def camera_jpeg(size: tuple[int, int], orientation: int = 1) -> bytes:
    """A JPEG as a camera writes it: EXIF orientation, GPS position, maker's name, XMP and
    an ICC profile. Its stored left half is red: upright, red is where orientation puts it."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "CameraMaker"
    exif[0x8825] = {1: "S", 2: (6.0, 10.0, 30.0), 3: "E", 4: (106.0, 49.0, 12.0)}  # GPS: a client's home in Jakarta
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>'
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif.tobytes(), xmp=xmp, icc_profile=icc)
    return out.getvalue()


def photo_site(make_site: Callable[[dict[str, str | bytes]], Path]) -> Path:
    return make_site(
        {
            "content/events/garden-wedding.yaml": EVENT,
            # stored 3000x2000, orientation 6 (turn 90 degrees clockwise): upright it is a 2000x3000 portrait, red on top
            "static/images/wedding/couple.jpg": camera_jpeg((3000, 2000), orientation=6),
            "static/images/wedding/tables.jpg": camera_jpeg((3000, 2000)),
        }
    )


def images_in(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*") if p.suffix in (".jpg", ".jpeg", ".png", ".webp", ".avif"))


def assert_no_metadata(path: Path) -> None:
    data = path.read_bytes()
    with Image.open(path) as image:
        assert not image.getexif(), f"{path.name} carries EXIF"
        assert not {"exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "photoshop", "iptc"} & set(image.info), (path.name, set(image.info))
    assert b"Exif\x00" not in data and b"adobe:ns:meta" not in data and b"CameraMaker" not in data, path.name


def img_tags(html: str) -> list[dict[str, str]]:
    return [dict(re.findall(r'(\w+)="([^"]*)"', tag)) for tag in re.findall(r"<img\b[^>]*>", html)]


def test_a_camera_photo_comes_out_upright_resized_and_without_metadata(make_site: Callable[[dict[str, str | bytes]], Path]) -> None:
    site = photo_site(make_site)
    result = run_propgen("build", "--strict", cwd=site)
    assert result.returncode == 0, result.stderr
    out = site / "output"
    published = images_in(out)
    assert not (out / "images/wedding/couple.jpg").exists(), "the camera's file itself is never published"
    for path in published:
        assert_no_metadata(path)
    couple = sorted(p for p in published if p.name.startswith("couple.") and ".og." not in p.name)
    assert {p.name.split(".")[-2] for p in couple} == {"480", "960", "1600", "2000"}, "the standard widths below 2000, and 2000 itself"
    for path in couple:
        with Image.open(path) as image:
            assert image.width * 3 == image.height * 2, f"{path.name}: a portrait keeps its 2:3 shape, never cropped"
            top, bottom = (
                image.convert("RGB").getpixel((image.width // 2, 5)),
                image.convert("RGB").getpixel((image.width // 2, image.height - 5)),
            )
            assert top[0] > 180 > top[2] and bottom[2] > 180 > bottom[0], f"{path.name} is not upright"
    assert all(re.search(r"\.[0-9a-f]{10}\.\d+\.(avif|webp|jpg)$", p.name) for p in couple), "names carry a short content hash"


def test_every_img_is_as_large_as_its_file_and_the_preview_is_1200x630(make_site: Callable[[dict[str, str | bytes]], Path]) -> None:
    site = photo_site(make_site)
    assert run_propgen("build", cwd=site).returncode == 0
    out = site / "output"
    page = (out / "events/garden-wedding/index.html").read_text()
    tags = img_tags(page)
    assert len(tags) == 3  # the cover and the two gallery photos
    for tag in tags:
        with Image.open(out / tag["src"].lstrip("/")) as image:
            assert (int(tag["width"]), int(tag["height"])) == image.size, tag["src"]
        assert tag["alt"]
    cover, first, second = tags
    assert cover.get("fetchpriority") == "high" and "loading" not in cover, "the first visible photo loads first"
    assert first["loading"] == second["loading"] == "lazy" and first["decoding"] == "async"
    assert first["style"] == "object-position: 50% 10%", "the focus is the crop point of CSS crops"
    assert '<source type="image/webp" srcset="' in page and 'sizes="' in page
    links = re.findall(r'<a href="([^"]+)" data-src=', page)
    assert [Path(link).name.split(".")[-2:] for link in links] == [["2000", "webp"], ["2400", "webp"]], "without JS: the largest rendition"
    preview = re.search(r'<meta property="og:image" content="https://events.example/([^"]+)">', page)
    assert preview, page
    with Image.open(out / preview.group(1)) as image:
        assert image.size == (1200, 630)
        assert image.convert("RGB").getpixel((600, 20))[0] > 180, "focus 50% 10%: the crop keeps the top (red) of the portrait"


def test_an_unchanged_photo_is_never_processed_again(make_site: Callable[[dict[str, str | bytes]], Path], tmp_path: Path) -> None:
    site = photo_site(make_site)
    assert run_propgen("build", cwd=site).returncode == 0
    out, cache = site / "output", site / ".propgen-cache" / "images"
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in [*images_in(out), *cache.iterdir()]}
    assert run_propgen("build", cwd=site).returncode == 0
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in [*images_in(out), *cache.iterdir()]}
    assert after == before, "same bytes, same mtimes: nothing was encoded again"

    (site / "static/images/wedding/tables.jpg").write_bytes(camera_jpeg((2400, 1600)))  # the photographer re-exports one
    clean = tmp_path / "clean"
    built = side_by_side(lambda: run_propgen("build", cwd=site), lambda: run_propgen("build", "--no-cache", "--out", str(clean), cwd=site))
    assert [result.returncode for result in built] == [0, 0], [result.stderr for result in built]
    couple = {p: v for p, v in before.items() if p.name.startswith("couple.") and p.parent.name == "wedding"}
    assert all(p.stat().st_mtime_ns == mtime for p, (_data, mtime) in couple.items()), "the other photo is not touched"
    tree = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert tree == {p.relative_to(clean).as_posix(): p.read_bytes() for p in clean.rglob("*") if p.is_file()}


def test_a_100_megapixel_photo_is_published_with_a_warning_at_its_line(make_site: Callable[[dict[str, str | bytes]], Path]) -> None:
    big = io.BytesIO()
    Image.new("L", (10_000, 10_000), 128).save(big, "PNG")
    site = make_site(
        {
            "content/events/garden-wedding.yaml": EVENT.replace("images/wedding/tables.jpg", "images/wedding/huge.png"),
            "static/images/wedding/couple.jpg": camera_jpeg((600, 400)),
            "static/images/wedding/huge.png": big.getvalue(),
        }
    )
    result = run_propgen("build", cwd=site)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == (
        "content/events/garden-wedding.yaml:7:11: warning: 'static/images/wedding/huge.png' is 100 megapixels (10000x10000):"
        " it slows every clean build (hint: export it at 24 megapixels or less; the site shows at most 2400 pixels of it)"
    )
    assert "Traceback" not in result.stderr
    assert (site / "output/images/wedding").is_dir()


def test_the_demo_publishes_small_clean_images_and_private_pages_preview_no_photo(built_demo: Path) -> None:
    published = images_in(built_demo)
    assert published
    largest = max(published, key=lambda p: p.stat().st_size)
    assert largest.stat().st_size < 400_000, f"{largest} is {largest.stat().st_size} bytes"
    for path in published:
        assert_no_metadata(path)
    private = [p for p in (built_demo / "p").rglob("index.html")]
    assert private
    for page in private:
        found = re.findall(r'<meta property="og:image" content="[^"]*/images/preview\.[0-9a-f]{10}\.jpg">', page.read_text())
        assert found, f"{page}: private pages get the neutral preview"
    home = (built_demo / "index.html").read_text()
    assert re.search(r'<meta property="og:image" content="[^"]+\.og\.jpg">', home)


def test_svg_and_gif_pass_through(make_site: Callable[[dict[str, str | bytes]], Path]) -> None:
    gif = io.BytesIO()
    Image.new("P", (40, 30)).save(gif, "GIF")
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 32"><rect width="64" height="32" fill="url(#g)"/></svg>\n'
    site = make_site(
        {
            "content/events/garden-wedding.yaml": EVENT.replace("wedding/couple.jpg", "wedding/plan.svg").replace(
                "wedding/tables.jpg", "wedding/dance.gif"
            ),
            "static/images/wedding/plan.svg": svg,
            "static/images/wedding/dance.gif": gif.getvalue(),
        }
    )
    result = run_propgen("build", "--strict", cwd=site)
    assert result.returncode == 0, result.stderr
    out = site / "output"
    assert (out / "images/wedding/plan.svg").read_text() == svg
    assert (out / "images/wedding/dance.gif").read_bytes() == gif.getvalue()
    tags = img_tags((out / "events/garden-wedding/index.html").read_text())
    assert [(t["src"], t["width"], t["height"]) for t in tags[1:]] == [
        ("/images/wedding/plan.svg", "64", "32"),
        ("/images/wedding/dance.gif", "40", "30"),
    ]


def test_unused_raster_files_keep_their_path_without_metadata(make_site: Callable[[dict[str, str | bytes]], Path]) -> None:
    site = photo_site(make_site)
    shutil.copy(site / "static/images/wedding/tables.jpg", site / "static/background.jpg")
    assert run_propgen("build", cwd=site).returncode == 0
    assert_no_metadata(site / "output/background.jpg")


# The demo's camera files (tools/demo_camera.py): these are stored sideways with an EXIF
# orientation, (portrait upright?) by name; every demo photo carries the photographer's gold
# mark in the top-left corner of the upright picture, from 2% to 6% of its width.
SIDEWAYS = {
    "ubud-rice-terrace-wedding/first-dance": True,
    "bandung-sundanese-wedding/pelaminan": True,
    "kemang-sixtieth-birthday/garden-stage": True,
    "asean-payments-summit/skyline-reception": False,
}
MARK = (224, 164, 88)


def colour_at(image: Image.Image, x: float, y: float) -> tuple[int, ...]:
    """The mean colour of a small square around (x, y), given as fractions of the width."""
    w = image.width
    r = max(1, round(w * 0.005))
    cx, cy = round(x * w), round(y * w)
    patch = image.convert("RGB").crop((cx - r, cy - r, cx + r, cy + r)).resize((1, 1), Image.Resampling.BOX)
    return tuple(patch.getpixel((0, 0)))  # type: ignore[arg-type]


def marked_corners(image: Image.Image) -> list[str]:
    w, h = image.size
    far_x, far_y = 1 - 0.04, (h / w) - 0.04
    corners = {"top-left": (0.04, 0.04), "top-right": (far_x, 0.04), "bottom-left": (0.04, far_y), "bottom-right": (far_x, far_y)}
    return [name for name, (x, y) in corners.items() if max(abs(a - b) for a, b in zip(colour_at(image, x, y), MARK, strict=True)) < 24]


def test_demo_photos_stored_sideways_by_the_camera_come_out_upright(built_demo: Path, demo_copy: Path) -> None:
    for name, portrait in SIDEWAYS.items():
        with Image.open(demo_copy / f"static/images/{name}.jpg") as source:
            exif = source.getexif()
            assert exif.get(0x0112) in (6, 8), f"{name}: the demo photo should be stored sideways"
            assert exif.get_ifd(0x8825), f"{name}: the demo photo should carry its GPS position"
            assert max(source.size) == 6000, f"{name}: the demo photo should be camera-size"
            assert marked_corners(source) != ["top-left"], f"{name}: stored sideways, its mark is not top-left until rotated"
        renditions = sorted(built_demo.glob(f"images/{name}.*.960.*"))
        assert {p.suffix for p in renditions} >= {".jpg", ".webp"}, renditions
        for path in renditions:
            with Image.open(path) as published:
                assert (published.height > published.width) == portrait, f"{path.name} is {published.size}"
                assert marked_corners(published) == ["top-left"], f"{path.name}: the photographer's mark is not top-left"


SPONSORSHIP = """\
title: Harbour Forum 2027
event: {date: 2027-06-12}
audience: {total: 100, segments: [{name: Nurses, percent: 50, tags: [nurses]}]}
tiers: [{name: Gold, price: 100, available: 2}]
prospects:
  - {slug: rs, name: Harbour Hospital, wants: [nurses], suggested: Gold}
  - {slug: lab, name: Harbour Lab, wants: [nurses], suggested: Gold}
accept: {email: sponsors@events.example}
"""
PROPOSAL = """\
title: Harbour Forum 2027
client: {name: PT Harbour}
prepared_on: 2026-11-01
valid_until: 2027-01-31
event: {type: conference, date: 2027-06-12}
budget:
  items:
    - {section: Venue, item: Harbour Hall, price: 1000}
terms:
  notes: |
    The hall as it will be set: ![The hall set for the forum](images/private/hall.jpg)
accept: {email: hello@events.example}
"""


def test_photos_in_cover_letters_and_terms_notes_are_pictures_published_only_in_private_folders(
    make_site: Callable[[dict[str, str | bytes]], Path],
) -> None:
    site = make_site(
        {
            "content/events/garden-wedding.yaml": EVENT,
            "static/images/wedding/couple.jpg": camera_jpeg((3000, 2000), orientation=6),
            "static/images/wedding/tables.jpg": camera_jpeg((3000, 2000)),
            "static/images/private/stage.jpg": camera_jpeg((3000, 2000)),
            "static/images/private/hall.jpg": camera_jpeg((2000, 3000)),
            "content/sponsorships/forum.yaml": SPONSORSHIP,
            "content/sponsorships/forum.md": "Where your booth will stand: ![The stage from the booths](images/private/stage.jpg)\n",
            "content/proposals/harbour.yaml": PROPOSAL,
        }
    )
    result = run_propgen("build", "--strict", cwd=site, env=propgen_env(PROPGEN_SECRET=STRONG_SECRET))
    assert result.returncode == 0, result.stderr
    out = site / "output"
    public = [p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and not p.relative_to(out).as_posix().startswith("p/")]
    assert [p for p in public if "private/" in p or "stage." in p or "hall." in p] == [], "a photo only private pages show is not public"
    pages = {
        "rs": next((out / "p").glob("forum-rs-*/index.html")),
        "lab": next((out / "p").glob("forum-lab-*/index.html")),
        "harbour": next((out / "p").glob("harbour-*/index.html")),
    }
    for name, page in pages.items():
        folder = page.parent.relative_to(out).as_posix()
        html = page.read_text()
        pictures = re.findall(
            r"<picture>(?:<source type=\"image/avif\" srcset=\"([^\"]+)\"[^>]*>)?<source type=\"image/webp\" srcset=\"([^\"]+)\"[^>]*>"
            r"(<img [^>]*>)</picture>",
            html,
        )
        assert len(pictures) == 1, f"{name}: {pictures}"
        avif, webp, img = pictures[0]
        tag = img_tags(img)[0]
        assert tag["loading"] == "lazy" and tag["decoding"] == "async" and tag["alt"] and tag["sizes"], tag
        sources = [e.split()[0] for srcset in (tag["srcset"], webp, avif) if srcset for e in srcset.split(", ")]
        for url in [tag["src"], *sources]:
            assert url.startswith(f"/{folder}/images/private/"), f"{name}: {url} is not in its own private folder"
            assert (out / url.lstrip("/")).is_file(), url
        with Image.open(out / tag["src"].lstrip("/")) as image:
            assert (int(tag["width"]), int(tag["height"])) == image.size
            assert_no_metadata(out / tag["src"].lstrip("/"))
    assert "hall." in img_tags(pages["harbour"].read_text())[-1]["src"], "the terms notes show the hall"


def test_avif_comes_first_where_smaller_than_webp_and_every_build_makes_the_same_bytes(
    make_site: Callable[[dict[str, str | bytes]], Path], tmp_path: Path
) -> None:
    site = photo_site(make_site)
    one, two = tmp_path / "one", tmp_path / "two"
    assert run_propgen("build", "--no-cache", "--jobs", "1", "--out", str(one), cwd=site).returncode == 0
    assert run_propgen("build", "--no-cache", "--jobs", "2", "--out", str(two), cwd=site).returncode == 0
    tree = {p.relative_to(one).as_posix(): p.read_bytes() for p in one.rglob("*") if p.is_file()}
    assert tree == {p.relative_to(two).as_posix(): p.read_bytes() for p in two.rglob("*") if p.is_file()}, "one core or two: same bytes"
    avif = [p for p in images_in(one) if p.suffix == ".avif"]
    assert avif, "Pillow here writes AVIF, and these photos are smaller as AVIF"
    for path in avif:
        webp = path.with_suffix(".webp")
        with Image.open(path) as image, Image.open(webp) as other:
            assert image.format == "AVIF" and image.size == other.size
        assert path.stat().st_size < webp.stat().st_size, f"{path.name} is kept only when smaller than {webp.name}"
        assert_no_metadata(path)
    page = (one / "events/garden-wedding/index.html").read_text()
    pictures = re.findall(r"<picture>(.*?)</picture>", page, re.S)
    with_avif = 0
    for picture in pictures:
        sources = re.findall(r'<source type="([^"]+)" srcset="([^"]+)"', picture)
        webp = [entry.split()[0] for entry in sources[-1][1].split(", ")]
        made = [(one / url.lstrip("/")).with_suffix(".avif").is_file() for url in webp]
        assert made in ([True] * len(webp), [False] * len(webp)), f"AVIF at every width or none: {made}"
        if made[0]:
            with_avif += 1
            assert [kind for kind, _ in sources] == ["image/avif", "image/webp"], picture
            assert [entry.split()[0] for entry in sources[0][1].split(", ")] == [url[: -len("webp")] + "avif" for url in webp]
        else:  # the flat two-colour picture is smaller as WebP
            assert [kind for kind, _ in sources] == ["image/webp"], picture
        assert re.search(r'<img [^>]*src="[^"]+\.jpg"', picture), "the JPEG fallback stays"
    assert with_avif >= 1 and len(pictures) == 3, pictures


def test_the_demo_publishes_its_sponsorship_letters_photo_only_in_each_prospects_folder(built_demo: Path) -> None:
    """content/sponsorships/oncology-forum-2027.md shows a photo no public page shows."""
    name = "foyer-booths."
    public = [p for p in built_demo.rglob(f"{name}*") if not p.relative_to(built_demo).as_posix().startswith("p/")]
    assert public == [], "a photo only a sponsorship letter shows has no public address"
    prospects = [next(built_demo.glob(f"p/oncology-forum-2027-{slug}-*/")) for slug in ("riset-kanker", "onkofarma", "rs-harapan")]
    overview = [f for f in built_demo.glob("p/oncology-forum-2027-*/") if f not in prospects]
    assert len(overview) == 1 and not list(overview[0].rglob(f"{name}*")), "the team overview shows no letter"
    for folder in prospects:
        copies = sorted(folder.glob(f"images/sponsorships/oncology-forum-2027/{name}*"))
        assert {p.suffix for p in copies} == {".avif", ".webp", ".jpg"} and len(copies) == 12, copies
    page = next(f for f in prospects if "riset-kanker" in f.name) / "index.html"
    html = page.read_text()
    folder = page.parent.relative_to(built_demo).as_posix()
    tag = next(t for t in img_tags(html) if name in t["src"])
    assert tag["src"].startswith(f"/{folder}/images/") and tag["loading"] == "lazy", tag
    with Image.open(built_demo / tag["src"].lstrip("/")) as image:
        assert (int(tag["width"]), int(tag["height"])) == image.size
    shown = re.search(r'name="version" value="([0-9a-f]{12})"', html)
    assert shown and shown.group(1) in (overview[0] / "index.html").read_text(), (
        "the version names what the sponsor saw, not where its copy of the photo is: the team overview shows the same"
    )


def test_an_unused_svg_that_runs_code_is_named_from_where_the_build_was_started(
    make_site: Callable[[dict[str, str | bytes]], Path],
) -> None:
    """An SVG no content shows has no content line to be reported at, so its error names the
    file itself; that name was 'static/...' from wherever propgen ran, a file that does not
    exist from the site's parent folder (where CI often runs `propgen build --site site`)."""
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n'
    site = make_site({"content/events/garden-wedding.yaml": "title: Garden Wedding\ntype: wedding\ndate: 2025-05-01\nsummary: A garden.\n"})
    (site / "static/logos").mkdir(parents=True)
    (site / "static/logos/mark.svg").write_text(svg)
    from_parent = run_propgen("build", "--site", site.name, cwd=site.parent)
    assert from_parent.returncode == 1
    error = "static/logos/mark.svg:1:1: error: 'static/logos/mark.svg' contains a <script> at its line 1"
    assert from_parent.stderr.startswith(f"{site.name}/{error}"), from_parent.stderr
    from_site = run_propgen("build", cwd=site)
    assert from_site.returncode == 1 and from_site.stderr.startswith(error), from_site.stderr


def test_a_photo_replaced_by_another_of_the_same_size_and_time_is_processed_again(
    make_site: Callable[[dict[str, str | bytes]], Path], tmp_path: Path
) -> None:
    """A build trusts a file's size, time and inode, like make (docs/performance.md); the
    photos' digests trusted size and time alone, so a photo replaced by another file of the
    same size and time (a tool that keeps the time, `cp -p`, `rsync -t`) kept the old
    picture's renditions, while the build ran because the stamp saw a new inode."""

    def jpeg(colour: tuple[int, int, int]) -> bytes:
        out = io.BytesIO()
        Image.new("RGB", (640, 480), colour).save(out, "JPEG", quality=90)
        return out.getvalue()

    red, blue = jpeg(RED), jpeg(BLUE)
    size = max(len(red), len(blue))
    red, blue = red.ljust(size, b"\0"), blue.ljust(size, b"\0")  # bytes after the end of a JPEG are ignored by readers
    event = "title: Garden Wedding\ntype: wedding\ndate: 2025-05-01\nsummary: A garden.\ncover: images/couple.jpg\n"
    site = make_site({"content/events/garden-wedding.yaml": event, "static/images/couple.jpg": red})
    photo = site / "static/images/couple.jpg"
    os.utime(photo, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    assert run_propgen("build", cwd=site).returncode == 0
    replacement = tmp_path / "couple.jpg"
    replacement.write_bytes(blue)
    os.utime(replacement, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    os.replace(replacement, photo)  # same name, size and time; another file
    result = run_propgen("build", cwd=site)
    assert result.returncode == 0, result.stderr
    renditions = sorted((site / "output/images").glob("couple.*.jpg"))
    assert renditions
    for rendition in renditions:
        with Image.open(rendition) as image:
            r, _g, b = image.convert("RGB").getpixel((image.width // 2, image.height // 2))
        assert b > 150 and r < 100, (rendition.name, (r, b))  # blue, as the file now is


def test_the_private_pages_preview_card_is_encoded_once_for_the_cache_then_found_by_its_name(
    make_site: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A private page's link preview is a card of the site's colour, named by its bytes. It
    was encoded by every build (36 ms: a tenth of a rebuild after one edit at 1,000 events);
    the cache folder now records its name, and a damaged record only makes it again."""
    import propgen.images.store as store
    from propgen.build import BuildOptions, build
    from propgen.cache import BuildCache
    from propgen.dates import now_from_env

    encoded: list[tuple[int, int, int]] = []
    card = store.neutral_card.__wrapped__
    monkeypatch.setattr(store, "neutral_card", lambda colour: encoded.append(colour) or card(colour))
    gala = "title: Harbour Gala\ntype: gala\ndate: 2025-05-10\nsummary: A night on the water.\n"
    site = make_site({"content/events/gala.yaml": gala, "content/proposals/harbour.yaml": MINIMAL_PROPOSAL})
    environ = {"PROPGEN_SECRET": STRONG_SECRET, "SOURCE_DATE_EPOCH": "1794700800"}
    cache = site / ".propgen-cache"

    def preview_of_the_proposal(out: str) -> str:
        assert build(
            BuildOptions(site=site, out=tmp_path / out, now=now_from_env(environ), environ=environ, cache=BuildCache(cache))
        ).written
        page = next((tmp_path / out / "p").rglob("index.html")).read_text()
        found = re.search(r'<meta property="og:image" content="[^"]*/(images/preview\.[0-9a-f]{10}\.jpg)">', page)
        assert found and (tmp_path / out / found[1]).is_file()
        return found[1]

    first = preview_of_the_proposal("one")
    assert len(encoded) == 1
    assert preview_of_the_proposal("two") == first and len(encoded) == 1  # found by its name: not encoded again
    assert (tmp_path / "one" / first).read_bytes() == (tmp_path / "two" / first).read_bytes()
    for record in (cache / "images").glob("neutral-*.name"):
        record.write_text("../../etc/passwd")
    assert preview_of_the_proposal("three") == first and len(encoded) == 2  # a damaged record: made again
    for record in (cache / "images").glob("neutral-*.name"):  # a record that cannot be written (root writes read-only files)
        record.unlink()
        record.mkdir()
    assert preview_of_the_proposal("four") == first and len(encoded) == 3  # built all the same, the card made again


def test_a_build_without_a_cache_removes_its_photo_folder_when_it_ends(
    make_site: Callable[[dict[str, str | bytes]], Path], tmp_path: Path
) -> None:
    """Without a cache folder, photos are processed into a temporary folder the process removes
    as it ends: its exit handlers run even though the command ends without freeing its objects
    one by one (cli.exit_without_freeing), and everything it printed arrives."""
    site = photo_site(make_site)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    result = run_propgen("build", "--no-cache", cwd=site, env=propgen_env(TMPDIR=str(temporary)))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("built ") and result.stdout.endswith(" files changed)\n"), result.stdout
    assert images_in(site / "output")
    assert list(temporary.iterdir()) == []
