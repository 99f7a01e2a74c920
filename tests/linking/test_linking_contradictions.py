"""What one version names and the other lacks or contradicts (linking_contradictions)."""

from __future__ import annotations

from datetime import date

from icesco_watch.linking_contradictions import OTHER_DAYS, PLACE_MISSING, contradictions
from icesco_watch.linking_features import LinkDoc, features
from tests.linking.real import doc, linked


def _against(a: LinkDoc, b: LinkDoc) -> tuple[float, list[str]]:
    evidence: list[str] = []
    return contradictions(a, features(a), b, features(b), evidence), evidence


def _doc(key: str, lang: str, title: str, text: str = "") -> LinkDoc:
    return LinkDoc(key, lang, date(2024, 3, 5), title, text)


def test_a_headlines_place_missing_in_the_other_version_in_either_direction() -> None:
    kampala = _doc("fr", "fr", "Kampala : 100 jeunes ambassadeurs", "à l'Université")
    webinar = _doc("en", "en", "100 new youth ambassadors", "a webinar")
    for a, b in ((kampala, webinar), (webinar, kampala)):
        total, evidence = _against(a, b)
        assert total == -PLACE_MISSING
        assert evidence == ["a title's place missing in the other: kampala"]
    # Named in the other version's body: where the story happened is in both.
    there = _doc("en", "en", "100 new youth ambassadors", "at Kampala University")
    assert _against(kampala, there) == (0.0, [])


def test_two_titles_naming_different_places_count_once_not_also_as_missing() -> None:
    kampala = _doc("fr", "fr", "Kampala : 100 jeunes ambassadeurs")
    dhaka = _doc("en", "en", "In Dhaka, 100 youth ambassadors")
    total, evidence = _against(kampala, dhaka)
    assert evidence[0] == "titles name different places: dhaka, kampala"
    assert not any("place missing" in e for e in evidence)
    assert total == -4.0 - 2.0  # and no place in common anywhere (-2)


def test_a_visits_talks_and_its_closing_press_conference_are_two_stories() -> None:
    # The Director-General in Baku: talks on the visit's first day (11 January), a joint press
    # conference at its end (14 January): different acts, stated days three days apart.
    talks = _doc(
        "en",
        "en",
        "Baku visit opens with the Director-General's talks with the culture minister",
        "Opening an official visit on 11 January, he met Mr Anar Karimov in Baku.",
    )
    press = _doc(
        "fr",
        "fr",
        "Bakou : conférence de presse commune du Directeur général et du ministre",
        "Il a tenu le 14 janvier à Bakou une conférence de presse avec M. Anar Karimov.",
    )
    assert features(press).acts == {"press"}
    for a, b in ((talks, press), (press, talks)):
        total, evidence = _against(a, b)
        assert "the titles report different acts: meeting, opening, press" in evidence
        assert "the texts state days 3 days apart" in evidence
        assert total == -2.0 - OTHER_DAYS
    # The same act on the same day: nothing against.
    same = _doc("en", "en", "Baku: the DG's joint press conference", "On 14 January, in Baku.")
    assert _against(same, press) == (0.0, [])


def test_ministers_who_talk_cooperation_meet() -> None:
    # "parlent coopération": two people talking is a meeting, as "discute" or يناقشان.
    fr = _doc("fr", "fr", "Niamey : le DG et le ministre nigérien parlent coopération éducative")
    ar = _doc("ar", "ar", "المدير العام ووزير التعليم في النيجر يناقشان التعاون التربوي")
    assert features(fr).acts == features(ar).acts == {"meeting"}
    assert features(_doc("fr", "fr", "Le ministre parle de l'école")).acts == frozenset()


def test_a_number_one_headline_carries_is_forgiven_when_both_name_the_same_session() -> None:
    # "Peace and Security 360": the programme's name in one headline only. Both headlines state
    # its seventh session, so the 360 is no other event's count.
    en = _doc("en", "en", "Peace and Security 360: seventh session of the youth training")
    ar = _doc("ar", "ar", "السلام والأمن من كل الزوايا: الدورة السابعة من برنامج تدريب الشباب")
    assert features(en).title_ordinals == features(ar).title_ordinals == {"#7"}
    assert _against(en, ar) == (0.0, [])
    # Another session, or none stated in the other headline: the number counts against.
    eighth = _doc("ar", "ar", "السلام والأمن: الدورة الثامنة من برنامج تدريب الشباب")
    assert _against(en, eighth) == (-2.0, ["a title's number missing in the other: 360"])
    # "Second" and "third" are everyday words: they prove no session.
    second = _doc("en", "en", "Peace and Security 360: the second pillar of youth training")
    other = _doc("ar", "ar", "الدورة الثانية من برنامج تدريب الشباب")
    assert _against(second, other) == (-2.0, ["a title's number missing in the other: 360"])


def test_real_one_visits_two_stories_stay_apart_and_a_storys_versions_link() -> None:
    # The corpus: Baku's opening talks (EN, 12 January 2021) and the closing press conference
    # (FR, 15 January) are not linked; the Niamey talks in Arabic and French, and the seventh
    # session of the youth leadership training in Arabic and English, are.
    assert not linked(
        doc("en", "2021-01-12", "Baku visit opens"), doc("fr", "2021-01-15", "Bakou : conf")
    )
    assert linked(
        doc("ar", "2020-01-08", "في نيامي: المدير العام"), doc("fr", "2020-01-08", "Niamey")
    )
    assert linked(doc("ar", "2021-08-31", "السلام والأمن"), doc("en", "2021-09-01", "Peace and"))
