"""Who may run which command: a group's settings belong to its administrators, /status and
/crawl to the admin chats (and, in an admin group, to its administrators).

Membership is Telegram's to say: `getChatMember` gives a user's status in the group ("creator"
and "administrator" are admins). Answers are cached for `CACHE_SECONDS` per (chat, user), so a
busy group costs one request per member per minute, and a promotion or demotion counts within
a minute. A message an admin sends anonymously, on behalf of the group itself (`sender_chat` is
the group), comes from an admin by definition: only admins can do that.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from telegram import Chat, Update
from telegram.error import TelegramError

from icesco_watch.notifiers.telegram.i18n import N_

log = logging.getLogger(__name__)

ADMIN_STATUSES = frozenset({"creator", "administrator"})
CACHE_SECONDS = 60.0
GROUPS = frozenset({Chat.GROUP, Chat.SUPERGROUP})

# Refusals are English msgids: the caller shows them in the chat's language.
# One refusal for every change (what the group follows, its languages, digest, time zone, pause).
NOT_GROUP_ADMIN = N_("Only this group's administrators can change its alerts and settings.")
NOT_ADMIN_CHAT = N_("Sorry, that command is for the bot's admins.")
NOT_ADMIN_HERE = N_("Only this group's administrators can use that command here.")
CANNOT_CHECK = N_("I could not check who administers this group just now; please try again.")


class Permissions:
    """Decides, per update, whether its sender may run a command; a refusal (an English msgid,
    to translate) is the reply."""

    def __init__(self, admin_chats: Sequence[str], cache_seconds: float = CACHE_SECONDS) -> None:
        self.admin_chats = frozenset(admin_chats)
        self.cache_seconds = cache_seconds
        self._cache: dict[tuple[int, int], tuple[bool, float]] = {}

    async def settings_refusal(self, update: Update) -> str | None:
        """None if the sender may change the chat's subscriptions and settings."""
        chat = update.effective_chat
        if chat is None or chat.type not in GROUPS:
            return None
        admin = await self._is_group_admin(update)
        if admin is None:
            return CANNOT_CHECK
        return None if admin else NOT_GROUP_ADMIN

    async def operations_refusal(self, update: Update) -> str | None:
        """None if the sender may run /status and /crawl here."""
        chat = update.effective_chat
        if chat is None:
            return NOT_ADMIN_CHAT
        names = {str(chat.id)} | ({f"@{chat.username}"} if chat.username else set())
        if self.admin_chats.isdisjoint(names):
            return NOT_ADMIN_CHAT
        if chat.type not in GROUPS:
            return None
        admin = await self._is_group_admin(update)
        if admin is None:
            return CANNOT_CHECK
        return None if admin else NOT_ADMIN_HERE

    async def _is_group_admin(self, update: Update) -> bool | None:
        """Whether the sender administers the group; None when Telegram could not say."""
        chat, message = update.effective_chat, update.effective_message
        assert chat is not None
        if message is not None and message.sender_chat is not None:
            return message.sender_chat.id == chat.id  # anonymous admin, or a channel: never
        user = update.effective_user
        if user is None:
            return False
        key, now = (chat.id, user.id), time.monotonic()
        cached = self._cache.get(key)
        if cached is not None and cached[1] > now:
            return cached[0]
        try:
            member = await update.get_bot().get_chat_member(chat.id, user.id)
        except TelegramError as exc:
            log.warning("getChatMember failed: %s", type(exc).__name__)
            return None
        admin = member.status in ADMIN_STATUSES
        if len(self._cache) >= 10_000:
            self._cache = {k: v for k, v in self._cache.items() if v[1] > now}
        self._cache[key] = (admin, now + self.cache_seconds)
        return admin
