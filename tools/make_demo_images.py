"""Generate the demo site's placeholder photographs.

Every image referenced by a gallery in content/events/ is drawn here from soft
gradients and layered shapes that evoke its scene: a ballroom with warm light
orbs, a stage with a screen and rows of seats, a beach at sunset, a garden with
lanterns.  There is no text in any image.  Each scene is drawn at 1200x800 and
written as a camera would write it (tools/demo_camera.py): 24 megapixels, EXIF
orientation (some stored sideways), camera, time and the venue's GPS position.
The output is deterministic: each picture has its own random seed derived from
its path, so a re-run produces the same bytes.

Usage (from the repository root, Pillow installed):

    python tools/make_demo_images.py            # writes into ./static
    python tools/make_demo_images.py path/to/site
"""

from __future__ import annotations

import itertools
import math
import random
import re
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

from demo_camera import SHOTS, VENUES, Shot, camera_file, camera_size
from PIL import Image, ImageDraw, ImageFilter

W, H = 1200, 800
JPEG = {"quality": 78, "optimize": True, "progressive": True}

Color = tuple[int, int, int]
Palette = dict[str, Color]


# --------------------------------------------------------------------------
# Small drawing helpers
# --------------------------------------------------------------------------


def hexc(value: str) -> Color:
    value = value.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def mix(a: Color, b: Color, t: float) -> Color:
    t = max(0.0, min(1.0, t))
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def rgba(c: Color, alpha: int) -> tuple[int, int, int, int]:
    return (c[0], c[1], c[2], max(0, min(255, alpha)))


def vgradient(stops: list[tuple[float, Color]], size: tuple[int, int] = (W, H)) -> Image.Image:
    """A vertical gradient through (position 0..1, colour) stops."""
    w, h = size
    column = Image.new("RGBA", (1, h))
    px = column.load()
    for y in range(h):
        t = y / max(1, h - 1)
        for (p0, c0), (p1, c1) in itertools.pairwise(stops):
            if p0 <= t <= p1:
                px[0, y] = rgba(mix(c0, c1, (t - p0) / max(1e-6, p1 - p0)), 255)
                break
        else:
            px[0, y] = rgba(stops[-1][1] if t > stops[-1][0] else stops[0][1], 255)
    return column.resize((w, h), Image.Resampling.BILINEAR)


class Canvas:
    """An RGBA picture built from layers; each layer may be blurred."""

    def __init__(self, background: Image.Image) -> None:
        self.img = background.convert("RGBA")
        self.size = self.img.size

    def layer(self, paint: Callable[[ImageDraw.ImageDraw], None], blur: float = 0) -> None:
        lay = Image.new("RGBA", self.size, (0, 0, 0, 0))
        paint(ImageDraw.Draw(lay))
        if blur:
            lay = lay.convert("RGBa").filter(ImageFilter.GaussianBlur(blur)).convert("RGBA")
        self.img.alpha_composite(lay)

    def glow(self, x: float, y: float, r: float, color: Color, alpha: int = 200, blur: float | None = None) -> None:
        self.layer(
            lambda d: d.ellipse((x - r, y - r, x + r, y + r), fill=rgba(color, alpha)),
            blur=r * 0.6 if blur is None else blur,
        )

    def orbs(
        self,
        rng: random.Random,
        n: int,
        box: tuple[float, float, float, float],
        rmin: float,
        rmax: float,
        colors: list[Color],
        alpha: tuple[int, int] = (60, 150),
        blur: float = 6,
    ) -> None:
        """Bokeh: many soft discs of light in a box."""

        def paint(d: ImageDraw.ImageDraw) -> None:
            for _ in range(n):
                x = rng.uniform(box[0], box[2])
                y = rng.uniform(box[1], box[3])
                r = rng.uniform(rmin, rmax)
                c = rng.choice(colors)
                d.ellipse((x - r, y - r, x + r, y + r), fill=rgba(c, rng.randint(*alpha)))

        self.layer(paint, blur=blur)

    def vignette(self, strength: int = 150, color: Color = (0, 0, 0)) -> None:
        mask = Image.radial_gradient("L").resize(self.size, Image.Resampling.BILINEAR)
        mask = mask.point(lambda v: int(max(0, v - 90) * strength / 165))
        shade = Image.new("RGBA", self.size, rgba(color, 255))
        shade.putalpha(mask)
        self.img.alpha_composite(shade)

    def finish(self, soften: float = 0.6) -> Image.Image:
        out = self.img.convert("RGB")
        if soften:
            out = out.filter(ImageFilter.GaussianBlur(soften))
        return out


def person(d: ImageDraw.ImageDraw, x: float, feet: float, h: float, color: tuple[int, ...], arms_up: bool = False) -> None:
    """A standing silhouette whose feet are at `feet` and height `h`."""
    head = h * 0.13
    top = feet - h
    d.ellipse((x - head * 0.5, top, x + head * 0.5, top + head), fill=color)
    sh = h * 0.13
    body_top = top + head * 1.05
    d.rounded_rectangle((x - sh, body_top, x + sh, feet - h * 0.42), radius=sh * 0.6, fill=color)
    d.polygon(
        [(x - sh * 0.9, feet - h * 0.5), (x + sh * 0.9, feet - h * 0.5), (x + sh * 0.55, feet), (x - sh * 0.55, feet)],
        fill=color,
    )
    if arms_up:
        w = max(2, int(h * 0.05))
        d.line((x - sh * 0.8, body_top + h * 0.05, x - sh * 1.9, top - h * 0.05), fill=color, width=w)
        d.line((x + sh * 0.8, body_top + h * 0.05, x + sh * 1.7, top - h * 0.02), fill=color, width=w)


def seated(d: ImageDraw.ImageDraw, x: float, y: float, s: float, color: tuple[int, ...]) -> None:
    """Head and shoulders seen from behind: y is the top of the head, s the scale."""
    d.ellipse((x - s * 0.45, y, x + s * 0.45, y + s), fill=color)
    d.rounded_rectangle((x - s * 1.05, y + s * 0.85, x + s * 1.05, y + s * 2.6), radius=s * 0.7, fill=color)


def round_table(d: ImageDraw.ImageDraw, x: float, y: float, w: float, cloth: Color, shade: Color, centre: Color | None) -> None:
    """A banquet round with a floor-length cloth; (x, y) is the centre of the top."""
    h = w * 0.28
    skirt = w * 0.42
    chair = rgba(mix(shade, (0, 0, 0), 0.35), 255)
    seats = [(math.cos(a) * w * 0.56, math.sin(a) * h * 0.75) for a in (i / 10 * math.tau + 0.3 for i in range(10))]
    for sx, sy in seats:
        if sy < 0:
            d.rounded_rectangle((x + sx - w * 0.06, y + sy - w * 0.2, x + sx + w * 0.06, y + sy + w * 0.1), radius=w * 0.03, fill=chair)
    d.rectangle((x - w / 2, y, x + w / 2, y + skirt), fill=rgba(shade, 255))
    d.ellipse((x - w / 2, y + skirt - h / 2, x + w / 2, y + skirt + h / 2), fill=rgba(shade, 255))
    d.ellipse((x - w / 2, y - h / 2, x + w / 2, y + h / 2), fill=rgba(cloth, 255))
    for sx, sy in seats:
        if sy >= 0:
            d.rounded_rectangle((x + sx - w * 0.06, y + sy + w * 0.05, x + sx + w * 0.06, y + sy + w * 0.45), radius=w * 0.03, fill=chair)
    if centre is not None:
        d.line((x, y, x, y - w * 0.45), fill=rgba(mix(cloth, shade, 0.5), 230), width=max(1, int(w * 0.02)))
        r = w * 0.12
        cy = y - w * 0.5
        for dx, dy, k in ((-0.9, 0.2, 0.8), (0.9, 0.25, 0.8), (0, -0.35, 0.9), (-0.4, 0.4, 0.7), (0.45, 0.45, 0.7), (0, 0.1, 1.0)):
            rr = r * k
            d.ellipse(
                (x + dx * r - rr, cy + dy * r - rr, x + dx * r + rr, cy + dy * r + rr), fill=rgba(mix(centre, cloth, 0.15 * (1 + dx)), 240)
            )


def catenary(x0: float, y0: float, x1: float, y1: float, sag: float, n: int) -> list[tuple[float, float]]:
    pts = []
    for i in range(n + 1):
        t = i / n
        pts.append((x0 + (x1 - x0) * t, y0 + (y1 - y0) * t + sag * 4 * t * (1 - t)))
    return pts


def festoon(c: Canvas, rng: random.Random, lines: int, y: tuple[float, float], bulb: Color, wire: Color, sag: float = 80) -> None:
    """Strings of small bulbs hung across the frame."""
    strings = []
    for _ in range(lines):
        y0 = rng.uniform(*y)
        y1 = rng.uniform(*y)
        strings.append(catenary(-40, y0, W + 40, y1, rng.uniform(sag * 0.6, sag * 1.4), 26))

    def wires(d: ImageDraw.ImageDraw) -> None:
        for pts in strings:
            d.line(pts, fill=rgba(wire, 200), width=2)

    def bulbs(d: ImageDraw.ImageDraw, r: float, alpha: int) -> None:
        for pts in strings:
            for x, yy in pts[1:-1]:
                d.ellipse((x - r, yy - r + 6, x + r, yy + r + 6), fill=rgba(bulb, alpha))

    c.layer(wires, blur=0.8)
    c.layer(lambda d: bulbs(d, 16, 90), blur=10)
    c.layer(lambda d: bulbs(d, 5, 255), blur=1.2)


