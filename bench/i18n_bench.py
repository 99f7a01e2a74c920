"""Benchmark: what speaking Arabic and French costs the bot, against English in the same run.

Run from the repo root: `python bench/i18n_bench.py [--items N] [--lookups N]`.
1. Rendering: N alerts (`format_alert`) and N help texts with the chat's language, in English
   (the baseline: the source strings, no catalog) and in French and Arabic (catalog lookups,
   placeholder filling, and for Arabic the right-to-left isolation).
2. The store: the chat's language looked up per command (`ui_lang_on_contact`, one transaction
   on a real SQLite file) against the read every command already makes (`get_chat`).
Prints the medians of 5 runs and the ratios. No assertions: it reports.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from icesco_watch.config.loader import default_settings  # noqa: E402
from icesco_watch.models import NewsItem  # noqa: E402
from icesco_watch.notifiers.telegram.format import format_alert  # noqa: E402
from icesco_watch.notifiers.telegram.i18n import translator  # noqa: E402
from icesco_watch.notifiers.telegram.menu import help_text  # noqa: E402
from icesco_watch.store.chat_language import ui_lang_on_contact  # noqa: E402
from icesco_watch.store.schema import open_store  # noqa: E402
from icesco_watch.store.subscriptions import get_chat, upsert_chat  # noqa: E402

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
RUNS = 5


def median_seconds(work: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def item(n: int) -> NewsItem:
    return NewsItem(
        key=f"icesco.org/en/2026/11/30/item-{n}",
        source="icesco-en",
        lang="en",
        url=f"https://icesco.org/en/2026/11/30/item-{n}/",
        title=f"ICESCO and partners open forum number {n} on heritage",
        published=NOW,
        summary="Experts met in Rabat to discuss scenarios for 2040. " * 4,
        sectors=("culture", "education"),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--lookups", type=int, default=500)
    args = parser.parse_args()
    sectors = default_settings().sectors
    items = [item(n) for n in range(args.items)]

    print(f"rendering {args.items} alerts and {args.items} help texts (median of {RUNS})")
    baseline = 0.0
    for lang in ("en", "fr", "ar"):

        def render(lang: str = lang) -> None:
            for entry in items:
                format_alert(entry, sectors, lang)
                help_text(translator(lang))

        seconds = median_seconds(render)
        baseline = baseline or seconds
        per = seconds / args.items * 1e6
        print(f"  {lang}: {seconds:.3f} s ({per:.0f} µs per alert+help), x{seconds / baseline:.2f}")

    with tempfile.TemporaryDirectory() as folder:
        engine = open_store(f"sqlite:///{folder}/bench.db")
        with engine.begin() as conn:
            upsert_chat(conn, "1", NOW)

        def read_chat() -> None:
            for _ in range(args.lookups):
                with engine.connect() as conn:
                    get_chat(conn, "1")

        def language_lookup() -> None:
            for _ in range(args.lookups):
                with engine.begin() as conn:
                    ui_lang_on_contact(conn, "1", "ar")

        base = median_seconds(read_chat)
        extra = median_seconds(language_lookup)
        print(f"store, {args.lookups} commands (SQLite file, median of {RUNS})")
        print(f"  get_chat (baseline): {base / args.lookups * 1e6:.0f} µs per command")
        print(
            f"  ui_lang_on_contact: {extra / args.lookups * 1e6:.0f} µs per command, "
            f"x{extra / base:.2f}"
        )
        engine.dispose()


if __name__ == "__main__":
    main()
