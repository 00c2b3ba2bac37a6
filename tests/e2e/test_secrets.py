"""Secrets stay secret: no message shows a proposal's token, the link secret or a password,
whatever fails; the unlock form sends nothing; the encryption gives away nothing without the
password; and files only proposals use are published only behind their secret links."""

from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from conftest import STRONG_SECRET, propgen_env, run_propgen
from propgen.crypto import Payload, decrypt
from propgen.links import token

PASSWORD = "copper-lantern-river-7"
PROPOSAL = """\
title: Harbour Forum 2027
client: {name: PT Harbour}
prepared_on: 2026-11-01
valid_until: 2027-01-31
event: {type: conference, date: 2027-06-12}
budget:
  items:
    - {section: Venue, item: Harbour Hall, price: 1000}
accept: {email: hello@events.example}
"""
PROTECTED = PROPOSAL + "password_env: HARBOUR_PASSWORD\n"
EVENT = "title: Harbour Gala\ntype: gala\ndate: 2025-05-10\nsummary: A night on the water.\n"


def env() -> dict[str, str]:
    return propgen_env(PROPGEN_SECRET=STRONG_SECRET, HARBOUR_PASSWORD=PASSWORD)


def link_of(slug: str) -> str:
    return f"p/{slug}-{token(STRONG_SECRET, 'proposal', slug)}/"


def assert_no_secret(output: str, slug: str) -> None:
    """Neither the token, nor the link secret, nor the password, in any form a message could take."""
    assert token(STRONG_SECRET, "proposal", slug) not in output
    assert STRONG_SECRET not in output
    assert PASSWORD not in output
    assert "Traceback" not in output


def payload_of(page: Path) -> Payload:
    found = re.search(r'<script type="application/json" id="propgen-payload">(.*?)</script>', page.read_text(), re.S)
    assert found, "no payload in the page"
    return Payload.from_json(found.group(1))


# -- messages -------------------------------------------------------------------------------


def test_a_file_name_too_long_for_the_disk_is_reported_without_the_link(make_site: Callable[..., Path]) -> None:
    """A 240-character proposal name is a fine file, but its folder (name, '-', token) is over
    the 255 the file system allows: the build fails with ENAMETOOLONG, for real."""
    slug = "acme-" + "a" * 235
    site = make_site({f"content/proposals/{slug}.yaml": PROTECTED, "content/events/gala.yaml": EVENT})
    result = run_propgen("build", cwd=site, env=env())
    assert result.returncode == 1
    assert "File name too long" in result.stderr
    assert_no_secret(result.stdout + result.stderr, slug)
    assert not (site / "output").exists()


def test_a_write_that_runs_out_of_room_is_reported_without_the_link(make_site: Callable[..., Path]) -> None:
    """The proposal page is the one file larger than the room left (RLIMIT_FSIZE: the kernel
    refuses the write with EFBIG, as a full disk refuses it with ENOSPC)."""
    letter = "Dear PT Harbour,\n\n" + "We will make the forum a day your guests remember. " * 4000
    site = make_site({"content/proposals/acme-corp.yaml": PROTECTED, "content/proposals/acme-corp.md": letter})
    limit = 100_000  # every other file of this site is smaller; the encrypted proposal page is not

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = subprocess.run(
        [sys.executable, "-m", "propgen", "build"],
        cwd=site,
        env=env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=small_disk,
    )
    assert result.returncode == 1
    assert "File too large" in result.stderr
    assert_no_secret(result.stdout + result.stderr, "acme-corp")


def test_template_errors_show_the_link_masked(make_site: Callable[..., Path]) -> None:
    """Jinja puts the value it could not use into its message; here that value is the link."""
    site = make_site(
        {
            "content/proposals/acme-corp.yaml": PROPOSAL,
            "content/proposals/harbour.yaml": PROTECTED,
            "themes/default/templates/proposal.html": '{% extends "base.html" %}\n{% block main %}{{ ({})[page.url] }}{% endblock %}\n',
            "themes/default/templates/partials/proposal-content.html": "{% include page.path %}\n",
        }
    )
    result = run_propgen("build", cwd=site, env=env())
    assert result.returncode == 1
    assert result.stderr.splitlines()[:2] == [
        "themes/default/templates/partials/proposal-content.html:1:1: error: the theme has no template 'p/harbour-…/'"
        " (hint: add it to the theme's templates/ folder)",
        "themes/default/templates/proposal.html:2:1: error: template error while rendering the page of"
        " content/proposals/acme-corp.yaml: 'dict object' has no attribute '/p/acme-corp-…/'"
        " (hint: check the names this line uses against docs/themes.md)",
    ]
    for slug in ("acme-corp", "harbour"):
        assert_no_secret(result.stdout + result.stderr, slug)
    checked = run_propgen("check", cwd=site, env=env())
    assert checked.returncode == 1 and "'/p/acme-corp-…/'" in checked.stderr
    assert_no_secret(checked.stdout + checked.stderr, "acme-corp")


