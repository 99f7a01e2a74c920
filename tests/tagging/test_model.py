"""The learned component: features, training, the JSON it ships as, its place beside the rules."""

from __future__ import annotations

from dataclasses import replace

import pytest

from icesco_watch.config.loader import default_settings
from icesco_watch.tagging.corpus import corpus_present, load_corpus
from icesco_watch.tagging.evaluate import Case
from icesco_watch.tagging.model import SHIPPED, LinearModel, features, load_shipped, train
from icesco_watch.tagging.sectors import SectorClassifier
from icesco_watch.tagging.text import tokens
from icesco_watch.tagging.training import cross_validate, cross_validate_views, fit_model
from icesco_watch.tagging.weights import LONG_TEXT, MODEL_ADD, MODEL_ADD_BY_ACTOR


def test_features_leave_out_icesco_s_own_name() -> None:
    rules = SectorClassifier(default_settings().sectors)
    feats = rules.model_features(
        "ICESCO launches a heritage list",
        "The Islamic World Educational, Scientific and Cultural Organization acts.",
        ["news"],
    )
    assert {"heritage", "t:heritage", "c:news"} <= set(feats)
    assert not {"educational", "scientific", "cultural"} & set(feats)
    assert all(f[:1] >= " " for f in feats)


def words(text: str) -> dict[str, float]:
    return features(tokens(text), [])


def test_training_separates_what_it_was_shown() -> None:
    data = [
        (words("heritage sites restored"), frozenset({"culture"})),
        (words("manuscripts and heritage"), frozenset({"culture"})),
        (words("teachers trained in literacy"), frozenset({"education"})),
        (words("curricula for teachers"), frozenset({"education"})),
    ] * 3
    model = train(data, ["culture", "education"], epochs=20)
    heritage = model.probabilities(words("heritage inventory"))
    teachers = model.probabilities(words("new teachers"))
    assert heritage["culture"] > 0.7 > heritage["education"]
    assert teachers["education"] > 0.7 > teachers["culture"]
    again = LinearModel.from_json(model.to_json())
    assert again.probabilities(words("heritage inventory")) == pytest.approx(heritage, abs=1e-3)


def test_a_confident_model_adds_a_sector_with_its_score_as_evidence() -> None:
    settings = default_settings()
    story = "The Nilometer of Roda receives its certificate in Cairo", "A ceremony was held."
    cases = [Case(f"c{n}", "en", *story, (), frozenset({"culture"})) for n in range(6)]
    cases += [Case(f"d{n}", "en", "Condolences", "", (), frozenset()) for n in range(6)]
    rules = SectorClassifier(settings.sectors)
    data = [(rules.model_features(c.title, c.text), c.sectors) for c in cases]
    model = train(data, [s.key for s in settings.sectors], epochs=30, min_count=1)
    tags = SectorClassifier(settings.sectors, model=model).classify(*story)
    assert tags.sectors == ("culture",)
    assert tags.evidence["culture"][-1].startswith("model 0.")


def test_the_model_adds_governance_at_a_lower_bar_than_a_field() -> None:
    """Who acts (governance: no subject words) is often untold in a first paragraph; the model
    alone adds it from MODEL_ADD_BY_ACTOR, a field only from MODEL_ADD."""
    settings = default_settings()
    signing = "A partnership agreement signed in Baku", "The two parties signed it on Monday."
    ceremony = "A ceremony held in Baku", "Guests gathered on Monday evening."
    cases = [
        Case(f"s{n}", "en", *signing, (), frozenset({"governance"} if n % 2 else set()))
        for n in range(8)
    ]
    cases += [
        Case(f"c{n}", "en", *ceremony, (), frozenset({"culture"} if n % 2 else set()))
        for n in range(8)
    ]
    rules = SectorClassifier(settings.sectors)
    data = [(rules.model_features(c.title, c.text), c.sectors) for c in cases]
    model = train(data, [s.key for s in settings.sectors], epochs=30, min_count=1)
    classifier = SectorClassifier(settings.sectors, model=model)
    for story, sector in ((signing, "governance"), (ceremony, "culture")):
        p = model.probabilities(rules.model_features(*story))[sector]
        assert MODEL_ADD_BY_ACTOR <= p < MODEL_ADD, (sector, p)
    tags = classifier.classify(*signing)
    assert "governance" in tags.sectors
    assert tags.evidence["governance"][-1].startswith("model 0.")
    assert "culture" not in classifier.classify(*ceremony).sectors
    assert "governance" not in rules.classify(*signing).sectors  # the model's doing, not a rule's


