"""`--help` of every command, as a terminal shows it: each renders, and says what it was written
to say.

Typer renders help through Rich markup, where a word in square brackets is a style tag and
vanishes: `retag --help` once told operators to edit "[] or []" in the config (its docstring
says `[[sectors]]` and `[[topics]]`), and `classify --help` lost the evidence's `[reasons]`.
Such text is escaped (`\\[`); this test catches the next one.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator

import pytest
import typer

from icesco_watch.cli import app
from tests.conftest import CLI, clean_env

# A bracketed run with a letter in it: what Rich would take for a tag ("[reasons]", "[[sectors]]").
BRACKETED = re.compile(r"\[+[^\]\s]*[A-Za-z][^\]]*\]+")


def _commands() -> Iterator[tuple[list[str], str, str]]:
    """Every command and group of the CLI, with the help text its author wrote for it and for
    its options and arguments."""
    stack: list[tuple[list[str], object]] = [([], typer.main.get_command(app))]
    while stack:
        path, command = stack.pop()
        options = [getattr(param, "help", None) or "" for param in getattr(command, "params", ())]
        yield path, getattr(command, "help", None) or "", "\n".join(options)
        children = getattr(command, "commands", {})
        stack.extend(([*path, name], sub) for name, sub in sorted(children.items()))


COMMANDS = sorted(_commands())


def test_the_walk_finds_the_commands_of_the_design() -> None:
    names = {" ".join(path) for path, _, _ in COMMANDS}
    assert {"classify", "retag", "crawl", "run", "serve", "config check", "db upgrade"} <= names


@pytest.mark.parametrize(
    ("path", "written", "options"),
    [pytest.param(*command, id=" ".join(command[0]) or "root") for command in COMMANDS],
)
def test_help_renders_what_was_written(path: list[str], written: str, options: str) -> None:
    shown = subprocess.run(
        [*CLI, *path, "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env=clean_env(COLUMNS="200", TERM="dumb"),
        check=False,
    )
    assert shown.returncode == 0, shown.stderr
    assert written.strip(), f"{' '.join(path)} has no help text"
    flat = " ".join(shown.stdout.replace("│", " ").split())
    first_line = written.strip().splitlines()[0]
    assert " ".join(first_line.split()) in flat
    for bracketed in BRACKETED.findall(f"{written}\n{options}".replace("\\[", "[")):
        assert " ".join(bracketed.split()) in flat, f"{bracketed!r} vanished from the help"