def lanterns(c: Canvas, rng: random.Random, strings: int, y: tuple[float, float], colors: list[Color], size: float = 18) -> None:
    """Paper lanterns hung along sagging strings."""
    rows = []
    for _ in range(strings):
        pts = catenary(-60, rng.uniform(*y), W + 60, rng.uniform(*y), rng.uniform(40, 120), 14)
        rows.append([(x + rng.uniform(-10, 10), yy, rng.choice(colors), size * rng.uniform(0.7, 1.3)) for x, yy in pts[1:-1]])

    def halo(d: ImageDraw.ImageDraw) -> None:
        for row in rows:
            for x, yy, col, s in row:
                d.ellipse((x - s * 2.2, yy - s * 1.6, x + s * 2.2, yy + s * 3.2), fill=rgba(col, 80))

    def body(d: ImageDraw.ImageDraw) -> None:
        for row in rows:
            d.line([(x, yy - s * 0.2) for x, yy, _, s in row], fill=(30, 20, 20, 110), width=2)
            for x, yy, col, s in row:
                d.ellipse((x - s, yy, x + s, yy + s * 1.5), fill=rgba(mix(col, (255, 250, 230), 0.35), 250))

    c.layer(halo, blur=16)
    c.layer(body, blur=1.5)


def treeline(c: Canvas, rng: random.Random, color: Color, base: float, height: float, blur: float = 2, alpha: int = 255) -> None:
    """Canopies of dark foliage along the top or sides of the frame."""

    def paint(d: ImageDraw.ImageDraw) -> None:
        x = -80.0
        while x < W + 80:
            r = rng.uniform(height * 0.35, height * 0.7)
            cy = base + rng.uniform(-height * 0.3, height * 0.3)
            d.ellipse((x - r, cy - r, x + r, cy + r), fill=rgba(color, alpha))
            x += r * rng.uniform(0.8, 1.3)

    c.layer(paint, blur=blur)


# --------------------------------------------------------------------------
# Scenes
# --------------------------------------------------------------------------


def room(p: Palette, horizon: float = 0.45) -> Canvas:
    return Canvas(
        vgradient(
            [
                (0.0, mix(p["dark"], p["bg1"], 0.5)),
                (horizon * 0.7, p["bg1"]),
                (horizon, p["bg2"]),
                (horizon + 0.01, mix(p["bg2"], p["dark"], 0.35)),
                (1.0, mix(p["bg3"], p["dark"], 0.4)),
            ]
        )
    )


def ballroom(p: Palette, rng: random.Random, chandeliers: bool = True, toast: bool = False) -> Image.Image:
    c = room(p, 0.42)
    if chandeliers:
        for x in (W * 0.22, W * 0.5, W * 0.78):
            c.glow(x, H * 0.12, 120, p["light"], 120, blur=60)
            c.orbs(rng, 40, (x - 90, H * 0.05, x + 90, H * 0.22), 3, 9, [p["light"], (255, 250, 235)], (150, 240), blur=1.5)
    c.orbs(rng, 70, (0, 0, W, H * 0.45), 10, 45, [p["light"], p["accent"], p["pale"]], (40, 110), blur=12)
    c.glow(W * 0.5, H * 0.5, 420, p["light"], 60, blur=120)
    rows = [(0.46, 0.2), (0.54, 0.29), (0.66, 0.42), (0.84, 0.62)]
    for y, scale in rows:
        n = max(2, int(1.0 / scale * 1.5))
        spacing = W / n
        offset = rng.uniform(0, spacing)

        def paint(
            d: ImageDraw.ImageDraw, y: float = y, scale: float = scale, n: int = n, spacing: float = spacing, offset: float = offset
        ) -> None:
            for i in range(-1, n + 1):
                x = offset + i * spacing
                wt = 360 * scale
                round_table(d, x, H * y, wt, p["pale"], mix(p["pale"], p["bg3"], 0.35), rng.choice([p["accent"], p["accent2"], p["light"]]))
                for k in range(3):
                    cx = x + (k - 1) * wt * 0.2
                    d.ellipse(
                        (cx - 4 * scale * 3, H * y - 6 * scale * 3, cx + 4 * scale * 3, H * y + 2 * scale * 3), fill=rgba(p["light"], 230)
                    )

        c.layer(paint, blur=1.2 if scale > 0.3 else 2.0)
    if toast:

        def raise_glasses(d: ImageDraw.ImageDraw) -> None:
            for i in range(9):
                x = W * (0.08 + i * 0.11) + rng.uniform(-20, 20)
                y = H * 0.86 + rng.uniform(-20, 30)
                col = rgba(mix(p["dark"], (0, 0, 0), 0.4), 255)
                seated(d, x, y, 48, col)
                d.line((x + 40, y + 110, x + 70, y - 10), fill=col, width=12)
                d.line((x + 71, y - 10, x + 71, y - 34), fill=rgba(p["pale"], 210), width=3)
                d.polygon([(x + 62, y - 70), (x + 80, y - 70), (x + 76, y - 34), (x + 66, y - 34)], fill=rgba(p["light"], 190))

        c.layer(raise_glasses, blur=1.5)
    c.vignette(170)
    return c.finish()


def stage(p: Palette, rng: random.Random, variant: str = "screen") -> Image.Image:
    if variant == "outdoor":
        c = Canvas(vgradient([(0, p["dark"]), (0.45, p["bg1"]), (0.55, p["bg2"]), (1, mix(p["bg3"], p["dark"], 0.6))]))
        c.orbs(rng, 60, (0, H * 0.4, W, H * 0.5), 2, 6, [p["light"], p["pale"]], (120, 220), blur=1.5)
        c.layer(lambda d: d.rectangle((0, H * 0.5, W, H * 0.56), fill=rgba(mix(p["bg2"], p["light"], 0.2), 160)), blur=4)
    else:
        c = room(p, 0.6)
    cx = W * 0.5
    top, bottom = H * 0.16, H * 0.5
    if variant == "arches":

        def arches(d: ImageDraw.ImageDraw) -> None:
            for i in range(5):
                x = W * (0.14 + i * 0.18)
                d.rounded_rectangle((x - 55, H * 0.08, x + 55, H * 0.5), radius=55, fill=rgba(p["pale"], 150))

        c.layer(arches, blur=6)
        c.orbs(rng, 40, (0, H * 0.02, W, H * 0.18), 4, 10, [p["light"]], (150, 230), blur=2)
    elif variant in ("screen", "outdoor"):
        sw = W * (0.62 if variant == "screen" else 0.5)
        screen = vgradient([(0, p["accent"]), (0.6, p["accent2"]), (1, mix(p["accent2"], p["dark"], 0.4))], (int(sw), int(bottom - top)))
        c.glow(cx, (top + bottom) / 2, sw * 0.55, p["accent"], 90, blur=70)
        c.img.alpha_composite(screen, (int(cx - sw / 2), int(top)))
        c.orbs(rng, 7, (cx - sw * 0.4, top + 20, cx + sw * 0.4, bottom - 20), 25, 70, [p["pale"], p["light"]], (40, 90), blur=18)
    # stage platform and light beams
    c.layer(
        lambda d: d.polygon(
            [(W * 0.08, H * 0.6), (W * 0.92, H * 0.6), (W * 0.98, H * 0.66), (W * 0.02, H * 0.66)],
            fill=rgba(mix(p["dark"], p["bg2"], 0.3), 255),
        ),
        blur=1,
    )
    c.layer(lambda d: d.rectangle((W * 0.02, H * 0.594, W * 0.98, H * 0.604), fill=rgba(p["light"], 160)), blur=3)

    def beams(d: ImageDraw.ImageDraw) -> None:
        for i in range(6):
            x = W * (0.1 + i * 0.16)
            tx = x + rng.uniform(-140, 140)
            d.polygon([(x - 6, 0), (x + 6, 0), (tx + 90, H * 0.6), (tx - 90, H * 0.6)], fill=rgba(p["light"], 36))

    c.layer(beams, blur=18)
    if variant == "arches":

        def musicians(d: ImageDraw.ImageDraw) -> None:
            for i in range(11):
                x = W * (0.12 + i * 0.076)
                col = rgba(mix(p["dark"], (0, 0, 0), 0.3), 255)
                person(d, x, H * 0.6, rng.uniform(95, 115), col)
                d.line((x + 18, H * 0.52, x + 18, H * 0.6), fill=col, width=3)
                d.rectangle((x + 6, H * 0.5, x + 32, H * 0.52), fill=rgba(p["pale"], 200))

        c.layer(musicians, blur=1.2)
    else:

        def lectern(d: ImageDraw.ImageDraw) -> None:
            col = rgba(mix(p["dark"], (0, 0, 0), 0.3), 255)
            lx = W * 0.78
            d.polygon([(lx - 30, H * 0.5), (lx + 30, H * 0.5), (lx + 24, H * 0.6), (lx - 24, H * 0.6)], fill=col)
            person(d, W * 0.3, H * 0.6, 130, col)

        c.layer(lectern, blur=1)
    # audience
    for r, (y, s) in enumerate([(0.66, 11), (0.7, 13), (0.745, 16), (0.8, 20), (0.865, 25), (0.94, 31)]):

        def row(d: ImageDraw.ImageDraw, y: float = y, s: float = s, r: int = r) -> None:
            step = s * 2.6
            x = rng.uniform(-step, 0)
            col = rgba(mix(p["dark"], (0, 0, 0), 0.15 + r * 0.1), 255)
            while x < W + step:
                if rng.random() > 0.06:
                    seated(d, x + rng.uniform(-3, 3), H * y + rng.uniform(-3, 3), s, col)
                x += step

        c.layer(row, blur=0.8 + r * 0.25)
    c.vignette(180)
    return c.finish()


