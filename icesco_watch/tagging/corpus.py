"""The real labelled corpus of ICESCO news and its frozen train/test split.

The corpus lives in `tests/tagging/data/real/{en,ar,fr}.jsonl` (one JSON object per line; the
format is in docs/sectors.md). Which items are held out for testing is decided by a rule fixed
before anyone saw the corpus, a seeded hash of each item's URL, so the split does not move as
items are added and nobody chooses what lands in it:

    TEST  iff  int(sha256("icesco-split-2026:" + url)[:8], 16) % 100 < 35

Tuning code must never see the test part: `load_corpus` gives the train part unless the caller
asks for `split="test"` by name, and only `bench/tagging_eval.py --split test` (and the test that
guards the final figures) does that. `bench/split_corpus.py --freeze` writes the ids and URLs
of both parts to `split.json` beside the corpus once it is final; when that file exists it is
the authority for the items it lists (a later fix to a URL cannot silently move an item between
the parts), and an item added after the freeze follows the rule.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from icesco_watch.tagging.evaluate import Case

SALT = "icesco-split-2026:"
TEST_PERCENT = 35
LANGS = ("en", "ar", "fr")
REAL_DIR = Path(__file__).resolve().parents[2] / "tests" / "tagging" / "data" / "real"
SPLIT_FILE = "split.json"

Split = Literal["train", "test", "all"]

# A corpus line's keys that are not the classifier's input (its labels, provenance and our
# rewordings kept for training), as docs/sectors.md defines the format: `classify` sets them
# aside, so a labelled file can be piped to it as it is.
LABEL_KEYS = frozenset(
    {
        "id",
        "url",
        "published",
        "sectors",
        "label_source",
        "kinds",
        "note",
        "lead_first",
        "same_story",
    }
)


def hashed_test(url: str) -> bool:
    """The seeded rule: is this URL in the test split?"""
    digest = hashlib.sha256((SALT + url).encode("utf-8")).hexdigest()
    return int(digest[:8], 16) % 100 < TEST_PERCENT


@dataclass(frozen=True, slots=True)
class RealItem:
    """One labelled real news item (see docs/sectors.md for the meaning of each field)."""

    id: str
    url: str
    lang: str
    published: str
    title: str
    lead: str
    body: str
    categories: tuple[str, ...]
    sectors: frozenset[str]
    label_source: str
    kinds: tuple[str, ...]
    note: str
    lead_first: str = ""  # the first paragraph alone, reworded (docs/sectors.md, the corpus)

    @property
    def full_body(self) -> bool:
        return bool(self.body.strip())

    def case(self) -> Case:
        """The item as the classifier sees it: title, lead and body, site categories."""
        text = lead_and_body(self.lead, self.body)
        return Case(
            self.id, self.lang, self.title, text, self.categories, self.sectors, self.lead_first
        )


def lead_and_body(lead: str, body: str) -> str:
    """The text of a corpus item besides its title: its lead, then its body if it has one."""
    return f"{lead}\n\n{body}" if body.strip() else lead


def parse_line(line: str, where: str) -> RealItem:
    """One corpus line; a missing or mistyped key is a ValueError naming `where`."""
    try:
        data = json.loads(line)
        return RealItem(
            id=str(data["id"]),
            url=str(data["url"]),
            lang=str(data["lang"]),
            published=str(data.get("published", "")),
            title=str(data["title"]),
            lead=str(data.get("lead", "")),
            body=str(data.get("body", "") or ""),
            categories=tuple(str(c) for c in data.get("categories", ())),
            sectors=frozenset(str(s) for s in data["sectors"]),
            label_source=str(data.get("label_source", "")),
            kinds=tuple(str(k) for k in data.get("kinds", ())),
            note=str(data.get("note", "")),
            lead_first=str(data.get("lead_first", "") or ""),
        )
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ValueError(f"{where}: {type(exc).__name__}: {exc}") from None


def read_items(directory: Path = REAL_DIR) -> list[RealItem]:
    """Every item of the corpus files present in `directory`, both parts (no split applied).

    Only the split machinery calls this; tuning code calls `load_corpus`.
    """
    found: list[RealItem] = []
    for lang in LANGS:
        path = directory / f"{lang}.jsonl"
        if not path.exists():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                found.append(parse_line(line, f"{path}:{number}"))
    return found


@dataclass(frozen=True, slots=True)
class Frozen:
    """The split as `split_corpus.py --freeze` wrote it: the URLs of each part."""

    test: frozenset[str]
    train: frozenset[str]


def frozen_urls(directory: Path = REAL_DIR) -> Frozen | None:
    """The frozen split, or None before `split_corpus.py --freeze` has run."""
    path = directory / SPLIT_FILE
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return Frozen(
        frozenset(str(entry["url"]) for entry in data["test"]),
        frozenset(str(entry["url"]) for entry in data.get("train", ())),
    )


def is_test(item: RealItem, frozen: Frozen | None) -> bool:
    """Frozen items keep their part; an item added after the freeze follows the rule."""
    if frozen is not None and item.url in frozen.test:
        return True
    if frozen is not None and item.url in frozen.train:
        return False
    return hashed_test(item.url)


def select(items: Iterable[RealItem], split: Split, frozen: Frozen | None) -> list[RealItem]:
    if split == "all":
        return list(items)
    want_test = split == "test"
    return [item for item in items if is_test(item, frozen) == want_test]


def load_corpus(directory: Path = REAL_DIR, split: Split = "train") -> list[RealItem]:
    """The corpus part asked for: the train part unless `split` names another."""
    return select(read_items(directory), split, frozen_urls(directory))


def corpus_present(directory: Path = REAL_DIR) -> bool:
    return all((directory / f"{lang}.jsonl").exists() for lang in LANGS)
