"""Which feeds exist, where they live, and which ones an item touches."""

from __future__ import annotations

from pathlib import Path

import pytest

from icesco_watch.config.loader import ConfigError, load_config
from icesco_watch.config.schema import Settings
from icesco_watch.feeds.catalog import FEED_PATH, FeedSpec, base_url, feed_specs, specs_touched_by
from tests.feeds.conftest import AWKWARD, make_settings


def test_every_language_has_all_sector_and_topic_feeds(settings: Settings) -> None:
    paths = {spec.path("rss") for spec in feed_specs(settings)}
    assert len(paths) == 4 * (1 + len(settings.sectors) + len(settings.topics))
    assert {"en/all.rss", "all/all.rss", "ar/sector/education.rss", "fr/topic/ai.rss"} <= paths
    assert all(
        FEED_PATH.fullmatch(spec.path(f)) for spec in feed_specs(settings) for f in ("rss", "atom")
    )


def test_an_item_touches_its_language_and_all_for_its_sectors_and_topics(
    settings: Settings,
) -> None:
    touched = {spec.stem for spec in specs_touched_by(settings, [AWKWARD[1]])}
    assert touched == {
        "ar/all",
        "all/all",
        "ar/sector/culture",
        "all/sector/culture",
        "ar/topic/heritage",
        "all/topic/heritage",
    }
    assert specs_touched_by(settings, []) == []


def test_base_url_defaults_to_the_server_address(tmp_path: Path, settings: Settings) -> None:
    assert base_url(settings) == f"http://127.0.0.1:{settings.server.port}"
    custom = make_settings(tmp_path, base_url="https://example.org/icesco/")
    assert base_url(custom) == "https://example.org/icesco"


@pytest.mark.parametrize("value", ["example.org", "ftp://example.org", "https://x.org/?a=1"])
def test_a_bad_base_url_is_a_config_error_naming_the_key(tmp_path: Path, value: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(f'[feeds]\nbase_url = "{value}"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path, {})
    assert caught.value.problems[0].startswith("feeds.base_url: ")
    assert "write it like" in caught.value.problems[0]


@pytest.mark.parametrize("value", ["@me", "not a name", "icesco_watch", "x" * 40 + "bot"])
def test_a_bad_bot_username_is_a_config_error(tmp_path: Path, value: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(f'[telegram]\nbot_username = "{value}"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path, {})
    assert caught.value.problems[0].startswith("telegram.bot_username: ")


def test_a_bot_username_may_be_written_with_an_at_sign(tmp_path: Path) -> None:
    path = tmp_path / "ok.toml"
    path.write_text('[telegram]\nbot_username = "@IcescoWatchBot"\n')
    assert load_config(path, {}).settings.telegram.bot_username == "IcescoWatchBot"


def test_the_all_language_feed_is_written_in_english(settings: Settings) -> None:
    spec = FeedSpec("all", "sector", "culture")
    assert spec.title(settings) == "ICESCO news: Culture and Heritage (all languages)"
    assert "all languages" in spec.description(settings)


def test_a_topic_feed_is_titled_in_its_language(settings: Settings) -> None:
    titles = {
        spec.stem: spec.title(settings) for spec in feed_specs(settings) if spec.key == "heritage"
    }
    assert "Heritage" in titles["en/topic/heritage"]
    assert "Patrimoine" in titles["fr/topic/heritage"]
    assert "التراث" in titles["ar/topic/heritage"]
    assert "Heritage" in titles["all/topic/heritage"]
