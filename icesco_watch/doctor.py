"""`icesco-watch doctor`: checks live sources the way a cycle would read them, and says plainly
whether each is usable. Nothing is stored.

For each source, one spider run per channel (REST API, feed, HTML) reads the first listing
page with nothing known, so every item on it is read: robots.txt is fetched afresh, each
channel answers or says why not, the channel a cycle would choose is named, and the newest
items are shown with their date, categories and sectors, the channel that gave them, and
where each field came from (`from: title og:title, date JSON-LD datePublished, body
trafilatura, ...` on an article page; `REST title.rendered`, `feed <published>` ... from the
REST API or the feed). That last line is how a layout change shows: a field that moved onto a
later fallback (a date from the URL, a body from trafilatura) is named as such.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from protego import Protego

from icesco_watch.config.schema import Settings, SourceConfig
from icesco_watch.models import CrawlResult, NewsItem
from icesco_watch.spiders.channels import DISCOVERY_ORDER, Channel, channel_order
from icesco_watch.spiders.plan import SourcePlan
from icesco_watch.spiders.runner import Crawler, crawler_for
from icesco_watch.tagging import Tagger

NEWEST = 5
# The fields whose source `doctor` names, in the order it names them.
_FIELDS = ("title", "date", "body", "categories", "image")


@dataclass
class Diagnosis:
    """What the doctor found for one source."""

    source: SourceConfig
    robots: str = "not fetched"
    channels: dict[Channel, CrawlResult] = field(default_factory=dict)
    chosen: Channel | None = None
    items: list[NewsItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        return self.chosen is not None and bool(self.items)

    def lines(self) -> list[str]:
        out = [f"{self.source.key}  {self.source.start_urls[0]}", f"  robots.txt: {self.robots}"]
        for channel, result in self.channels.items():
            out.append(f"  channel {channel}: {_channel_state(result)}")
        out.append(f"  chosen: {self.chosen or 'none: no channel works'}")
        if self.items:
            out.append(f"  newest items (from the {self.chosen} channel):")
        for item in self.items:
            day = item.published.astimezone(self.source.zone).date().isoformat()
            out.append(f"    {day}  {item.title}")
            out.append(
                f"      categories: {', '.join(item.site_categories) or '-'}"
                f"  sectors: {', '.join(item.sectors) or '-'}"
            )
            if item.provenance:
                out.append(f"      from: {provenance_line(item.provenance)}")
            out.append(f"      {item.url}")
        out += [f"  warning: {w}" for w in self.warnings]
        out.append(f"  verdict: {'usable' if self.usable else 'NOT usable'}")
        return out


def provenance_line(provenance: Mapping[str, str]) -> str:
    """`title og:title, date JSON-LD datePublished, body trafilatura, ...`: the fields in a
    fixed order, then any others the extractor named."""
    names = [*_FIELDS, *sorted(k for k in provenance if k not in _FIELDS)]
    return ", ".join(f"{name} {provenance[name]}" for name in names if provenance.get(name))


def _channel_state(result: CrawlResult) -> str:
    if result.fatal:
        return "unavailable: " + (result.errors[0] if result.errors else "no answer")
    validators = "validators (304 possible)" if result.etag or result.last_modified else ""
    found = f"{len(result.listing_keys)} item(s) on the first page"
    return "  ".join(p for p in ("works", found, validators) if p)


async def diagnose(
    settings: Settings, sources: Sequence[SourceConfig], crawler: Crawler | None = None
) -> list[Diagnosis]:
    """Read every source through every channel once; see the module docstring."""
    crawl = crawler or crawler_for(settings.crawl)
    results: dict[str, CrawlResult] = {}
    # One run per channel: within a run an article is read once, by whichever channel
    # reaches it first, and each channel here must show what it finds by itself.
    for channel in DISCOVERY_ORDER:
        plans = [SourcePlan(_probe_source(source, channel), pages=1) for source in sources]
        results.update(await crawl(settings.crawl, plans, None))
    tagger = Tagger(settings)
    now = datetime.now(UTC)
    return [_diagnose(settings, source, results, tagger, now) for source in sources]


def run_doctor(settings: Settings, sources: Sequence[SourceConfig]) -> list[Diagnosis]:
    return asyncio.run(diagnose(settings, sources))


def _probe_source(source: SourceConfig, channel: Channel) -> SourceConfig:
    return source.model_copy(update={"key": f"{source.key}--{channel}", "channel": channel.value})


def _diagnose(
    settings: Settings,
    source: SourceConfig,
    results: dict[str, CrawlResult],
    tagger: Tagger,
    now: datetime,
) -> Diagnosis:
    found = Diagnosis(source)
    for channel in DISCOVERY_ORDER:
        result = results.get(f"{source.key}--{channel}")
        if result is not None:
            found.channels[channel] = result
    robots = next((r.robots for r in found.channels.values() if r.robots), None)
    if robots is not None:
        allowed = Protego.parse(robots.body).can_fetch(
            source.start_urls[0], settings.crawl.user_agent
        )
        verdict = "the listing is allowed" if allowed else "the listing is DISALLOWED"
        found.robots = f"fetched ({len(robots.body.splitlines())} lines); {verdict}"
    for channel in channel_order(source.channel, None, source.start_urls[0]):
        result = found.channels.get(channel)
        if result is not None and not result.fatal and result.items:
            found.chosen = channel
            break
    if found.chosen is None:
        found.warnings.append("no channel gave a single article: nothing would be watched")
        return found
    chosen = found.channels[found.chosen]
    items = sorted(chosen.items, key=lambda i: i.published, reverse=True)
    found.items = [tagger.tag(item) for item in items[:NEWEST]]
    found.warnings += [w for r in found.channels.values() for w in r.warnings]
    undated = [e for e in chosen.errors if "date" in e]
    if undated:
        found.warnings.append(f"no publication date found on {len(undated)} article page(s)")
    max_age = settings.alerts.max_age_days
    if max_age and all(i.published < now - timedelta(days=max_age) for i in items):
        found.warnings.append(
            f"every item is older than alerts.max_age_days ({max_age}): none would be alerted"
        )
    return found
