"""Keys that name a place, an address or a name: empty or blank is a typo, never a choice.

Each case goes through the real command line on a real file: exit 2 and one line naming the
key, so `feeds.dir = ""` no longer publishes into the working directory."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import CLI, clean_env, config_check_error
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
