"""A site in the coordinator's language, a proposal in the client's: what each page says."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from conftest import STRONG_SECRET, propgen_env, run_propgen

REPO = Path(__file__).resolve().parents[2]
CATALOG = REPO / "src/propgen/themes/default/locales/id/LC_MESSAGES/messages.po"
SECRET = "a-long-test-secret-for-the-i18n-tests-0123456789"

EVENT = """\
title: Pernikahan Taman Ubud
type: wedding
date: 2025-06-12
end_date: 2025-06-13
summary: Resepsi sore di taman untuk 120 tamu.
venue: {name: Taman Ubud, city: Ubud, country: Indonesia}
guests: 120
tags: [taman]
"""
WRITEUP = "Resepsi sore di taman bersama keluarga dan sahabat.\n"
PROPOSAL = """\
title: Pernikahan Rina dan Dimas
client: {{name: Rina Maharani}}
prepared_on: 2026-12-01
valid_until: 2027-12-30
{locale}event:
  type: wedding
  date: 2027-06-12
  end_date: 2027-06-13
timeline:
  - {{before: 3 months, task: Tanda tangan kontrak tempat}}
budget:
  items:
    - {{section: Koordinasi, item: Tim perencana di lokasi, qty: 2, unit: days, price: 1500}}
payment_schedule:
  - {{percent: 50, due: saat penandatanganan}}
  - {{percent: 50, before: 7 days}}
accept: {{email: halo@acara.example}}
"""


def config(locale: str) -> str:
    return f"title: Acara Sari\nbase_url: https://acara.example/\nlocale: {locale}\ncurrency: EUR\ncoordinator: {{name: Sari Wijaya, email: sari@acara.example}}\n"


def visible_text(page: Path) -> str:
    text = re.sub(r"(?s)<script.*?</script>|<style.*?</style>", "", page.read_text(encoding="utf-8"))
    attributes = " ".join(re.findall(r'(?:aria-label|title|alt|placeholder)="([^"]*)"', text))
    return html.unescape(re.sub(r"<[^>]+>", " ", text) + " " + attributes)


def english_phrases() -> set[str]:
    """Each English msgid's words between its placeholders, where the Indonesian differs."""
    with CATALOG.open("rb") as f:
        catalog = read_po(f)
    phrases = set()
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids if message.id else ():
            for part in re.split(r"%\(\w+\)s|%%|\n", msgid):
                part = part.strip(" ,.:;()“”?")
                if len(part) >= 3 and not any(part in s for s in strings):
                    phrases.add(part)
    return phrases


def build(make_site: Callable[..., Path], locale: str, proposal_locale: str = "") -> Path:
    site = make_site(
        {
            "propgen.yaml": config(locale),
            "content/events/pernikahan-taman-ubud.yaml": EVENT,
            "content/events/pernikahan-taman-ubud.md": WRITEUP,
            "content/pages/tentang.md": "---\ntitle: Tentang kami\n---\nKami merencanakan acara di Bali.\n",
            "content/proposals/rina-dimas.yaml": PROPOSAL.format(locale=f"locale: {proposal_locale}\n" if proposal_locale else ""),
            "content/proposals/rina-dimas.md": "Yth. Ibu Rina,\n\nTerima kasih.\n",
        }
    )
    result = run_propgen("build", cwd=site, env=propgen_env(PROPGEN_SECRET=SECRET))
    assert result.returncode == 0, result.stderr
    return site / "output"


def proposal_page(out: Path) -> Path:
    return next(out.glob("p/rina-dimas-*/index.html"))


