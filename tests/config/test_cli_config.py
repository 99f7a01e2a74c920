"""`icesco-watch config check` through the real command-line entry point."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import pytest

from icesco_watch.config.schema import Settings
from tests.conftest import CLI, clean_env


def _cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args],
        capture_output=True,
        text=True,
        env=clean_env(**(env or {})),
        cwd=cwd,
        timeout=60,
        check=False,
    )


def test_config_check_prints_the_effective_config_as_toml(tmp_path: Path) -> None:
    done = _cli("config", "check", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "# effective config from built-in defaults" in done.stdout
    settings = Settings.model_validate(tomllib.loads(done.stdout))
    assert [s.key for s in settings.sources] == ["icesco-en", "icesco-fr", "icesco-ar"]


def test_config_check_rejects_bad_input_with_exit_2_and_one_line_per_problem(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[schedule]\ninterval = "soon"\n[alerts]\nfailure_treshold = 2\n', "utf-8")
    done = _cli("--config", str(path), "config", "check")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 2, done.stderr
    assert lines[0].startswith(f"{path}: schedule.interval: 'soon' is not a duration")
    assert "alerts.failure_treshold: unknown key; did you mean 'failure_threshold'?" in lines[1]
    assert done.stdout == ""


def test_the_token_is_reported_as_set_but_never_shown(tmp_path: Path) -> None:
    done = _cli(
        "config", "check", env={"ICESCO_WATCH_TELEGRAM_TOKEN": "42:TOPSECRET"}, cwd=tmp_path
    )
    assert done.returncode == 0
    assert "set (hidden)" in done.stdout
    assert "TOPSECRET" not in done.stdout + done.stderr


def test_a_token_written_in_the_config_file_is_refused_not_used(tmp_path: Path) -> None:
    # The Settings field the environment fills was also a valid file key: a token saved in
    # the file was used (and reported "set (hidden)") although secrets never come from files.
    path = tmp_path / "token.toml"
    path.write_text('telegram_token = "42:FILESECRET"\n', "utf-8")
    done = _cli("--config", str(path), "config", "check", cwd=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"{path}: telegram_token: secrets are never read from files")
    assert "ICESCO_WATCH_TELEGRAM_TOKEN" in lines[0]
    assert "FILESECRET" not in done.stdout + done.stderr
    # The environment's token does not make the file's acceptable either.
    env = {"ICESCO_WATCH_TELEGRAM_TOKEN": "42:ENVSECRET"}
    done = _cli("--config", str(path), "config", "check", env=env, cwd=tmp_path)
    assert done.returncode == 2
    assert "SECRET" not in done.stdout + done.stderr


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ('[crawl]\nobey_robots = "no"\n', "crawl.obey_robots"),  # was read as false: robots off
        ("[crawl]\nobey_robots = 0\n", "crawl.obey_robots"),
        ("[server]\nport = true\n", "server.port"),  # was port 1
        ("[feeds]\nitems = true\n", "feeds.items"),
        ('[server]\nport = "8080"\n', "server.port"),
        ("[[sources]]\nkey = 5\nlang = 'en'\nstart_urls = ['https://icesco.org/en/']\n", "key"),
    ],
    ids=["bool-as-word", "bool-as-number", "port-as-bool", "items-as-bool", "port-as-text", "key"],
)
def test_a_value_of_the_wrong_toml_type_is_rejected_not_converted(
    tmp_path: Path, toml: str, key: str
) -> None:
    """A TOML value of the wrong type is a mistake to name, not a value to guess at: lax
    conversion read `obey_robots = "no"` as false and `port = true` as port 1."""
    path = tmp_path / "bad.toml"
    path.write_text(toml, "utf-8")
    done = _cli("--config", str(path), "config", "check")
    assert done.returncode == 2, done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert f": {key}" in lines[0] or f".{key}:" in lines[0], lines[0]
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize("agent", ["a\\r\\nX-Evil: 1", "", "   ", "bell\\u0007"])
def test_a_user_agent_that_is_not_one_printable_line_is_rejected(
    tmp_path: Path, agent: str
) -> None:
    """crawl.user_agent is sent as a header on every request: a line break used to pass the
    check and fail every request of every cycle instead."""
    path = tmp_path / "bad.toml"
    path.write_text(f'[crawl]\nuser_agent = "{agent}"\n', "utf-8")
    done = _cli("--config", str(path), "config", "check")
    assert done.returncode == 2, done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"{path}: crawl.user_agent: "), lines[0]


def test_config_check_hides_the_passwords_of_the_configured_urls(tmp_path: Path) -> None:
    """The passwords of storage.url and crawl.proxy are secrets the process scrubs from every
    log and error line; `config check` printed them in its TOML all the same."""
    path = tmp_path / "secret.toml"
    path.write_text(
        '[storage]\nurl = "postgresql://watch:S3cretStorePass@127.0.0.1:1/db"\n'
        '[crawl]\nproxy = "http://me:pr0xyPassw0rd@127.0.0.1:3128"\n',
        "utf-8",
    )
    done = _cli("--config", str(path), "config", "check")
    assert done.returncode == 0, done.stderr
    assert "S3cretStorePass" not in done.stdout + done.stderr
    assert "pr0xyPassw0rd" not in done.stdout + done.stderr
    assert "postgresql://watch:***@127.0.0.1:1/db" in done.stdout
    assert "http://me:***@127.0.0.1:3128" in done.stdout


def test_a_config_file_far_larger_than_any_config_is_refused_unread(tmp_path: Path) -> None:
    """The file was read whole whatever its size (`--config /dev/zero` read without end); past
    MAX_CONFIG_BYTES it is one line and exit 2. A big file of comments stands in for the device,
    which would fill the memory of a machine without the bound (4 MiB)."""
    path = tmp_path / "huge.toml"
    path.write_bytes(b"# not a config\n" * (5 * 1024 * 1024 // 15))  # 5 MiB
    done = _cli("--config", str(path), "config", "check")
    assert done.returncode == 2, done.stdout[:200]
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"{path}: larger than 4 MiB")
    assert done.stdout == ""
