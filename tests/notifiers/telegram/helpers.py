"""Shared pieces of the Telegram tests: settings aimed at the fake Bot API, items, a store."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from telegram import Bot
from telegram.request import HTTPXRequest

from icesco_watch.config.schema import Settings
from icesco_watch.models import NewsItem
from icesco_watch.notifiers.telegram.bot import build_application, running
from icesco_watch.notifiers.telegram.i18n import FSI, PDI
from icesco_watch.notifiers.telegram.limits import Pacer
from icesco_watch.notifiers.telegram.sender import Sender
from icesco_watch.store.items import record_items
from icesco_watch.store.outbox import Delivery, enqueue_deliveries, get_deliveries
from icesco_watch.store.subscriptions import add_subscription, upsert_chat
from tests.fakes.bot_api import FakeBotApi
from tests.stores import store_url

NOW = datetime.now(UTC)
SECTORS = {
    "education": ("Education", "Éducation", "التربية"),
    "culture": ("Culture and Communication", "Culture et communication", "الثقافة والاتصال"),
    "science": ("Science and Environment", "Sciences et environnement", "العلوم والبيئة"),
    "foresight-ai": ("Foresight and AI", "Prospective et IA", "الاستشراف والذكاء الاصطناعي"),
}
ARABIC_LETTERS = re.compile(r"[\u0621-\u064a]")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def make_settings(tmp_path: Path, api: FakeBotApi, **telegram: Any) -> Settings:
    """Settings whose bot talks to `api`, with a store under `tmp_path`."""
    section = {"api_base_url": api.base_url, "request_timeout": "2s", **telegram}
    return Settings.model_validate(
        {
            "storage": {"url": store_url(tmp_path / "store")},
            "telegram": section,
            "sectors": [
                {"key": key, "name": {"en": en, "fr": fr, "ar": ar}}
                for key, (en, fr, ar) in SECTORS.items()
            ],
            "topics": [{"key": "ai", "name": "AI", "keywords": ["artificial intelligence"]}],
            "telegram_token": api.token,
        }
    )


def news(slug: str, lang: str = "en", minutes_ago: int = 60, **fields: Any) -> NewsItem:
    """An item whose title is its slug, so a message can be traced back to its item."""
    values: dict[str, Any] = {
        "source": f"icesco-{lang}",
        "lang": lang,
        "url": f"https://icesco.org/{lang}/2025/03/01/{slug}/",
        "title": f"Headline {slug}",
        "published": NOW - timedelta(minutes=minutes_ago),
        "summary": f"What happened at {slug}.",
    }
    values.update(fields)
    return NewsItem(key=f"icesco.org/{lang}/2025/03/01/{slug}", **values)


def subscribe(engine: Engine, chat: str, kind: str = "all", value: str = "") -> None:
    with engine.begin() as conn:
        upsert_chat(conn, chat, NOW)
        add_subscription(conn, chat, kind, value)


def store_new(engine: Engine, settings: Settings, found: list[NewsItem]) -> int:
    """What the cycle does: store the items and enqueue them, in one transaction."""
    with engine.begin() as conn:
        record_items(conn, found, [], NOW, settings.alerts, baseline=False)
        return enqueue_deliveries(conn, found, settings, NOW)


def deliveries(engine: Engine, chat: str | None = None) -> list[Delivery]:
    with engine.connect() as conn:
        return get_deliveries(conn, chat)


@asynccontextmanager
async def bot_for(settings: Settings) -> AsyncIterator[Bot]:
    """A real PTB bot aimed at the fake, with room for the sender's concurrent requests."""
    assert settings.telegram_token is not None
    timeout = settings.telegram.request_timeout.total_seconds()
    request = HTTPXRequest(
        connection_pool_size=64,
        read_timeout=timeout,
        write_timeout=timeout,
        connect_timeout=timeout,
    )
    bot = Bot(
        settings.telegram_token.get_secret_value(),
        base_url=settings.telegram.api_base_url,
        request=request,
    )
    async with bot:
        yield bot


class Chat:
    """A user in one chat: sends text, waits for the bot's next reply. In a group, `user_id`
    is the member who types and `chat_type` the group's kind; `language_code` is the language
    of the user's Telegram app."""

    def __init__(
        self,
        api: FakeBotApi,
        chat_id: int,
        user_id: int | None = None,
        chat_type: str | None = None,  # None: as the id says (FakeBotApi.user_sends)
        language_code: str | None = "en",
    ) -> None:
        self.api = api
        self.id = chat_id
        self.user_id = user_id
        self.chat_type = chat_type
        self.language_code = language_code

    def send(self, text: str) -> int:
        return self.api.user_sends(
            self.id, text, self.user_id, self.chat_type, language_code=self.language_code
        )

    async def ask(self, text: str, timeout: float = 10) -> str:
        before = len(self.api.messages_to(self.id))
        self.send(text)
        await self.api.wait_for_async(lambda fake: len(fake.messages_to(self.id)) > before, timeout)
        return self.api.messages_to(self.id)[before].plain


def with_bot(
    settings: Settings,
    engine: Engine,
    scenario: Callable[[Sender], Awaitable[None]],
    **callbacks: Any,
) -> None:
    """Run `scenario` while the bot polls the fake, with a sender sharing its pacer."""

    async def run() -> None:
        pacer = Pacer(settings.telegram.rate_per_second)
        application = build_application(settings, engine, pacer=pacer, **callbacks)
        async with running(application, settings):
            await scenario(Sender(settings, engine, application.bot, pacer=pacer))

    asyncio.run(run())


def reads_right_to_left(text: str) -> None:
    """Arabic, with every Latin word (commands, keys, names) inside a balanced isolate."""
    assert ARABIC_LETTERS.search(text), text
    assert text.count(FSI) == text.count(PDI), text
    outside = re.sub(f"{FSI}[^{PDI}]*{PDI}", "", text)
    # Latin left outside an isolate: only inside a typed echo, an item's text or a link label.
    assert not LATIN_WORD.search(outside), outside
