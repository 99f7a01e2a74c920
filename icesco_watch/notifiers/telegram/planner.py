"""A delivery pass's plan: the deliveries one sender claimed, turned into each chat's messages.

Per chat (oldest chat first): one alert per story (its versions joined, or an edit of the
story's message already sent, `stories.py`), or digests once a chat has more than
`telegram.digest_after` alerts due (per forum topic: a digest never mixes two topics' items);
then the scheduled digests that are due (`digest_format.py`). Labels are in the chat's interface
language. Planning also settles what will not be sent in this pass: versions waiting for their
story's alert are rescheduled, versions whose story went out in a digest are skipped. Sending
the plan, and what Telegram's answers mean, is `sender.py`'s.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import Engine, select

from icesco_watch.config.schema import SectorConfig, Settings
from icesco_watch.digests import parse_stored
from icesco_watch.models import NewsItem
from icesco_watch.notifiers.telegram.digest_format import format_scheduled_digest, heading
from icesco_watch.notifiers.telegram.format import format_digest
from icesco_watch.notifiers.telegram.outcomes import Message
from icesco_watch.notifiers.telegram.stories import IN_DIGEST, Planned, plan_chat
from icesco_watch.store.items import items_by_key
from icesco_watch.store.outbox import DueDelivery, mark_skipped, reschedule
from icesco_watch.store.schema import chats
from icesco_watch.store.stories import story_states

DIGEST_MAX_ITEMS = 30
# A story's version whose alert is pending elsewhere (another sender, a retry) looks again then.
STORY_WAIT = timedelta(seconds=30)

# How one item becomes a message (HTML), with its story's other versions (lang, url);
# format_alert unless a caller needs another form.
AlertRenderer = Callable[
    [NewsItem, Sequence[SectorConfig], str | None, Sequence[tuple[str, str]]], str
]


class Planner:
    """Plans a pass's messages for the settings' sectors, rendering alerts with `render_alert`."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        render_alert: AlertRenderer,
        now: Callable[[], datetime],
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.render_alert = render_alert
        self.now = now

    def plan(self, due: Sequence[DueDelivery]) -> dict[str, deque[Message]]:
        """Per chat (oldest chat first), its messages: one per story (versions joined, or an
        edit of the story's message already sent), or digests past the limit (per forum topic: a
        digest never mixes two topics' items); then the scheduled digests that are due."""
        by_chat: dict[str, list[DueDelivery]] = {}
        scheduled: dict[str, list[DueDelivery]] = {}
        for entry in due:
            into = by_chat if entry.delivery.digest is None else scheduled
            into.setdefault(entry.delivery.chat, []).append(entry)
        with self.engine.begin() as conn:
            # Labels in the chat's interface language (NULL, e.g. a route's channel: the item's).
            wanted = [*by_chat, *scheduled]
            query = select(chats.c.chat, chats.c.ui_lang).where(chats.c.chat.in_(wanted))
            langs: dict[str, str | None] = {row.chat: row.ui_lang for row in conn.execute(query)}
            root_of, states = story_states(
                conn, [e.delivery.id for e in due if not e.delivery.digest]
            )
            heads = [s.item_key for s in states.values()]
            root_items = {k: v.item for k, v in items_by_key(conn, heads).items()}
            plans = {
                chat: plan_chat(entries, root_of, states, root_items)
                for chat, entries in by_chat.items()
            }
            for plan in plans.values():
                if plan.waiting:
                    later = self.now() + STORY_WAIT
                    reschedule(
                        conn,
                        plan.waiting,
                        later,
                        "waits for its story's alert",
                        count_attempt=False,
                    )
                if plan.skipped:
                    mark_skipped(conn, plan.skipped, IN_DIGEST)
        messages: dict[str, deque[Message]] = {}
        for chat, plan in plans.items():
            lang = langs.get(chat)
            by_thread: dict[int | None, list[Planned]] = {}
            for planned in plan.planned:
                if planned.edit_of is None:
                    by_thread.setdefault(planned.thread, []).append(planned)
            edits = [self._alert(chat, p, lang) for p in plan.planned if p.edit_of is not None]
            queue: deque[Message] = deque()
            for alerts in by_thread.values():
                if len(alerts) > self.settings.telegram.digest_after:
                    queue.extend(self._digests(chat, alerts, lang))
                else:
                    queue.extend(self._alert(chat, p, lang) for p in alerts)
            queue.extend(edits)
            if queue:
                messages[chat] = queue
        for chat, entries in scheduled.items():
            lang = langs.get(chat)
            by_topic: dict[int | None, list[DueDelivery]] = {}
            for entry in entries:
                by_topic.setdefault(entry.delivery.thread, []).append(entry)
            queue = messages.setdefault(chat, deque())
            for group in by_topic.values():
                queue.extend(self._scheduled(chat, group, lang))
        return messages

    def _scheduled(self, chat: str, entries: list[DueDelivery], lang: str | None) -> list[Message]:
        """A scheduled digest of everything due for the chat or one of its forum topics (also
        what waited while the service was down: one digest, not one per missed period)."""
        if not entries:
            return []
        latest = max(entries, key=lambda e: (e.delivery.next_attempt_at, e.delivery.id))
        schedule = parse_stored(latest.delivery.digest)
        earliest = min(e.delivery.created_at for e in entries)
        title = heading(schedule, latest.delivery.next_attempt_at, earliest, lang or "en")
        items = [e.item for e in entries]
        by_key = {e.item.key: e.delivery for e in entries}
        messages = []
        for part in format_scheduled_digest(items, self.settings.sectors, title, lang or "en"):
            carried = [by_key[key] for key in part.keys]
            messages.append(
                Message(
                    chat,
                    part.text,
                    tuple(d.id for d in carried),
                    digest=True,
                    attempts=max(d.attempts for d in carried),
                    unconfirmed=max(d.unconfirmed for d in carried),
                    thread=latest.delivery.thread,
                )
            )
        return messages

    def _digests(self, chat: str, entries: list[Planned], lang: str | None) -> list[Message]:
        """Digest messages, each a whole number of items, so each delivery maps to one message
        (a crash between two parts then repeats at most one part)."""
        messages: list[Message] = []
        group: list[Planned] = []
        for entry in entries:
            candidate = [*group, entry]
            parts = format_digest([e.item for e in candidate], self.settings.sectors, lang)
            if group and (len(parts) > 1 or len(candidate) > DIGEST_MAX_ITEMS):
                messages.append(self._digest(chat, group, lang))
                group = [entry]
            else:
                group = candidate
        if group:
            messages.append(self._digest(chat, group, lang))
        return messages

    def _alert(self, chat: str, entry: Planned, lang: str | None) -> Message:
        text = self.render_alert(entry.item, self.settings.sectors, lang, entry.also_in)
        return Message(
            chat,
            text,
            entry.ids,
            attempts=entry.attempts,
            unconfirmed=entry.unconfirmed,
            edit_of=entry.edit_of,
            thread=entry.thread,
        )

    def _digest(self, chat: str, group: list[Planned], lang: str | None) -> Message:
        if len(group) == 1:
            return self._alert(chat, group[0], lang)
        text = format_digest([e.item for e in group], self.settings.sectors, lang)[0]
        ids = tuple(i for e in group for i in e.ids)
        attempts = max(e.attempts for e in group)
        unconfirmed = max(e.unconfirmed for e in group)
        return Message(
            chat,
            text,
            ids,
            digest=True,
            attempts=attempts,
            unconfirmed=unconfirmed,
            thread=group[0].thread,
        )
