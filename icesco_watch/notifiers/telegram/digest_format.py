"""Scheduled digest messages: a period's items grouped by sector, each a title link, split at
item boundaries into messages of at most 4096 Telegram units (pure functions, no PTB).

An item appears once, under its most relevant sector (its first known one); items without a
known sector come last under "Other news". Sectors follow the config's order, items newest
first. A sector cut by a message boundary has its heading repeated in the next message. Each
message says which items it carries, so the sender marks exactly those deliveries sent.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from icesco_watch.config.schema import SectorConfig
from icesco_watch.digests import Schedule, period
from icesco_watch.models import NewsItem, summarize
from icesco_watch.notifiers.telegram import digest_texts as texts
from icesco_watch.notifiers.telegram.format import (
    DIGEST_TITLE,
    LIMIT,
    clean,
    format_date,
    telegram_length,
)
from icesco_watch.notifiers.telegram.i18n import translator

# Room kept for the heading and its "(n/total)" in every message.
HEADING_ROOM = 200


@dataclass(frozen=True, slots=True)
class DigestPart:
    """One message of a digest and the keys of the items it lists."""

    text: str
    keys: tuple[str, ...]


def heading(schedule: Schedule, due: datetime, earliest: datetime, lang: str) -> str:
    """The digest's title: its day (daily) or week (weekly) in the reader's zone; a digest that
    also carries what waited from earlier periods (the service was down) names the whole span."""
    t = translator(lang)
    zone = ZoneInfo(schedule.timezone)
    covered = period(schedule, due)
    end = format_date(due.astimezone(zone), lang)
    if earliest < covered.start or schedule.instant:
        start = format_date(earliest.astimezone(zone), lang)
        if start == end:
            return t.gettext(texts.DAILY_HEADING, date=end)
        return t.gettext(texts.CATCH_UP_HEADING, start=start, end=end)
    if schedule.kind == "daily":
        return t.gettext(texts.DAILY_HEADING, date=end)
    start = format_date(covered.start.astimezone(zone), lang)
    return t.gettext(texts.WEEKLY_HEADING, start=start, end=end)


def group_by_sector(
    items: Sequence[NewsItem], sectors: Sequence[SectorConfig]
) -> list[tuple[str | None, list[NewsItem]]]:
    """(sector key or None for other news, its items newest first), sectors in config order."""
    known = [s.key for s in sectors]
    groups: dict[str | None, list[NewsItem]] = {}
    for item in items:
        first = next((k for k in item.sectors if k in known), None)
        groups.setdefault(first, []).append(item)
    order = [k for k in known if k in groups] + ([None] if None in groups else [])
    return [
        (key, sorted(groups[key], key=lambda i: (i.published, i.key), reverse=True))
        for key in order
    ]


def format_scheduled_digest(
    items: Sequence[NewsItem],
    sectors: Sequence[SectorConfig],
    title: str,
    lang: str = "en",
) -> list[DigestPart]:
    """The digest messages for `items` (none for no items), each within Telegram's limit."""
    if not items:
        return []
    t = translator(lang)
    names = {s.key: s.name.get(lang) for s in sectors}
    budget = LIMIT - HEADING_ROOM
    parts: list[tuple[list[str], list[str]]] = []  # (lines, keys) per message
    lines: list[str] = []
    keys: list[str] = []
    size = 0
    for key, grouped in group_by_sector(items, sectors):
        section = f"<b>{_esc(names.get(key or '', t.gettext(texts.OTHER_NEWS)))}</b>"
        section_size = telegram_length(section) + 2
        open_section = False
        for item in grouped:
            block = _block(item)
            block_size = telegram_length(block) + 1
            needed = block_size + (0 if open_section else section_size)
            if keys and size + needed > budget:
                parts.append((lines, keys))
                lines, keys, size, open_section = [], [], 0, False
            if not open_section:
                lines.append(("\n" if lines else "") + section)
                size += section_size
                open_section = True
            lines.append(block)
            keys.append(item.key)
            size += block_size
    parts.append((lines, keys))
    count = t.ngettext("{n} news item", "{n} news items", len(items))
    total = len(parts)
    messages = []
    for n, (part_lines, part_keys) in enumerate(parts, start=1):
        marker = " " + t.gettext(texts.PART, n=n, total=total) if total > 1 else ""
        head = f"<b>{_esc(title)}</b>{_esc(marker)}\n{_esc(count)}\n"
        messages.append(DigestPart(head + "\n" + "\n".join(part_lines), tuple(part_keys)))
    return messages


def _block(item: NewsItem) -> str:
    title = summarize(clean(" ".join(item.title.split())), DIGEST_TITLE)
    if not item.url.lower().startswith(("http://", "https://")):
        return "• " + _esc(title)
    return f'• <a href="{_esc(item.url)}">{_esc(title)}</a>'


def _esc(text: str) -> str:
    return html.escape(clean(text), quote=True)