def beach(p: Palette, rng: random.Random, mandap: bool = False, party: bool = False) -> Image.Image:
    horizon = H * 0.55
    c = Canvas(
        vgradient(
            [
                (0, p["bg1"]),
                (0.35, p["bg2"]),
                (0.55, p["light"]),
                (0.551, mix(p["bg3"], p["light"], 0.3)),
                (0.72, p["bg3"]),
                (0.73, p["pale"]),
                (1, mix(p["pale"], p["dark"], 0.3)),
            ]
        )
    )
    sx = W * rng.uniform(0.35, 0.65)
    c.glow(sx, horizon - 20, 260, p["light"], 110, blur=90)
    c.glow(sx, horizon - 18, 46, (255, 236, 200), 255, blur=3)

    def clouds(d: ImageDraw.ImageDraw) -> None:
        for _ in range(9):
            x, y = rng.uniform(0, W), rng.uniform(H * 0.08, H * 0.4)
            d.ellipse((x - 200, y - 14, x + 200, y + 14), fill=rgba(p["accent"], 70))

    c.layer(clouds, blur=14)
    c.layer(lambda d: d.rectangle((0, horizon, W, H * 0.73), fill=rgba(p["bg3"], 60)))

    def reflection(d: ImageDraw.ImageDraw) -> None:
        for i in range(40):
            y = horizon + 4 + i * 5
            w = rng.uniform(30, 160) * (1 + i * 0.04)
            d.line((sx - w, y, sx + w, y), fill=rgba(p["light"], 150 - i * 3), width=2)
        for _ in range(60):
            y = rng.uniform(horizon + 5, H * 0.72)
            x = rng.uniform(0, W)
            d.line((x, y, x + rng.uniform(20, 90), y), fill=rgba(p["pale"], 60), width=1)

    c.layer(reflection, blur=1.5)
    c.layer(
        lambda d: d.polygon(
            [*catenary(-20, H * 0.73, W + 20, H * 0.74, -10, 20), (W + 20, H * 0.76), (-20, H * 0.76)], fill=rgba((255, 255, 255), 110)
        ),
        blur=5,
    )
    dark = rgba(mix(p["dark"], (0, 0, 0), 0.3), 255)
    if mandap:

        def structure(d: ImageDraw.ImageDraw) -> None:
            x0, x1, top, foot = W * 0.36, W * 0.64, H * 0.36, H * 0.82
            for x in (x0, x1, x0 + 40, x1 - 40):
                d.rectangle((x - 7, top, x + 7, foot - (0 if x in (x0, x1) else 40)), fill=dark)
            d.rectangle((x0 - 20, top - 16, x1 + 20, top + 8), fill=dark)

        c.layer(structure, blur=1)

        def flowers(d: ImageDraw.ImageDraw) -> None:
            for _ in range(260):
                t = rng.random()
                x = W * 0.36 - 20 + t * (W * 0.28 + 40)
                y = H * 0.36 - 8 + rng.gauss(0, 10) + 30 * math.sin(t * math.pi) * rng.random()
                r = rng.uniform(4, 9)
                d.ellipse((x - r, y - r, x + r, y + r), fill=rgba(rng.choice([p["accent"], p["accent2"], (250, 190, 60)]), 240))
            for x in (W * 0.36, W * 0.64):
                for _ in range(60):
                    y = rng.uniform(H * 0.38, H * 0.8)
                    r = rng.uniform(3, 8)
                    jx = x + rng.gauss(0, 6)
                    d.ellipse((jx - r, y - r, jx + r, y + r), fill=rgba(rng.choice([p["accent"], (250, 190, 60)]), 230))

        c.layer(flowers, blur=1.2)

        def chairs(d: ImageDraw.ImageDraw) -> None:
            for row in range(3):
                y = H * (0.86 + row * 0.05)
                for side in (-1, 1):
                    for k in range(4):
                        x = W * 0.5 + side * (W * 0.1 + k * 70 * (1 + row * 0.2))
                        d.rectangle((x - 22 - row * 4, y, x + 22 + row * 4, y + 30 + row * 6), fill=rgba(p["pale"], 230))
                        d.rectangle(
                            (x - 22 - row * 4, y + 30 + row * 6, x + 22 + row * 4, y + 38 + row * 6),
                            fill=rgba(mix(p["pale"], p["dark"], 0.4), 230),
                        )

        c.layer(chairs, blur=1)
    if party:

        def crowd(d: ImageDraw.ImageDraw) -> None:
            for _ in range(26):
                x = rng.uniform(-20, W + 20)
                h = rng.uniform(150, 300)
                person(d, x, H * 0.78 + h * 0.35, h, dark, arms_up=rng.random() < 0.45)

        c.layer(crowd, blur=1.5)
    c.vignette(120)
    return c.finish()


def garden(p: Palette, rng: random.Random, table: str = "long", canopy: bool = False) -> Image.Image:
    c = Canvas(vgradient([(0, p["dark"]), (0.35, p["bg1"]), (0.6, p["bg2"]), (1, mix(p["bg3"], p["dark"], 0.5))]))
    treeline(c, rng, mix(p["dark"], (0, 0, 0), 0.3), H * 0.08, 170, blur=3)
    treeline(c, rng, mix(p["bg1"], p["dark"], 0.6), H * 0.42, 110, blur=6, alpha=200)
    c.glow(W * 0.5, H * 0.55, 380, p["light"], 70, blur=110)
    if canopy:
        festoon(c, rng, 6, (H * 0.05, H * 0.28), p["light"], mix(p["dark"], (0, 0, 0), 0.4), sag=50)
    else:
        lanterns(c, rng, 3, (H * 0.1, H * 0.3), [p["light"], p["accent"], p["accent2"]])
    vx, vy = W * 0.5, H * 0.5
    if table == "long":
        cloth = mix(p["pale"], p["light"], 0.2)

        def long_table(d: ImageDraw.ImageDraw) -> None:
            d.polygon([(vx - 30, vy + 20), (vx + 30, vy + 20), (W * 0.8, H * 1.02), (W * 0.2, H * 1.02)], fill=rgba(cloth, 255))
            d.polygon(
                [(W * 0.2, H * 1.02), (vx - 30, vy + 20), (vx - 34, vy + 34), (W * 0.15, H * 1.1)],
                fill=rgba(mix(cloth, p["dark"], 0.45), 255),
            )
            d.polygon(
                [(W * 0.8, H * 1.02), (vx + 30, vy + 20), (vx + 34, vy + 34), (W * 0.85, H * 1.1)],
                fill=rgba(mix(cloth, p["dark"], 0.45), 255),
            )
            for side in (-1, 1):
                for k in range(9):
                    t = (k + 0.5) / 9
                    x = vx + side * (40 + t * (W * 0.34))
                    y = vy + 30 + t * (H * 0.48)
                    s = 6 + t * 34
                    seated(d, x + side * s * 0.9, y - s * 1.4, s, rgba(mix(p["dark"], (0, 0, 0), 0.3), 255))

        c.layer(long_table, blur=1)

        def candles(d: ImageDraw.ImageDraw, r: float, alpha: int) -> None:
            for k in range(12):
                t = (k + 0.5) / 12
                y = vy + 24 + t * (H * 0.48)
                x = vx + rng.uniform(-0.05, 0.05) * t * W
                rr = r * (0.3 + t)
                d.ellipse((x - rr, y - rr * 1.4, x + rr, y + rr * 0.6), fill=rgba(p["light"], alpha))

        c.layer(lambda d: candles(d, 26, 90), blur=14)
        c.layer(lambda d: candles(d, 6, 255), blur=1.5)
    else:
        c.layer(lambda d: d.ellipse((-W * 0.2, H * 0.55, W * 1.2, H * 1.4), fill=rgba(mix(p["bg2"], p["light"], 0.25), 150)), blur=40)

        def guests(d: ImageDraw.ImageDraw) -> None:
            for _ in range(22):
                y = rng.uniform(0.68, 1.08)
                person(
                    d, rng.uniform(-20, W + 20), H * y, 90 + (y - 0.65) * 520, rgba(mix(p["dark"], (0, 0, 0), 0.2 + (y - 0.65) * 0.5), 255)
                )

        c.layer(guests, blur=1.6)
    c.orbs(rng, 40, (0, 0, W, H * 0.5), 3, 10, [p["light"]], (60, 160), blur=3)
    c.vignette(170)
    return c.finish()


def terraces(p: Palette, rng: random.Random, mode: str = "rice", ceremony: bool = False) -> Image.Image:
    c = Canvas(vgradient([(0, p["bg1"]), (0.3, p["bg2"]), (0.5, p["pale"]), (1, p["bg3"])]))
    c.glow(W * 0.72, H * 0.18, 200, p["light"], 120, blur=80)
    layers = 9
    for i in range(layers):
        t = i / (layers - 1)
        base = H * (0.3 + 0.72 * t**1.25)
        col = mix(mix(p["pale"], p["accent"], 0.4), mix(p["accent2"], p["dark"], 0.35), t)
        amp = 20 + 40 * t
        ph = rng.uniform(0, math.tau)
        freq = rng.uniform(1.2, 2.2)

        def band(
            d: ImageDraw.ImageDraw, base: float = base, col: Color = col, amp: float = amp, ph: float = ph, freq: float = freq, t: float = t
        ) -> None:
            pts = [(x, base + amp * math.sin(ph + freq * x / W * math.tau)) for x in range(-20, W + 41, 20)]
            d.polygon([*pts, (W + 40, H + 40), (-20, H + 40)], fill=rgba(col, 255))
            if mode == "rice":
                d.line(
                    [(x, y + 3) for x, y in pts], fill=rgba(mix(p["pale"], p["light"], 0.5), int(90 + 80 * t)), width=max(1, int(1 + 3 * t))
                )
            else:
                r = 6 + 26 * t
                for x, y in pts[::1]:
                    for k in range(2):
                        xx = x + rng.uniform(-10, 10)
                        d.ellipse(
                            (xx - r * 1.3, y - r * 0.9 + k * r * 0.3, xx + r * 1.3, y + r * 0.7),
                            fill=rgba(mix(col, p["light"], 0.12 + 0.1 * k), 255),
                        )

        c.layer(band, blur=2.5 - 1.8 * t)
        if mode == "tea" and i in (2, 5):
            c.layer(lambda d, base=base: d.rectangle((0, base - 50, W, base + 40), fill=(255, 255, 255, 90)), blur=30)
    if mode == "rice":
        treeline(c, rng, mix(p["dark"], p["accent2"], 0.3), H * 0.32, 60, blur=3)
    if ceremony:

        def arch(d: ImageDraw.ImageDraw) -> None:
            col = rgba(mix(p["dark"], (0, 0, 0), 0.2), 255)
            d.rectangle((W * 0.4 - 6, H * 0.42, W * 0.4 + 6, H * 0.8), fill=col)
            d.rectangle((W * 0.6 - 6, H * 0.42, W * 0.6 + 6, H * 0.8), fill=col)
            for _ in range(200):
                a = rng.uniform(math.pi, math.tau)
                x = W * 0.5 + math.cos(a) * W * 0.1 + rng.gauss(0, 8)
                y = H * 0.44 + math.sin(a) * H * 0.1 + rng.gauss(0, 8)
                r = rng.uniform(4, 10)
                d.ellipse((x - r, y - r, x + r, y + r), fill=rgba(rng.choice([(255, 255, 250), p["light"], (240, 200, 210)]), 240))
            for row in range(4):
                y = H * (0.82 + row * 0.045)
                for side in (-1, 1):
                    for k in range(5):
                        x = W * 0.5 + side * (W * 0.06 + k * (48 + row * 8))
                        s = 16 + row * 3
                        d.rectangle((x - s, y, x + s, y + s * 1.3), fill=(250, 248, 240, 235))

        c.layer(arch, blur=1)
    c.vignette(90)
    return c.finish()


