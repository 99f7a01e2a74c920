"""Tagging inside the cycle: items reach the store with sectors, evidence and topics."""

from __future__ import annotations

from sqlalchemy import Engine

from icesco_watch.config.schema import Settings
from icesco_watch.store.items import latest_items
from tests.conftest import crawl
from tests.replica import ARTICLES, ReplicaServer


def test_stored_items_carry_sectors_evidence_and_topics(
    replica: ReplicaServer, settings: Settings, engine: Engine
) -> None:
    replica.set_state("after-more")
    crawl(settings, engine)
    with engine.connect() as conn:
        stored = {s.item.key: s.item for s in latest_items(conn, limit=500)}
    assert stored

    def item(
        title_start: str,
    ) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]], tuple[str, ...]]:
        article = next(a for a in ARTICLES if a.title.startswith(title_start))
        found = stored[article.expected_key]
        return found.sectors, found.sector_evidence, found.topics

    sectors, evidence, _ = item("Mishkat Programme Graduates")
    assert "arabic-language" in sectors
    assert any("Arabic Language Center" in reason for reason in evidence["arabic-language"])

    # The Media and Communication Sector of the League of Arab States is also named there:
    # only ICESCO's own sector counts, and the evidence says which mention decided it.
    sectors, evidence, _ = item("Young Media Professionals")
    assert sectors[0] == "media"
    assert "mentions 'Media and Communication Sector'" in evidence["media"]

    sectors, _, topics = item("Forum on Foresight and Artificial Intelligence")
    assert sectors == ("foresight-ai",)
    assert topics == ("ai",)

    sectors, _, topics = item("مركز الإيسيسكو للغة العربية يطلق")
    assert sectors == ("arabic-language",)
    assert topics == ()

    # Every tag has evidence, and every item is tagged with sectors of the taxonomy only.
    known = {s.key for s in settings.sectors}
    for news in stored.values():
        assert set(news.sectors) == set(news.sector_evidence)
        assert set(news.sectors) <= known
