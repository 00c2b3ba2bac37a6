"""Templates' compiled code kept in the cache folder (compiled.py): a build after an edit
compiles no template it compiled before, and code in the cache folder that this user's key
did not sign (a cache restored in CI from elsewhere, a file changed by hand) never runs."""

from __future__ import annotations

import hashlib
import hmac
import io
import marshal
import os
import pickle
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest

from conftest import USER_CACHE, propgen_env, run_propgen

EVENT = "title: Harbour Gala\ntype: gala\ndate: 2025-05-10\nsummary: A night on the water.\n"
SIGNATURE = 32  # HMAC-SHA256


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def compiled_files(site: Path) -> list[Path]:
    return sorted(p for p in (site / ".propgen-cache/templates").rglob("*") if p.is_file())


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates Jinja compiles in this process (each still compiled)."""
    names: list[str] = []
    compile = jinja2.Environment.compile

    def counted(self: jinja2.Environment, source: object, name: str | None = None, *rest: object, **options: object) -> object:
        names.append(str(name))
        return compile(self, source, name, *rest, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    return names


def build_in_process(site: Path, out: Path, cache: bool = True, written: bool = True) -> None:
    """A build as a new process makes it: nothing compiled in this one's memory."""
    import propgen.theme
    from propgen.build import BuildOptions, build
    from propgen.cache import CACHE_FOLDER, BuildCache
    from propgen.dates import now_from_env

    propgen.theme._COMPILED.clear()
    environ = {"SOURCE_DATE_EPOCH": "1794700800"}
    options = BuildOptions(
        site=site, out=out, now=now_from_env(environ), environ=environ, cache=BuildCache(site / CACHE_FOLDER) if cache else None, jobs=1
    )
    result = build(options)
    assert result.written == written, [str(p) for p in result.report.problems]


def test_a_build_after_an_edit_compiles_no_template_again(make_site: Callable[..., Path], compiles: list[str], tmp_path: Path) -> None:
    site = make_site({"content/events/gala.yaml": EVENT, "content/events/gala.md": "The night.\n"})
    theme = site / "themes/default/templates/partials"
    theme.mkdir(parents=True)  # where a template of the site's own will go (a theme folder is among the settings)
    build_in_process(site, site / "output")
    assert "event.html" in compiles and compiled_files(site)
    compiles.clear()
    (site / "content/events/gala.md").write_text("The night, and the fireworks.\n")
    build_in_process(site, site / "output")
    assert compiles == []  # the event page was rendered again from the kept code
    build_in_process(site, tmp_path / "clean", cache=False)
    assert tree(site / "output") == tree(tmp_path / "clean")
    # A template edited is compiled again (Jinja checks the code is for its source), and shown.
    builtin = Path(__file__).resolve().parents[2] / "src/propgen/themes/default/templates/partials/card.html"
    (theme / "card.html").write_text(builtin.read_text().replace('<article class="card"', '<article class="card edited"'))
    compiles.clear()
    build_in_process(site, site / "output")
    assert compiles == ["partials/card.html"]
    assert 'class="card edited"' in (site / "output/events/index.html").read_text()


def forged(entry: bytes, code: str, key: bytes, label: str) -> bytes:
    """A kept file of the same template whose code runs `code`, signed with `key`."""
    data = io.BytesIO(entry[SIGNATURE:])
    magic = data.read(len(jinja2.bccache.bc_magic))
    checksum = pickle.load(data)  # the template's source checksum: Jinja takes the code as the template's
    payload = magic + pickle.dumps(checksum, 2) + marshal.dumps(compile(code, "<forged>", "exec"))
    return hmac.new(key, label.encode() + b"\0" + payload, hashlib.sha256).digest() + payload


