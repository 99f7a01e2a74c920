"""Words in context: other bodies' units and titles, ordinals, co-organisers, ICESCO's name."""

from __future__ import annotations

import pytest

from icesco_watch.config.loader import default_settings
from icesco_watch.tagging.context import ICESCO, MASKED, Context
from icesco_watch.tagging.sectors import SectorClassifier
from icesco_watch.tagging.text import tokens


@pytest.fixture(scope="module")
def context() -> Context:
    return Context(["culture", "education", "science", "التربيه", "ثقافه"])


@pytest.fixture(scope="module")
def classifier() -> SectorClassifier:
    return SectorClassifier(default_settings().sectors)


def test_icesco_name_becomes_one_neutral_token(context: Context) -> None:
    found = context.tokens("The Islamic World Educational, Scientific and Cultural Organization")
    assert found == ["the", ICESCO]
    assert context.tokens("منظمة العالم الإسلامي للتربية والعلوم والثقافة") == [ICESCO]


@pytest.mark.parametrize(
    "name",
    [
        # How icesco.org's French leads spell it today ("les Sciences"), and the older forms.
        "l'Organisation du Monde Islamique pour l'Éducation, les Sciences et la Culture",
        "l'Organisation du monde islamique pour l'éducation, la science et la culture",
        "l'Organisation islamique pour l'éducation, les sciences et la culture",
        "l'Organisation islamique pour l'éducation, la science et la culture",
    ],
)
def test_every_french_spelling_of_the_name_is_neutral(context: Context, name: str) -> None:
    found = context.tokens(f"{name} (ICESCO) a organisé")
    assert ICESCO in found
    assert not {"education", "science", "culture"} & set(found), found


def test_co_organiser_phrases_are_dropped_but_cooperation_talk_stays(context: Context) -> None:
    assert "cooperation" not in context.tokens("a workshop held in cooperation with the ministry")
    assert "cooperation" in context.tokens("the two sides discussed cooperation with Chad")
    assert "تعاون" not in context.tokens("ورشة بالتعاون مع الوزارة")
    assert "تعاون" in context.tokens("بحث الطرفان التعاون مع تشاد")


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("the Minister of Culture and the Director-General", ["culture"]),
        ("ministre de l'Éducation nationale", ["education", "nationale"]),
        ("وزيرة التربية الوطنية", ["تربيه", "وطنيه"]),
        ("the Faculty of Science hosted", ["science"]),
    ],
)
def test_job_titles_lose_their_field_words(context: Context, text: str, masked: list[str]) -> None:
    found = context.tokens(text)
    context.mask_titles(found)
    assert found.count(MASKED) == len(masked)
    assert not set(masked) & set(found)


def test_a_title_does_not_swallow_what_follows(context: Context) -> None:
    found = context.tokens("the Minister of Culture discussed heritage")
    context.mask_titles(found)
    assert "heritage" in found


@pytest.mark.parametrize(
    ("text", "own"),
    [
        ("the 45th Executive Council", True),
        ("la 13e Conférence générale", True),
        ("ICESCO's Executive Council", True),
        ("the UNESCO Executive Council", False),
        ("adviser to the Director-General", False),
        ("Commission nationale libanaise pour l'UNESCO", False),
        ("the Executive Council of the Arab League", False),
        # ICESCO's leads name the person first, then the office after a comma.
        ("Dr. Abdelilah Benarafa, Deputy Director-General of ICESCO, visited Tunis", True),
        ("M. Ahmed Kamal, Directeur général adjoint de l'ICESCO, a reçu", True),
        ("In Rabat, Director-General of ICESCO opened the forum", True),
        ("Audrey Azoulay, Director-General of UNESCO, opened the forum", False),
        ("Mr. Kamal, UNESCO Director-General, opened the forum", False),
    ],
)
def test_governing_bodies_in_context(classifier: SectorClassifier, text: str, own: bool) -> None:
    tags = classifier.classify("", text)
    assert ("governance" in tags.sectors) is own, tags


def test_arabic_attached_pronouns_match_the_bare_word() -> None:
    assert tokens("قطاعها")[0] == tokens("قطاع")[0]
    assert tokens("ومديرها")[0] == tokens("المدير")[0]
    assert tokens("بالمنظمة")[0] == tokens("منظمتها")[0]
    assert tokens("فيها") == ["فيها"]  # a preposition, not "ف" + "يها"


def test_arabic_titles_mask_only_what_follows(context: Context) -> None:
    found = context.tokens("استقبل المدير العام وزير الثقافة")
    context.mask_titles(found)
    assert found[:3] == context.tokens("استقبل المدير العام")
    assert found[-1] == MASKED


@pytest.mark.parametrize(
    ("title", "joint"),
    [
        ("ICESCO and the OSCE explore cooperation on dialogue", True),
        ("Renforcement des capacités : l'ICESCO et le CAFRAD veulent travailler ensemble", True),
        ("Paix au menu d'une rencontre entre l’ICESCO et une délégation autrichienne", True),
        ("بعد انضمامها مراقبا: الإيسيسكو والبرازيل تبحثان توسيع التعاون", True),
        ("مؤتمر مشترك للإيسيسكو والجامعة العربية في القاهرة", True),
        ("ICESCO condemns repeated raids on worshippers", False),
        ("الإيسيسكو تحيي الذكرى التاسعة والثلاثين لتأسيسها", False),
        ("Education and culture: ICESCO launches a prize", False),
    ],
)
def test_a_title_with_icesco_and_another_body_reads_as_joint(title: str, joint: bool) -> None:
    assert Context.bilateral(title) is joint


def test_an_event_held_in_partnership_with_a_ministry_names_a_co_organiser(
    context: Context,
) -> None:
    assert "شراكه" not in context.tokens("مؤتمر بالشراكة مع وزارة الشباب")
    assert "partenariat" not in context.tokens("un forum en partenariat avec le ministère")
    assert "partnership" in context.tokens("the two sides reviewed their partnership")


def test_what_a_speaker_recalls_is_masked(context: Context) -> None:
    found = context.tokens("He offered condolences, recalling the long cooperation with Mali.")
    context.mask_recalled(found)
    assert "cooperation" not in found
    assert "condolence" in found
    found = context.tokens("il a rappelé les projets menés dans le pays")
    context.mask_recalled(found)
    assert found[:3] == ["il", "a", "rappele"]
    assert set(found[3:]) == {MASKED}


@pytest.mark.parametrize(
    ("text", "attends"),
    [
        ("ندوة بمشاركة مسؤولين وخبراء وباحثين، وألقى فيها المدير العام كلمة", False),
        ("ندوة بمشاركة مسؤولين وخبراء وباحثين والمدير العام", True),
        ("un colloque en présence d'experts, où a été prononcé par le Directeur général", False),
    ],
)
def test_an_act_of_the_name_ends_the_guest_list(context: Context, text: str, attends: bool) -> None:
    found = context.tokens(text)
    head = tokens("المدير العام") if "المدير" in text else tokens("Directeur général")
    start = next(i for i in range(len(found)) if found[i : i + len(head)] == head)
    assert context.attending(found, start) is attends
