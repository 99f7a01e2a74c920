"""Where each field of an item came from, as the spider reports it for the replica's pages.

`doctor` prints it so an operator sees which fallback a layout change moved the crawl onto;
here every article the replica's first listing pages hold is read through the HTML channel
(the replica has no REST API and no feed) and each item's labels are checked against what its
page really holds (tests/replica/site.py):
- the modern (Elementor + Yoast) theme has og:title, og:image and article:published_time
  (the JSON-LD datePublished after it says the same instant, in UTC too, so the meta stands);
- the classic (tagDiv) theme has none of them: the title is its <h1>, a marked-up date its
  <time datetime>, and its featured image sits outside the article's text;
- a page with its date only in words ("text") prints it inside the classic theme's <header>,
  which our own reading skips as page chrome, and a page without one ("none") has it only in
  its addresses: htmldate gives the day of both.
"""

from __future__ import annotations

import asyncio

from icesco_watch.config.schema import Settings
from icesco_watch.spiders.plan import SourcePlan
from icesco_watch.spiders.runner import run_crawl
from tests.replica import ARTICLES, ReplicaServer
from tests.replica.articles import Article

MODERN = {
    "title": "og:title",
    "body": "container .elementor-widget-theme-post-content",
    "categories": "category links",
    "image": "og:image",
}
CLASSIC = {
    "title": "<h1>",
    "body": "container .td-post-content",
    "categories": "category links",
    "image": "none",
}
DATES = {
    ("modern", "full"): "article:published_time",
    ("classic", "full"): "<time datetime>",
    ("classic", "text"): "htmldate",
    ("modern", "none"): "htmldate",
}


def expected_provenance(article: Article) -> dict[str, str]:
    fields = MODERN if article.theme == "modern" else CLASSIC
    return {**fields, "date": DATES[article.theme, article.date_markup]}


def test_each_item_names_the_step_that_gave_each_field(
    replica: ReplicaServer, settings: Settings
) -> None:
    plans = [SourcePlan(source, pages=1) for source in settings.sources]
    results = asyncio.run(run_crawl(settings.crawl, plans))
    by_key = {a.expected_key: a for a in ARTICLES if replica.state in a.states}
    seen = set()
    for result in results.values():
        assert result.channel == "html", result.errors
        for item in result.items:
            article = by_key[item.key]
            assert dict(item.provenance) == expected_provenance(article), item.url
            assert item.published.date() == article.date  # each fallback found the right day
            seen.add((article.theme, article.date_markup))
    assert seen == set(DATES)  # every kind of page the replica has was read
