"""The real corpus files (tests/tagging/data/real/*.jsonl) keep the shared format of issue 11.

Every line parses, carries the keys in the agreed order, uses only known sector keys, label
sources and kinds, has a unique id and URL, a language matching the URL's folder (the root
edition's Arabic articles live under /blog/ with an Arabic slug) and a publication day matching
the URL's date path. The files are data for the classifier's evaluation, so a broken line would
silently shrink or skew it: this check is what keeps them honest.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

REAL = Path(__file__).parent / "data" / "real"
LANGS = ("en", "ar", "fr")
KEYS = [
    "id",
    "url",
    "lang",
    "published",
    "title",
    "lead",
    "body",
    "categories",
    "sectors",
    "label_source",
    "kinds",
    "note",
]
# Optional keys after `note`, in this order: the first paragraph alone, in our own words
# (`lead_first`), and a link to the same story in another language (`same_story`).
OPTIONAL_LAST = ("lead_first", "same_story")
SECTORS = {
    "education",
    "science",
    "culture",
    "media",
    "social-sciences",
    "partnerships",
    "dialogue",
    "foresight-ai",
    "arabic-language",
    "governance",
    "strategy",
}
LABEL_SOURCES = {"category", "explicit unit", "judgement"}
KINDS = {
    "dg-minister",
    "cooperation-no-unit",
    "centre-abroad",
    "other-body-unit",
    "ordinal-governing-body",
    "no-sector",
    "short-lead",
    "international-day",
    "full-body",
}
URL = re.compile(r"^https://(?:www\.)?icesco\.org/(en|ar|fr)/(?:(\d{4})/(\d{2})/(\d{2})/)?\S+$")
# Arabic articles of the site's root edition live under /blog/ with an Arabic slug (no /ar/).
ROOT_AR = re.compile(r"^https://(?:www\.)?icesco\.org/blog/(\d{4})/(\d{2})/(\d{2})/(%D[89]%\S+)$")


def problems(lines: list[str], lang: str) -> list[str]:
    """Every format problem of one corpus file's lines, as 'line N: what' strings."""
    found: list[str] = []
    ids: set[str] = set()
    urls: set[str] = set()
    for number, line in enumerate(lines, 1):
        where = f"line {number}"
        try:
            item: Any = json.loads(line)
        except json.JSONDecodeError as error:
            found.append(f"{where}: not JSON ({error.msg})")
            continue
        if not isinstance(item, dict):
            found.append(f"{where}: not an object")
            continue
        keys = list(item)
        if keys[: len(KEYS)] != KEYS or keys[len(KEYS) :] not in _optional_tails():
            found.append(f"{where}: keys {keys} are not the agreed ones in order")
            continue
        found.extend(f"{where}: {p}" for p in item_problems(item, lang))
        if item["id"] in ids:
            found.append(f"{where}: id {item['id']} repeated")
        if item["url"] in urls:
            found.append(f"{where}: url {item['url']} repeated")
        ids.add(item["id"])
        urls.add(item["url"])
    return found


def _optional_tails() -> list[list[str]]:
    """The optional keys an item may end with: any of them, in their order."""
    return [
        [k for k, on in zip(OPTIONAL_LAST, mask, strict=True) if on]
        for mask in ((a, b) for a in (False, True) for b in (False, True))
    ]


def _address(url: str) -> tuple[str, date | None] | None:
    """The language folder and date path of an icesco.org article address, or None."""
    if match := URL.match(url):
        parts = match.group(2, 3, 4)
        return match.group(1), date(*map(int, parts)) if parts[0] else None
    if match := ROOT_AR.match(url):
        return "ar", date(*map(int, match.group(1, 2, 3)))
    return None


