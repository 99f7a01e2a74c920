"""The sector classifier on the built-in taxonomy: units, people, categories, keywords, traps."""

from __future__ import annotations

import pytest

from icesco_watch.config.loader import default_settings
from icesco_watch.config.schema import SectorConfig, SectorNames
from icesco_watch.tagging.sectors import SectorClassifier

NAME_EN = "The Islamic World Educational, Scientific and Cultural Organization (ICESCO)"
NAME_FR = "L'Organisation du monde islamique pour l'éducation, la science et la culture (ICESCO)"
NAME_AR = "منظمة العالم الإسلامي للتربية والعلوم والثقافة (إيسيسكو)"


@pytest.fixture(scope="module")
def classifier() -> SectorClassifier:
    return SectorClassifier(default_settings().sectors)


CASES = [
    # (id, title, text, categories, expected sectors)
    (
        "unit-en",
        "Workshop in Dakar",
        "ICESCO's Education Sector gathered inspectors to review reading programmes.",
        (),
        {"education"},
    ),
    (
        "old-unit-name",
        "Young inventors honoured",
        "The Science and Technology Sector announced the winners of the innovation prize.",
        (),
        {"science"},
    ),
    (
        "unit-fr-without-accents",
        "Atelier a Rabat",
        "Le Secteur de l'education de l'ICESCO a reuni des inspecteurs.",
        (),
        {"education"},
    ),
    (
        "unit-ar-with-clitic",
        "ورشة في الرباط",
        "نظم مركز الحوار الحضاري بالإيسيسكو لقاء حول قيم العيش المشترك.",
        (),
        {"dialogue"},
    ),
    (
        "own-name-only-en",
        "ICESCO expresses condolences",
        f"{NAME_EN} extends its sincere condolences to the families of the victims.",
        (),
        set(),
    ),
    (
        "own-name-only-fr",
        "L'ICESCO présente ses condoléances",
        f"{NAME_FR} exprime sa solidarité avec les familles.",
        (),
        set(),
    ),
    (
        "own-name-only-ar",
        "الإيسيسكو تعزي",
        f"تعرب {NAME_AR} عن خالص تعازيها لأسر الضحايا.",
        (),
        set(),
    ),
    (
        "other-body-unit-en",
        "Regional meeting in Cairo",
        "The Media and Communication Sector of the League of Arab States hosted delegates.",
        (),
        set(),
    ),
    (
        "other-body-unit-ar",
        "اجتماع في القاهرة",
        "استضاف قطاع الإعلام والاتصال بجامعة الدول العربية وفودا من عدة بلدان.",
        (),
        set(),
    ),
    (
        "modifier-makes-another-unit",
        "Visit to Islamabad",
        "An ICESCO team met the Girl Education Sector at the host ministry.",
        (),
        set(),
    ),
    (
        "another-director-general",
        "Meeting in Paris",
        "The UNESCO Director-General welcomed a delegation from Rabat.",
        (),
        set(),
    ),
    (
        "governance-dg-acts",
        "ICESCO Director-General receives the Ambassador of Senegal",
        "Dr. Salim M. AlMalik discussed ways to strengthen ties with the ambassador.",
        (),
        {"governance", "partnerships"},  # an ambassador's call on relations (guide, rule 3)
    ),
    (
        "governance-ar",
        "المدير العام للإيسيسكو يستقبل سفير السنغال",
        "استقبل الدكتور سالم بن محمد المالك سفير السنغال وبحث معه سبل التعاون.",
        (),
        {"governance", "partnerships"},  # cooperation in general with an ambassador (rule 3)
    ),
    (
        "executive-council",
        "Executive Council opens its session",
        "Member States' delegates began examining the draft budget.",
        (),
        {"governance"},
    ),
    (
        "category-slug",
        "A new call for entries",
        "Applications are open until the end of March.",
        ("news", "science-technology"),
        {"science"},
    ),
    (
        "percent-encoded-arabic-category",
        "خبر",
        "تفاصيل لاحقا.",
        ("%D8%A7%D9%84%D9%85%D8%AF%D9%8A%D8%B1-%D8%A7%D9%84%D8%B9%D8%A7%D9%85",),  # المدير-العام
        {"governance"},
    ),
    (
        "glued-category-says-nothing",
        "A new call for entries",
        "Applications are open until the end of March.",
        ("front-pagenewsuncategorized",),
        set(),
    ),
    (
        "person-named",
        "Expert talk",
        "Dr. Kais Hammami presented scenarios for the next decade.",
        (),
        {"foresight-ai"},
    ),
    (
        "keywords-only-en",
        "Training for journalists",
        "Thirty journalists from radio and television stations learned to verify sources.",
        (),
        {"media"},
    ),
    (
        "keywords-only-ar",
        "ترميم المخطوطات",
        "تدرب أمناء المكتبات على ترميم المخطوطات القديمة وحفظها في المتاحف.",
        (),
        {"culture"},
    ),
    (
        "arab-states-is-not-arabic-language",
        "Statement on the Arab States",
        "ICESCO welcomed the summit of Arab States held in Riyadh.",
        (),
        set(),
    ),
    (
        "someone-else-s-strategic-plan-is-not-strategy",
        "Workshop on strategic planning for decision-making",
        "ICESCO's Center of Foresight and Artificial Intelligence trained university managers in "
        "strategic planning; a ministry presented its strategic plan. Planification stratégique.",
        (),
        {"foresight-ai"},
    ),
    (
        "the-future-forum-is-the-foresight-center-s",
        "Le Forum du Futur s'ouvre au siège de l'ICESCO",
        "Deux jours de séances sur le monde de 2040 ont commencé à Rabat.",
        (),
        {"foresight-ai"},
    ),
    (
        "multi-label",
        "MoU signed on teacher training",
        "The ICESCO Director-General and the minister signed a memorandum of understanding "
        "to train teachers and modernise school curricula.",
        (),
        {"governance", "partnerships", "education"},
    ),
]


