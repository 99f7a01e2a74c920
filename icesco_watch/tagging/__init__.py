"""Tagging: sectors and watched topics of an item, as pure functions of its text."""

from __future__ import annotations

from dataclasses import replace

from icesco_watch.config.schema import Settings
from icesco_watch.models import NewsItem
from icesco_watch.tagging.model import load_shipped
from icesco_watch.tagging.sectors import SectorClassifier, SectorTags
from icesco_watch.tagging.topics import TopicMatcher

__all__ = ["SectorClassifier", "SectorTags", "Tagger", "TopicMatcher"]


class Tagger:
    """The sector classifier (the configured rules with the shipped model beside them) and the
    topic matcher of one config, applied to items."""

    def __init__(self, settings: Settings) -> None:
        self.sectors = SectorClassifier(settings.sectors, model=load_shipped())
        self.topics = TopicMatcher(settings.topics)

    def classify(
        self, title: str, text: str, categories: tuple[str, ...] = (), lang: str | None = None
    ) -> tuple[SectorTags, tuple[str, ...]]:
        return (
            self.sectors.classify(title, text, categories, lang),
            self.topics.match((title, text)),
        )

    def tag(self, item: NewsItem) -> NewsItem:
        """`item` with its sectors, evidence and topics (the content hash is unaffected)."""
        tags, topics = self.classify(item.title, item.body, item.site_categories, item.lang)
        return replace(item, sectors=tags.sectors, sector_evidence=tags.evidence, topics=topics)
