"""The spider's channel side: reading a source through the REST API or its feed, falling back.

Per source, `open_source` tries the channels `channel_order` gives, first to last:
- **rest**: resolve the listing's category (`categories?slug=`, only while it is unknown), then
  the category's census (its post count and newest post id, one tiny request), then
  `posts?categories=ID` page by page, and the newest posts by id when the census changed. When
  the source's feed is known to answer validators, a conditional HEAD on the feed goes first:
  a 304 there and an unchanged census end the source's cycle in two small requests. The feed's
  validators follow WordPress's newest *modified* time, site-wide: an edit moves them, but a
  post published with a date in the past (an import, the REST API, a late scheduled post) does
  not; the census does, and the page by id finds that post however far back its date puts it.
  While discovering, the feed is read once too: its validators become that gate, and a
  warning is logged when it does not list the same newest items as the REST API.
- **feed**: the category's Atom feed, conditionally (304 ends the cycle), `?paged=N` after.
  The feed has no census: it is read whole when `plan.feed_refresh_due` (FEED_REFRESH).
- **html**: the listing pages, in `IcescoSpider`.
A channel that answers an error or something that is not WordPress's makes the next one run
in the same cycle; when none is left the source fails. Entries carry bodies, so article pages
are fetched only for entries without one; a known item whose modified time changed is read
again (an edit), everything else known is left alone.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from scrapy import Request
from scrapy.http import Response
from twisted.internet.defer import CancelledError
from twisted.python.failure import Failure

from icesco_watch.models import CrawlResult, NewsItem, summarize
from icesco_watch.spiders.channels import (
    Channel,
    channel_order,
    disagreement,
    feed_url,
    rest_category_url,
    rest_census_url,
    rest_posts_url,
)
from icesco_watch.spiders.plan import SourcePlan
from icesco_watch.spiders.wordpress import (
    ChannelError,
    Entry,
    parse_atom,
    parse_rest_category,
    parse_rest_census,
    parse_rest_posts,
)

log = logging.getLogger(__name__)
Output = Iterator[Request | NewsItem]
_END = (400, 404)  # past the last page: WordPress's REST API answers 400, its feeds 404


class ChannelCrawl:
    """Mixed into IcescoSpider: the REST and feed channels and the fallback between channels."""

    plans: dict[str, SourcePlan]
    results: dict[str, CrawlResult]
    _scheduled: set[str]
    _orders: dict[str, list[Channel]]
    _newest: dict[str, list[str]]
    _listed: set[str]  # keys of the entries read this run: each is taken once

    if TYPE_CHECKING:  # provided by IcescoSpider, which mixes this class in

        def html_start(self, key: str) -> Iterator[Request]: ...

        def parse_article(self, response: Response, key: str) -> Iterator[NewsItem]: ...

        def article_failed(self, failure: Failure) -> None: ...

        def describe(self, failure: Failure, request: Request) -> str: ...

    def open_source(self, key: str) -> Iterator[Request]:
        """The first requests of a source's cycle, on the first channel of its order."""
        plan = self.plans[key]
        start = plan.source.start_urls[0]
        self._orders[key] = channel_order(plan.source.channel, plan.channel, start)
        yield from self._try_channel(key)

    def _try_channel(self, key: str) -> Iterator[Request]:
        plan, result = self.plans[key], self.results[key]
        channel = self._orders[key][0]
        result.channel = channel.value
        start = plan.source.start_urls[0]
        if channel is Channel.HTML:
            yield from self.html_start(key)
        elif channel is Channel.FEED:
            url = feed_url(start)
            headers = {} if plan.feed_refresh_due else plan.validators_for(url)
            yield self._request(key, url, self.parse_feed, "feed", headers, page=1)
        elif plan.category_id is None or plan.channel != Channel.REST.value:
            category = rest_category_url(start)
            assert category is not None, "channel_order offers REST for category listings only"
            yield self._request(key, category, self.parse_rest_category, "rest-category")
        else:
            result.category_id = plan.category_id
            gate = feed_url(start)
            headers = plan.validators_for(gate)
            if headers:
                yield self._request(key, gate, self.parse_gate, "gate", headers, method="HEAD")
            else:
                yield self._census_request(key, feed_unchanged=False)

    def _fall_back(self, key: str, reason: str) -> Iterator[Request]:
        """The current channel is unusable this cycle: the next one, or the source fails."""
        order, result = self._orders[key], self.results[key]
        failed = order.pop(0)
        if not order:
            result.fail(reason, fatal=True)
            return
        message = f"{failed} channel unusable ({reason}); falling back to {order[0]}"
        result.warnings.append(message)
        # While discovering, a missing channel is expected; a known one breaking is news.
        discovering = self.plans[key].channel is None
        log.log(logging.INFO if discovering else logging.WARNING, "%s: %s", key, message)
        yield from self._try_channel(key)

    # ---------------------------------------------------------------- requests

    def _request(
        self,
        key: str,
        url: str,
        callback: Any,
        kind: str,
        headers: dict[str, str] | None = None,
        method: str = "GET",
        **cb_kwargs: Any,
    ) -> Request:
        return Request(
            url,
            method=method,
            headers=headers,
            callback=callback,
            errback=self.channel_failed,
            dont_filter=True,
            meta={"source": key, "kind": kind, "handle_httpstatus_list": [304, *_END]},
            cb_kwargs={"key": key, **cb_kwargs},
        )

    def _posts_request(self, key: str, page: int, by_id: bool = False) -> Request:
        plan, result = self.plans[key], self.results[key]
        assert result.category_id is not None
        url = rest_posts_url(plan.source.start_urls[0], result.category_id, page, by_id)
        return self._request(key, url, self.parse_rest_posts, "rest", page=page, by_id=by_id)

    def _census_request(self, key: str, feed_unchanged: bool) -> Request:
        plan, result = self.plans[key], self.results[key]
        assert result.category_id is not None
        url = rest_census_url(plan.source.start_urls[0], result.category_id)
        return self._request(
            key, url, self.parse_rest_census, "rest-census", feed_unchanged=feed_unchanged
        )

    def channel_failed(self, failure: Failure) -> Iterator[Request]:
        """A channel request that could not be made or answered an HTTP error."""
        if isinstance(failure.value, CancelledError | asyncio.CancelledError):
            # Shutdown cancels the downloads in flight: the site failed nothing, and the cycle
            # is dropped whole (runner.run_crawl), so no channel is given up for it.
            return
        request = failure.request  # type: ignore[attr-defined]
        key, kind = request.meta["source"], request.meta["kind"]
        reason = self.describe(failure, request)
        page = request.cb_kwargs.get("page", 1)
        if kind == "feed-probe":
            self.results[key].warnings.append(f"feed probe {reason}")
        elif page > 1 or request.cb_kwargs.get("by_id"):
            self.results[key].fail(f"{kind} {reason}", fatal=False)
        else:
            yield from self._fall_back(key, reason)

    # ---------------------------------------------------------------- REST

    def parse_rest_category(self, response: Response, key: str) -> Iterator[Request]:
        if response.status != 200:
            yield from self._fall_back(key, f"{response.url} answered {response.status}")
            return
        try:
            found = parse_rest_category(response.body)
        except ChannelError as exc:
            yield from self._fall_back(key, f"{response.url}: {exc}")
            return
        if found is None:
            yield from self._fall_back(key, f"no such category at {response.url}")
            return
        self.results[key].category_id = found[0]
        yield self._census_request(key, feed_unchanged=False)

    def parse_gate(self, response: Response, key: str) -> Iterator[Request]:
        """The feed's answer to a conditional HEAD: 304 means no post was edited or published
        with a newer date anywhere on the site; the census says whether any was published."""
        plan, result = self.plans[key], self.results[key]
        if response.status == 304:
            # Kept as they were, should the census send the cycle on reading.
            result.etag, result.last_modified = plan.etag, plan.last_modified
            result.validated_url = plan.validated_url
        elif response.status == 200:
            self._keep_validators(result, response)
        yield self._census_request(key, feed_unchanged=response.status == 304)

    def parse_rest_census(self, response: Response, key: str, feed_unchanged: bool) -> Output:
        """The category's post count and newest id: unchanged after a 304 on the feed, the
        cycle ends; otherwise the posts are read (and by id too, when the census moved)."""
        plan, result = self.plans[key], self.results[key]
        if response.status != 200:
            yield from self._fall_back(key, f"{response.url} answered {response.status}")
            return
        try:
            census = parse_rest_census(response.body, response.headers.get(b"X-WP-Total"))
        except ChannelError as exc:
            yield from self._fall_back(key, f"{response.url}: {exc}")
            return
        result.rest_total, result.rest_newest_id = census.total, census.newest_id
        moved = plan.rest_total is None or (census.total, census.newest_id) != (
            plan.rest_total,
            plan.rest_newest_id,
        )
        if feed_unchanged and not moved:
            result.not_modified = True
            return
        yield self._posts_request(key, 1)
        if moved and census.newest_id is not None:
            yield self._posts_request(key, 1, by_id=True)

    def parse_rest_posts(self, response: Response, key: str, page: int, by_id: bool) -> Output:
        """A page of the category's posts by date (followed while new items continue), or the
        page of its newest posts by id (read once: back-dated posts sit there)."""
        plan, result = self.plans[key], self.results[key]
        first = page == 1 and not by_id  # the page the channel stands or falls by
        if response.status != 200:
            if first:
                yield from self._fall_back(key, f"{response.url} answered {response.status}")
            elif by_id:
                result.fail(f"rest {response.url} answered {response.status}", fatal=False)
            return
        try:
            entries = parse_rest_posts(response.body, plan.source.host, plan.source.lang)
        except ChannelError as exc:
            if first:
                yield from self._fall_back(key, f"{response.url}: {exc}")
            else:
                result.fail(f"rest {response.url}: {exc}", fatal=False)
            return
        result.pages += 1
        yield from self._take(key, entries)
        if by_id:
            return
        total = int(response.headers.get(b"X-WP-TotalPages", b"0") or 0)
        if self._more(plan, entries, page) and (total == 0 or page < total):
            yield self._posts_request(key, page + 1)
        if first and plan.channel is None:
            self._newest[key] = [e.key for e in entries]
            probe = feed_url(plan.source.start_urls[0])
            yield self._request(key, probe, self.parse_feed, "feed-probe", page=1)

    # ---------------------------------------------------------------- feed

    def parse_feed(self, response: Response, key: str, page: int) -> Output:
        plan, result = self.plans[key], self.results[key]
        probe = response.meta["kind"] == "feed-probe"
        if response.status == 304 and not probe:
            result.not_modified = True
            return
        if response.status != 200:
            if probe:
                result.warnings.append(f"no feed at {response.url} ({response.status})")
            elif page == 1:
                yield from self._fall_back(key, f"{response.url} answered {response.status}")
            return
        try:
            entries = parse_atom(response.body, plan.source.host, plan.source.lang)
        except ChannelError as exc:
            if probe:
                result.warnings.append(f"{response.url} is not a usable feed: {exc}")
            elif page == 1:
                yield from self._fall_back(key, f"{response.url}: {exc}")
            else:
                result.fail(f"feed {response.url}: {exc}", fatal=False)
            return
        if page == 1:
            self._keep_validators(result, response)
        if probe:
            warning = disagreement(
                self._newest.get(key, []), [e.key for e in entries], ("REST API", "feed")
            )
            if warning:
                result.warnings.append(warning)
                log.warning("%s: %s", key, warning)
            return
        result.pages += 1
        yield from self._take(key, entries)
        if self._more(plan, entries, page):
            next_url = feed_url(plan.source.start_urls[0], page + 1)
            yield self._request(key, next_url, self.parse_feed, "feed", page=page + 1)

    # ---------------------------------------------------------------- entries

    @staticmethod
    def _more(plan: SourcePlan, entries: list[Entry], page: int) -> bool:
        """Read the next page while the page's last entry was new (see IcescoSpider)."""
        return (
            bool(entries)
            and page < plan.page_limit
            and (plan.backfill or entries[-1].key not in plan.known)
        )

    @staticmethod
    def _keep_validators(result: CrawlResult, response: Response) -> None:
        etag, modified = response.headers.get(b"ETag"), response.headers.get(b"Last-Modified")
        result.etag = etag.decode("latin-1") if etag else None
        result.last_modified = modified.decode("latin-1") if modified else None
        result.validated_url = response.url if (etag or modified) else None

    def _take(self, key: str, entries: list[Entry]) -> Output:
        """New entries and edited known ones become items (or article requests)."""
        plan, result = self.plans[key], self.results[key]
        for entry in entries:
            if entry.key in self._listed:
                continue  # already read this run (by date and by id, or on two pages)
            self._listed.add(entry.key)
            result.listing_keys.append(entry.key)
            if entry.modified:
                result.modified[entry.key] = entry.modified
            if entry.post_id is not None:
                result.post_ids[entry.key] = entry.post_id
            if entry.key in self._scheduled:
                continue
            stored = plan.modified.get(entry.key)
            edited = entry.modified is not None and stored is not None and stored != entry.modified
            if entry.key in plan.known and not edited and not plan.backfill:
                continue
            self._scheduled.add(entry.key)
            if entry.body is None or not entry.title:
                yield Request(
                    entry.url,
                    callback=self.parse_article,
                    errback=self.article_failed,
                    meta={"source": key, "kind": "article"},
                    cb_kwargs={"key": key},
                )
                continue
            item = NewsItem(
                key=entry.key,
                source=plan.source.key,
                lang=plan.source.lang,
                url=entry.url,
                title=entry.title,
                published=entry.published,
                summary=summarize(entry.body),
                body=entry.body,
                site_categories=entry.categories,
                wp_post_id=entry.post_id,
                provenance=entry.provenance,
            )
            result.items.append(item)
            yield item
