"""What both headlines name beyond their event's umbrella (icesco_watch/linking_story.py)."""

from __future__ import annotations

from datetime import date

from icesco_watch.linking_features import LinkDoc, features
from icesco_watch.linking_story import ACT, FIGURE, NAME, headline


def _doc(key: str, lang: str, title: str, text: str = "") -> LinkDoc:
    return LinkDoc(key, lang, date(2025, 9, 17), title, text)


def _headline(a: LinkDoc, b: LinkDoc) -> tuple[float, list[str]]:
    return headline(a, features(a), b, features(b))


def test_a_name_both_headlines_carry_in_either_script() -> None:
    # Arabic glues "in" on Astana (بأستانا); Tokayev's v is an Arabic f (توقاييف).
    ar = _doc("a", "ar", "توقاييف يكرم المدير العام بأستانا")
    en = _doc("e", "en", "Tokayev honours the Director-General", "Tokayev spoke in Astana.")
    fr = _doc("f", "fr", "Astana : le Directeur général au congrès", "Réunis à Astana")
    total, evidence = _headline(ar, en)
    assert total == NAME
    assert evidence == ["a name in both titles: tkf"]
    assert _headline(ar, fr) == (NAME, ["a name in both titles: stn"])
    # Astana is in the English body, not its headline: no story-level name.
    assert _headline(en, fr) == (0.0, [])


def test_a_number_both_headlines_carry_years_included_but_not_days() -> None:
    ar = _doc("a", "ar", "لجنة المراقبة المالية وحسابات 2024 يوم 19")
    fr = _doc("f", "fr", "La Commission et les comptes 2024 le 19")
    other = _doc("o", "fr", "La Commission examine le budget 2026")
    assert _headline(ar, fr) == (FIGURE, ["a number in both titles: 2024"])
    assert _headline(ar, other) == (0.0, [])


def test_the_same_act_in_both_headlines_and_not_two_different_ones() -> None:
    ar = _doc("a", "ar", "مؤتمر دولي في سمرقند يفتتح عام الثقافة")
    en = _doc("e", "en", "Samarkand launched as Culture Capital", "In Samarkand")
    visit = _doc("v", "en", "The Director-General visits the pavilion")
    assert _headline(ar, en) == (ACT, ["the titles report the same act: opening"])
    assert _headline(ar, visit) == (0.0, [])
    adopts = _doc("a2", "ar", "لجنة المراقبة المالية تعتمد الحسابات")
    adopte = _doc("f", "fr", "La Commission de contrôle financier adopte les comptes")
    assert _headline(adopts, adopte) == (ACT, ["the titles report the same act: adoption"])