# -- the unlock form ------------------------------------------------------------------------


def test_a_password_or_secret_that_is_not_text_is_one_line_not_a_crash(make_site: Callable[..., Path]) -> None:
    """Bytes that are not UTF-8 in a variable (a password pasted from a file in another
    encoding) reach Python as lone surrogates, which neither a digest nor a browser's password
    field can take: one error at the line naming the variable, nothing written, nothing shown."""
    site = make_site({"content/proposals/harbour.yaml": PROTECTED})
    line = PROTECTED.splitlines().index("password_env: HARBOUR_PASSWORD") + 1
    garbled = PASSWORD + "\udcff\udcfe"  # how Python reads the bytes 0xff 0xfe of a variable
    result = run_propgen("build", cwd=site, env=propgen_env(PROPGEN_SECRET=STRONG_SECRET, HARBOUR_PASSWORD=garbled))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"content/proposals/harbour.yaml:{line}:15: error: the password in HARBOUR_PASSWORD holds bytes that are not UTF-8 text,"
        " which no browser can type (hint: set it again as plain text, e.g.  export HARBOUR_PASSWORD='the password you give the client')"
    )
    assert_no_secret(result.stdout + result.stderr, "harbour")
    assert not (site / "output").exists()
    result = run_propgen("build", cwd=site, env=propgen_env(PROPGEN_SECRET=STRONG_SECRET + "\udcff", HARBOUR_PASSWORD=PASSWORD))
    assert result.returncode == 1
    assert "error: the link secret in PROPGEN_SECRET holds bytes that are not UTF-8 text" in result.stderr
    assert_no_secret(result.stdout + result.stderr, "harbour")
    assert run_propgen("build", cwd=site, env=env()).returncode == 0


def test_the_unlock_form_has_nowhere_to_send_the_password(make_site: Callable[..., Path]) -> None:
    """Without JavaScript (or before unlock.js has checked the browser) the form is disabled
    and says why; it has no method, no action, and the field has no name to be sent under."""
    site = make_site({"content/proposals/harbour.yaml": PROTECTED})
    assert run_propgen("build", cwd=site, env=env()).returncode == 0
    page = (site / "output" / link_of("harbour") / "index.html").read_text()
    form = re.search(r"<form[^>]*>", page)
    assert form and form.group(0) == '<form class="unlock-form" data-unlock>'
    assert '<fieldset class="unlock-fields" data-fields disabled>' in page
    field = re.search(r'<input id="password"[^>]*>', page)
    assert field and "name=" not in field.group(0)
    assert "Opening this proposal needs a current browser with JavaScript turned on" in page
    assert not re.search(r"data-unsupported[^>]*hidden", page)  # shown until unlock.js hides it


# -- encryption -----------------------------------------------------------------------------


