"""The bot's /digest and /timezone: a chat's digest schedule and the zone it is read in.

`/digest` shows the setting; `/digest daily 08:00`, `/digest weekly mon 08:00`, `/digest off`
change it; `/timezone` shows the zone, `/timezone Africa/Casablanca` changes it. In a group only
its administrators change them (the same rule as subscriptions, `Commands._may_change`). Replies
go through `Commands._reply` (length bounds, pacing); their strings are in `digest_texts.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from telegram import Update

from icesco_watch.digests import (
    EXAMPLE_ZONE,
    Schedule,
    ScheduleError,
    canonical_zone,
    closest_zone,
)
from icesco_watch.notifiers.telegram import digest_texts as texts
from icesco_watch.notifiers.telegram.commands import Commands, Context
from icesco_watch.notifiers.telegram.i18n import Translator
from icesco_watch.notifiers.telegram.overview import next_digest, schedule_sentence
from icesco_watch.notifiers.telegram.reasons import explain_schedule
from icesco_watch.notifiers.telegram.replies import echo
from icesco_watch.store.chat_schedules import get_schedule, set_schedule, set_timezone


def utcnow() -> datetime:
    return datetime.now(UTC)


class DigestCommands:
    """/digest and /timezone, bound to the bot's `Commands` (store, replies, permissions)."""

    def __init__(self, commands: Commands, now: Callable[[], datetime] = utcnow) -> None:
        self.commands = commands
        self.engine = commands.engine
        self.now = now

    async def digest(self, update: Update, context: Context) -> None:
        """/digest [daily HH:MM | weekly DAY HH:MM | off]."""
        chat = _chat(update)
        t = self.commands._t(update)
        given = " ".join(context.args or [])
        if not given:
            with self.engine.connect() as conn:
                schedule = get_schedule(conn, chat)
            await self.commands._reply(update, context, self.describe(t, schedule))
            return
        if not await self.commands._may_change(update, context):
            return
        try:
            with self.engine.begin() as conn:
                schedule = set_schedule(conn, chat, given, self.now())
        except ScheduleError as exc:
            problem = explain_schedule(t, exc)
            reply = t.gettext(texts.DIGEST_BAD, given=echo(given), problem=problem)
            await self.commands._reply(update, context, reply)
            return
        await self.commands._reply(update, context, self.describe(t, schedule, changed=True))

    async def timezone(self, update: Update, context: Context) -> None:
        """/timezone [IANA name]."""
        chat = _chat(update)
        t = self.commands._t(update)
        given = " ".join(context.args or [])
        if not given:
            with self.engine.connect() as conn:
                zone = get_schedule(conn, chat).timezone
            reply = t.gettext(
                texts.TIMEZONE_SHOW, zone=zone, time=self._clock(zone), example=EXAMPLE_ZONE
            )
            await self.commands._reply(update, context, reply)
            return
        if not await self.commands._may_change(update, context):
            return
        try:
            zone = canonical_zone(given)
        except ScheduleError:
            reply = t.gettext(texts.TIMEZONE_BAD, given=echo(given))
            close = closest_zone(given)
            if close:
                reply += " " + t.gettext(texts.TIMEZONE_CLOSE, command=f"/timezone {close}")
            await self.commands._reply(update, context, reply)
            return
        with self.engine.begin() as conn:
            schedule = set_timezone(conn, chat, zone, self.now())
        reply = t.gettext(texts.TIMEZONE_SET, zone=zone, time=self._clock(zone))
        if not schedule.instant:
            reply += "\n" + self.describe(t, schedule)
        await self.commands._reply(update, context, reply)

    def describe(self, t: Translator, schedule: Schedule, changed: bool = False) -> str:
        """The chat's setting in words (in `t`'s language), with its next digest time."""
        if schedule.instant:
            return t.gettext(texts.DIGEST_OFF if changed else texts.DIGEST_INSTANT)
        when = next_digest(t, schedule, self.now())
        return schedule_sentence(t, schedule) + "\n" + t.gettext(texts.DIGEST_NEXT, when=when)

    def _clock(self, zone: str) -> str:
        return f"{self.now().astimezone(ZoneInfo(zone)):%H:%M}"


def _chat(update: Update) -> str:
    assert update.effective_chat is not None
    return str(update.effective_chat.id)
