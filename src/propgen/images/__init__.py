"""The images stage's public face.

- `refs`: every reference to a file of static/ checked at its line, and who uses which file;
- `decode`: a photo read once, upright, in sRGB, with every byte of metadata left behind;
- `encode`: the widths, formats and OpenGraph crop a browser and a chat app fetch;
- `svg`: SVG files refused when they could run code or load other files.

The build's image step (which files to process, the cache folder, the process pool, the
views templates get) is `images/store.py`, further down the pipeline: it needs the routes.
"""

from .decode import Trouble
from .encode import parse_focus
from .refs import StaticFiles, relink, render_body, render_checked, static_links

__all__ = ["StaticFiles", "Trouble", "parse_focus", "relink", "render_body", "render_checked", "static_links"]
