"""Custom feeds over real HTTP on 127.0.0.1: chosen items, 400s, ETag/304, the cache, the form."""

from __future__ import annotations

import gzip
import html.parser
import http.client
import threading
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from urllib.parse import urlencode

import feedparser
import pytest
from sqlalchemy import Engine

from icesco_watch.config.schema import Settings
from icesco_watch.feeds.custom import (
    BUILDS_AT_ONCE,
    BUILDS_WAITING,
    MAX_QUERY_CHARS,
    MAX_TERMS,
    CustomFeeds,
    parse_query,
)
from icesco_watch.feeds.publish import build_all
from icesco_watch.feeds.server import FeedServer
from icesco_watch.models import NewsItem
from tests.feeds.conftest import AWKWARD, make_item, store_items


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


def get(server: FeedServer, path: str, **headers: str) -> Reply:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.request("GET", path, headers={k.replace("_", "-"): v for k, v in headers.items()})
        response = conn.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        conn.close()


MUSEE = make_item(
    "musee-patrimoine",
    "fr",
    5,
    title="Le patrimoine du Maroc au musée",
    summary="Une exposition sur le patrimoine immatériel.",
    sectors=("culture",),
    topics=("heritage",),
)
PATRIMONIAL = make_item(
    "gestion-patrimoniale",
    "fr",
    6,
    title="Gestion patrimoniale des archives",
    summary="Les archives patrimoniales.",
    sectors=("culture",),
)
ECOLE = make_item(
    "ecole-patrimoine",
    "fr",
    7,
    title="Le patrimoine à l'école",
    sectors=("education",),
)
ITEMS = [*AWKWARD, MUSEE, PATRIMONIAL, ECOLE]


def entries(reply: Reply) -> list[str]:
    assert reply.status == 200, reply.body
    parsed = feedparser.parse(reply.body)
    assert not parsed.bozo, parsed.bozo_exception
    return [entry.link for entry in parsed.entries]


def urls(*found: NewsItem) -> list[str]:
    return [item.url for item in found]


def test_a_custom_feed_holds_the_items_of_every_parameter(
    server: FeedServer, engine: Engine
) -> None:
    store_items(engine, ITEMS)
    reply = get(server, "/feed.rss?lang=fr&sector=culture&q=patrimoine")
    assert reply.headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    # whole words: "patrimoniale" is not "patrimoine"; the school item is not culture
    assert entries(reply) == urls(MUSEE)
    feed = feedparser.parse(reply.body).feed
    assert feed.title == "Actualités de l'ICESCO : Culture et patrimoine · “patrimoine” (français)"
    assert feed.language == "fr"
    atom = get(server, "/feed.atom?topic=heritage")
    assert atom.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert entries(atom) == urls(AWKWARD[1], MUSEE)  # both languages, newest first
    # any of a parameter's values, repeated or comma-separated
    both = get(server, "/feed.rss?sector=education&sector=culture&lang=fr,ar&q=patrimoine")
    assert entries(both) == urls(MUSEE, ECOLE)
    assert entries(get(server, "/feed.rss?q=patrimoniale,immat%C3%A9riel")) == urls(
        MUSEE, PATRIMONIAL
    )
    assert (
        entries(get(server, "/feed.rss"))
        == urls(*sorted(ITEMS, key=lambda i: i.published, reverse=True))[:5]
    )  # feeds.items = 5


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("sector=culturee", "unknown sector 'culturee'; known: education, science, culture,"),
        ("topic=a_b", "unknown topic 'a_b'; known: ai, heritage"),
        ("lang=de", "unknown lang 'de'; known: en, ar, fr, all"),
        ("sectors=culture", "unknown parameter 'sectors'; use lang, sector, topic, q"),
        ("q=" + "a" * MAX_QUERY_CHARS, "query too long: 402 characters, at most 400"),
        ("q=" + ",".join(f"w{n}" for n in range(MAX_TERMS + 1)), "too many terms: 11, at most 10"),
        ("q=one+two+three+four+five+six+seven+eight+nine", "a keyword is at most 8 words"),
        ("q=%2B%2B", "a keyword needs at least one letter or digit"),
        ("q=%E2%80%8B%E2%80%8F", "a keyword needs at least one letter or digit"),
    ],
    ids=[
        "sector",
        "topic",
        "lang",
        "parameter",
        "length",
        "terms",
        "long-phrase",
        "no-letters",
        "invisible-only",
    ],
)
def test_a_bad_query_is_a_400_with_one_line(server: FeedServer, query: str, reason: str) -> None:
    reply = get(server, f"/feed.rss?{query}")
    assert reply.status == 400
    text = reply.body.decode()
    assert reason in text
    assert text.endswith("\n")
    assert text.count("\n") == 1
    assert reply.headers["Cache-Control"] == "no-store"