@pytest.mark.parametrize(
    ("title", "text", "categories", "expected"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_classifies_like_a_careful_reader(
    classifier: SectorClassifier,
    title: str,
    text: str,
    categories: tuple[str, ...],
    expected: set[str],
) -> None:
    assert set(classifier.classify(title, text, categories).sectors) == expected


def test_every_tag_comes_with_readable_evidence(classifier: SectorClassifier) -> None:
    tags = classifier.classify(
        "Mishkat programme graduates", "ICESCO's Education Sector trained Arabic teachers."
    )
    assert set(tags.sectors) == set(tags.evidence)
    assert "mentions 'Education Sector'" in tags.evidence["education"]
    assert any("Mishkat" in reason for reason in tags.evidence["arabic-language"])


def test_the_taxonomy_is_data_an_operator_can_edit() -> None:
    custom = SectorClassifier(
        [
            SectorConfig(
                key="water",
                name=SectorNames(en="Water", fr="Eau", ar="المياه"),
                units=["Water Unit"],
                strong_keywords=["irrigation"],
            )
        ]
    )
    assert custom.classify("Irrigation pilots", "").sectors == ("water",)
    assert custom.classify("News", "The Water Unit met.").evidence == {
        "water": ("mentions 'Water Unit'",)
    }
    assert custom.classify("Education Sector", "").sectors == ()


def test_talks_with_a_minister_about_a_field_stay_in_the_field(
    classifier: SectorClassifier,
) -> None:
    tags = classifier.classify(
        "Director-General and Senegal's culture minister discuss cultural cooperation",
        "Dr. Salim M. AlMalik received the Minister of Culture of Senegal; they discussed "
        "inscribing sites on the Islamic World Heritage List and restoring manuscripts.",
    )
    assert set(tags.sectors) == {"governance", "culture"}


def test_an_agreement_signed_with_a_minister_is_still_a_partnership(
    classifier: SectorClassifier,
) -> None:
    tags = classifier.classify(
        "ICESCO and Chad sign an MoU on literacy",
        "The Director-General and Chad's Minister of Education signed a memorandum of "
        "understanding on literacy classes and teacher training.",
    )
    assert set(tags.sectors) == {"governance", "partnerships", "education"}


def test_honorary_ambassadors_are_not_diplomats(classifier: SectorClassifier) -> None:
    tags = classifier.classify(
        "Youth peace ambassadors certified",
        "ICESCO's Leadership Training for Peace and Security certified 50 young peace "
        "ambassadors from 45 countries.",
    )
    assert "partnerships" not in tags.sectors
    assert "social-sciences" in tags.sectors


def test_cooperation_deep_in_an_article_is_a_side_remark(classifier: SectorClassifier) -> None:
    lead = (
        "Dr. Raheel Qamar, head of ICESCO's Science and Technology Sector, spoke at a "
        "symposium on local climate action in Africa and on adaptation to climate change. "
    )
    filler = "Speakers described drought, floods and crops in the region. " * 12
    tags = classifier.classify(
        "ICESCO at a climate symposium",
        lead + filler + ("The organisers thanked their partners for their cooperation."),
    )
    assert tags.sectors == ("science",)


def test_a_unit_only_present_does_not_decide(classifier: SectorClassifier) -> None:
    tags = classifier.classify(
        "Cultural policies report discussed at ICESCO",
        "The Culture Sector presented its report on cultural policies and heritage, in the "
        "presence of the head of the Strategy and Institutional Excellence Sector.",
    )
    assert tags.sectors == ("culture",)


def test_a_unit_named_once_deep_in_an_article_is_a_remark(classifier: SectorClassifier) -> None:
    lead = (
        "ICESCO held a training on heritage inventories and manuscripts for museum curators "
        "from twelve member states in Rabat. "
    )
    filler = "Trainees documented sites, crafts and collections during field visits. " * 10
    once = "Among the guests was a representative of the Strategy and Institutional Excellence "
    once += "Sector, who closed the session."
    tags = classifier.classify("Heritage inventory training at ICESCO", lead + filler + once)
    assert tags.sectors == ("culture",)
    # The same unit named again in the body: the article is about its work too.
    again = " The Strategy and Institutional Excellence Sector will publish the results."
    tags = classifier.classify(
        "Heritage inventory training at ICESCO", lead + filler + once + again
    )
    assert "strategy" in tags.sectors
    assert tags.evidence["strategy"][0].startswith("mentions ")
    # Within the lead it decides at once, however long the article.
    tags = classifier.classify("Heritage inventory training at ICESCO", once + " " + lead + filler)
    assert "strategy" in tags.sectors
