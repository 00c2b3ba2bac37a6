"""Write-ups' photos shown as <picture>s (images/store.py), at the scale of a large site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from propgen.images.refs import _url_attributes, static_links
from propgen.images.store import Images, Made
from propgen.markdown import render_markdown
from propgen.urls import Urls

PHOTOS = 300


def photographed(count: int) -> Images:
    images = Images(Path("unused"), Urls("https://studio.example/"))
    for n in range(count):
        output = f"images/p{n}.jpg"
        images.short[output] = f"s{n}"
        images.made[output] = Made(
            ((800, 600, "jpg", f"p{n}-800.jpg"), (1600, 1200, "jpg", f"p{n}-1600.jpg"), (800, 600, "webp", f"p{n}.webp"))
        )
    return images


def test_every_write_up_shows_its_photo_and_links_its_largest_rendition_with_each_photo_looked_up_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A site of 300 events, each write-up with a photo and a link to another event's: each
    photo's largest rendition is looked up once for the build and once where it is shown, not
    once per write-up for every photo (that was 90,300 lookups here, quadratic in the site's size)."""
    images = photographed(PHOTOS)
    looked = 0
    full_path = Images.full_path

    def counted(self: Images, output: str) -> str:
        nonlocal looked
        looked += 1
        return full_path(self, output)

    monkeypatch.setattr(Images, "full_path", counted)
    for n in range(PHOTOS):
        other = (n + 1) % PHOTOS
        shown = images.picture(f'<p><img src="/images/p{n}.jpg" alt="Photo {n}"> <a href="/images/p{other}.jpg">larger</a></p>')
        assert f'srcset="/images/p{n}.s{n}.800.jpg 800w, /images/p{n}.s{n}.1600.jpg 1600w"' in shown
        assert f'alt="Photo {n}" width="1600" height="1200" loading="lazy" decoding="async"></picture>' in shown
        assert '<source type="image/webp" srcset="/images/p' in shown
        assert f'<a href="/images/p{other}.s{other}.1600.jpg">larger</a>' in shown
    assert looked == 2 * PHOTOS
    plain = "<p>No photo here, only images/p1.jpg named in the text.</p>"
    assert images.picture(plain) == plain


def test_a_link_to_a_photo_goes_to_its_largest_rendition_however_its_address_is_spelled() -> None:
    """A link to a photo, with no <img> beside it, is found by its address as a browser reads
    it (percent-encoded, or with an entity), not by searching the text for the photo's path."""
    images = photographed(1)
    images.made["images/my photo.jpg"] = images.made.pop("images/p0.jpg")
    images.short["images/my photo.jpg"] = "s0"
    for href in ("/images/my%20photo.jpg", "/images/my%20photo.jpg#top", "/images/my&#32;photo.jpg"):
        shown = images.picture(f'<p>See <a href="{href}">the photo</a>.</p>')
        assert 'href="/images/my%20photo.s0.1600.jpg' in shown, (href, shown)


OLD_URL_ATTRIBUTE = re.compile(r'\b(src|href)="([^"]*)"')  # what refs.py scanned with before
NAMES = st.sampled_from(["src", "href", "xsrc", "hsrc", "data-src", "_href", "ésrc", "alt", "title", "", "srcset"])
# Values as markdown-it writes them (a quote escaped). One ending in `src=` or `href=` is left
# to the test below: there the old pattern took the value's closing quote for an opening one.
VALUES = (
    st.text(alphabet='ab=/ -src"href', max_size=12)
    .map(lambda v: v.replace('"', "&quot;"))
    .filter(lambda v: not v.endswith(("src=", "href=")))
)
SEPARATORS = st.sampled_from([" ", "", "-", "_", "é", "1", "٣", "<a ", "><img ", "=", "\n"])


@given(st.lists(st.tuples(SEPARATORS, NAMES, VALUES), max_size=8))
def test_src_and_href_are_found_as_the_regular_expression_found_them(parts: list[tuple[str, str, str]]) -> None:
    """`_url_attributes` finds every `src="..."` and `href="..."` of rendered HTML (where every
    double quote closes or opens a value: markdown-it escapes the others) exactly where
    `\\b(src|href)="([^"]*)"` did, names with a word character before them left out."""
    text = "".join(f'{separator}{name}="{value}"' for separator, name, value in parts)
    old = [(m.start(), m.end(), m.group(1), m.group(2)) for m in OLD_URL_ATTRIBUTE.finditer(text)]
    assert [(start, value.end(), name, value.group(1)) for start, value, name in _url_attributes(text)] == old


def test_words_like_src_in_an_alt_text_or_a_title_are_not_a_link() -> None:
    """Where the old pattern went wrong: an alt text or a link title ending in `src=` made it
    read the closing quote as an opening one, finding a link that is not there and missing
    the next one. Each quote is now read as what it is."""
    urls = Urls("https://studio.example/")
    html = render_markdown('![see src=](/a.png) and [a](/x.pdf "see src=") and [b](/y.pdf)\n', urls).html
    assert [(link.attribute, link.path) for link in static_links(html, urls, {"a.png", "x.pdf", "y.pdf"})] == [
        ("src", "a.png"),
        ("href", "x.pdf"),
        ("href", "y.pdf"),
    ]
    assert [(m.group(1), m.group(2)) for m in OLD_URL_ATTRIBUTE.finditer(html)] != [
        ("src", "/a.png"),
        ("href", "/x.pdf"),
        ("href", "/y.pdf"),
    ]
