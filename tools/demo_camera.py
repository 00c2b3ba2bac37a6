"""The demo's photos as a camera writes them, so the demo itself exercises propgen's photo pipeline.

make_demo_images.py draws each scene at 1200x800; here it becomes the file a photographer
hands over: 24 megapixels (6000x4000, or 4000x6000 for a portrait), EXIF with the camera's
name, the time and the GPS position of the venue (a private party at a client's home would
carry their address), and for some photos the camera's habit of storing the sensor's pixels
sideways with an Orientation tag (6 or 8): only a program that applies EXIF shows them upright.

Every photo carries the photographer's mark, a small gold square, in the top-left corner of
the upright picture: tests/e2e/test_images.py finds it there in the published renditions,
which proves the orientation was applied (and applied the right way round).

Quality 74 keeps the 43 camera files near 15 MB in the repository; a camera would write 92-95,
which changes nothing propgen does with them but would make the repository five times larger.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw

LANDSCAPE = (6000, 4000)
PORTRAIT = (4000, 6000)
CAMERA_JPEG = {"quality": 74, "optimize": True, "progressive": True}
MARK = (224, 164, 88)  # the photographer's mark: gold, top-left of the upright picture
MARK_BOX = (0.02, 0.06)  # from 2% to 6% of the picture's width, across and down from the top-left corner
ORIENTATION, MAKE, MODEL, DATETIME, GPS = 0x0112, 0x010F, 0x0110, 0x0132, 0x8825

# Where each event took place (degrees; south and east positive as written: S, E; north for Medan and KL).
VENUES: dict[str, tuple[float, float]] = {
    "oncology-research-forum": (-6.2146, 106.8010),
    "ubud-rice-terrace-wedding": (-8.4312, 115.2789),
    "nusa-dua-beach-wedding": (-8.8006, 115.2304),
    "bandung-sundanese-wedding": (-6.8168, 107.6183),
    "asean-payments-summit": (1.2644, 103.8200),
    "medan-nursing-congress": (3.5952, 98.6722),
    "surabaya-sales-kickoff": (-7.2625, 112.7389),
    "kl-leadership-offsite": (3.1466, 101.6638),
    "yogyakarta-board-retreat": (-7.7520, 110.4915),
    "childrens-hospital-gala": (-6.2441, 106.7991),
    "makassar-maritime-gala": (-5.1436, 119.4075),
    "surabaya-bank-anniversary-gala": (-7.2386, 112.7372),
    "kemang-sixtieth-birthday": (-6.2615, 106.8136),  # a family's garden: exactly what must never be published
    "seminyak-alumni-reunion": (-8.6905, 115.1571),
}


@dataclass(frozen=True)
class Shot:
    """How a photo was taken: `portrait` (upright it is 4000x6000) and the EXIF orientation the
    camera stored it with (6: turn 90 degrees clockwise to show; 8: counter-clockwise)."""

    portrait: bool = False
    orientation: int = 1


# The photos that are not plain landscape files; every other one is 6000x4000, orientation 1.
SHOTS: dict[str, Shot] = {
    "images/ubud-rice-terrace-wedding/first-dance.jpg": Shot(portrait=True, orientation=6),
    "images/bandung-sundanese-wedding/pelaminan.jpg": Shot(portrait=True, orientation=8),
    "images/kemang-sixtieth-birthday/garden-stage.jpg": Shot(portrait=True, orientation=6),
    "images/nusa-dua-beach-wedding/sangeet-night.jpg": Shot(portrait=True),  # exported upright by an editor
    "images/asean-payments-summit/skyline-reception.jpg": Shot(orientation=8),  # landscape, stored sideways
}

# Stored pixels from upright ones: the inverse of what EXIF orientation asks a viewer to do.
_STORE = {1: None, 6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270}


def camera_size(scene: Image.Image, shot: Shot) -> Image.Image:
    """The upright picture at camera size: the scene enlarged, a portrait cut from its middle."""
    w, h = scene.size
    if shot.portrait:
        across = round(h * PORTRAIT[0] / PORTRAIT[1])
        box = ((w - across) / 2, 0, (w + across) / 2, h)
        upright = scene.resize(PORTRAIT, Image.Resampling.BICUBIC, box=box)
    else:
        upright = scene.resize(LANDSCAPE, Image.Resampling.BICUBIC)
    mark(upright)
    return upright


def mark(picture: Image.Image) -> None:
    """The photographer's mark in the top-left corner: a gold rounded square with a teal ring."""
    w = picture.width
    left, right = round(MARK_BOX[0] * w), round(MARK_BOX[1] * w)
    side = right - left
    draw = ImageDraw.Draw(picture)
    draw.rounded_rectangle((left, left, right, right), radius=side // 6, fill=MARK)
    inset = side // 8
    draw.rounded_rectangle(
        (left + inset, left + inset, right - inset, right - inset), radius=side // 8, outline=(15, 76, 92), width=side // 16
    )


def dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 2)
    return (float(degrees), float(minutes), seconds)


def camera_file(upright: Image.Image, shot: Shot, venue: tuple[float, float], taken: str) -> bytes:
    """The JPEG a camera writes: pixels stored as the sensor saw them, EXIF with orientation,
    maker, time and the GPS position of the venue."""
    transpose = _STORE[shot.orientation]
    stored = upright.transpose(transpose) if transpose is not None else upright
    exif = Image.Exif()
    exif[ORIENTATION] = shot.orientation
    exif[MAKE] = "Demo Camera Co."
    exif[MODEL] = "DC-24"
    exif[DATETIME] = taken
    lat, lon = venue
    exif[GPS] = {1: "S" if lat < 0 else "N", 2: dms(lat), 3: "E" if lon >= 0 else "W", 4: dms(lon)}
    out = io.BytesIO()
    stored.save(out, "JPEG", exif=exif.tobytes(), **CAMERA_JPEG)
    return out.getvalue()
