"""The model's evidence features beside the words, and rule families switched off for ablation."""

from __future__ import annotations

import pytest

from icesco_watch.config.loader import default_settings
from icesco_watch.config.schema import SectorConfig
from icesco_watch.tagging.model import LinearModel, load_shipped
from icesco_watch.tagging.sectors import SectorClassifier
from icesco_watch.tagging.stacking import LEXICON
from icesco_watch.tagging.weights import CUE, FAMILIES, MODEL_ADD, STACK_P


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


@pytest.mark.parametrize(
    ("title", "lead", "expected"),
    [
        (
            "Le Directeur général de l'ICESCO reçoit l'ambassadeur d'Indonésie",
            "Il a reçu l'ambassadeur pour examiner les moyens de renforcer la coopération.",
            "meet:open",
        ),
        (
            "المدير العام يستقبل سفير إندونيسيا",
            "استقبل المدير العام سفير إندونيسيا وبحثا سبل تعزيز التعاون.",
            "meet:open",
        ),
        (
            "Director-General receives Pakistan's education minister",
            "The Director-General received the minister to discuss teacher training and curricula.",
            "meet:field",
        ),
        (
            # One weak keyword per field: below the rules' bar beside the DG's name, yet named.
            "Director-General receives the Ambassador of Sudan",
            "The Director-General received the ambassador and together they explored cooperation"
            " in the fields of culture and education.",
            "meet:field",
        ),
    ],
)
def test_the_dg_meeting_someone_is_told_apart_by_whether_a_field_is_found(
    title: str, lead: str, expected: str
) -> None:
    rules = SectorClassifier(default_settings().sectors)
    feats = rules.model_features(title, lead)
    assert expected in feats
    (other,) = {"meet:open", "meet:field"} - {expected}
    assert other not in feats
    off = SectorClassifier(default_settings().sectors, off=frozenset({"meeting"}))
    assert not any(f.startswith("meet:") for f in off.model_features(title, lead))


@pytest.mark.parametrize(
    ("title", "lead", "minister"),
    [
        (
            "Director-General receives Senegal's Minister of Culture",
            "They explored avenues for cooperation in the cultural field and heritage.",
            True,
        ),
        (
            "المدير العام للإيسيسكو يلتقي وزير السياحة والآثار المصري",
            "التقى المدير العام الوزير وبحثا التعاون في مجال الحفاظ على التراث.",
            True,
        ),
        (  # an ambassador: cooperation with a state, the settled case's other side
            "Director-General receives the Ambassador of Senegal",
            "They explored avenues for cooperation in the cultural field and heritage.",
            False,
        ),
        (  # a minister with no field: cooperation in general
            "Le Directeur général de l'ICESCO reçoit le ministre sénégalais",
            "Ils ont examiné les moyens de renforcer la coopération.",
            False,
        ),
    ],
)
def test_talks_with_a_minister_about_a_field_are_told_apart(
    title: str, lead: str, minister: bool
) -> None:
    """The guide's settled case: the DG and a state's minister about one field are that field
    (rule 3), an ambassador or an organisation also `partnerships`: a conjunction of three
    findings the model cannot form from single words."""
    sectors = default_settings().sectors
    feats = SectorClassifier(sectors).model_features(title, lead)
    assert ("meet:minister" in feats) is minister
    assert ("meet:field" in feats) is ("cultural" in lead or "التراث" in lead)
    off = SectorClassifier(sectors, off=frozenset({"meeting"}))
    assert not any(f.startswith("meet:") for f in off.model_features(title, lead))


def test_no_meeting_feature_without_someone_met() -> None:
    rules = SectorClassifier(default_settings().sectors)
    feats = rules.model_features(
        "Director-General offers condolences", "The Director-General expressed his condolences."
    )
    assert "rule:governance" in feats
    assert not any(f.startswith("meet:") for f in feats)


def test_the_dg_meeting_someone_with_no_field_lets_the_model_weigh_partnerships() -> None:
    """Rule 3: the DG's talks with no field are cooperation in general. Without a single
    cooperation keyword, the shipped model (0.87 here) may tag partnerships at its usual bar,
    with the meeting as evidence; without the family only the model alone could add it (or the
    lexicon's "receives" concept, which the model has learned to count for partnerships since
    the development set's ambassadors' calls follow rule 3 too)."""
    title = "Le Directeur général de l'ICESCO reçoit le nouveau représentant permanent de la Libye"
    lead = (
        "Le 3 mars 2025 à Rabat, Dr Salim M. AlMalik a reçu au siège de l'Organisation "
        "M. Ali Ahmed, nouveau représentant permanent de la Libye, venu présenter ses lettres."
    )
    sectors = default_settings().sectors
    tags = SectorClassifier(sectors, model=load_shipped()).classify(title, lead)
    assert tags.sectors == ("governance", "partnerships")
    evidence = tags.evidence["partnerships"]
    assert evidence[0] == "the Director-General meets someone, no field named"
    assert evidence[-1].startswith("model ")
    off = SectorClassifier(
        sectors, model=load_shipped(), off=frozenset({"meeting", "model-add", "concept-cue"})
    )
    assert "partnerships" not in off.classify(title, lead).sectors


def _without_culture_keywords() -> list[SectorConfig]:
    return [
        s.model_copy(update={"keywords": [], "strong_keywords": []}) if s.key == "culture" else s
        for s in default_settings().sectors
    ]


@pytest.mark.parametrize(("weight", "tagged"), [(CUE + 6.0, True), (CUE - 0.5, False)])
def test_a_concept_the_model_counts_for_a_sector_stands_in_for_a_missing_keyword(
    weight: float, tagged: bool
) -> None:
    """Words nobody listed: with culture's keywords gone, "patrimoine" still reaches the model
    through the lexicon's heritage concept, when the model has learned to count it for culture
    (weight >= CUE); the model's probability (between STACK_P and MODEL_ADD) decides."""
    sectors = _without_culture_keywords()
    bias = 0.4 - weight * LEXICON  # the concept alone gives z = 0.4, p = 0.60
    model = LinearModel(
        {s.key: -6.0 for s in sectors} | {"culture": bias},
        {s.key: {} for s in sectors} | {"culture": {"k:heritage": weight}},
    )
    title = "Tombouctou : l'ICESCO soutient la restauration du patrimoine"
    lead = "Les experts ont présenté un plan de restauration du patrimoine de la ville malienne."
    tags = SectorClassifier(sectors, model=model).classify(title, lead)
    p = model.probabilities(SectorClassifier(sectors).model_features(title, lead))["culture"]
    assert STACK_P < p < MODEL_ADD
    assert ("culture" in tags.sectors) is tagged
    if tagged:
        assert tags.evidence["culture"] == ("concept 'heritage'", f"model {p:.2f}")
    off = SectorClassifier(sectors, model=model, off=frozenset({"concept-cue"}))
    assert "culture" not in off.classify(title, lead).sectors


def test_a_notion_counts_for_the_sector_that_lists_it_in_another_language() -> None:
    english_only = [
        s.model_copy(update={"keywords": [], "strong_keywords": ["teachers", "heritage"]})
        if s.key in ("education", "culture")
        else s
        for s in default_settings().sectors
    ]
    rules = SectorClassifier(english_only)
    feats = rules.model_features("Patrimoine", "La formation des enseignants a commencé.")
    assert {"via:education", "via:culture"} <= set(feats)
    assert not any(f.startswith("rule:") for f in feats)  # no French keyword is listed
    off = SectorClassifier(english_only, off=frozenset({"bridge"}))
    assert not any(f.startswith("via:") for f in off.model_features("Patrimoine", "Enseignants"))
