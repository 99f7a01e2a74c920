"""Stand-ins for unseen news: which keywords cross-validation holds out of the taxonomy."""

from __future__ import annotations

from icesco_watch.config.loader import default_settings
from icesco_watch.config.schema import SectorConfig
from icesco_watch.tagging.evaluate import Case
from icesco_watch.tagging.holdout import (
    KINDS,
    describe,
    family,
    hold_out,
    hold_out_keywords,
    stand_in,
)


def count(sectors: list[SectorConfig]) -> int:
    return sum(len(getattr(s, kind)) for s in sectors for kind in KINDS)


def names(sectors: list[SectorConfig]) -> set[str]:
    return {k for s in sectors for kind in KINDS for k in getattr(s, kind)}


def case(lang: str, text: str) -> Case:
    return Case(f"{lang}-1", lang, "", text, (), frozenset())


def test_held_out_keywords_are_a_seeded_share_and_names_stay() -> None:
    sectors = default_settings().sectors
    held = hold_out_keywords(sectors, 0.3, seed=1)
    assert held == hold_out_keywords(sectors, 0.3, seed=1)
    assert held != hold_out_keywords(sectors, 0.3, seed=2)
    assert 0.6 * count(sectors) < count(held) < 0.8 * count(sectors)
    for old, new in zip(sectors, held, strict=True):
        assert (new.units, new.people, new.categories) == (old.units, old.people, old.categories)
        assert set(new.strong_keywords) <= set(old.strong_keywords)


def test_a_family_is_a_word_with_its_inflections_and_translations() -> None:
    # One lexicon notion in three languages, and inflections the lexicon does not list.
    assert family("teachers") == family("enseignants") == family("المعلمين") == "c:teacher"
    assert family("éducatif") == family("educational") == family("education") == "c:education"
    assert family("patrimonial") == family("patrimoine") == "c:heritage"
    # An international day belongs to its field's family, not to every other day's.
    assert family("International Day of Education") == "c:education"
    assert family("scolarisation") == family("scolaire") == "c:school"
    # Words no notion lists: their stem prefix; shared prefixes are not a notion's family.
    assert family("astronomy") == family("astronomie") == "p:astro"
    assert family("communication") != family("commun")


def test_family_hold_out_drops_whole_families_by_seed() -> None:
    sectors = default_settings().sectors
    held = hold_out(sectors, "family", 0.3, seed=1)
    assert held == hold_out(sectors, "family", 0.3, seed=1)
    assert held != hold_out(sectors, "family", 0.3, seed=2)
    kept, gone = names(held), names(sectors) - names(held)
    assert 0.5 * count(sectors) < count(held) < 0.9 * count(sectors)
    # No family is split: a dropped word's relatives are dropped with it.
    assert {family(k) for k in kept}.isdisjoint({family(k) for k in gone})
    for old, new in zip(sectors, held, strict=True):
        assert (new.units, new.people, new.categories) == (old.units, old.people, old.categories)


def test_language_hold_out_drops_one_language_and_keeps_cognates() -> None:
    sectors = default_settings().sectors
    cases = [
        case("en", "Culture and youth in schools"),
        case("fr", "La culture, le patrimoine, les enseignants et les jeunes"),
    ]
    held = names(hold_out(sectors, "lang-fr", 0.0, cases=cases))
    # French spelling, or seen only in French items: gone; shared with English: kept.
    assert {"enseignants", "patrimoine", "jeunes"}.isdisjoint(held)
    assert {"culture", "teachers", "المعلمين"} <= held
    arabic = names(hold_out(sectors, "lang-ar", 0.0, cases=cases))
    assert "المعلمين" not in arabic
    assert {"teachers", "enseignants"} <= arabic


def test_bench_options_name_one_stand_in() -> None:
    assert stand_in(None, 0.0) == (None, 0.0)
    assert stand_in(None, 0.3) == ("word", 0.3)
    assert stand_in("family", 0.0) == ("family", 0.3)
    assert describe("family", 0.3, 2) == "30% of keyword families held out (seed 2)"
    assert describe("lang-fr", 0.3, 1) == "every FR keyword held out"
