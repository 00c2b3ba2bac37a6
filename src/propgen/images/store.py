"""The build's image step: every picture of static/ the site publishes goes through here once.

A photo some content shows is published only as renditions (images/gala/stage.1a2b3c4d5e.960.webp
and .960.jpg ...), never as the camera's file; a raster file no content shows (a favicon, a
theme's background) keeps its own path with its metadata stripped; GIF passes through;
SVG passes through once checked. Each event's cover also gets its 1200x630 OpenGraph crop,
and private pages a neutral card.

Processing is cached in the build cache folder (`images/` in it): files named by the
source's content hash and the settings, with a small JSON manifest each, so an unchanged
photo is never decoded twice; a content hash is trusted for a file whose size and mtime
have not changed (one JSON index). Misses are processed by every core (parallel.py).
Templates get plain views (URLs, widths, heights, srcset) and rendered Markdown gets
<picture> markup: rendering never touches a file.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import hashlib
import html
import json
import posixpath
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from ..errors import Location, Report
from ..models import Event, Page, Site
from ..parallel import map_ordered
from ..routes import Route, StaticCopy, with_bodies
from ..urls import Urls
from ..walk import is_plain_file, own_folder, replacing, shown_under
from .decode import Header, Trouble, decode, large_warning, read_header
from .encode import OG_JPEG, OG_SIZE, WIDTHS, Encoded, neutral_card, opengraph, parse_focus, renditions, same_size, settings
from .refs import relink, static_links
from .svg import check_svg

RASTER = {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".bmp"}
PASSED = {".gif", ".svg"}
REFUSED = {".heic", ".heif", ".avif", ".raw", ".cr2", ".cr3", ".nef", ".arw", ".dng", ".psd"}  # as a picture on a page
NEUTRAL_COLOUR = (15, 76, 92)  # the default theme's ink: the private pages' preview card
NEUTRAL_CARD = 1  # how encode.neutral_card draws it: a new drawing takes a new number (its name is recorded by this)
_IMG = re.compile(r"<img\b[^>]*>")
_ATTR = re.compile(r'\b(src|alt|title)="([^"]*)"')
_Body = TypeVar("_Body", Event, Page)


@functools.cache
def made_how() -> str:
    """The encoder's settings and Pillow's version, in the cached files' names: asked only when
    a photo or a preview card is made, so a site with neither never imports Pillow."""
    from PIL import __version__ as pillow

    return hashlib.blake2b(f"{settings()};pillow={pillow}".encode(), digest_size=4).hexdigest()


@dataclass(frozen=True)
class Job:
    source: Path
    shown: str  # static/images/x.jpg, for messages
    digest: str  # the source's content hash
    kind: str  # "set" (renditions), "plain" (same size and path), "og" (the 1200x630 crop)
    ext: str = ""
    focus: tuple[float, float] = (0.5, 0.5)

    @property
    def name(self) -> str:
        """The cached files' common name: content, settings and what was made from them."""
        what = f"og{self.focus[0]:.3f}-{self.focus[1]:.3f}" if self.kind == "og" else self.kind
        return f"{self.digest}-{made_how()}-{what}"

    @property
    def short(self) -> str:
        """The hash in published names: changes whenever the file's bytes would."""
        return hashlib.blake2b(self.name.encode(), digest_size=5).hexdigest()


@dataclass(frozen=True)
class Made:
    """A job's files in the cache folder: (width, height, ext, file name)."""

    files: tuple[tuple[int, int, str, str], ...]
    warning: Trouble | None = None