def expo(p: Palette, rng: random.Random, stalls: bool = False) -> Image.Image:
    if stalls:
        c = Canvas(vgradient([(0, p["dark"]), (0.5, p["bg1"]), (0.62, p["bg2"]), (1, mix(p["bg3"], p["dark"], 0.5))]))
        treeline(c, rng, mix(p["dark"], (0, 0, 0), 0.3), H * 0.1, 150, blur=4)
    else:
        c = room(p, 0.58)

        def ceiling(d: ImageDraw.ImageDraw) -> None:
            for j in range(5):
                y = H * (0.04 + j * 0.06)
                for i in range(14):
                    x = W * (i / 13) + (i - 6.5) * j * 8
                    d.ellipse((x - 8 - j, y - 3, x + 8 + j, y + 3), fill=rgba(p["pale"], 220))

        c.layer(ceiling, blur=2)
    c.glow(W * 0.5, H * 0.45, 500, p["light"], 60, blur=120)
    n = 7
    for i in range(n):
        t = i / (n - 1)
        x = W * (0.04 + 0.92 * t)
        depth = 1 - abs(t - 0.5) * 1.2
        w = 200 - depth * 60
        top = H * (0.3 + depth * 0.07)
        bottom = H * (0.66 - depth * 0.02)
        col = [p["accent"], p["accent2"], p["light"]][i % 3]

        def booth(d: ImageDraw.ImageDraw, x: float = x, w: float = w, top: float = top, bottom: float = bottom, col: Color = col) -> None:
            if stalls:
                d.polygon([(x - w * 0.6, top + 30), (x, top - 30), (x + w * 0.6, top + 30)], fill=rgba(col, 255))
                d.rectangle((x - w * 0.45, top + 30, x + w * 0.45, bottom), fill=rgba(mix(p["pale"], p["light"], 0.3), 220))
                d.rectangle((x - w * 0.5, bottom - 50, x + w * 0.5, bottom), fill=rgba(mix(col, p["dark"], 0.5), 255))
            else:
                d.rectangle((x - w / 2, top, x + w / 2, bottom), fill=rgba(mix(p["pale"], p["bg2"], 0.3), 255))
                d.rectangle((x - w / 2, top, x + w / 2, top + 32), fill=rgba(col, 255))
                d.rectangle((x - w * 0.35, top + 60, x + w * 0.35, top + 130), fill=rgba(mix(col, p["pale"], 0.5), 255))
                d.rectangle((x - w * 0.4, bottom - 60, x + w * 0.4, bottom), fill=rgba(mix(p["pale"], p["dark"], 0.2), 255))

        c.layer(booth, blur=1.5)
    if stalls:
        lanterns(c, rng, 2, (H * 0.12, H * 0.22), [p["light"], p["accent"]], size=14)

        def steam(d: ImageDraw.ImageDraw) -> None:
            for _ in range(12):
                x = rng.uniform(0, W)
                for k in range(6):
                    d.ellipse((x - 20 + k * 4, H * 0.5 - k * 26 - 18, x + 20 + k * 4, H * 0.5 - k * 26 + 18), fill=(255, 255, 255, 22))

        c.layer(steam, blur=12)

    def crowd(d: ImageDraw.ImageDraw) -> None:
        for _ in range(40):
            y = rng.uniform(0.7, 1.05)
            h = 120 + (y - 0.7) * 700
            shade = mix(p["dark"], (0, 0, 0), 0.1 + (y - 0.7))
            person(d, rng.uniform(-20, W + 20), H * y + h * 0.3, h, rgba(shade, 255))

    c.layer(crowd, blur=1.8)
    c.vignette(150)
    return c.finish()


def workshop(p: Palette, rng: random.Random, joglo: bool = False) -> Image.Image:
    if joglo:
        c = Canvas(
            vgradient(
                [
                    (0, mix(p["dark"], (0, 0, 0), 0.4)),
                    (0.3, p["dark"]),
                    (0.32, p["bg2"]),
                    (0.6, p["bg1"]),
                    (0.62, p["bg3"]),
                    (1, mix(p["bg3"], p["dark"], 0.5)),
                ]
            )
        )
        treeline(c, rng, mix(p["accent2"], p["dark"], 0.3), H * 0.5, 90, blur=8, alpha=200)

        def roof(d: ImageDraw.ImageDraw) -> None:
            wood = rgba(p["dark"], 255)
            d.polygon([(0, 0), (W, 0), (W, H * 0.2), (0, H * 0.2)], fill=wood)
            d.polygon(
                [(W * 0.25, H * 0.2), (W * 0.75, H * 0.2), (W * 0.68, H * 0.3), (W * 0.32, H * 0.3)],
                fill=rgba(mix(p["dark"], p["light"], 0.15), 255),
            )
            for k in range(12):
                x = W * (k / 11)
                d.line((x, 0, W * 0.5 + (x - W * 0.5) * 0.5, H * 0.2), fill=rgba(mix(p["dark"], p["light"], 0.25), 255), width=6)
            for x in (W * 0.3, W * 0.7):
                d.rectangle((x - 16, H * 0.28, x + 16, H * 0.8), fill=wood)
            for x in (W * 0.05, W * 0.95):
                d.rectangle((x - 22, H * 0.18, x + 22, H * 0.95), fill=wood)

        c.layer(roof, blur=1.2)
        c.orbs(rng, 8, (W * 0.2, H * 0.2, W * 0.8, H * 0.3), 8, 14, [p["light"]], (160, 230), blur=4)

        def table(d: ImageDraw.ImageDraw) -> None:
            d.polygon(
                [(W * 0.38, H * 0.6), (W * 0.62, H * 0.6), (W * 0.74, H * 0.9), (W * 0.26, H * 0.9)],
                fill=rgba(mix(p["pale"], p["light"], 0.2), 255),
            )
            d.rectangle((W * 0.26, H * 0.9, W * 0.74, H * 0.93), fill=rgba(mix(p["dark"], p["light"], 0.2), 255))
            for side in (-1, 1):
                for k in range(5):
                    t = k / 4
                    x = W * 0.5 + side * (W * 0.13 + t * W * 0.12)
                    y = H * (0.55 + t * 0.28)
                    seated(d, x + side * 20, y, 16 + t * 14, rgba(mix(p["dark"], (0, 0, 0), 0.3), 255))

        c.layer(table, blur=1)
        c.vignette(150)
        return c.finish()
    c = room(p, 0.55)

    def windows(d: ImageDraw.ImageDraw) -> None:
        for i in range(4):
            x = W * (0.08 + i * 0.24)
            d.rectangle((x, H * 0.08, x + W * 0.18, H * 0.48), fill=rgba(p["pale"], 255))
            d.rectangle((x, H * 0.3, x + W * 0.18, H * 0.48), fill=rgba(mix(p["accent2"], p["pale"], 0.45), 255))
            d.line((x + W * 0.09, H * 0.08, x + W * 0.09, H * 0.48), fill=rgba(p["bg2"], 255), width=6)

    c.layer(windows, blur=4)
    c.glow(W * 0.5, H * 0.3, 520, p["pale"], 70, blur=120)

    def easel(d: ImageDraw.ImageDraw) -> None:
        for x in (W * 0.12, W * 0.86):
            d.line((x - 40, H * 0.72, x, H * 0.3), fill=rgba(p["dark"], 255), width=6)
            d.line((x + 40, H * 0.72, x, H * 0.3), fill=rgba(p["dark"], 255), width=6)
            d.rectangle((x - 60, H * 0.3, x + 60, H * 0.52), fill=(250, 250, 246, 255))
            for k in range(4):
                yy = H * 0.34 + k * 28
                d.line((x - 44, yy, x + rng.uniform(0, 44), yy), fill=rgba(rng.choice([p["accent"], p["accent2"]]), 230), width=5)

    c.layer(easel, blur=1.2)
    for y, scale in [(0.6, 0.3), (0.78, 0.48)]:

        def tables(d: ImageDraw.ImageDraw, y: float = y, scale: float = scale) -> None:
            n = 3 if scale > 0.4 else 4
            for i in range(n):
                x = W * ((i + 0.5) / n) + rng.uniform(-30, 30)
                wt = 420 * scale
                col = rgba(mix(p["dark"], (0, 0, 0), 0.2), 255)
                for k in range(-2, 3):
                    seated(d, x + k * wt * 0.22, H * y - wt * 0.28, 22 * scale * 2.2, col)
                round_table(d, x, H * y, wt, p["pale"], mix(p["pale"], p["bg3"], 0.4), None)
                d.rectangle((x - wt * 0.15, H * y - 8, x + wt * 0.05, H * y + 6), fill=rgba(p["accent"], 220))

        c.layer(tables, blur=1.2)
    c.vignette(110)
    return c.finish()


