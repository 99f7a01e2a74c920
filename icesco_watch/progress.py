"""The crawl's progress display on a terminal: listing pages and articles fetched, per source.

A first crawl of the three sources fetches some forty pages at the polite delay (about a
minute), so a person at a terminal sees it move. Log lines written meanwhile appear above the
display (rich redirects stderr while it is live; the log handler writes to the current stderr).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from icesco_watch.models import CycleReport
from icesco_watch.spiders.runner import ProgressCallback


def crawl_with_progress(
    title: str,
    sources: Sequence[str],
    start: Callable[[ProgressCallback], Coroutine[Any, Any, CycleReport]],
) -> CycleReport:
    """Run the cycle `start(callback)` makes, under one line per source that counts its
    listing pages and articles as they are fetched; the display goes once it is done."""
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.fields[listing]} listing page(s), {task.fields[article]} article(s)"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        tasks: dict[str, TaskID] = {
            key: progress.add_task(f"{title} {key}:", total=None, listing=0, article=0)
            for key in sources
        }
        counts = {key: {"listing": 0, "article": 0} for key in sources}

        def advance(source: str, kind: str) -> None:
            if source not in tasks:
                return
            counted = counts[source]
            counted["listing" if kind == "listing" else "article"] += 1
            progress.update(tasks[source], advance=1, **counted)  # type: ignore[arg-type]

        return asyncio.run(start(advance))
