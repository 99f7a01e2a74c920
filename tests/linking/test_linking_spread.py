"""How many items of a language in a window carry an anchor (icesco_watch/linking_spread.py)."""

from __future__ import annotations

from datetime import date

from icesco_watch.linking_features import LinkDoc, features
from icesco_watch.linking_spread import Spread, tokens


def _doc(key: str, lang: str, day: int, text: str) -> LinkDoc:
    return LinkDoc(key, lang, date(2024, 11, day), "Title", text)


def test_tokens_name_each_kind_of_evidence() -> None:
    doc = LinkDoc(
        "k",
        "en",
        date(2024, 11, 11),
        "COP29 in Baku",
        "With Leyla Aliyeva, 117 sites",
        image="x.jpg",
    )
    found = tokens(doc, features(doc))
    assert {"c:baku", "c:cop", "n:117", "p:aliyeva", "p:leyla", "i:x.jpg"} <= found


def test_a_token_counts_the_items_of_its_language_within_the_window() -> None:
    docs = [
        _doc("e1", "en", 10, "in Baku"),
        _doc("e2", "en", 13, "in Baku"),
        _doc("e3", "en", 14, "in Baku"),
        _doc("e4", "en", 20, "in Baku"),
        _doc("f1", "fr", 11, "à Bakou"),
        _doc("e5", "en", 11, "in Cairo"),
    ]
    spread = Spread(docs, features, 3)
    assert spread.count(docs[0], "c:baku") == 2  # e1, e2 (e3 is four days on)
    assert spread.count(docs[1], "c:baku") == 3  # e1, e2, e3
    assert spread.count(docs[3], "c:baku") == 1  # alone in its week
    assert spread.count(docs[4], "c:baku") == 1  # French counts French
    assert spread.count(docs[5], "c:baku") == 3  # its window's, whatever it carries
    assert spread.count(_doc("x", "ar", 11, ""), "c:baku") == 1  # no such language in the run