def skyline(p: Palette, rng: random.Random, dinner: bool = False) -> Image.Image:
    c = Canvas(vgradient([(0, p["bg1"]), (0.5, p["bg2"]), (0.62, p["light"]), (0.63, p["dark"]), (1, mix(p["dark"], (0, 0, 0), 0.4))]))
    c.glow(W * 0.5, H * 0.62, 500, p["accent"], 80, blur=120)
    for depth, shade in ((0, 0.25), (1, 0.55)):

        def towers(d: ImageDraw.ImageDraw, depth: int = depth, shade: float = shade) -> None:
            x = -30.0
            while x < W:
                w = rng.uniform(40, 110)
                top = H * rng.uniform(0.12 + depth * 0.15, 0.45 + depth * 0.1)
                col = mix(p["bg2"], p["dark"], shade + 0.2)
                d.rectangle((x, top, x + w, H * 0.63), fill=rgba(col, 255))
                for wy in range(int(top) + 10, int(H * 0.62), 14):
                    for wx in range(int(x) + 6, int(x + w) - 6, 12):
                        if rng.random() < 0.35:
                            d.rectangle((wx, wy, wx + 5, wy + 6), fill=rgba(rng.choice([p["light"], p["pale"]]), 200))
                x += w + rng.uniform(2, 30)

        c.layer(towers, blur=1.6 - depth * 0.6)
    c.orbs(rng, 30, (0, H * 0.5, W, H * 0.66), 6, 18, [p["light"], p["accent"]], (70, 150), blur=6)

    def terrace(d: ImageDraw.ImageDraw) -> None:
        dark = rgba(mix(p["dark"], (0, 0, 0), 0.5), 255)
        d.rectangle((0, H * 0.68, W, H * 0.69), fill=rgba(p["pale"], 160))
        for x in range(0, W, 60):
            d.line((x, H * 0.68, x, H * 0.78), fill=rgba(p["pale"], 90), width=2)
        d.rectangle((0, H * 0.78, W, H), fill=dark)
        if dinner:
            d.rectangle((W * 0.1, H * 0.8, W * 0.9, H * 0.86), fill=rgba(p["pale"], 255))
            for k in range(10):
                x = W * (0.13 + k * 0.082)
                seated(d, x, H * 0.7, 26, dark)
        else:
            for _ in range(22):
                person(d, rng.uniform(0, W), H * rng.uniform(0.92, 1.1), rng.uniform(230, 330), dark)

    c.layer(terrace, blur=1.2)
    if dinner:

        def candles(d: ImageDraw.ImageDraw) -> None:
            for k in range(12):
                x = W * (0.13 + k * 0.068)
                d.ellipse((x - 22, H * 0.8 - 22, x + 22, H * 0.8 + 10), fill=rgba(p["light"], 110))

        c.layer(candles, blur=10)
    c.vignette(140)
    return c.finish()


def temple(p: Palette, rng: random.Random) -> Image.Image:
    c = Canvas(vgradient([(0, p["bg1"]), (0.4, p["bg2"]), (0.66, p["light"]), (1, p["bg3"])]))
    c.glow(W * 0.62, H * 0.6, 280, p["light"], 140, blur=90)
    c.glow(W * 0.62, H * 0.6, 50, (255, 240, 210), 255, blur=4)

    def spire(d: ImageDraw.ImageDraw, x: float, base: float, h: float, w: float, col: tuple[int, ...]) -> None:
        tiers = 7
        for k in range(tiers):
            t0 = k / tiers
            tw = w * (1 - t0 * 0.8)
            y0 = base - h * t0
            y1 = base - h * (k + 1) / tiers
            d.rectangle((x - tw / 2, y1, x + tw / 2, y0), fill=col)
            d.rectangle((x - tw / 2 - 6, y0 - 6, x + tw / 2 + 6, y0), fill=col)
        d.polygon([(x - w * 0.1, base - h), (x, base - h * 1.12), (x + w * 0.1, base - h)], fill=col)

    def far(d: ImageDraw.ImageDraw) -> None:
        col = rgba(mix(p["dark"], p["bg2"], 0.35), 255)
        for x, h in ((0.2, 0.22), (0.33, 0.26), (0.78, 0.24), (0.9, 0.2)):
            spire(d, W * x, H * 0.72, H * h, W * 0.07, col)

    def near(d: ImageDraw.ImageDraw) -> None:
        col = rgba(p["dark"], 255)
        spire(d, W * 0.5, H * 0.74, H * 0.5, W * 0.14, col)
        spire(d, W * 0.38, H * 0.74, H * 0.3, W * 0.09, col)
        spire(d, W * 0.64, H * 0.74, H * 0.32, W * 0.09, col)
        d.rectangle((W * 0.25, H * 0.72, W * 0.78, H * 0.76), fill=col)

    c.layer(far, blur=3)
    c.layer(lambda d: d.rectangle((0, H * 0.62, W, H * 0.78), fill=rgba(p["pale"], 80)), blur=30)
    c.layer(near, blur=1.2)
    c.layer(lambda d: d.rectangle((0, H * 0.74, W, H), fill=rgba(mix(p["dark"], (0, 0, 0), 0.2), 255)), blur=2)
    treeline(c, rng, mix(p["dark"], (0, 0, 0), 0.4), H * 0.8, 90, blur=2)
    c.layer(lambda d: d.rectangle((0, H * 0.7, W, H * 0.85), fill=rgba(p["pale"], 50)), blur=40)
    c.vignette(110)
    return c.finish()


def forest(p: Palette, rng: random.Random) -> Image.Image:
    c = Canvas(vgradient([(0, p["pale"]), (0.4, p["bg1"]), (0.75, p["bg2"]), (1, p["bg3"])]))
    for depth in range(4):

        def trunks(d: ImageDraw.ImageDraw, depth: int = depth) -> None:
            col = rgba(mix(p["bg2"], p["dark"], 0.25 + depth * 0.22), 255)
            for _ in range(9 - depth):
                x = rng.uniform(0, W)
                w = 10 + depth * 22 + rng.uniform(0, 12)
                d.polygon([(x - w * 0.4, -10), (x + w * 0.4, -10), (x + w * 0.6, H + 10), (x - w * 0.6, H + 10)], fill=col)

        c.layer(trunks, blur=6 - depth * 1.5)
        treeline(c, rng, mix(p["accent2"], p["dark"], 0.2 + depth * 0.2), H * (0.02 + depth * 0.03), 120, blur=8 - depth * 2, alpha=200)

    def rays(d: ImageDraw.ImageDraw) -> None:
        for _ in range(6):
            x = rng.uniform(W * 0.1, W * 0.7)
            d.polygon([(x, -10), (x + 50, -10), (x + 420, H), (x + 250, H)], fill=rgba(p["light"], 40))

    c.layer(rays, blur=30)

    def path(d: ImageDraw.ImageDraw) -> None:
        pts_l = [(W * 0.5 + 200 * math.sin(t * 2) * (1 - t) - 10 - 360 * t**2, H * 0.6 + H * 0.42 * t) for t in (i / 20 for i in range(21))]
        pts_r = [(W * 0.5 + 200 * math.sin(t * 2) * (1 - t) + 10 + 360 * t**2, H * 0.6 + H * 0.42 * t) for t in (i / 20 for i in range(21))]
        d.polygon(pts_l + pts_r[::-1], fill=rgba(mix(p["pale"], p["bg3"], 0.5), 230))
        for k in range(6):
            t = k / 6
            person(
                d,
                W * 0.5 + 200 * math.sin(t * 2) * (1 - t) + rng.uniform(-20, 20),
                H * 0.6 + H * 0.4 * t,
                80 + 240 * t,
                rgba(mix(p["dark"], (0, 0, 0), 0.3), 255),
            )

    c.layer(path, blur=2)
    c.vignette(120)
    return c.finish()


def harbour(p: Palette, rng: random.Random) -> Image.Image:
    c = Canvas(
        vgradient(
            [
                (0, p["bg1"]),
                (0.4, p["bg2"]),
                (0.56, p["light"]),
                (0.57, mix(p["bg3"], p["light"], 0.25)),
                (1, mix(p["bg3"], p["dark"], 0.5)),
            ]
        )
    )
    c.glow(W * 0.25, H * 0.55, 240, p["light"], 110, blur=80)

    def ripples(d: ImageDraw.ImageDraw) -> None:
        for _ in range(90):
            y = rng.uniform(H * 0.58, H * 0.85)
            x = rng.uniform(0, W)
            d.line((x, y, x + rng.uniform(20, 120), y), fill=rgba(p["light"], 70), width=2)

    c.layer(ripples, blur=1.5)
    ink = rgba(mix(p["dark"], (0, 0, 0), 0.3), 255)

    def ship(d: ImageDraw.ImageDraw) -> None:
        bx, by = W * 0.6, H * 0.6
        d.polygon([(bx - 260, by - 40), (bx + 300, by - 60), (bx + 220, by + 10), (bx - 200, by + 10)], fill=ink)
        for mx, mh in ((bx - 40, 330), (bx + 120, 290)):
            d.line((mx, by - 40, mx, by - 40 - mh), fill=ink, width=7)
        d.line((bx + 300, by - 60, bx + 420, by - 170), fill=ink, width=5)

    c.layer(ship, blur=1)

    def sails(d: ImageDraw.ImageDraw) -> None:
        bx, by = W * 0.6, H * 0.6
        sail = rgba(mix(p["pale"], p["light"], 0.4), 235)
        d.polygon([(bx - 36, by - 360), (bx - 36, by - 70), (bx - 230, by - 80)], fill=sail)
        d.polygon([(bx + 124, by - 320), (bx + 124, by - 80), (bx - 10, by - 90)], fill=sail)
        d.polygon([(bx + 128, by - 300), (bx + 128, by - 90), (bx + 280, by - 100)], fill=sail)
        d.polygon([(bx + 300, by - 64), (bx + 410, by - 160), (bx + 360, by - 70)], fill=sail)

    c.layer(sails, blur=1.5)
    c.glow(W * 0.6, H * 0.45, 260, p["light"], 50, blur=60)

    def promenade(d: ImageDraw.ImageDraw) -> None:
        d.polygon([(0, H * 0.8), (W, H * 0.86), (W, H), (0, H)], fill=rgba(mix(p["pale"], p["dark"], 0.55), 255))
        for _ in range(16):
            person(d, rng.uniform(0, W * 0.9), H * rng.uniform(0.93, 1.08), rng.uniform(170, 260), ink)

    festoon(c, rng, 2, (H * 0.68, H * 0.74), p["light"], mix(p["dark"], (0, 0, 0), 0.3), sag=40)
    c.layer(promenade, blur=1.5)
    c.vignette(130)
    return c.finish()


