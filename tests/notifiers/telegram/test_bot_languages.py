"""The bot in English, Arabic and French, end to end: updates from the fake Bot API (whose
users carry a Telegram `language_code`) through real PTB polling, replies checked by TDLib's
own HTML parser in the fake, alerts through the outbox sender."""

from __future__ import annotations

from pathlib import Path

import pytest

from icesco_watch.notifiers.telegram.i18n import FSI, PDI
from icesco_watch.notifiers.telegram.sender import Sender
from icesco_watch.store.chat_language import get_ui_lang
from icesco_watch.store.schema import open_store
from icesco_watch.store.subscriptions import list_subscriptions
from tests.fakes.bot_api import FakeBotApi
from tests.notifiers.telegram.helpers import (
    Chat,
    make_settings,
    news,
    reads_right_to_left,
    store_new,
    with_bot,
)


def _buttons(api: FakeBotApi, chat: int) -> list[dict[str, str]]:
    markup = api.messages_to(chat)[-1].reply_markup
    assert markup is not None
    return [b for row in markup["inline_keyboard"] for b in row]


def test_an_arabic_speaker_gets_every_reply_and_alert_in_arabic(
    tmp_path: Path, api: FakeBotApi
) -> None:
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    user = Chat(api, 2100, language_code="ar")

    async def scenario(sender: Sender) -> None:
        welcome = await user.ask("/start")
        assert welcome.startswith("أهلًا بك!")
        assert f"{FSI}/subscribe all{PDI}" in welcome
        assert "تنبيهات أخبار الإيسيسكو" in welcome  # the help follows the welcome
        reads_right_to_left(welcome)
        help_text = await user.ask("/help")
        assert f"{FSI}/lang en|ar|fr|all{PDI}" in help_text
        assert "القطاعات:" in help_text
        reads_right_to_left(help_text)
        prompt = await user.ask("/sectors")
        assert prompt == "اضغط على قطاع لمتابعته أو إلغاء متابعته:"
        buttons = _buttons(api, 2100)
        labels = [b["text"] for b in buttons]
        assert labels[:2] == ["التربية", "الثقافة والاتصال"]
        assert labels[-1] == "كل الأخبار"
        api.user_presses(2100, api.messages_to(2100)[-1].message_id, buttons[0]["callback_data"])
        await api.wait_for_async(lambda fake: bool(fake.callback_answers) and bool(fake.edits))
        answer = api.callback_answers[0].text or ""
        assert answer == f"تتابع الآن التربية ({FSI}#education{PDI})"
        redrawn = api.edits[0].reply_markup or {}
        assert "✅ التربية" in [b["text"] for row in redrawn["inline_keyboard"] for b in row]
        listing = await user.ask("/list")
        assert "• التربية" in listing
        assert "لغات الأخبار: كل اللغات." in listing
        assert "لغة البوت: العربية." in listing
        reads_right_to_left(listing)
        typo = await user.ask("/subscribe educaton")
        assert typo.startswith("لا أعرف «")
        assert f"هل تقصد {FSI}/subscribe education{PDI}؟" in typo
        unknown = await user.ask("/frobnicate")
        assert unknown.startswith("أمر غير معروف:")
        reads_right_to_left(unknown)
        usage = await user.ask("/watch")
        assert f"{FSI}/watch الذكاء الاصطناعي{PDI}" in usage
        too_long = await user.ask("/watch " + "تراث " * 9)
        assert too_long == f"عذرًا: لا تتجاوز الكلمة المفتاحية {FSI}8{PDI} كلمات؛ راقب عبارة أقصر."
        store_new(engine, settings, [news("lesson", sectors=("education",))])
        assert (await sender.drain()).sent == 1

    with_bot(settings, engine, scenario)
    alert = api.messages_to(2100)[-1]
    assert "Headline lesson" in alert.plain  # the item's own words stay as published
    assert "اقرأ المزيد" in alert.plain
    assert f"{FSI}English{PDI}" in alert.plain  # the item's language, isolated in Arabic
    assert f"{FSI}#education{PDI}" in alert.plain
    # Every reply went through TDLib's parser in the fake: none was refused.
    assert not [c for c in api.calls if c.status == 400]
    with engine.connect() as conn:
        assert get_ui_lang(conn, "2100") == "ar"


