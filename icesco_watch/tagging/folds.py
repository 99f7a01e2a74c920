"""Cross-validation folds over the real corpus's train part: by item, by story or by week.

ICESCO publishes one story in English, French and Arabic. Folds drawn item by item put one
language's version in the training folds and another's in the held-out fold, so the model has
seen the story's names and numbers and cross-validation flatters it. Two honest groupings:

- `story`: versions linked as the same story by `tests/linking/data/pairs.jsonl` (label 1) go
  to one fold (union-find over the links, so a story's three versions stay together);
- `week`: every item published in one ISO week goes to one fold (the other-language versions
  of a story come out within days, and a week's items share its events and names).

Folds are a seeded hash of each group's key: deterministic, and independent of the items'
order. Pure: the caller passes the links it read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

from icesco_watch.tagging.corpus import RealItem

PAIRS = Path(__file__).resolve().parents[2] / "tests" / "linking" / "data" / "pairs.jsonl"

Grouping = Literal["item", "story", "week"]
GROUPINGS: tuple[Grouping, ...] = ("item", "story", "week")


def read_links(path: Path = PAIRS) -> list[tuple[str, str]]:
    """The URL pairs labelled as one story (label 1); none when the file is absent."""
    if not path.exists():
        return []
    links = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            data = json.loads(line)
            if data.get("label") == 1:
                links.append((str(data["a"]), str(data["b"])))
    return links


def story_keys(items: Sequence[RealItem], links: Iterable[tuple[str, str]]) -> list[str]:
    """Per item, the key of its story: the smallest URL among the versions linked to it."""
    parent = {item.url: item.url for item in items}

    def root(url: str) -> str:
        while parent[url] != url:
            parent[url] = parent[parent[url]]
            url = parent[url]
        return url

    for a, b in links:
        if a in parent and b in parent:
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return [root(item.url) for item in items]


def week_key(item: RealItem) -> str:
    """The ISO week an item was published in ("2024-W20"); its id when the date is unknown."""
    try:
        year, week, _ = dt.date.fromisoformat(item.published[:10]).isocalendar()
    except ValueError:
        return item.id
    return f"{year}-W{week:02d}"


def group_keys(
    items: Sequence[RealItem], by: Grouping, links: Iterable[tuple[str, str]] = ()
) -> list[str]:
    if by == "story":
        return story_keys(items, links)
    if by == "week":
        return [week_key(item) for item in items]
    return [item.id for item in items]


def assign(keys: Sequence[str], k: int) -> list[int]:
    """The fold of each item: a hash of its group's key, so a group never straddles folds."""
    return [int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16) % k for key in keys]