def test_an_indonesian_site_has_no_english_word_of_the_theme(make_site: Callable[..., Path]) -> None:
    out = build(make_site, "id")
    phrases = english_phrases()
    pages = sorted(p for p in out.rglob("*") if p.suffix in (".html", ".xml", ".ics"))
    assert len(pages) >= 8
    left = {}
    for page in pages:
        text = visible_text(page)
        found = sorted(p for p in phrases if re.search(r"(?<!\w)" + re.escape(p) + r"(?!\w)", text))
        if found:
            left[page.relative_to(out).as_posix()] = found
    assert left == {}
    proposal = visible_text(proposal_page(out))
    assert "Siap melangkah bersama kami?" in proposal and "Jadwal pembayaran" in proposal
    assert "12–13 Juni 2027" in proposal  # the range says its month and year once
    assert "2 hari" in proposal and "3 bulan sebelumnya" in proposal
    assert "Pernikahan" in visible_text(out / "index.html")  # the built-in type's label


def test_a_german_site_formats_the_german_way_with_english_words(make_site: Callable[..., Path]) -> None:
    proposal = visible_text(proposal_page(build(make_site, "de_DE")))
    assert "12.–13. Juni 2027" in proposal
    assert "3.000,00\xa0€" in proposal or "3.000\xa0€" in proposal
    assert "Ready to go ahead?" in proposal and "Payment schedule" in proposal and "2 days" in proposal


def test_a_language_the_theme_has_no_words_in_is_a_warning_where_it_is_asked_for(make_site: Callable[..., Path]) -> None:
    """Dates and money follow any locale Babel knows, the theme's words only the languages it
    has catalogs of: a page in another language mixes English headings into it. Said where the
    language is written, once each; a catalog of that language in the site's theme ends it."""
    site = make_site(
        {
            "propgen.yaml": config("de_DE"),
            "content/events/pernikahan-taman-ubud.yaml": EVENT,
            "content/proposals/rina-dimas.yaml": PROPOSAL.format(locale="locale: fr\n"),
        }
    )
    result = run_propgen("build", cwd=site, env=propgen_env(PROPGEN_SECRET=SECRET))
    assert result.returncode == 0, result.stderr
    said = [line for line in result.stderr.splitlines() if "has no words" in line]
    assert said == [
        "content/proposals/rina-dimas.yaml:5:9: warning: the theme 'default' has no words in French ('fr'): headings, buttons and"
        " labels will show in English (hint: add French to the theme (docs/themes.md, Adding a language to a theme), or use a"
        " language it has: en, id)",
        "propgen.yaml:3:9: warning: the theme 'default' has no words in German ('de_DE'): headings, buttons and labels will show"
        " in English (hint: add German to the theme (docs/themes.md, Adding a language to a theme), or use a language it has: en, id)",
    ]
    assert run_propgen("build", "--strict", cwd=site, env=propgen_env(PROPGEN_SECRET=SECRET)).returncode == 1
    catalog = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Payment schedule"\nmsgstr "{}"\n'
    for language, words in (("de", "Zahlungsplan"), ("fr", "Échéancier")):
        (site / f"themes/default/locales/{language}/LC_MESSAGES").mkdir(parents=True)
        (site / f"themes/default/locales/{language}/LC_MESSAGES/messages.po").write_text(catalog.format(words))
    again = run_propgen("build", cwd=site, env=propgen_env(PROPGEN_SECRET=SECRET))
    assert again.returncode == 0 and "has no words" not in again.stderr, again.stderr
    assert "Échéancier" in visible_text(proposal_page(site / "output"))


def test_an_english_proposal_on_an_indonesian_site(make_site: Callable[..., Path]) -> None:
    out = build(make_site, "id", proposal_locale="en")
    proposal = visible_text(proposal_page(out))
    assert "Ready to go ahead?" in proposal and "Payment schedule" in proposal
    assert "June 12\u2009\u2013\u200913, 2027" in proposal and "2 days" in proposal and "3 months before" in proposal
    assert "Siap melangkah" not in proposal and "Jadwal pembayaran" not in proposal
    assert '<html lang="en">' in proposal_page(out).read_text()
    assert "Acara pilihan" in visible_text(out / "index.html")  # the rest of the site stays Indonesian