def pool(p: Palette, rng: random.Random) -> Image.Image:
    c = Canvas(
        vgradient(
            [
                (0, p["bg1"]),
                (0.42, p["bg2"]),
                (0.43, mix(p["accent2"], p["bg2"], 0.3)),
                (0.5, p["accent2"]),
                (0.51, p["pale"]),
                (1, mix(p["pale"], p["bg3"], 0.5)),
            ]
        )
    )
    c.glow(W * 0.8, H * 0.3, 220, p["light"], 120, blur=80)

    def water(d: ImageDraw.ImageDraw) -> None:
        d.polygon([(W * 0.3, H * 0.56), (W * 0.7, H * 0.56), (W * 1.05, H * 0.95), (W * -0.05, H * 0.95)], fill=rgba(p["accent"], 255))
        for _ in range(70):
            y = rng.uniform(H * 0.58, H * 0.93)
            x = rng.uniform(W * 0.1, W * 0.9)
            d.line((x, y, x + rng.uniform(20, 70), y + rng.uniform(-3, 3)), fill=(255, 255, 255, 110), width=2)

    c.layer(water, blur=1.5)

    def loungers(d: ImageDraw.ImageDraw) -> None:
        for side in (-1, 1):
            for k in range(4):
                t = k / 3
                x = W * 0.5 + side * (W * 0.28 + t * W * 0.22)
                y = H * (0.56 + t * 0.3)
                s = 0.5 + t
                d.rectangle((x - 50 * s, y, x + 50 * s, y + 18 * s), fill=rgba(p["pale"], 255))
                d.rectangle((x - 50 * s, y + 18 * s, x + 50 * s, y + 26 * s), fill=rgba(mix(p["dark"], p["pale"], 0.4), 255))
                d.line((x, y - 140 * s, x, y), fill=rgba(p["dark"], 255), width=int(3 * s + 1))
                d.polygon([(x - 70 * s, y - 120 * s), (x, y - 150 * s), (x + 70 * s, y - 120 * s)], fill=rgba(p["light"], 255))

    c.layer(loungers, blur=1.2)

    def palms(d: ImageDraw.ImageDraw) -> None:
        col = rgba(mix(p["dark"], (0, 0, 0), 0.3), 255)
        for x0 in (W * 0.04, W * 0.95):
            top = (x0 + rng.uniform(-60, 60), H * 0.12)
            d.line((x0, H * 0.9, top[0], top[1]), fill=col, width=18)
            for k in range(9):
                a = (k / 9) * math.tau + 0.2
                dx = math.cos(a) * rng.uniform(150, 210)
                lift = rng.uniform(30, 70) + math.sin(a) * 30
                upper, lower = [], []
                for j in range(13):
                    t = j / 12
                    fx = top[0] + dx * t
                    fy = top[1] - lift * t + 150 * t * t
                    wdt = 16 * math.sin(math.pi * t) + 1
                    upper.append((fx, fy - wdt))
                    lower.append((fx, fy + wdt))
                d.polygon(upper + lower[::-1], fill=col)

    c.layer(palms, blur=1.5)
    c.vignette(90)
    return c.finish()


def facade(p: Palette, rng: random.Random) -> Image.Image:
    c = Canvas(vgradient([(0, mix(p["dark"], (0, 0, 0), 0.4)), (0.6, p["bg1"]), (0.78, p["bg2"]), (1, mix(p["bg3"], p["dark"], 0.5))]))
    c.orbs(rng, 25, (0, 0, W, H * 0.3), 1, 2, [(255, 255, 255)], (120, 220), blur=0)

    def building(d: ImageDraw.ImageDraw) -> None:
        d.rectangle((W * 0.1, H * 0.18, W * 0.9, H * 0.78), fill=rgba(mix(p["pale"], p["bg2"], 0.35), 255))
        d.polygon([(W * 0.08, H * 0.18), (W * 0.5, H * 0.04), (W * 0.92, H * 0.18)], fill=rgba(mix(p["pale"], p["bg2"], 0.45), 255))
        for i in range(7):
            x = W * (0.16 + i * 0.113)
            d.rectangle((x - 14, H * 0.22, x + 14, H * 0.78), fill=rgba(mix(p["pale"], p["light"], 0.3), 255))
        for i in range(6):
            x = W * (0.216 + i * 0.113)
            d.rounded_rectangle((x - 30, H * 0.3, x + 30, H * 0.7), radius=30, fill=rgba(p["light"], 255))

    c.layer(building, blur=1.5)

    def projection(d: ImageDraw.ImageDraw) -> None:
        d.ellipse((W * 0.15, H * 0.05, W * 0.85, H * 0.85), fill=rgba(p["accent"], 90))
        for _ in range(6):
            x = rng.uniform(W * 0.2, W * 0.8)
            y = rng.uniform(H * 0.2, H * 0.6)
            d.ellipse((x - 80, y - 50, x + 80, y + 50), fill=rgba(p["light"], 70))

    c.layer(projection, blur=50)

    def square(d: ImageDraw.ImageDraw) -> None:
        d.rectangle((0, H * 0.78, W, H), fill=rgba(mix(p["dark"], p["bg3"], 0.3), 255))
        for _ in range(28):
            person(d, rng.uniform(0, W), H * rng.uniform(0.86, 1.08), rng.uniform(120, 260), rgba(mix(p["dark"], (0, 0, 0), 0.45), 255))

    c.layer(square, blur=1.5)
    c.vignette(160)
    return c.finish()


def dance(p: Palette, rng: random.Random, variant: str = "couple") -> Image.Image:
    c = Canvas(vgradient([(0, mix(p["dark"], (0, 0, 0), 0.4)), (0.55, p["bg1"]), (0.7, p["bg2"]), (1, mix(p["bg3"], p["dark"], 0.6))]))
    if variant == "garden-stage":
        treeline(c, rng, mix(p["dark"], (0, 0, 0), 0.2), H * 0.1, 160, blur=4)
    if variant in ("sangeet", "garden-stage"):

        def backdrop(d: ImageDraw.ImageDraw) -> None:
            x0, x1 = (W * 0.12, W * 0.88) if variant == "sangeet" else (W * 0.3, W * 0.7)
            cols = [p["accent"], p["accent2"], p["light"]]
            n = 14 if variant == "sangeet" else 6
            for k in range(n):
                x = x0 + (x1 - x0) * k / n
                d.rectangle((x, H * 0.15, x + (x1 - x0) / n + 1, H * 0.58), fill=rgba(cols[k % 3], 230))
            d.rectangle((x0 - 20, H * 0.58, x1 + 20, H * 0.64), fill=rgba(mix(p["dark"], p["light"], 0.2), 255))

        c.layer(backdrop, blur=5)
        c.glow(W * 0.5, H * 0.35, 420, p["light"], 90, blur=100)
    festoon(c, rng, 4, (H * 0.04, H * 0.22), p["light"], mix(p["dark"], (0, 0, 0), 0.3), sag=70)
    c.glow(W * 0.5, H * 0.78, 360, p["light"], 90, blur=90)
    ink = rgba(mix(p["dark"], (0, 0, 0), 0.45), 255)
    if variant == "couple":

        def couple(d: ImageDraw.ImageDraw) -> None:
            person(d, W * 0.48, H * 0.86, 360, ink)
            person(d, W * 0.53, H * 0.86, 330, ink)
            d.polygon([(W * 0.49, H * 0.64), (W * 0.57, H * 0.64), (W * 0.62, H * 0.87), (W * 0.46, H * 0.87)], fill=ink)
            for _ in range(14):
                side = rng.choice([-1, 1])
                person(
                    d,
                    W * 0.5 + side * rng.uniform(W * 0.22, W * 0.55),
                    H * rng.uniform(0.8, 0.95),
                    rng.uniform(180, 280),
                    rgba(mix(p["dark"], (0, 0, 0), 0.2), 255),
                )

        c.layer(couple, blur=1.5)
    else:

        def crowd(d: ImageDraw.ImageDraw) -> None:
            for _ in range(30 if variant == "sangeet" else 18):
                y = rng.uniform(0.82, 1.1)
                person(d, rng.uniform(-20, W + 20), H * y, 180 + (y - 0.8) * 500, ink, arms_up=variant == "sangeet" and rng.random() < 0.4)

        c.layer(crowd, blur=1.5)
    c.orbs(rng, 30, (0, 0, W, H * 0.6), 8, 26, [p["light"], p["accent"]], (30, 90), blur=10)
    c.vignette(160)
    return c.finish()