def test_a_french_speaker_gets_french_until_choosing_english(
    tmp_path: Path, api: FakeBotApi
) -> None:
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    user = Chat(api, 2200, language_code="fr-CA")

    async def scenario(sender: Sender) -> None:
        assert (await user.ask("/start")).startswith("Bienvenue\u00a0!")
        await user.ask("/sectors")
        labels = [b["text"] for b in _buttons(api, 2200)]
        assert labels[:2] == ["Éducation", "Culture et communication"]
        assert labels[-1] == "Toutes les nouvelles"
        assert (await user.ask("/subscribe")).startswith(
            "Utilisation\u00a0: /subscribe &lt;secteur|thème|all&gt;".replace("&lt;", "<").replace(
                "&gt;", ">"
            )
        )
        assert await user.ask("/subscribe culture") == (
            "Vous suivez maintenant Culture et communication (#culture)."
        )
        store_new(engine, settings, [news("poeme", lang="ar", sectors=("culture",))])
        assert (await sender.drain()).sent == 1
        french_alert = api.messages_to(2200)[-1].plain
        assert "Lire la suite" in french_alert
        assert "· العربية" in french_alert
        assert FSI not in french_alert
        assert await user.ask("/language en") == "The bot now speaks English in this chat."
        assert (await user.ask("/help")).startswith("ICESCO news alerts")
        assert await user.ask("/subscribe culture") == (
            "Already following Culture and Communication (#culture)."
        )
        store_new(engine, settings, [news("theatre", lang="fr", sectors=("culture",))])
        assert (await sender.drain()).sent == 1

    with_bot(settings, engine, scenario)
    english_alert = api.messages_to(2200)[-1].plain
    assert "Headline theatre" in english_alert
    assert "Read more" in english_alert
    assert "· Français" in english_alert
    assert not [c for c in api.calls if c.status == 400]


def test_language_shows_the_choices_refuses_nonsense_and_sticks(
    tmp_path: Path, api: FakeBotApi
) -> None:
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    newcomer = Chat(api, 2300, language_code="ar-MA")
    same_user_now_in_english = Chat(api, 2300, language_code="en")

    async def scenario(sender: Sender) -> None:
        # Not registered yet: answered in the user's language, nothing stored.
        shown = await newcomer.ask("/language")
        assert shown.startswith("لغة البوت هنا: العربية.")
        assert f"{FSI}/language fr{PDI}: {FSI}Français{PDI}" in shown
        reads_right_to_left(shown)
        with engine.connect() as conn:
            assert get_ui_lang(conn, "2300") is None
        await newcomer.ask("/start")
        with engine.connect() as conn:
            assert get_ui_lang(conn, "2300") == "ar"
        # The chat's language sticks even if the app's language changes later.
        assert (await same_user_now_in_english.ask("/help")).startswith("تنبيهات")
        wrong = await same_user_now_in_english.ask("/language klingon")
        assert wrong.startswith(f"لا أعرف اللغة «{FSI}klingon{PDI}».")
        assert "اختر لغة البوت:" in wrong
        assert "/language en" in wrong
        assert await newcomer.ask("/language FR") == (
            "Le bot parle désormais français dans cette conversation."
        )
        # /lang (news languages) is another choice: the bot keeps speaking French.
        assert await newcomer.ask("/lang ar") == "Langue des nouvelles désormais\u00a0: العربية."

    with_bot(settings, engine, scenario)
    with engine.connect() as conn:
        assert get_ui_lang(conn, "2300") == "fr"
    assert not [c for c in api.calls if c.status == 400]


def test_the_command_menu_is_registered_in_each_language(tmp_path: Path, api: FakeBotApi) -> None:
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)

    async def scenario(sender: Sender) -> None:
        return None

    with_bot(settings, engine, scenario)
    menus = {
        c.params.get("language_code"): {
            d["command"]: d["description"] for d in c.params["commands"]
        }
        for c in api.calls
        if c.method == "setMyCommands"
    }
    assert menus[None]["language"] == "The bot's language: en, ar or fr"
    assert menus["fr"]["sectors"] == "Choisir des secteurs avec des boutons"
    assert menus["ar"]["pause"] == "إيقاف التنبيهات مؤقتًا"
    assert set(menus["ar"]) == set(menus[None]) == set(menus["fr"])


def test_in_a_group_the_first_speaker_sets_the_language_and_only_admins_change_it(
    tmp_path: Path, api: FakeBotApi
) -> None:
    group, owner_id, member_id = -100700, 21, 22
    api.set_member(group, owner_id, "creator")
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    owner = Chat(api, group, owner_id, "supergroup", language_code="fr")
    member = Chat(api, group, member_id, "supergroup", language_code="ar")

    async def scenario(sender: Sender) -> None:
        assert (await owner.ask("/start")).startswith("Bienvenue")
        # The group speaks French now, whatever a member's own app language.
        refusal = await member.ask("/language ar")
        assert refusal == (
            "Seuls les administrateurs de ce groupe peuvent modifier ses alertes et ses réglages."
        )
        assert "Langue du bot ici\u00a0: Français." in await member.ask("/language")
        assert await owner.ask("/language ar") == "أصبح البوت يتحدث العربية في هذه المحادثة."
        assert (await member.ask("/help")).startswith("تنبيهات أخبار الإيسيسكو")

    with_bot(settings, engine, scenario)
    with engine.connect() as conn:
        assert get_ui_lang(conn, str(group)) == "ar"


