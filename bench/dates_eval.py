"""Publication dates on htmldate's public benchmark: share of pages where the right day is found.

The data (1,000 saved news and blog pages in many languages, each with its publication day;
Apache-2.0, not committed here: size and licence) lives in htmldate's repository, under
`tests/` (`eval_default.json`, `eval_mediacloud_2020.json`, pages in `eval/`, `test_set/`,
`cache/`). Bring it and point this script at that folder:

    git -C <htmldate clone or mirror> archive HEAD tests | tar -x -C /tmp/htmldate-eval
    .venv/bin/python bench/dates_eval.py /tmp/htmldate-eval/tests     # or HTMLDATE_EVAL=...
    .venv/bin/python bench/dates_eval.py DIR --limit 200 --errors      # a quick look

Extractors, each asked for the page's original publication day (never a modified date):
- `ours`: our structured-data steps, the visible date under the title, the permalink date;
- `htmldate-fast`, `htmldate-extensive`: htmldate alone, its two modes, as htmldate's own
  evaluation runs them (no URL given);
- `ours+htmldate-fast`, `ours+htmldate-extensive`: our steps, htmldate deciding where they
  disagree, then the permalink date (`icesco_watch.spiders.published.find_published`).
Each accuracy comes with a 95% bootstrap interval over pages (2,000 resamples, fixed seed) and
the paired difference against the best htmldate mode. No network: pages are read from disk and
htmldate is given bytes or parsed trees, never a string it could take for a URL.

Figures before and after, and what the rules that beat htmldate alone do: bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from charset_normalizer import from_bytes
from htmldate import find_date
from parsel import Selector

from icesco_watch.spiders.dates import find_visible_date
from icesco_watch.spiders.published import HtmldateMode, find_published, text_after_title

UTC = ZoneInfo("UTC")
SETS = ("eval_mediacloud_2020.json", "eval_default.json")
FOLDERS = ("test_set", "cache", "eval")
RESAMPLES = 2000


@dataclass(frozen=True)
class Page:
    url: str
    expected: date
    text: str
    sel: Selector


def load_pages(root: Path, limit: int | None) -> list[Page]:
    """Every annotated page whose file is present, in the sets' order."""
    pages: list[Page] = []
    for name in SETS:
        entries: dict[str, dict[str, str]] = json.loads((root / name).read_text("utf-8"))
        for url, entry in entries.items():
            if not isinstance(entry.get("date"), str):
                continue  # a page annotated "no date": (NaN in the data): no right day to find
            path = next(
                (root / d / entry["file"] for d in FOLDERS if (root / d / entry["file"]).is_file()),
                None,
            )
            if path is None:
                continue
            text = _decode(path.read_bytes())
            if not text.strip():
                continue
            pages.append(Page(url, date.fromisoformat(entry["date"]), text, Selector(text=text)))
            if limit is not None and len(pages) >= limit:
                return pages
    return pages


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(raw).best()
        return str(best) if best is not None else raw.decode("utf-8", errors="replace")


def ours(mode: HtmldateMode) -> Callable[[Page], date | None]:
    def run(page: Page) -> date | None:
        found = find_published(page.sel, page.url, "en", UTC, htmldate=mode)
        return found[0].date() if found else None

    return run


def htmldate_alone(extensive: bool) -> Callable[[Page], date | None]:
    def run(page: Page) -> date | None:
        # The page's text, as htmldate's own evaluation gives it (bytes, never a str that
        # could pass for a URL and make htmldate download it).
        found = find_date(page.text.encode("utf-8"), extensive_search=extensive, original_date=True)
        return date.fromisoformat(found[:10]) if found else None

    return run


EXTRACTORS: dict[str, Callable[[Page], date | None]] = {
    "ours": ours("off"),
    "htmldate-fast": htmldate_alone(False),
    "htmldate-extensive": htmldate_alone(True),
    "ours+htmldate-fast": ours("fast"),
    "ours+htmldate-extensive": ours("extensive"),
}


def bootstrap(hits: list[bool], rng: random.Random) -> tuple[float, float]:
    n = len(hits)
    means = sorted(sum(hits[rng.randrange(n)] for _ in range(n)) / n for _ in range(RESAMPLES))
    return means[int(0.025 * RESAMPLES)], means[int(0.975 * RESAMPLES) - 1]


