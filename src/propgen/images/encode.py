"""A decoded photo as the files a browser fetches: a few widths, never upscaled, each as WebP
and as a JPEG (PNG when the picture has transparency) for browsers without WebP, as AVIF too
when this Pillow can write it and it comes out smaller than the WebP, and the 1200x630
OpenGraph crop that keeps the `focus` point in frame.

The settings are documented in docs/content.md (Photos); changing any of them changes
`settings()`, which names the cached files, so a cache never serves files made another way.
Pillow is imported when a photo is first processed, not with this module: a site without
photos never loads it (about 20 ms of every command's start-up).
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

WIDTHS = (480, 960, 1600, 2400)
WEBP = {"quality": 80, "method": 4}
# AVIF quality 50 looks like WebP 80 at about two thirds of the bytes. Speed 8 (of 0-10) costs
# about as much as the WebP; the encoder's default, 6, costs five times more for a few percent
# fewer bytes (docs/performance.md). One thread: photos are already spread over the cores.
AVIF = {"quality": 50, "speed": 8, "max_threads": 1}
JPEG = {"quality": 82, "optimize": True, "progressive": True, "subsampling": "4:2:0"}
PNG = {"optimize": True}
OG_SIZE = (1200, 630)
OG_JPEG = {"quality": 85, "optimize": True, "progressive": True}
CENTRE = (0.5, 0.5)


@functools.cache
def writes() -> tuple[bool, bool]:
    """Whether this Pillow writes WebP, and AVIF (asked of its codecs once per process)."""
    from PIL import features

    webp = bool(features.check("webp"))
    return webp, webp and bool(features.check("avif"))


@functools.cache
def settings() -> str:
    """Every setting above, and the formats this Pillow writes, in a few characters."""
    avif = f"-avif{AVIF['quality']}s{AVIF['speed']}" if writes()[1] else ""
    return f"w{'.'.join(map(str, WIDTHS))}-webp{WEBP['quality']}m{WEBP['method']}-jpeg{JPEG['quality']}-og{OG_JPEG['quality']}{avif}-v1"


@dataclass(frozen=True)
class Encoded:
    width: int
    height: int
    ext: str  # "avif", "webp", "jpg" or "png"
    data: bytes


def widths_for(width: int) -> list[int]:
    """The rendition widths of a picture `width` pixels across: the standard ones below it,
    and its own width when it is narrower than the widest (never upscaled)."""
    below = [w for w in WIDTHS if w < width]
    return below if width > WIDTHS[-1] else [*below, width]


def renditions(image: Image.Image) -> list[Encoded]:
    """Every width of the picture, widest first made from the full picture and each
    narrower one from the one above it (cheaper, and as sharp). AVIF files are kept only
    when every one of them is smaller than the WebP of its width: a browser that takes
    AVIF then never fetches more bytes than it would have, at any width."""
    from PIL import Image

    has_webp, has_avif = writes()
    fallback = "png" if image.mode == "RGBA" else "jpg"
    out: list[Encoded] = []
    avif: list[Encoded] | None = [] if has_avif else None  # None: this picture gets no AVIF
    current = image
    for width in sorted(widths_for(image.width), reverse=True):
        height = max(1, round(image.height * width / image.width))
        if current.size != (width, height):
            current = current.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        if has_webp:
            webp = Encoded(width, height, "webp", save(current, "WEBP", WEBP))
            out.append(webp)
            if avif is not None:  # once one AVIF is not smaller, the others are not even made
                made = Encoded(width, height, "avif", save(current, "AVIF", AVIF))
                avif = [*avif, made] if len(made.data) < len(webp.data) else None
        out.append(Encoded(width, height, fallback, save(current, "PNG", PNG) if fallback == "png" else save(current, "JPEG", JPEG)))
    return sorted(out + (avif or []), key=lambda e: (e.ext, e.width))


def same_size(image: Image.Image, ext: str) -> Encoded:
    """The picture at its own size in its own format: for a file of static/ no content shows
    (a favicon, a theme's background), published at its own path, its metadata gone."""
    if ext in ("png", "gif", "bmp") or image.mode == "RGBA":
        return Encoded(image.width, image.height, "png", save(image, "PNG", PNG))
    if ext == "webp" and writes()[0]:
        return Encoded(image.width, image.height, "webp", save(image, "WEBP", WEBP))
    return Encoded(image.width, image.height, "jpg", save(image, "JPEG", JPEG))


def opengraph(image: Image.Image, focus: tuple[float, float] = CENTRE) -> Encoded:
    """The 1200x630 preview a chat app shows for a link: the largest 40:21 crop of the
    picture that keeps the focus point as near its centre as the edges allow."""
    from PIL import Image

    target_w, target_h = OG_SIZE
    width, height = image.size
    crop_w, crop_h = (
        (width, round(width * target_h / target_w))
        if width * target_h <= height * target_w
        else (round(height * target_w / target_h), height)
    )
    left = min(max(0, round(focus[0] * width - crop_w / 2)), width - crop_w)
    top = min(max(0, round(focus[1] * height - crop_h / 2)), height - crop_h)
    cropped = image.convert("RGB").resize(OG_SIZE, Image.Resampling.LANCZOS, box=(left, top, left + crop_w, top + crop_h), reducing_gap=3.0)
    return Encoded(target_w, target_h, "jpg", save(cropped, "JPEG", OG_JPEG))


@functools.lru_cache(maxsize=8)
def neutral_card(colour: tuple[int, int, int]) -> Encoded:
    """The preview of a private page: the site's colour and nothing else, so a link pasted
    into a chat shows no photo of the client's event and no name. Made once per colour and
    process: a preview's every save asked for it (17 ms of encoding)."""
    from PIL import Image

    top = Image.new("RGB", OG_SIZE, colour)
    shade = Image.linear_gradient("L").resize(OG_SIZE)
    card = Image.composite(Image.new("RGB", OG_SIZE, tuple(c // 2 for c in colour)), top, shade)
    return Encoded(*OG_SIZE, "jpg", save(card, "JPEG", OG_JPEG))


def save(image: Image.Image, kind: str, options: Mapping[str, object]) -> bytes:
    """Encoded bytes with nothing but pixels: no EXIF, XMP, ICC or comment is passed on."""
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def parse_focus(text: str) -> tuple[float, float] | None:
    """'50% 20%' -> (0.5, 0.2); None when it is not two percentages from 0 to 100."""
    found = re.fullmatch(r"\s*(\d{1,3}(?:\.\d+)?)%\s+(\d{1,3}(?:\.\d+)?)%\s*", text)
    if not found:
        return None
    x, y = float(found.group(1)), float(found.group(2))
    return (x / 100, y / 100) if x <= 100 and y <= 100 else None
