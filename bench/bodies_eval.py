"""Main text of article pages on trafilatura's public benchmark: our extractor vs trafilatura.

The data (990 saved pages, each annotated with text chunks that belong to the main text,
"with", and chunks that do not, "without"; Apache-2.0, not committed here) lives in
trafilatura's repository under `tests/` (`evaldata.json`, pages in `eval/` and `cache/`):

    git -C <trafilatura clone or mirror> archive HEAD tests | tar -x -C /tmp/trafilatura-eval
    .venv/bin/python bench/bodies_eval.py /tmp/trafilatura-eval/tests   # or TRAFILATURA_EVAL=...

Scored as trafilatura's own evaluation does: a "with" chunk found is a true positive, a
"without" chunk found a false positive (whitespace-normalised substring matching). Reported:
precision, recall, F1 and accuracy, F1 with a 95% bootstrap interval over pages.
Extractors (`icesco_watch.spiders.bodies`): `ours-densest` (article containers, then our
densest block), `ours-trafilatura` (containers, then trafilatura, then densest block) and
`trafilatura` alone. No network: pages are read from disk and parsed trees are passed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes
from parsel import Selector

from icesco_watch.spiders.bodies import extract_body, trafilatura_paragraphs

RESAMPLES = 1000


@dataclass(frozen=True)
class Page:
    url: str
    with_: tuple[str, ...]
    without: tuple[str, ...]
    sel: Selector


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(raw).best()
        return str(best) if best is not None else raw.decode("utf-8", errors="replace")


def load_pages(root: Path, limit: int | None) -> list[Page]:
    data: dict[str, dict[str, object]] = json.loads((root / "evaldata.json").read_text("utf-8"))
    pages = []
    for url, entry in sorted(data.items()):
        name = str(entry["file"])
        path = next(
            (root / d / name for d in ("cache", "eval") if (root / d / name).is_file()), None
        )
        if path is None:
            continue
        text = _decode(path.read_bytes())
        if not text.strip():
            continue
        with_ = tuple(str(c) for c in entry["with"])  # type: ignore[attr-defined]
        without = tuple(str(c) for c in entry["without"])  # type: ignore[attr-defined]
        pages.append(Page(url, with_, without, Selector(text=text)))
        if limit is not None and len(pages) >= limit:
            break
    return pages


EXTRACTORS: dict[str, Callable[[Page], str]] = {
    "ours-densest": lambda p: extract_body(p.sel, generic="densest"),
    "ours-trafilatura": lambda p: extract_body(p.sel, generic="trafilatura"),
    "trafilatura": lambda p: "\n".join(trafilatura_paragraphs(p.sel)),
}


def counts(page: Page, text: str) -> tuple[int, int, int, int]:
    found = _norm(text)
    tp = sum(_norm(c) in found for c in page.with_)
    fp = sum(_norm(c) in found for c in page.without)
    return tp, fp, len(page.with_) - tp, len(page.without) - fp


def scores(rows: list[tuple[int, int, int, int]]) -> tuple[float, float, float, float]:
    tp, fp, fn, tn = (sum(r[i] for r in rows) for i in range(4))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return precision, recall, f1, (tp + tn) / (tp + fp + fn + tn)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("data", nargs="?", default=os.environ.get("TRAFILATURA_EVAL"))
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    args = parser.parse_args()
    if not args.data or not (Path(args.data) / "evaldata.json").is_file():
        print(
            "bodies_eval: give the folder holding trafilatura's evaldata.json (argument or "
            "TRAFILATURA_EVAL); see the docstring for how to fetch it",
            file=sys.stderr,
        )
        return 2
    pages = load_pages(Path(args.data), args.limit)
    print(f"{len(pages)} annotated pages")
    print(
        f"{'extractor':18} {'prec':>6} {'recall':>6} {'F1':>6} {'F1 95% interval':>17} "
        f"{'acc':>6} {'s/page':>7}"
    )
    rng = random.Random(12)
    for name, extract in EXTRACTORS.items():
        started = time.perf_counter()
        rows = [counts(page, extract(page)) for page in pages]
        elapsed = (time.perf_counter() - started) / len(pages)
        precision, recall, f1, accuracy = scores(rows)
        boot = sorted(
            scores([rows[rng.randrange(len(rows))] for _ in rows])[2] for _ in range(RESAMPLES)
        )
        low, high = boot[int(0.025 * RESAMPLES)], boot[int(0.975 * RESAMPLES) - 1]
        print(
            f"{name:18} {precision:6.3f} {recall:6.3f} {f1:6.3f} "
            f"{f'[{low:.3f}, {high:.3f}]':>17} {accuracy:6.3f} {elapsed:7.4f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