def item_problems(item: dict[str, Any], lang: str) -> list[str]:
    """The problems of one parsed item whose keys are already known to be right."""
    found: list[str] = []
    texts = ("id", "url", "lang", "published", "title", "lead", "body", "label_source", "note")
    found += [f"{key} is not a string" for key in texts if not isinstance(item[key], str)]
    lists = ("categories", "sectors", "kinds")
    found += [f"{key} is not a list" for key in lists if not isinstance(item[key], list)]
    if found:
        return found
    if item["lang"] != lang or not item["id"].startswith(f"{lang}-"):
        found.append(f"lang/id {item['lang']}/{item['id']} do not belong in {lang}.jsonl")
    address = _address(item["url"])
    if address is None:
        return [*found, f"url {item['url']} is not an icesco.org article address"]
    folder, dated = address
    if folder != item["lang"]:
        found.append(f"url folder /{folder}/ does not match lang {item['lang']}")
    try:
        day = date.fromisoformat(item["published"])
    except ValueError:
        return [*found, f"published {item['published']!r} is not a date"]
    if dated is not None and day != dated:
        found.append(f"published {day} differs from the url's date path")
    if not item["title"].strip() or not item["lead"].strip():
        found.append("empty title or lead")
    if "lead_first" in item and (
        not isinstance(item["lead_first"], str) or len(item["lead_first"].split()) < 8
    ):
        found.append("lead_first is not a paragraph (a string of 8 words or more)")
    found += [f"unknown sector {s}" for s in item["sectors"] if s not in SECTORS]
    if len(set(item["sectors"])) != len(item["sectors"]):
        found.append("a sector is repeated")
    if item["label_source"] not in LABEL_SOURCES:
        found.append(f"unknown label_source {item['label_source']}")
    found += [f"unknown kind {k}" for k in item["kinds"] if k not in KINDS]
    if ("full-body" in item["kinds"]) != bool(item["body"].strip()):
        found.append("kind full-body and a non-empty body go together")
    if ("no-sector" in item["kinds"]) != (not item["sectors"]):
        found.append("kind no-sector and an empty sector list go together")
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_corpus_file_keeps_the_format(lang: str) -> None:
    path = REAL / f"{lang}.jsonl"
    if not path.exists():
        pytest.skip(f"{path.name} is written on another branch")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines, f"{path.name} is empty"
    assert problems(lines, lang) == []


def test_the_validator_catches_each_kind_of_problem() -> None:
    url = "https://icesco.org/en/2024/05/19/some-slug/"
    good: dict[str, Any] = {
        "id": "en-0001",
        "url": url,
        "lang": "en",
        "published": "2024-05-19",
        "title": "A title",
        "lead": "A lead.",
        "body": "",
        "categories": ["news"],
        "sectors": ["governance"],
        "label_source": "judgement",
        "kinds": [],
        "note": "why",
    }
    assert problems([json.dumps(good)], "en") == []
    assert problems([json.dumps({**good, "same_story": []})], "en") == []
    first = "A first paragraph of eight words or more, reworded."
    assert problems([json.dumps({**good, "lead_first": first, "same_story": []})], "en") == []
    bad = [
        "{not json",
        json.dumps({**good, "id": "en-0002", "published": "2024-05-20"}),
        json.dumps({**good, "id": "en-0003", "url": url.replace("/en/", "/fr/")}),
        json.dumps({**good, "id": "en-0004", "sectors": ["sport"], "url": url + "x"}),
        json.dumps({**good, "id": "en-0005", "kinds": ["full-body"], "url": url + "y"}),
        json.dumps({"url": url, **{k: v for k, v in good.items() if k != "url"}}),
        json.dumps(good),
        json.dumps({**good, "id": "en-0006", "sectors": [], "url": url + "z"}),
        json.dumps({**good, "id": "en-0007", "label_source": "guess", "url": url + "w"}),
        json.dumps({**good, "id": "en-0008", "lead_first": "too short", "url": url + "v"}),
        json.dumps(
            {**good, "same_story": [], "lead_first": first, "id": "en-0009", "url": url + "u"}
        ),
    ]
    found = problems(bad, "en")
    for number in range(1, len(bad) + 1):
        assert any(p.startswith(f"line {number}:") for p in found), (number, found)


def test_classify_sets_aside_every_key_that_is_not_its_input() -> None:
    # `classify` reads a corpus line as it is: the keys it sets aside must be exactly the
    # format's keys other than its own input, or a line with `lead_first` is refused.
    from icesco_watch.tagging.corpus import LABEL_KEYS

    inputs = {"lang", "title", "lead", "body", "categories"}
    assert set(KEYS) | set(OPTIONAL_LAST) == LABEL_KEYS | inputs
    assert not LABEL_KEYS & inputs