def test_the_iv_needs_the_password_and_the_size_tells_nothing(make_site: Callable[..., Path], tmp_path: Path) -> None:
    """Who holds only the link secret cannot compute the IV (so cannot confirm a guess of the
    content against it): it changes when only the password does. The content is padded to
    whole KiB, so one more budget line does not change the size. Builds stay byte-identical."""
    site = make_site({"content/proposals/harbour.yaml": PROTECTED})

    def build(out: str, password: str = PASSWORD) -> Payload:
        result = run_propgen("build", "--out", out, cwd=site, env=propgen_env(PROPGEN_SECRET=STRONG_SECRET, HARBOUR_PASSWORD=password))
        assert result.returncode == 0, result.stderr
        return payload_of(site / out / link_of("harbour") / "index.html")

    first, again, other = build("one"), build("two"), build("three", "another-password-9")
    assert first == again  # deterministic
    assert other.salt == first.salt and other.iv != first.iv
    assert len(first.ciphertext) % 1024 == 16  # whole KiB, then the 16-byte GCM tag
    opened = json.loads(decrypt(first, PASSWORD))
    assert "Harbour Hall" in opened["html"]

    proposal = site / "content/proposals/harbour.yaml"
    proposal.write_text(PROTECTED.replace("price: 1000}\n", "price: 1000}\n    - {section: Venue, item: Extra chairs, price: 50}\n"))
    longer = build("four")
    assert "Extra chairs" in json.loads(decrypt(longer, PASSWORD))["html"]
    assert longer.iv != first.iv
    # The size shows only the number of whole KiB: the line's own bytes are hidden unless they
    # carry the content over a KiB boundary.
    raw = [len(json.dumps(json.loads(decrypt(p, PASSWORD))).encode()) for p in (first, longer)]
    assert raw[1] > raw[0]
    assert [len(p.ciphertext) - 16 for p in (first, longer)] == [-(-n // 1024) * 1024 for n in raw] or raw[0] // 1024 != raw[1] // 1024


# -- files only proposals use ---------------------------------------------------------------


def test_files_only_a_proposal_uses_are_published_only_behind_its_link(make_site: Callable[..., Path]) -> None:
    # Drawings (SVG) are published as they are, so where each one lands is plain to see;
    # photos take the same road as their renditions (tests/e2e/test_images.py).
    files: dict[str, str | bytes] = {
        name: (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"><title>{name}</title></svg>\n'
            if name.endswith(".svg")
            else f"the bytes of {name}\n"
        ).encode()
        for name in (
            "images/plan.svg",
            "images/public.svg",
            "images/shared.svg",
            "images/draft.svg",
            "images/offer.svg",
            "favicon.ico",
            "files/brochure.pdf",
        )
    }
    site = make_site(
        {
            **{f"static/{name}": data for name, data in files.items()},
            "content/events/gala.yaml": EVENT + "gallery:\n  - {src: images/public.svg, alt: The harbour}\n",
            "content/events/gala.md": "The night, ![the hall](images/shared.svg).\n",
            "content/events/launch.yaml": "title: Launch\ntype: gala\ndate: 2025-06-10\nsummary: Soon.\ndraft: true\ncover: images/draft.svg\n",
            "content/proposals/acme-corp.yaml": PROPOSAL,
            "content/proposals/acme-corp.md": "The floor plan: ![Floor plan](images/plan.svg), the hall: ![hall](/images/shared.svg).\n\n"
            "Our [brochure](/files/brochure.pdf#page=2).\n",
            "content/proposals/harbour.yaml": PROTECTED,
            "content/proposals/harbour.md": "Your floor plan: ![Floor plan](images/plan.svg)\n",
            "content/proposals/next-year.yaml": PROPOSAL + "draft: true\n",
            "content/proposals/next-year.md": "![Our offer](images/offer.svg)\n",
        }
    )
    result = run_propgen("build", cwd=site, env=env())
    assert result.returncode == 0, result.stderr
    out = site / "output"
    published = sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and not p.name.endswith((".html", ".xml")) and not p.relative_to(out).as_posix().startswith("pagefind/")
    )  # the search index has test_search.py
    acme, harbour = link_of("acme-corp"), link_of("harbour")
    assert [p for p in published if not p.startswith(("assets/", "robots.txt", ".propgen", "images/preview."))] == sorted(
        [
            "favicon.ico",  # used by nobody: static/ is copied as it is
            "images/public.svg",
            "images/shared.svg",  # a public page uses it too
            f"{acme}acme-corp.ics",
            f"{acme}files/brochure.pdf",
            f"{acme}images/plan.svg",
            f"{harbour}images/plan.svg",
        ]
    )  # not images/draft.svg nor images/offer.svg: only drafts use them
    assert (out / acme / "images/plan.svg").read_bytes() == files["images/plan.svg"]
    page = (out / acme / "index.html").read_text()
    assert f'<img src="/{acme}images/plan.svg" alt="Floor plan"' in page
    assert '<img src="/images/shared.svg" alt="hall"' in page
    assert f'<a href="/{acme}files/brochure.pdf#page=2">brochure</a>' in page
    opened = json.loads(decrypt(payload_of(out / harbour / "index.html"), PASSWORD))
    assert f'<img src="/{harbour}images/plan.svg" alt="Floor plan"' in opened["html"]

    drafts = run_propgen("build", "--drafts", "--out", "with-drafts", cwd=site, env=env())
    assert drafts.returncode == 0, drafts.stderr
    assert (site / "with-drafts/images/draft.svg").is_file()
    assert (site / "with-drafts" / link_of("next-year") / "images/offer.svg").is_file()
    assert not (site / "with-drafts/images/offer.svg").exists()


def test_a_token_without_capitals_is_masked_too(make_site: Callable[..., Path]) -> None:
    """One token in about 180,000 has no capital and no "_", so it looks like part of a slug:
    propgen still knows it is a token, because it made it."""
    slug = next(f"lower-{n}" for n in range(10_000_000) if not re.search(r"[A-Z_]", token(STRONG_SECRET, "proposal", f"lower-{n}")))
    site = make_site(
        {
            f"content/proposals/{slug}.yaml": PROPOSAL,
            "themes/default/templates/proposal.html": '{% extends "base.html" %}\n{% block main %}{{ ({})[page.url] }}{% endblock %}\n',
        }
    )
    result = run_propgen("build", cwd=site, env=env())
    assert result.returncode == 1
    assert f"'dict object' has no attribute '/p/{slug}-…/'" in result.stderr
    assert_no_secret(result.stdout + result.stderr, slug)
