"""Self-tests of the icesco.org replica (generator and server), standard library only."""

from __future__ import annotations

import http.client
import re
import threading
import urllib.error
import urllib.request
from html.parser import HTMLParser

import pytest

from . import ARTICLES, STATES, ReplicaServer, build_site
from .articles import EDITED_KEY, FEATURED_KEY
from .site import LISTINGS, articles_in, visible_date

PERMALINK = re.compile(r"^(?:https?://(?:www\.)?icesco\.org)?/(en|fr|ar)/\d{4}/\d\d/\d\d/[^/?#]+")
WIDGET = {
    "en": ("your opinion", "User Feedback", "Overall, how satisfied are you about the website?"),
    "fr": ("votre avis", "Très insatisfait", "Très satisfait"),
    "ar": ("رأيك", "تعليقات المستخدمين"),
}
DISCLAIMER = "Disclaimer: You are using Google Translate."


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.title_hrefs: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "h3":
            self._in_title = True
        if tag == "a" and found.get("href"):
            self.hrefs.append(found["href"] or "")
            if self._in_title:
                self.title_hrefs.append(found["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h3":
            self._in_title = False


def links(body: bytes) -> Links:
    parser = Links()
    parser.feed(body.decode())
    return parser


def key_of(href: str) -> str:
    """Minimal canonicalisation used to check the listings, not the crawler's."""
    match = PERMALINK.match(href)
    assert match is not None, href
    path = re.sub(r"%[0-9a-f]{2}", lambda m: m.group(0).upper(), match.group(0).split("org")[-1])
    return "icesco.org" + path


def fetch(
    server: ReplicaServer, url: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    """One request to the server as a proxy (absolute-form target when ``url`` is absolute)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        conn.request(method, url, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


# ---------------------------------------------------------------- data and generator


def test_data_keys_states_and_counts() -> None:
    for art in ARTICLES:
        assert art.expected_key == "icesco.org" + art.path.rstrip("/")
        assert art.url == "http://icesco.org" + art.path
        assert not re.search(r"%[0-9A-F][a-f]|%[a-f]", art.slug), art.slug
        assert 3 <= len(art.paragraphs) <= 5
        assert art.states <= set(STATES)
        assert date_range_ok(art.date.year)
    counts = {
        state: tuple(len(articles_in(state, lang)) for lang in ("en", "fr", "ar"))
        for state in STATES
    }
    assert counts == {
        "before": (12, 7, 7),
        "after": (14, 8, 8),
        "after-more": (22, 8, 8),
        "redesign": (12, 7, 7),
        "edited": (14, 8, 8),
    }
    newest_other = max(a.date for a in ARTICLES if a.states != frozenset({"after-more"}))
    assert all(a.date > newest_other for a in ARTICLES if a.states == frozenset({"after-more"}))


def date_range_ok(year: int) -> bool:
    return year in (2024, 2025)


def test_build_site_is_deterministic_and_carries_boilerplate() -> None:
    for state in STATES:
        site = build_site(state)
        assert site == build_site(state)
        for path, page in site.items():
            if page.status != 200 or not page.content_type.startswith("text/html"):
                continue
            text = page.body.decode()
            assert DISCLAIMER in text, path
            assert all(label in text for label in WIDGET[path[1:3]]), path


def test_article_pages_dates() -> None:
    site = build_site("after")
    for art in articles_in("after"):
        text = site[art.path].body.decode()
        assert ">" + art.title.replace("'", "&#x27;") + "<" in text
        has_meta = "article:published_time" in text
        assert has_meta == (art.theme == "modern" and art.date_markup == "full"), art.path
        assert ("dateModified" in text) == has_meta
        assert ("<time " in text) == (art.theme == "classic" and art.date_markup == "full")
        assert (visible_date(art) in text) == (art.date_markup != "none"), art.path
        assert 'rel="category tag"' in text
    no_date = [a for a in ARTICLES if a.date_markup == "none"]
    assert no_date
    assert str(no_date[0].date.year) + "-" not in site[no_date[0].path].body.decode()
    www = [a for a in ARTICLES if a.canonical_www]
    canonical = f'rel="canonical" href="http://www.icesco.org{www[0].path}"'
    assert canonical in site[www[0].path].body.decode()


def test_listing_links_variants_and_traps() -> None:
    site = build_site("before")
    page1 = site["/en/category/news/"].body
    found = links(page1)
    hrefs = found.hrefs
    assert any(h.startswith("http://icesco.org/en/20") and h.endswith("/") for h in hrefs)
    assert any(h.startswith("http://www.icesco.org/en/20") for h in hrefs)
    assert any(h.startswith("/en/20") and h.endswith("/") for h in hrefs)
    assert any(PERMALINK.match(h) and re.search(r"[a-z]$", h) for h in hrefs)  # no slash
    assert any("?utm_source=" in h for h in hrefs)
    assert any(h.endswith("#comments") for h in hrefs)
    assert "http://events.example.org/en/2024/05/15/fake/" in hrefs
    assert "/en/category/education/" in hrefs
    assert "/en/wp-content/uploads/2024/05/file.pdf" in hrefs
    assert any(h.startswith("/en/areas_of_expertise/") for h in hrefs)
    assert any(h.startswith("/en/goal/") for h in hrefs)
    titles = [key_of(h) for h in found.title_hrefs]
    assert titles[0] == FEATURED_KEY
    assert titles.count(FEATURED_KEY) == 1
    assert len(titles) == 7  # the sticky item + 6
    page2 = [key_of(h) for h in links(site["/en/category/news/page/2/"].body).title_hrefs]
    assert FEATURED_KEY in page2
    assert 'class="next page-numbers"' in page1.decode()
    assert "May 2024" not in page1.decode()  # no dates on listings
    fr = site["/fr/category/actualites/"].body.decode()
    assert "td_module_10" in fr
    assert 'class="page"' in fr
    assert "next" not in fr
    ar = site[LISTINGS["ar"]].body.decode()
    assert 'dir="rtl" lang="ar"' in ar or 'lang="ar" dir="rtl"' in ar
    assert re.search(r'href="[^"]*/ar/\d{4}/\d\d/\d\d/%d8%', ar)
    assert re.search(r'href="[^"]*/ar/\d{4}/\d\d/\d\d/%D8%', ar)
    redesign_site = build_site("redesign")
    assert all(redesign_site[a.path] == site[a.path] for a in articles_in("before"))
    redesign = redesign_site["/en/category/news/"].body
    assert not [h for h in links(redesign).hrefs if PERMALINK.match(h)]
    assert 'href="/?p=' in redesign.decode()


def test_state_transitions() -> None:
    def page_keys(state: str, number: int) -> list[str]:
        path = LISTINGS["en"] + (f"page/{number}/" if number > 1 else "")
        return [key_of(h) for h in links(build_site(state)[path].body).title_hrefs]

    before = {a.expected_key for a in articles_in("before")}
    more = page_keys("after-more", 1)
    assert len(more) == 6
    assert not set(more) & before
    assert not set(page_keys("after-more", 2)[:2]) & before
    assert page_keys("after", 1)[0] == FEATURED_KEY
    assert set(page_keys("after", 1)[1:3]) == {
        a.expected_key for a in articles_in("after", "en") if a.expected_key not in before
    }
    edited = next(a for a in articles_in("edited") if a.expected_key == EDITED_KEY)
    original = next(a for a in articles_in("after") if a.expected_key == EDITED_KEY)
    assert edited.title != original.title
    assert len(edited.paragraphs) == len(original.paragraphs) + 1
    assert build_site("edited")[edited.path] != build_site("after")[edited.path]


# ---------------------------------------------------------------- server


def test_proxy_requests_and_log() -> None:
    with ReplicaServer() as server:
        opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({"http": server.proxy_url})
        )
        url = "http://www.icesco.org/en/category/news/?utm_source=x"
        with opener.open(urllib.request.Request(url, headers={"User-Agent": "t/1"})) as resp:
            assert resp.status == 200
            assert b"elementor-post__title" in resp.read()
        status, _, _ = fetch(server, "http://evil.example.com/en/category/news/")
        assert status == 502
        status, _, body = fetch(server, "/robots.txt")  # origin-form, Host: 127.0.0.1:PORT
        assert status == 200
        assert b"Disallow: /en/private/" in body
        log = server.requests
        assert [(r.host, r.path, r.query, r.status) for r in log] == [
            ("www.icesco.org", "/en/category/news/", "utm_source=x", 200),
            ("evil.example.com", "/en/category/news/", "", 502),
            ("127.0.0.1", "/robots.txt", "", 200),
        ]
        assert log[0].user_agent == "t/1"
        assert log[0].method == "GET"
        server.clear_log()
        assert server.requests == []


def test_conditional_requests_and_state_switch() -> None:
    with ReplicaServer("before") as server:
        listing = "http://icesco.org/en/category/news/"
        status, headers, page1 = fetch(server, listing)
        assert status == 200
        assert headers["etag"].startswith('"')
        assert int(headers["content-length"]) == len(page1)
        etag, modified = headers["etag"], headers["last-modified"]
        status, _, body = fetch(server, listing, {"If-None-Match": etag})
        assert status == 304
        assert body == b""
        status, _, _ = fetch(server, listing, {"If-Modified-Since": modified})
        assert status == 304
        fr = "http://icesco.org/fr/category/actualites/"
        status, fr_headers, _ = fetch(server, fr)
        assert status == 200
        assert "etag" not in fr_headers
        status, _, _ = fetch(server, fr, {"If-Modified-Since": fr_headers["last-modified"]})
        assert status == 304
        old_article = articles_in("before", "en")[-1].url
        _, art_headers, _ = fetch(server, old_article)

        server.set_state("after")
        status, headers, new_page1 = fetch(server, listing, {"If-None-Match": etag})
        assert status == 200
        assert new_page1 != page1
        assert headers["etag"] != etag
        assert headers["last-modified"] != modified
        status, _, _ = fetch(server, listing, {"If-Modified-Since": modified})
        assert status == 200
        status, _, _ = fetch(server, old_article, {"If-None-Match": art_headers["etag"]})
        assert status == 304  # unchanged page keeps its validators
        assert server.requests[-1].if_none_match == art_headers["etag"]


def test_paths_redirects_and_not_found() -> None:
    with ReplicaServer("before") as server:
        status, _, body = fetch(server, "http://icesco.org/en/category/news/page/3/")
        assert status == 404
        assert b"Page not found" in body
        status, _, _ = fetch(server, "http://icesco.org/en/category/news/page/2/")
        assert status == 200
        art = articles_in("before", "ar")[0]
        status, headers, _ = fetch(
            server, art.url.rstrip("/").lower().replace("http://", "http://www.")
        )
        assert status == 301
        assert headers["location"] == "http://www.icesco.org" + art.path
        status, _, body = fetch(server, "http://icesco.org" + art.path.lower())
        assert status == 200
        assert art.title.encode() in body
        status, _, body = fetch(server, "http://icesco.org" + art.path, method="HEAD")
        assert status == 200
        assert body == b""
        status, headers, _ = fetch(server, "http://icesco.org/en/category/news/page/1/")
        assert status == 301
        assert headers["location"] == "http://icesco.org/en/category/news/"


def test_failure_modes() -> None:
    with ReplicaServer() as server:
        url = "http://icesco.org/en/category/news/"
        server.fail(503, path_prefix="/en/category/news/", count=2)
        assert [fetch(server, url)[0] for _ in range(3)] == [503, 503, 200]
        server.fail(500, path_prefix="/en/")
        assert fetch(server, url)[0] == 500
        assert fetch(server, "http://icesco.org/robots.txt")[0] == 200
        server.clear_faults()
        assert fetch(server, url)[0] == 200

        server.respond("/en/category/news/", b"\x1f\x8b", {"Content-Encoding": "gzip"}, count=1)
        status, headers, body = fetch(server, url)
        assert (status, headers["content-encoding"], body) == (200, "gzip", b"\x1f\x8b")
        server.respond("/en/category/", b"", {"Location": "http://elsewhere.example/"}, 301)
        status, headers, _ = fetch(server, url)
        assert (status, headers["location"]) == (301, "http://elsewhere.example/")
        server.clear_faults()

        # Held for an hour: stop() must release it at once, not wait for it.
        server.hang(path_prefix="/en/category/news/", seconds=3600)
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        try:
            conn.request("GET", url)
            server.wait_for_hang()
            stopper = threading.Thread(target=server.stop)
            stopper.start()
            stopper.join(timeout=60)
            assert not stopper.is_alive(), "stop() waited for the held request"
            with pytest.raises((http.client.HTTPException, ConnectionError)):
                conn.getresponse()  # dropped, never answered
        finally:
            conn.close()
        assert server.requests[-1].status == 0


def test_urllib_follows_slash_redirect_through_proxy() -> None:
    with ReplicaServer("after-more") as server:
        opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({"http": server.proxy_url})
        )
        art = articles_in("after-more", "en")[0]
        with opener.open(art.url.rstrip("/")) as resp:
            assert resp.status == 200
            assert resp.geturl() == art.url
        code = 0
        try:
            opener.open("http://icesco.org/en/category/news/page/5/").close()
        except urllib.error.HTTPError as err:
            code = err.code
            err.close()
        assert code == 404
