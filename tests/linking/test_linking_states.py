"""States in the linker's tables: named in either script and in the adjective form alike, one
audience's versions are linked and another state's audience on the same day is not."""

from __future__ import annotations

from datetime import date

from icesco_watch.linking import NAMES_CAP, LinkDoc, score
from icesco_watch.linking_features import features
from icesco_watch.linking_terms import CITIES, PLACES, STATES
from tests.linking.real import doc, linked

DAY = date(2021, 10, 13)


def _title_places(lang: str, title: str) -> frozenset[str]:
    return features(LinkDoc(f"{lang}:{title}", lang, DAY, title)).title_places


def test_a_state_is_a_place_by_its_name_or_adjective_in_each_script() -> None:
    assert PLACES == {**CITIES, **STATES}
    for state, titles in {
        "ukraine": (
            ("en", "ICESCO's dialogue centre and a Ukrainian counterpart"),
            ("fr", "Le Centre de l'ICESCO se rapproche d'un centre ukrainien"),
            ("ar", "مركز الحوار في الإيسيسكو يبحث التعاون مع مركز أوكراني"),
        ),
        "brazil": (
            ("en", "New observer Brazil"),
            ("fr", "Un partenariat brésilien"),
            ("ar", "الإيسيسكو والبرازيل تبحثان توسيع التعاون"),
        ),
        "gabon": (
            ("fr", "Le ministre gabonais en visite"),
            ("ar", "السفير الغابوني في الإيسيسكو"),
        ),
        "turkey": (("en", "Director-General visits Türkiye's embassy"), ("ar", "السفارة التركية")),
    }.items():
        for lang, title in titles:
            assert state in _title_places(lang, title), (state, title)


def test_a_word_that_only_starts_like_a_state_is_not_it() -> None:
    # "التركيز" is focus, not Turkish; "Nigeria" is not Niger; "recueil" is no audience.
    assert "turkey" not in _title_places("ar", "التركيز على التعليم")
    assert _title_places("en", "Students from Nigeria") == {"nigeria"}
    assert "meeting" not in features(LinkDoc("f", "fr", DAY, "Un recueil de poèmes")).acts


def test_one_ambassadors_audience_is_linked_and_not_another_states_on_the_same_day() -> None:
    gabon_ar = doc("ar", "2020-08-19", "سفير الغابون")
    gabon_fr = doc("fr", "2020-08-19", "Rabat : l'ambassadeur du Gabon")
    saudi_en = doc("en", "2020-08-19", "Director-General meets the Saudi ambassador")
    match = score(gabon_ar, gabon_fr)
    # "Reçu par" is an audience as "يبحث" is: the same act, reported from either side.
    assert "the titles report the same act: meeting" in match.evidence
    assert "in both titles: gabon" in match.evidence
    assert linked(gabon_ar, gabon_fr)
    assert not linked(gabon_ar, saudi_en)
    assert not linked(gabon_fr, saudi_en)
    assert any("titles name different places" in e for e in score(gabon_fr, saudi_en).evidence)


def test_a_partner_named_by_its_adjective_links_its_versions() -> None:
    ukraine_en = doc("en", "2021-10-13", "ICESCO's dialogue centre and a Ukrainian")
    ukraine_fr = doc("fr", "2021-10-13", "Dialogue civilisationnel")
    assert "in both titles: ukraine" in score(ukraine_en, ukraine_fr).evidence
    assert linked(ukraine_en, ukraine_fr)
    brazil_ar = doc("ar", "2024-09-04", "بعد انضمامها مراقبا")
    brazil_en = doc("en", "2024-09-05", "New observer Brazil")
    assert linked(brazil_ar, brazil_en)
    # Benin's and Indonesia's audiences on one day stay apart.
    benin_fr = doc("fr", "2020-09-10", "Le Bénin et l'ICESCO")
    indonesia_en = doc("en", "2020-09-10", "ICESCO and Indonesia")
    assert not linked(benin_fr, indonesia_en)


def test_a_request_and_an_audience_are_two_acts() -> None:
    # A state asking to join, and later its ambassador's audience: one partner, two stories.
    asks = LinkDoc("f", "fr", DAY, "Le Brésil demande à rejoindre l'ICESCO comme observateur")
    visit = LinkDoc("e", "en", DAY, "The Director-General visits Brazil's embassy")
    assert any(
        e.startswith("the titles report different acts: meeting, request")
        for e in score(asks, visit).evidence
    )


def test_one_persons_full_name_weighs_at_most_the_names_cap() -> None:
    text = "with Alexandre Guido Lopes Parola and Ms Beatriz Nunes"
    en = LinkDoc("e", "en", DAY, "An audience", f"The meeting {text}.")
    fr = LinkDoc("f", "fr", DAY, "Une audience", f"La rencontre {text}.")
    bare_en = LinkDoc("e", "en", DAY, "An audience", "The meeting.")
    bare_fr = LinkDoc("f", "fr", DAY, "Une audience", "La rencontre.")
    named = score(en, fr)
    assert any(e.startswith("names: alexandre") for e in named.evidence)
    # Six shared names, each 1.0, weigh NAMES_CAP together.
    assert named.score - score(bare_en, bare_fr).score == NAMES_CAP