def long_table(p: Palette, rng: random.Random, kind: str = "dessert") -> Image.Image:
    c = room(p, 0.5)
    if kind == "dessert":

        def pendants(d: ImageDraw.ImageDraw) -> None:
            for i in range(5):
                x = W * (0.15 + i * 0.175)
                d.line((x, 0, x, H * 0.22), fill=rgba(p["dark"], 255), width=2)
                d.chord((x - 50, H * 0.18, x + 50, H * 0.3), 180, 360, fill=rgba(p["accent2"], 255))

        c.layer(pendants, blur=1)
        for i in range(5):
            c.glow(W * (0.15 + i * 0.175), H * 0.28, 90, p["light"], 160, blur=40)

        def table(d: ImageDraw.ImageDraw) -> None:
            d.rectangle((W * 0.04, H * 0.56, W * 0.96, H * 0.62), fill=rgba(p["pale"], 255))
            d.rectangle((W * 0.04, H * 0.62, W * 0.96, H * 0.92), fill=rgba(mix(p["pale"], p["bg3"], 0.35), 255))
            for i in range(9):
                x = W * (0.1 + i * 0.1)
                tiers = rng.randint(1, 3)
                for k in range(tiers):
                    w = 70 - k * 18
                    y = H * 0.56 - k * 46
                    d.rectangle((x - 3, y - 46, x + 3, y), fill=rgba(p["pale"], 255))
                    d.ellipse((x - w / 2, y - 8, x + w / 2, y + 4), fill=rgba(p["pale"], 255))
                    for _ in range(5):
                        px = x + rng.uniform(-w / 2 + 8, w / 2 - 8)
                        col = rng.choice([p["accent"], p["accent2"], p["light"], (120, 70, 50)])
                        d.ellipse((px - 7, y - 16, px + 7, y - 4), fill=rgba(col, 255))

        c.layer(table, blur=1.2)
    else:
        treeline(c, rng, mix(p["accent2"], p["dark"], 0.4), H * 0.15, 160, blur=6, alpha=230)
        lanterns(c, rng, 2, (H * 0.08, H * 0.2), [p["light"], p["accent"]], size=14)
        vx, vy = W * 0.52, H * 0.46

        def table(d: ImageDraw.ImageDraw) -> None:
            d.polygon([(vx - 40, vy), (vx + 40, vy), (W * 0.85, H), (W * 0.15, H)], fill=rgba(mix(p["bg3"], p["dark"], 0.2), 255))
            d.polygon([(vx - 12, vy), (vx + 12, vy), (W * 0.6, H), (W * 0.44, H)], fill=rgba(p["accent"], 255))
            for side in (-1, 1):
                for k in range(8):
                    t = (k + 0.5) / 8
                    x = vx + side * (50 + t * W * 0.36)
                    y = vy + t * H * 0.5
                    s = 10 + t * 60
                    d.rounded_rectangle(
                        (x - s * 0.5, y - s * 1.4, x + s * 0.5, y + s * 0.3),
                        radius=s * 0.3,
                        fill=rgba(mix(p["light"], p["dark"], 0.45), 255),
                    )

        c.layer(table, blur=1)

        def candles(d: ImageDraw.ImageDraw) -> None:
            for k in range(10):
                t = (k + 0.5) / 10
                y = vy + t * H * 0.52
                x = vx + side_shift(t)
                r = 4 + t * 26
                d.ellipse((x - r, y - r * 1.5, x + r, y + r * 0.5), fill=rgba(p["light"], 120))

        def side_shift(t: float) -> float:
            return (W * 0.13 * t) * (1 if int(t * 10) % 2 else -1)

        c.layer(candles, blur=10)
    c.vignette(150)
    return c.finish()


def dais(p: Palette, rng: random.Random) -> Image.Image:
    c = room(p, 0.68)
    c.glow(W * 0.5, H * 0.4, 420, p["light"], 110, blur=110)

    def frame(d: ImageDraw.ImageDraw) -> None:
        wood = rgba(mix(p["dark"], p["accent2"], 0.25), 255)
        gold = rgba(p["light"], 255)
        d.rounded_rectangle((W * 0.2, H * 0.08, W * 0.8, H * 0.7), radius=220, fill=wood)
        d.rounded_rectangle((W * 0.25, H * 0.14, W * 0.75, H * 0.7), radius=180, fill=rgba(mix(p["pale"], p["light"], 0.3), 255))
        for k in range(16):
            a = math.pi + k / 15 * math.pi
            x = W * 0.5 + math.cos(a) * W * 0.29
            y = H * 0.36 + math.sin(a) * H * 0.26
            d.ellipse((x - 14, y - 14, x + 14, y + 14), fill=gold)
        for x in (W * 0.42, W * 0.58):
            d.rounded_rectangle((x - 45, H * 0.44, x + 45, H * 0.68), radius=30, fill=gold)
            d.rounded_rectangle((x - 34, H * 0.48, x + 34, H * 0.62), radius=20, fill=rgba(p["accent"], 255))

    c.layer(frame, blur=1.5)

    def strands(d: ImageDraw.ImageDraw) -> None:
        for k in range(26):
            x = W * (0.26 + k * 0.0185)
            length = H * (0.12 + 0.12 * math.sin(k / 25 * math.pi))
            for j in range(int(length / 10)):
                y = H * 0.14 + j * 10
                d.ellipse((x - 3, y - 3, x + 3, y + 3), fill=(255, 255, 248, 235))
        for side in (-1, 1):
            for j in range(60):
                y = H * 0.1 + j * 10
                x = W * 0.5 + side * W * 0.32 + math.sin(j / 5) * 8
                d.ellipse((x - 4, y - 4, x + 4, y + 4), fill=(255, 255, 248, 230))

    c.layer(strands, blur=0.8)

    def floor(d: ImageDraw.ImageDraw) -> None:
        d.polygon([(W * 0.38, H * 0.7), (W * 0.62, H * 0.7), (W * 0.8, H), (W * 0.2, H)], fill=rgba(p["accent"], 255))
        for side in (-1, 1):
            for k in range(5):
                x = W * 0.5 + side * (W * 0.36 + k * 20)
                y = H * (0.72 + k * 0.05)
                d.ellipse(
                    (x - 50 - k * 10, y - 30, x + 50 + k * 10, y + 30), fill=rgba(rng.choice([p["pale"], p["light"], (250, 250, 245)]), 240)
                )

    c.layer(floor, blur=1.2)
    c.vignette(150)
    return c.finish()


def portrait(rng: random.Random) -> Image.Image:
    """An abstract head-and-shoulders figure in a softly lit venue, 800x800."""
    teal, gold = hexc("#0f4c5c"), hexc("#e0a458")
    size = (800, 800)
    c = Canvas(vgradient([(0, mix(teal, (0, 0, 0), 0.2)), (0.6, mix(teal, gold, 0.25)), (1, mix(teal, (0, 0, 0), 0.4))], size))
    c.orbs(rng, 45, (0, 0, 800, 520), 14, 60, [gold, (250, 230, 200), mix(gold, teal, 0.4)], (40, 130), blur=14)
    c.glow(520, 260, 260, gold, 90, blur=90)
    skin = hexc("#b9825d")
    cloth = hexc("#e9dcc9")
    scarf = gold

    def figure(d: ImageDraw.ImageDraw) -> None:
        hair = rgba(hexc("#2a1d1a"), 255)
        d.rounded_rectangle((268, 170, 532, 560), radius=120, fill=hair)
        d.ellipse((130, 520, 670, 1080), fill=rgba(cloth, 255))
        d.polygon([(300, 540), (500, 540), (455, 800), (345, 800)], fill=rgba(scarf, 255))
        d.rounded_rectangle((362, 410, 438, 560), radius=30, fill=rgba(mix(skin, (0, 0, 0), 0.15), 255))
        d.ellipse((300, 200, 500, 460), fill=rgba(skin, 255))
        d.chord((282, 168, 518, 420), 180, 360, fill=hair)
        d.pieslice((282, 168, 440, 330), 90, 270, fill=hair)

    c.layer(figure, blur=2.2)
    c.glow(330, 300, 120, (255, 236, 210), 50, blur=50)
    c.vignette(150)
    return c.finish(soften=0.8)


# --------------------------------------------------------------------------
# What to draw: one palette per event, one scene per file
# --------------------------------------------------------------------------