@dataclass
class Images:
    """What the image step made: output files, template views, and problems reported."""

    folder: Path
    urls: Urls
    made: dict[str, Made] = field(default_factory=dict)  # by output path of the static copy (or "og:" + src + focus)
    short: dict[str, str] = field(default_factory=dict)  # by output path of the static copy
    sizes: dict[str, tuple[int, int]] = field(default_factory=dict)  # SVG and GIF: their own size
    plain: set[str] = field(default_factory=set)  # copies published at their own path, re-encoded
    refused: set[str] = field(default_factory=set)
    neutral: str = ""  # site path of the private pages' preview card

    def files(self, copy: StaticCopy, source: Path) -> Iterator[tuple[str, Path]]:
        """The output files standing for one static copy: its renditions, or the file itself."""
        if copy.output in self.refused:
            return
        made = self.made.get(copy.output)
        if made is None:
            yield copy.output, source
        elif copy.output in self.plain:
            yield copy.output, self.folder / made.files[0][3]
        else:
            for width, _height, ext, name in made.files:
                yield self.rendition_path(copy.output, width, ext), self.folder / name

    def extra(self) -> Iterator[tuple[str, Path]]:
        """Files no static copy stands for: OpenGraph crops and the neutral card."""
        for key, made in sorted(self.made.items()):
            if key.startswith("og:"):
                yield self.og_path(key), self.folder / made.files[0][3]

    def rendition_path(self, output: str, width: int, ext: str) -> str:
        stem = posixpath.splitext(output)[0]
        return f"{stem}.{self.short[output]}.{width}.{ext}"

    def og_path(self, key: str) -> str:
        if key == "og:neutral":
            return self.neutral
        src = key[3:].rsplit("@", 1)[0]
        return f"{posixpath.splitext(src)[0]}.{self.short[key]}.og.jpg"

    def view(self, output: str) -> dict[str, Any]:
        """What a template needs to show the picture at `output` (the path of its static copy)."""
        if output in self.sizes:
            width, height = self.sizes[output]
            url = self.urls.asset(output)
            return {
                "src": url,
                "width": width,
                "height": height,
                "srcset": "",
                "webp_srcset": "",
                "avif_srcset": "",
                "type": "",
                "full": url,
            }
        made = self.made.get(output)
        if made is None or output in self.plain:
            return {}
        fallback = [(w, h, ext) for w, h, ext, _ in made.files if ext in ("jpg", "png")]
        webp = [(w, h, ext) for w, h, ext, _ in made.files if ext == "webp"]
        avif = [(w, h, ext) for w, h, ext, _ in made.files if ext == "avif"]
        shown = max((f for f in fallback if f[0] <= WIDTHS[2]), key=lambda f: f[0], default=fallback[0])
        url = self.urls.asset(self.rendition_path(output, shown[0], shown[2]))
        return {
            "src": url,
            "absolute": self.urls.absolute(self.rendition_path(output, shown[0], shown[2])),
            "width": shown[0],
            "height": shown[1],
            "srcset": self._srcset(output, fallback),
            "webp_srcset": self._srcset(output, webp),
            "avif_srcset": self._srcset(output, avif),
            "type": "image/png" if shown[2] == "png" else "image/jpeg",
            "full": self.urls.asset(self.full_path(output)),
            "full_width": max(f[0] for f in fallback),
            "full_height": max(f[1] for f in fallback),
            "portrait": shown[1] > shown[0],
        }

    def views(self) -> dict[str, dict[str, Any]]:
        """Template views of every public picture by its path under static/, with their
        OpenGraph crops by focus (absolute URLs), for context.py."""
        found: dict[str, dict[str, Any]] = {}
        for output in [*self.made, *self.sizes]:
            if not output.startswith("og:") and (view := self.view(output)):
                found[output] = view
        for key in self.made:
            if key.startswith("og:") and key != "og:neutral":
                src, focus = key[3:].rsplit("@", 1)
                if src in found:
                    found[src].setdefault("og", {})[focus] = self.urls.absolute(self.og_path(key))
        if self.neutral:
            found[""] = {"og": {"": self.urls.absolute(self.neutral)}}
        return found

    def _srcset(self, output: str, files: Sequence[tuple[int, int, str]]) -> str:
        return ", ".join(f"{self.urls.asset(self.rendition_path(output, w, ext))} {w}w" for w, _h, ext in sorted(files))

    def picture(self, text: str, sizes: str = "(min-width: 760px) 44rem, 100vw") -> str:
        """Rendered Markdown with each <img> of a processed photo as a <picture>: AVIF (when
        smaller), WebP and a fallback at every width, its real width and height, lazy; links to the photo go to
        its largest rendition."""
        paths, full = self._photos
        if "<img" not in text and (not paths or next(static_links(text, self.urls, paths), None) is None):
            return text
        out, end = [], 0
        for tag in _IMG.finditer(text):
            attributes = {k: v for k, v in _ATTR.findall(tag.group(0))}
            found = next(static_links(f'src="{attributes.get("src", "")}"', self.urls, paths), None)
            if found is None:
                continue
            view = self.view(found.path)
            title = f' title="{attributes["title"]}"' if "title" in attributes else ""
            img = (
                f'<img src="{html.escape(view["src"])}"'
                + (f' srcset="{html.escape(view["srcset"])}" sizes="{sizes}"' if view["srcset"] else "")
                + f' alt="{attributes.get("alt", "")}"{title} width="{view["width"]}" height="{view["height"]}" loading="lazy" decoding="async">'
            )
            if view["webp_srcset"]:
                avif = (
                    f'<source type="image/avif" srcset="{html.escape(view["avif_srcset"])}" sizes="{sizes}">' if view["avif_srcset"] else ""
                )
                webp = f'<source type="image/webp" srcset="{html.escape(view["webp_srcset"])}" sizes="{sizes}">'
                img = f"<picture>{avif}{webp}{img}</picture>"
            out += [text[end : tag.start()], img]
            end = tag.end()
        text = "".join(out) + text[end:]
        return relink(text, self.urls, full)

    @functools.cached_property
    def _photos(self) -> tuple[frozenset[str], dict[str, str]]:
        """The pictures Markdown may show (made ones and SVG or GIF), and where a link to each
        made one goes: once, after processing, not for each of 10,000 write-ups (with a photo
        each, that was quadratic)."""
        paths = frozenset({o for o in self.made if not o.startswith("og:") and o not in self.plain} | set(self.sizes))
        return paths, {p: self.full_path(p) for p in sorted(paths) if p not in self.sizes}

    def full_path(self, output: str) -> str:
        """The site path of the largest rendition: where a link to the photo itself goes."""
        files = self.made[output].files
        width, _height, ext = max(((w, h, e) for w, h, e, _ in files if e != "avif"), key=lambda f: (f[0], f[2] == "webp"))
        return self.rendition_path(output, width, ext)

    def _pictured(self, item: _Body) -> _Body:
        """`item` with <picture>s in its body; itself when its body shows no photo (most write-ups
        of a large site: copying 10,000 events for nothing was a tenth of a second per build)."""
        shown = self.picture(item.body_html)
        return item if shown == item.body_html else replace(item, body_html=shown)

    def apply(self, site: Site, routes: Sequence[Route]) -> tuple[Site, list[Route]]:
        """The site and routes with every rendered Markdown body showing <picture>s."""
        if not self._photos[0]:  # nothing Markdown may show was processed: every body stays as it is
            return site, list(routes)
        events = tuple(self._pictured(e) for e in site.events)
        pages = tuple(self._pictured(p) for p in site.pages)
        # An event's or page's route shows the very body just pictured for the site (`before`
        # holds it, so its id stays its own): looked up, not scanned a second time.
        before: tuple[Event | Page, ...] = (*site.events, *site.pages)
        after: tuple[Event | Page, ...] = (*events, *pages)
        done = {id(old.body_html): new.body_html for old, new in zip(before, after, strict=True)}
        site = replace(site, events=events, pages=pages, intro_html=self.picture(site.intro_html))
        placed: list[Route] = []
        for route in routes:  # each route's own subject: a page of another language is not this site's
            subject = route.subject
            if isinstance(subject, Event | Page):
                found = done.get(id(subject.body_html))
                shown = found if found is not None else self.picture(subject.body_html)
                route = route if shown == subject.body_html else replace(route, subject=replace(subject, body_html=shown))
            elif route.private:  # cover letters and terms notes: the same <picture> as a write-up's
                route = replace(route, subject=with_bodies(subject, self.picture))
            placed.append(route)
        return site, placed


