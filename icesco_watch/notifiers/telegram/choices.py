"""What a chat can subscribe to, read from the config: resolving what users type, suggesting
the closest key, and the /sectors keyboard."""

from __future__ import annotations

import difflib
import html
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from icesco_watch.config.schema import Settings
from icesco_watch.digests_words import fold_letters
from icesco_watch.notifiers.telegram.i18n import Translator
from icesco_watch.store.subscriptions import Subscription

CALLBACK_PREFIX = "sub"
FOLLOWED = "✅ "  # how a /sectors button shows a followed choice


@dataclass(frozen=True, slots=True)
class Choice:
    kind: str  # all | sector | topic
    value: str  # "" for all


class Choices:
    """The sectors and topics of the config, under every name a user may type."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._names: dict[str, Choice] = {"all": Choice("all", "")}
        for sector in settings.sectors:
            choice = Choice("sector", sector.key)
            names = (sector.key, sector.hashtag[1:], sector.name.en, sector.name.fr, sector.name.ar)
            for name in names:
                self._names.setdefault(_fold(name), choice)
        for topic in settings.topics:
            choice = Choice("topic", topic.key)
            for name in (topic.key, *topic.names):
                self._names.setdefault(_fold(name), choice)

    def resolve(self, text: str) -> Choice | None:
        """The sector, topic or "all" that `text` names (key, hashtag or name), if any."""
        return self._names.get(_fold(text.lstrip("#")))

    def suggest(self, text: str) -> str | None:
        """The closest known key to a mistyped `text`."""
        keys = [
            "all",
            *(s.key for s in self.settings.sectors),
            *(t.key for t in self.settings.topics),
        ]
        folded = {_fold(k): k for k in keys}
        close = difflib.get_close_matches(_fold(text), list(folded), n=1, cutoff=0.5)
        return folded[close[0]] if close else None

    def label(self, choice: Choice, t: Translator) -> str:
        """How a subscription reads in replies, in `t`'s language (escaped for HTML)."""
        if choice.kind == "all":
            return t.gettext("all news")
        if choice.kind == "sector":
            sector = self.settings.sector(choice.value)
            name = html.escape(sector.name.get(t.locale))
            return t.gettext("{name} ({hashtag})", name=name, hashtag=sector.hashtag)
        names = {topic.key: topic.label(t.locale) for topic in self.settings.topics}
        topic = html.escape(names.get(choice.value, choice.value))
        return t.gettext("topic {name}", name=topic)

    def keys_help(self, t: Translator) -> str:
        """The keys a user may type, in plain text (escape it for HTML)."""
        sectors = ", ".join(s.key for s in self.settings.sectors)
        topics = ", ".join(topic.key for topic in self.settings.topics)
        text = t.gettext("Sectors: {keys}.", keys=sectors)
        return text + ("\n" + t.gettext("Topics: {keys}.", keys=topics) if topics else "")

    def keyboard(self, subscribed: list[Subscription], t: Translator) -> InlineKeyboardMarkup:
        """One button per sector (✅ when subscribed) named in `t`'s language, two per row,
        then "all news"."""
        have = {(s.kind, s.value) for s in subscribed}
        buttons = [
            InlineKeyboardButton(
                (FOLLOWED if ("sector", s.key) in have else "") + s.name.get(t.locale),
                callback_data=f"{CALLBACK_PREFIX}:sector:{s.key}",
            )
            for s in self.settings.sectors
        ]
        rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
        everything = (FOLLOWED if ("all", "") in have else "") + t.gettext("All news")
        rows.append([InlineKeyboardButton(everything, callback_data=f"{CALLBACK_PREFIX}:all:")])
        return InlineKeyboardMarkup(rows)

    def shown_followed(self, markup: InlineKeyboardMarkup | None, data: str) -> bool | None:
        """Whether the pressed button (`data`) showed its choice as followed (✅) on the
        keyboard the user pressed it on; None when that keyboard does not hold it."""
        for row in markup.inline_keyboard if markup else ():
            for button in row:
                if button.callback_data == data:
                    return button.text.startswith(FOLLOWED)
        return None

    def from_callback(self, data: str) -> Choice | None:
        """The choice a /sectors button stands for (None for stale or forged data)."""
        prefix, _, rest = data.partition(":")
        kind, _, value = rest.partition(":")
        if prefix != CALLBACK_PREFIX:
            return None
        if kind == "all":
            return Choice("all", "")
        if kind == "sector" and value in {s.key for s in self.settings.sectors}:
            return Choice("sector", value)
        return None


def _fold(text: str) -> str:
    # Names are typed without accents ("medias") or hamza ("الاعلام") as often as with them.
    return " ".join(fold_letters(text).replace("_", "-").split())
