"""`icesco-watch doctor` against real WordPress and the HTML-only replica."""

from __future__ import annotations

import subprocess
from pathlib import Path

from icesco_watch.config.render import render_toml
from icesco_watch.config.schema import Settings
from tests.conftest import CLI, clean_env, write_replica_config
from tests.replica import ReplicaServer
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


def test_doctor_on_an_html_only_site_and_an_unusable_one(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    config = write_replica_config(tmp_path, replica)
    done = _doctor(config, "--source", "icesco-fr")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "channel rest: unavailable" in done.stdout
    assert "chosen: html" in done.stdout
    replica.fail(500, "/fr/")
    done = _doctor(config, "--source", "icesco-fr")
    assert done.returncode == 1
    assert "verdict: NOT usable" in done.stdout
    assert "Traceback" not in done.stderr