def test_code_in_the_cache_folder_that_this_user_did_not_sign_never_runs(
    make_site: Callable[..., Path], compiles: list[str], tmp_path: Path
) -> None:
    site = make_site({"content/events/gala.yaml": EVENT, "content/events/gala.md": "The night.\n"})
    build_in_process(site, site / "output")
    build_in_process(site, tmp_path / "clean", cache=False)
    clean = tree(tmp_path / "clean")
    marker = tmp_path / "ran"
    payload = f"open({str(marker)!r}, 'w').close()"
    key = (USER_CACHE / "propgen/template-code.key").read_bytes()
    entries = {path: path.read_bytes() for path in compiled_files(site)}

    def kept_as(make: Callable[[Path, bytes], bytes]) -> None:
        for path, entry in entries.items():
            path.write_bytes(make(path, entry))
        (site / "content/events/gala.md").write_text(f"The night {len(compiles)}.\n")
        compiles.clear()

    # Signed with another key, as a cache restored from another machine is: compiled again.
    kept_as(lambda path, entry: forged(entry, payload, os.urandom(32), path.name))
    build_in_process(site, site / "output")
    assert not marker.exists() and compiles
    assert tree(site / "output") != clean  # (the write-up changed)
    # Changed by hand after signing, or moved to another template's name: compiled again.
    kept_as(lambda path, entry: entry[:SIGNATURE] + entry[SIGNATURE:].replace(b"Harbour", b"Harbor"))
    build_in_process(site, site / "output")
    names = sorted(entries)
    kept_as(lambda path, entry: entries[names[(names.index(path) + 1) % len(names)]])
    build_in_process(site, site / "output")
    assert not marker.exists() and compiles
    # The same forgery signed with this user's key does run: what the signature keeps out.
    kept_as(lambda path, entry: forged(entry, payload, key, path.name))
    build_in_process(site, site / "output", written=False)  # (and it is no template: the pages fail)
    assert marker.exists()


def test_the_key_is_the_users_alone_and_without_a_place_for_it_nothing_is_kept(make_site: Callable[..., Path], tmp_path: Path) -> None:
    site = make_site({"content/events/gala.yaml": EVENT})
    home = tmp_path / "home"
    result = run_propgen("build", cwd=site, env=propgen_env(XDG_CACHE_HOME=str(home)))
    assert result.returncode == 0, result.stderr
    key = home / "propgen/template-code.key"
    assert len(key.read_bytes()) == 32
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    assert compiled_files(site)
    again = run_propgen("build", cwd=site, env=propgen_env(XDG_CACHE_HOME=str(home)))
    assert again.returncode == 0 and len(key.read_bytes()) == 32
    # No place for a key (the cache folder's parent is a file): the build keeps nothing on disk.
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    (site / "content/events/gala.yaml").write_text(EVENT.replace("Harbour", "Harbor"))
    for path in compiled_files(site):
        path.unlink()
    result = run_propgen("build", cwd=site, env=propgen_env(XDG_CACHE_HOME=str(blocked / "cache")))
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert compiled_files(site) == []
    assert "Harbor" in (site / "output/events/gala/index.html").read_text()


