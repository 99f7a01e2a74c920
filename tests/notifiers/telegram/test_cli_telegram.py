"""`icesco-watch telegram test --chat ID`, run as a command against the fake Bot API."""

from __future__ import annotations

import subprocess
from pathlib import Path

from icesco_watch.config.render import render_toml
from tests.conftest import CLI, clean_env, free_port
from tests.fakes.bot_api import FakeBotApi
from tests.notifiers.telegram.helpers import make_settings

TOKEN_ENV = "ICESCO_WATCH_TELEGRAM_TOKEN"


def run(
    tmp_path: Path, api: FakeBotApi, *args: str, token: bool = True, **telegram: str
) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "icesco-watch.toml"
    config.write_text(render_toml(make_settings(tmp_path, api, **telegram)))
    env = clean_env(**({TOKEN_ENV: api.token} if token else {}))
    return subprocess.run(
        [*CLI, "--config", str(config), "telegram", "test", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_sends_a_sample_alert_and_prints_the_message_id(tmp_path: Path, api: FakeBotApi) -> None:
    result = run(tmp_path, api, "--chat", "777")
    assert result.returncode == 0, result.stderr
    (message,) = api.messages_to(777)
    assert f"message_id={message.message_id}" in result.stdout
    assert message.parse_mode == "HTML"
    assert "icesco-watch test alert" in message.plain


def test_reports_telegram_refusal_without_the_token(tmp_path: Path, api: FakeBotApi) -> None:
    api.block(778)
    result = run(tmp_path, api, "--chat", "778")
    assert result.returncode == 1
    assert "Forbidden" in result.stderr
    assert "blocked" in result.stderr
    assert api.token not in result.stdout + result.stderr


def test_an_unreachable_bot_api_names_the_key_not_a_refusal(
    tmp_path: Path, api: FakeBotApi
) -> None:
    """Nothing listens at telegram.api_base_url: Telegram refused nothing, the key is to fix."""
    closed = f"http://127.0.0.1:{free_port()}/bot"
    result = run(tmp_path, api, "--chat", "12345", api_base_url=closed)
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(
        f"telegram.api_base_url: could not reach the Bot API at '{closed}' to send the test "
        "alert to 12345: NetworkError: "
    ), line
    assert "refused" not in line
    assert api.token not in result.stdout + result.stderr
    assert api.sent == []


def test_a_server_that_answers_no_telegram_answer_is_named_not_a_traceback(
    tmp_path: Path, api: FakeBotApi
) -> None:
    """ "ok" with a result that is no Telegram message (a proxy, a look-alike server) ended in
    "KeyError: 'date'" from inside python-telegram-bot: now one line naming the key."""
    api.inject("sendMessage", "garbled")
    result = run(tmp_path, api, "--chat", "12345")
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(
        f"telegram.api_base_url: the server at '{api.base_url}' answered the test alert to "
        "12345 with no Telegram answer ("
    ), line
    assert line.endswith("is it the Bot API?")
    assert "refused" not in line
    assert api.token not in result.stdout + result.stderr


def test_without_a_token_names_the_variable(tmp_path: Path, api: FakeBotApi) -> None:
    result = run(tmp_path, api, "--chat", "779", token=False)
    assert result.returncode == 2
    assert TOKEN_ENV in result.stderr
    assert api.sent == []


def test_a_malformed_chat_is_a_usage_error(tmp_path: Path, api: FakeBotApi) -> None:
    result = run(tmp_path, api, "--chat", "not a chat")
    assert result.returncode == 2
    assert "--chat" in result.stderr
