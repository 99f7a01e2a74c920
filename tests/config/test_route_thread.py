"""`thread` on a `[[telegram.routes]]` entry: a positive integer, else one line naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from icesco_watch.config.loader import ConfigError, load_config
from tests.conftest import config_check_error

ROUTE = '[[telegram.routes]]\nchat = "-100123"\nsectors = ["culture"]\n'


def test_a_route_names_its_forum_topic(tmp_path: Path) -> None:
    path = tmp_path / "icesco-watch.toml"
    path.write_text(ROUTE + "thread = 42\n" + ROUTE)
    routes = load_config(path, environ={}).settings.telegram.routes
    assert [(r.chat, r.thread) for r in routes] == [("-100123", 42), ("-100123", None)]


@pytest.mark.parametrize("value", ["0", "-3", '"7"', "true", "4.0", "[1]"])
def test_a_malformed_thread_is_one_line_naming_the_key(tmp_path: Path, value: str) -> None:
    path = tmp_path / "icesco-watch.toml"
    path.write_text(ROUTE + f"thread = {value}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    [problem] = caught.value.problems
    assert problem.startswith("telegram.routes[0].thread: ")
    assert "is not a forum topic id; write a positive integer" in problem


def test_config_check_exits_2_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "icesco-watch.toml"
    path.write_text(ROUTE + "thread = 0\n")
    assert config_check_error(path).endswith(
        "telegram.routes[0].thread: 0 is not a forum topic id; write a "
        "positive integer (the topic's message_thread_id, the last number of "
        "a link to the topic)"
    )
