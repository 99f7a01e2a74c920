"""`icesco-watch doctor` against real WordPress and the HTML-only replica."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from icesco_watch.config.render import render_toml
from icesco_watch.config.schema import Settings
from tests.conftest import CLI, clean_env, write_replica_config
from tests.replica import ReplicaServer
from tests.replica.site import articles_in
from tests.spiders.test_provenance import expected_provenance
from tests.wordpress.conftest import WordPress
from tests.wordpress.test_wordpress import TITLES, seed


def _doctor(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, "--config", str(config), "doctor", *args],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=300,
        check=False,
    )


def test_doctor_names_channels_items_and_warnings(wordpress: WordPress, tmp_path: Path) -> None:
    seed(wordpress)
    settings = Settings.model_validate(wordpress.config(tmp_path))
    config = tmp_path / "icesco-watch.toml"
    config.write_text(render_toml(settings))
    done = _doctor(config, "--source", "wp-en")
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "robots.txt: fetched" in out
    assert "the listing is allowed" in out
    for channel in ("rest", "feed", "html"):
        assert f"channel {channel}: works" in out
    assert "chosen: rest" in out
    assert TITLES["en"].format(n=12) in out  # the newest item, by its exact title
    assert "2025-01-12" in out
    assert "categories: news" in out
    assert "sectors: " in out
    assert "education" in out
    assert "sit in menus, sidebars or widgets" in out  # the theme's "Recent Posts" widget
    assert "wp-ar" not in out  # --source limits the check
    assert "verdict: usable" in out
    assert not (tmp_path / "store" / "watch.db").exists()  # the doctor stores nothing


# What each channel of a real WordPress gives each field from. Its theme's article pages have
# no og: or article: meta and no JSON-LD: the title is the <h1>, the date the
# <time class="entry-date published" datetime>, the text in .entry-content, no image.
PROVENANCE = {
    "rest": "title REST title.rendered, date REST date_gmt, body REST content.rendered,"
    " categories REST wp:term",
    "feed": "title feed <title>, date feed <published>, body feed <content>,"
    " categories feed <category>",
    "html": "title <h1>, date <time datetime>, body container .entry-content,"
    " categories category links, image none",
}


@pytest.mark.parametrize("channel", list(PROVENANCE))
def test_doctor_says_where_each_field_came_from_on_each_channel(
    wordpress: WordPress, tmp_path: Path, channel: str
) -> None:
    seed(wordpress)
    settings = Settings.model_validate(wordpress.config(tmp_path, channel=channel))
    config = tmp_path / "icesco-watch.toml"
    config.write_text(render_toml(settings))
    done = _doctor(config, "--source", "wp-en")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"chosen: {channel}" in done.stdout
    lines = done.stdout.splitlines()
    newest = lines.index(f"    2025-01-12  {TITLES['en'].format(n=12)}")
    assert lines[newest + 2] == f"      from: {PROVENANCE[channel]}"
    shown = [line for line in lines if line.startswith("      from: ")]
    assert set(shown) == {f"      from: {PROVENANCE[channel]}"}  # one per item shown


def test_doctor_on_an_html_only_site_and_an_unusable_one(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    config = write_replica_config(tmp_path, replica)
    done = _doctor(config, "--source", "icesco-fr")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "channel rest: unavailable" in done.stdout
    assert "chosen: html" in done.stdout
    # Each item says where its fields came from, as its page really gave them.
    lines = done.stdout.splitlines()
    newest = articles_in(replica.state, "fr")[:5]
    assert {(a.theme, a.date_markup) for a in newest} == {
        ("modern", "full"),
        ("classic", "full"),
        ("classic", "text"),
    }
    for article in newest:
        where = expected_provenance(article)
        origin = lines[lines.index(f"      {article.url}") - 1]
        assert origin == (
            f"      from: title {where['title']}, date {where['date']}, body {where['body']},"
            f" categories {where['categories']}, image {where['image']}"
        )
    assert (
        "      from: title og:title, date article:published_time,"
        " body container .elementor-widget-theme-post-content, categories category links,"
        " image og:image"
    ) in lines
    assert "      from: title <h1>, date htmldate, body container .td-post-content," in (
        done.stdout
    )
    replica.fail(500, "/fr/")
    done = _doctor(config, "--source", "icesco-fr")
    assert done.returncode == 1
    assert "verdict: NOT usable" in done.stdout
    assert "Traceback" not in done.stderr
