"""A command whose reader went away (`icesco-watch items list | head -1`) stops quietly, as
any Unix tool does, instead of logging a BrokenPipeError as if the command had failed."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import CLI, clean_env
from tests.stores import store_url


@pytest.mark.parametrize("command", [("config", "check"), ("status",)])
def test_a_closed_stdout_ends_the_command_without_an_error_line(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    config = tmp_path / "pipe.toml"
    config.write_text(f'[storage]\nurl = "{store_url(tmp_path / "store")}"\n', "utf-8")
    reader, writer = os.pipe()
    os.close(reader)  # the reader is gone before the first line: every write fails (EPIPE)
    try:
        done = subprocess.run(
            [*CLI, "--config", str(config), "--log-format", "human", *command],
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            env=clean_env(),
            timeout=60,
        )
    finally:
        os.close(writer)
    assert done.stderr == ""
    assert done.returncode == 1  # click's own answer to a broken pipe: quiet, not success
