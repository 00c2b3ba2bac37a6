"""Theme settings and theme extension as a designer uses them: options declared in theme.yaml,
set in propgen.yaml and seen in the built pages; a site theme that overrides a template and
calls the built-in one through the "<name>:" prefix (docs/themes.md's worked example)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from conftest import BASE_CONFIG, run_propgen

Make = Callable[[dict[str, str | bytes]], Path]
EVENT = {"content/events/gala.yaml": "title: Harbour Gala\ntype: gala\ndate: 2025-03-01\nsummary: A gala by the harbour.\n"}
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40"><rect width="120" height="40"/></svg>\n'


def config(extra: str) -> str:
    return BASE_CONFIG + extra


def build(site: Path, *extra: str) -> str:
    result = run_propgen("build", *extra, cwd=site)
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_options_reach_the_pages(make_site: Make) -> None:
    site = make_site(
        {
            **EVENT,
            "static/images/logo.svg": LOGO,
            "propgen.yaml": config("theme_options:\n  accent: '#7A2E1F'\n  logo: images/logo.svg\n  home_sections: [types, hero]\n"),
        }
    )
    build(site)
    home = (site / "output/index.html").read_text()
    assert "<style>:root { --accent: #7a2e1f; }</style>" in home
    assert '<img class="brand-logo" src="/images/logo.svg" alt="Test Events" width="120" height="40">' in home
    assert (site / "output/images/logo.svg").read_text() == LOGO
    # only the sections asked for, in that order
    assert home.index("<h2>What we plan</h2>") < home.index('<section class="hero">')
    assert "Featured events" not in home and 'class="figures"' not in home


def test_defaults_come_from_the_theme(make_site: Make) -> None:
    site = make_site({**EVENT, "propgen.yaml": config("theme_options:\n  logo:\n")})  # an empty value is the default
    build(site)
    home = (site / "output/index.html").read_text()
    assert "<style>:root { --accent: #0f4c5c; }</style>" in home
    assert 'class="brand-name"' in home and "brand-logo" not in home
    sections = re.findall(r'<section class="(hero|figures|section)', home)
    assert sections[:2] == ["hero", "figures"]


def test_options_reach_the_editorial_theme(make_site: Make) -> None:
    """default's options apply to a theme that extends it: the editorial theme shows the logo in
    its top bar, takes its accent from the option, and orders its own sections by home_sections."""
    site = make_site(
        {
            **EVENT,
            "static/images/logo.svg": LOGO,
            "propgen.yaml": config(
                "theme: editorial\ntheme_options:\n  accent: '#1F4E3D'\n  logo: images/logo.svg\n  home_sections: [types, hero]\n"
            ),
        }
    )
    build(site)
    accent = "<style>:root { --ed-accent: #1f4e3d; --ed-accent-dark: color-mix(in srgb, #1f4e3d 78%, #000000); }</style>"
    logo = '<img class="wordmark-logo" src="/images/logo.svg" alt="Test Events" width="120" height="40">'
    for page in ("index.html", "events/gala/index.html", "events/index.html", "404.html"):
        html = (site / "output" / page).read_text()
        assert accent in html and logo in html, page
        assert "editorial.css" in html and "site.css" not in html, page
    home = (site / "output/index.html").read_text()
    assert home.index('<h2 id="kinds-title">') < home.index('<section class="opening"')
    assert 'class="stories"' not in home and 'class="figures"' not in home


def test_the_editorial_theme_has_its_own_defaults(make_site: Make) -> None:
    """Without options the editorial theme keeps its wine accent and its order of sections, and
    the site's title as its wordmark: it redeclares default's options with its own defaults."""
    site = make_site({**EVENT, "propgen.yaml": config("theme: editorial\n")})
    build(site)
    home = (site / "output/index.html").read_text()
    assert "--ed-accent: #7b2d3b;" in home
    assert '<a class="wordmark" href="/">Test Events</a>' in home and "wordmark-logo" not in home
    sections = re.findall(r'<section class="(opening|welcome|stories|figures|kinds|words)"', home)
    assert sections == ["opening", "stories", "figures", "kinds"]


def test_a_raster_logo_goes_through_the_image_pipeline(make_site: Make) -> None:
    from PIL import Image

    site = make_site({**EVENT, "propgen.yaml": config("theme_options: {logo: images/logo.png}\n")})
    (site / "static/images").mkdir(parents=True)
    Image.new("RGB", (960, 320), (15, 76, 92)).save(site / "static/images/logo.png")
    build(site)
    home = (site / "output/index.html").read_text()
    logo = re.search(r'<img class="brand-logo"[^>]*>', home)
    assert logo is not None
    assert re.search(r'srcset="/images/logo\.\w+\.480\.jpg 480w, /images/logo\.\w+\.960\.jpg 960w"', logo.group(0)), logo.group(0)
    assert 'width="960" height="320"' in logo.group(0)


def test_an_unsafe_svg_logo_is_refused_at_its_line(make_site: Make) -> None:
    site = make_site(
        {
            **EVENT,
            "static/images/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n',
            "propgen.yaml": config("theme_options:\n  logo: images/logo.svg\n"),
        }
    )
    result = run_propgen("build", cwd=site)
    assert result.returncode == 1
    assert result.stderr.startswith("propgen.yaml:7:9: error: 'static/images/logo.svg' contains a <script> at its line 1"), result.stderr
    assert not (site / "output").exists()


def test_a_low_contrast_accent_is_a_warning_naming_the_ratio(make_site: Make) -> None:
    site = make_site({**EVENT, "propgen.yaml": config("theme_options:\n  accent: '#f0c808'\n")})
    stderr = build(site)
    ratio = "1.53"  # WCAG 2.1: (0.942 + 0.05) / (0.599 + 0.05), relative luminances worked out by hand
    assert (
        f"propgen.yaml:7:11: warning: theme option 'accent' #f0c808 has a contrast of {ratio}:1 with the theme's background #fbf8f3,"
        " below the 4.5:1 that WCAG AA asks of text (hint: choose a darker colour, so links and buttons stay readable)"
    ) in stderr
    strict = run_propgen("build", "--strict", "--out", "strict", cwd=site)
    assert strict.returncode == 1 and not (site / "strict").exists()


HEADER = """\
{% extends "default:base.html" %}
{% block header %}
<p class="announcement">Now booking weddings for 2027</p>
{{ super() }}
{% endblock %}
"""


def test_the_documented_example_a_theme_that_changes_only_the_header(make_site: Make) -> None:
    site = make_site(
        {
            **EVENT,
            "propgen.yaml": config("theme: studio\n"),
            "themes/studio/theme.yaml": "name: Studio\nextends: default\n",
            "themes/studio/templates/base.html": HEADER,
        }
    )
    build(site)
    for page in ("index.html", "events/gala/index.html", "events/index.html", "404.html"):
        html = (site / "output" / page).read_text()
        assert '<p class="announcement">Now booking weddings for 2027</p>\n<header class="masthead">' in html, page
        assert html.count('<footer class="footer">') == 1  # the rest is the built-in base.html
    docs = (Path(__file__).resolve().parents[2] / "docs/themes.md").read_text()
    assert HEADER in docs, "docs/themes.md shows this example"


def test_a_site_folder_named_like_the_built_in_theme_extends_it(make_site: Make) -> None:
    """themes/default/templates/base.html extending "default:base.html" gets the built-in one, not itself."""
    site = make_site({**EVENT, "themes/default/templates/base.html": HEADER})
    build(site)
    assert '<p class="announcement">' in (site / "output/index.html").read_text()


def test_prefixes_reach_every_theme_of_the_chain_and_the_cache_follows_them(make_site: Make) -> None:
    """studio extends plain, plain extends default; studio's event.html extends "plain:event.html",
    which extends "default:event.html". Editing the middle one re-renders the event page."""
    site = make_site(
        {
            **EVENT,
            "propgen.yaml": config("theme: studio\n"),
            "themes/studio/theme.yaml": "extends: plain\n",
            "themes/plain/theme.yaml": "extends: default\n",
            "themes/studio/templates/event.html": '{% extends "plain:event.html" %}{% block head %}<meta name="studio" content="1">{% endblock %}\n',
            "themes/plain/templates/event.html": '{% extends "default:event.html" %}{% block scripts %}<!-- plain v1 -->{% endblock %}\n',
        }
    )
    build(site)
    page = site / "output/events/gala/index.html"
    assert '<meta name="studio" content="1">' in page.read_text() and "<!-- plain v1 -->" in page.read_text()
    (site / "themes/plain/templates/event.html").write_text(
        '{% extends "default:event.html" %}{% block scripts %}<!-- plain v2 -->{% endblock %}\n'
    )
    build(site)
    assert "<!-- plain v2 -->" in page.read_text()


def test_changing_an_option_re_renders_the_pages(make_site: Make) -> None:
    site = make_site({**EVENT, "propgen.yaml": config("theme_options: {accent: '#0f4c5c'}\n")})
    build(site)
    (site / "propgen.yaml").write_text(config("theme_options: {accent: '#5a1e6e'}\n"))
    build(site)
    for page in ("index.html", "events/gala/index.html"):
        assert "--accent: #5a1e6e;" in (site / "output" / page).read_text()


def test_an_option_default_changed_in_a_site_theme_re_renders_the_pages(make_site: Make) -> None:
    declared = "extends: default\noptions:\n  accent: {type: colour, default: '%s', description: Links and buttons}\n"
    site = make_site({**EVENT, "propgen.yaml": config("theme: studio\n"), "themes/studio/theme.yaml": declared % "#0f4c5c"})
    build(site)
    (site / "themes/studio/theme.yaml").write_text(declared % "#5a1e6e")
    build(site)
    assert "--accent: #5a1e6e;" in (site / "output/index.html").read_text()