def process_images(
    site: Site, copies: Sequence[StaticCopy], static: Path, cache: Path | None, jobs: int, report: Report, used_at: Mapping[str, Location]
) -> Images:
    """Every picture among the static copies processed (or found in the cache), problems
    reported at the content line that shows the picture."""
    folder = image_folder(cache)
    images = Images(folder, Urls(site.config.base_url))
    digests = Digests(folder)
    pending: list[tuple[str, Job, Location]] = []
    for copy in copies:
        source = static / copy.source
        ext = posixpath.splitext(copy.source)[1].lower()
        shown = f"static/{copy.source}"
        where = used_at.get(copy.source) or Location(shown_under(static.parent, shown))  # from where propgen runs
        used = copy.source in used_at
        if ext in REFUSED and used:
            report.error(where, f"'{shown}' is a {ext[1:].upper()} file, which browsers cannot all show", "export it as JPEG or PNG")
            images.refused.add(copy.output)
        elif ext == ".svg":
            trouble = check_svg(source.read_bytes(), shown)
            if trouble:
                report.error(where, trouble.message, trouble.hint)
                images.refused.add(copy.output)
            elif used:
                images.sizes[copy.output] = svg_size(source.read_bytes())
        elif ext in RASTER or (ext == ".gif" and used):
            header = read_header(source, shown)
            if isinstance(header, Trouble):
                if not used:  # no content shows it: static/ is copied as it is (a template may link it)
                    continue
                (report.warning if header.warning else report.error)(where, header.message, header.hint)
                images.refused.add(copy.output)
                continue
            if ext == ".gif" or header.format == "GIF":
                images.sizes[copy.output] = (header.width, header.height)
                continue
            kind = "set" if used else "plain"
            job = Job(source, shown, digests.of(source), kind, ext[1:])
            pending.append((copy.output, job, where))
            images.short[copy.output] = job.short
            if kind == "plain":
                images.plain.add(copy.output)
            warn = large_warning(header, shown) if used else None
            if warn:
                report.warning(where, warn.message, warn.hint)
    for event in site.events:
        cover = event.cover
        if cover is not None and cover.src in images.short and cover.src not in images.plain:
            key = f"og:{cover.src}@{cover.focus}"
            base = next(j for o, j, _ in pending if o == cover.src)
            job = replace(base, kind="og", focus=parse_focus(cover.focus) or (0.5, 0.5))
            pending.append((key, job, Location(event.source)))
            images.short[key] = job.short
    digests.save()
    results = run(pending, folder, jobs)
    for (output, _job, where), made in zip(pending, results, strict=True):
        if isinstance(made, Trouble):
            if output in images.plain:  # no content shows it: copied as it is, like the rest of static/
                images.plain.discard(output)
                continue
            report.error(where, made.message, made.hint)
            images.refused.add(output)
        else:
            images.made[output] = made
    name = neutral_file(folder)
    images.made["og:neutral"] = Made(((*OG_SIZE, "jpg", name),))
    images.neutral = f"images/preview.{name[8:18]}.jpg"
    return images