def test_etag_304_and_a_new_etag_when_the_store_changes(server: FeedServer, engine: Engine) -> None:
    store_items(engine, ITEMS)
    path = "/feed.atom?sector=culture&lang=fr"
    first = get(server, path)
    etag = first.headers["ETag"]
    assert get(server, path, If_None_Match=etag).status == 304
    # the same query written differently is the same feed, the same validator
    assert get(server, "/feed.atom?lang=fr&sector=culture,culture").headers["ETag"] == etag
    zipped = get(server, path, Accept_Encoding="gzip")
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.body) == first.body
    assert (
        get(server, path, Accept_Encoding="gzip", If_None_Match=zipped.headers["ETag"]).status
        == 304
    )
    fresh = make_item("nouveau-musee", "fr", 0.5, sectors=("culture",))
    store_items(engine, [fresh])
    again = get(server, path, If_None_Match=etag)
    assert again.status == 200
    assert again.headers["ETag"] != etag
    assert entries(again)[0] == fresh.url


def test_documents_are_cached_by_query_and_store_change(settings: Settings, engine: Engine) -> None:
    store_items(engine, ITEMS)
    feeds = CustomFeeds(settings, engine, entries=2)
    culture = parse_query("sector=culture", settings)
    one = feeds.rendered(culture, "rss")
    assert feeds.rendered(parse_query("sector=culture&sector=culture", settings), "rss") == one
    assert feeds.renders == 1
    feeds.rendered(culture, "atom")
    feeds.rendered(parse_query("lang=fr", settings), "rss")  # a third entry evicts the oldest
    assert feeds.renders == 3
    feeds.rendered(culture, "rss")
    assert feeds.renders == 4
    store_items(engine, [make_item("autre", "fr", 0.5, sectors=("science",))])
    feeds.rendered(culture, "rss")  # the store changed: rebuilt, though this feed did not
    assert feeds.renders == 5


def test_the_self_link_is_the_normalised_query(settings: Settings, engine: Engine) -> None:
    feed = parse_query("q=Patrimoine,+heritage&sector=culture&lang=all", settings)
    assert feed.path("rss") == "feed.rss?sector=culture&q=heritage%2Cpatrimoine"
    parsed = feedparser.parse(CustomFeeds(settings, engine).rendered(feed, "atom").body)
    self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
    assert self_links == ["http://127.0.0.1:0/feed.atom?sector=culture&q=heritage%2Cpatrimoine"]


def test_invisible_characters_in_a_keyword_are_dropped(server: FeedServer, engine: Engine) -> None:
    # A right-to-left mark or a zero-width space typed or pasted into q is not part of the word:
    # the feed is the plain word's (same items, same self link, one cache entry), not a second
    # look-alike one, or one that a split word never matches.
    store_items(engine, ITEMS)
    plain = get(server, "/feed.rss?q=patrimoniale")
    marked = get(server, "/feed.rss?q=%E2%80%8Fpatri%E2%80%8Bmoniale")
    assert entries(marked) == entries(plain) == urls(PATRIMONIAL)
    assert marked.headers["ETag"] == plain.headers["ETag"]


class _Form(html.parser.HTMLParser):
    """The custom feed form's action, buttons' formaction and each field's choices."""

    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.formactions: list[str] = []
        self.fields: dict[str, list[str]] = {}
        self._select = ""
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "form":
            self.action = found["action"] or ""
            assert found["method"] == "get"
        if tag == "button" and found.get("formaction"):
            self.formactions.append(found["formaction"] or "")
        if tag in ("select", "input"):
            self._select = found["name"] or ""
            self.fields[self._select] = []
        if tag == "option":
            self.fields[self._select].append(found["value"] or "")