def test_bidi_controls_a_user_types_are_not_echoed_into_replies(
    tmp_path: Path, api: FakeBotApi
) -> None:
    # U+202E (right-to-left override) in an echoed argument reverses how the rest of the bot's
    # line reads, and a stray U+2069 (PDI) closes the isolate the Arabic reply put around the
    # insert: a user (or a group member) could make the bot's own words read otherwise.
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    user = Chat(api, 2990, language_code="ar")
    hostile = "\u2069\u202eevil\u200b"

    async def scenario(sender: Sender) -> None:
        replies = [
            await user.ask(f"/watch {hostile}"),
            await user.ask(f"/subscribe {hostile}"),
            await user.ask(f"/timezone {hostile}"),
            await user.ask("/list"),
        ]
        for reply in replies:
            assert "\u202e" not in reply, ascii(reply)
            assert "\u200b" not in reply, ascii(reply)
            reads_right_to_left(reply)
            assert "evil" in reply, ascii(reply)

    with_bot(settings, engine, scenario)


# Sector names as people type them: Arabic without the hamza or with ه for ة, or with a hamza
# the name does not have. Each used to get "I don't know" (French without accents: test_choices,
# whose sector names have them; here only that an accented capital still reads).
TYPED_NAMES = [
    ("ar", "/subscribe الإستشراف والذكاء الإصطناعي", "foresight-ai"),
    ("ar", "/subscribe الثقافه والاتصال", "culture"),
    ("ar", "/subscribe العلوم والبيئه", "science"),
    ("fr", "/subscribe ÉDUCATION", "education"),
]


@pytest.mark.parametrize(("lang", "command", "sector"), TYPED_NAMES)
def test_sector_names_typed_without_accents_or_hamza_are_known(
    tmp_path: Path, api: FakeBotApi, lang: str, command: str, sector: str
) -> None:
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    user = Chat(api, 2400, language_code=lang)
    replies: list[str] = []

    async def scenario(sender: Sender) -> None:
        replies.append(await user.ask(command))

    with_bot(settings, engine, scenario)
    [reply] = replies
    assert reply.startswith("تتابع الآن" if lang == "ar" else "Vous suivez maintenant"), reply
    with engine.connect() as conn:
        assert [(s.kind, s.value) for s in list_subscriptions(conn, "2400")] == [("sector", sector)]


@pytest.mark.parametrize(
    ("language_code", "heading", "topic"),
    [
        ("en", "The 2 latest ICESCO news items", "Following topic AI."),
        ("fr", "Les 2 dernières nouvelles de l'ICESCO", "Vous suivez maintenant le thème AI."),
        ("ar", "آخر خبرين من الإيسيسكو", "تتابع الآن موضوع AI."),
    ],
    ids=["en", "fr", "ar"],
)
def test_latest_is_headed_as_the_latest_and_a_topic_takes_its_article(
    tmp_path: Path, api: FakeBotApi, language_code: str, heading: str, topic: str
) -> None:
    # /latest and the welcome headed stored items "2 new ICESCO news items"; French said
    # "Vous suivez maintenant thème AI".
    settings = make_settings(tmp_path, api)
    engine = open_store(settings.storage.url)
    store_new(engine, settings, [news("one", minutes_ago=20), news("two", minutes_ago=10)])
    user = Chat(api, 2400, language_code=language_code)

    async def scenario(sender: Sender) -> None:
        await user.ask("/start")
        await api.wait_for_async(lambda fake: len(fake.messages_to(2400)) == 2)
        welcome_latest = api.messages_to(2400)[1].plain
        latest = await user.ask("/latest")
        for shown in (welcome_latest, latest):
            assert shown.replace(FSI, "").replace(PDI, "").startswith(heading + "\n"), shown
        assert (await user.ask("/subscribe ai")).replace(FSI, "").replace(PDI, "") == topic

    with_bot(settings, engine, scenario)


def test_arabic_status_separates_its_counts_with_the_arabic_comma(
    tmp_path: Path, api: FakeBotApi
) -> None:
    # "قيد الانتظار 0, مُرسلة 0": a Latin comma in an Arabic line.
    settings = make_settings(tmp_path, api, admin_chats=["2500"])
    engine = open_store(settings.storage.url)
    admin = Chat(api, 2500, language_code="ar")

    async def scenario(sender: Sender) -> None:
        status = await admin.ask("/status")
        [counts] = [line for line in status.splitlines() if "قيد الانتظار" in line]
        assert "\u060c " in counts
        assert "," not in counts

    with_bot(settings, engine, scenario)
