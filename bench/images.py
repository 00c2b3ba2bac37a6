"""What photos cost a build: `python bench/images.py [--photos 20]`.

Makes a site whose one event has N camera-size photos (12 megapixels, 4000x3000 JPEG, with
an EXIF orientation tag and GPS position, as they come from a phone or a camera), then
times, in separate processes:

- a cold build (no cache): every photo decoded, rotated, stripped and written at every width;
- a build after editing the write-up (pages change, photos come from the cache);
- a build with nothing changed.

It prints the time per photo of each (wall time, and the CPU time of every core, which a
busy machine does not inflate), and the time a cached build spends beyond a site without
photos. Then, for one of the photos, what each file format costs at every width (CPU time
and bytes): WebP, JPEG and AVIF at the speed propgen uses and at the encoder's default.
A benchmark, not a test: the numbers depend on the machine (and its load).
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

WIDTH, HEIGHT = 4000, 3000  # 12 megapixels


def camera_photo(path: Path, seed: int) -> None:
    """A noisy gradient (noise compresses like a real photo, flat colour would not) with the
    EXIF a phone writes: orientation 6 (rotate on display) and a GPS position."""
    rng = random.Random(seed)
    base = Image.linear_gradient("L").resize((WIDTH, HEIGHT)).convert("RGB")
    noise = Image.effect_noise((WIDTH, HEIGHT), 40).convert("RGB")
    tint = Image.new("RGB", (WIDTH, HEIGHT), (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    photo = Image.blend(Image.blend(base, noise, 0.35), tint, 0.3)
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x8825] = {1: "S", 2: (6.0, 12.0, 30.0), 3: "E", 4: (106.0, 49.0, 12.0)}  # GPS: Jakarta
    photo.save(path, "JPEG", quality=92, exif=exif)


def make_site(root: Path, photos: int) -> None:
    (root / "content/events").mkdir(parents=True)
    (root / "static/images/gala").mkdir(parents=True)
    (root / "propgen.yaml").write_text(
        "title: Photos\nbase_url: https://photos.example/\ncoordinator: {name: P, email: p@photos.example}\n"
    )
    gallery = []
    for n in range(photos):
        camera_photo(root / f"static/images/gala/photo-{n:03d}.jpg", n)
        gallery.append(f"  - {{src: images/gala/photo-{n:03d}.jpg, alt: Photo {n}}}")
    (root / "content/events/gala.yaml").write_text(
        "title: Gala\ntype: gala\ndate: 2025-05-10\nsummary: s\ngallery:\n" + "\n".join(gallery) + "\n"
    )
    (root / "content/events/gala.md").write_text("The night.\n")


CPU: list[float] = []  # CPU seconds of the last timed build, all its processes


def timed_build(root: Path, *extra: str) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "propgen", "build", *extra], cwd=root, check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return time.perf_counter() - started


def formats(photo: Path) -> None:
    """CPU time and bytes of each format at every width, for one photo decoded as a build does."""
    from PIL import Image

    from propgen.images.decode import decode
    from propgen.images.encode import AVIF, JPEG, WEBP, WIDTHS, save, writes

    image = decode(photo, photo.name, WIDTHS[-1])
    assert isinstance(image, Image.Image)
    kinds = [("WebP", "WEBP", WEBP), ("JPEG", "JPEG", JPEG)]
    if writes()[1]:
        kinds += [(f"AVIF speed {AVIF['speed']}", "AVIF", AVIF), ("AVIF speed 6 (default)", "AVIF", {**AVIF, "speed": 6})]
    print(f"one photo, every width ({', '.join(map(str, WIDTHS))}), CPU seconds and bytes of each format:")
    for label, kind, options in kinds:
        seconds, size = 0.0, 0
        for width in WIDTHS:
            resized = image.resize((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS)
            started = time.process_time()
            size += len(save(resized, kind, options))
            seconds += time.process_time() - started
        print(f"  {label:24} {seconds:6.2f} s   {size / 1000:7.0f} KB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "site"
        make_site(root, args.photos)
        bare = Path(folder) / "bare"
        shutil.copytree(root, bare, ignore=shutil.ignore_patterns("*.jpg"))
        (bare / "content/events/gala.yaml").write_text("title: Gala\ntype: gala\ndate: 2025-05-10\nsummary: s\n")
        cold, cold_cpu, edited, unchanged, without = [], [], [], [], []
        for _ in range(args.rounds):
            shutil.rmtree(root / ".propgen-cache", ignore_errors=True)
            shutil.rmtree(root / "output", ignore_errors=True)
            cold.append(timed_build(root))
            cold_cpu.append(CPU[-1])
            writeup = root / "content/events/gala.md"
            writeup.write_text(writeup.read_text() + "More.\n")
            edited.append(timed_build(root))
            unchanged.append(timed_build(root))
            shutil.rmtree(bare / "output", ignore_errors=True)
            without.append(timed_build(bare))
        n = args.photos
        print(f"{n} photos of {WIDTH}x{HEIGHT} (12 MP), medians of {args.rounds} rounds:")
        print(f"  cold build             {statistics.median(cold):6.2f} s   {statistics.median(cold) / n * 1000:7.0f} ms a photo")
        print(f"  cold build, CPU time   {statistics.median(cold_cpu):6.2f} s   {statistics.median(cold_cpu) / n * 1000:7.0f} ms a photo")
        print(f"  write-up edited        {statistics.median(edited):6.2f} s   photos from the cache")
        print(f"  nothing changed        {statistics.median(unchanged):6.2f} s")
        print(f"  same site, no photos   {statistics.median(without):6.2f} s")
        extra = statistics.median(edited) - statistics.median(without)
        print(f"  cached photos cost     {extra:6.2f} s in all, {extra / n * 1000:5.0f} ms a photo")
        formats(root / "static/images/gala/photo-000.jpg")


if __name__ == "__main__":
    main()
