"""A post whose address changes, against real WordPress: an editor renames its slug or moves its
date (both are in ICESCO's /YYYY/MM/DD/slug/ permalinks). WordPress's post id recognises it: one
item, moved to the new address with a new version, and no second alert."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from icesco_watch.config.render import render_toml
from icesco_watch.config.schema import Settings
from icesco_watch.spiders.urls import canonical_key
from icesco_watch.store.schema import deliveries, items, open_store
from icesco_watch.store.subscriptions import add_subscription, upsert_chat
from tests.conftest import CLI, clean_env
from tests.wordpress.conftest import CATEGORIES, WordPress
from tests.wordpress.test_wordpress import BODIES, TITLES, ZONE, cycle


def _ago(**delta: float) -> str:
    return (datetime.now(ZONE) - timedelta(**delta)).strftime("%Y-%m-%d %H:%M:%S")


def _open(wp: WordPress, tmp_path: Path, channel: str) -> tuple[Settings, Engine]:
    settings = Settings.model_validate(wp.config(tmp_path, channel, alerts={"max_age_days": 7}))
    engine = open_store(settings.storage.url)
    with engine.begin() as conn:
        upsert_chat(conn, "1001", datetime.now(UTC))
        add_subscription(conn, "1001", "all")
    return settings, engine


def _listed(settings: Settings, tmp_path: Path) -> list[dict[str, Any]]:
    config = tmp_path / "icesco-watch.toml"
    config.write_text(render_toml(settings))
    done = subprocess.run(
        [*CLI, "--config", str(config), "items", "list", "--json", "--lang", "en"],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


@pytest.mark.parametrize(
    ("channel", "field"),
    [("rest", "slug"), ("rest", "date"), ("feed", "slug"), ("feed", "date"), ("html", "slug")],
)
def test_a_post_whose_address_changes_is_one_item_alerted_once(
    wordpress: WordPress, tmp_path: Path, channel: str, field: str
) -> None:
    # Two days back: another day in the permalink, still within alerts.max_age_days.
    change = {"slug": "icesco-programme-renamed"} if field == "slug" else {"date": _ago(days=2)}
    for lang in ("en", "ar", "fr"):  # an empty HTML listing would be a failing source
        wordpress.add(lang, TITLES[lang].format(n=1), _ago(days=3), BODIES[lang].format(n=1))
    settings, engine = _open(wordpress, tmp_path, channel)
    assert not cycle(settings, engine).failed  # the baseline
    (post,) = wordpress.run(
        {
            "op": "add",
            "lang": "en",
            "title": TITLES["en"].format(n=2),
            "date": _ago(minutes=30),
            "content": BODIES["en"].format(n=2),
            "category": CATEGORIES["en"],
            "editor": True,  # its guid is the shortlink, as the feed of icesco.org shows
        }
    )
    first = cycle(settings, engine)
    assert not first.failed, [r.errors for r in first.sources]
    old_key = canonical_key(post["link"])
    assert [key for r in first.sources for key in r.new] == [old_key]

    (moved,) = wordpress.run({"op": "edit", "lang": "en", "id": post["id"], **change})
    new_key = canonical_key(moved["link"])
    assert new_key != old_key
    report = cycle(settings, engine)
    assert not report.failed, [r.errors for r in report.sources]
    english = next(r for r in report.sources if r.source == "wp-en")
    assert english.new == []
    assert english.updated == [new_key]
    with engine.connect() as conn:
        alerted = conn.execute(select(deliveries.c.item_key, deliveries.c.chat)).all()
        row = conn.execute(
            select(items.c.key, items.c.url, items.c.version, items.c.published).where(
                items.c.wp_post_id == post["id"], items.c.source == "wp-en"
            )
        ).one()
    assert alerted == [(new_key, "1001")]  # the one alert, following its item
    assert (row.key, row.url, row.version) == (new_key, moved["link"], 2)
    expected = datetime.fromisoformat(moved["date_gmt"]).replace(tzinfo=UTC)
    assert row.published == expected
    listed = [r for r in _listed(settings, tmp_path) if r["title"] == TITLES["en"].format(n=2)]
    assert [(r["key"], r["url"]) for r in listed] == [(new_key, moved["link"])]
    # And the next cycle leaves it alone.
    again = cycle(settings, engine)
    assert [key for r in again.sources for key in r.new + r.updated] == []
