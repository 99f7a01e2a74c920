"""The trilingual concept lexicon: one notion, one feature, in English, French and Arabic."""

from __future__ import annotations

import pytest

from icesco_watch.tagging.concepts import LEXICON, Concepts
from icesco_watch.tagging.text import tokens


@pytest.mark.parametrize(
    "text",
    [
        "Training for teachers of primary schools",
        "Formation des enseignants des écoles primaires",
        "تدريب المعلمين في المدارس الابتدائية",
    ],
)
def test_the_same_notion_is_found_in_every_language(text: str) -> None:
    assert {"teacher", "school", "training"} <= Concepts().found(tokens(text))


def test_a_phrase_is_found_whole_and_only_whole() -> None:
    concepts = Concepts()
    assert "ai" in concepts.found(tokens("Le rapport sur l'intelligence artificielle"))
    assert "ai" not in concepts.found(tokens("L'intelligence des élèves"))
    assert "agreement" in concepts.found(tokens("وقعت الإيسيسكو مذكرة تفاهم"))


def test_every_concept_has_forms_in_three_scripts_or_languages() -> None:
    for concept, forms in LEXICON.items():
        arabic = [f for f in forms if any("\u0600" <= ch <= "\u06ff" for ch in f)]
        assert arabic, concept
        assert len(forms) > len(arabic), concept


def test_a_notion_reaches_the_sectors_that_list_one_of_its_forms() -> None:
    keywords = {"education": ["teachers", "schools"], "culture": ["museum"], "media": ["radio"]}
    bridges = Concepts().sectors_of(keywords)
    assert bridges["teacher"] == ["education"]
    assert bridges["museum"] == ["culture"]
    assert "media" not in bridges  # "radio" is no form of the lexicon
    # So "enseignants", never listed here, counts for education through "teachers".
    found = Concepts().found(tokens("Formation des enseignants"))
    assert {s for c in found for s in bridges.get(c, [])} == {"education"}
