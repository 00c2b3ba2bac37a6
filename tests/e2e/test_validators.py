"""Every built page of the demo passes the W3C Nu HTML validator (vnu.jar, on Java) with zero
errors: every page kind, the open, protected (locked and as it reads unlocked) and expired
proposals, and the preview server's own pages. The themes' CSS passes stylelint with the
configuration in .ci/node/stylelint.config.mjs (the validator's CSS profile predates
current CSS such as aspect-ratio, so CSS is left to stylelint)."""

from __future__ import annotations

import json
import re
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

from browser_support import PROTECTED, PROTECTED_PASSWORD, STYLELINT, STYLELINT_CONFIG, VNU, java, node, node_file, proposal_path, serving

from conftest import REPO, THEMES, demo_env
from propgen.crypto import Payload, decrypt


def unlocked(locked: str, password: str) -> str:
    """The protected page as the reader sees it after typing the password: what unlock.js does
    (the title replaced, <main> filled with the decrypted content), done here in Python."""
    payload = re.search(r'<script type="application/json" id="propgen-payload">(.*?)</script>', locked, re.S)
    assert payload is not None
    content = json.loads(decrypt(Payload.from_json(payload.group(1)), password))
    page = re.sub(r"<title>.*?</title>", lambda _: f"<title>{content['title']}</title>", locked, count=1, flags=re.S)
    return re.sub(r'(<main id="main"[^>]*>).*?(</main>)', lambda m: m.group(1) + content["html"] + m.group(2), page, count=1, flags=re.S)


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return str(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:  # the preview's error page comes with status 500
        return str(exc.read().decode("utf-8"))


def nu_errors(files: list[Path]) -> list[str]:
    """Run the validator once over all files (it takes seconds to start); its errors as path:line:col lines."""
    result = subprocess.run(
        [java(), "-jar", str(node_file(VNU)), "--errors-only", "--also-check-svg", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [
        f"{m.get('url', '').removeprefix('file:')}:{m.get('lastLine', 0)}:{m.get('firstColumn', 0)}: {m['message']}"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]


def test_every_page_passes_the_nu_validator(built_themes: dict[str, Path], demo_copy: Path, tmp_path: Path) -> None:
    """Every built page of the demo in each built-in theme, the protected proposal as it reads
    unlocked in each, and (once: they do not depend on the theme) the preview server's own
    pages, in one run of the validator (Java takes seconds to start and warm up)."""
    files: list[Path] = []
    for theme in THEMES:
        built_demo = built_themes[theme]
        pages = sorted(built_demo.rglob("*.html")) + sorted(built_demo.rglob("*.svg"))
        assert len(pages) > 40, theme
        extra = tmp_path / theme
        extra.mkdir()
        locked = (built_demo / proposal_path(PROTECTED) / "index.html").read_text()
        (extra / "proposal-unlocked.html").write_text(unlocked(locked, PROTECTED_PASSWORD))
        assert "Jadwal pembayaran" in (extra / "proposal-unlocked.html").read_text()  # an Indonesian proposal
        if theme == "default":
            preview_pages(demo_copy, tmp_path, extra)
        files += [*pages, *sorted(extra.iterdir())]
    assert nu_errors(files) == []


def preview_pages(demo_copy: Path, tmp_path: Path, extra: Path) -> None:
    """The preview server's index and error pages, saved into `extra`."""
    process, url = serving(demo_copy, demo_env())
    try:
        (extra / "preview-index.html").write_text(fetch(url + "_propgen/"))
    finally:
        process.terminate()
        process.wait(timeout=20)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "propgen.yaml").write_text("title: Broken\nbase_url: https://x.example/\n")
    process, url = serving(broken, demo_env())
    try:
        (extra / "preview-error.html").write_text(fetch(url))
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert "Jadwal pembayaran" in (extra / "proposal-unlocked.html").read_text()
    assert "Indeks pratinjau" in (extra / "preview-index.html").read_text()  # the demo is Indonesian first
    assert "could not be built" in (extra / "preview-error.html").read_text()


def stylelint(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [node(), str(node_file(STYLELINT)), "--config", str(STYLELINT_CONFIG), "--formatter", "unix", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=REPO,
    )


def test_the_themes_css_passes_stylelint() -> None:
    sheets = sorted((REPO / "src/propgen/themes").glob("*/static/**/*.css")) + sorted((REPO / "themes").glob("*/static/**/*.css"))
    assert len(sheets) >= 3
    result = stylelint(*sheets)
    assert result.stdout + result.stderr == ""
    assert result.returncode == 0


def test_stylelint_still_catches_real_mistakes(tmp_path: Path) -> None:
    """The configuration turns off style preferences only: a misspelt property, an impossible
    value and a declaration overridden in its own block are still errors."""
    sheet = tmp_path / "broken.css"
    sheet.write_text(".card { colr: red; }\n.hero { width: 10pz; }\n.tag { color: red; color: blue; }\n")
    result = stylelint(sheet)
    found = re.findall(r"^.*?:(\d+):\d+: .*\((\S+)\) \[error\]$", result.stdout + result.stderr, re.M)
    assert found == [
        ("1", "property-no-unknown"),
        ("2", "declaration-property-value-no-unknown"),
        ("3", "declaration-block-no-duplicate-properties"),
    ]
    assert result.returncode == 2
