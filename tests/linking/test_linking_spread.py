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


def _specific(token: str) -> bool:
    return not token.startswith("c:")


def test_a_worse_rival_shares_with_the_other_version_only_part_of_what_the_doc_does() -> None:
    en = _doc("en", "en", 11, "Riyadh, 117 delegations, Anar Karimov")
    fr = _doc("f1", "fr", 11, "Riyad, 117 délégations, Anar Karimov")
    speech = _doc("f2", "fr", 12, "Riyad, 117 délégations")
    named = _doc("f3", "fr", 12, "Riyad, 117 délégations, Karimov")
    other_day = _doc("f4", "fr", 20, "Riyad, 117 délégations, Anar")
    docs = [en, fr, speech, named, other_day]
    spread = Spread(docs, features, 2)
    toks = {d.key: tokens(d, features(d)) for d in docs}
    worse = spread.worse(fr, toks["f1"], toks["en"], _specific)
    # The speech shares less; the item naming Karimov alone shares a specific token the doc has
    # too but still only a part; the item out of the window is not counted.
    assert sorted(worse, key=len) == [toks["f2"], toks["f3"]]
    # No rival is worse than a doc sharing nothing more than it, nor than one sharing only
    # what is not specific.
    assert spread.worse(speech, toks["f2"], toks["en"], _specific) == []
    assert spread.worse(fr, toks["f1"], frozenset(["c:riyadh"]), _specific) == []
    assert spread.worse(fr, frozenset(["c:x"]), toks["en"], _specific) == []
