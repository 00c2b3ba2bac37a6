"""Proposals: private links, privacy, expiry, passwords and their error messages."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from cryptography.exceptions import InvalidTag

from conftest import DEMO_REMINDERS, DEMO_SECRET, MINIMAL_PROPOSAL, REPO, STRONG_SECRET, demo_env, propgen_env, run_propgen
from propgen.crypto import ITERATIONS, Payload, decrypt
from propgen.links import token

PROPOSALS = sorted((REPO / "content/proposals").glob("*.yaml"))


def proposal_folder(built: Path, slug: str) -> Path:
    return built / "p" / f"{slug}-{token(DEMO_SECRET, 'proposal', slug)}"


PUBLIC_SOURCES = "".join(p.read_text() for folder in ("events", "pages") for p in (REPO / "content" / folder).iterdir())


def secrets_of(path: Path) -> list[str]:
    """What must never leak: title, client, token and every line item of a proposal (both as
    written and HTML-escaped), leaving out item names the public write-ups use themselves."""
    data = yaml.safe_load(path.read_text())
    items = [line["item"] for line in data.get("budget", {}).get("items", []) if line["item"] not in PUBLIC_SOURCES]
    needles = [data["title"], data["client"]["name"], token(DEMO_SECRET, "proposal", path.stem), *items]
    return sorted({form for needle in needles for form in (needle, html.escape(needle))})


def test_demo_has_the_promised_proposals() -> None:
    kinds = {yaml.safe_load(p.read_text())["event"]["type"] for p in PROPOSALS}
    assert len(PROPOSALS) >= 3 and {"conference", "wedding"} <= kinds
    assert any("password_env" in p.read_text() for p in PROPOSALS)


def test_no_public_file_mentions_a_proposal(built_demo: Path) -> None:
    private = {proposal_folder(built_demo, p.stem) for p in PROPOSALS}
    assert private <= set((built_demo / "p").iterdir())
    # Every folder under p/ is a private page (proposals and sponsorship prospects, which may
    # name the same conference); none of the rest may mention a proposal.
    public = [f for f in built_demo.rglob("*") if f.is_file() and (built_demo / "p") not in f.parents]
    assert len(public) > 50
    for path in PROPOSALS:
        for needle in secrets_of(path):
            for f in public:
                assert needle.encode() not in f.read_bytes(), f"{f.relative_to(built_demo)} mentions '{needle}' of {path.name}"


def test_proposal_page_is_marked_private_and_complete(built_demo: Path) -> None:
    folder = proposal_folder(built_demo, "nusantara-medika-forum")
    html = (folder / "index.html").read_text()
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert '<meta name="referrer" content="no-referrer">' in html
    assert 'rel="canonical"' not in html and "og:url" not in html
    for heading in (
        "Venue options",
        "Run of show",
        "Planning timeline",
        "Budget",
        "Payment schedule",
        "Terms",
        "Cancellation",
        "Ready to go ahead?",
    ):
        assert heading in html, heading
    assert "Our recommendation" in html
    assert '<time datetime="2027-06-12">' in html
    assert "mailto:hello@sariwijaya.example?subject=Accepting%20the%20proposal%3A%20" in html
    assert 'href="/en/events/' in html  # relevant past events link to public pages, in the proposal's language (locale: en)
    ics = (folder / "nusantara-medika-forum.ics").read_text()
    assert ics.startswith("BEGIN:VCALENDAR") and "DTSTART;VALUE=DATE:20270612" in ics


def test_the_proposals_folder_itself_is_not_written(built_demo: Path) -> None:
    """/p/ answers like any missing address (404), so it gives away nothing about proposals."""
    assert (built_demo / "p").is_dir() and not (built_demo / "p/index.html").exists()


def test_expired_proposal_shows_no_prices(built_demo: Path) -> None:
    html = (proposal_folder(built_demo, "meridian-bank-gala") / "index.html").read_text()
    assert "This proposal has expired" in html
    assert "hello@sariwijaya.example" in html
    data = yaml.safe_load((REPO / "content/proposals/meridian-bank-gala.yaml").read_text())
    for line in data["budget"]["items"]:
        assert line["item"] not in html
    assert "IDR" not in html and "Rp" not in html
    assert not (proposal_folder(built_demo, "meridian-bank-gala") / "meridian-bank-gala.ics").exists()


def test_protected_proposal_is_encrypted_and_opens_with_its_password(built_demo: Path) -> None:
    folder = proposal_folder(built_demo, "pratama-lestari-wedding")
    raw = b"".join(f.read_bytes() for f in built_demo.rglob("*") if f.is_file())
    data = yaml.safe_load((REPO / "content/proposals/pratama-lestari-wedding.yaml").read_text())
    for needle in [*secrets_of(REPO / "content/proposals/pratama-lestari-wedding.yaml"), data["needs"][0], html.escape(data["needs"][0])]:
        if needle != token(DEMO_SECRET, "proposal", "pratama-lestari-wedding"):  # the link itself names its folder
            assert needle.encode() not in raw, needle
    page = (folder / "index.html").read_text()
    payload = Payload.from_json(re.search(r'<script type="application/json" id="propgen-payload">(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    assert payload.iterations >= ITERATIONS >= 600_000 and len(payload.salt) >= 16 and len(payload.iv) == 12
    opened = json.loads(decrypt(payload, "kebun-2027"))
    assert data["title"] in opened["title"]
    assert html.escape(data["client"]["name"]) in opened["html"] and html.escape(data["budget"]["items"][0]["item"]) in opened["html"]
    with pytest.raises(InvalidTag):
        decrypt(payload, "wrong password")
    assert list(folder.iterdir()) == [folder / "index.html"]  # no calendar file beside it


def test_links_change_with_the_secret(demo_copy: Path, tmp_path: Path) -> None:
    result = run_propgen("proposals", cwd=demo_copy, env=demo_env())
    assert result.returncode == 0, result.stderr
    link = f"https://sariwijaya.example/p/nusantara-medika-forum-{token(DEMO_SECRET, 'proposal', 'nusantara-medika-forum')}/"
    assert link in result.stdout
    assert "2026-10-31  EXPIRED" in result.stdout and "yes, password in $PRATAMA_PROPOSAL_PASSWORD" in result.stdout
    other = run_propgen("proposals", cwd=demo_copy, env=propgen_env(PROPGEN_SECRET="another"))
    assert other.returncode == 0 and link not in other.stdout


def test_missing_secret_or_password_is_exit_1_naming_the_variable(demo_copy: Path, tmp_path: Path) -> None:
    result = run_propgen("build", "--out", str(tmp_path / "o"), cwd=demo_copy, env=propgen_env(PRATAMA_PROPOSAL_PASSWORD="x"))
    assert result.returncode == 1
    assert "the environment variable PROPGEN_SECRET is not set" in result.stderr
    result = run_propgen("build", "--out", str(tmp_path / "o"), cwd=demo_copy, env=propgen_env(PROPGEN_SECRET=STRONG_SECRET))
    assert result.returncode == 1
    assert "content/proposals/pratama-lestari-wedding.yaml:" in result.stderr
    assert "PRATAMA_PROPOSAL_PASSWORD, which is not set" in result.stderr
    assert not (tmp_path / "o").exists()


BAD_PROPOSAL = """\
title: Forum
client: {name: PT Example}
prepared_on: 2026-11-20
event: {type: conferense, date: 2027-06-12}
timeline:
  - {before: 6 months, date: 2027-01-01, task: Both}
  - {task: Neither}
  - {before: 2 years, task: Too early}
