"""What the linker reads of one item (icesco_watch/linking_features.py)."""

from __future__ import annotations

from datetime import date

from icesco_watch.linking_features import LinkDoc, features, skeleton


def _en(title: str, text: str = "") -> LinkDoc:
    return LinkDoc("k", "en", date(2025, 3, 4), title, text)


def test_names_are_proper_names_not_a_sentences_first_word() -> None:
    text = "Speakers said. They met Dr. Raheel Qamar, with Kofi Annan.\nJournée in Samarkand"
    assert features(_en("Webinar", text)).names == {"raheel", "qamar", "kofi", "annan"}


def test_common_names_months_officials_places_and_table_words_are_not_names() -> None:
    text = (
        "On Monday 3 March, ICESCO's Director-General Salim AlMalik, Ramata Almamy Mbaye "
        "and Mohammed Alaoui met in Baku at the World Heritage Committee about COVID-19 "
        "with Mondiacult"
    )
    # Baku is a place and Heritage a word of the tables: counted there, not again as names.
    assert features(_en("Meeting", text)).names == {"committee", "alaoui"}


def test_a_titles_names_are_those_its_body_capitalises_too() -> None:
    doc = _en("Samarkand launched as Culture Capital", "the Culture Capital year in Samarkand")
    assert doc.title.startswith("Samarkand")
    assert features(doc).title_names == {"capital"}


def test_the_day_of_an_event_in_the_headline() -> None:
    assert features(_en("Conference opens in Muscat")).phases == {"opening"}
    assert features(_en("Second day of the conference opens")).phases == {"second-day"}
    assert features(_en("PISA conference ends in Baku")).phases == {"closing"}
    fr = LinkDoc("f", "fr", date(2025, 3, 4), "Le Caire : la conférence s'achève")
    ar = LinkDoc("a", "ar", date(2025, 3, 4), "افتتاح مؤتمر وزراء التربية")
    assert features(fr).phases == {"closing"}
    assert features(ar).phases == {"opening"}
    assert features(_en("The weekend of reading")).phases == frozenset()


def test_the_directors_names_and_the_months_are_no_arabic_sound() -> None:
    ar = LinkDoc(
        "a", "ar", date(2025, 10, 6), "ندوة", "في أكتوبر قال سالم بن محمد المالك مع رحيل قمر"
    )
    assert features(ar).sounds >= {"rhl", "kmr"}
    assert not features(ar).sounds & {"ktbr", "slm", "mhmd", "mlk"}
    assert skeleton("raheel") == skeleton("رحيل") == "rhl"


def test_what_a_headline_reports_being_done() -> None:
    assert features(_en("Leyla Aliyeva tours ICESCO's COP29 pavilion")).acts == {"meeting"}
    assert features(_en("Le DG reçoit l'ambassadeur")).acts == {"meeting"}
    assert features(_en("ICESCO and Chad sign an agreement")).acts == {"signing"}
    assert features(_en("ICESCO launches its youth year")).acts == {"opening"}
    ar = LinkDoc("a", "ar", date(2025, 3, 4), "توقيع مذكرة تفاهم بين الإيسيسكو وتشاد")
    assert features(ar).acts == {"signing"}
    # "Significant" is no signing; a headline about a report reports no act.
    assert features(_en("A significant report on literacy")).acts == frozenset()


def test_a_medal_is_an_award_in_each_language() -> None:
    assert features(_en("Tokayev gives the DG the Medal of Honor")).acts == {"award"}
    assert features(_en("Le DG reçoit la médaille d'honneur")).acts >= {"award"}
    ar = LinkDoc("a", "ar", date(2025, 9, 17), "توقاييف يقلّد المدير العام وسام الشرف")
    assert features(ar).acts == {"award"}


def test_a_latin_name_spelt_with_al_keeps_its_first_letters_in_arabic() -> None:
    # "ألكسندر" is Alexandre, not the article on "كسندر": both readings are kept, and the
    # article's words still lose it ("الرباط": rbt).
    ar = LinkDoc("a", "ar", date(2024, 9, 4), "لقاء", "التقى السفير ألكسندر في الرباط")
    en = LinkDoc("e", "en", date(2024, 9, 4), "Talks", "He met Ambassador Alexandre there.")
    assert skeleton("Alexandre".lower()) == "lksndr"
    assert {"lksndr", "ksndr", "rbt"} <= features(ar).sounds
    assert "lksndr" in features(en).sounds


def test_a_city_at_an_arabic_words_start_not_inside_a_longer_word() -> None:
    # "بدبي" is in Dubai; "الأدبية" (literary) holds the same letters inside.
    def places(lang: str, title: str) -> frozenset[str]:
        return features(LinkDoc(title, lang, date(2025, 11, 20), title)).places

    assert places("ar", "في قمة المعرفة بدبي") == {"dubai"}
    assert places("ar", "دبي تستضيف القمة") == {"dubai"}
    assert places("ar", "الجائزة الأدبية") == frozenset()
    assert places("fr", "Dubaï : une table ronde") == {"dubai"}


def test_a_meeting_held_online_in_each_language() -> None:
    for lang, title in (
        ("en", "Online meeting of National Commissions from 56 countries"),
        ("fr", "Chaires de l'ICESCO : réunion en ligne avec des universitaires"),
        ("ar", "اللجان الوطنية لـ56 دولة تجتمع افتراضيا مع الإيسيسكو"),
        ("ar", "اجتماع عن بعد لتحضير مشروع كراسي الإيسيسكو"),
    ):
        assert "online" in features(LinkDoc("k", lang, date(2020, 6, 22), title)).title_concepts
    # Met in the hall: nothing online.
    assert "online" not in features(_en("Ministers meet in Rabat", "in the hall")).concepts
