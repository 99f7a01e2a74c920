"""What a chat receives and when, in words: its schedule and time zone, its forum topics, the
config routes posting into it (/list), and the service-wide view of the same (/status).

The rules are elsewhere (schedules `digests.py`, routes the config, topics `store/topics.py`);
this only reads them and says them in the reader's language, so a reader sees what will arrive
and when. `/digest` describes a schedule with the same sentences (`schedule_sentence`,
`next_digest`). The two listings the store's modules do not offer (a chat's /here topics, the
number of chats per schedule) are read-only queries here.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from icesco_watch.config.schema import Settings
from icesco_watch.digests import Schedule, next_due
from icesco_watch.notifiers.telegram import digest_texts as texts
from icesco_watch.notifiers.telegram.choices import Choice, Choices
from icesco_watch.notifiers.telegram.format import format_date
from icesco_watch.notifiers.telegram.i18n import LANGUAGE_NAMES, N_, Translator
from icesco_watch.routing import route_schedule
from icesco_watch.store.chat_schedules import get_schedule, schedule_kinds
from icesco_watch.store.topics import count_here_topics, here_topics, list_closed_topics

# /list
CHAT_INSTANT = N_(
    "Alerts arrive as soon as news is published; time zone {zone}. For a daily or weekly "
    "digest instead: /digest."
)
NEXT_ONE = N_("Next one: {when}.")
ROUTE_INSTANT = N_("Each alert as soon as news is published.")
TOPICS_HEADING = N_("Forum topics of this group:")
TOPIC_SECTORS = N_("topic {thread}: {labels}")
TOPIC_SUSPENDED = N_(
    "topic {thread}: {labels} (suspended: Telegram refused to post there; /here in the topic "
    "restarts it)"
)
ROUTE_HERE = N_("{entry} of the config sends {what} here.")
ROUTE_TOPIC = N_("{entry} of the config sends {what} to topic {thread}.")
ROUTE_LANGS = N_("{what} in {languages}")
# /status (plain text; schedules as the config and /digest write them)
STATUS_CHAT = N_("this chat: {schedule}")
STATUS_DIGESTS = N_("chats on a digest: {daily} daily, {weekly} weekly")
STATUS_TOPICS = N_("forum topics with /here sectors: {n}")
STATUS_ROUTE = N_("{entry}: to {chat}, {schedule}")
STATUS_ROUTE_TOPIC = N_("{entry}: to {chat} topic {thread}, {schedule}")


def schedule_sentence(t: Translator, schedule: Schedule) -> str:
    """The schedule as a sentence ("A daily digest at 08:00 (Africa/Casablanca).")."""
    if schedule.instant:
        return t.gettext(ROUTE_INSTANT)
    clock = f"{schedule.hour:02d}:{schedule.minute:02d}"
    if schedule.kind == "daily":
        return t.gettext(texts.DIGEST_DAILY, time=clock, zone=schedule.timezone)
    day = t.gettext(texts.DAY_NAMES[schedule.weekday])
    return t.gettext(texts.DIGEST_WEEKLY, day=day, time=clock, zone=schedule.timezone)


def next_digest(t: Translator, schedule: Schedule, now: datetime) -> str:
    """When the next digest is due, in the schedule's zone ("Monday 1 December 2026, 08:00")."""
    due = next_due(schedule, now).astimezone(ZoneInfo(schedule.timezone))
    day, clock = t.gettext(texts.DAY_NAMES[due.weekday()]), f"{due:%H:%M}"
    return t.gettext(texts.NEXT_WHEN, day=day, date=format_date(due, t.locale), time=clock)


def chat_overview(
    conn: Connection, settings: Settings, choices: Choices, t: Translator, chat: str, now: datetime
) -> list[str]:
    """/list's lines on delivery: when the chat's alerts arrive, what its forum topics receive
    (/here) and what the config's routes send into it."""
    schedule = get_schedule(conn, chat)
    if schedule.instant:
        lines = [t.gettext(CHAT_INSTANT, zone=schedule.timezone)]
    else:
        when = t.gettext(NEXT_ONE, when=next_digest(t, schedule, now))
        lines = [schedule_sentence(t, schedule) + " " + when]
    closed = {c.thread for c in list_closed_topics(conn) if c.chat == chat}
    topics = []
    for thread, sectors in sorted(here_topics(conn, chat).items()):
        labels = ", ".join(choices.label(Choice("sector", s), t) for s in sectors)
        template = TOPIC_SUSPENDED if thread in closed else TOPIC_SECTORS
        topics.append("• " + t.gettext(template, thread=thread, labels=labels))
    if topics:
        lines += [t.gettext(TOPICS_HEADING), *topics]
    for n, route in enumerate(settings.telegram.routes):
        if route.chat != chat:
            continue
        names = [choices.label(Choice("sector", s), t) for s in route.sectors]
        names += [choices.label(Choice("topic", k), t) for k in route.topics]
        what = ", ".join(names) or choices.label(Choice("all", ""), t)
        if route.langs:
            languages = ", ".join(LANGUAGE_NAMES[lang] for lang in route.langs)
            what = t.gettext(ROUTE_LANGS, what=what, languages=languages)
        entry = f"telegram.routes[{n}]"
        if route.thread is None:
            sends = t.gettext(ROUTE_HERE, entry=entry, what=what)
        else:
            sends = t.gettext(ROUTE_TOPIC, entry=entry, what=what, thread=route.thread)
        lines.append(sends + " " + schedule_sentence(t, route_schedule(route)))
    return lines


def status_overview(conn: Connection, settings: Settings, t: Translator, chat: str) -> list[str]:
    """/status's lines on delivery (plain text): this chat's schedule, how many chats take a
    digest, how many forum topics /here feeds, and each config route's destination and schedule."""
    kinds = schedule_kinds(conn)
    here = count_here_topics(conn)
    lines = [
        t.gettext(STATUS_CHAT, schedule=_written(get_schedule(conn, chat))),
        t.gettext(STATUS_DIGESTS, daily=kinds["daily"], weekly=kinds["weekly"]),
        t.gettext(STATUS_TOPICS, n=here),
    ]
    for n, route in enumerate(settings.telegram.routes):
        entry, written = f"telegram.routes[{n}]", _written(route_schedule(route))
        if route.thread is None:
            lines.append(t.gettext(STATUS_ROUTE, entry=entry, chat=route.chat, schedule=written))
        else:
            lines.append(
                t.gettext(
                    STATUS_ROUTE_TOPIC,
                    entry=entry,
                    chat=route.chat,
                    thread=route.thread,
                    schedule=written,
                )
            )
    return lines


def _written(schedule: Schedule) -> str:
    """As /digest and the config write it: "instant", or "daily 08:00 Africa/Casablanca"."""
    return schedule.text if schedule.instant else schedule.stored
