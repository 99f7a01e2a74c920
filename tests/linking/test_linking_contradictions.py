"""What one version names and the other lacks or contradicts (linking_contradictions)."""

from __future__ import annotations

from datetime import date

from icesco_watch.linking_contradictions import PLACE_MISSING, contradictions
from icesco_watch.linking_features import LinkDoc, features


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
