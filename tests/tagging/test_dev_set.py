"""The labelled development set: the tagger's quality must not regress below the targets."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from icesco_watch.config.loader import default_settings
from icesco_watch.tagging import Tagger
from icesco_watch.tagging.evaluate import Case, evaluate, load_cases
from icesco_watch.tagging.sectors import SectorClassifier

DEV_SET = Path(__file__).parent / "data" / "sector_cases.jsonl"


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return load_cases(DEV_SET)


def test_the_set_covers_every_sector_in_three_languages(cases: list[Case]) -> None:
    keys = {s.key for s in default_settings().sectors}
    assert len(cases) >= 90
    assert set(Counter(c.lang for c in cases)) == {"en", "fr", "ar"}
    for case in cases:
        assert case.sectors <= keys, case.id
    positives = Counter(key for c in cases for key in c.sectors)
    assert set(positives) == keys
    assert any(not c.sectors for c in cases)  # items where nothing fits are part of the set


def test_macro_f1_and_every_sector_meet_the_targets(cases: list[Case]) -> None:
    settings = default_settings()
    keys = [s.key for s in settings.sectors]
    result = evaluate(SectorClassifier(settings.sectors), cases, keys)
    weak = {k: round(s.f1, 2) for k, s in result.per_sector.items() if s.f1 < 0.7}
    assert not weak, f"sectors below 0.7 F1: {weak}"
    assert result.macro_f1 >= 0.85, f"macro-F1 {result.macro_f1:.3f}"


def test_every_tag_of_the_shipped_tagger_has_evidence(cases: list[Case]) -> None:
    tagger = Tagger(default_settings())
    for case in cases:
        tags, _ = tagger.classify(case.title, case.text, case.categories, case.lang)
        assert set(tags.sectors) == set(tags.evidence), case.id
        assert all(tags.evidence[key] for key in tags.sectors), case.id
