"""Topic and keyword matching: whole words and phrases, any language, linear in the text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from icesco_watch.config.schema import TopicConfig
from icesco_watch.tagging.text import index_text, phrase
from icesco_watch.tagging.topics import TopicMatcher, keyword_problem, match_keywords

TOPICS = [
    TopicConfig.model_validate(
        {
            "key": "ai",
            "name": "Artificial intelligence",
            "keywords": [
                "artificial intelligence",
                "الذكاء الاصطناعي",
                "intelligence artificielle",
            ],
        }
    ),
    TopicConfig.model_validate(
        {"key": "heritage", "name": "Heritage", "keywords": ["heritage", "التراث", "patrimoine"]}
    ),
    TopicConfig.model_validate(
        {
            "key": "water",
            "name": "Water",
            "keywords": ["water"],
            "exclude": ["water polo", "watershed"],
        }
    ),
]

CASES = [
    ("Forum on Artificial Intelligence in Baku", ("ai",)),
    ("Atelier sur l'intelligence artificielle à Rabat", ("ai",)),
    ("ندوة حول الذكاء الاصطناعي", ("ai",)),
    ("ندوة حول الذكاء الإصطناعي", ("ai",)),  # hamza variant of the same word
    ("Inscription au patrimoine du monde islamique", ("heritage",)),
    ("Célébrer le Patrimoine", ("heritage",)),
    ("وفد يزور مركز التراث", ("heritage",)),
    ("Heritage-listing of a historic mosque", ("heritage",)),
    ("Intelligence of artificial reefs", ()),  # the words, but not the phrase
    ("Inheritance rules and heirs", ()),  # whole words only, not substrings
    ("Living heritages", ("heritage",)),  # a plural is the same word
    ("Clean water for schools", ("water",)),
    ("A water polo tournament", ()),  # excluded
    ("", ()),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] or "empty" for c in CASES])
def test_topics_match_whole_words_and_phrases(text: str, expected: tuple[str, ...]) -> None:
    assert TopicMatcher(TOPICS).match([text]) == expected


def test_match_keywords_returns_the_keywords_as_written() -> None:
    found = match_keywords(["Les élèves de Dakar", "Teacher training"], ["eleves", "Training", "x"])
    assert found == ["eleves", "Training"]


def test_an_arabic_keyword_meets_its_article_and_clitic_forms() -> None:
    """A chat watching "بيئة" (environment) or "وزير" (minister), written bare as people type
    them, is told of news that has "البيئة", "وللبيئة", "الوزير", "ووزيرها"; "وكالة" (agency)
    is not "الإله" (god)."""
    text = ["يستقبل الوزير ووزيرها مشروعا لحماية البيئة ووكالة التنمية"]
    assert match_keywords(text, ["بيئة", "وزير", "وكالة", "برنامج"]) == ["بيئة", "وزير", "وكالة"]
    assert match_keywords(["وللبيئة"], ["بيئة"]) == ["بيئة"]
    assert match_keywords(["يؤمن بالإله"], ["وكالة"]) == []


@pytest.mark.parametrize(
    ("keyword", "text"),
    [
        ("معلم", "تدريب المعلمين في النيجر"),  # teacher / the teachers
        ("المعلمين", "يلتقي معلم من السنغال"),  # and back
        ("جامعة", "رؤساء الجامعات الأفريقية"),  # university / the universities
        ("الجامعات", "توقيع اتفاقية مع جامعة نواكشوط"),
        ("حماية البيئة", "حماية البيئات البحرية"),  # a phrase's words, each
        ("teacher", "Training teachers in Niger"),  # as English always did
        ("university", "Rectors of African universities meet"),  # -y / -ies
        ("universities", "A new university in Dakar"),
        ("policy", "Cultural policies in the Sahel"),
        ("journal", "Les journaux de la région"),  # -al / -aux
        ("médias nationaux", "Un média national au Tchad"),
        ("réseau", "Les réseaux de chaires ICESCO"),  # -eau / -eaux
        ("art", "A festival of Islamic arts"),  # a short word's "s" the stemmer keeps
    ],
)
def test_a_keyword_meets_its_singular_and_plural(keyword: str, text: str) -> None:
    assert match_keywords([text], [keyword]) == [keyword]
    topic = TopicConfig.model_validate({"key": "t", "name": "T", "keywords": [keyword]})
    assert TopicMatcher([topic]).match([text]) == ("t",)


def test_number_forms_stay_regular() -> None:
    """Only the regular endings are added: "جامعة" (university) does not meet "جامع" (a
    mosque), "فلسطين" is not a plural of anything that occurs."""
    assert match_keywords(["الجامع الكبير"], ["الجامعات"]) == []
    assert match_keywords(["الجامع الكبير"], ["جامعة"]) == []
    assert match_keywords(["الشعب الفلسطيني"], ["فلسطين"]) == []
    # A form is looked up, never stemmed: "news" is no plural of "new" to someone watching it.
    assert match_keywords(["New schools open"], ["news"]) == []
    assert match_keywords(["Universal access"], ["university"]) == []


def test_regex_syntax_in_a_keyword_is_plain_text() -> None:
    assert match_keywords(["(a+)+$ appears here"], ["(a+)+$"]) == ["(a+)+$"]
    assert match_keywords(["aaaa"], ["a.*"]) == []


@pytest.mark.parametrize(
    ("keyword", "problem"),
    [
        ("", "at least one letter"),
        ("!!!", "at least one letter"),
        ("one two three four five six seven eight nine", "at most 8 words"),
        ("x" * 101, "at most 100 characters"),
    ],
)
def test_unwatchable_keywords_are_explained(keyword: str, problem: str) -> None:
    found = keyword_problem(keyword)
    assert found is not None
    assert problem in found.text
    assert str(found) == found.text


def test_a_normal_keyword_is_accepted() -> None:
    assert keyword_problem("intelligence artificielle") is None


adversarial_words = st.lists(st.sampled_from(["a", "aa", "b", "أ", "ا", "é", "e"]), max_size=400)
keyword_lists = st.lists(
    st.lists(st.sampled_from(["a", "aa", "b", "ا", "e"]), min_size=1, max_size=8).map(" ".join),
    min_size=1,
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(words=adversarial_words, keywords=keyword_lists)
def test_matching_work_is_linear_in_the_text(words: list[str], keywords: list[str]) -> None:
    """Highly repetitive text against overlapping keywords (the classic backtracking trap):
    the work done is bounded by len(text) x longest keyword, whatever the keywords are."""
    longest = max(len(phrase(k)) for k in keywords)
    text = " ".join(words)
    index = index_text([text], longest)
    assert index.work <= len(words) * longest
    found = match_keywords([text], keywords)
    # And the answer is right: a keyword is found exactly when its words appear in a row.
    folded = [phrase(w)[0] for w in words]
    for keyword in keywords:
        wanted = list(phrase(keyword))
        present = any(
            folded[i : i + len(wanted)] == wanted for i in range(len(folded) - len(wanted) + 1)
        )
        assert (keyword in found) == present


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300), st.lists(st.text(min_size=1, max_size=40), max_size=10))
def test_arbitrary_text_and_keywords_never_crash(text: str, keywords: list[str]) -> None:
    found = match_keywords([text], keywords)
    assert set(found) <= set(keywords)
