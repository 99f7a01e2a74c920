"""How the config file is read: UTF-8, with or without the byte order mark Windows Notepad
writes; any other byte that is not UTF-8, or a file that is not there, is one line saying where
and what to fix, exit 2."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import pytest

from tests.conftest import CLI, clean_env, config_check, config_check_error


def test_a_leading_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    config = tmp_path / "notepad.toml"
    config.write_bytes(b'\xef\xbb\xbf[feeds]\r\ndir = "published"\r\n')
    done = config_check(config)
    assert done.returncode == 0, done.stderr
    assert tomllib.loads(done.stdout)["feeds"]["dir"] == "published"


@pytest.mark.parametrize(
    ("data", "where"),
    [
        # "café" saved as Latin-1: é is the lone byte 0xE9, the 11th character of line 2.
        (b'[feeds]\ndir = "caf\xe9"\n', "line 2, column 11"),
        # After a byte order mark, which is no column of the line.
        (b"\xef\xbb\xbf# caf\xe9\n", "line 1, column 6"),
    ],
    ids=["latin1", "latin1-after-bom"],
)
def test_a_byte_that_is_not_utf8_is_named_by_line_and_column(
    tmp_path: Path, data: bytes, where: str
) -> None:
    config = tmp_path / "latin1.toml"
    config.write_bytes(data)
    line = config_check_error(config)
    assert line.startswith(f"{config}: "), line
    assert where in line
    assert "UTF-8" in line


def test_a_missing_file_named_by_the_environment_says_so(tmp_path: Path) -> None:
    # The fix is in the environment, not in a --config option the command line never had.
    missing = tmp_path / "gone.toml"
    done = subprocess.run(
        [*CLI, "config", "check"],
        capture_output=True,
        text=True,
        env=clean_env(ICESCO_WATCH_CONFIG=str(missing)),
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 2
    [line] = done.stderr.splitlines()
    assert line.startswith(f"{missing}: file not found"), line
    assert "$ICESCO_WATCH_CONFIG" in line
    assert "--config" not in line
