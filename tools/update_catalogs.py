"""Re-extract the built-in themes' strings and propgen's own, and bring every catalog up to
date, in one command:

    .venv/bin/python tools/update_catalogs.py

For each built-in theme it runs `pybabel extract` (babel.cfg; for a theme that extends
another, the babel.cfg in its folder, keeping only the strings its parent's catalog lacks)
into locales/messages.pot and `pybabel update` on each language's messages.po; the same for
propgen's own preview pages (babel-preview.cfg into src/propgen/locales/<lang>/LC_MESSAGES/
propgen.po). Then it fills the English catalogs (English is the fallback, its translation is
its msgid) and lists what each other language still lacks. Translate those entries in the
.po files (remove `#, fuzzy` once checked); tests/unit/test_catalogs.py fails until every
entry is translated. No compile step: propgen reads .po files directly.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parent.parent
THEMES = REPO / "src/propgen/themes"
# Each built-in theme's extraction settings, and the theme whose catalog it builds on.
CATALOGS = {"default": (REPO / "babel.cfg", None), "editorial": (THEMES / "editorial/babel.cfg", "default")}
PROPGEN_LOCALES = REPO / "src/propgen/locales"  # propgen's own pages (the preview server): the `propgen` domain
LANGUAGES = ("en", "id")
KEYWORDS = ["-k", "N_", "-k", "NN_:1,2"]  # the markers of src/propgen/i18n.py
PYBABEL = str(Path(sys.executable).with_name("pybabel"))


def extract(output: Path, settings: Path) -> None:
    command = [
        PYBABEL,
        "-q",
        "extract",
        "-F",
        str(settings),
        *KEYWORDS,
        "--no-location",
        "--sort-output",
        "--project=propgen",
        "-o",
        str(output),
        ".",
    ]
    subprocess.run(command, cwd=REPO, check=True)


def without_parents(pot: Path, parent: str) -> None:
    """Leave out of a theme's template what the catalog it extends already translates."""
    with (THEMES / parent / "locales/messages.pot").open("rb") as f:
        inherited = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    with pot.open("rb") as f:
        catalog = read_po(f)
    for message in list(catalog):
        key = message.id if isinstance(message.id, str) else message.id[0]
        if key and key in inherited:
            del catalog[message.id]
    with pot.open("wb") as f:
        write_po(f, catalog, width=0)


def update(settings: Path, locales: Path, domain: str, parent: str | None = None) -> int:
    """Extract one catalog's strings, bring each language's catalog up to date (starting it
    when missing), fill in English, and count what the other languages still lack."""
    pot = locales / f"{domain}.pot"
    locales.mkdir(parents=True, exist_ok=True)
    extract(pot, settings)
    if parent is not None:
        without_parents(pot, parent)
    for language in LANGUAGES:
        if not (locales / language / "LC_MESSAGES" / f"{domain}.po").is_file():
            subprocess.run([PYBABEL, "-q", "init", "-i", str(pot), "-d", str(locales), "-D", domain, "-l", language], check=True)
    subprocess.run(
        [PYBABEL, "-q", "update", "-i", str(pot), "-d", str(locales), "-D", domain, "--no-fuzzy-matching", "--ignore-obsolete"],
        check=True,
    )
    english = locales / f"en/LC_MESSAGES/{domain}.po"
    with english.open("rb") as f:
        catalog = read_po(f)
    for message in catalog:
        if message.id:
            message.string = message.id
            message.flags.discard("fuzzy")
    with english.open("wb") as f:
        write_po(f, catalog, width=0)
    missing = 0
    for po in sorted(locales.glob(f"*/LC_MESSAGES/{domain}.po")):
        with po.open("rb") as f:
            catalog = read_po(f)
        for message in catalog:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.id and (message.fuzzy or not all(strings)):
                missing += 1
                print(f"{po.relative_to(REPO)}: to translate: {message.id!r}")
    return missing


def main() -> int:
    # The parent theme first: its template filters the others.
    missing = sum(update(settings, THEMES / theme / "locales", "messages", parent) for theme, (settings, parent) in CATALOGS.items())
    missing += update(REPO / "babel-preview.cfg", PROPGEN_LOCALES, "propgen")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
