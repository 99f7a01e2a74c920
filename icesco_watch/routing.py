"""Routing, the one place that decides whether an item goes to a reader, and where and when.

Pure (no I/O). A reader is a feed, a custom feed, a `[[telegram.routes]]` entry or a chat's
subscriptions; each is described by an `Interest` (languages, sectors, topics, keywords and how
they combine). `matches` answers "does this item belong to that reader"; `route` turns an item and
the subscribers into `Decision`s (a destination: chat and forum thread; a time: the reader's
`Schedule`, instant or a digest; `digests.py` says when a digest is due). The
store persists decisions and turns an `Interest`'s exact tags into SQL joins (`store/items.py`);
it never decides on its own. Later readers' choices (digest schedules, forum threads, linked
translations) are new fields of `Destination`/`Decision`, decided here.

Two ways to combine, one rule each:
- "any" (chat subscriptions, config routes): the item is wanted when it is in one of the
  languages (none listed: every language) and matches any listed sector, topic or keyword;
  nothing listed means everything.
- "all" (feeds, custom feeds): every dimension given must match, and within one dimension any of
  its values will do (`sector=culture&q=patrimoine`: culture items that mention "patrimoine").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from icesco_watch.config.schema import RouteConfig
from icesco_watch.digests import INSTANT, Schedule, parse_schedule
from icesco_watch.models import NewsItem
from icesco_watch.tagging.topics import match_keywords

Combine = Literal["any", "all"]
# When a decision is delivered: at once, or in the reader's daily/weekly digest.
When = Schedule


@dataclass(frozen=True, slots=True)
class Interest:
    """What a reader wants, as exact tags and whole-word keywords."""

    langs: frozenset[str] = frozenset()  # empty: every language
    sectors: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    keywords: frozenset[str] = frozenset()  # matched like /watch keywords (`match_keywords`)
    combine: Combine = "any"
    # No subject at all: every item in the reader's languages. Computed once: `route` asks it
    # for every subscriber and every item.
    everything: bool = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "everything", not (self.sectors or self.topics or self.keywords))


@dataclass(frozen=True, slots=True)
class Destination:
    """Where a decision sends an item: a chat (numeric id or @channel) and a forum thread."""

    chat: str
    thread: int | None = None


@dataclass(frozen=True, slots=True)
class Subscriber:
    """A Telegram reader: a config route or a chat with subscriptions.

    `muted` (paused, or the bot was blocked) keeps the reader from receiving anything."""

    destination: Destination
    interest: Interest
    when: When = INSTANT
    muted: bool = False


@dataclass(frozen=True, slots=True)
class Decision:
    """An item goes to `destination`, delivered `when`."""

    item_key: str
    destination: Destination
    when: When = INSTANT


def mentioned_keywords(item: NewsItem, keywords: Iterable[str]) -> frozenset[str]:
    """The `keywords` occurring in the item's title, summary or body as whole words/phrases."""
    wanted = sorted(set(keywords))
    if not wanted:
        return frozenset()
    return frozenset(match_keywords((item.title, item.summary, item.body), wanted))


def matches(interest: Interest, item: NewsItem, mentioned: frozenset[str] | None = None) -> bool:
    """Whether `item` belongs to a reader with `interest`.

    `mentioned` is the item's matched keywords when the caller matched many readers' keywords in
    one pass (`route` does); None computes them here for this interest alone."""
    if interest.langs and item.lang not in interest.langs:
        return False
    if interest.everything:
        return True
    if interest.keywords:
        found = (
            mentioned_keywords(item, interest.keywords)
            if mentioned is None
            else mentioned & interest.keywords
        )
    else:
        found = frozenset()
    hits = []
    if interest.sectors:
        hits.append(not interest.sectors.isdisjoint(item.sectors))
    if interest.topics:
        hits.append(not interest.topics.isdisjoint(item.topics))
    if interest.keywords:
        hits.append(bool(found))
    return all(hits) if interest.combine == "all" else any(hits)


