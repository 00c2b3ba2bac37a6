"""Regenerate the README's screenshots: the demo's home page, an event and a proposal in each
built-in theme, at desktop (1280 px) and phone (390 px) width, into docs/screenshots/.

    .venv/bin/python tools/screenshots.py            # every theme
    .venv/bin/python tools/screenshots.py editorial  # one theme

It builds a copy of the demo once per theme (with a throwaway link secret and the build date the
tests use, so the pictures do not move), serves it on a loopback port and drives Debian's
Chromium through Playwright (never a browser Playwright downloads). Each picture is the first
screen only (what a visitor sees before scrolling), saved as a palette PNG to keep it small.
"""

from __future__ import annotations

import functools
import http.server
import io
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PIL import Image
from playwright.sync_api import sync_playwright

from propgen.links import token

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "screenshots"
THEMES = ("default", "editorial")
SECRET = "screenshots-only-secret-0123456789abcdef"
ENV = {
    "PROPGEN_SECRET": SECRET,
    "PRATAMA_PROPOSAL_PASSWORD": "kebun-2027",
    "ONKOFARMA_PROSPECTUS_PASSWORD": "onko-forum-2027",
    "SOURCE_DATE_EPOCH": "1794700800",  # the tests' "now": nothing expires between runs
}
PAGES = {
    "home": "",
    "event": "events/ubud-rice-terrace-wedding/",
    "proposal": f"p/nusantara-medika-forum-{token(SECRET, 'proposal', 'nusantara-medika-forum')}/",
}
VIEWPORTS = {"1280": {"width": 1280, "height": 800}, "390": {"width": 390, "height": 844}}


def build(theme: str, folder: Path) -> Path:
    """A copy of the demo with `theme:` set, built; returns its output folder."""
    site = folder / theme
    site.mkdir()
    for name in ("propgen.yaml", "content", "static", "themes"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, site / name)
        else:
            shutil.copy2(source, site / name)
    config = site / "propgen.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("\ntheme: default\n", f"\ntheme: {theme}\n"), encoding="utf-8")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("PROPGEN_")}, **ENV}
    # The repository's own cache folder: its processed photos serve every theme and every run.
    command = [sys.executable, "-m", "propgen", "build", "--cache-dir", str(REPO / ".propgen-cache")]
    result = subprocess.run(command, cwd=site, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"the demo did not build with theme {theme}:\n{result.stderr}")
    return site / "output"


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def small_png(png: bytes, target: Path) -> None:
    """256 colours are plenty for a screenshot and make it a fraction of the size."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(target, optimize=True)


def main(themes: list[str]) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("needs Debian's Chromium: apt-get install chromium")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        for theme in themes:
            with serve(build(theme, Path(tmp))) as url:
                for width, viewport in VIEWPORTS.items():
                    context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
                    page = context.new_page()
                    for name, path in PAGES.items():
                        page.goto(url + path, wait_until="networkidle")
                        page.evaluate("document.fonts.ready")
                        target = OUT / f"{theme}-{name}-{width}.png"
                        small_png(page.screenshot(), target)
                        print(f"{target.relative_to(REPO)}  {target.stat().st_size // 1024} KB")
                    context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or list(THEMES)))
