"""/digest and /timezone through getUpdates: real PTB polling the fake Bot API, a real store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from icesco_watch.digests import Schedule
from icesco_watch.notifiers.telegram.fairness import CommandBudget
from icesco_watch.notifiers.telegram.permissions import NOT_GROUP_ADMIN
from icesco_watch.notifiers.telegram.sender import Sender
from icesco_watch.store.chat_schedules import get_schedule
from icesco_watch.store.schema import open_store
from tests.fakes.bot_api import FakeBotApi
from tests.notifiers.telegram.helpers import (
    Chat,
    deliveries,
    make_settings,
    news,
    reads_right_to_left,
    store_new,
    with_bot,
)

GROUP, OWNER, MEMBER = -100700, 21, 22
ROOMY = CommandBudget(per_minute=600, burst=100)


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        fake.set_member(GROUP, OWNER, "creator")
        yield fake


def test_digest_and_timezone_replies_including_bad_input(tmp_path: Path, api: FakeBotApi) -> None:
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    user = Chat(api, 1700)

    async def scenario(sender: Sender) -> None:
        assert "as soon as news is published" in await user.ask("/digest")
        assert "/digest daily 08:00" in await user.ask("/digest")
        reply = await user.ask("/digest daily 08:00")
        assert reply.startswith("A daily digest at 08:00 (UTC).\nNext one: ")
        assert reply.endswith(
            ", 08:00. /digest off for instant alerts; /timezone to change the zone."
        )
        assert (await user.ask("/digest")).startswith("A daily digest at 08:00 (UTC).")
        reply = await user.ask("/digest weekly mon 18:30")
        assert reply.startswith("A weekly digest on Monday at 18:30 (UTC).\nNext one: Monday ")
        bad = await user.ask("/digest sometimes")
        assert bad == (
            "I don't understand “sometimes”: that is not a schedule.\n"
            "Usage: /digest daily 08:00, /digest weekly mon 08:00 or /digest off."
        )
        assert "“25:00” is not a time; write it as HH:MM, for example 08:00 or 18:30." in (
            await user.ask("/digest daily 25:00")
        )
        assert "“someday” is not a day; write one of mon, tue, wed, thu, fri, sat, sun." in (
            await user.ask("/digest weekly someday 08:00")
        )
        assert "a weekly digest needs a day and a time." in await user.ask("/digest weekly mon")
        assert "a daily digest takes one time and nothing else." in (
            await user.ask("/digest daily 08:00 18:00")
        )
        long = await user.ask("/digest " + "x" * 5000)
        assert len(long) < 600  # the user's text is echoed short
        assert (await user.ask("/timezone")).startswith("Time zone: UTC (it is ")
        unknown = await user.ask("/timezone Mars/Base")
        assert unknown.startswith("I don't know the time zone “Mars/Base”. Use an IANA name")
        assert "/timezone Africa/Casablanca" in unknown
        typo = await user.ask("/timezone Africa/Casablanka")
        assert typo.endswith("Did you mean /timezone Africa/Casablanca?")
        moved = await user.ask("/timezone africa/casablanca")
        assert moved.startswith("Time zone set to Africa/Casablanca (it is ")
        assert "A weekly digest on Monday at 18:30 (Africa/Casablanca)." in moved
        assert (await user.ask("/timezone")).startswith("Time zone: Africa/Casablanca (it is ")
        assert "/digest" in await user.ask("/help")

    with_bot(settings, engine, scenario, budget=ROOMY)
    with engine.connect() as conn:
        assert get_schedule(conn, "1700") == Schedule("weekly", 18, 30, 0, "Africa/Casablanca")
    names = {c["command"] for c in api.commands}
    assert {"digest", "timezone"} <= names


def test_a_chat_on_a_digest_gets_nothing_at_once_and_off_sends_what_waited(
    tmp_path: Path, api: FakeBotApi
) -> None:
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    user = Chat(api, 1710)

    async def scenario(sender: Sender) -> None:
        await user.ask("/subscribe all")
        await user.ask("/digest daily 08:00")
        store_new(engine, settings, [news("one"), news("two")])
        report = await sender.drain()
        assert report.sent == 0
        assert not any("Headline" in m.plain for m in api.messages_to(1710))
        [first, second] = deliveries(engine, "1710")
        assert first.digest == second.digest == "daily 08:00 UTC"
        assert await user.ask("/digest off") == (
            "Digest off: alerts arrive as soon as news is published."
        )
        report = await sender.drain()
        assert (report.sent, report.digests) == (2, 1)  # what waited: one digest, now

    with_bot(settings, engine, scenario, budget=ROOMY)
    [digest] = [m for m in api.messages_to(1710) if "Headline" in m.plain]
    assert "• Headline one" in digest.plain
    assert "• Headline two" in digest.plain


def test_only_a_groups_admins_change_its_digest(tmp_path: Path, api: FakeBotApi) -> None:
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    owner, member = Chat(api, GROUP, OWNER, "supergroup"), Chat(api, GROUP, MEMBER, "supergroup")

    async def scenario(sender: Sender) -> None:
        assert await member.ask("/digest daily 08:00") == NOT_GROUP_ADMIN
        assert await member.ask("/timezone Europe/Paris") == NOT_GROUP_ADMIN
        assert "as soon as news is published" in await member.ask("/digest")  # reading: anyone
        assert (await owner.ask("/digest daily 07:15")).startswith("A daily digest at 07:15")
        assert (await owner.ask("/timezone Europe/Paris")).startswith("Time zone set to")

    with_bot(settings, engine, scenario, budget=ROOMY)
    with engine.connect() as conn:
        assert get_schedule(conn, str(GROUP)) == Schedule("daily", 7, 15, 0, "Europe/Paris")


# Each reason the parser gives for a bad /digest, and the two /timezone refusals.
REFUSED = [
    "/digest sometimes",
    "/digest weekly mon",
    "/digest weekly someday 08:00",
    "/digest daily 08:00 18:00",
    "/digest daily 25:00",
    "/timezone Mars/Base",
    "/timezone Africa/Casablanka",
]
IN_FRENCH = [
    "Je ne comprends pas «\u00a0sometimes\u00a0»\u00a0: ce n'est pas un horaire reconnu.",
    "un résumé hebdomadaire demande un jour et une heure.",
    "«\u00a0someday\u00a0» n'est pas un jour\u00a0; écrivez l'un des suivants\u00a0: "
    "lundi, mardi, mercredi, jeudi, vendredi, samedi, dimanche.",
    "un résumé quotidien prend une heure, et rien d'autre.",
    "«\u00a025:00\u00a0» n'est pas une heure\u00a0; écrivez-la sous la forme HH:MM, par exemple "
    "08:00 ou 18:30.",
    "Je ne connais pas le fuseau horaire «\u00a0Mars/Base\u00a0».",
    "Vouliez-vous dire /timezone Africa/Casablanca\u00a0?",
]
IN_ARABIC = [
    "هذا ليس موعدًا صالحًا",
    "يحتاج الموجز الأسبوعي إلى يوم وساعة",
    "ليس يومًا؛ اكتب أحد هذه الأيام: الاثنين، الثلاثاء، الأربعاء، الخميس، الجمعة، السبت، الأحد",
    "يحتاج الموجز اليومي إلى ساعة واحدة فقط",
    "ليس وقتًا؛ اكتبه بالصيغة",
    "لا أعرف المنطقة الزمنية",
    "هل تقصد",
]


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_digest_and_timezone_refusals_are_in_the_users_language(
    tmp_path: Path, api: FakeBotApi, lang: str
) -> None:
    """Each reason is the chat's language, not the parser's English inside a translated reply."""
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    user = Chat(api, 1720, language_code=lang)
    replies: list[str] = []

    async def scenario(sender: Sender) -> None:
        for command in REFUSED:
            replies.append(await user.ask(command))

    with_bot(settings, engine, scenario, budget=ROOMY)
    expected = IN_FRENCH if lang == "fr" else IN_ARABIC
    for command, reply, part in zip(REFUSED, replies, expected, strict=True):
        assert part in reply, (command, reply)
        for english in ("is not a", "needs", "schedule", "write it", "I don't"):
            assert english not in reply, (command, reply)
        if lang == "ar":
            reads_right_to_left(reply)
    with engine.connect() as conn:
        assert get_schedule(conn, "1720") == Schedule()  # nothing refused was kept


def test_timezone_refuses_the_hosts_own_zone_files(tmp_path: Path, api: FakeBotApi) -> None:
    # The zone database on disk also holds "localtime" (a link to the host's /etc/localtime:
    # the server's zone, not the reader's, and it changes with the machine) and "Factory"
    # (tzdata's "zone not set" placeholder). Neither is a zone a reader lives in.
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    user = Chat(api, 2950)

    async def scenario(sender: Sender) -> None:
        for name in ("localtime", "Factory", "posixrules"):
            reply = await user.ask(f"/timezone {name}")
            assert reply.startswith(f"I don't know the time zone “{name}”"), reply
        assert (await user.ask("/timezone EST")).startswith("Time zone set to EST ")

    with_bot(settings, engine, scenario, budget=ROOMY)
    with engine.connect() as conn:
        assert get_schedule(conn, "2950").timezone == "EST"


# What a French or an Arabic reader types: the day in their language (any CLDR form, any case or
# accent, Arabic with or without hamza or article), the time in their digits, and the kind of
# digest in their words ("quotidien", "أسبوعي": before, "not a schedule").
TYPED = [
    ("fr", "/digest quotidien 08:00", Schedule("daily", 8, 0)),
    ("ar", "/digest أسبوعي الجمعة ٨:٣٠", Schedule("weekly", 8, 30, 4)),
    ("fr", "/digest weekly lundi 08:00", Schedule("weekly", 8, 0, 0)),
    ("fr", "/digest weekly Mer. 18:30", Schedule("weekly", 18, 30, 2)),
    ("ar", "/digest weekly الإثنين ٠٨:٣٠", Schedule("weekly", 8, 30, 0)),
    ("ar", "/digest weekly الاثنين ۰۸:۳۰", Schedule("weekly", 8, 30, 0)),
    ("ar", "/digest weekly جمعة ٨:٣٠", Schedule("weekly", 8, 30, 4)),
    ("ar", "/digest daily ٧:٠٥", Schedule("daily", 7, 5)),
]


@pytest.mark.parametrize(("lang", "command", "expected"), TYPED)
def test_digest_takes_days_and_digits_in_the_users_language(
    tmp_path: Path, api: FakeBotApi, lang: str, command: str, expected: Schedule
) -> None:
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    user = Chat(api, 1730, language_code=lang)
    replies: list[str] = []

    async def scenario(sender: Sender) -> None:
        replies.append(await user.ask(command))

    with_bot(settings, engine, scenario, budget=ROOMY)
    [reply] = replies
    accepted = "Un résumé" if lang == "fr" else "موجز"
    assert reply.startswith(accepted), reply
    assert f"{expected.hour:02d}:{expected.minute:02d}" in reply, reply
    with engine.connect() as conn:
        assert get_schedule(conn, "1730") == expected


def test_invisible_direction_marks_around_what_is_typed_are_ignored(
    tmp_path: Path, api: FakeBotApi
) -> None:
    # Arabic keyboards and pasted text carry right-to-left marks (U+200F, U+061C) and
    # zero-width characters the user never sees: "‏الإثنين" read as no day, "‎Africa/Casablanca"
    # as no zone, "‏التربية" as no sector.
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    user = Chat(api, 1740, language_code="ar")
    replies: list[str] = []

    async def scenario(sender: Sender) -> None:
        for command in (
            "/digest weekly \u200fالإثنين\u200f \u061c٠٨:٣٠",
            "/timezone \u200eAfrica/Casablanca\u200b",
            "/subscribe \u200fالتربية",
        ):
            replies.append(await user.ask(command))

    with_bot(settings, engine, scenario, budget=ROOMY)
    digest, zone, subscribe = replies
    assert digest.startswith("موجز أسبوعي"), digest
    assert zone.startswith("ضُبطت المنطقة الزمنية"), zone
    assert subscribe.startswith("تتابع الآن"), subscribe
    with engine.connect() as conn:
        assert get_schedule(conn, "1740") == Schedule("weekly", 8, 30, 0, "Africa/Casablanca")
