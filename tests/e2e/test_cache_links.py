"""A cache folder restored from elsewhere (CI restores caches other branches saved) is
anyone's: a link in it must not make a build write, remove or publish a file outside it.
A link where the build keeps a folder is removed (the link alone) and a folder made; a
cached photo file that is a link is not trusted, and the photo is processed again."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from conftest import run_propgen
from propgen.external import cache_file

EVENT = "title: Harbour Gala\ntype: gala\ndate: 2025-05-10\nsummary: A night on the water.\ngallery:\n  - {src: images/hall.jpg, alt: The hall}\n"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def photo() -> bytes:
    data = io.BytesIO()
    Image.linear_gradient("L").resize((900, 600)).convert("RGB").save(data, "JPEG")
    return data.getvalue()


def test_links_in_the_cache_folder_lead_nowhere(make_site: Callable[..., Path], tmp_path: Path) -> None:
    site = make_site({"content/events/gala.yaml": EVENT, "content/events/gala.md": "The night.\n", "static/images/hall.jpg": photo()})
    assert run_propgen("build", cwd=site).returncode == 0
    cache = site / ".propgen-cache"
    outside = tmp_path / "outside"
    (outside / "events").mkdir(parents=True)
    (outside / "images").mkdir()
    (outside / "events/notes.txt").write_text("mine\n")
    (outside / "images/notes.txt").write_text("mine too\n")
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET\n")
    before = tree(outside)
    # Every rendition of the photo a link to the secret, events/ and images/ links out, the README a dangling link.
    renditions = sorted(p.name for p in (cache / "images").iterdir() if p.suffix in (".jpg", ".webp", ".avif"))
    assert renditions
    for name in renditions:
        (cache / "images" / name).unlink()
        (cache / "images" / name).symlink_to(secret)
    images = tmp_path / "kept-images"
    (cache / "images").rename(images)
    (cache / "images").symlink_to(images, target_is_directory=True)  # (the links above now inside a linked folder)
    kept = sorted(p.name for p in images.iterdir())
    for folder in ("events",):
        for item in (cache / folder).iterdir():
            item.unlink()
        (cache / folder).rmdir()
        (cache / folder).symlink_to(outside / folder, target_is_directory=True)
    (cache / "README").unlink()
    (cache / "README").symlink_to(outside / "planted-readme")
    (site / "content/events/gala.md").write_text("The night, again.\n")
    result = run_propgen("build", cwd=site)
    assert result.returncode == 0, result.stderr
    assert tree(outside) == before and not (outside / "planted-readme").exists()
    assert sorted(p.name for p in images.iterdir()) == kept  # nothing written where images/ led
    assert not any(b"TOP SECRET" in data for data in tree(site / "output").values())
    for folder in ("events", "images"):
        assert (cache / folder).is_dir() and not (cache / folder).is_symlink()
    # Cached renditions that are links inside a real images/ folder: not trusted either.
    for name in renditions:
        (cache / "images" / name).unlink()
        (cache / "images" / name).symlink_to(secret)
    (site / "content/events/gala.md").write_text("The night, once more.\n")
    clean = run_propgen("build", "--out", str(tmp_path / "clean"), "--cache-dir", str(tmp_path / "clean-cache"), cwd=site)
    assert clean.returncode == 0, clean.stderr
    result = run_propgen("build", cwd=site)
    assert result.returncode == 0, result.stderr
    assert tree(site / "output") == tree(tmp_path / "clean")
    assert not any(os.path.islink(cache / "images" / name) for name in renditions)


def test_the_link_check_cache_is_never_kept_inside_the_site() -> None:
    """HOME empty or relative (a CI job's odd environment): answers are not remembered, rather
    than kept in a .cache folder of the folder propgen runs in."""
    assert cache_file({"HOME": ""}) is None and cache_file({"HOME": "relative"}) is None and cache_file({"HOME": "/"}) is None
    assert cache_file({"HOME": "/home/sari"}) == Path("/home/sari/.cache/propgen/external-links.json")
    assert cache_file({"HOME": "/home/sari", "XDG_CACHE_HOME": "/var/cache/sari"}) == Path("/var/cache/sari/propgen/external-links.json")
    assert cache_file({"HOME": "/home/sari", "XDG_CACHE_HOME": "cache"}) == Path("/home/sari/.cache/propgen/external-links.json")
