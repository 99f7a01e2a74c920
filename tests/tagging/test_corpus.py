"""The real corpus loader and its frozen split: a fixed rule, train and test kept apart."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from icesco_watch.tagging.corpus import hashed_test, load_corpus, parse_line, read_items


def line(number: int, lang: str = "en", **extra: object) -> str:
    item = {
        "id": f"{lang}-{number:04d}",
        "url": f"https://icesco.org/{lang}/2024/05/{number % 28 + 1:02d}/story-{number}/",
        "lang": lang,
        "published": "2024-05-01",
        "title": f"Story {number}",
        "lead": "ICESCO's Education Sector trained teachers.",
        "body": "",
        "categories": ["news"],
        "sectors": ["education"],
        "label_source": "explicit unit",
        "kinds": [],
        "note": "",
        **extra,
    }
    return json.dumps(item, ensure_ascii=False)


def write_corpus(folder: Path, count: int = 60) -> None:
    for lang in ("en", "ar", "fr"):
        lines = [line(n, lang) for n in range(1, count + 1)]
        (folder / f"{lang}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_the_rule_is_the_published_one() -> None:
    for n in range(200):
        url = f"https://icesco.org/en/2024/01/01/item-{n}/"
        digest = hashlib.sha256(("icesco-split-2026:" + url).encode()).hexdigest()
        assert hashed_test(url) == (int(digest[:8], 16) % 100 < 35)


def test_about_a_third_of_urls_are_test() -> None:
    share = sum(hashed_test(f"https://icesco.org/fr/x/{n}/") for n in range(5000)) / 5000
    assert 0.32 < share < 0.38


def test_train_is_the_default_and_the_parts_do_not_overlap(tmp_path: Path) -> None:
    write_corpus(tmp_path)
    train = load_corpus(tmp_path)
    test = load_corpus(tmp_path, "test")
    everything = read_items(tmp_path)
    assert {i.id for i in train} | {i.id for i in test} == {i.id for i in everything}
    assert not {i.id for i in train} & {i.id for i in test}
    assert all(not hashed_test(i.url) for i in train)
    assert all(hashed_test(i.url) for i in test)
    assert test  # 180 items: some land in test


def test_a_frozen_split_file_is_the_authority_for_what_it_lists(tmp_path: Path) -> None:
    write_corpus(tmp_path, 30)
    items = read_items(tmp_path)
    chosen = next(i for i in items if not hashed_test(i.url))
    listed = [i for i in items[:20] if i is not chosen]
    frozen = {
        "rule": "…",
        "test": [{"id": chosen.id, "url": chosen.url}],
        "train": [{"id": i.id, "url": i.url} for i in listed],
    }
    (tmp_path / "split.json").write_text(json.dumps(frozen), encoding="utf-8")
    test_ids = {i.id for i in load_corpus(tmp_path, "test")}
    assert chosen.id in test_ids  # frozen as test, whatever the rule says now
    assert not test_ids & {i.id for i in listed}
    later = [i for i in items if i is not chosen and i not in listed]
    assert {i.id for i in later if hashed_test(i.url)} <= test_ids  # added later: the rule
    assert any(hashed_test(i.url) for i in later)


def test_an_item_becomes_a_case_with_lead_and_body() -> None:
    item = parse_line(line(3, "fr", body="Premier paragraphe.\n\nSecond."), "x:1")
    case = item.case()
    assert item.full_body
    assert case.text.startswith("ICESCO's Education Sector")
    assert case.text.endswith("Second.")
    assert case.sectors == frozenset({"education"})


def test_a_broken_line_names_where_it_is() -> None:
    with pytest.raises(ValueError, match=r"en\.jsonl:7"):
        parse_line('{"id": "en-1"}', "en.jsonl:7")
