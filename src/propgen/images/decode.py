"""Reading a photo once, safely: the size is checked from the header before any pixel is
decoded (a decompression bomb never reaches memory), the camera's EXIF orientation is
applied, colours are converted to sRGB, and the pixels are copied into a fresh image, so
nothing the camera wrote (EXIF, GPS, XMP, IPTC, maker notes, ICC) can follow them into a
published file. A file that cannot be read is a `Trouble`, a value the build reports at
the content line that shows the photo: never a traceback. Pillow is imported by the
functions that open a file, so a site without photos never loads it.
"""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

# Above this many pixels a file is refused unread: Pillow's own decompression-bomb limit (2 x 89.5 MP).
BOMB_PIXELS = 2 * 89_478_485
# Above this a photo is processed, with a warning: the site never shows more than 2400 px of it.
LARGE_PIXELS = 60_000_000
READABLE = {"JPEG", "PNG", "WEBP", "TIFF", "BMP", "MPO"}  # what the pipeline re-encodes; GIF and SVG pass through

# Orientation tag values 5-8 swap width and height.
_SWAPS = {5, 6, 7, 8}
ORIENTATION = 0x0112


@dataclass(frozen=True)
class Trouble:
    """Why a file could not be used: one error (or warning) line at the content that shows it."""

    message: str
    hint: str
    warning: bool = False


@dataclass(frozen=True)
class Header:
    """What the header says, read without decoding pixels: the size as it is shown (after orientation)."""

    format: str
    width: int
    height: int


def read_header(path: Path, shown: str) -> Header | Trouble:
    """The format and upright size of an image file, or why it cannot be used."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                swap = image.getexif().get(ORIENTATION) in _SWAPS if image.format in ("JPEG", "MPO", "WEBP", "TIFF", "PNG") else False
                kind = image.format or "?"
    except Image.DecompressionBombError:
        return bomb(shown)
    except UnidentifiedImageError:
        return Trouble(
            f"'{shown}' is not an image propgen can read (damaged, or a format such as HEIC or RAW)",
            "export it as JPEG (photos) or PNG (drawings, transparency) and use that file",
        )
    except (OSError, ValueError, SyntaxError) as exc:
        return Trouble(f"'{shown}' cannot be read: {exc}", "export the file again from your photo editor")
    if width * height > BOMB_PIXELS:
        return bomb(shown)
    return Header(kind, height if swap else width, width if swap else height)


def bomb(shown: str) -> Trouble:
    return Trouble(
        f"'{shown}' claims more than {BOMB_PIXELS // 1_000_000} megapixels: refused unread, as a decompression bomb would be",
        "export it at a normal size (a 24-megapixel JPEG is plenty: the site shows at most 2400 pixels of it)",
    )


def large_warning(header: Header, shown: str) -> Trouble | None:
    pixels = header.width * header.height
    if pixels <= LARGE_PIXELS:
        return None
    return Trouble(
        f"'{shown}' is {pixels / 1_000_000:.0f} megapixels ({header.width}x{header.height}): it slows every clean build",
        "export it at 24 megapixels or less; the site shows at most 2400 pixels of it",
        warning=True,
    )


def decode(path: Path, shown: str, widest: int) -> Image.Image | Trouble:
    """The picture upright, in sRGB, as a fresh RGB or RGBA image carrying no metadata.
    A JPEG is decoded at the smallest scale that still gives `widest` pixels across."""
    from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.width * image.height > BOMB_PIXELS:
                    return bomb(shown)
                if image.format not in READABLE:
                    return Trouble(
                        f"'{shown}' is a {image.format} file, which propgen does not publish as a photo",
                        "export it as JPEG (photos) or PNG (drawings, transparency)",
                    )
                orientation = image.getexif().get(ORIENTATION, 1)
                if image.format in ("JPEG", "MPO"):
                    across = image.height if orientation in _SWAPS else image.width
                    scale = min(1.0, widest / across)
                    image.draft(image.mode, (math.ceil(image.width * scale), math.ceil(image.height * scale)))
                image.load()
                upright = ImageOps.exif_transpose(image) or image
                return _clean(_to_srgb(upright))
    except Image.DecompressionBombError:
        return bomb(shown)
    except UnidentifiedImageError:
        return Trouble(
            f"'{shown}' is not an image propgen can read (damaged, or a format such as HEIC or RAW)",
            "export it as JPEG (photos) or PNG (drawings, transparency) and use that file",
        )
    except (OSError, ValueError, SyntaxError, ImageCms.PyCMSError) as exc:
        reason = "it is truncated (the file was cut off while copying?)" if "truncated" in str(exc) else f"it is damaged ({exc})"
        return Trouble(f"'{shown}' cannot be decoded: {reason}", "copy or export the file again")


def _to_srgb(image: Image.Image) -> Image.Image:
    """Colours as a browser shows untagged files: an embedded profile (Adobe RGB, Display P3,
    a printer's CMYK) is converted to sRGB rather than dropped, so skin tones stay right."""
    from PIL import ImageCms

    alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    target = "RGBA" if alpha else "RGB"
    icc = image.info.get("icc_profile")
    if icc:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        base = image.convert("RGBA" if alpha else ("CMYK" if image.mode == "CMYK" else "RGB"))
        converted = ImageCms.profileToProfile(base, source, ImageCms.createProfile("sRGB"), outputMode=target)
        if converted is not None:
            return converted
    return image.convert(target) if image.mode != target else image


def _clean(image: Image.Image) -> Image.Image:
    """The same pixels in a new image: its `info` and EXIF are empty by construction."""
    from PIL import Image

    return Image.frombytes(image.mode, image.size, image.tobytes())
