"""The bot's catalogs: every msgid of the code translated in Arabic and French with the same
placeholders, tags and commands; the shipped .mo files compiled from the .po files; the
translator's fallbacks, plurals and right-to-left isolation."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from icesco_watch.digests import ScheduleError, parse_schedule
from icesco_watch.notifiers.telegram.catalogs import (
    TEMPLATE,
    TRANSLATED,
    compiled,
    extract,
    load_po,
    mo_path,
    problems,
)
from icesco_watch.notifiers.telegram.i18n import FSI, PDI, translator, ui_lang_for
from icesco_watch.notifiers.telegram.menu import HELP
from icesco_watch.notifiers.telegram.permissions import NOT_GROUP_ADMIN
from icesco_watch.notifiers.telegram.reasons import explain, explain_schedule
from icesco_watch.store.subscriptions import KEYWORDS_PER_CHAT, SubscriptionError, normalize_value
from icesco_watch.tagging.topics import keyword_problem

ARABIC = re.compile(r"[\u0600-\u06ff]")


@pytest.fixture(scope="module")
def template() -> Catalog:
    return extract()


def _ids(catalog: Catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def test_extraction_finds_the_bots_strings(template: Catalog) -> None:
    ids = _ids(template)
    assert len(ids) > 60
    assert {HELP, NOT_GROUP_ADMIN, "Read more", "Tap a sector to follow or unfollow it:"} <= ids
    assert "{n} new ICESCO news item" in ids  # ngettext, singular as the id


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_catalog_misses_a_string(template: Catalog, lang: str) -> None:
    found = [str(problem) for problem in problems(template, load_po(lang))]
    assert found == [], "run `python tools/i18n.py` and translate:\n" + "\n".join(found)


def test_the_template_in_the_repository_is_the_code_s(template: Catalog) -> None:
    with TEMPLATE.open("rb") as fp:
        stored = read_po(fp)
    assert _ids(stored) == _ids(template), "run `python tools/i18n.py`"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_shipped_mo_files_are_compiled_from_the_po_files(lang: str) -> None:
    assert mo_path(lang).read_bytes() == compiled(load_po(lang)), "run `python tools/i18n.py`"


def test_the_check_catches_missing_fuzzy_and_mismatched_entries(template: Catalog) -> None:
    broken = load_po("fr")
    broken.delete("Read more")
    broken["Sorry: {reason}."].flags.add("fuzzy")
    broken["Following {label}."].string = "Vous suivez {étiquette}."
    broken["Send /help."].string = "Envoyez /aide."
    broken[HELP].string = str(broken[HELP].string).replace("<b>", "").replace("</b>", "")
    found = {(p.msgid, p.reason.split(" in ")[0]) for p in problems(template, broken)}
    assert found == {
        ("Read more", "missing"),
        ("Sorry: {reason}.", "fuzzy"),
        ("Following {label}.", "placeholders differ"),
        ("Send /help.", "commands differ"),
        (HELP, "tags differ"),
    }


@pytest.mark.parametrize(
    ("code", "lang"),
    [
        ("ar", "ar"),
        ("ar-EG", "ar"),
        ("fr", "fr"),
        ("fr-CA", "fr"),
        ("FR", "fr"),
        ("en-GB", "en"),
        ("de", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_a_telegram_language_picks_the_interface_language(code: str | None, lang: str) -> None:
    assert ui_lang_for(code) == lang


def test_an_unknown_locale_is_english_and_translators_are_cached() -> None:
    assert translator("de").gettext("Read more") == "Read more"
    assert translator(None).locale == "en"
    assert translator("fr") is translator("fr")
    assert translator("fr").gettext("Read more") == "Lire la suite"
    assert translator("ar").gettext("Read more") == "اقرأ المزيد"
    assert translator("fr").gettext("not a msgid {x}", x=1) == "not a msgid 1"


def test_plurals_follow_each_language() -> None:
    def removed(lang: str, n: int) -> str:
        return translator(lang).ngettext(
            "Removed {n} subscription.", "Removed {n} subscriptions.", n
        )

    assert [removed("en", n) for n in (1, 2)] == [
        "Removed 1 subscription.",
        "Removed 2 subscriptions.",
    ]
    assert [removed("fr", n) for n in (0, 1, 2)] == [
        "0 abonnement supprimé.",
        "1 abonnement supprimé.",
        "2 abonnements supprimés.",
    ]
    arabic = [removed("ar", n).replace(FSI, "").replace(PDI, "") for n in (1, 2, 3, 11, 100)]
    assert arabic == [
        "حُذف اشتراك واحد.",
        "حُذف اشتراكان.",
        "حُذفت 3 اشتراكات.",
        "حُذف 11 اشتراكًا.",
        "حُذف 100 اشتراك.",
    ]


def test_arabic_isolates_latin_inserts_and_commands_only() -> None:
    ar, en = translator("ar"), translator("en")
    following = ar.gettext("Following {label}.", label="Education (#education)")
    assert following == f"تتابع الآن {FSI}Education (#education){PDI}."
    assert ar.gettext("Following {label}.", label="التربية") == "تتابع الآن التربية."
    welcome = ar.gettext(
        "Welcome! You will get alerts for ICESCO news you follow. "
        "Start with /sectors, or /subscribe all for everything."
    )
    assert f"{FSI}/sectors{PDI}،" in welcome
    assert f"{FSI}/subscribe all{PDI} " in welcome
    assert ARABIC.search(welcome)
    assert FSI not in en.gettext("Following {label}.", label="Education (#education)")
    assert FSI not in translator("fr").gettext("Send /help.")


def test_the_catalogs_ship_as_package_data() -> None:
    """A plain `pip install` (no build step) must carry what `translator` loads."""
    root = Path(__file__).resolve().parents[3]
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["icesco_watch"]
    package = root / "icesco_watch"
    shipped = {path for pattern in globs for path in package.glob(pattern)}
    for lang in TRANSLATED:
        assert mo_path(lang) in shipped
        assert mo_path(lang).with_suffix(".po") in shipped


@pytest.mark.parametrize(
    "keyword", ["!!!", " ".join(["word"] * 9), "a" * 101], ids=["no-letter", "words", "chars"]
)
def test_the_reasons_a_keyword_is_refused_are_translated(keyword: str) -> None:
    """Every rule the store refuses a keyword by is translated by its code: a rule added
    without a msgid fails here rather than showing English inside a translated reply."""
    with pytest.raises(SubscriptionError) as refused:
        normalize_value("keyword", keyword)
    problem = keyword_problem(keyword)
    assert problem is not None
    assert refused.value.reason == problem.code
    english = explain(translator("en"), refused.value)
    assert english == str(refused.value)  # the msgid is the store's own English
    assert explain(translator("fr"), refused.value) != english
    assert ARABIC.search(explain(translator("ar"), refused.value))


def test_the_keyword_limit_per_chat_is_translated() -> None:
    full = SubscriptionError("the store's words may change", "too-many-keywords")
    assert (
        explain(translator("fr"), full) == f"au plus {KEYWORDS_PER_CHAT} mots-clés par conversation"
    )
    unknown = SubscriptionError("'x y' is not a sector key", "not-a-key")
    assert explain(translator("fr"), unknown) == "'x y' is not a sector key"


@pytest.mark.parametrize(
    "given",
    ["sometimes", "", "weekly mon", "weekly someday 08:00", "daily", "daily 24:00", "daily 8h"],
)
def test_every_reason_a_schedule_is_refused_is_translated(given: str) -> None:
    """Every reason `parse_schedule` gives is recognised: a new rule without a msgid fails here
    rather than showing English inside a translated reply."""
    with pytest.raises(ScheduleError) as refused:
        parse_schedule(given)
    raw = str(refused.value).split(";")[0]
    english = explain_schedule(translator("en"), refused.value)
    assert english != raw  # our msgid, not the parser's text
    assert "'" not in english
    french = explain_schedule(translator("fr"), refused.value)
    assert french != english
    assert ARABIC.search(explain_schedule(translator("ar"), refused.value))