def test_an_indonesian_proposal_on_an_english_site(make_site: Callable[..., Path]) -> None:
    out = build(make_site, "en", proposal_locale="id")
    proposal = visible_text(proposal_page(out))
    assert "Siap melangkah bersama kami?" in proposal and "12–13 Juni 2027" in proposal and "2 hari" in proposal
    assert "Ready to go ahead?" not in proposal
    assert '<html lang="id">' in proposal_page(out).read_text()
    assert "Featured events" in visible_text(out / "index.html")


def test_new_proposal_on_an_indonesian_site_greets_the_client_in_indonesian(make_site: Callable[..., Path], tmp_path: Path) -> None:
    """The template's words a client reads (title, cover letter, timeline, section, when the first
    instalment is due) are written in the proposal's language, so an Indonesian client does not
    get "on acceptance" in the middle of an Indonesian page."""
    site = make_site({})
    config = site / "propgen.yaml"
    config.write_text(config.read_text().replace("locale: en", "locale: id").replace("currency: USD", "currency: IDR"))
    assert run_propgen("new", "proposal", "Dewi & Arif", cwd=site).returncode == 0
    assert run_propgen("new", "proposal", "Harbour Logistics", "--locale", "en", cwd=site).returncode == 0
    built = run_propgen("build", "--out", str(tmp_path / "out"), cwd=site, env=propgen_env(PROPGEN_SECRET=STRONG_SECRET))
    assert built.returncode == 0, built.stderr
    indonesian = visible_text(next((tmp_path / "out/p").glob("dewi-arif-*/index.html")))
    for words in (
        "Proposal acara Dewi & Arif",
        "Yth. Dewi & Arif,",
        "Tanda tangan kontrak venue",
        "Konfirmasi jumlah tamu",
        "Koordinasi",
        "saat persetujuan",
    ):
        assert words in indonesian
    for english in ("event proposal", "Dear", "Sign the venue contract", "Coordination", "on acceptance"):
        assert english not in indonesian
    english_page = visible_text(next((tmp_path / "out/p").glob("harbour-logistics-*/index.html")))
    assert (
        "Harbour Logistics event proposal" in english_page and "on acceptance" in english_page and "Dear Harbour Logistics," in english_page
    )


def test_new_proposal_in_another_language(make_site: Callable[..., Path], tmp_path: Path) -> None:
    site = make_site({})
    result = run_propgen("new", "proposal", "PT Baru Jaya", "--locale", "id", cwd=site)
    assert result.returncode == 0, result.stderr
    assert "\nlocale: id " in (site / "content/proposals/pt-baru-jaya.yaml").read_text()
    built = run_propgen("build", "--out", str(tmp_path / "out"), cwd=site, env=propgen_env(PROPGEN_SECRET=STRONG_SECRET))
    assert built.returncode == 0, built.stderr
    page = next((tmp_path / "out/p").glob("pt-baru-jaya-*/index.html")).read_text()
    assert '<html lang="id"' in page
    wrong = run_propgen("new", "proposal", "Other", "--locale", "klingon", cwd=site)
    assert wrong.returncode == 2
    assert wrong.stderr == (
        "propgen: error: --locale 'klingon' is not a language code propgen knows (hint: propgen has no dates, numbers or words"
        " for Klingon; write a language code:  id  for Indonesian,  en  for English (or de, fr, pt_BR ...))\n"
    )
    assert not (site / "content/proposals/other.yaml").exists()


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (("build", "--locale", "id"), "write  locale: id  in propgen.yaml"),
        (("check", "--locale=en-us"), "write  locale: en_US  in propgen.yaml"),
        (("serve", "--locale", "klingon"), "write  locale: id  for Indonesian or  locale: en  for English in propgen.yaml"),
    ],
)
def test_a_locale_given_to_build_says_where_a_sites_language_goes(make_site: Callable[..., Path], args: tuple[str, ...], hint: str) -> None:
    site = make_site({})
    result = run_propgen(*args, cwd=site)
    assert result.returncode == 2
    assert result.stderr == f"propgen: error: propgen {args[0]} has no --locale: a site's language is set in propgen.yaml (hint: {hint})\n"
    assert not (site / "output").exists()
