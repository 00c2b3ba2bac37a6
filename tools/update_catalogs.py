"""Re-extract the built-in theme's strings and bring every catalog up to date, in one command:

    .venv/bin/python tools/update_catalogs.py

It runs `pybabel extract` (babel.cfg) into locales/messages.pot and `pybabel update` on each
language's messages.po, then fills the English catalog (English is the fallback, its
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
POT = LOCALES / "messages.pot"
KEYWORDS = ["-k", "N_", "-k", "NN_:1,2"]  # the markers of src/propgen/i18n.py
PYBABEL = str(Path(sys.executable).with_name("pybabel"))


def extract(output: Path) -> None:
    command = [
        PYBABEL,
        "-q",
        "extract",
        "-F",
        "babel.cfg",
        *KEYWORDS,
        "--no-location",
        "--sort-output",
        "--project=propgen",
        "-o",
        str(output),
        ".",
    ]
    subprocess.run(command, cwd=REPO, check=True)


def main() -> int:
    extract(POT)
    subprocess.run([PYBABEL, "-q", "update", "-i", str(POT), "-d", str(LOCALES), "--no-fuzzy-matching", "--ignore-obsolete"], check=True)
    english = LOCALES / "en/LC_MESSAGES/messages.po"
    with english.open("rb") as f:
        catalog = read_po(f)
    for message in catalog:
        if message.id:
            message.string = message.id
            message.flags.discard("fuzzy")
    with english.open("wb") as f:
        write_po(f, catalog, width=0)
    missing = 0
    for po in sorted(LOCALES.glob("*/LC_MESSAGES/messages.po")):
        with po.open("rb") as f:
            catalog = read_po(f)
        for message in catalog:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.id and (message.fuzzy or not all(strings)):
                missing += 1
                print(f"{po.relative_to(REPO)}: to translate: {message.id!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