def neutral_file(folder: Path) -> str:
    """The name of the private pages' preview card in `folder`, named by its bytes; made once
    for these encoder settings, then found by a record of its name (encoding it took 36 ms of
    every build, a tenth of a rebuild after one edit at 1,000 events)."""
    drawn = hashlib.blake2b(repr((NEUTRAL_CARD, NEUTRAL_COLOUR, OG_SIZE, sorted(OG_JPEG.items()))).encode(), digest_size=4).hexdigest()
    record = folder / f"neutral-{made_how()}-{drawn}.name"
    try:
        name = record.read_text(encoding="ascii")
        if re.fullmatch(r"neutral-[0-9a-f]{10}\.jpg", name) and is_plain_file(folder / name):
            return name
    except (OSError, ValueError):
        pass  # not made yet, or damaged: made again
    neutral = neutral_card(NEUTRAL_COLOUR)
    name = f"neutral-{hashlib.blake2b(neutral.data, digest_size=5).hexdigest()}.jpg"
    if not is_plain_file(folder / name):  # (a link there is replaced: its file is published)
        _write(folder / name, neutral.data)
    with contextlib.suppress(OSError):  # a read-only or full cache folder: the card is made again next time
        _write(record, name.encode("ascii"))
    return name


def run(pending: Sequence[tuple[str, Job, Location]], folder: Path, jobs: int) -> list[Made | Trouble]:
    """Each job's files, from the cache folder or made now by every core; a job named twice
    (one letter's photo in the private folder of each prospect) is made once."""
    results: list[Made | Trouble | None] = [cached(job, folder) for _, job, _ in pending]
    first: dict[str, int] = {}
    for index, result in enumerate(results):
        if result is None:
            first.setdefault(pending[index][1].name, index)
    misses = sorted(first.values())
    made = map_ordered(lambda i: make(pending[misses[i]][1], folder), len(misses), jobs, min_items=2, chunk=1)
    by_name = {pending[index][1].name: result for index, result in zip(misses, made, strict=True)}
    return [by_name[pending[i][1].name] if r is None else r for i, r in enumerate(results)]


