"""The days an item's text states, and versions stating days far apart (linking_dates)."""

from __future__ import annotations

from datetime import date

from icesco_watch.linking import Linker
from icesco_watch.linking_contradictions import DAYS_APART, OTHER_DAYS, contradictions
from icesco_watch.linking_dates import day_gap, stated_days
from icesco_watch.linking_features import LinkDoc, features
from icesco_watch.tagging.text import fold
from tests.linking.real import doc, linked


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
    # A range states each of its days; "1er" is the first.
    assert _days("les 18 et 19 décembre 2022") == [353, 354]
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
    assert evidence == ["the texts state days 95 days apart"]
    # 23 March and 19 December are 95 days apart round the year's end (the year is often left
    # out of a stated day). Within DAYS_APART: a session's day in one version, the day it was
    # reported in the other.
    near = _doc("fr", "fr", "Une conférence en Malaisie", f"Le {23 + DAYS_APART} mars, Dr Ibrahim")
    assert contradictions(lecture, features(lecture), near, features(near), []) == 0.0


def test_a_sessions_opening_and_its_closing_state_days_apart() -> None:
    # One commission, one session, two stories four days apart: its opening (15 December) and
    # the accounts it adopted at its closing (19 December).
    closing = doc("ar", "2025-12-19", "لجنة المراقبة المالية تعتمد حسابات")
    opening = doc("fr", "2025-12-15", "Rabat : la Commission de contrôle financier")
    gap = day_gap(features(closing).days, features(opening).days)
    assert gap is not None
    assert gap > DAYS_APART
    evidence = Linker([closing, opening]).score(closing, opening).evidence
    assert f"the texts state days {gap} days apart" in evidence
    assert not linked(closing, opening)


def test_a_conferences_range_of_days_holds_each_of_its_days() -> None:
    # COP30 "(10-21 نوفمبر)" in one version, "du 10 au 21 novembre" in the other: both the whole
    # range (as only its first or last day, they were eleven days apart).
    cop30 = list(range(315, 327))
    assert _days("(10-21 نوفمبر 2025)") == _days("du 10 au 21 novembre 2025") == cop30
    assert _days("من 3 إلى 5 مايو") == [124, 125, 126]
    assert _days("يومي 14 و15 مايو") == [135, 136]


def test_a_storys_versions_state_days_close_together() -> None:
    # The Heritage Committee's session: "(10-12 فبراير)", "from 10 to 12 February" (read as
    # their first and last days they were two days apart).
    ar = doc("ar", "2026-02-12", "لجنة التراث")
    en = doc("en", "2026-02-12", "Heritage Committee adds 117")
    gap = day_gap(features(ar).days, features(en).days)
    assert gap is not None
    assert gap == 0
    assert not any("state days" in e for e in Linker([ar, en]).score(ar, en).evidence)
