"""Telegram messages for alerts and digests, in HTML parse mode (pure functions, no PTB).

Only tags Telegram allows are produced (`b`, `a href`); every scraped string is escaped, and
control characters and lone surrogates are dropped. A message never exceeds Telegram's 4096
characters, counted as Telegram does: UTF-16 code units of the text after entity parsing. The
summary gives way first (cut at a word boundary), then the title.

Labels ("Read more", a digest's heading) and the date are in the reader's interface language
(`lang`: the chat's, see `i18n.py`), else the item's own; Latin inserts in an Arabic message
(an item language's name, hashtags, part counters) are isolated so they read in order.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from datetime import datetime

from icesco_watch.config.schema import SectorConfig
from icesco_watch.models import NewsItem, summarize
from icesco_watch.notifiers.telegram.i18n import N_, Translator, translator

LIMIT = 4096
DIGEST_TITLE = 300

MONTHS = {
    "en": "January February March April May June July August September October November December",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "ar": "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر",
}
LANG_NAMES = {"en": "English", "fr": "Français", "ar": "العربية"}
# The other versions of a story, under one alert: "Also in: العربية · Français" (each a link).
ALSO_IN = N_("Also in: {links}")  # the colon too: French writes "Également en : …"

_TAG = re.compile(r"<[^>]*>")
_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.DOTALL)


def telegram_length(message: str) -> int:
    """Length of `message` as Telegram counts it: UTF-16 units of the text after parsing."""
    text = html.unescape(_TAG.sub("", message))
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def to_plain(message: str) -> str:
    """The same message without markup (for a retry without parse mode); links keep their URL."""
    linked = _LINK.sub(lambda m: f"{m.group(2)}: {m.group(1)}", message)
    return html.unescape(_TAG.sub("", linked))


def clean(text: str) -> str:
    """Scraped text safe to send: no control characters (newlines kept), no lone surrogates."""
    return "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs")
    )


def _esc(text: str) -> str:
    return html.escape(clean(text), quote=True)


def format_date(published: datetime, lang: str) -> str:
    """ "22 November 2026", "22 novembre 2026", "22 نوفمبر 2026"."""
    months = MONTHS.get(lang, MONTHS["en"]).split()
    return f"{published.day} {months[published.month - 1]} {published.year}"


def hashtags(item: NewsItem, sectors: Sequence[SectorConfig]) -> str:
    """`#education #foresight_ai`, in the item's order of relevance; unknown keys are skipped."""
    by_key = {s.key: s for s in sectors}
    return " ".join(by_key[k].hashtag for k in item.sectors if k in by_key)


def _link(url: str, label: str) -> str:
    if not url.lower().startswith(("http://", "https://")):
        return ""
    return f'<a href="{_esc(url)}">{_esc(label)}</a>'


def _meta(item: NewsItem, t: Translator) -> str:
    """ "20 November 2026 · English": the date in the reader's language, the item's language."""
    name = LANG_NAMES.get(item.lang, item.lang)
    return f"{format_date(item.published, t.locale)} · {t.isolate(name)}"


def also_in(versions: Sequence[tuple[str, str]], t: Translator | None = None) -> str:
    """ "Also in: <a>العربية</a> · <a>Français</a>": a story's other versions, (lang, url) each,
    the label in `t`'s language (feeds, which have no reader's language, keep the English)."""
    links = [_link(url, LANG_NAMES.get(lang, lang)) for lang, url in versions]
    shown = " · ".join(link for link in links if link)
    if not shown:
        return ""
    return t.gettext(ALSO_IN, links=shown) if t is not None else ALSO_IN.format(links=shown)


def format_alert(
    item: NewsItem,
    sectors: Sequence[SectorConfig],
    lang: str | None = None,
    versions: Sequence[tuple[str, str]] = (),
) -> str:
    """One item as an HTML message: bold title, date and language, hashtags, summary, link, and
    the story's other `versions` (lang, url) when it has some; labels in `lang` (the reader's
    interface language), else in the item's language."""
    t = translator(lang or item.lang)
    meta = _meta(item, t)
    tags = t.isolate(hashtags(item, sectors))
    link = _link(item.url, t.gettext("Read more"))
    others = also_in(versions, t)
    title = clean(" ".join(item.title.split()))
    summary = clean(item.summary or summarize(item.body))

    def build(title_text: str, summary_text: str) -> str:
        parts = [f"<b>{_esc(title_text)}</b>", _esc(meta) + (f"\n{tags}" if tags else "")]
        if summary_text:
            parts.append(_esc(summary_text))
        if link:
            parts.append(link)
        if others:
            parts.append(others)
        return "\n\n".join(parts)

    message = build(title, summary)
    limit = len(summary)
    while telegram_length(message) > LIMIT and summary:
        limit = min(limit, len(summary)) // 2
        summary = summarize(summary, limit) if limit > 20 else ""
        message = build(title, summary)
    while telegram_length(message) > LIMIT:
        title = summarize(title, max(20, len(title) // 2))
        message = build(title, summary)
    return message


def format_digest(
    items: Sequence[NewsItem],
    sectors: Sequence[SectorConfig],
    lang: str | None = None,
    header: str | None = None,
) -> list[str]:
    """Several items folded into as few messages as fit, split between items, never inside;
    labels in `lang` (the reader's interface language), else in the first item's language.
    `header` (plain text, translated): what heads each message, by default "N new ICESCO news
    items"."""
    if not items:
        return []
    t = translator(lang or items[0].lang)
    blocks = [_digest_block(item, sectors, t) for item in items]
    messages: list[list[str]] = [[]]
    size = 0
    for block in blocks:
        block_size = telegram_length(block) + 2
        if messages[-1] and size + block_size > LIMIT - 100:  # room for the header
            messages.append([])
            size = 0
        messages[-1].append(block)
        size += block_size
    if header is None:
        header = t.ngettext("{n} new ICESCO news item", "{n} new ICESCO news items", len(items))
    total = len(messages)
    return [
        f"<b>{_esc(header)}</b>"
        + (" " + t.isolate(f"({n}/{total})") if total > 1 else "")
        + "\n\n"
        + "\n\n".join(part)
        for n, part in enumerate(messages, start=1)
    ]


def format_latest(
    items: Sequence[NewsItem], sectors: Sequence[SectorConfig], lang: str | None
) -> list[str]:
    """Stored items as /latest and a new chat's welcome show them: a digest headed as the
    latest news, not as new news."""
    t = translator(lang)
    header = t.ngettext(
        "The latest ICESCO news item", "The {n} latest ICESCO news items", len(items)
    )
    return format_digest(items, sectors, lang, header)


def _digest_block(item: NewsItem, sectors: Sequence[SectorConfig], t: Translator) -> str:
    title = summarize(clean(" ".join(item.title.split())), DIGEST_TITLE)
    linked = _link(item.url, title) or _esc(title)
    tags = t.isolate(hashtags(item, sectors))
    return f"• <b>{linked}</b>\n{_esc(_meta(item, t))}" + (f" {tags}" if tags else "")
