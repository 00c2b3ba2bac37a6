"""URL rules in one place: every internal link and asset goes through `Urls`.

Links are path-absolute and carry base_url's path (`/some/path/events/x/`), so the
built folder works at any depth of the host, including 404.html served for any
missing URL; canonical and OpenGraph URLs are absolute.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit


class Urls:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.base_path = urlsplit(self.base_url).path or "/"

    def page(self, path: str) -> str:
        """A page's link from its site path ('' is home, 'events/gala/' an event)."""
        return self.base_path + quote(path)

    def asset(self, path: str) -> str:
        """A file of static/ (or a theme asset under 'assets/') by its path in the output."""
        return self.base_path + quote(path.lstrip("/"))

    def absolute(self, path: str) -> str:
        return self.base_url + quote(path.lstrip("/"))

    def in_markdown(self, href: str, image: bool) -> str:
        """Resolve a link written in Markdown: '/about/' is site-root relative, and a
        relative image path is relative to static/ like every other image reference."""
        if is_external(href) or href.startswith("#"):
            return href
        if href.startswith("/"):
            return self.base_path + href.lstrip("/")
        if image:
            return self.asset(href)
        return href


def is_external(href: str) -> bool:
    return bool(urlsplit(href).scheme) or href.startswith("//")
