"""Re-extract the built-in theme's strings and bring every catalog up to date, in one command:

    .venv/bin/python tools/update_catalogs.py

It runs `pybabel extract` (babel.cfg) into locales/messages.pot and `pybabel update` on each
language's messages.po (and the same for propgen's own preview pages: babel-preview.cfg into
src/propgen/locales/<lang>/LC_MESSAGES/propgen.po), then fills the English catalog (English is the fallback, its
translation is its msgid) and lists what each other language still lacks. Translate those
entries in the .po files (remove `#, fuzzy` once checked); tests/unit/test_catalogs.py
fails until every entry is translated. No compile step: propgen reads .po files directly.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parent.parent
LOCALES = REPO / "src/propgen/themes/default/locales"
PROPGEN_LOCALES = REPO / "src/propgen/locales"  # propgen's own pages (the preview server): the `propgen` domain
LANGUAGES = ("en", "id")
KEYWORDS = ["-k", "N_", "-k", "NN_:1,2"]  # the markers of src/propgen/i18n.py
PYBABEL = str(Path(sys.executable).with_name("pybabel"))


def extract(mapping: str, output: Path) -> None:
    command = [
        PYBABEL,
        "-q",
        "extract",
        "-F",
        mapping,
        *KEYWORDS,
        "--no-location",
        "--sort-output",
        "--project=propgen",
        "-o",
        str(output),
        ".",
    ]
    subprocess.run(command, cwd=REPO, check=True)


def update(mapping: str, locales: Path, domain: str) -> int:
    """Extract one domain's strings, bring each language's catalog up to date (starting it
    when missing), fill in English, and count what the other languages still lack."""
    pot = locales / f"{domain}.pot"
    locales.mkdir(parents=True, exist_ok=True)
    extract(mapping, pot)
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
    missing = update("babel.cfg", LOCALES, "messages")
    missing += update("babel-preview.cfg", PROPGEN_LOCALES, "propgen")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
