"""The routing core (pure): which reader an item goes to, combined the two documented ways."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from icesco_watch.config.schema import RouteConfig
from icesco_watch.models import NewsItem
from icesco_watch.routing import (
    ChatStory,
    Decision,
    Destination,
    Interest,
    Subscriber,
    feed_interest,
    join_story,
    matches,
    mentioned_keywords,
    route,
    route_interest,
    select_items,
    subscription_interest,
)

NOW = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)


def item(slug: str, lang: str = "en", **fields: Any) -> NewsItem:
    return NewsItem(
        key=f"icesco.org/{lang}/2025/06/01/{slug}",
        source=f"icesco-{lang}",
        lang=lang,
        url=f"https://icesco.org/{lang}/2025/06/01/{slug}/",
        title=fields.pop("title", slug),
        published=NOW,
        **fields,
    )


SCHOOL = item("school", sectors=("education",), topics=("a_b",))
MUSEUM = item("museum", "fr", sectors=("culture",), body="Le patrimoine immatériel.")
LAB = item("lab", "ar", sectors=("science", "education"), topics=("axb",))
PLAIN = item("plain", body="Patrimonial matters only.")
ALL = [SCHOOL, MUSEUM, LAB, PLAIN]


def keys(found: list[NewsItem]) -> list[str]:
    return [i.key.rsplit("/", 1)[1] for i in found]


@pytest.mark.parametrize(
    ("interest", "expected"),
    [
        (Interest(), ["school", "museum", "lab", "plain"]),
        (Interest(langs=frozenset({"fr", "ar"})), ["museum", "lab"]),
        (Interest(sectors=frozenset({"education"})), ["school", "lab"]),
        (Interest(topics=frozenset({"a_b"})), ["school"]),  # exact: never "axb"
        (Interest(keywords=frozenset({"patrimoine"})), ["museum"]),  # whole word only
        # "any": a sector or a keyword
        (
            Interest(sectors=frozenset({"science"}), keywords=frozenset({"patrimoine"})),
            ["museum", "lab"],
        ),
        # "all": the sector and the keyword
        (
            Interest(
                sectors=frozenset({"culture"}), keywords=frozenset({"patrimoine"}), combine="all"
            ),
            ["museum"],
        ),
        (
            Interest(sectors=frozenset({"education"}), topics=frozenset({"axb"}), combine="all"),
            ["lab"],
        ),
        # within one dimension, any value will do, also in "all"
        (
            Interest(sectors=frozenset({"culture", "science"}), combine="all"),
            ["museum", "lab"],
        ),
        (
            Interest(langs=frozenset({"en"}), sectors=frozenset({"culture"}), combine="all"),
            [],
        ),
    ],
    ids=[
        "everything",
        "languages",
        "sector",
        "topic-with-underscore",
        "keyword",
        "any-of-sector-or-keyword",
        "all-of-sector-and-keyword",
        "all-of-sector-and-topic",
        "any-value-within-a-dimension",
        "language-excludes",
    ],
)
def test_matches_combines_the_documented_way(interest: Interest, expected: list[str]) -> None:
    assert keys(select_items(interest, ALL)) == expected


def test_feed_interest_is_one_language_and_one_subject() -> None:
    assert keys(select_items(feed_interest("all", "all"), ALL)) == keys(ALL)
    assert keys(select_items(feed_interest("ar", "sector", "education"), ALL)) == ["lab"]
    assert keys(select_items(feed_interest("all", "topic", "a_b"), ALL)) == ["school"]
    assert keys(select_items(feed_interest("en", "topic", "axb"), ALL)) == []


def test_an_all_subscription_wins_over_the_others() -> None:
    chosen = subscription_interest("fr", [("sector", "science"), ("all", "")])
    assert chosen == Interest(langs=frozenset({"fr"}))
    mixed = subscription_interest(None, [("sector", "science"), ("keyword", "patrimoine")])
    assert keys(select_items(mixed, ALL)) == ["museum", "lab"]


def test_a_route_without_subjects_receives_every_item_in_its_languages() -> None:
    everything = route_interest(RouteConfig.model_validate({"chat": "@all_news", "langs": ["ar"]}))
    assert keys(select_items(everything, ALL)) == ["lab"]
    edu = route_interest(
        RouteConfig.model_validate({"chat": "-100", "sectors": ["culture"], "topics": ["a_b"]})
    )
    assert keys(select_items(edu, ALL)) == ["school", "museum"]


def test_route_decides_once_per_destination_skipping_muted_readers() -> None:
    chat = Destination("42")
    thread = Destination("-1001", thread=7)
    subscribers = [
        Subscriber(Destination("@culture"), Interest(sectors=frozenset({"culture"}))),
        Subscriber(chat, Interest(keywords=frozenset({"patrimoine"}))),
        Subscriber(chat, Interest()),  # the same chat again: still one decision
        Subscriber(thread, Interest(langs=frozenset({"fr"}))),
        Subscriber(Destination("paused"), Interest(), muted=True),
    ]
    assert route(MUSEUM, subscribers) == [
        Decision(MUSEUM.key, thread),
        Decision(MUSEUM.key, chat),
        Decision(MUSEUM.key, Destination("@culture")),
    ]
    assert route(SCHOOL, subscribers) == [Decision(SCHOOL.key, chat)]


def test_keywords_are_matched_once_for_all_readers() -> None:
    found = mentioned_keywords(MUSEUM, ["patrimoine", "immatériel", "patrimonial", "musée"])
    assert found == {"patrimoine", "immatériel"}
    # a caller's precomputed mentions are used as given
    watcher = Interest(keywords=frozenset({"patrimoine"}))
    assert matches(watcher, PLAIN, frozenset({"patrimoine"}))
    assert not matches(watcher, MUSEUM, frozenset())


def test_a_new_version_joins_the_oldest_live_alert_of_its_story() -> None:
    older = ChatStory(root=3, langs=frozenset({"ar"}), live=True)
    newer = ChatStory(root=9, langs=frozenset({"en"}), live=True)
    assert join_story("fr", [newer, older]) == 3
    assert join_story("ar", [older]) is None  # the story already carries Arabic
    assert join_story("ar", [older, newer]) == 9
    dead = ChatStory(root=1, langs=frozenset({"en"}), live=False)
    assert join_story("fr", [dead]) is None  # a failed alert carries nothing: its own alert
    assert join_story("fr", []) is None