def test_a_whole_article_tells_who_acted_so_governance_needs_the_ordinary_bar() -> None:
    """MODEL_ADD_BY_ACTOR is for openings that leave the DG's part untold; an article of
    LONG_TEXT tokens or more tells it, so there the model alone adds governance only from
    MODEL_ADD, as any sector."""
    settings = default_settings()
    keys = [s.key for s in settings.sectors]
    model = LinearModel(  # governance at p = 0.5 whatever the words, the others never
        {k: -8.0 for k in keys} | {"governance": 0.0}, {k: {} for k in keys}
    )
    classifier = SectorClassifier(settings.sectors, model=model)
    title = "A ceremony held in Baku for the opening of a new hall"
    lead = "Guests from several countries gathered on Monday evening for speeches and music."
    assert MODEL_ADD_BY_ACTOR <= 0.5 < MODEL_ADD
    opening = classifier.classify(title, lead)
    assert opening.sectors == ("governance",)
    assert opening.evidence["governance"] == ("model 0.50",)
    body = " ".join([lead] + ["The hall has rooms for exhibitions, lectures and concerts."] * 14)
    assert len(body.split()) >= LONG_TEXT
    assert classifier.classify(title, body).sectors == ()


def test_the_shipped_model_loads_and_knows_every_sector() -> None:
    model = load_shipped()
    assert model is not None, f"{SHIPPED} is missing: run bench/train_sector_model.py"
    assert set(model.sectors) == {s.key for s in default_settings().sectors}


@pytest.mark.parametrize(
    "title",
    [
        "Workshop on heritage preservation in Rabat",
        "Atelier sur la préservation du patrimoine à Rabat",
        "ورشة عن صون التراث في الرباط",
    ],
)
def test_a_sector_keyword_in_the_title_is_one_feature_in_every_language(title: str) -> None:
    rules = SectorClassifier(default_settings().sectors)
    feats = rules.model_features(title, "The event gathered experts from member states.")
    assert "title:culture" in feats
    assert not any(f.startswith("title:") for f in rules.model_features("Rabat", "Experts met."))


def test_the_shipped_weights_are_what_the_corpus_gives() -> None:
    """bench/train_sector_model.py is the one way to build them: seeded and order-independent,
    the train part and the development set give these weights byte for byte."""
    if not corpus_present():
        pytest.skip("the real corpus is not in this tree")
    model = fit_model(default_settings().sectors, [item.case() for item in load_corpus()])
    assert SHIPPED.read_text(encoding="utf-8") == model.to_json() + "\n", (
        "the shipped model is stale: run .venv/bin/python bench/train_sector_model.py"
    )


def test_an_item_s_first_paragraph_is_learned_from_too() -> None:
    """A corpus item that carries its first paragraph alone (`lead_first`) trains the model twice:
    summarised and as news first reads. What only the first paragraph says reaches the weights."""
    settings = default_settings()
    summary = "Readers gathered at the book fair to hear the poets."
    first = "A reading evening opened the Sharjah poetry nights with the qasida recital tonight."
    cases = [
        Case(f"c{n}", "en", "Poetry nights", summary, (), frozenset({"culture"}), first)
        for n in range(4)
    ]
    cases += [
        Case(f"d{n}", "en", "Staff notice", "Offices close early on Friday.", (), frozenset())
        for n in range(4)
    ]
    weights = fit_model(settings.sectors, cases, with_dev=False).weights["culture"]
    assert weights.get("qasida", 0.0) > 0
    assert cases[0].first_only().text == first
    assert cases[0].first_only().sectors == cases[0].sectors
    without = [Case(c.id, c.lang, c.title, c.text, c.categories, c.sectors) for c in cases]
    assert "qasida" not in fit_model(settings.sectors, without, with_dev=False).weights["culture"]


def test_cross_validation_reads_each_view_with_the_fold_model() -> None:
    """One fit per fold serves every reading of the cases (bench/wording_gap.py: our lead and
    ICESCO's own first paragraph); `cross_validate`'s `shown` is the one-view case of it."""
    sectors = default_settings().sectors
    cases = [
        Case(f"c{n}", "en", "ICESCO", "The Education Sector trained teachers.", (), frozenset())
        for n in range(4)
    ]
    other = [replace(c, text="The Culture Sector restored manuscripts.") for c in cases]
    folds = [0, 0, 1, 1]
    ours, theirs = cross_validate_views(sectors, cases, folds, 2, [cases, other], rules_only=True)
    assert ours == [frozenset({"education"})] * 4
    assert theirs == [frozenset({"culture"})] * 4
    assert cross_validate(sectors, cases, folds, 2, rules_only=True, shown=other) == theirs


def test_cross_validation_trains_only_on_the_cases_it_is_allowed() -> None:
    """`trained` (bench/tagging_eval.py --train-share) keeps cases out of every fold's training
    while they are still scored: what a word taught only by those cases is worth disappears."""
    sectors = default_settings().sectors
    text = "People met in the hall to talk about zorbanite and quorbel for the coming season."
    media = frozenset({"media"})
    taught = [Case(f"t{n}", "en", f"Zorbanite meeting {n}", text, (), media) for n in range(12)]
    probe = Case("p", "en", "Zorbanite meeting", text, (), media)
    cases = [probe, *taught]
    folds = [0] + [1] * len(taught)
    learnt = cross_validate(sectors, cases, folds, 2)
    unlearnt = cross_validate(sectors, cases, folds, 2, trained=[True] + [False] * len(taught))
    assert "media" in learnt[0]
    assert "media" not in unlearnt[0]
    assert len(unlearnt) == len(cases)
    with pytest.raises(ValueError, match="13 cases"):
        cross_validate(sectors, cases, folds, 2, trained=[True])