def cached(job: Job, folder: Path) -> Made | None:
    try:
        record = json.loads((folder / f"{job.name}.json").read_text())
        files = tuple((int(w), int(h), str(e), str(n)) for w, h, e, n in record["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    # Files the output will copy: each a file of the cache folder's own, never a link (a cache
    # restored from elsewhere could lead one to any file of the machine, and publish it).
    if record.get("key") != job.name or not all(is_plain_file(folder / n) for *_, n in files):
        return None
    return Made(files)


def make(job: Job, folder: Path) -> Made | Trouble:
    """Decode once, encode every file the job needs, record them (runs in a worker)."""
    widest = 1 << 30 if job.kind == "plain" else WIDTHS[-1]
    image = decode(job.source, job.shown, widest)
    if isinstance(image, Trouble):
        return image
    encoded: list[Encoded]
    if job.kind == "og":
        encoded = [opengraph(image, job.focus)]
    elif job.kind == "plain":
        encoded = [same_size(image, job.ext)]
    else:
        encoded = renditions(image)
    files = []
    for item in encoded:
        name = f"{job.name}.{item.width}.{item.ext}"
        _write(folder / name, item.data)
        files.append((item.width, item.height, item.ext, name))
    _write(folder / f"{job.name}.json", json.dumps({"key": job.name, "files": files}).encode())
    return Made(tuple(files))


def _write(path: Path, data: bytes) -> None:
    """Atomically: a killed build leaves the old file or none, never half of one."""
    with replacing(path) as file:  # nothing half-done left in the cache folder
        file.write(data)


class Digests:
    """Content hashes of the sources, re-read only when a file's size, mtime or inode changed
    (what the build trusts, like make: a file replaced by another of the same size and time
    is another inode): hashing 200 camera files on every build would cost seconds."""

    def __init__(self, folder: Path) -> None:
        self.file = folder / "digests.json"
        try:
            self.known: dict[str, list[Any]] = dict(json.loads(self.file.read_text()))
        except (OSError, ValueError, TypeError):
            self.known = {}
        self.seen: dict[str, list[Any]] = {}

    def of(self, path: Path) -> str:
        stat = path.stat()
        key = str(path.resolve())
        record = self.known.get(key)
        if isinstance(record, list) and len(record) == 4 and record[:3] == [stat.st_size, stat.st_mtime_ns, stat.st_ino]:
            self.seen[key] = record
            return str(record[3])
        h = hashlib.blake2b(digest_size=12)
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        self.seen[key] = [stat.st_size, stat.st_mtime_ns, stat.st_ino, h.hexdigest()]
        return h.hexdigest()

    def save(self) -> None:
        if self.seen != self.known:
            _write(self.file, json.dumps(self.seen, sort_keys=True).encode())


_TEMPORARY: list[Path] = []


def image_folder(cache: Path | None) -> Path:
    """`images/` in the cache folder; without one (--no-cache, the preview), a folder of this
    process's own, removed when it ends."""
    if cache is not None:
        return own_folder(cache / "images")  # a link there is removed: renditions are never written where it leads
    if not _TEMPORARY:
        _TEMPORARY.append(Path(tempfile.mkdtemp(prefix="propgen-images-")))
        atexit.register(shutil.rmtree, _TEMPORARY[0], True)
    _TEMPORARY[0].mkdir(parents=True, exist_ok=True)
    return _TEMPORARY[0]


def svg_size(data: bytes) -> tuple[int, int]:
    """An SVG's width and height attributes, or its viewBox's, for the <img> that shows it."""
    head = data[:2000].decode("utf-8", errors="replace")
    w, h = re.search(r'\swidth="(\d+(?:\.\d+)?)(?:px)?"', head), re.search(r'\sheight="(\d+(?:\.\d+)?)(?:px)?"', head)
    if w and h:
        return round(float(w.group(1))), round(float(h.group(1)))
    box = re.search(r'viewBox="[\d.+-]+[ ,]+[\d.+-]+[ ,]+([\d.]+)[ ,]+([\d.]+)"', head)
    return (round(float(box.group(1))), round(float(box.group(2)))) if box else (300, 150)


__all__ = ["Header", "Images", "process_images"]