PALETTES: dict[str, dict[str, str]] = {
    "oncology-research-forum": {
        "bg1": "#1d3a4f",
        "bg2": "#2d5670",
        "bg3": "#1a2a38",
        "dark": "#0b1620",
        "light": "#f4d9a6",
        "accent": "#3fa7c4",
        "accent2": "#1f6f8b",
        "pale": "#e8eef2",
    },
    "ubud-rice-terrace-wedding": {
        "bg1": "#f6d8b0",
        "bg2": "#f2c48d",
        "bg3": "#5c7a3a",
        "dark": "#1f2a16",
        "light": "#ffd58a",
        "accent": "#9cc26b",
        "accent2": "#4c7a2e",
        "pale": "#f7efe0",
    },
    "nusa-dua-beach-wedding": {
        "bg1": "#3b2d5c",
        "bg2": "#d9646b",
        "bg3": "#2f5d7c",
        "dark": "#1d1630",
        "light": "#ffb45e",
        "accent": "#ef7d2f",
        "accent2": "#d6336c",
        "pale": "#f3dcc0",
    },
    "bandung-sundanese-wedding": {
        "bg1": "#d6e2d5",
        "bg2": "#eef0e4",
        "bg3": "#3f6b3a",
        "dark": "#1d2a1c",
        "light": "#f6d58e",
        "accent": "#8db77a",
        "accent2": "#3d6e34",
        "pale": "#f4f1e6",
    },
    "asean-payments-summit": {
        "bg1": "#141d3a",
        "bg2": "#27336b",
        "bg3": "#121832",
        "dark": "#070b18",
        "light": "#ffcf7a",
        "accent": "#4dc3e8",
        "accent2": "#6b5ae0",
        "pale": "#e6ebf7",
    },
    "medan-nursing-congress": {
        "bg1": "#28465a",
        "bg2": "#3f6a80",
        "bg3": "#233746",
        "dark": "#0e1b24",
        "light": "#f7dcaa",
        "accent": "#5bb8b0",
        "accent2": "#2f7d8f",
        "pale": "#eef4f5",
    },
    "surabaya-sales-kickoff": {
        "bg1": "#3a1f1c",
        "bg2": "#6b2f26",
        "bg3": "#2a1714",
        "dark": "#140a09",
        "light": "#ffcc80",
        "accent": "#e8553f",
        "accent2": "#f29e38",
        "pale": "#f5e6da",
    },
    "kl-leadership-offsite": {
        "bg1": "#d8e6e0",
        "bg2": "#9fbfb2",
        "bg3": "#4f6f62",
        "dark": "#16261f",
        "light": "#f7d9a0",
        "accent": "#e07a5f",
        "accent2": "#3d7a5c",
        "pale": "#f3f5f0",
    },
    "yogyakarta-board-retreat": {
        "bg1": "#c9854f",
        "bg2": "#e3a96a",
        "bg3": "#3b3024",
        "dark": "#1c140e",
        "light": "#ffc774",
        "accent": "#d96f3a",
        "accent2": "#5f7d46",
        "pale": "#f1dfc4",
    },
    "childrens-hospital-gala": {
        "bg1": "#3d2433",
        "bg2": "#6e3d4c",
        "bg3": "#2b1a24",
        "dark": "#150b12",
        "light": "#ffd9a0",
        "accent": "#f2efe6",
        "accent2": "#a9c8a0",
        "pale": "#f6ede4",
    },
    "makassar-maritime-gala": {
        "bg1": "#1c2b52",
        "bg2": "#3d4f85",
        "bg3": "#173a55",
        "dark": "#0a1426",
        "light": "#ffb866",
        "accent": "#3c8fd1",
        "accent2": "#f08a4b",
        "pale": "#f2e2cc",
    },
    "surabaya-bank-anniversary-gala": {
        "bg1": "#1f3327",
        "bg2": "#35503d",
        "bg3": "#1b2a20",
        "dark": "#0b130e",
        "light": "#f5c86a",
        "accent": "#e0a458",
        "accent2": "#2e6b4b",
        "pale": "#efe6d2",
    },
    "kemang-sixtieth-birthday": {
        "bg1": "#2f4a3a",
        "bg2": "#4f6b4a",
        "bg3": "#2b3b2c",
        "dark": "#101a12",
        "light": "#ffcf7f",
        "accent": "#c45b3c",
        "accent2": "#6e8f4e",
        "pale": "#f2e7d3",
    },
    "seminyak-alumni-reunion": {
        "bg1": "#6fa8c9",
        "bg2": "#f0b48a",
        "bg3": "#2c6e8a",
        "dark": "#1b2430",
        "light": "#ffd08a",
        "accent": "#2fb3c0",
        "accent2": "#2a8fb0",
        "pale": "#f6ead6",
    },
}

Scene = Callable[[Palette, random.Random], Image.Image]


def scene(fn: Callable[..., Image.Image], **options: object) -> Scene:
    return lambda p, rng: fn(p, rng, **options)


IMAGES: dict[str, dict[str, Scene]] = {
    "oncology-research-forum": {
        "stage": scene(stage),
        "exhibition-hall": scene(expo),
        "breakout-room": scene(workshop),
    },
    "ubud-rice-terrace-wedding": {
        "ceremony-terraces": scene(terraces, mode="rice", ceremony=True),
        "lantern-dinner": scene(garden, table="long"),
        "first-dance": scene(dance, variant="couple"),
    },
    "nusa-dua-beach-wedding": {
        "beach-ceremony": scene(beach, mandap=True),
        "sangeet-night": scene(dance, variant="sangeet"),
        "reception-tables": scene(ballroom, chandeliers=False),
    },
    "bandung-sundanese-wedding": {
        "tea-garden": scene(terraces, mode="tea"),
        "pelaminan": scene(dais),
        "buffet-stalls": scene(expo, stalls=True),
    },
    "asean-payments-summit": {
        "keynote-stage": scene(stage),
        "expo-floor": scene(expo),
        "skyline-reception": scene(skyline),
    },
    "medan-nursing-congress": {
        "plenary-hall": scene(stage),
        "skills-workshop": scene(workshop),
        "welcome-dinner": scene(ballroom),
    },
    "surabaya-sales-kickoff": {
        "kickoff-stage": scene(stage),
        "breakout-room": scene(workshop),
        "awards-dinner": scene(ballroom),
    },
    "kl-leadership-offsite": {
        "workshop-room": scene(workshop),
        "forest-walk": scene(forest),
        "rooftop-dinner": scene(skyline, dinner=True),
    },
    "yogyakarta-board-retreat": {
        "temple-sunrise": scene(temple),
        "joglo-boardroom": scene(workshop, joglo=True),
        "courtyard-dinner": scene(garden, table="long"),
    },
    "childrens-hospital-gala": {
        "ballroom": scene(ballroom),
        "auction-stage": scene(stage, variant="screen"),
        "dessert-table": scene(long_table, kind="dessert"),
    },
    "makassar-maritime-gala": {
        "waterfront-arrival": scene(harbour),
        "awards-stage": scene(stage, variant="outdoor"),
        "seafood-dinner": scene(garden, table="long", canopy=True),
    },
    "surabaya-bank-anniversary-gala": {
        "heritage-hall": scene(facade),
        "orchestra-stage": scene(stage, variant="arches"),
        "ballroom-toast": scene(ballroom, toast=True),
    },
    "kemang-sixtieth-birthday": {
        "garden-lanterns": scene(garden, table="none"),
        "family-table": scene(long_table, kind="family"),
        "garden-stage": scene(dance, variant="garden-stage"),
    },
    "seminyak-alumni-reunion": {
        "beach-club": scene(pool),
        "sunset-party": scene(beach, party=True),
        "welcome-dinner": scene(garden, table="long", canopy=True),
    },
}


# Photos only private pages show: a sponsorship's cover letter (drawn with an event's palette,
# taken at that sponsorship's venue). propgen publishes them only in each prospect's private folder.
PRIVATE: dict[str, tuple[str, Scene, tuple[float, float], str]] = {
    "images/sponsorships/oncology-forum-2027/foyer-booths.jpg": (
        "oncology-research-forum",
        scene(expo, stalls=True),
        (-7.2653, 112.7424),  # the 2027 forum's venue in Surabaya
        "2026:09:14 10:00:00",  # the site visit
    ),
}


def seed_for(name: str) -> int:
    return zlib.crc32(name.encode("utf-8"))


def save(img: Image.Image, path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "JPEG", **JPEG)  # Pillow writes no EXIF unless given one
    return path.stat().st_size


FAVICON = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">
  <rect width="64" height="64" rx="14" fill="#0f4c5c"/>
  <path d="M28 22.5c-1.6-2.6-4.2-3.8-7.2-3.8-3.8 0-6.6 2.2-6.6 5.4 0 7.4 14.6 4.6 14.6 12.6 0 3.5-3 6.1-7.3 6.1-3.3 0-6-1.4-7.5-4"
        fill="none" stroke="#e0a458" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/>
  <path d="M31 19.5l4.8 23 5.4-16.5 5.4 16.5 4.9-23"
        fill="none" stroke="#e0a458" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/>
  <path d="M14 49h36" stroke="#e0a458" stroke-opacity="0.55" stroke-width="2" stroke-linecap="round"/>
</svg>
"""


def taken_on(site: Path, slug: str) -> str:
    """The EXIF time of an event's photos: the evening of its date in content/events/."""
    records = [site / "content" / "events" / f"{slug}{ext}" for ext in (".yaml", ".md")]
    text = "".join(r.read_text(encoding="utf-8") for r in records if r.is_file())
    found = re.search(r"^date: (\d{4})-(\d{2})-(\d{2})", text, re.M)
    return f"{found.group(1)}:{found.group(2)}:{found.group(3)} 19:30:00" if found else "2025:01:01 19:30:00"


def main(argv: list[str]) -> int:
    site = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent
    static = site / "static"
    total = 0
    count = 0
    for slug, files in IMAGES.items():
        pal = {k: hexc(v) for k, v in PALETTES[slug].items()}
        for name, draw in files.items():
            rel = f"images/{slug}/{name}.jpg"
            img = draw(pal, random.Random(seed_for(rel)))
            assert img.size == (W, H), rel
            shot = SHOTS.get(rel, Shot())
            data = camera_file(camera_size(img, shot), shot, VENUES[slug], taken_on(site, slug))
            (static / rel).parent.mkdir(parents=True, exist_ok=True)
            (static / rel).write_bytes(data)
            total += len(data)
            count += 1
            print(f"{rel:60} {len(data) // 1024:4d} KB  orientation {shot.orientation}{'  portrait' if shot.portrait else ''}")
    for rel, (palette, draw, venue, taken) in PRIVATE.items():
        img = draw({k: hexc(v) for k, v in PALETTES[palette].items()}, random.Random(seed_for(rel)))
        data = camera_file(camera_size(img, Shot()), Shot(), venue, taken)
        (static / rel).parent.mkdir(parents=True, exist_ok=True)
        (static / rel).write_bytes(data)
        total += len(data)
        count += 1
        print(f"{rel:60} {len(data) // 1024:4d} KB  (only a sponsorship letter shows it)")
    size = save(portrait(random.Random(seed_for("sari-wijaya"))), static / "images" / "sari-wijaya.jpg")
    print(f"{'images/sari-wijaya.jpg':60} {size // 1024:4d} KB")
    (static / "favicon.svg").write_text(FAVICON, encoding="utf-8")
    print(f"{count} camera photos ({total / 1_000_000:.1f} MB), the portrait and favicon.svg written under {static}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
