"""Sponsorship prospectuses as a user and a sponsor see them: the demo's pages, their privacy,
what each prospect's page highlights, the acceptance it sends, and `propgen proposals`."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from conftest import STRONG_SECRET, demo_env, propgen_env, run_propgen

PROSPECTS = {  # slug: (name, note, the segments its page must highlight)
    "riset-kanker": (
        "Indonesian Cancer Research Group",
        "Your latest findings, in front of the patient groups of East Java.",
        ["Patients and survivors"],
    ),
    "onkofarma": ("PT Onkofarma Indonesia", "A quarter of the room prescribes oncology treatments", ["Oncologists"]),
    "rs-harapan": ("Harapan Hospital Group", "Every nurse and clinician of the forum", ["Oncologists", "Nurses"]),
}
PRICES = [
    "IDR\u00a0250,000,000",
    "IDR\u00a0120,000,000",
    "IDR\u00a060,000,000",
    "IDR\u00a035,000,000",
]  # the tiers in English: the code apart from the digits


def page(out: Path, prospect: str) -> str:
    return next((out / "p").glob(f"oncology-forum-2027-{prospect}-*/index.html")).read_text()


def test_no_prospect_name_note_price_or_link_in_any_public_file(built_demo: Path) -> None:
    private = [p for p in (built_demo / "p").iterdir()]
    links = [p.name for p in private if p.name.startswith("oncology-forum-2027")]
    assert len(links) == 4  # three prospects and the team overview
    public = [f for f in built_demo.rglob("*") if f.is_file() and (built_demo / "p") not in f.parents]
    words = [w for name, note, _ in PROSPECTS.values() for w in (name, note)] + PRICES + links + ["oncology-forum-2027"]
    for file in public:
        text = file.read_text(errors="replace")
        found = [w for w in words if w in text]
        assert not found, f"{file.relative_to(built_demo)} shows {found}"
    assert any(f.name == "sitemap.xml" for f in public) and any(f.name == "feed.xml" for f in public)


def test_each_prospect_page_highlights_exactly_its_segments(built_demo: Path) -> None:
    for slug in ("riset-kanker", "rs-harapan"):
        html = page(built_demo, slug)
        highlighted = re.findall(r'<tr class="segment-match"><th scope="row">([^<]+)</th>', html)
        assert highlighted == PROSPECTS[slug][2]
        assert len(re.findall(r'class="segment segment-match"', html)) == len(PROSPECTS[slug][2])  # the chart agrees
        assert '<meta name="robots" content="noindex, nofollow">' in html and '<meta name="referrer" content="no-referrer">' in html
    # The demo's prospectus says `locale: en` on an Indonesian-first site: its pages are in English.
    assert "35% of attendees, about 140 people, match what you want to reach." in page(built_demo, "riset-kanker")
    assert "45% of attendees, about 180 people, match what you want to reach." in page(built_demo, "rs-harapan")
    assert '<html lang="en"' in page(built_demo, "riset-kanker")


def test_a_protected_prospect_shows_nothing_without_its_password(built_demo: Path) -> None:
    html = page(built_demo, "onkofarma")
    name, note, _ = PROSPECTS["onkofarma"]
    assert 'id="propgen-payload"' in html
    assert name not in html and note not in html and "Oncologists" not in html and PRICES[0] not in html


def test_the_acceptance_carries_tier_prospect_and_version(built_demo: Path) -> None:
    html = page(built_demo, "rs-harapan")
    form = re.search(r'<form class="accept-form" method="post" action="([^"]+)">(.*?)</form>', html, re.S)
    assert form and form.group(1) == "https://forms.sariwijaya.example/sponsor"
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form.group(2)))
    assert fields["sponsorship"] == "oncology-forum-2027" and fields["prospect"] == "rs-harapan"
    assert re.fullmatch(r"[0-9a-f]{12}", fields["version"])
    radios = re.findall(r'<input type="radio" name="tier" value="([^"]+)" id="[^"]+"( disabled| checked)?', form.group(2))
    assert radios == [("Platinum", ""), ("Gold", ""), ("Silver", " disabled"), ("Booth", "")]  # Silver, suggested, is sold out
    mailto = unquote(re.search(r'href="mailto:sponsors@sariwijaya.example\?([^"]+)"', html).group(1))  # type: ignore[union-attr]
    assert f"Prospect: rs-harapan\r\nVersion: {fields['version']}" in mailto
    riset = page(built_demo, "riset-kanker")
    assert re.search(r'value="Gold" id="tier-2" checked', riset)  # the suggested tier is preselected


def test_version_changes_with_what_the_sponsor_saw(make_site: Callable[[dict[str, str | bytes]], Path]) -> None:
    record = """\
        title: Forum
        event: {date: 2027-06-12}
        audience: {total: 100, segments: [{name: Nurses, percent: 50, tags: [nurses]}]}
        tiers: [{name: Gold, price: PRICE, available: 2}]
        prospects: [{slug: rs, name: Hospital, wants: [nurses], suggested: Gold}]
        accept: {url: https://forms.events.example/s}
        """
    versions = []
    for price in ("100", "100", "120"):
        site = make_site({"content/sponsorships/forum.yaml": record.replace("PRICE", price)})
        result = run_propgen("build", cwd=site, env=propgen_env(PROPGEN_SECRET=STRONG_SECRET))
        assert result.returncode == 0, result.stderr
        html = next((site / "output/p").glob("forum-rs-*/index.html")).read_text()
        versions.append(re.search(r'name="version" value="([0-9a-f]{12})"', html).group(1))  # type: ignore[union-attr]
    assert versions[0] == versions[1] != versions[2]


def test_an_expired_prospectus_shows_no_prices(make_site: Callable[[dict[str, str | bytes]], Path]) -> None:
    site = make_site(
        {
            "content/sponsorships/forum.yaml": """\
            title: Forum
            event: {date: 2027-06-12}
            valid_until: 2026-10-01
            audience: {total: 100}
            tiers: [{name: Gold, price: 4321, available: 2}]
            prospects: [{slug: rs, name: Hospital}]
            accept: {email: sponsors@events.example}
            """
        }
    )
    result = run_propgen("build", "--strict", cwd=site, env=propgen_env(PROPGEN_SECRET=STRONG_SECRET))
    assert result.returncode == 0
    assert result.stderr == (
        "content/sponsorships/forum.yaml:3:14: warning: the prospectus for Hospital expired on 2026-10-01; its page shows the expired notice"
        " (hint: to send it again, move valid_until later; to take its link down, remove the prospect)\n"
    )
    html = next((site / "output/p").glob("forum-rs-*/index.html")).read_text()
    assert "This prospectus has expired" in html and "4,321" not in html and "Gold" not in html


def test_propgen_proposals_lists_every_prospect_link(demo_copy: Path) -> None:
    result = run_propgen("proposals", cwd=demo_copy, env=demo_env())
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert re.search(r"team overview: https://sariwijaya.example/p/oncology-forum-2027-[A-Za-z0-9_-]{22}/", out)
    for slug, (name, _note, _segments) in PROSPECTS.items():
        assert f"  {name}  (prospect {slug})" in out
        assert re.search(rf"link:        https://sariwijaya.example/p/oncology-forum-2027-{slug}-[A-Za-z0-9_-]{{22}}/", out)
    assert "suggested:   Silver  SOLD OUT" in out
    assert "protected:   yes, password in $ONKOFARMA_PROSPECTUS_PASSWORD" in out


def test_new_sponsorship_scaffold_builds_but_warns_at_each_example_value(make_site: Callable[..., Path]) -> None:
    """A sponsor must never open a page addressed to "The sponsor's organisation"."""
    site = make_site({})
    result = run_propgen("new", "sponsorship", "Annual Forum 2027", cwd=site)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "created content/sponsorships/annual-forum-2027.yaml\n"
    built = run_propgen("build", cwd=site, env=propgen_env(PROPGEN_SECRET=STRONG_SECRET))
    assert built.returncode == 0, built.stderr
    assert built.stderr.splitlines() == [
        "content/sponsorships/annual-forum-2027.yaml:7:10: warning: this summary is still the example from  propgen new sponsorship:"
        " 'One line on why sponsors should be there.' (hint: write why sponsors should be there, in one line)",
        "content/sponsorships/annual-forum-2027.yaml:20:11: warning: this prospect is still the example from  propgen new sponsorship:"
        " 'The sponsor's organisation' (hint: write the sponsor's name, as their page will greet them)",
        "content/sponsorships/annual-forum-2027.yaml:24:11: warning: this note is still the example from  propgen new sponsorship:"
        " 'Why this audience suits them, in one sentence.' (hint: write why this audience suits this sponsor, or remove the line)",
    ]
    assert run_propgen("build", "--strict", cwd=site, env=propgen_env(PROPGEN_SECRET=STRONG_SECRET)).returncode == 1
    config = site / "propgen.yaml"
    config.write_text(re.sub(r"email: \S+?([},])", r"email: hello@example.com\1", config.read_text(), count=1))
    (site / "content/sponsorships/annual-forum-2027.yaml").unlink()
    assert run_propgen("new", "sponsorship", "Annual Forum 2027", cwd=site).returncode == 0
    built = run_propgen("build", cwd=site, env=propgen_env(PROPGEN_SECRET=STRONG_SECRET))
    assert (
        "content/sponsorships/annual-forum-2027.yaml:27:17: warning: the sponsor's acceptance would go to the example address"
        " hello@example.com (hint: write the address where you want to receive the sponsor's yes)"
    ) in built.stderr.splitlines()
    again = run_propgen("new", "sponsorship", "Annual Forum 2027", cwd=site)
    assert again.returncode == 1 and "this file already exists" in again.stderr


def test_a_protected_prospect_without_its_password_is_an_error_about_the_prospect(make_site: Callable[..., Path]) -> None:
    site = make_site({})
    assert run_propgen("new", "sponsorship", "Annual Forum 2027", cwd=site).returncode == 0
    record = site / "content/sponsorships/annual-forum-2027.yaml"
    record.write_text(record.read_text().replace("# password_env: FIRST_PROSPECT_PASSWORD", "password_env: FIRST_PROSPECT_PASSWORD"))
    line = next(n for n, text in enumerate(record.read_text().splitlines(), 1) if "password_env:" in text)
    built = run_propgen("build", cwd=site, env=propgen_env(PROPGEN_SECRET=STRONG_SECRET))
    assert built.returncode == 1
    assert (
        f"content/sponsorships/annual-forum-2027.yaml:{line}:19: error: this prospect's page is protected by the password in the"
        " environment variable FIRST_PROSPECT_PASSWORD, which is not set"
        " (hint: set it before building, e.g.  export FIRST_PROSPECT_PASSWORD='the password you give the sponsor')\n"
    ) in built.stderr


def test_a_prospect_may_have_a_language_of_its_own(demo_copy: Path, built_demo: Path, tmp_path: Path) -> None:
    """`locale:` on one prospect overrides the sponsorship's: its page, words and formats in that language."""
    site = tmp_path / "site"
    shutil.copytree(demo_copy, site, ignore=shutil.ignore_patterns("output"))  # with built_demo's processed photos
    record = site / "content/sponsorships/oncology-forum-2027.yaml"
    text = record.read_text()
    assert "  - slug: rs-harapan\n" in text
    record.write_text(text.replace("  - slug: rs-harapan\n", "  - slug: rs-harapan\n    locale: id\n", 1))
    result = run_propgen("build", cwd=site, env=demo_env())
    assert result.returncode == 0, result.stderr
    harapan, riset = page(site / "output", "rs-harapan"), page(site / "output", "riset-kanker")
    assert '<html lang="id"' in harapan and "45% peserta, sekitar 180 orang, sesuai dengan sasaran Anda." in harapan
    assert '<html lang="en"' in riset
