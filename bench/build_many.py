"""How long a full build takes for a large portfolio: `python bench/build_many.py 2000`.

Makes a site with N generated events (no images) in a temporary folder, builds it with
the CLI twice (cold, then with nothing changed) and prints the timings. A benchmark,
not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

TYPES = ["wedding", "conference", "corporate", "gala", "social"]
CITIES = ["Jakarta", "Bandung", "Surabaya", "Ubud", "Medan", "Makassar", "Singapore"]
TAGS = ["hybrid", "outdoor", "sponsorship", "destination", "multilingual", "sustainability"]


def make_site(root: Path, count: int) -> None:
    (root / "content/events").mkdir(parents=True)
    (root / "propgen.yaml").write_text(
        "title: Bench Events\nbase_url: https://bench.example/\ncurrency: IDR\ncoordinator: {name: Bench, email: bench@bench.example}\n"
    )
    for n in range(count):
        year, month, day = 2015 + n % 11, 1 + n % 12, 1 + n % 28
        (root / f"content/events/event-{n:05d}.yaml").write_text(
            f"title: Event number {n}\ntype: {TYPES[n % 5]}\ndate: {year}-{month:02d}-{day:02d}\n"
            f"summary: A generated event for the benchmark, number {n}.\n"
            f"venue: {{name: Hall {n % 40}, city: {CITIES[n % 7]}, country: Indonesia}}\n"
            f"guests: {50 + n % 900}\nservices: [venue selection, catering]\n"
            f"tags: [{TAGS[n % 6]}, {TAGS[(n * 7) % 6]}]\nfeatured: {'true' if n % 50 == 0 else 'false'}\n"
        )
        (root / f"content/events/event-{n:05d}.md").write_text(
            "## What the client needed\n\nA generated paragraph with **some** Markdown.\n\n- one\n- two\n"
        )


def timed_build(root: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "propgen", "build", "--site", str(root)], check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "site"
        make_site(root, count)
        cold = timed_build(root)
        warm = timed_build(root)
        print(f"{count} events: full build {cold:.2f} s, rebuild with nothing changed {warm:.2f} s")


if __name__ == "__main__":
    main()
