"""Write-ups' photos shown as <picture>s (images/store.py), at the scale of a large site."""

from __future__ import annotations

from pathlib import Path

import pytest

from propgen.images.store import Images, Made
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