def test_the_index_form_builds_working_custom_feed_addresses(
    settings: Settings, engine: Engine, server: FeedServer
) -> None:
    store_items(engine, ITEMS)
    build_all(settings, engine)
    page = get(server, "/")
    assert "script-src" not in page.headers["Content-Security-Policy"]  # scripts stay forbidden
    form = _Form()
    form.feed(page.body.decode())
    assert (form.action, form.formactions, form.scripts) == ("feed.rss", ["feed.atom"], 0)
    assert form.fields["lang"] == ["all", "en", "ar", "fr"]
    assert form.fields["sector"] == ["", *(s.key for s in settings.sectors)]
    assert form.fields["topic"] == ["", "ai", "heritage"]
    assert "q" in form.fields
    # What a browser submits for every choice of the form is a feed (empty fields included).
    for lang in form.fields["lang"]:
        for sector in form.fields["sector"]:
            query = urlencode({"lang": lang, "sector": sector, "topic": "", "q": "patrimoine"})
            for action in (form.action, *form.formactions):
                assert get(server, f"/{action}?{query}").status == 200
    chosen = urlencode({"lang": "fr", "sector": "culture", "topic": "", "q": "patrimoine"})
    assert entries(get(server, f"/feed.rss?{chosen}")) == urls(MUSEE)


@pytest.mark.parametrize("refusal", ["gzip;q=0", "gzip; q=0.0, identity", "*;q=0"])
def test_a_client_that_refuses_gzip_gets_the_plain_custom_feed(
    server: FeedServer, engine: Engine, refusal: str
) -> None:
    """`gzip;q=0` says "not gzip" (RFC 9110 12.5.3): the custom feed must not send gzip anyway,
    just as the published files do not."""
    store_items(engine, ITEMS)
    plain = get(server, "/feed.rss?lang=fr")
    reply = get(server, "/feed.rss?lang=fr", Accept_Encoding=refusal)
    assert reply.status == 200
    assert reply.headers["Content-Encoding"] is None
    assert reply.body == plain.body
    assert reply.headers["ETag"] == plain.headers["ETag"]


def test_a_burst_of_new_queries_never_holds_health_metrics_or_cached_feeds(
    server: FeedServer, engine: Engine
) -> None:
    """Builds waited for a slot while holding the loop's default threads: sixty distinct
    queries at once left /healthz, /metrics and already cached feeds unanswered until the
    connection was cut. Builds now have threads of their own, a bounded queue behind them,
    and a query beyond it is told to retry at once."""
    store_items(engine, ITEMS)
    assert get(server, "/feed.rss?q=patrimoine").status == 200  # cached from now on
    assert server.custom is not None
    gate = threading.Event()
    busy = [server.custom.builders.submit(gate.wait, 30) for _ in range(BUILDS_AT_ONCE)]
    queries = [f"/feed.rss?q=word{n}" for n in range(BUILDS_AT_ONCE + BUILDS_WAITING + 3)]
    with ThreadPoolExecutor(len(queries)) as pool:
        pending = [pool.submit(get, server, query) for query in queries]
        try:
            # Every build slot is taken and the queue is full: the extra queries answer now.
            told = [future.result(timeout=20) for future in _first_done(pending, 3)]
            assert [reply.status for reply in told] == [503] * 3
            assert all(reply.headers["Retry-After"] for reply in told)
            # Meanwhile the rest of the server answers as if nothing were happening.
            assert get(server, "/healthz").status == 200
            assert get(server, "/metrics").status == 200
            assert get(server, "/feed.rss?q=patrimoine").status == 200
            assert sum(future.done() for future in pending) == 3  # the queued still wait
        finally:
            gate.set()
        replies = [future.result(timeout=30) for future in pending]
    assert all(future.result() for future in busy)
    assert sorted(reply.status for reply in replies).count(200) == len(queries) - 3


def _first_done(futures: list[Future[Reply]], count: int) -> list[Future[Reply]]:
    """The first `count` futures to finish (the others are still waiting)."""
    done: list[Future[Reply]] = []
    for future in as_completed(futures, timeout=20):
        done.append(future)
        if len(done) == count:
            break
    return done
