"""The catalogue of feeds: which feeds exist, their paths and titles, and which items they hold."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from icesco_watch.config.schema import Settings
from icesco_watch.models import NewsItem
from icesco_watch.routing import Interest, feed_interest, matches

FEED_LANGS = ("en", "ar", "fr", "all")
Kind = Literal["all", "sector", "topic"]
Format = Literal["rss", "atom"]
FORMATS: tuple[Format, ...] = ("rss", "atom")

# The only paths the server answers for files: the design's feed paths, the OPML and the index.
FEED_PATH = re.compile(
    r"(?:en|ar|fr|all)/(?:all|sector/[a-z0-9][a-z0-9-]*|topic/[a-z0-9][a-z0-9_-]*)\.(?:rss|atom)"
)
OPML_FILE = "feeds.opml"
INDEX_FILE = "index.html"

LANG_LABELS = {
    "en": {"en": "English", "ar": "Arabic", "fr": "French", "all": "all languages"},
    "fr": {"en": "anglais", "ar": "arabe", "fr": "français", "all": "toutes langues"},
    "ar": {"en": "الإنجليزية", "ar": "العربية", "fr": "الفرنسية", "all": "كل اللغات"},
}
NEWS_NAMES = {"en": "ICESCO news", "fr": "Actualités de l'ICESCO", "ar": "أخبار الإيسيسكو"}
COLON = {"en": ": ", "fr": " : ", "ar": ": "}
_DESCRIPTIONS = {
    "en": "{news}{scope}, in {lang}, newest first: the latest {count} items seen by icesco-watch.",
    "fr": "{news}{scope}, en {lang}, les plus récentes d'abord : les {count} dernières "
    "publications relevées par icesco-watch.",
    "ar": "{news}{scope}، {lang}، الأحدث أولاً: آخر {count} خبراً رصدها icesco-watch.",
}
_SCOPE = {
    "sector": {
        "en": " from the {name} sector",
        "fr": " du secteur {name}",
        "ar": " في قطاع {name}",
    },
    "topic": {"en": " about {name}", "fr": " sur le thème {name}", "ar": " حول {name}"},
}
# First strong isolate ... pop directional isolate: a Latin name inside an Arabic title keeps its
# own direction without reordering the punctuation around it.
_FSI, _PDI = "\u2068", "\u2069"


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """One feed subject in one language; it is published as both RSS and Atom."""

    lang: str  # en, ar, fr or all
    kind: Kind
    key: str = ""  # the sector or topic key; empty for kind "all"

    @property
    def stem(self) -> str:
        """`en/all`, `ar/sector/education`, `all/topic/ai` (the path without the extension)."""
        return f"{self.lang}/all" if self.kind == "all" else f"{self.lang}/{self.kind}/{self.key}"

    def path(self, fmt: Format) -> str:
        return f"{self.stem}.{fmt}"

    @property
    def interest(self) -> Interest:
        """The feed as a reader for the routing core (which decides what it holds)."""
        return feed_interest(self.lang, self.kind, self.key)

    def matches(self, item: NewsItem) -> bool:
        return matches(self.interest, item)

    @property
    def text_lang(self) -> str:
        """The language the feed's own texts are written in (English for "all")."""
        return self.lang if self.lang in NEWS_NAMES else "en"

    def subject(self, settings: Settings) -> str:
        """The sector's or topic's name in the feed's language, or "" for all news."""
        if self.kind == "sector":
            return settings.sector(self.key).name.get(self.text_lang)
        if self.kind == "topic":
            return next(t.label(self.text_lang) for t in settings.topics if t.key == self.key)
        return ""

    def title(self, settings: Settings) -> str:
        """E.g. "ICESCO news: Education (English)", "أخبار الإيسيسكو: التربية (العربية)"."""
        lang = self.text_lang
        subject = self.subject(settings)
        if lang == "ar":
            subject = isolate(subject)
        head = NEWS_NAMES[lang] + (COLON[lang] + subject if subject else "")
        return f"{head} ({LANG_LABELS[lang][self.lang]})"

    def description(self, settings: Settings) -> str:
        lang = self.text_lang
        scope = ""
        if self.kind != "all":
            name = self.subject(settings)
            scope = _SCOPE[self.kind][lang].format(name=isolate(name) if lang == "ar" else name)
        return _DESCRIPTIONS[lang].format(
            news=NEWS_NAMES[lang],
            scope=scope,
            lang=LANG_LABELS[lang][self.lang],
            count=settings.feeds.items,
        )


def isolate(name: str) -> str:
    """A name with Latin letters or digits, isolated for an Arabic (right-to-left) sentence."""
    return _FSI + name + _PDI if re.search(r"[A-Za-z0-9]", name) else name


def feed_specs(settings: Settings) -> list[FeedSpec]:
    """Every feed the config defines, in a stable order (language, all, sectors, topics)."""
    specs: list[FeedSpec] = []
    for lang in FEED_LANGS:
        specs.append(FeedSpec(lang, "all"))
        specs.extend(FeedSpec(lang, "sector", s.key) for s in settings.sectors)
        specs.extend(FeedSpec(lang, "topic", t.key) for t in settings.topics)
    return specs


def specs_touched_by(settings: Settings, touched: Iterable[NewsItem]) -> list[FeedSpec]:
    """The feeds whose item set may differ because of `touched` (new or changed items).

    A feed is affected when it would hold the item now. (An edit that drops a sector from an
    item is not seen here; re-tagging rebuilds everything with `build_all`.)
    """
    items = list(touched)
    return [spec for spec in feed_specs(settings) if any(spec.matches(i) for i in items)]


def base_url(settings: Settings) -> str:
    """Absolute address the feeds are reached at, without a trailing slash."""
    if settings.feeds.base_url:
        return settings.feeds.base_url
    host = settings.server.host
    if ":" in host:  # an IPv6 literal needs brackets in a URL
        host = f"[{host}]"
    return f"http://{host}:{settings.server.port}"