budget:
  items:
    - {section: Venue, item: Hall, price: 100}
payment_schedule:
  - {percent: 30, due: on acceptance}
  - {percent: 60, date: 2027-04-01}
portfolio: [harbor-gala]
accept: {email: hello@events.example}
"""


def test_proposal_mistakes_are_reported_at_their_lines(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "content/events/harbour-gala.yaml": "title: Harbour Gala\ntype: gala\ndate: 2025-05-10\nsummary: s\n",
            "content/proposals/forum.yaml": BAD_PROPOSAL,
        }
    )
    result = run_propgen("build", cwd=site, env=propgen_env(PROPGEN_SECRET=STRONG_SECRET))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[:-1] == [
        "content/proposals/forum.yaml:4:15: error: 'conferense' is not a known event.type; expected one of wedding, conference,"
        " corporate, gala, social (hint: did you mean 'conference'?)",
        "content/proposals/forum.yaml:6:5: error: this milestone has both 'before' and 'date' (hint: give exactly one:  before: 6 months"
        "  or  date: 2027-03-01)",
        "content/proposals/forum.yaml:7:5: error: this milestone has neither 'before' nor 'date' (hint: give exactly one:  before: 6 months"
        "  or  date: 2027-03-01)",
        "content/proposals/forum.yaml:13:3: error: the payment schedule adds up to 90%, not 100% (hint: change the percentages so they"
        " add up to exactly 100)",
        "content/proposals/forum.yaml:15:13: error: portfolio[1] 'harbor-gala' is not an event (hint: did you mean 'harbour-gala'?)",
    ]


def milestone_warnings(make_site: Callable[..., Path], event: str, timeline: str) -> str:
    """The stderr of a proposal whose timeline draws a warning: the build passes, --strict fails."""
    record = "title: Forum\nclient: {name: PT Example}\nprepared_on: 2026-11-20\n"
    record += f"event: {event}\ntimeline:\n{timeline}accept: {{url: https://forms.example/yes}}\n"
    site = make_site({"content/proposals/forum.yaml": record})
    relaxed = run_propgen("build", cwd=site, env=propgen_env(PROPGEN_SECRET=STRONG_SECRET))
    assert relaxed.returncode == 0
    assert run_propgen("build", "--strict", cwd=site, env=propgen_env(PROPGEN_SECRET=STRONG_SECRET)).returncode == 1
    return relaxed.stderr


def test_milestone_before_prepared_on_is_a_warning(make_site: Callable[..., Path]) -> None:
    stderr = milestone_warnings(make_site, "{type: conference, date: 2027-06-12}", "  - {before: 1 year, task: Too early}\n")
    assert (
        "content/proposals/forum.yaml:6:5: warning: this milestone falls on 2026-06-12, before the proposal's prepared_on 2026-11-20"
        in stderr
    )


def test_milestone_after_the_event_is_a_warning(make_site: Callable[..., Path]) -> None:
    """A planning milestone dated after the event is nearly always a mistyped year or month."""
    timeline = "  - {date: 2027-06-13, task: Pack down}\n  - {date: 2028-03-01, task: Sponsor prospectus out}\n"
    stderr = milestone_warnings(make_site, "{type: conference, date: 2027-06-12, end_date: 2027-06-13}", timeline)
    assert stderr.splitlines() == [
        "content/proposals/forum.yaml:7:5: warning: this milestone falls on 2028-03-01, after the event (2027-06-12 to 2027-06-13)"
        " (hint: a planning milestone comes before the event: check its date, or the event's)"
    ]


def test_new_proposal_scaffold_builds_but_warns_at_each_example_value(make_site: Callable[..., Path]) -> None:
    site = make_site({})
    result = run_propgen("new", "proposal", "PT Baru Jaya", cwd=site)
    assert result.returncode == 0, result.stderr
    assert (site / "content/proposals/pt-baru-jaya.yaml").is_file()
    built = run_propgen("build", cwd=site, env=propgen_env(PROPGEN_SECRET=STRONG_SECRET))
    assert built.returncode == 0, built.stderr
    assert "1 proposal, 2 warnings" in built.stdout
    assert built.stderr.splitlines() == [
        "content/proposals/pt-baru-jaya.yaml:16:5: warning: this need is still the example from  propgen new proposal:"
        " 'What the client told you they need' (hint: write what the client told you, or remove the line)",
        "content/proposals/pt-baru-jaya.yaml:30:79: warning: this price is still the example from  propgen new proposal:"
        " 1000 for 'Planning and on-site team' (hint: write your price for this line, or replace the line)",
    ]
    strict = run_propgen("build", "--strict", "--out", "strict-out", cwd=site, env=propgen_env(PROPGEN_SECRET=STRONG_SECRET))
    assert strict.returncode == 1 and not (site / "strict-out").exists()
    proposal = site / "content/proposals/pt-baru-jaya.yaml"
    proposal.write_text(
        proposal.read_text().replace("What the client told you they need", "A quiet room").replace("price: 1000", "price: 1200")
    )
    assert run_propgen("build", "--strict", cwd=site, env=propgen_env(PROPGEN_SECRET=STRONG_SECRET)).returncode == 0


def test_a_new_proposal_in_a_new_site_warns_about_the_example_address(tmp_path: Path) -> None:
    """The starter site's address is hello@example.com: a client's yes sent there is lost."""
    assert run_propgen("init", "mysite", cwd=tmp_path).returncode == 0
    site = tmp_path / "mysite"
    assert run_propgen("new", "proposal", "Acme", cwd=site).returncode == 0
    result = run_propgen("check", cwd=site, env=propgen_env(PROPGEN_SECRET=STRONG_SECRET))
    assert result.returncode == 0, result.stderr
    assert (
        "content/proposals/acme.yaml:39:17: warning: the client's acceptance would go to the example address hello@example.com"
        " (hint: write the address where you want to receive the client's yes)"
    ) in result.stderr.splitlines()


def test_no_message_ever_shows_a_secret_link(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "content/proposals/forum.yaml": "title: Forum\nclient: {name: PT Example}\nprepared_on: 2026-11-20\n"
            "event: {type: conference, date: 2027-06-12}\naccept: {email: hello@events.example}\n",
            "themes/default/templates/proposal.html": '{% extends "base.html" %}\n{% block main %}{{ proposal.nope.deeper }}{% endblock %}\n',
        }
    )
    result = run_propgen("build", cwd=site, env=propgen_env(PROPGEN_SECRET=STRONG_SECRET))
    assert result.returncode == 1
    assert (
        "themes/default/templates/proposal.html:2:1: error: template error while rendering the page of content/proposals/forum.yaml"
        in result.stderr
    )
    assert token(STRONG_SECRET, "proposal", "forum") not in result.stderr


def test_budget_lines_need_no_section(make_site: Callable[..., Path], tmp_path: Path) -> None:
    """The contract makes `section` optional: no sections is one flat table; in a mix the
    unsectioned lines come first, with no heading."""
    head = "title: Forum\nclient: {name: PT Example}\nprepared_on: 2026-11-20\nevent: {type: conference, date: 2027-06-12}\n"
    site = make_site(
        {
            "content/proposals/flat.yaml": head + "accept: {email: a@events.example}\nbudget:\n  currency: IDR\n  items:\n"
            "    - {item: Ballroom, qty: 2, price: 90000000}\n    - {item: Printed programme, price: 4000000}\n",
            "content/proposals/mixed.yaml": head + "accept: {email: a@events.example}\nbudget:\n  currency: IDR\n  items:\n"
            "    - {section: Venue, item: Ballroom, qty: 2, price: 90000000}\n    - {item: Printed programme, price: 4000000}\n",
        }
    )
    result = run_propgen("build", "--out", str(tmp_path / "out"), cwd=site, env=propgen_env(PROPGEN_SECRET=STRONG_SECRET))
    assert result.returncode == 0, result.stderr

    def budget_rows(slug: str) -> list[str]:
        page = (tmp_path / "out" / "p" / f"{slug}-{token(STRONG_SECRET, 'proposal', slug)}" / "index.html").read_text()
        table = page.split('<table class="budget">', 1)[1].split("</table>", 1)[0]
        return [re.sub(r"<[^>]+>", " ", row).split()[0] for row in re.findall(r"<tr[^>]*>.*?</tr>", table, re.S)]

    assert budget_rows("flat") == ["Item", "Ballroom", "Printed", "Subtotal", "Total"]
    assert budget_rows("mixed") == ["Item", "Printed", "Venue", "Ballroom", "Venue", "Subtotal", "Total"]


FORUM = MINIMAL_PROPOSAL


def private_files(out: Path, slug: str) -> list[Path]:
    return [p for p in (out / "p").glob(f"{slug}-*")] if (out / "p").is_dir() else []


def test_a_draft_proposal_is_built_only_with_drafts_and_marked_as_a_draft(make_site: Callable[..., Path], tmp_path: Path) -> None:
    site = make_site({"content/proposals/sent.yaml": FORUM, "content/proposals/forum.yaml": FORUM + "draft: true\n"})
    env = propgen_env(PROPGEN_SECRET=STRONG_SECRET)
    result = run_propgen("build", "--strict", "--out", str(tmp_path / "out"), cwd=site, env=env)
    assert result.returncode == 0, result.stderr
    assert "1 proposal," in result.stdout
    assert private_files(tmp_path / "out", "sent") and not private_files(tmp_path / "out", "forum")
    everything = b"".join(f.read_bytes() for f in (tmp_path / "out").rglob("*") if f.is_file())
    assert token(STRONG_SECRET, "proposal", "forum").encode() not in everything

    drafts = run_propgen("build", "--strict", "--drafts", "--out", str(tmp_path / "drafts"), cwd=site, env=env)
    assert drafts.returncode == 0, drafts.stderr
    assert "2 proposals," in drafts.stdout
    page = (tmp_path / "drafts/p" / f"forum-{token(STRONG_SECRET, 'proposal', 'forum')}" / "index.html").read_text()
    assert '<p class="draft" role="note">Draft: not sent to the client</p>' in page
    sent = (tmp_path / "drafts/p" / f"sent-{token(STRONG_SECRET, 'proposal', 'sent')}" / "index.html").read_text()
    assert "Draft: not sent" not in sent

    listing = run_propgen("proposals", cwd=site, env=env)
    assert listing.returncode == 0, listing.stderr
    forum = listing.stdout.split("PT Harbour  (content/proposals/forum.yaml)\n", 1)[1].split("PT Harbour", 1)[0]
    assert f"  link:        https://events.example/p/forum-{token(STRONG_SECRET, 'proposal', 'forum')}/\n" in forum
    assert "  draft:       yes, not published: built only with --drafts and by propgen serve\n" in forum
    assert "draft:" not in listing.stdout.split("(content/proposals/sent.yaml)", 1)[1]


def test_serve_always_previews_draft_proposals(make_site: Callable[..., Path]) -> None:
    from test_serve import serving  # the preview server as a real process

    site = make_site({"content/proposals/forum.yaml": FORUM + "draft: true\n"})
    with serving(site) as server:
        status, index = server.get("_propgen/")
        assert status == 200
        assert '<span class="tag draft"' in index
        link = re.search(r'<a href="(/p/forum-[^"/]+/)">Harbour Forum 2027</a>', index)
        assert link is not None, index
        status, page = server.get(link.group(1).lstrip("/"))
        assert status == 200 and "Draft: not sent to the client" in page


def test_an_expired_proposal_is_a_warning_at_its_valid_until(make_site: Callable[..., Path], built_demo: Path, demo_copy: Path) -> None:
    site = make_site({"content/proposals/forum.yaml": FORUM.replace("2027-01-31", "2026-11-10")})
    env = propgen_env(PROPGEN_SECRET=STRONG_SECRET)
    warning = (
        "content/proposals/forum.yaml:4:14: warning: this proposal expired on 2026-11-10; its page shows the expired notice"
        " (hint: to send it again, move valid_until later; to take its link down, delete the proposal)"
    )
    for command in ("check", "build"):
        result = run_propgen(command, cwd=site, env=env)
        assert result.returncode == 0, result.stderr
        assert result.stderr.splitlines() == [warning]
        # A reminder, not a mistake: the expired notice is the right page, so --strict (a daily CI
        # build) still publishes it, while a real warning beside it still fails --strict.
        strict = run_propgen(command, "--strict", cwd=site, env=env)
        assert strict.returncode == 0 and strict.stderr.splitlines() == [warning]
    assert "This proposal has expired" in next((site / "output/p").glob("forum-*/index.html")).read_text()
    demo = run_propgen("check", "--strict", cwd=demo_copy, env=demo_env())
    assert demo.returncode == 0 and demo.stderr.splitlines() == DEMO_REMINDERS
    weak = run_propgen("check", "--strict", cwd=site, env=propgen_env(PROPGEN_SECRET="short"))
    assert weak.returncode == 1 and warning in weak.stderr.splitlines()


def test_a_short_link_secret_or_password_is_a_warning_naming_the_variable(make_site: Callable[..., Path]) -> None:
    site = make_site({"content/proposals/forum.yaml": FORUM + "password_env: FORUM_PASSWORD\n"})
    short_secret, short_password = "Rahasia-Kecil-2026", "Kebun-27"
    result = run_propgen("build", cwd=site, env=propgen_env(PROPGEN_SECRET=short_secret, FORUM_PASSWORD=short_password))
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "content/proposals/forum.yaml:1:1: warning: the link secret in PROPGEN_SECRET is shorter than 32 characters, so proposal"
        " links could be guessed (hint: set it to a long random value, e.g.  export PROPGEN_SECRET=\"$(python3 -c 'import secrets;"
        " print(secrets.token_urlsafe(32))')\";  every proposal link changes with it, so send the new links)",
        "content/proposals/forum.yaml:7:15: warning: the password in FORUM_PASSWORD is shorter than 10 characters, and anyone"
        " with the link can try guesses against the page offline (hint: use 10 or more characters, e.g. three or four random words)",
    ]
    assert short_secret not in result.stderr + result.stdout and short_password not in result.stderr + result.stdout
    strict = run_propgen(
        "build", "--strict", "--out", "strict-out", cwd=site, env=propgen_env(PROPGEN_SECRET=short_secret, FORUM_PASSWORD=short_password)
    )
    assert strict.returncode == 1 and not (site / "strict-out").exists()
    strong = run_propgen("build", "--strict", cwd=site, env=propgen_env(PROPGEN_SECRET=STRONG_SECRET, FORUM_PASSWORD="kebun-raya-2027"))
    assert strong.returncode == 0 and strong.stderr == ""


def test_two_proposals_sharing_a_password_variable_is_a_warning_at_the_second(make_site: Callable[..., Path]) -> None:
    site = make_site(
        {
            "content/proposals/first.yaml": FORUM + "password_env: HARBOUR_PASSWORD\n",
            "content/proposals/second.yaml": FORUM + "password_env: HARBOUR_PASSWORD\n",
            "content/proposals/third.yaml": FORUM + "password_env: THIRD_PASSWORD\n",
        }
    )
    env = propgen_env(PROPGEN_SECRET=STRONG_SECRET, HARBOUR_PASSWORD="kebun-raya-2027", THIRD_PASSWORD="pantai-biru-2027")
    result = run_propgen("build", cwd=site, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "content/proposals/second.yaml:7:15: warning: this proposal uses the same password variable HARBOUR_PASSWORD as"
        " content/proposals/first.yaml, so either client can open both (hint: give each client its own password, or ignore"
        " this if one client gets both proposals)"
    ]
    assert run_propgen("build", "--strict", "--out", "strict-out", cwd=site, env=env).returncode == 1
