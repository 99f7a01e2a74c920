"""The real corpus as LinkDocs and the labelled cross-language pairs (for the bench and tests)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from icesco_watch.linking import LinkDoc
from icesco_watch.spiders.urls import canonical_key
from icesco_watch.tagging.corpus import REAL_DIR

CORPUS = REAL_DIR
PAIRS = Path(__file__).resolve().parents[1] / "tests" / "linking" / "data" / "pairs.jsonl"


@dataclass(frozen=True)
class Pair:
    """One labelled pair of canonical keys."""

    a: str
    b: str
    label: bool
    source: str

    @property
    def split(self) -> str:
        """'test' for about a third of the pairs, by a hash of the pair (seeded, stable)."""
        digest = hashlib.sha256(f"linking-v1|{self.a}|{self.b}".encode()).digest()
        return "test" if digest[0] % 3 == 0 else "tune"


def corpus() -> tuple[dict[str, LinkDoc], dict[str, dict[str, Any]]]:
    """Every corpus item as a LinkDoc and as its raw record, by canonical key."""
    docs: dict[str, LinkDoc] = {}
    raw: dict[str, dict[str, Any]] = {}
    for path in sorted(CORPUS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            key = canonical_key(rec["url"])
            docs[key] = LinkDoc(
                key=key,
                lang=rec["lang"],
                published=date.fromisoformat(rec["published"]),
                title=rec["title"],
                text=f"{rec.get('lead', '')}\n{rec.get('body', '')}",
                sectors=tuple(rec.get("sectors", ())),
            )
            raw[key] = rec
    return docs, raw


def pairs(path: Path = PAIRS) -> list[Pair]:
    """The labelled pairs of tests/linking/data/pairs.jsonl (or of `path`, an earlier copy)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        a, b = sorted((canonical_key(rec["a"]), canonical_key(rec["b"])))
        out.append(Pair(a, b, bool(rec["label"]), rec["source"]))
    return out
