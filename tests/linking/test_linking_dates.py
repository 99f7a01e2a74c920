"""The days an item's text states, and versions stating days far apart (linking_dates)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from icesco_watch.linking import Linker
from icesco_watch.linking_contradictions import DAYS_APART, OTHER_DAYS, contradictions
from icesco_watch.linking_dates import day_gap, stated_days
from icesco_watch.linking_features import LinkDoc, features
from icesco_watch.tagging.text import fold
from tests.linking.real import doc


def _days(text: str) -> list[int]:
    return sorted(stated_days(fold(text)))


def test_one_day_stated_in_each_language_and_way_round() -> None:
    # 14 May is the 135th day of a leap year, whichever way and script it is written.
    for text in (
        "on Wednesday 14 May 2024",
        "May 14, 2024",
        "le mercredi 14 mai 2024",
        "يوم الأربعاء 14 مايو 2024",
        "في 14 أيار",
        "في ١٤ ماي",
    ):
        assert _days(text) == [135], text
    # A range states its first day; "1er" is the first.
    assert _days("les 18 et 19 décembre 2022") == [353]
    assert _days("le 1er mars") == [61]


def test_a_month_without_its_day_or_inside_a_word_is_no_day() -> None:
    assert _days("en mars 2019, à la maison de Marseille") == []
    assert _days("the summit in September; 2024 May bring more") == []
    assert _days("الإيسيسكو تشارك في المؤتمر") == []


def test_days_apart_round_the_years_end_and_none_when_one_states_none() -> None:
    assert day_gap(frozenset({366}), frozenset({2})) == 2
    assert day_gap(frozenset({135, 255}), frozenset({253})) == 2
    assert day_gap(frozenset({135}), frozenset()) is None


def _doc(key: str, lang: str, title: str, text: str) -> LinkDoc:
    return LinkDoc(key, lang, date(2024, 9, 12), title, text)


def test_versions_stating_days_more_than_days_apart_count_against() -> None:
    lecture = _doc("en", "en", "A lecture in Malaysia", "Dr Ibrahim lectured on 23 March.")
    later = _doc("fr", "fr", "Deux conférences en Malaisie", "Les 18 et 19 décembre, Dr Ibrahim")
    evidence: list[str] = []
    total = contradictions(lecture, features(lecture), later, features(later), evidence)
    assert total == -OTHER_DAYS
    assert evidence == ["the texts state days 96 days apart"]
    # 23 March and 18 December are 96 days apart round the year's end (the year is often left
    # out of a stated day). Within DAYS_APART: a session's day in one version, the day it was
    # reported in the other.
    near = _doc("fr", "fr", "Une conférence en Malaisie", f"Le {23 + DAYS_APART} mars, Dr Ibrahim")
    assert contradictions(lecture, features(lecture), near, features(near), []) == 0.0


def test_an_assembly_in_may_and_a_summit_in_september_on_one_day_count_against() -> None:
    # Both in Riyadh, both with SDAIA, the May assembly announcing the September summit's
    # charter: folded onto one day (bench/linking_eval.py --dense, 60 days) they linked at 6.5,
    # 3.5 now (the window's other AI stories weigh Riyadh and AI down there, not here).
    may = doc("en", "2024-05-15", "Riyadh GAIN Assembly on AI opens")
    september = doc("fr", "2024-09-12", "Sommet mondial sur l'IA : l'ICESCO et la SDAIA")
    folded = replace(may, published=september.published)
    match = Linker([folded, september]).score(folded, september)
    assert "the texts state days 120 days apart" in match.evidence
    # The same pair, the May day unstated: only the stated days make the difference.
    undated = replace(folded, text=folded.text.replace("14 May", "mid-May"))
    assert features(undated).days == frozenset()
    alone = Linker([undated, september]).score(undated, september)
    assert alone.score - match.score == OTHER_DAYS


def test_a_storys_versions_state_days_close_together() -> None:
    # The Heritage Committee's session: the 10th in one version, the 12th (reported) in another.
    ar = doc("ar", "2026-02-12", "لجنة التراث")
    en = doc("en", "2026-02-12", "Heritage Committee adds 117")
    gap = day_gap(features(ar).days, features(en).days)
    assert gap is not None
    assert gap <= DAYS_APART
    assert not any("state days" in e for e in Linker([ar, en]).score(ar, en).evidence)