def paired(a: list[bool], b: list[bool], rng: random.Random) -> tuple[float, float, float]:
    """Mean of a - b (accuracy points) and its 95% bootstrap interval, pages resampled."""
    n = len(a)
    diffs = [int(x) - int(y) for x, y in zip(a, b, strict=True)]
    means = sorted(sum(diffs[rng.randrange(n)] for _ in range(n)) / n for _ in range(RESAMPLES))
    return sum(diffs) / n, means[int(0.025 * RESAMPLES)], means[int(0.975 * RESAMPLES) - 1]


def compare_visible_step(pages: list[Page]) -> None:
    """The visible-date step alone: our EN/FR/AR regexes against dateparser's search (EN, FR,
    AR, as ICESCO needs) over the same text, the first text nodes after the page's <h1>."""
    from dateparser.search import search_dates

    strict = {"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]}

    def regexes(page: Page) -> date | None:
        return find_visible_date(" ".join(text_after_title(page.sel)), "en")

    def dateparser(page: Page) -> date | None:
        text = " ".join(text_after_title(page.sel))
        try:
            found = search_dates(text, languages=["en", "fr", "ar"], settings=strict)
        except (ValueError, OverflowError):
            return None
        return found[0][1].date() if found else None

    print(f"\nvisible-date step alone ({len(pages)} pages): right / found, precision, s/page")
    for name, step in (("our regexes", regexes), ("dateparser", dateparser)):
        started = time.perf_counter()
        answers = [step(page) for page in pages]
        elapsed = (time.perf_counter() - started) / len(pages)
        found = sum(a is not None for a in answers)
        right = sum(a == p.expected for a, p in zip(answers, pages, strict=True))
        print(f"  {name:12} {right:4d} / {found:4d}  {right / max(found, 1):.3f}  {elapsed:.4f}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("data", nargs="?", default=os.environ.get("HTMLDATE_EVAL"))
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    parser.add_argument(
        "--errors", action="store_true", help="list pages ours+htmldate-extensive misses"
    )
    parser.add_argument(
        "--visible-step",
        action="store_true",
        help="also compare our visible-date regexes with dateparser on the text under the title",
    )
    args = parser.parse_args()
    if not args.data or not (Path(args.data) / SETS[1]).is_file():
        print(
            "dates_eval: give the folder holding htmldate's eval_default.json (argument or "
            "HTMLDATE_EVAL); see the docstring for how to fetch it",
            file=sys.stderr,
        )
        return 2
    pages = load_pages(Path(args.data), args.limit)
    print(f"{len(pages)} pages with a known publication day")
    hits: dict[str, list[bool]] = {}
    answers: dict[str, list[date | None]] = {}
    print(f"{'extractor':26} {'right day':>9} {'95% interval':>16} {'no date':>8} {'s/page':>8}")
    rng = random.Random(12)
    for name, extract in EXTRACTORS.items():
        started = time.perf_counter()
        answers[name] = [extract(page) for page in pages]
        elapsed = (time.perf_counter() - started) / len(pages)
        hits[name] = [a == p.expected for a, p in zip(answers[name], pages, strict=True)]
        accuracy = sum(hits[name]) / len(pages)
        low, high = bootstrap(hits[name], rng)
        missing = sum(a is None for a in answers[name])
        print(
            f"{name:26} {accuracy:9.3f} {f'[{low:.3f}, {high:.3f}]':>16} {missing:8d} "
            f"{elapsed:8.4f}"
        )
    best = max(("htmldate-fast", "htmldate-extensive"), key=lambda k: sum(hits[k]))
    print(f"\npaired difference against the best open-source extractor ({best}):")
    for name in EXTRACTORS:
        if name != best:
            mean, low, high = paired(hits[name], hits[best], rng)
            print(f"  {name:26} {mean:+.3f} [{low:+.3f}, {high:+.3f}]")
    if args.visible_step:
        compare_visible_step(pages)
    if args.errors:
        chosen = "ours+htmldate-extensive"  # the crawl's path (find_published's default)
        print(f"\npages {chosen} misses (expected, ours, {best}, url; * where {best} is right):")
        for i, page in enumerate(pages):
            if not hits[chosen][i]:
                mark = "*" if hits[best][i] else " "
                print(
                    f"{mark} {page.expected}  {answers[chosen][i]}  {answers[best][i]}  {page.url}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
