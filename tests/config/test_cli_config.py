"""`icesco-watch config check` through the real command-line entry point."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

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
