"""Keys that name a place, an address or a name: empty or blank is a typo, never a choice.

Each case goes through the real command line on a real file: exit 2 and one line naming the
key, so `feeds.dir = ""` no longer publishes into the working directory."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import CLI, clean_env, config_check, config_check_error
from tests.stores import store_url


@pytest.mark.parametrize("blank", ['""', '"   "'])
def test_an_empty_feeds_dir_is_refused_not_the_working_directory(
    tmp_path: Path, blank: str
) -> None:
    config = tmp_path / "blank.toml"
    store = store_url(tmp_path / "store")
    config.write_text(f'[storage]\nurl = "{store}"\n[feeds]\ndir = {blank}\n', "utf-8")
    line = config_check_error(config)
    assert line.startswith(f"{config}: feeds.dir: "), line
    assert "'data/feeds'" in line  # how to write it
    work = tmp_path / "work"
    work.mkdir()
    built = subprocess.run(
        [*CLI, "--config", str(config), "feeds", "build"],
        capture_output=True,
        text=True,
        env=clean_env(),
        cwd=work,
        timeout=60,
    )
    assert built.returncode == 2, built.stdout + built.stderr
    assert built.stderr.strip().splitlines() == [line]
    assert list(work.iterdir()) == []  # nothing published where the command ran


SECTOR = (
    '[[sectors]]\nkey = "education"\nname = {{ en = {en}, fr = "Éducation", ar = "التربية" }}\n'
)


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        # A blank name is an empty bot button and a feed titled with nothing.
        (SECTOR.format(en='"  "'), "sectors[0].name.en"),
        (
            '[[topics]]\nkey = "heritage"\nname = " "\nkeywords = ["heritage"]\n',
            "topics[0].name.en",
        ),
        (
            '[[topics]]\nkey = "heritage"\nname = { en = "Heritage", fr = "" }\n'
            'keywords = ["heritage"]\n',
            "topics[0].name.fr",
        ),
        # An admin chat that is no chat id matches no chat: admin commands refused everywhere.
        ('[telegram]\nadmin_chats = [""]\n', "telegram.admin_chats[0]"),
        ('[telegram]\nadmin_chats = ["-100123", " "]\n', "telegram.admin_chats[1]"),
        # A proxy without a host fails every request at crawl time, far from this key.
        ('[crawl]\nproxy = "http://"\n', "crawl.proxy"),
        # A SQLite file named by blanks, created in whatever directory the command runs in.
        ('[storage]\nurl = "sqlite:///   "\n', "storage.url"),
    ],
    ids=[
        "sector-name",
        "topic-name",
        "topic-name-fr",
        "admin-chat",
        "second-admin-chat",
        "proxy-without-host",
        "sqlite-blank-file",
    ],
)
def test_blank_names_and_chats_are_refused_naming_the_key(
    tmp_path: Path, toml: str, key: str
) -> None:
    config = tmp_path / "blank.toml"
    config.write_text(toml, "utf-8")
    line = config_check_error(config)
    assert line.startswith(f"{config}: {key}: "), line


def test_an_empty_sector_list_is_refused_and_says_how_to_get_the_builtin_ones(
    tmp_path: Path,
) -> None:
    # Every sector feed, sector subscription and route by sector would silently get nothing.
    config = tmp_path / "no-sectors.toml"
    config.write_text("sectors = []\n", "utf-8")
    line = config_check_error(config)
    assert line.startswith(f"{config}: sectors: "), line
    assert "remove the key" in line
    assert "built-in ICESCO sectors" in line


@pytest.mark.parametrize("key", ["topics", "sources"])
def test_an_empty_topic_or_source_list_stays_a_choice(tmp_path: Path, key: str) -> None:
    # Watched topics are optional; an instance that only sends alerts or serves feeds crawls
    # no source.
    config = tmp_path / "empty.toml"
    config.write_text(f"{key} = []\n", "utf-8")
    done = config_check(config)
    assert done.returncode == 0, done.stderr
    assert f"\n{key} = []\n" in done.stdout