def test_another_propgen_finds_none_of_this_ones_code(make_site: Callable[..., Path]) -> None:
    """Kept code is in a folder named by propgen's code key (its code, Python, Jinja): another
    version's folder is removed by the first build that keeps code of its own."""
    site = make_site({"content/events/gala.yaml": EVENT})
    other = site / ".propgen-cache/templates/0123456789abcdef0123456789abcdef"
    other.mkdir(parents=True)
    (other / "0123").write_bytes(b"old code")
    result = subprocess.run([sys.executable, "-m", "propgen", "build"], cwd=site, env=propgen_env(), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not other.exists() and compiled_files(site)


def test_a_cache_folder_from_elsewhere_cannot_make_a_build_write_or_remove_outside_it(
    make_site: Callable[..., Path], tmp_path: Path
) -> None:
    """A cache restored in CI is anyone's: its templates/ folder, or the folder of this
    propgen's code in it, may be a link. The build removes the link (the link alone) and
    keeps its code in a folder of its own, removing and writing nothing where the link
    leads; its pages are a clean build's."""
    site = make_site({"content/events/gala.yaml": EVENT, "content/events/gala.md": "The night.\n"})
    build_in_process(site, site / "output")
    code = compiled_files(site)[0].parent
    victim = tmp_path / "victim"
    (victim / ("a" * 32)).mkdir(parents=True)  # named as a folder of another propgen's code would be
    (victim / ("a" * 32) / "keep.txt").write_text("mine\n")
    (victim / "notes.txt").write_text("mine too\n")
    before = tree(victim)
    for step, link in enumerate((code.parent, code)):  # templates/ a link; then the code's own folder one
        shutil.rmtree(code.parent, ignore_errors=True)
        if link == code:
            code.parent.mkdir()
        link.symlink_to(victim, target_is_directory=True)
        (site / "content/events/gala.md").write_text(f"The night, step {step}.\n")
        build_in_process(site, site / "output")
        assert tree(victim) == before, link  # nothing removed there, nothing written
        build_in_process(site, tmp_path / f"clean-{step}", cache=False)
        assert tree(site / "output") == tree(tmp_path / f"clean-{step}")
        assert not link.is_symlink() and compiled_files(site), link  # a folder of its own now, with the code


def test_settings_are_not_in_the_kept_code(make_site: Callable[..., Path], tmp_path: Path) -> None:
    """A filter called on a literal (`"gala"|label`) is worked out as each page renders, in its
    language and with the site's settings, never once into the kept code: after the labels or
    the language change, the pages are a clean build's."""
    site = make_site({"content/events/gala.yaml": EVENT})
    theme = site / "themes/default/templates/partials"
    theme.mkdir(parents=True)
    builtin = Path(__file__).resolve().parents[2] / "src/propgen/themes/default/templates/partials/card.html"
    (theme / "card.html").write_text(
        builtin.read_text().replace('<article class="card"', '<article title="{{ "gala"|label }}" class="card"')
    )
    config = site / "propgen.yaml"
    base = config.read_text()
    titles: list[str] = []
    for step, settings in enumerate(["", "event_type_labels:\n  gala: {en: Soiree}\n", "locale: id\n"]):
        config.write_text(base.replace("locale: en\n", "") + settings if "locale" in settings else base + settings)
        build_in_process(site, site / "output")
        build_in_process(site, tmp_path / f"clean-{step}", cache=False)
        assert tree(site / "output") == tree(tmp_path / f"clean-{step}"), settings
        titles.append(re.findall(r'<article title="([^"]*)"', (site / "output/events/index.html").read_text())[0])
    assert titles[1] == "Soiree" and len(set(titles)) == 3, titles  # the built-in label, the site's, the Indonesian


def test_the_key_is_never_kept_where_others_could_read_it_nor_inside_the_site(make_site: Callable[..., Path], tmp_path: Path) -> None:
    site = make_site({"content/events/gala.yaml": EVENT})
    home = tmp_path / "home"
    key = home / "propgen/template-code.key"
    env = propgen_env(XDG_CACHE_HOME=str(home))
    assert run_propgen("build", cwd=site, env=env).returncode == 0
    first = key.read_bytes()
    key.chmod(0o644)  # readable by others: not this user's secret any more
    (site / "content/events/gala.md").write_text("The night.\n")  # (a build with nothing changed reads no key)
    assert run_propgen("build", cwd=site, env=env).returncode == 0
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and key.read_bytes() != first
    elsewhere = tmp_path / "elsewhere.key"
    elsewhere.write_bytes(b"k" * 32)
    elsewhere.chmod(0o600)
    key.unlink()
    key.symlink_to(elsewhere)  # a link: replaced by a key of its own, the file it led to untouched
    (site / "content/events/gala.md").write_text("The night, again.\n")
    assert run_propgen("build", cwd=site, env=env).returncode == 0
    assert not key.is_symlink() and key.read_bytes() != b"k" * 32 and elsewhere.read_bytes() == b"k" * 32
    # HOME relative or empty (and no XDG_CACHE_HOME): no key at all, and none inside the site.
    for value in ("relative-home", ""):
        plain = {k: v for k, v in propgen_env().items() if k != "XDG_CACHE_HOME"}
        (site / "content/events/gala.md").write_text(f"The night, {value or 'empty'}.\n")
        result = subprocess.run(
            [sys.executable, "-m", "propgen", "build"], cwd=site, env={**plain, "HOME": value}, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        assert not (site / "relative-home").exists() and not list(site.rglob("template-code.key"))


def test_check_writes_no_code_and_no_key(make_site: Callable[..., Path], tmp_path: Path) -> None:
    site = make_site({"content/events/gala.yaml": EVENT})
    home = tmp_path / "home"
    result = run_propgen("check", cwd=site, env=propgen_env(XDG_CACHE_HOME=str(home)))
    assert result.returncode == 0, result.stderr
    assert not home.exists() and not (site / ".propgen-cache/templates").exists()


def test_a_process_keeps_the_code_of_the_latest_settings_only(make_site: Callable[..., Path]) -> None:
    """The preview builds at every save in one process: code of settings it will not see again
    (propgen.yaml saved) is let go, not kept beside the new."""
    import propgen.theme
    from propgen.build import BuildOptions, build
    from propgen.cache import BuildCache
    from propgen.dates import now_from_env

    site = make_site({"content/events/gala.yaml": EVENT})
    environ = {"SOURCE_DATE_EPOCH": "1794700800"}
    options = BuildOptions(site=site, out=site / "output", now=now_from_env(environ), environ=environ, cache=BuildCache(None), jobs=1)
    settings: list[set[str]] = []
    for title in ("Test Events", "Harbour Events", "Quay Events"):
        config = site / "propgen.yaml"
        config.write_text(config.read_text().replace(config.read_text().splitlines()[0], f"title: {title}"))
        assert build(options).written
        settings.append({kept for kept, _locale, _name in propgen.theme._COMPILED})
    assert all(len(kept) == 1 for kept in settings) and len(set.union(*settings)) == 3, settings
