"""SVG files are published as they are, so one that can run code or fetch from elsewhere is
refused: a <script>, an on* event attribute, a link or url() to another site or file,
<foreignObject> (HTML inside the picture) and DTD entities (the "billion laughs").
Internal references (`href="#gradient"`, `url(#clip)`) and embedded `data:` images are fine.
"""

from __future__ import annotations

import re

from .decode import Trouble

_RULES = (
    (re.compile(r"<\s*script\b", re.I), "a <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an event attribute (on...=)"),
    (re.compile(r"<\s*foreignObject\b", re.I), "a <foreignObject>"),
    (re.compile(r"<!ENTITY", re.I), "a DTD entity"),
    (re.compile(r"""\bhref\s*=\s*["'](?!\s*#|\s*data:)""", re.I), "a link to another file or site (href)"),
    (re.compile(r"""url\(\s*["']?(?!\s*#|data:)""", re.I), "a url() to another file or site"),
    (re.compile(r"@import\b", re.I), "an @import"),
)


def check_svg(data: bytes, shown: str) -> Trouble | None:
    """Why this SVG is unsafe to publish (naming the SVG's line), or None."""
    text = data.decode("utf-8", errors="replace")
    found = [(m.start(), what) for pattern, what in _RULES if (m := pattern.search(text))]
    if not found:
        return None
    start, what = min(found)
    line = text.count("\n", 0, start) + 1
    return Trouble(
        f"'{shown}' contains {what} at its line {line}: an SVG that can run code or load other files is not published",
        "remove it (in Inkscape: File > Save As > Optimized SVG), or export the picture as PNG",
    )
