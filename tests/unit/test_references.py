"""How the link check reads what a built file refers to: srcset as the HTML standard splits it,
url() and @import in CSS (comments and SVG fragments skipped), and which tags count."""

from __future__ import annotations

from propgen.references import css_urls, scan_file, scan_html, srcset_urls


def test_srcset_candidates_split_like_a_browser() -> None:
    assert srcset_urls("a.jpg 1x, b.jpg 2x") == ["a.jpg", "b.jpg"]
    assert srcset_urls("a.jpg 1x,b.jpg 2x") == ["a.jpg", "b.jpg"]  # no space after the comma
    assert srcset_urls("  a.jpg, b.jpg  ") == ["a.jpg", "b.jpg"]  # no descriptors: a comma ending a URL ends it
    assert srcset_urls("a.jpg,b.jpg") == ["a.jpg,b.jpg"]  # one URL with a comma in it, as browsers read it
    assert srcset_urls("img,v2.jpg 480w, big.jpg 1200w") == ["img,v2.jpg", "big.jpg"]  # a comma inside a URL
    assert srcset_urls("a.jpg (min-width: 1px, x) 2x, b.jpg") == ["a.jpg", "b.jpg"]
    assert srcset_urls("") == []


def test_css_urls_skip_comments_and_svg_fragments() -> None:
    css = '/* url(old.png) */\n@import "print.css";\n.a { background: url( "img/a b.png" ) }\n.b { filter: url(#blur); mask: url(m.svg#x) }'
    assert [url for url, _ in css_urls(css)] == ["print.css", "img/a b.png", "m.svg#x"]


def test_html_references_and_ids() -> None:
    scanned = scan_html(
        '<base href="/x/"><a name="top-a" href="#b">x</a><h2 id="b">B</h2>'
        '<link rel="preconnect" href="https://cdn.example"><link rel="stylesheet" href="s.css">'
        '<meta property="og:image" content="https://e.example/i.jpg"><video poster="p.jpg" src="v.mp4"></video>'
        '<div style="background: url(bg.png)"></div><style>\n.x { background: url(y.png) }</style>'
    )
    assert scanned.ids == {"top-a", "b"}
    assert scanned.base == "/x/"
    assert [(r.url, r.what) for r in scanned.references] == [
        ("#b", ""),
        ("s.css", "stylesheet"),
        ("https://e.example/i.jpg", "og:image"),
        ("v.mp4", "video"),
        ("p.jpg", "poster"),
        ("bg.png", "CSS url()"),
        ("y.png", "CSS url()"),
    ]
    assert (scanned.references[-1].line, scanned.references[-1].col) == (2, 18)


def test_only_files_that_can_link_are_read() -> None:
    def never() -> bytes:
        raise AssertionError("an image is not read")

    assert scan_file("images/a.jpg", never) is None
    sitemap = scan_file("sitemap.xml", lambda: b"<urlset>\n<url><loc>https://e.example/a/?x=1&amp;y=2</loc></url></urlset>")
    assert sitemap is not None
    assert [(r.url, r.line, r.what) for r in sitemap.references] == [("https://e.example/a/?x=1&y=2", 2, "sitemap")]