def route(item: NewsItem, subscribers: Sequence[Subscriber]) -> list[Decision]:
    """Every destination `item` goes to, once each, in a stable order (by chat, then thread).

    Keywords of all subscribers are matched in one pass over the item's text."""
    mentioned = mentioned_keywords(item, (k for s in subscribers for k in s.interest.keywords))
    seen: set[Destination] = set()
    decisions: list[Decision] = []
    for subscriber in subscribers:
        destination = subscriber.destination
        if subscriber.muted or destination in seen:
            continue
        if matches(subscriber.interest, item, mentioned):
            seen.add(destination)
            decisions.append(Decision(item.key, destination, subscriber.when))
    decisions.sort(key=_order)
    return decisions


def _order(decision: Decision) -> tuple[str, int]:
    return decision.destination.chat, decision.destination.thread or 0


def route_destination(route_config: RouteConfig) -> Destination:
    """Where a `[[telegram.routes]]` entry posts: its chat, in its forum topic if it names one."""
    return Destination(route_config.chat, route_config.thread)


def topic_interest(lang: str | None, sectors: Iterable[str]) -> Interest:
    """A forum topic `/here` routed sectors to, in its group's news language (None: every one).
    No sector means nothing (unlike a chat's "nothing listed: everything"): such a topic is
    never a subscriber, see `store/topics.py`."""
    langs = frozenset() if lang is None else frozenset({lang})
    return Interest(langs=langs, sectors=frozenset(sectors))


def route_interest(route_config: RouteConfig) -> Interest:
    """A `[[telegram.routes]]` entry: its languages, and any of its sectors or topics."""
    return Interest(
        langs=frozenset(route_config.langs),
        sectors=frozenset(route_config.sectors),
        topics=frozenset(route_config.topics),
    )


def route_schedule(route_config: RouteConfig) -> Schedule:
    """A `[[telegram.routes]]` entry's `digest` in its `timezone` (both checked by the config)."""
    return parse_schedule(route_config.digest, route_config.timezone)


def subscription_interest(lang: str | None, subscriptions: Iterable[tuple[str, str]]) -> Interest:
    """A chat's `(kind, value)` subscriptions and its news language (None: every language).

    An "all" subscription wins over the others: the chat wants every item in its language."""
    subs = list(subscriptions)
    langs = frozenset() if lang is None else frozenset({lang})
    if any(kind == "all" for kind, _ in subs):
        return Interest(langs=langs)
    return Interest(
        langs=langs,
        sectors=frozenset(v for k, v in subs if k == "sector"),
        topics=frozenset(v for k, v in subs if k == "topic"),
        keywords=frozenset(v for k, v in subs if k == "keyword"),
    )


def feed_interest(lang: str, kind: str, key: str = "") -> Interest:
    """A catalogue feed: one language (or "all") and one sector, one topic, or everything."""
    return Interest(
        langs=frozenset() if lang == "all" else frozenset({lang}),
        sectors=frozenset({key}) if kind == "sector" else frozenset(),
        topics=frozenset({key}) if kind == "topic" else frozenset(),
        combine="all",
    )


def select_items(interest: Interest, items: Iterable[NewsItem]) -> list[NewsItem]:
    """The items a reader with `interest` holds, in the given order."""
    return [item for item in items if matches(interest, item)]


@dataclass(frozen=True, slots=True)
class ChatStory:
    """A story a chat already has an alert for: the delivery whose message carries it, the
    languages that message lists, and whether it is alive (pending or sent: a failed or
    skipped alert carries nothing)."""

    root: int
    langs: frozenset[str]
    live: bool


def join_story(lang: str, stories: Sequence[ChatStory]) -> int | None:
    """One alert per story per chat: the delivery whose message a new version in `lang` joins
    ("Also in"), or None when it gets an alert of its own.

    `stories` are the chat's alerts for the new version's linked items. The oldest live one
    that does not carry `lang` yet is joined; a story already carrying `lang` (links changed)
    or none alive gives the version its own alert, so nothing is ever silently dropped."""
    for story in sorted(stories, key=lambda s: s.root):
        if story.live and lang not in story.langs:
            return story.root
    return None
