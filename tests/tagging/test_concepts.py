"""The trilingual concept lexicon: one notion, one feature, in English, French and Arabic."""

from __future__ import annotations

import pytest

from icesco_watch.config.loader import default_settings
from icesco_watch.tagging.concepts import LEXICON, Concepts
from icesco_watch.tagging.sectors import FAMILIES, SectorClassifier
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


def test_lexicon_features_come_from_the_masked_title_and_lead() -> None:
    rules = SectorClassifier(default_settings().sectors)
    feats = rules.model_features(
        "L'ICESCO et le ministre de la Culture signent un mémorandum",
        "Le mémorandum porte sur la formation des enseignants.",
    )
    assert {"k:agreement", "tk:agreement", "k:teacher", "k:training"} <= set(feats)
    assert "tk:teacher" not in feats  # not in the title
    assert "k:culture" not in feats  # the minister's title is masked


def test_a_family_switched_off_changes_what_the_model_sees() -> None:
    sectors = default_settings().sectors
    title, lead = "ICESCO and Indonesia discuss cooperation", "Teachers and schools were discussed."
    on = SectorClassifier(sectors).model_features(title, lead)
    off = SectorClassifier(sectors, off=frozenset({"lexicon", "pair"})).model_features(title, lead)
    assert {"k:teacher", "pair:icesco"} <= set(on)
    assert not any(f.startswith(("k:", "tk:", "pair:")) for f in off)
    with pytest.raises(ValueError, match="unknown rule families"):
        SectorClassifier(sectors, off=frozenset({"nonsense"}))
    assert "lexicon" in FAMILIES
