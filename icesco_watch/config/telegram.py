"""The `[telegram]` config section: the bot's API, admins, pacing, and its `[[telegram.routes]]`."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated

from pydantic import BeforeValidator, Field, field_validator

from icesco_watch.config.base import Lang, Section, absolute_http
from icesco_watch.config.durations import Duration
from icesco_watch.config.schedules import DigestText, ZoneName

ChatId = Annotated[str, BeforeValidator(lambda v: str(v) if isinstance(v, int) else v)]
# A chat as Telegram names it: its numeric id or its public @username. Anything else (a blank
# entry, a name without '@') matches no chat: no alert could reach it, no admin command pass.
CHAT = r"^(-?\d+|@\w{4,})$"


class RouteConfig(Section):
    chat: ChatId = Field(pattern=CHAT)
    sectors: list[str] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list)
    langs: list[Lang] = Field(default_factory=list)
    digest: DigestText = "instant"  # or "daily 08:00", "weekly mon 08:00", in `timezone`
    timezone: ZoneName = "UTC"
    # A topic of a forum supergroup (its message_thread_id); None: the chat itself.
    thread: int | None = None

    @field_validator("thread", mode="before")
    @classmethod
    def _topic_id(cls, value: object) -> object:
        # Before pydantic's coercion: "7", 7.0 and true are not topic ids.
        if value is None or (type(value) is int and value > 0):
            return value
        raise ValueError(
            f"{value!r} is not a forum topic id; write a positive integer (the topic's "
            "message_thread_id, the last number of a link to the topic)"
        )


class TelegramConfig(Section):
    api_base_url: str = "https://api.telegram.org/bot"
    admin_chats: list[Annotated[ChatId, Field(pattern=CHAT)]] = Field(default_factory=list)
    rate_per_second: float = Field(default=25, gt=0, le=30)
    digest_after: int = Field(default=5, ge=1)
    # How long one Bot API request may take before it counts as a network failure (retried).
    request_timeout: Duration = timedelta(seconds=10)
    # Several instances on one store: a sender holds the deliveries it claimed this long; a
    # sender that dies mid-delivery has its claims taken over by another once they run out.
    claim_lease: Duration = timedelta(minutes=2)
    routes: list[RouteConfig] = Field(default_factory=list)
    # The bot's public username, for the "follow on Telegram" link of the feeds' index page.
    bot_username: str | None = None

    @field_validator("api_base_url")
    @classmethod
    def _absolute_api(cls, value: str) -> str:
        return absolute_http(value, "'https://api.telegram.org/bot' (the token is appended to it)")

    @field_validator("bot_username")
    @classmethod
    def _bot_name(cls, value: str | None) -> str | None:
        if value is None:
            return None
        name = value.removeprefix("@")
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{1,28}[Bb][Oo][Tt]", name):
            raise ValueError(
                f"{value!r} is not a Telegram bot username (5-32 letters, digits or '_', "
                "ending in 'bot'); write it like 'icesco_watch_bot'"
            )
        return name
