"""`telegram test`: one sample alert to one chat, to check the token, the chat and the format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.request import HTTPXRequest

from icesco_watch.config.schema import Settings
from icesco_watch.models import NewsItem, summarize
from icesco_watch.notifiers.telegram.format import format_alert
from icesco_watch.notifiers.telegram.outcomes import no_answer
from icesco_watch.notifiers.telegram.redact import (
    Redactor,
    install_log_redaction,
    quiet_http_logs,
)
from icesco_watch.store.items import latest_items

SAMPLE_BODY = (
    "This is a test alert from icesco-watch. When ICESCO publishes news that this chat follows, "
    "it arrives here in this form: title, date, sector hashtags, a short summary and the link."
)


@dataclass(frozen=True, slots=True)
class ProbeResult:
    message_id: int | None
    error: str | None  # why it was not sent (token scrubbed)
    item: NewsItem
    answered: bool = True  # False: the Bot API never answered (unreachable, or no reply)
    understood: bool = True  # False: an answer, but no Telegram answer (a proxy, a look-alike)


def sample_item(engine: Engine) -> NewsItem:
    """The newest stored item, or a made-up one when the store is empty."""
    with engine.connect() as conn:
        latest = latest_items(conn, 1)
    if latest:
        return latest[0].item
    return NewsItem(
        key="icesco.org/en/icesco-watch-test",
        source="test",
        lang="en",
        url="https://icesco.org/en/",
        title="icesco-watch test alert",
        published=datetime.now(UTC),
        summary=summarize(SAMPLE_BODY),
        body=SAMPLE_BODY,
        sectors=("education",),
    )


async def send_test_alert(settings: Settings, engine: Engine, chat: str) -> ProbeResult:
    """Send the sample alert to `chat` and report Telegram's answer, or that none came (never
    raises for either)."""
    assert settings.telegram_token is not None
    token = settings.telegram_token.get_secret_value()
    redact = Redactor(token)
    install_log_redaction(token)
    quiet_http_logs()
    item = sample_item(engine)
    timeout = settings.telegram.request_timeout.total_seconds()
    request = HTTPXRequest(read_timeout=timeout, write_timeout=timeout, connect_timeout=timeout)
    bot = Bot(token, base_url=settings.telegram.api_base_url, request=request)
    chat_id: int | str = int(chat) if chat.lstrip("-").isdigit() else chat
    try:
        async with bot:
            sent = await bot.send_message(
                chat_id, format_alert(item, settings.sectors), parse_mode=ParseMode.HTML
            )
    except TelegramError as exc:
        return ProbeResult(None, redact(f"{type(exc).__name__}: {exc}"), item, not no_answer(exc))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        # "ok" with a result python-telegram-bot cannot read: not Telegram's Bot API answering.
        why = redact(f"{type(exc).__name__}: {exc}")
        return ProbeResult(None, why, item, answered=True, understood=False)
    return ProbeResult(sent.message_id, None, item)
